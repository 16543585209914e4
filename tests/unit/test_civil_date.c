/* tests/unit/test_civil_date.c: strict parsing, calendar arithmetic, ages and
 * "today" in Europe/Amsterdam around midnight and the DST transitions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "domain/civil_date.h"

static civil_date date_of(int y, int m, int d)
{
    civil_date c = {y, m, d};
    return c;
}

static void assert_date(civil_date actual, int y, int m, int d)
{
    assert_int_equal(actual.year, y);
    assert_int_equal(actual.month, m);
    assert_int_equal(actual.day, d);
}

static civil_date parse_ok(const char *text)
{
    civil_date d = {0, 0, 0};
    assert_int_equal(civil_date_parse(text, &d), PORTAL_OK);
    return d;
}

static void test_parse_valid(void **state)
{
    (void)state;
    assert_date(parse_ok("2023-02-28"), 2023, 2, 28);
    assert_date(parse_ok("2024-02-29"), 2024, 2, 29);
    assert_date(parse_ok("2000-02-29"), 2000, 2, 29);
    assert_date(parse_ok("1900-01-01"), 1900, 1, 1);
    assert_date(parse_ok("2200-12-31"), 2200, 12, 31);
    assert_date(parse_ok("2019-08-01"), 2019, 8, 1);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2023-02-30", "2023-02-29", "1900-02-29",       "2100-02-29",  "2023-04-31",
        "2023-13-01", "2023-00-10", "2023-01-00",       "2023-2-3",    "2023-02-3",
        "2023-2-03",  "23-02-03",   "2023-02-03x",      "2023-02-03 ", " 2023-02-03",
        "2023/02/03", "20230203",   "2023-02-03T00:00", "1899-12-31",  "2201-01-01",
        "",           "+023-02-03", "-023-02-03",       "2023-0a-03",  "2023--2-03",
        "02-03-2023",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        civil_date d = {1, 2, 3};
        if (civil_date_parse(bad[i], &d) != PORTAL_ERR_INVALID) {
            fail_msg("accepted \"%s\"", bad[i]);
        }
        assert_date(d, 1, 2, 3); /* untouched */
    }
    civil_date d = {1, 2, 3};
    assert_int_equal(civil_date_parse(NULL, &d), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_parse("2023-02-03", NULL), PORTAL_ERR_INVALID);
}

static void test_parse_n(void **state)
{
    (void)state;
    civil_date d = {0, 0, 0};
    const char cell[] = "2024-03-15;next";
    assert_int_equal(civil_date_parse_n(cell, 10, &d), PORTAL_OK);
    assert_date(d, 2024, 3, 15);
    assert_int_equal(civil_date_parse_n(cell, 11, &d), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_parse_n(cell, 9, &d), PORTAL_ERR_INVALID);
}

static void test_format(void **state)
{
    (void)state;
    char out[CIVIL_DATE_TEXT_SIZE];
    assert_int_equal(civil_date_format(date_of(2019, 8, 1), out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, "2019-08-01");
    assert_int_equal(civil_date_format(date_of(1900, 1, 1), out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, "1900-01-01");

    char small[16] = "untouched";
    assert_int_equal(civil_date_format(date_of(2019, 8, 1), small, 10), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(civil_date_format(date_of(2023, 2, 30), small, 16), PORTAL_ERR_INVALID);
    assert_string_equal(small, "untouched");
}

static void test_compare(void **state)
{
    (void)state;
    assert_true(civil_date_compare(date_of(2024, 1, 1), date_of(2023, 12, 31)) > 0);
    assert_true(civil_date_compare(date_of(2023, 11, 30), date_of(2023, 12, 1)) < 0);
    assert_true(civil_date_compare(date_of(2023, 12, 1), date_of(2023, 12, 2)) < 0);
    assert_int_equal(civil_date_compare(date_of(2023, 12, 1), date_of(2023, 12, 1)), 0);
}

static void test_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(civil_date_days_in_month(2023, 2), 28);
    assert_int_equal(civil_date_days_in_month(2024, 2), 29);
    assert_int_equal(civil_date_days_in_month(1900, 2), 28);
    assert_int_equal(civil_date_days_in_month(2000, 2), 29);
    assert_int_equal(civil_date_days_in_month(2100, 2), 28);
    assert_int_equal(civil_date_days_in_month(2023, 4), 30);
    assert_int_equal(civil_date_days_in_month(2023, 12), 31);
    assert_int_equal(civil_date_days_in_month(2023, 13), 0);
    assert_int_equal(civil_date_days_in_month(2023, 0), 0);
}

static civil_date add_months_ok(civil_date d, int months)
{
    civil_date out = {0, 0, 0};
    assert_int_equal(civil_date_add_months(d, months, &out), PORTAL_OK);
    return out;
}

static void test_add_months_clamps_to_month_end(void **state)
{
    (void)state;
    assert_date(add_months_ok(date_of(2024, 11, 30), 3), 2025, 2, 28);
    assert_date(add_months_ok(date_of(2023, 11, 30), 3), 2024, 2, 29);
    assert_date(add_months_ok(date_of(2026, 11, 30), 3), 2027, 2, 28);
    assert_date(add_months_ok(date_of(2026, 5, 31), -3), 2026, 2, 28);
    assert_date(add_months_ok(date_of(2024, 5, 31), -3), 2024, 2, 29);
    assert_date(add_months_ok(date_of(2024, 1, 31), 1), 2024, 2, 29);
    assert_date(add_months_ok(date_of(2023, 3, 31), 1), 2023, 4, 30);
    assert_date(add_months_ok(date_of(2023, 10, 15), 3), 2024, 1, 15);
    assert_date(add_months_ok(date_of(2024, 2, 15), -3), 2023, 11, 15);
    assert_date(add_months_ok(date_of(2024, 1, 31), -13), 2022, 12, 31);
    assert_date(add_months_ok(date_of(2024, 2, 29), 12), 2025, 2, 28);
    assert_date(add_months_ok(date_of(2024, 2, 29), 0), 2024, 2, 29);

    civil_date out = {1, 2, 3};
    assert_int_equal(civil_date_add_months(date_of(2200, 11, 1), 2, &out), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_add_months(date_of(1900, 2, 1), -2, &out), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_add_months(date_of(2023, 2, 30), 1, &out), PORTAL_ERR_INVALID);
    assert_date(out, 1, 2, 3);
}

static void test_add_days(void **state)
{
    (void)state;
    civil_date out = {0, 0, 0};
    assert_int_equal(civil_date_add_days(date_of(2023, 12, 31), 1, &out), PORTAL_OK);
    assert_date(out, 2024, 1, 1);
    assert_int_equal(civil_date_add_days(date_of(2024, 2, 28), 1, &out), PORTAL_OK);
    assert_date(out, 2024, 2, 29);
    assert_int_equal(civil_date_add_days(date_of(2023, 2, 28), 1, &out), PORTAL_OK);
    assert_date(out, 2023, 3, 1);
    assert_int_equal(civil_date_add_days(date_of(2024, 3, 1), -1, &out), PORTAL_OK);
    assert_date(out, 2024, 2, 29);
    assert_int_equal(civil_date_add_days(date_of(2024, 1, 1), 366, &out), PORTAL_OK);
    assert_date(out, 2025, 1, 1);
    assert_int_equal(civil_date_add_days(date_of(2200, 12, 31), 1, &out), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_add_days(date_of(1900, 1, 1), -1, &out), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_add_days(date_of(2000, 1, 1), INT64_MAX, &out), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_add_days(date_of(2000, 1, 1), INT64_MIN, &out), PORTAL_ERR_INVALID);
    assert_date(out, 2025, 1, 1);
}

static void test_day_numbers_round_trip(void **state)
{
    (void)state;
    int64_t days = 0;
    assert_int_equal(civil_date_to_days(date_of(1970, 1, 1), &days), PORTAL_OK);
    assert_int_equal(days, 0);
    assert_int_equal(civil_date_to_days(date_of(1900, 1, 1), &days), PORTAL_OK);
    assert_int_equal(days, -25567);
    assert_int_equal(civil_date_to_days(date_of(2200, 12, 31), &days), PORTAL_OK);
    assert_int_equal(days, 84370);
    /* Every day of the supported range survives a round trip. */
    civil_date previous = {0, 0, 0};
    for (int64_t n = -25567; n <= 84370; n++) {
        civil_date d;
        assert_int_equal(civil_date_from_days(n, &d), PORTAL_OK);
        assert_true(civil_date_is_valid(d));
        int64_t back = 0;
        assert_int_equal(civil_date_to_days(d, &back), PORTAL_OK);
        assert_int_equal(back, n);
        if (n > -25567) {
            assert_true(civil_date_compare(previous, d) < 0);
        }
        previous = d;
    }
    civil_date d = {0, 0, 0};
    assert_int_equal(civil_date_from_days(-25568, &d), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_from_days(84371, &d), PORTAL_ERR_INVALID);
}

static int years_ok(civil_date from, civil_date to)
{
    int years = -1;
    assert_int_equal(civil_date_years_between(from, to, &years), PORTAL_OK);
    return years;
}

static void test_years_between(void **state)
{
    (void)state;
    civil_date birth = date_of(1980, 5, 1);
    assert_int_equal(years_ok(birth, date_of(2019, 8, 1)), 39);
    assert_int_equal(years_ok(birth, date_of(2020, 4, 30)), 39);
    assert_int_equal(years_ok(birth, date_of(2020, 5, 1)), 40);
    assert_int_equal(years_ok(birth, birth), 0);

    /* Born 29 February: a year older on 1 March in non-leap years. */
    civil_date leapling = date_of(2004, 2, 29);
    assert_int_equal(years_ok(leapling, date_of(2019, 2, 28)), 14);
    assert_int_equal(years_ok(leapling, date_of(2019, 3, 1)), 15);
    assert_int_equal(years_ok(leapling, date_of(2020, 2, 28)), 15);
    assert_int_equal(years_ok(leapling, date_of(2020, 2, 29)), 16);

    int years = 99;
    assert_int_equal(civil_date_years_between(date_of(2020, 1, 2), date_of(2020, 1, 1), &years),
                     PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_years_between(date_of(2023, 2, 29), date_of(2024, 1, 1), &years),
                     PORTAL_ERR_INVALID);
    assert_int_equal(years, 99);
}

/* Instants as seconds since the epoch, from `date -u -d ... +%s`. */
static void assert_amsterdam(time_t now, int y, int m, int d, int offset)
{
    civil_date today = {0, 0, 0};
    assert_int_equal(civil_date_amsterdam_today(now, &today), PORTAL_OK);
    assert_date(today, y, m, d);
    assert_int_equal(civil_date_amsterdam_offset_seconds(now), offset);
}

static void test_amsterdam_midnight_summer_and_winter(void **state)
{
    (void)state;
    /* Summer (UTC+2): midnight in Amsterdam is 22:00 UTC. */
    assert_amsterdam(1752616799, 2025, 7, 15, 7200); /* 2025-07-15 21:59:59Z */
    assert_amsterdam(1752616800, 2025, 7, 16, 7200); /* 2025-07-15 22:00:00Z */
    /* Winter (UTC+1): midnight in Amsterdam is 23:00 UTC. */
    assert_amsterdam(1768517999, 2026, 1, 15, 3600); /* 2026-01-15 22:59:59Z */
    assert_amsterdam(1768518000, 2026, 1, 16, 3600); /* 2026-01-15 23:00:00Z */
    /* New year arrives an hour before it does in UTC. */
    assert_amsterdam(1735685999, 2024, 12, 31, 3600); /* 2024-12-31 22:59:59Z */
    assert_amsterdam(1735686000, 2025, 1, 1, 3600);   /* 2024-12-31 23:00:00Z */
}

static void test_amsterdam_spring_forward(void **state)
{
    (void)state;
    /* Sunday 30 March 2025: clocks go from 02:00 CET to 03:00 CEST at 01:00Z. */
    assert_amsterdam(1743289199, 2025, 3, 29, 3600); /* 03-29 22:59:59Z = 23:59:59 CET */
    assert_amsterdam(1743289200, 2025, 3, 30, 3600); /* 03-29 23:00:00Z = 00:00 CET */
    assert_amsterdam(1743296399, 2025, 3, 30, 3600); /* 03-30 00:59:59Z = 01:59:59 CET */
    assert_amsterdam(1743296400, 2025, 3, 30, 7200); /* 03-30 01:00:00Z = 03:00 CEST */
    assert_amsterdam(1743371999, 2025, 3, 30, 7200); /* 03-30 21:59:59Z = 23:59:59 CEST */
    assert_amsterdam(1743372000, 2025, 3, 31, 7200); /* 03-30 22:00:00Z = 00:00 CEST */
}

static void test_amsterdam_fall_back(void **state)
{
    (void)state;
    /* Sunday 26 October 2025: clocks go from 03:00 CEST back to 02:00 CET at 01:00Z. */
    assert_amsterdam(1761429599, 2025, 10, 25, 7200); /* 10-25 21:59:59Z = 23:59:59 CEST */
    assert_amsterdam(1761429600, 2025, 10, 26, 7200); /* 10-25 22:00:00Z = 00:00 CEST */
    assert_amsterdam(1761440399, 2025, 10, 26, 7200); /* 10-26 00:59:59Z = 02:59:59 CEST */
    assert_amsterdam(1761440400, 2025, 10, 26, 3600); /* 10-26 01:00:00Z = 02:00 CET */
    assert_amsterdam(1761519599, 2025, 10, 26, 3600); /* 10-26 22:59:59Z = 23:59:59 CET */
    assert_amsterdam(1761519600, 2025, 10, 27, 3600); /* 10-26 23:00:00Z = 00:00 CET */
}

static void test_amsterdam_other_years(void **state)
{
    (void)state;
    /* 2026: last Sundays are 29 March and 25 October. */
    assert_int_equal(civil_date_amsterdam_offset_seconds(1774746000 - 1), 3600);
    assert_int_equal(civil_date_amsterdam_offset_seconds(1774746000), 7200);
    assert_int_equal(civil_date_amsterdam_offset_seconds(1792890000 - 1), 7200);
    assert_int_equal(civil_date_amsterdam_offset_seconds(1792890000), 3600);
    /* 2024 (leap year): 31 March and 27 October. */
    assert_int_equal(civil_date_amsterdam_offset_seconds(1711846800 - 1), 3600);
    assert_int_equal(civil_date_amsterdam_offset_seconds(1711846800), 7200);
    assert_int_equal(civil_date_amsterdam_offset_seconds(1729990800 - 1), 7200);
    assert_int_equal(civil_date_amsterdam_offset_seconds(1729990800), 3600);
    /* Before the epoch: 1 January 1960 00:30 Amsterdam is 1959-12-31 23:30Z. */
    assert_amsterdam(-315621000, 1960, 1, 1, 3600);
}

static void test_amsterdam_out_of_range(void **state)
{
    (void)state;
    civil_date today = {1, 2, 3};
    /* 2201-01-01T00:00:00Z and 1899-12-31T12:00:00Z. */
    assert_int_equal(civil_date_amsterdam_today((time_t)7289654400, &today), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_amsterdam_today((time_t)-2209032000, &today), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_amsterdam_today((time_t)INT64_MAX, &today), PORTAL_ERR_INVALID);
    assert_int_equal(civil_date_amsterdam_today((time_t)INT64_MIN, &today), PORTAL_ERR_INVALID);
    assert_date(today, 1, 2, 3);
    assert_int_equal(civil_date_amsterdam_today(0, NULL), PORTAL_ERR_INVALID);
}

/* Where tzdata is installed, cross-check every hour of 2000..2037 against the
 * C library's Europe/Amsterdam; the module itself never uses it. */
static void test_amsterdam_matches_tzdata(void **state)
{
    (void)state;
    FILE *zone = fopen("/usr/share/zoneinfo/Europe/Amsterdam", "rb");
    if (zone == NULL) {
        skip();
    }
    fclose(zone);
    setenv("TZ", "Europe/Amsterdam", 1);
    tzset();
    for (time_t t = 946684800; t < 2145916800; t += 3600) {
        for (time_t delta = -1; delta <= 0; delta++) {
            time_t now = t + delta;
            struct tm local;
            assert_non_null(localtime_r(&now, &local));
            civil_date today = {0, 0, 0};
            assert_int_equal(civil_date_amsterdam_today(now, &today), PORTAL_OK);
            if (today.year != local.tm_year + 1900 || today.month != local.tm_mon + 1 ||
                today.day != local.tm_mday ||
                civil_date_amsterdam_offset_seconds(now) != local.tm_gmtoff) {
                fail_msg("mismatch at %lld", (long long)now);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_n),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_add_months_clamps_to_month_end),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_day_numbers_round_trip),
        cmocka_unit_test(test_years_between),
        cmocka_unit_test(test_amsterdam_midnight_summer_and_winter),
        cmocka_unit_test(test_amsterdam_spring_forward),
        cmocka_unit_test(test_amsterdam_fall_back),
        cmocka_unit_test(test_amsterdam_other_years),
        cmocka_unit_test(test_amsterdam_out_of_range),
        cmocka_unit_test(test_amsterdam_matches_tzdata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
