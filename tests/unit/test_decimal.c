/* tests/unit/test_decimal.c: strict money and percentage strings, canonical
 * output and exact arithmetic with half-away-from-zero rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/decimal.h"

static int64_t parse_ok(const char *text, const decimal_spec *spec)
{
    int64_t value = -12345;
    if (decimal_parse(text, spec, &value) != PORTAL_OK) {
        fail_msg("rejected \"%s\"", text);
    }
    return value;
}

static void assert_rejected(const char *text, const decimal_spec *spec)
{
    int64_t value = 777;
    if (decimal_parse(text, spec, &value) != PORTAL_ERR_INVALID) {
        fail_msg("accepted \"%s\"", text);
    }
    assert_int_equal(value, 777); /* untouched */
}

static void test_parse_money(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("52242.28", &decimal_spec_salary), 5224228);
    assert_int_equal(parse_ok("0", &decimal_spec_salary), 0);
    assert_int_equal(parse_ok("0.00", &decimal_spec_salary), 0);
    assert_int_equal(parse_ok("0.5", &decimal_spec_salary), 50);
    assert_int_equal(parse_ok("1.5", &decimal_spec_salary), 150);
    assert_int_equal(parse_ok("100", &decimal_spec_salary), 10000);
    assert_int_equal(parse_ok("999999999999.99", &decimal_spec_salary), INT64_C(99999999999999));
    assert_int_equal(parse_ok("-1.50", &decimal_spec_money), -150);
    assert_int_equal(parse_ok("-0.01", &decimal_spec_money), -1);
    assert_int_equal(parse_ok("-999999999999.99", &decimal_spec_money), -INT64_C(99999999999999));
}

static void test_parse_percentage(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("100.000", &decimal_spec_percentage), 100000);
    assert_int_equal(parse_ok("100", &decimal_spec_percentage), 100000);
    assert_int_equal(parse_ok("0.001", &decimal_spec_percentage), 1);
    assert_int_equal(parse_ok("62.5", &decimal_spec_percentage), 62500);
    assert_int_equal(parse_ok("999.999", &decimal_spec_percentage), 999999);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad_money[] = {
        "",
        "1e5",
        "1E5",
        "+1",
        " 1",
        "1 ",
        "1.",
        ".5",
        "01",
        "00",
        "00.5",
        "-0",
        "-0.00",
        "-0.0",
        "--1",
        "-",
        "100.123",
        "1.500",
        "1,50",
        "1.2.3",
        "0x10",
        "١",
        "NaN",
        "inf",
        "1000000000000",
        "1000000000000.00",
        "9999999999999",
        "12 345",
        "1_000",
        "\t1",
    };
    for (size_t i = 0; i < sizeof(bad_money) / sizeof(bad_money[0]); i++) {
        assert_rejected(bad_money[i], &decimal_spec_money);
    }
    /* Salaries are never negative. */
    assert_rejected("-1.00", &decimal_spec_salary);
    assert_rejected("-0.01", &decimal_spec_salary);
    /* Percentages: three decimals at most, three integer digits at most. */
    assert_rejected("100.0001", &decimal_spec_percentage);
    assert_rejected("1000", &decimal_spec_percentage);
    assert_rejected("-5", &decimal_spec_percentage);

    int64_t value = 5;
    assert_int_equal(decimal_parse(NULL, &decimal_spec_money, &value), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_parse("1", NULL, &value), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_parse("1", &decimal_spec_money, NULL), PORTAL_ERR_INVALID);
    const decimal_spec too_wide = {9, 10, false}; /* 19 digits could overflow */
    assert_int_equal(decimal_parse("1", &too_wide, &value), PORTAL_ERR_INVALID);
    assert_int_equal(value, 5);
}

static void test_parse_long_input_is_bounded(void **state)
{
    (void)state;
    char long_text[4096];
    memset(long_text, '1', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    assert_rejected(long_text, &decimal_spec_money);
}

static void test_parse_n(void **state)
{
    (void)state;
    int64_t value = 0;
    const char cell[] = "12.34;5";
    assert_int_equal(decimal_parse_n(cell, 5, &decimal_spec_salary, &value), PORTAL_OK);
    assert_int_equal(value, 1234);
    assert_int_equal(decimal_parse_n(cell, 7, &decimal_spec_salary, &value), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_parse_n("1\0"
                                     "2",
                                     3, &decimal_spec_salary, &value),
                     PORTAL_ERR_INVALID);
    assert_int_equal(decimal_parse_n(cell, 0, &decimal_spec_salary, &value), PORTAL_ERR_INVALID);
    assert_int_equal(value, 1234);
}

static void assert_formats(int64_t value, int scale, const char *expected)
{
    char out[DECIMAL_TEXT_SIZE];
    assert_int_equal(decimal_format(value, scale, out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, expected);
}

static void test_format(void **state)
{
    (void)state;
    assert_formats(5224228, 2, "52242.28");
    assert_formats(0, 2, "0.00");
    assert_formats(5, 2, "0.05");
    assert_formats(-150, 2, "-1.50");
    assert_formats(-1, 2, "-0.01");
    assert_formats(100000, 3, "100.000");
    assert_formats(1, 3, "0.001");
    assert_formats(42, 0, "42");
    assert_formats(INT64_MAX, 2, "92233720368547758.07");
    assert_formats(INT64_MIN, 2, "-92233720368547758.08");
    assert_formats(INT64_MIN, 0, "-9223372036854775808");

    char out[8] = "keep";
    assert_int_equal(decimal_format(5224228, 2, out, sizeof(out)), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_format(1, -1, out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_format(1, 10, out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_string_equal(out, "keep");
    /* Exactly big enough: "1234.56" plus NUL. */
    assert_int_equal(decimal_format(123456, 2, out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, "1234.56");
}

static void test_round_trip(void **state)
{
    (void)state;
    static const char *const canonical[] = {"0.00",  "0.01", "52242.28", "999999999999.99",
                                            "-3.10", "1.00"};
    for (size_t i = 0; i < sizeof(canonical) / sizeof(canonical[0]); i++) {
        int64_t value = parse_ok(canonical[i], &decimal_spec_money);
        char out[DECIMAL_TEXT_SIZE];
        assert_int_equal(decimal_format(value, 2, out, sizeof(out)), PORTAL_OK);
        assert_string_equal(out, canonical[i]);
    }
}

static void test_fits(void **state)
{
    (void)state;
    assert_true(decimal_fits(INT64_C(99999999999999), &decimal_spec_salary));
    assert_false(decimal_fits(INT64_C(100000000000000), &decimal_spec_salary));
    assert_false(decimal_fits(-1, &decimal_spec_salary));
    assert_true(decimal_fits(-INT64_C(99999999999999), &decimal_spec_money));
    assert_false(decimal_fits(INT64_MIN, &decimal_spec_money));
    assert_false(decimal_fits(0, NULL));
}

static void test_add_sub(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_int_equal(decimal_add(5224228, 99, &out), PORTAL_OK);
    assert_int_equal(out, 5224327);
    assert_int_equal(decimal_sub(100, 250, &out), PORTAL_OK);
    assert_int_equal(out, -150);
    assert_int_equal(decimal_add(INT64_MAX - 1, 1, &out), PORTAL_OK);
    assert_int_equal(out, INT64_MAX);

    out = 7;
    assert_int_equal(decimal_add(INT64_MAX, 1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_add(INT64_MIN, -1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_sub(INT64_MIN, 1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_sub(0, INT64_MIN, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_sub(INT64_MAX, -1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(out, 7);
    assert_int_equal(decimal_sub(-1, INT64_MIN, &out), PORTAL_OK);
    assert_int_equal(out, INT64_MAX);
}

static int64_t percentage_of(int64_t amount, int64_t percentage)
{
    int64_t out = 0;
    assert_int_equal(decimal_mul_percentage(amount, percentage, &out), PORTAL_OK);
    return out;
}

static void test_mul_percentage_rounds_half_away_from_zero(void **state)
{
    (void)state;
    /* 52242.28 * 12.500% = 6530.285 -> 6530.29 */
    assert_int_equal(percentage_of(5224228, 12500), 653029);
    /* 100.00 * 100.000% = 100.00 */
    assert_int_equal(percentage_of(10000, 100000), 10000);
    /* 0.01 * 50% = 0.005 -> 0.01; 0.01 * 49.999% = 0.0049999 -> 0.00 */
    assert_int_equal(percentage_of(1, 50000), 1);
    assert_int_equal(percentage_of(1, 49999), 0);
    /* Negative amounts round symmetrically: -0.005 -> -0.01. */
    assert_int_equal(percentage_of(-1, 50000), -1);
    assert_int_equal(percentage_of(-1, 49999), 0);
    /* 1234.56 * 62.5% = 771.60 exactly */
    assert_int_equal(percentage_of(123456, 62500), 77160);
    /* 52242.28 * 0.001% = 0.5224228 -> 0.52 */
    assert_int_equal(percentage_of(5224228, 1), 52);
    assert_int_equal(percentage_of(0, 100000), 0);
    /* The largest numeric(14,2) amount at 999.999% does not overflow int64. */
    assert_int_equal(percentage_of(INT64_C(99999999999999), 999999),
                     INT64_C(999998999999990)); /* 999999999999.99 * 9.99999 */
}

static void test_mul_div(void **state)
{
    (void)state;
    int64_t out = 0;
    /* Pro rata: 1200.00 * 31 / 365 = 101.9178... -> 101.92 */
    assert_int_equal(decimal_mul_div(120000, 31, 365, &out), PORTAL_OK);
    assert_int_equal(out, 10192);
    /* An intermediate beyond int64 is fine when the result fits. */
    assert_int_equal(decimal_mul_div(INT64_MAX, INT64_MAX, INT64_MAX, &out), PORTAL_OK);
    assert_int_equal(out, INT64_MAX);
    assert_int_equal(decimal_mul_div(INT64_MIN, 3, 3, &out), PORTAL_OK);
    assert_int_equal(out, INT64_MIN);
    assert_int_equal(decimal_mul_div(INT64_MIN, -1, 2, &out), PORTAL_OK);
    assert_int_equal(out, INT64_C(4611686018427387904));
    /* 7 / 2 = 3.5 -> 4; -7 / 2 -> -4; 5 / 3 = 1.67 -> 2; 4 / 3 -> 1 */
    assert_int_equal(decimal_mul_div(7, 1, 2, &out), PORTAL_OK);
    assert_int_equal(out, 4);
    assert_int_equal(decimal_mul_div(-7, 1, 2, &out), PORTAL_OK);
    assert_int_equal(out, -4);
    assert_int_equal(decimal_mul_div(5, 1, 3, &out), PORTAL_OK);
    assert_int_equal(out, 2);
    assert_int_equal(decimal_mul_div(4, 1, 3, &out), PORTAL_OK);
    assert_int_equal(out, 1);
    /* Rounding with a huge divisor: (2^62) / (2^63 - 1) = 0.5000... -> 1 */
    assert_int_equal(decimal_mul_div(INT64_C(4611686018427387904), 1, INT64_MAX, &out), PORTAL_OK);
    assert_int_equal(out, 1);

    out = 9;
    assert_int_equal(decimal_mul_div(INT64_MAX, 2, 1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_mul_div(INT64_MIN, -1, 1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_mul_div(INT64_MAX, INT64_MAX, 1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_mul_div(1, 1, 0, &out), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_mul_div(1, 1, -5, &out), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_mul_percentage(INT64_MAX, 200000, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(out, 9);
}

static void test_rescale(void **state)
{
    (void)state;
    int64_t out = 0;
    /* A premium rate 12.3456 (scale 4) to money scale 2: 12.35 */
    assert_int_equal(decimal_rescale(123456, 4, 2, &out), PORTAL_OK);
    assert_int_equal(out, 1235);
    assert_int_equal(decimal_rescale(-123450, 4, 2, &out), PORTAL_OK);
    assert_int_equal(out, -1235);
    assert_int_equal(decimal_rescale(1235, 2, 3, &out), PORTAL_OK);
    assert_int_equal(out, 12350);
    assert_int_equal(decimal_rescale(1235, 2, 2, &out), PORTAL_OK);
    assert_int_equal(out, 1235);
    out = 3;
    assert_int_equal(decimal_rescale(INT64_MAX, 0, 1, &out), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(decimal_rescale(1, 0, 10, &out), PORTAL_ERR_INVALID);
    assert_int_equal(decimal_rescale(1, -1, 0, &out), PORTAL_ERR_INVALID);
    assert_int_equal(out, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_money),
        cmocka_unit_test(test_parse_percentage),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_long_input_is_bounded),
        cmocka_unit_test(test_parse_n),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_fits),
        cmocka_unit_test(test_add_sub),
        cmocka_unit_test(test_mul_percentage_rounds_half_away_from_zero),
        cmocka_unit_test(test_mul_div),
        cmocka_unit_test(test_rescale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
