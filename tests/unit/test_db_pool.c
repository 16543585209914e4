/* Unit test for the pool figures of store/db (GET /metrics): connections in
 * use, and a borrower that finds none free counts as a wait and, when it
 * gives up, as a time-out; and the round trips a borrower made (the request
 * log line). Needs the throwaway PostgreSQL of with_postgres.sh
 * (PORTAL_TEST_DATABASE_URL); skipped without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

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

/* ---- waiting in turn ---- */

static pthread_mutex_t order_lock = PTHREAD_MUTEX_INITIALIZER;
static char order[4];
static int order_n;

/* A borrower: waits for the connection, notes its name, gives it back. */
static void *borrow_in_turn(void *arg)
{
    const char *name = arg;
    db_conn *c = db_acquire(10000);
    pthread_mutex_lock(&order_lock);
    if (order_n < 3)
        order[order_n++] = c ? name[0] : '-';
    pthread_mutex_unlock(&order_lock);
    db_release(c);
    return NULL;
}

/* Polls the pool's figures until n borrowers are queued (no time limit is
 * asserted: ctest's own time-out ends a hang). */
static void wait_for_queue(int n)
{
    db_pool_stats s;
    for (;;) {
        db_pool_stats_read(&s);
        if (s.waiting == n)
            return;
        struct timespec ms = {0, 1000000L};
        nanosleep(&ms, NULL);
    }
}

/* Borrowers get a released connection in the order they started waiting,
 * and one arriving after them never takes it first: released with two
 * waiting, the connection goes straight to the first, so a newcomer that
 * will not wait finds none free. */
static void test_pool_hands_connections_over_in_turn(void **state)
{
    (void)state;
    const char *url = getenv("PORTAL_TEST_DATABASE_URL");
    if (!url || !*url)
        skip();
    assert_int_equal(db_pool_init(url, 1), PORTAL_OK);
    db_conn *held = db_acquire(1000);
    assert_non_null(held);

    pthread_t first, second;
    assert_int_equal(pthread_create(&first, NULL, borrow_in_turn, "A"), 0);
    wait_for_queue(1);
    assert_int_equal(pthread_create(&second, NULL, borrow_in_turn, "B"), 0);
    wait_for_queue(2);

    pthread_mutex_lock(&order_lock); /* the first cannot note (or release) yet */
    db_release(held);
    assert_null(db_acquire(0)); /* handed over, not free for a newcomer */
    pthread_mutex_unlock(&order_lock);

    pthread_join(first, NULL);
    pthread_join(second, NULL);
    assert_int_equal(order_n, 2);
    assert_memory_equal(order, "AB", 2);
    db_pool_stats s;
    db_pool_stats_read(&s);
    assert_int_equal(s.waiting, 0);
    assert_int_equal(s.in_use, 0);
    db_pool_shutdown();
}

/* A statement is one round trip, its preparation on first use one more; a
 * guard, the generic-plan settings and the statement in one pipeline are
 * one; the count starts again when the connection is taken again. */
static void test_round_trips_are_counted_per_borrower(void **state)
{
    (void)state;
    const char *url = getenv("PORTAL_TEST_DATABASE_URL");
    if (!url || !*url)
        skip();
    static const char select_one[] = "SELECT 1";
    static const char guard[] = "SELECT $1::int = 1";
    assert_int_equal(db_pool_init(url, 1), PORTAL_OK);
    db_conn *c = db_acquire(1000);
    assert_non_null(c);
    assert_int_equal(db_round_trips(c), 0);
    PQclear(db_query(c, select_one, 0, NULL));
    assert_int_equal(db_round_trips(c), 2); /* prepared, then run */
    PQclear(db_query(c, select_one, 0, NULL));
    assert_int_equal(db_round_trips(c), 3);
    const char *one[] = {"1"};
    assert_int_equal(db_guard_arm(c, guard, 1, one), PORTAL_OK);
    PGresult *res = db_query_generic(c, select_one, 0, NULL);
    assert_non_null(res);
    PQclear(res);
    /* The guard and the settings prepared on first use, then one pipeline. */
    assert_int_equal(db_round_trips(c), 6);
    assert_int_equal(db_guard_arm(c, guard, 1, one), PORTAL_OK);
    res = db_query_generic(c, select_one, 0, NULL);
    assert_non_null(res);
    PQclear(res);
    assert_int_equal(db_round_trips(c), 7);
    db_release(c);
    c = db_acquire(1000);
    assert_int_equal(db_round_trips(c), 0);
    assert_int_equal(db_begin(c), PORTAL_OK);
    db_rollback(c);
    assert_int_equal(db_round_trips(c), 2);
    db_release(c);
    assert_int_equal(db_round_trips(NULL), 0);
    db_pool_shutdown();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_counts_use_waits_and_timeouts),
        cmocka_unit_test(test_pool_hands_connections_over_in_turn),
        cmocka_unit_test(test_round_trips_are_counted_per_borrower),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
