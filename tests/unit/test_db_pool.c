/* Unit test for the pool figures of store/db (GET /metrics): connections in
 * use, and a borrower that finds none free counts as a wait and, when it
 * gives up, as a time-out. Needs the throwaway PostgreSQL of
 * with_postgres.sh (PORTAL_TEST_DATABASE_URL); skipped without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "store/db.h"

static void test_pool_counts_use_waits_and_timeouts(void **state)
{
    (void)state;
    const char *url = getenv("PORTAL_TEST_DATABASE_URL");
    if (!url || !*url)
        skip();
    assert_int_equal(db_pool_init(url, 1), PORTAL_OK);
    db_pool_stats s;
    db_pool_stats_read(&s);
    assert_int_equal(s.size, 1);
    assert_int_equal(s.in_use, 0);
    assert_true(s.waits == 0 && s.timeouts == 0);

    db_conn *held = db_acquire(1000);
    assert_non_null(held);
    db_pool_stats_read(&s);
    assert_int_equal(s.in_use, 1);
    assert_true(s.waits == 0);

    /* The only connection is out: the next borrower waits, then gives up. */
    assert_null(db_acquire(50));
    db_pool_stats_read(&s);
    assert_int_equal(s.in_use, 1);
    assert_true(s.waits == 1 && s.timeouts == 1);
    assert_true(s.wait_seconds > 0.0);

    db_release(held);
    db_pool_stats_read(&s);
    assert_int_equal(s.in_use, 0);
    db_release(NULL);
    db_pool_stats_read(&s);
    assert_int_equal(s.in_use, 0);

    /* Free again: no wait. */
    held = db_acquire(1000);
    assert_non_null(held);
    db_release(held);
    db_pool_stats_read(&s);
    assert_true(s.waits == 1 && s.timeouts == 1);
    db_pool_shutdown();
    db_pool_stats_read(&s);
    assert_int_equal(s.size, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_counts_use_waits_and_timeouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
