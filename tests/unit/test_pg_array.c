/* Unit tests for reading PostgreSQL array text ({a,b}). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/pg_array.h"

static void splits_plain_and_quoted_elements(void **state)
{
    (void)state;
    char out[4][16];
    assert_int_equal(pg_array_split("{hr,finance,\"user_management\"}", &out[0][0], 16, 4), 3);
    assert_string_equal(out[0], "hr");
    assert_string_equal(out[1], "finance");
    assert_string_equal(out[2], "user_management");
    assert_int_equal(pg_array_split("{}", &out[0][0], 16, 4), 0);
    assert_int_equal(pg_array_split("", &out[0][0], 16, 4), 0);
    assert_int_equal(pg_array_split(NULL, &out[0][0], 16, 4), 0);
}

static void respects_the_caps(void **state)
{
    (void)state;
    char out[2][4];
    /* "toolong" does not fit an item and is skipped; max 2 items. */
    assert_int_equal(pg_array_split("{ab,toolong,cd,ef}", &out[0][0], 4, 2), 2);
    assert_string_equal(out[0], "ab");
    assert_string_equal(out[1], "cd");
}

static void finds_whole_elements_only(void **state)
{
    (void)state;
    assert_true(pg_array_contains("{hr,hr_read}", "hr_read"));
    assert_true(pg_array_contains("{hr,hr_read}", "hr"));
    assert_false(pg_array_contains("{hr_read}", "hr"));
    assert_false(pg_array_contains("{}", "hr"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_plain_and_quoted_elements),
        cmocka_unit_test(respects_the_caps),
        cmocka_unit_test(finds_whole_elements_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
