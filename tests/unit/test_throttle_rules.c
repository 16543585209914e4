/* Unit tests for the login throttle arithmetic (DESIGN.md §4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/throttle_rules.h"

static void five_failures_are_free_then_waits_double(void **state)
{
    (void)state;
    for (int f = 0; f < 5; f++)
        assert_int_equal(throttle_user_wait(f), 0);
    assert_int_equal(throttle_user_wait(5), 1);
    assert_int_equal(throttle_user_wait(6), 2);
    assert_int_equal(throttle_user_wait(7), 4);
    assert_int_equal(throttle_user_wait(14), 512);
    assert_int_equal(throttle_user_wait(15), 900);
    assert_int_equal(throttle_user_wait(1000), 900);
}

#define S 1000LL /* times are in milliseconds */

static void user_retry_after_counts_from_the_last_failure(void **state)
{
    (void)state;
    long long t = 1700000000 * S;
    assert_int_equal(throttle_user_retry_after(4, t, t), 0);
    assert_int_equal(throttle_user_retry_after(5, t, t), 1);
    assert_int_equal(throttle_user_retry_after(5, t, t + 999), 1); /* rounded up */
    assert_int_equal(throttle_user_retry_after(5, t, t + 1 * S), 0);
    assert_int_equal(throttle_user_retry_after(8, t, t + 3 * S), 5);
    assert_int_equal(throttle_user_retry_after(40, t, t + 100 * S), 800);
}

static void twelve_quiet_hours_forget_failures(void **state)
{
    (void)state;
    long long t = 1700000000 * S;
    assert_int_equal(throttle_user_retry_after(40, t, t + 43199 * S), 0); /* wait long over */
    assert_int_equal(throttle_user_retry_after(40, t, t + 43200 * S), 0);
}

static void address_blocks_after_a_hundred_in_the_window(void **state)
{
    (void)state;
    long long t = 1700000000 * S;
    assert_int_equal(throttle_addr_retry_after(99, t, t + 10 * S), 0);
    assert_int_equal(throttle_addr_retry_after(100, t, t + 10 * S), 890);
    assert_int_equal(throttle_addr_retry_after(500, t, t + 899 * S), 1);
    assert_int_equal(throttle_addr_retry_after(500, t, t + 900 * S), 0);
}

static void a_known_client_waits_at_most_one_second_for_others(void **state)
{
    (void)state;
    long long t = 1700000000 * S;
    /* A thousand failures elsewhere hold a known client back one second. */
    assert_int_equal(throttle_known_retry_after(0, 0, 1000, t, t), 1);
    assert_int_equal(throttle_known_retry_after(0, 0, 1000, t, t + 1 * S), 0);
    assert_int_equal(throttle_known_retry_after(0, 0, 4, t, t), 0);
    /* Its own failures follow the username rule, five of them free. */
    assert_int_equal(throttle_known_retry_after(4, t, 1000, t - 10 * S, t), 0);
    assert_int_equal(throttle_known_retry_after(7, t, 0, 0, t), 4);
    assert_int_equal(throttle_known_retry_after(6, t, 1000, t, t), 2);
    /* Quiet hours forget each part apart. */
    assert_int_equal(throttle_known_retry_after(7, t, 1000, t, t + 43200 * S), 0);
    assert_int_equal(throttle_known_retry_after(0, 0, 1000, t - 43200 * S, t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(five_failures_are_free_then_waits_double),
        cmocka_unit_test(a_known_client_waits_at_most_one_second_for_others),
        cmocka_unit_test(user_retry_after_counts_from_the_last_failure),
        cmocka_unit_test(twelve_quiet_hours_forget_failures),
        cmocka_unit_test(address_blocks_after_a_hundred_in_the_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
