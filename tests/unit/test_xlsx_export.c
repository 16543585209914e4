/* Unit tests for the XLSX writer: the file is a valid zip whose sheet holds
 * the keys row, real numbers and dates, and neutralised formula-like text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "formats/xlsx_export.h"

static const xlsx_column COLS[] = {
    {"participant_number", "Deelnemernummer", "Participant number", XLSX_TEXT, 16},
    {"display_name", "Naam", "Name", XLSX_TEXT, 30},
    {"birth_date", "Geboortedatum", "Birth date", XLSX_DATE, 12},
    {"salary", "Salaris", "Salary", XLSX_MONEY, 12},
    {"parttime_percentage", "Parttime %", "Part-time %", XLSX_PERCENT, 10},
};

/* Reads one member of the zip into a malloc'd string. */
static char *read_member(const char *path, const char *name)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_non_null(f);
    char *data = calloc(1, (size_t)st.size + 1);
    assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_close(z);
    return data;
}

static void writes_keys_numbers_dates_and_safe_text(void **state)
{
    (void)state;
    char path[] = "/tmp/portal-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    xlsx_export *x = NULL;
    assert_int_equal(xlsx_export_open(path, "Deelnemers", COLS, 5, "nl", &x), PORTAL_OK);
    const char *row1[] = {"2001681", "Assob, G., ter", "1980-05-01", "52242.28", "100.000"};
    const char *row2[] = {"2001682", "=HYPERLINK(\"http://x\")", "not a date", "", NULL};
    assert_int_equal(xlsx_export_row(x, row1), PORTAL_OK);
    assert_int_equal(xlsx_export_row(x, row2), PORTAL_OK);
    assert_int_equal(xlsx_export_close(x), PORTAL_OK);

    /* Constant-memory mode writes strings inline in the sheet. */
    char *sheet = read_member(path, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(sheet, "participant_number"));
    assert_non_null(strstr(sheet, "display_name")); /* every key, not just the first */
    assert_non_null(strstr(sheet, "Deelnemernummer"));
    assert_non_null(strstr(sheet, "Parttime %"));
    assert_non_null(strstr(sheet, "'=HYPERLINK"));
    assert_null(strstr(sheet, "<f>")); /* no formulas anywhere */
    assert_non_null(strstr(sheet, "<v>52242.28</v>"));
    assert_non_null(strstr(sheet, "<v>29342</v>")); /* 1980-05-01 as an Excel serial date */
    assert_non_null(strstr(sheet, "<v>100</v>"));
    assert_non_null(strstr(sheet, "ySplit=\"2\"")); /* header rows frozen */
    free(sheet);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_keys_numbers_dates_and_safe_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
