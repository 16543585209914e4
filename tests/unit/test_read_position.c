/* tests/unit/test_read_position.c: the per-caller table of commit
 * positions never answers less than a caller's last write, also after its
 * entry was dropped from a full bucket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/read_position.h"

static void test_remembers_the_furthest(void **state)
{
    (void)state;
    read_position_remember("s:one", 100);
    assert_true(read_position_recall("s:one") >= 100);
    read_position_remember("s:one", 50); /* an older answer arriving late */
    assert_true(read_position_recall("s:one") >= 100);
    read_position_remember("s:one", 200);
    assert_true(read_position_recall("s:one") >= 200);
}

/* Far more callers than slots: every one still gets at least its own
 * position back (its entry, or the floor of dropped entries). */
static void test_dropped_entries_leave_a_floor(void **state)
{
    (void)state;
    const int n = READ_POSITION_SLOTS * 3;
    char key[40];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "t:%08d", i);
        read_position_remember(key, 1000 + (uint64_t)i);
    }
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof key, "t:%08d", i);
        assert_true(read_position_recall(key) >= 1000 + (uint64_t)i);
    }
    /* The floor is no higher than what was dropped: the newest callers'
     * own positions are still there, not the highest of all. */
    snprintf(key, sizeof key, "t:%08d", 0);
    assert_true(read_position_recall(key) < 1000 + (uint64_t)n - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remembers_the_furthest),
        cmocka_unit_test(test_dropped_entries_leave_a_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
