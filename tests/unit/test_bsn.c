/* tests/unit/test_bsn.c: the 11-proef, masking and the demo generator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/bsn.h"

static void test_valid_bsns(void **state)
{
    (void)state;
    assert_true(bsn_is_valid("123456782"));
    assert_true(bsn_is_valid("111222333"));
    assert_true(bsn_is_valid("999999990"));
    /* A leading zero is part of a valid 9-digit BSN. */
    assert_true(bsn_is_valid("012345611"));
}

static void test_checksum_failures(void **state)
{
    (void)state;
    assert_false(bsn_is_valid("123456789"));
    assert_false(bsn_is_valid("123456783"));
    assert_false(bsn_is_valid("111222334"));
    /* Swapping two digits breaks the 11-proef. */
    assert_false(bsn_is_valid("213456782"));
}

static void test_shape_failures(void **state)
{
    (void)state;
    assert_false(bsn_is_valid(NULL));
    assert_false(bsn_is_valid(""));
    assert_false(bsn_is_valid("000000000"));
    assert_false(bsn_is_valid("12345678"));   /* 8 digits */
    assert_false(bsn_is_valid("12345678 "));  /* trailing space */
    assert_false(bsn_is_valid(" 123456782")); /* leading space */
    assert_false(bsn_is_valid("1234567820")); /* 10 digits */
    assert_false(bsn_is_valid("12345678a"));
    assert_false(bsn_is_valid("abcdefghi"));
    assert_false(bsn_is_valid("1234-5678"));
    assert_false(bsn_is_valid("+23456782"));
    assert_false(bsn_is_valid("-23456782"));
}

static void test_normalize_pads_eight_digits(void **state)
{
    (void)state;
    char out[BSN_SIZE] = "untouched";
    assert_int_equal(bsn_normalize("12345611", out), PORTAL_OK);
    assert_string_equal(out, "012345611");
    assert_int_equal(bsn_normalize("123456782", out), PORTAL_OK);
    assert_string_equal(out, "123456782");

    strcpy(out, "untouched");
    assert_int_equal(bsn_normalize("12345678", out), PORTAL_ERR_INVALID); /* 012345678 fails */
    assert_int_equal(bsn_normalize("1234567", out), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_normalize("1234567820", out), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_normalize("00000000", out), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_normalize(NULL, out), PORTAL_ERR_INVALID);
    assert_string_equal(out, "untouched");
}

static void test_mask(void **state)
{
    (void)state;
    char out[BSN_MASKED_SIZE];
    assert_int_equal(bsn_mask("123456782", out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, "*****6782");
    assert_int_equal(bsn_mask("111222333", out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, "*****2333");
}

static void test_mask_failures_leave_output_untouched(void **state)
{
    (void)state;
    char out[16] = "untouched";
    assert_int_equal(bsn_mask("12345678", out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_mask("1234567890", out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_mask("12345678x", out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_mask(NULL, out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_int_equal(bsn_mask("123456782", out, BSN_MASKED_SIZE - 1), PORTAL_ERR_TOO_LARGE);
    assert_string_equal(out, "untouched");
}

static void test_from_seed_valid_and_deterministic(void **state)
{
    (void)state;
    char a[BSN_SIZE];
    char b[BSN_SIZE];
    for (uint32_t seed = 0; seed < 20000; seed++) {
        bsn_from_seed(seed, a);
        assert_int_equal(strlen(a), BSN_LEN);
        assert_true(bsn_is_valid(a));
        assert_true(a[0] != '0');
    }
    bsn_from_seed(42, a);
    bsn_from_seed(42, b);
    assert_string_equal(a, b);
    bsn_from_seed(UINT32_MAX, a);
    assert_true(bsn_is_valid(a));
}

static int compare_strings(const void *x, const void *y)
{
    return strcmp((const char *)x, (const char *)y);
}

static void test_from_seed_distinct(void **state)
{
    (void)state;
    /* Demo data needs 100,000 distinct participants. */
    enum { N = 100000 };
    static char all[N][BSN_SIZE];
    for (uint32_t seed = 0; seed < N; seed++) {
        bsn_from_seed(seed, all[seed]);
    }
    qsort(all, N, BSN_SIZE, compare_strings);
    for (size_t i = 1; i < N; i++) {
        assert_true(strcmp(all[i - 1], all[i]) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_bsns),
        cmocka_unit_test(test_checksum_failures),
        cmocka_unit_test(test_shape_failures),
        cmocka_unit_test(test_normalize_pads_eight_digits),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_mask_failures_leave_output_untouched),
        cmocka_unit_test(test_from_seed_valid_and_deterministic),
        cmocka_unit_test(test_from_seed_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
