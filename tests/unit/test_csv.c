/* Unit tests for the CSV writer: RFC 4180 quoting and formula neutralising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "formats/csv.h"

/* Writes one row and compares it with the expected text. */
static void check_row(const char *const *values, const int *text, int n, const char *expected)
{
    buf b;
    buf_init(&b, 4096);
    for (int i = 0; i < n; i++)
        assert_int_equal(csv_append_field(&b, values[i], i == 0, text[i]), PORTAL_OK);
    assert_int_equal(csv_end_row(&b), PORTAL_OK);
    assert_string_equal(b.data, expected);
    buf_free(&b);
}

static void plain_fields_are_not_quoted(void **state)
{
    (void)state;
    const char *v[] = {"2001681", "Assob, G., ter", "52242.28", NULL};
    const int t[] = {1, 1, 0, 1};
    check_row(v, t, 4, "2001681,\"Assob, G., ter\",52242.28,\r\n");
}

static void quotes_and_line_breaks_are_escaped(void **state)
{
    (void)state;
    const char *v[] = {"Jan \"de Bakker\"", "regel 1\nregel 2"};
    const int t[] = {1, 1};
    check_row(v, t, 2, "\"Jan \"\"de Bakker\"\"\",\"regel 1\nregel 2\"\r\n");
}

static void formula_like_text_is_neutralised(void **state)
{
    (void)state;
    const char *v[] = {"=HYPERLINK(\"x\")", "+31", "-1", "@SUM(A1)", "\tx", "\rx", "a=b"};
    const int t[] = {1, 1, 1, 1, 1, 1, 1};
    check_row(v, t, 7,
              "\"'=HYPERLINK(\"\"x\"\")\",\"'+31\",\"'-1\",\"'@SUM(A1)\","
              "\"'\tx\",\"'\rx\",a=b\r\n");
    assert_true(csv_is_formula_like("=1"));
    assert_false(csv_is_formula_like("1=1"));
    assert_false(csv_is_formula_like(NULL));
}

static void numbers_are_written_as_they_are(void **state)
{
    (void)state;
    const char *v[] = {"-12.50", "2024-01-31"};
    const int t[] = {0, 0};
    check_row(v, t, 2, "-12.50,2024-01-31\r\n");
}

static void the_cap_is_respected(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 8);
    assert_int_equal(csv_append_field(&b, "123456789", 1, 1), PORTAL_ERR_TOO_LARGE);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_fields_are_not_quoted),
        cmocka_unit_test(quotes_and_line_breaks_are_escaped),
        cmocka_unit_test(formula_like_text_is_neutralised),
        cmocka_unit_test(numbers_are_written_as_they_are),
        cmocka_unit_test(the_cap_is_respected),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc;
}
