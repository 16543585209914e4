/* Unit tests for the batch templates and the errors workbook: each is read
 * back with the portal's own readers (round trip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "formats/batch_errors_xlsx.h"
#include "formats/batch_templates.h"
#include "formats/csv_reader.h"
#include "formats/sheet_columns.h"
#include "formats/xlsx_reader.h"
#include "formats_test_util.h"

static const batch_salary_row ROWS[] = {
    {"2001681", "Assob, G., ter", "1970-05-17", "52242.28", "100"},
    {"0012", "=HYPERLINK(\"x\")", "1900-03-01", "41000.5", "80.5"},
    {"2001683", NULL, "not a date", "n/a", NULL},
};

/* Reads an XLSX held in b; rows into t. */
static void read_back(const buf *b, test_rows *t, xlsx_info *info)
{
    test_rows_init(t);
    assert_int_equal(xlsx_read_buffer(b->data, b->len, NULL, test_rows_fn, t, info), PORTAL_OK);
}

typedef struct {
    sheet_template kind;
    sheet_header_map *map;
    portal_result rc;
} header_ctx;

static portal_result header_fn(void *ctx, const sheet_row *row)
{
    header_ctx *h = ctx;
    if (row->number == 1)
        h->rc = sheet_columns_map(h->kind, row, h->map);
    return PORTAL_OK;
}

/* The header row (row 1) of an XLSX in b mapped onto template kind. */
static portal_result header_of(const buf *b, sheet_template kind, sheet_header_map *map)
{
    header_ctx h = {kind, map, PORTAL_ERR_NOT_FOUND};
    assert_int_equal(xlsx_read_buffer(b->data, b->len, NULL, header_fn, &h, NULL), PORTAL_OK);
    return h.rc;
}

static void salary_template_reads_back(void **state)
{
    (void)state;
    const char *langs[] = {"nl", "en"};
    for (size_t l = 0; l < 2; l++) {
        buf b;
        buf_init(&b, 1u << 20);
        file_sink sink = {.fd = -1, .mem = &b};
        assert_int_equal(batch_template_salary_xlsx(ROWS, 3, langs[l], &sink), PORTAL_OK);
        test_rows t;
        xlsx_info info;
        read_back(&b, &t, &info);
        assert_string_equal(info.template_tag, "salary_change/1");
        assert_string_equal(info.sheet_name, l ? "Salaries" : "Salarissen");
        const char *want =
            l ? "1:Participant number|Name|Date of birth|Salary|Part-time percentage|New "
                "salary|New part-time percentage\n"
              : "1:Deelnemernummer|Naam|Geboortedatum|Salaris|Parttimepercentage|Nieuw "
                "salaris|Nieuw parttimepercentage\n";
        assert_memory_equal(t.out.data, want, strlen(want));
        assert_string_equal(t.out.data + strlen(want),
                            "2:2001681|Assob, G., ter|D1970-05-17|N52242.28|N100\n"
                            "3:0012|=HYPERLINK(\"x\")|D1900-03-01|N41000.5|N80.5\n"
                            "4:2001683||not a date|n/a\n");
        sheet_header_map map;
        assert_int_equal(header_of(&b, SHEET_TEMPLATE_SALARY_CHANGE, &map), PORTAL_OK);
        for (size_t i = 0; i < 7; i++)
            assert_int_equal(map.column_of[i], (long)i);
        buf_free(&t.out);
        buf_free(&b);
    }
}

static void new_participants_template_reads_back(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1u << 20);
    file_sink sink = {.fd = -1, .mem = &b};
    assert_int_equal(batch_template_new_participants_xlsx(NULL, "nl", &sink), PORTAL_OK);
    test_rows t;
    xlsx_info info;
    read_back(&b, &t, &info);
    assert_string_equal(info.template_tag, "new_participants/1");
    const char *row2 = strstr(t.out.data, "\n2:");
    assert_non_null(row2);
    assert_string_equal(row2 + 1, "2:|Jan|J.|de|Vries|D1980-01-31|male|111222333|jan.devries@"
                                  "example.nl|Voorbeeldstraat|1|1234 AB|Amsterdam|NL|"
                                  "D2025-01-01|N42000|N100\n");
    sheet_header_map map;
    assert_int_equal(header_of(&b, SHEET_TEMPLATE_NEW_PARTICIPANTS, &map), PORTAL_OK);
    assert_int_equal(map.column_of[16], 16);
    buf_free(&t.out);
    buf_free(&b);
}

static void csv_templates_read_back(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 1u << 16);
    file_sink sink = {.fd = -1, .mem = &b};
    assert_int_equal(batch_template_salary_csv(ROWS, 2, &sink), PORTAL_OK);
    test_rows t;
    test_rows_init(&t);
    assert_int_equal(csv_read_buffer(b.data, b.len, NULL, test_rows_fn, &t, NULL, NULL), PORTAL_OK);
    assert_string_equal(t.out.data,
                        "1:participant_number|display_name|birth_date|salary|parttime_percentage|"
                        "new_salary|new_parttime_percentage\n"
                        "2:2001681|Assob, G., ter|1970-05-17|52242.28|100\n"
                        "3:0012|'=HYPERLINK(\"x\")|1900-03-01|41000.5|80.5\n");
    buf_free(&t.out);
    b.len = 0;
    assert_int_equal(batch_template_new_participants_csv(NULL, &sink), PORTAL_OK);
    test_rows_init(&t);
    assert_int_equal(csv_read_buffer(b.data, b.len, NULL, test_rows_fn, &t, NULL, NULL), PORTAL_OK);
    assert_non_null(strstr(t.out.data, "\n2:|Jan|J.|de|Vries|1980-01-31|male|111222333|"));
    buf_free(&t.out);
    buf_free(&b);
    /* A sink whose cap is too small. */
    buf small;
    buf_init(&small, 100);
    file_sink tiny = {.fd = -1, .mem = &small};
    assert_int_equal(batch_template_salary_xlsx(ROWS, 3, "nl", &tiny), PORTAL_ERR_TOO_LARGE);
    buf_free(&small);
}

static void errors_workbook_reads_back_and_maps_again(void **state)
{
    (void)state;
    const char *head[] = {"participant_number", "Nieuw salaris", "new_parttime_percentage"};
    batch_errors_xlsx *x = NULL;
    assert_int_equal(batch_errors_xlsx_open(head, 3, "nl", &x), PORTAL_OK);
    const char *r1[] = {"2001681", "abc", "90"};
    const char *r2[] = {"2001682", "=1+1", NULL, "dropped"};
    assert_int_equal(batch_errors_xlsx_row(x, r1, 3, "Nieuw salaris: geen bedrag"), PORTAL_OK);
    assert_int_equal(batch_errors_xlsx_row(x, r2, 4, NULL), PORTAL_OK);
    buf b;
    buf_init(&b, 1u << 20);
    file_sink sink = {.fd = -1, .mem = &b};
    assert_int_equal(batch_errors_xlsx_finish(x, &sink), PORTAL_OK);
    test_rows t;
    xlsx_info info;
    read_back(&b, &t, &info);
    assert_string_equal(t.out.data,
                        "1:participant_number|Nieuw salaris|new_parttime_percentage|Fout\n"
                        "2:2001681|abc|90|Nieuw salaris: geen bedrag\n"
                        "3:2001682|=1+1\n");
    sheet_header_map map;
    assert_int_equal(header_of(&b, SHEET_TEMPLATE_SALARY_CHANGE, &map), PORTAL_OK);
    buf_free(&t.out);
    buf_free(&b);
    /* Discarding leaves nothing behind. */
    assert_int_equal(batch_errors_xlsx_open(head, 3, "en", &x), PORTAL_OK);
    batch_errors_xlsx_discard(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(salary_template_reads_back),
        cmocka_unit_test(new_participants_template_reads_back),
        cmocka_unit_test(csv_templates_read_back),
        cmocka_unit_test(errors_workbook_reads_back_and_maps_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
