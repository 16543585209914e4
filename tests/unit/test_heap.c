/* tests/unit/test_heap.c: the release of freed memory comes at most once
 * every HEAP_RELEASE_INTERVAL seconds, to exactly one of the threads asking
 * at the same moment. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/heap.h"

static void test_due_once_per_interval(void **state)
{
    (void)state;
    time_t t = 1000000;
    assert_true(heap_release_due(t));
    assert_false(heap_release_due(t));
    assert_false(heap_release_due(t + HEAP_RELEASE_INTERVAL - 1));
    assert_true(heap_release_due(t + HEAP_RELEASE_INTERVAL));
    assert_false(heap_release_due(t + HEAP_RELEASE_INTERVAL));
    /* A clock that went back does not bring the next release forward. */
    assert_false(heap_release_due(t));
    /* The release itself: due, then not within the interval. */
    time_t later = t + 10 * HEAP_RELEASE_INTERVAL;
    assert_int_equal(heap_release_if_due(later), 1);
    assert_int_equal(heap_release_if_due(later + 1), 0);
}

#define CALLERS 8
static time_t race_now;
static int race_got[CALLERS];

static void *race_call(void *arg)
{
    race_got[(intptr_t)arg] = heap_release_due(race_now);
    return NULL;
}

static void test_one_of_many_threads_claims_it(void **state)
{
    (void)state;
    race_now = 2000000;
    pthread_t threads[CALLERS];
    for (intptr_t i = 0; i < CALLERS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, race_call, (void *)i), 0);
    int claimed = 0;
    for (int i = 0; i < CALLERS; i++) {
        pthread_join(threads[i], NULL);
        claimed += race_got[i];
    }
    assert_int_equal(claimed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_once_per_interval),
        cmocka_unit_test(test_one_of_many_threads_claims_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
