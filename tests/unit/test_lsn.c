/* tests/unit/test_lsn.c: write-ahead log positions, read, written and
 * compared as numbers (the low half is not a decimal, nor compared as text). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/lsn.h"

static void test_parse(void **state)
{
    (void)state;
    uint64_t v = 1;
    assert_true(lsn_parse("0/0", &v));
    assert_int_equal(v, 0);
    assert_true(lsn_parse("16/B374D848", &v));
    assert_true(v == ((uint64_t)0x16 << 32 | 0xB374D848u));
    assert_true(lsn_parse("ffffffff/ffffffff", &v));
    assert_true(v == UINT64_MAX);
}

static void test_parse_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {"",      "/",     "0/",          "/0",          "0//0",
                                      "0/0/0", "1",     "G/0",         "0/1 ",        " 0/1",
                                      "-1/0",  "0x1/0", "123456789/0", "0/123456789", "1/2;drop"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t v = 7;
        assert_false(lsn_parse(bad[i], &v));
        assert_int_equal(v, 0);
    }
    uint64_t v = 7;
    assert_false(lsn_parse(NULL, &v));
    assert_int_equal(v, 0);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    char text[LSN_TEXT_SIZE];
    lsn_format(0, text);
    assert_string_equal(text, "0/0");
    lsn_format((uint64_t)0x16 << 32 | 0xB374D848u, text);
    assert_string_equal(text, "16/B374D848");
    lsn_format(UINT64_MAX, text);
    assert_string_equal(text, "FFFFFFFF/FFFFFFFF");
    uint64_t v = 0;
    assert_true(lsn_parse(text, &v));
    assert_true(v == UINT64_MAX);
}

/* Positions that sort one way as text and the other way in the log. */
static void test_compare(void **state)
{
    (void)state;
    uint64_t a = 0, b = 0, c = 0;
    assert_true(lsn_parse("0/9FFFFFF", &a));
    assert_true(lsn_parse("0/10000000", &b));
    assert_true(lsn_parse("1/0", &c));
    assert_int_equal(lsn_compare(a, b), -1);
    assert_int_equal(lsn_compare(b, a), 1);
    assert_int_equal(lsn_compare(b, c), -1);
    assert_int_equal(lsn_compare(c, b), 1);
    assert_int_equal(lsn_compare(c, c), 0);
    uint64_t d = 0;
    assert_true(lsn_parse("A/1", &d)); /* A is ten, past 9 */
    uint64_t e = 0;
    assert_true(lsn_parse("9/FFFFFFFF", &e));
    assert_int_equal(lsn_compare(e, d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
