/* Unit tests for client-given instants (dates and RFC 3339 timestamps). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/instant.h"

static void parses_timestamps_with_zones(void **state)
{
    (void)state;
    time_t t;
    int is_date = -1;
    civil_date d;
    assert_int_equal(instant_parse("2026-11-22T12:00:00Z", &t, &is_date, &d), PORTAL_OK);
    assert_int_equal(t, 1795348800);
    assert_int_equal(is_date, 0);
    assert_int_equal(instant_parse("2026-11-22T13:00:00.123+01:00", &t, &is_date, &d), PORTAL_OK);
    assert_int_equal(t, 1795348800);
    assert_int_equal(instant_parse("2026-11-22T07:00:00-05:00", &t, &is_date, &d), PORTAL_OK);
    assert_int_equal(t, 1795348800);
}

static void parses_dates(void **state)
{
    (void)state;
    time_t t;
    int is_date = 0;
    civil_date d;
    assert_int_equal(instant_parse("2026-11-22", &t, &is_date, &d), PORTAL_OK);
    assert_int_equal(is_date, 1);
    assert_int_equal(d.day, 22);
    assert_int_equal(t, 1795305600);
}

static void refuses_what_is_not_an_instant(void **state)
{
    (void)state;
    time_t t;
    int is_date;
    civil_date d;
    const char *bad[] = {"2026-02-30",
                         "2026-11-22T25:00:00Z",
                         "2026-11-22T12:00:00",
                         "2026-11-22 12:00:00Z",
                         "2026-11-22T12:00:00.Z",
                         "x",
                         "2026-11-22T12:00:00+1:00",
                         "2026-11-22T12:00:00Zx",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(instant_parse(bad[i], &t, &is_date, &d), PORTAL_ERR_INVALID);
    assert_false(instant_is_rfc3339("2026-11-22"));
    assert_true(instant_is_rfc3339("2026-11-22T00:00:00Z"));
}

static void amsterdam_day_edges_follow_summer_time(void **state)
{
    (void)state;
    civil_date winter = {2026, 1, 15}, summer = {2026, 7, 15};
    assert_int_equal(instant_start_of_day(winter), 1768431600); /* 2026-01-14T23:00:00Z */
    assert_int_equal(instant_start_of_day(summer), 1784066400); /* 2026-07-14T22:00:00Z */
    assert_int_equal(instant_end_of_day(winter) - instant_start_of_day(winter), 86400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_timestamps_with_zones),
        cmocka_unit_test(parses_dates),
        cmocka_unit_test(refuses_what_is_not_an_instant),
        cmocka_unit_test(amsterdam_day_edges_follow_summer_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
