/* Unit tests for the streaming CSV reader: separators, BOM, RFC 4180
 * quoting across chunk boundaries, refusals with their reasons, caps, and
 * the decimal-comma and date helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "formats/csv_reader.h"
#include "formats_test_util.h"

/* Reads text whole, then again one byte at a time; both must give the
 * same rows and result. Returns the result; rows in *out (caller frees). */
static portal_result read_csv(const char *text, const csv_limits *lim, char **out,
                              csv_reason *reason, unsigned long *row)
{
    size_t len = strlen(text);
    test_rows whole;
    test_rows_init(&whole);
    portal_result rc = csv_read_buffer(text, len, lim, test_rows_fn, &whole, reason, row);
    test_rows bytes;
    test_rows_init(&bytes);
    csv_reader *r = NULL;
    assert_int_equal(csv_reader_new(lim, test_rows_fn, &bytes, &r), PORTAL_OK);
    portal_result rc2 = PORTAL_OK;
    for (size_t i = 0; i < len && rc2 == PORTAL_OK; i++)
        rc2 = csv_reader_feed(r, text + i, 1);
    if (rc2 == PORTAL_OK)
        rc2 = csv_reader_finish(r);
    assert_int_equal(rc, rc2);
    assert_int_equal(csv_reader_reason(r), *reason);
    assert_string_equal(whole.out.data ? whole.out.data : "", bytes.out.data ? bytes.out.data : "");
    csv_reader_free(r);
    buf_free(&bytes.out);
    *out = buf_detach(&whole.out);
    return rc;
}

/* Expects text to read fine into `expected`. */
static void expect_rows(const char *text, const char *expected)
{
    char *out = NULL;
    csv_reason reason;
    unsigned long row;
    assert_int_equal(read_csv(text, NULL, &out, &reason, &row), PORTAL_OK);
    assert_int_equal(reason, CSV_REASON_NONE);
    assert_string_equal(out, expected);
    free(out);
}

/* Expects text to be refused with reason at row. */
static void expect_refused(const char *text, const csv_limits *lim, csv_reason want,
                           unsigned long want_row)
{
    char *out = NULL;
    csv_reason reason;
    unsigned long row;
    assert_int_not_equal(read_csv(text, lim, &out, &reason, &row), PORTAL_OK);
    assert_string_equal(csv_reason_name(reason), csv_reason_name(want));
    assert_int_equal(row, want_row);
    free(out);
}

static void comma_and_semicolon_files(void **state)
{
    (void)state;
    expect_rows("a,b,c\r\n1,2,3\r\n", "1:a|b|c\n2:1|2|3\n");
    expect_rows("participant_number;salary\n2001681;52242,28\n",
                "1:participant_number|salary\n2:2001681|52242,28\n");
    /* The header line decides: ';' wins here although a later row has commas. */
    expect_rows("a;b\n\"x,y\";1,5\n", "1:a|b\n2:x,y|1,5\n");
    /* A single column, no separator at all; no line end at the end. */
    expect_rows("a\n1", "1:a\n2:1\n");
    csv_reader *r = NULL;
    test_rows t;
    test_rows_init(&t);
    assert_int_equal(csv_reader_new(NULL, test_rows_fn, &t, &r), PORTAL_OK);
    assert_int_equal(csv_reader_separator(r), 0);
    assert_int_equal(csv_reader_feed(r, "a;b", 3), PORTAL_OK);
    assert_int_equal(csv_reader_separator(r), 0);
    assert_int_equal(csv_reader_feed(r, "\n1;2\n", 5), PORTAL_OK);
    assert_int_equal(csv_reader_separator(r), ';');
    assert_int_equal(csv_reader_finish(r), PORTAL_OK);
    assert_int_equal(csv_reader_row(r), 2);
    csv_reader_free(r);
    buf_free(&t.out);
}

static void byte_order_mark_is_skipped(void **state)
{
    (void)state;
    expect_rows("\xEF\xBB\xBFparticipant_number;salary\r\n1;2\r\n",
                "1:participant_number|salary\n2:1|2\n");
}

static void quoted_fields_hold_separators_quotes_and_line_breaks(void **state)
{
    (void)state;
    expect_rows("name,note\r\n\"Assob, G., ter\",\"zei \"\"hallo\"\"\"\r\n"
                "\"regel 1\r\nregel 2\",x\r\n\"\",\"\"\"\"\r\nlast,row\r\n",
                "1:name|note\n2:Assob, G., ter|zei \"hallo\"\n3:regel 1\r\nregel 2|x\n"
                "4:|\"\n5:last|row\n");
    /* A quote inside an unquoted field is a character. */
    expect_rows("a,b\n5\" scherm,x\n", "1:a|b\n2:5\" scherm|x\n");
}

static void line_ends_and_empty_rows(void **state)
{
    (void)state;
    /* LF, CRLF and lone CR; empty lines and all-empty rows are counted but
     * not reported. */
    expect_rows("a,b\r1,2\n\n,\r\n3,4\r\n\r\n", "1:a|b\n2:1|2\n5:3|4\n");
}

static void formula_like_cells_stay_text(void **state)
{
    (void)state;
    expect_rows("a;b;c\n=SUM(A1:A3);+31 6 1234;@cmd\n-1;\"=HYPERLINK(\"\"x\"\")\";'=1\n",
                "1:a|b|c\n2:=SUM(A1:A3)|+31 6 1234|@cmd\n3:-1|=HYPERLINK(\"x\")|'=1\n");
}

static void windows_1252_is_refused(void **state)
{
    (void)state;
    /* "café" and "€" saved by Excel as "CSV (comma delimited)". */
    expect_refused("naam;bedrag\nJansen;10\nCaf\xE9;\x80 5\n", NULL, CSV_REASON_NOT_UTF8, 3);
    /* Also in the header line, and an overlong or cut sequence. */
    expect_refused("na\xEBm;b\n", NULL, CSV_REASON_NOT_UTF8, 1);
    expect_refused("a\n\xC0\xAF\n", NULL, CSV_REASON_NOT_UTF8, 2);
    expect_refused("a\n\xE2\x82", NULL, CSV_REASON_NOT_UTF8, 2);
    const char *code = NULL;
    assert_int_equal(csv_reason_problem(CSV_REASON_NOT_UTF8, &code), 422);
    assert_string_equal(code, "file_unreadable");
    assert_non_null(strstr(csv_reason_detail(CSV_REASON_NOT_UTF8, "nl"), "CSV UTF-8"));
    assert_int_equal(csv_reason_problem(CSV_REASON_CALLBACK, &code), 0);
    /* The same text in UTF-8 reads. */
    expect_rows("naam;bedrag\nCaf\xC3\xA9;\xE2\x82\xAC 5\n",
                "1:naam|bedrag\n2:Caf\xC3\xA9|\xE2\x82\xAC 5\n");
}

static void binary_and_malformed_input_is_refused(void **state)
{
    (void)state;
    char nul[] = "a,b\n1,2\nx\0y,3\n";
    char *out = NULL;
    csv_reason reason;
    unsigned long row;
    test_rows t;
    test_rows_init(&t);
    assert_int_equal(csv_read_buffer(nul, sizeof nul - 1, NULL, test_rows_fn, &t, &reason, &row),
                     PORTAL_ERR_INVALID);
    assert_int_equal(reason, CSV_REASON_BINARY);
    assert_int_equal(row, 3);
    buf_free(&t.out);
    free(out);
    expect_refused("a,b\n\"ab\"c,d\n", NULL, CSV_REASON_MALFORMED, 2);
    expect_refused("a,b\n\"open,d\n", NULL, CSV_REASON_MALFORMED, 2);
}

static void caps_are_kept(void **state)
{
    (void)state;
    csv_limits lim = {.max_field_bytes = 5, .max_columns = 3, .max_rows = 2};
    expect_refused("a,b\n123456,x\n", &lim, CSV_REASON_FIELD_TOO_LONG, 2);
    expect_refused("a,b\n\"12345\"\"\",x\n", &lim, CSV_REASON_FIELD_TOO_LONG, 2);
    expect_refused("a,b\n1,2,3,4\n", &lim, CSV_REASON_TOO_MANY_COLUMNS, 2);
    expect_refused("a,b,c,d\n", &lim, CSV_REASON_TOO_MANY_COLUMNS, 1);
    expect_refused("a\n1\n2\n", &lim, CSV_REASON_TOO_MANY_ROWS, 3);
    /* A header line that never ends is capped too. */
    buf big;
    buf_init(&big, 1u << 20);
    for (int i = 0; i < 10000; i++)
        buf_append_str(&big, "xxxxx");
    expect_refused(big.data, &lim, CSV_REASON_FIELD_TOO_LONG, 1);
    buf_free(&big);
    expect_rows("12345,x\n", "1:12345|x\n");
}

static void the_callback_can_stop_the_reader(void **state)
{
    (void)state;
    test_rows t;
    test_rows_init(&t);
    t.stop_at = 2;
    csv_reason reason;
    unsigned long row;
    assert_int_equal(csv_read_buffer("a\n1\n2\n", 6, NULL, test_rows_fn, &t, &reason, &row),
                     PORTAL_ERR_CONFLICT);
    assert_int_equal(reason, CSV_REASON_CALLBACK);
    assert_int_equal(row, 2);
    buf_free(&t.out);
}

static void decimal_comma_becomes_a_point(void **state)
{
    (void)state;
    char out[32];
    const char *ok[][2] = {{"52242,28", "52242.28"},     {"52.242,28", "52242.28"},
                           {"1.234.567,5", "1234567.5"}, {"-0,5", "-0.5"},
                           {"52242.28", "52242.28"},     {"100", "100"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(csv_decimal_comma_to_point(ok[i][0], strlen(ok[i][0]), out, sizeof out),
                         PORTAL_OK);
        assert_string_equal(out, ok[i][1]);
    }
    const char *bad[] = {"1,2,3", "52.24,28", ".242,28", "1.2345,6", "12.34.567,1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(csv_decimal_comma_to_point(bad[i], strlen(bad[i]), out, sizeof out),
                         PORTAL_ERR_INVALID);
        assert_string_equal(out, "");
    }
    assert_int_equal(csv_decimal_comma_to_point("52242,28", 8, out, 8), PORTAL_ERR_TOO_LARGE);
}

static void dates_in_both_orders(void **state)
{
    (void)state;
    civil_date d;
    const char *ok[] = {"2024-02-29", "29-02-2024", "29/02/2024", "1-3-2024", " 01-03-2024 "};
    const civil_date want[] = {
        {2024, 2, 29}, {2024, 2, 29}, {2024, 2, 29}, {2024, 3, 1}, {2024, 3, 1}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(csv_parse_date(ok[i], strlen(ok[i]), &d), PORTAL_OK);
        assert_int_equal(civil_date_compare(d, want[i]), 0);
    }
    const char *bad[] = {"2023-02-29", "29-02-2023",  "2024-2-29", "29-02-24",   "29.02.2024",
                         "29-02/2024", "2024-02-29x", "",          "31-04-2024", "1899-12-31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(csv_parse_date(bad[i], strlen(bad[i]), &d), PORTAL_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(comma_and_semicolon_files),
        cmocka_unit_test(byte_order_mark_is_skipped),
        cmocka_unit_test(quoted_fields_hold_separators_quotes_and_line_breaks),
        cmocka_unit_test(line_ends_and_empty_rows),
        cmocka_unit_test(formula_like_cells_stay_text),
        cmocka_unit_test(windows_1252_is_refused),
        cmocka_unit_test(binary_and_malformed_input_is_refused),
        cmocka_unit_test(caps_are_kept),
        cmocka_unit_test(the_callback_can_stop_the_reader),
        cmocka_unit_test(decimal_comma_becomes_a_point),
        cmocka_unit_test(dates_in_both_orders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
