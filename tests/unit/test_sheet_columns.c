/* Unit tests for the batch template columns: headers by key or label in
 * any case and spacing, unknown, missing and duplicate columns, letters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "formats/sheet_columns.h"

/* A header row from strings. */
static sheet_row header(sheet_cell *cells, const char *const *texts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cells[i] = (sheet_cell){texts[i], strlen(texts[i]),
                                texts[i][0] ? SHEET_CELL_TEXT : SHEET_CELL_EMPTY};
    return (sheet_row){1, cells, n};
}

static void templates_have_the_design_columns(void **state)
{
    (void)state;
    size_t n;
    const sheet_column_def *c = sheet_template_columns(SHEET_TEMPLATE_SALARY_CHANGE, &n);
    const char *salary[] = {"participant_number",
                            "display_name",
                            "birth_date",
                            "salary",
                            "parttime_percentage",
                            "new_salary",
                            "new_parttime_percentage"};
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(c[i].key, salary[i]);
        assert_int_equal(c[i].editable, i >= 5);
    }
    const char *np[] = {"participant_number",
                        "first_name",
                        "initials",
                        "surname_prefix",
                        "surname",
                        "birth_date",
                        "gender",
                        "bsn",
                        "email",
                        "street",
                        "house_number",
                        "postal_code",
                        "city",
                        "country",
                        "start_date",
                        "salary",
                        "parttime_percentage"};
    c = sheet_template_columns(SHEET_TEMPLATE_NEW_PARTICIPANTS, &n);
    assert_int_equal(n, 17);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c[i].key, np[i]);
    assert_int_equal(c[0].required, 0); /* the server gives a number */
}

static void headers_match_by_key_or_label(void **state)
{
    (void)state;
    sheet_cell cells[10];
    const char *texts[] = {
        "NIEUW SALARIS", "  participant number ", "New part-time percentage", "Naam", "", "Fout"};
    sheet_row row = header(cells, texts, 6);
    sheet_header_map map;
    assert_int_equal(sheet_columns_map(SHEET_TEMPLATE_SALARY_CHANGE, &row, &map), PORTAL_OK);
    assert_int_equal(map.column_of[0], 1);
    assert_int_equal(map.column_of[1], 3);
    assert_int_equal(map.column_of[2], -1);
    assert_int_equal(map.column_of[5], 0);
    assert_int_equal(map.column_of[6], 2);
    assert_int_equal(sheet_columns_find(SHEET_TEMPLATE_NEW_PARTICIPANTS, "E-mailadres", 11), 8);
    assert_int_equal(sheet_columns_find(SHEET_TEMPLATE_NEW_PARTICIPANTS,
                                        "Postal\xC2\xA0"
                                        "code",
                                        12),
                     11);
    assert_int_equal(sheet_columns_find(SHEET_TEMPLATE_NEW_PARTICIPANTS, "postcodes", 9), -1);
}

static void unknown_missing_and_duplicate_columns_are_reported(void **state)
{
    (void)state;
    sheet_cell cells[10];
    const char *texts[] = {"participant_number", "Salary", "bonus", "salaris", "new_salary"};
    sheet_row row = header(cells, texts, 5);
    sheet_header_map map;
    assert_int_equal(sheet_columns_map(SHEET_TEMPLATE_SALARY_CHANGE, &row, &map),
                     PORTAL_ERR_INVALID);
    assert_int_equal(map.n_unknown, 1);
    assert_int_equal(map.unknown[0], 2);
    assert_int_equal(map.n_duplicate, 1);
    assert_int_equal(map.duplicate[0], 3);
    assert_int_equal(map.n_missing, 1);
    assert_int_equal(map.missing[0], 6); /* new_parttime_percentage */
    assert_int_equal(sheet_columns_map(SHEET_TEMPLATE_SALARY_CHANGE, NULL, &map),
                     PORTAL_ERR_INVALID);
    assert_int_equal(map.n_missing, 3);
}

static void column_letters(void **state)
{
    (void)state;
    char out[8];
    const size_t idx[] = {0, 25, 26, 51, 52, 701, 702, 16383};
    const char *want[] = {"A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"};
    for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
        assert_int_equal(sheet_column_letter(idx[i], out, sizeof out), PORTAL_OK);
        assert_string_equal(out, want[i]);
    }
    assert_int_equal(sheet_column_letter(26, out, 2), PORTAL_ERR_TOO_LARGE);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(templates_have_the_design_columns),
        cmocka_unit_test(headers_match_by_key_or_label),
        cmocka_unit_test(unknown_missing_and_duplicate_columns_are_reported),
        cmocka_unit_test(column_letters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
