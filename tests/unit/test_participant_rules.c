/* tests/unit/test_participant_rules.c: the date window, registration checks
 * (ages, BSN, salary, part-time), change rules and status after termination,
 * all with a fixed "today". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/participant_rules.h"

static civil_date date_of(int y, int m, int d)
{
    civil_date c = {y, m, d};
    return c;
}

static rule_verdict window(civil_date today, civil_date date)
{
    rule_verdict v;
    memset(&v, 0, sizeof(v));
    assert_int_equal(rule_effective_date_window(today, date, &v), PORTAL_OK);
    return v;
}

static void assert_direct(rule_verdict v)
{
    assert_int_equal(v.outcome, RULE_DIRECT);
    assert_null(v.code);
    assert_null(v.rule);
}

static void assert_review(rule_verdict v, const char *rule_id)
{
    assert_int_equal(v.outcome, RULE_REVIEW);
    assert_null(v.code);
    assert_non_null(v.rule);
    assert_string_equal(v.rule->id, rule_id);
}

static void assert_refused(rule_verdict v, rule_outcome outcome, const char *code,
                           const char *rule_id)
{
    assert_int_equal(v.outcome, outcome);
    assert_non_null(v.code);
    assert_string_equal(v.code, code);
    assert_non_null(v.rule);
    assert_string_equal(v.rule->id, rule_id);
}

/* ---- the window ---- */

static void test_window_month_end_ahead(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 11, 30);
    assert_direct(window(today, date_of(2027, 2, 28)));
    assert_refused(window(today, date_of(2027, 3, 1)), RULE_INVALID, "effective_date_out_of_range",
                   "effective_date_too_far_ahead");
    /* Leap year: 2023-11-30 + 3 months = 2024-02-29. */
    assert_direct(window(date_of(2023, 11, 30), date_of(2024, 2, 29)));
    assert_refused(window(date_of(2023, 11, 30), date_of(2024, 3, 1)), RULE_INVALID,
                   "effective_date_out_of_range", "effective_date_too_far_ahead");
}

static void test_window_month_end_back(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 5, 31);
    /* Exactly three months back (clamped) is still direct; a day more needs review. */
    assert_direct(window(today, date_of(2026, 2, 28)));
    assert_review(window(today, date_of(2026, 2, 27)),
                  "effective_date_more_than_three_months_back");
}

static void test_window_mid_month(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 3, 15);
    assert_direct(window(today, today));
    assert_direct(window(today, date_of(2026, 6, 15)));
    assert_refused(window(today, date_of(2026, 6, 16)), RULE_INVALID, "effective_date_out_of_range",
                   "effective_date_too_far_ahead");
    assert_direct(window(today, date_of(2025, 12, 15)));
    assert_review(window(today, date_of(2025, 12, 14)),
                  "effective_date_more_than_three_months_back");
    assert_review(window(today, date_of(1950, 1, 1)), "effective_date_more_than_three_months_back");
    assert_refused(window(today, date_of(1949, 12, 31)), RULE_INVALID,
                   "effective_date_out_of_range", "effective_date_before_1950");
}

static void test_window_bad_input(void **state)
{
    (void)state;
    rule_verdict v = {RULE_CONFLICT, "x", NULL};
    assert_int_equal(rule_effective_date_window(date_of(2026, 2, 30), date_of(2026, 1, 1), &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rule_effective_date_window(date_of(2026, 1, 1), date_of(2026, 13, 1), &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rule_effective_date_window(date_of(2026, 1, 1), date_of(2026, 1, 1), NULL),
                     PORTAL_ERR_INVALID);
    assert_int_equal(v.outcome, RULE_CONFLICT);
    /* At the end of the supported range the range itself is the bound. */
    assert_direct(window(date_of(2200, 11, 15), date_of(2200, 12, 31)));
}

/* ---- registration ---- */

static rule_registration_input good_registration(void)
{
    rule_registration_input in = {"1980-05-01", "male",     "123456782",
                                  "2019-08-01", "52242.28", "100.000"};
    return in;
}

static rule_report check_registration(const rule_registration_input *in, civil_date today,
                                      rule_registration *parsed)
{
    rule_report report;
    memset(&report, 0xab, sizeof(report));
    assert_int_equal(rule_check_registration(in, today, parsed, &report), PORTAL_OK);
    return report;
}

/* True when the report has a finding of rule `id` on `field`. */
static bool has_finding(const rule_report *report, const char *id, const char *field)
{
    for (size_t i = 0; i < report->count; i++) {
        if (strcmp(report->findings[i].rule->id, id) == 0 &&
            strcmp(report->findings[i].field, field) == 0) {
            return true;
        }
    }
    return false;
}

static void test_registration_direct(void **state)
{
    (void)state;
    rule_registration_input in = good_registration();
    rule_registration parsed;
    rule_report report = check_registration(&in, date_of(2019, 8, 15), &parsed);
    assert_int_equal(report.outcome, RULE_DIRECT);
    assert_int_equal(report.count, 0);
    assert_null(rule_report_code(&report));
    assert_int_equal(parsed.birth_date.year, 1980);
    assert_int_equal(parsed.start_date.month, 8);
    assert_int_equal(parsed.gender, RULE_GENDER_MALE);
    assert_int_equal(parsed.salary, 5224228);
    assert_int_equal(parsed.parttime_percentage, 100000);
}

static void test_registration_start_date_window(void **state)
{
    (void)state;
    rule_registration_input in = good_registration();
    rule_registration parsed;
    /* The example's start date, registered years later, needs review. */
    rule_report report = check_registration(&in, date_of(2026, 5, 31), &parsed);
    assert_int_equal(report.outcome, RULE_REVIEW);
    assert_true(has_finding(&report, "effective_date_more_than_three_months_back",
                            "/employment/start_date"));
    assert_null(rule_report_code(&report));
    assert_int_equal(parsed.salary, 5224228);

    /* More than three months ahead is refused. */
    in.start_date = "2019-11-16";
    report = check_registration(&in, date_of(2019, 8, 15), &parsed);
    assert_int_equal(report.outcome, RULE_INVALID);
    assert_true(has_finding(&report, "effective_date_too_far_ahead", "/employment/start_date"));
    assert_string_equal(rule_report_code(&report), "effective_date_out_of_range");
    in.start_date = "2019-11-15";
    report = check_registration(&in, date_of(2019, 8, 15), &parsed);
    assert_int_equal(report.outcome, RULE_DIRECT);
}

/* The outcome of a registration of someone born on `birth` starting on `start`. */
static rule_report registration_for_age(const char *birth, const char *start, civil_date today)
{
    rule_registration_input in = good_registration();
    in.birth_date = birth;
    in.start_date = start;
    rule_registration parsed;
    return check_registration(&in, today, &parsed);
}

static void test_registration_age_15_boundary(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 5, 15);
    /* Turning 15 exactly on the start date: direct. */
    rule_report r = registration_for_age("2011-06-01", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_DIRECT);
    /* One day short of 15: review. */
    r = registration_for_age("2011-06-02", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_REVIEW);
    assert_true(has_finding(&r, "age_under_15", "/person/birth_date"));
    /* 13 exactly: still review; 12: an implausible birth date. */
    r = registration_for_age("2013-06-01", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_REVIEW);
    assert_true(has_finding(&r, "age_under_15", "/person/birth_date"));
    r = registration_for_age("2013-06-02", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_true(has_finding(&r, "birth_date_implausible", "/person/birth_date"));
    assert_string_equal(rule_report_code(&r), "validation_failed");
}

static void test_registration_age_67_boundary(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 5, 15);
    /* Turning 67 exactly on the start date: review. */
    rule_report r = registration_for_age("1959-06-01", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_REVIEW);
    assert_true(has_finding(&r, "age_67_or_over", "/person/birth_date"));
    /* 66 and a day short of 67: direct. */
    r = registration_for_age("1959-06-02", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_DIRECT);
    r = registration_for_age("1930-01-01", "2026-06-01", today);
    assert_int_equal(r.outcome, RULE_REVIEW);
}

static void test_registration_leap_day_birthday(void **state)
{
    (void)state;
    civil_date today = date_of(2027, 1, 15);
    /* Born 29 February 2012: 14 on 28 February 2027, 15 on 1 March. */
    rule_report r = registration_for_age("2012-02-29", "2027-02-28", today);
    assert_int_equal(r.outcome, RULE_REVIEW);
    assert_true(has_finding(&r, "age_under_15", "/person/birth_date"));
    r = registration_for_age("2012-02-29", "2027-03-01", today);
    assert_int_equal(r.outcome, RULE_DIRECT);
}

static void test_registration_implausible_birth_dates(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 5, 15);
    /* Born after the start date. */
    rule_report r = registration_for_age("2026-06-02", "2026-06-01", today);
    assert_true(has_finding(&r, "birth_date_implausible", "/person/birth_date"));
    /* Born in the future, even with a broken start date. */
    r = registration_for_age("2026-05-16", "not-a-date", today);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_true(has_finding(&r, "birth_date_implausible", "/person/birth_date"));
    assert_true(has_finding(&r, "date_invalid", "/employment/start_date"));
    /* Before 1900 is not a date this system accepts. */
    r = registration_for_age("1899-12-31", "2026-06-01", today);
    assert_true(has_finding(&r, "date_invalid", "/person/birth_date"));
    r = registration_for_age("1980-02-30", "2026-06-01", today);
    assert_true(has_finding(&r, "date_invalid", "/person/birth_date"));
}

static void test_registration_field_errors(void **state)
{
    (void)state;
    civil_date today = date_of(2019, 8, 15);
    rule_registration_input in = good_registration();
    in.bsn = "123456789";
    rule_registration parsed;
    memset(&parsed, 0, sizeof(parsed));
    rule_report r = check_registration(&in, today, &parsed);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_int_equal(r.count, 1);
    assert_true(has_finding(&r, "bsn_invalid", "/person/bsn"));
    /* The only refusal is the BSN: the API answers invalid_bsn. */
    assert_string_equal(rule_report_code(&r), "invalid_bsn");
    assert_int_equal(parsed.salary, 0); /* not filled on refusal */

    rule_registration_input bad = {NULL, "x", "12345678", "2019-8-1", "100.123", "0"};
    r = check_registration(&bad, today, &parsed);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_int_equal(r.count, 6);
    assert_true(has_finding(&r, "field_required", "/person/birth_date"));
    assert_true(has_finding(&r, "gender_invalid", "/person/gender"));
    assert_true(has_finding(&r, "bsn_invalid", "/person/bsn"));
    assert_true(has_finding(&r, "date_invalid", "/employment/start_date"));
    assert_true(has_finding(&r, "salary_invalid", "/employment/salary"));
    assert_true(has_finding(&r, "parttime_percentage_invalid", "/employment/parttime_percentage"));
    /* Findings follow the order of the request body. */
    assert_string_equal(r.findings[0].field, "/person/birth_date");
    assert_string_equal(r.findings[5].field, "/employment/parttime_percentage");
    assert_string_equal(rule_report_code(&r), "validation_failed");

    rule_registration_input missing = {NULL, NULL, NULL, NULL, NULL, NULL};
    r = check_registration(&missing, today, &parsed);
    assert_int_equal(r.count, 6);
    for (size_t i = 0; i < r.count; i++) {
        assert_string_equal(r.findings[i].rule->id, "field_required");
    }
}

static void test_registration_salary_and_parttime(void **state)
{
    (void)state;
    civil_date today = date_of(2019, 8, 15);
    rule_registration_input in = good_registration();
    rule_registration parsed;
    static const char *const good_salaries[] = {"0", "0.00", "1.5", "999999999999.99"};
    for (size_t i = 0; i < sizeof(good_salaries) / sizeof(good_salaries[0]); i++) {
        in.salary = good_salaries[i];
        assert_int_equal(check_registration(&in, today, &parsed).outcome, RULE_DIRECT);
    }
    static const char *const bad_salaries[] = {"-1.00", "100.123", "1e5",          "01",
                                               "",      " 1",      "1000000000000"};
    for (size_t i = 0; i < sizeof(bad_salaries) / sizeof(bad_salaries[0]); i++) {
        in.salary = bad_salaries[i];
        rule_report r = check_registration(&in, today, &parsed);
        assert_true(has_finding(&r, "salary_invalid", "/employment/salary"));
    }
    in = good_registration();
    static const char *const good_parttime[] = {"0.001", "50", "62.5", "100", "100.000"};
    for (size_t i = 0; i < sizeof(good_parttime) / sizeof(good_parttime[0]); i++) {
        in.parttime_percentage = good_parttime[i];
        assert_int_equal(check_registration(&in, today, &parsed).outcome, RULE_DIRECT);
    }
    assert_int_equal(parsed.parttime_percentage, 100000);
    static const char *const bad_parttime[] = {"0",  "0.000",   "100.001", "101",
                                               "-5", "50.0001", "abc"};
    for (size_t i = 0; i < sizeof(bad_parttime) / sizeof(bad_parttime[0]); i++) {
        in.parttime_percentage = bad_parttime[i];
        rule_report r = check_registration(&in, today, &parsed);
        assert_true(
            has_finding(&r, "parttime_percentage_invalid", "/employment/parttime_percentage"));
    }
}

static void test_registration_gender(void **state)
{
    (void)state;
    civil_date today = date_of(2019, 8, 15);
    rule_registration_input in = good_registration();
    rule_registration parsed;
    in.gender = "female";
    assert_int_equal(check_registration(&in, today, &parsed).outcome, RULE_DIRECT);
    assert_int_equal(parsed.gender, RULE_GENDER_FEMALE);
    in.gender = "unknown";
    assert_int_equal(check_registration(&in, today, &parsed).outcome, RULE_DIRECT);
    assert_int_equal(parsed.gender, RULE_GENDER_UNKNOWN);
    in.gender = "Male";
    assert_int_equal(check_registration(&in, today, &parsed).outcome, RULE_INVALID);
    in.gender = "x";
    assert_int_equal(check_registration(&in, today, &parsed).outcome, RULE_INVALID);
}

static void test_registration_bad_arguments(void **state)
{
    (void)state;
    rule_registration_input in = good_registration();
    rule_registration parsed;
    rule_report report;
    report.count = 99;
    assert_int_equal(rule_check_registration(&in, date_of(2019, 2, 29), &parsed, &report),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rule_check_registration(NULL, date_of(2019, 2, 28), &parsed, &report),
                     PORTAL_ERR_INVALID);
    assert_int_equal(report.count, 99);
}

/* ---- changes ---- */

static rule_participant_state active_pension(void)
{
    rule_participant_state p;
    memset(&p, 0, sizeof(p));
    p.scheme_kind = RULE_SCHEME_PENSION;
    p.status = RULE_STATUS_ACTIVE;
    p.employment_start = date_of(2019, 8, 1);
    return p;
}

static rule_verdict change(const rule_participant_state *p, rule_change_type type,
                           civil_date effective)
{
    rule_verdict v;
    memset(&v, 0, sizeof(v));
    assert_int_equal(rule_check_change(p, type, date_of(2026, 5, 15), effective, &v), PORTAL_OK);
    return v;
}

static void test_change_on_dormant_or_ended(void **state)
{
    (void)state;
    rule_participant_state p = active_pension();
    p.status = RULE_STATUS_DORMANT;
    assert_refused(change(&p, RULE_CHANGE_SALARY, date_of(2026, 5, 1)), RULE_CONFLICT,
                   "participant_dormant", "participant_not_active");
    assert_refused(change(&p, RULE_CHANGE_ADDRESS, date_of(2026, 5, 1)), RULE_CONFLICT,
                   "participant_dormant", "participant_not_active");
    p.status = RULE_STATUS_ENDED;
    p.scheme_kind = RULE_SCHEME_INCOME;
    assert_refused(change(&p, RULE_CHANGE_TERMINATION, date_of(2026, 5, 1)), RULE_CONFLICT,
                   "participant_dormant", "participant_not_active");
    p.status = RULE_STATUS_REJECTED;
    assert_refused(change(&p, RULE_CHANGE_SALARY, date_of(2026, 5, 1)), RULE_CONFLICT,
                   "participant_rejected", "participant_rejected");
    /* A registration still under review can be changed. */
    p.status = RULE_STATUS_PENDING_REVIEW;
    assert_direct(change(&p, RULE_CHANGE_SALARY, date_of(2026, 5, 1)));
}

static void test_change_family_only_in_pension(void **state)
{
    (void)state;
    rule_participant_state p = active_pension();
    assert_direct(change(&p, RULE_CHANGE_PARTNER, date_of(2026, 5, 1)));
    assert_direct(change(&p, RULE_CHANGE_CHILD, date_of(2026, 5, 1)));
    p.scheme_kind = RULE_SCHEME_INCOME;
    assert_refused(change(&p, RULE_CHANGE_PARTNER, date_of(2026, 5, 1)), RULE_INVALID,
                   "validation_failed", "family_requires_pension_scheme");
    assert_refused(change(&p, RULE_CHANGE_CHILD, date_of(2026, 5, 1)), RULE_INVALID,
                   "validation_failed", "family_requires_pension_scheme");
    assert_direct(change(&p, RULE_CHANGE_SALARY, date_of(2026, 5, 1)));
}

static void test_change_termination_dates(void **state)
{
    (void)state;
    rule_participant_state p = active_pension();
    p.employment_start = date_of(2026, 4, 1);
    /* Not before the employment start; on the start date itself is fine. */
    assert_refused(change(&p, RULE_CHANGE_TERMINATION, date_of(2026, 3, 31)), RULE_INVALID,
                   "effective_date_out_of_range", "before_employment_start");
    assert_direct(change(&p, RULE_CHANGE_TERMINATION, date_of(2026, 4, 1)));
    /* Up to three months ahead. */
    assert_direct(change(&p, RULE_CHANGE_TERMINATION, date_of(2026, 8, 15)));
    assert_refused(change(&p, RULE_CHANGE_TERMINATION, date_of(2026, 8, 16)), RULE_INVALID,
                   "effective_date_out_of_range", "effective_date_too_far_ahead");
    /* A salary change before the employment started is refused too. */
    assert_refused(change(&p, RULE_CHANGE_SALARY, date_of(2026, 1, 1)), RULE_INVALID,
                   "effective_date_out_of_range", "before_employment_start");
}

static void test_change_after_employment_end(void **state)
{
    (void)state;
    rule_participant_state p = active_pension();
    p.has_employment_end = true;
    p.employment_end = date_of(2026, 6, 30);
    assert_direct(change(&p, RULE_CHANGE_SALARY, date_of(2026, 6, 30)));
    assert_refused(change(&p, RULE_CHANGE_SALARY, date_of(2026, 7, 1)), RULE_CONFLICT,
                   "participant_dormant", "after_employment_end");
    assert_refused(change(&p, RULE_CHANGE_PARTNER, date_of(2026, 7, 1)), RULE_CONFLICT,
                   "participant_dormant", "after_employment_end");
    /* A second termination needs the first one cancelled. */
    assert_refused(change(&p, RULE_CHANGE_TERMINATION, date_of(2026, 6, 1)), RULE_CONFLICT,
                   "termination_already_registered", "termination_already_registered");
}

static void test_change_window(void **state)
{
    (void)state;
    rule_participant_state p = active_pension();
    /* today 2026-05-15: three months back is 2026-02-15. */
    assert_direct(change(&p, RULE_CHANGE_SALARY, date_of(2026, 2, 15)));
    assert_review(change(&p, RULE_CHANGE_SALARY, date_of(2026, 2, 14)),
                  "effective_date_more_than_three_months_back");
    assert_direct(change(&p, RULE_CHANGE_SALARY, date_of(2026, 8, 15)));
    assert_refused(change(&p, RULE_CHANGE_SALARY, date_of(2026, 8, 16)), RULE_INVALID,
                   "effective_date_out_of_range", "effective_date_too_far_ahead");
}

static void test_change_bad_arguments(void **state)
{
    (void)state;
    rule_participant_state p = active_pension();
    rule_verdict v = {RULE_CONFLICT, "x", NULL};
    civil_date today = date_of(2026, 5, 15);
    assert_int_equal(rule_check_change(&p, RULE_CHANGE_REGISTRATION, today, today, &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rule_check_change(&p, RULE_CHANGE_SALARY, today, date_of(2026, 2, 30), &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(rule_check_change(NULL, RULE_CHANGE_SALARY, today, today, &v),
                     PORTAL_ERR_INVALID);
    p.has_employment_end = true; /* with an unset (invalid) end date */
    assert_int_equal(rule_check_change(&p, RULE_CHANGE_SALARY, today, today, &v),
                     PORTAL_ERR_INVALID);
    assert_int_equal(v.outcome, RULE_CONFLICT);
}

static void test_salary_change_fields(void **state)
{
    (void)state;
    rule_salary_change parsed;
    rule_report r;
    assert_int_equal(rule_check_salary_change("60000.00", NULL, &parsed, &r), PORTAL_OK);
    assert_int_equal(r.outcome, RULE_DIRECT);
    assert_true(parsed.has_salary);
    assert_int_equal(parsed.salary, 6000000);
    assert_false(parsed.has_parttime_percentage);

    assert_int_equal(rule_check_salary_change(NULL, "80", &parsed, &r), PORTAL_OK);
    assert_int_equal(r.outcome, RULE_DIRECT);
    assert_false(parsed.has_salary);
    assert_int_equal(parsed.parttime_percentage, 80000);

    assert_int_equal(rule_check_salary_change(NULL, NULL, &parsed, &r), PORTAL_OK);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_true(has_finding(&r, "salary_change_empty", "/salary"));

    assert_int_equal(rule_check_salary_change("100.123", "100.001", &parsed, &r), PORTAL_OK);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_true(has_finding(&r, "salary_invalid", "/salary"));
    assert_true(has_finding(&r, "parttime_percentage_invalid", "/parttime_percentage"));
    assert_string_equal(rule_report_code(&r), "validation_failed");
}

static void test_family_members(void **state)
{
    (void)state;
    civil_date today = date_of(2026, 5, 15);
    rule_family_member parsed;
    rule_report r;
    rule_family_input partner = {"1982-03-04", "111222333", "registered_partnership"};
    assert_int_equal(rule_check_family_member(RULE_CHANGE_PARTNER, &partner, today, &parsed, &r),
                     PORTAL_OK);
    assert_int_equal(r.outcome, RULE_DIRECT);
    assert_int_equal(parsed.relationship, RULE_RELATIONSHIP_REGISTERED_PARTNERSHIP);
    assert_int_equal(parsed.birth_date.year, 1982);

    static const char *const relationships[] = {"married", "cohabiting"};
    for (size_t i = 0; i < 2; i++) {
        partner.relationship = relationships[i];
        assert_int_equal(
            rule_check_family_member(RULE_CHANGE_PARTNER, &partner, today, &parsed, &r), PORTAL_OK);
        assert_int_equal(r.outcome, RULE_DIRECT);
    }
    partner.relationship = "friend";
    assert_int_equal(rule_check_family_member(RULE_CHANGE_PARTNER, &partner, today, &parsed, &r),
                     PORTAL_OK);
    assert_true(has_finding(&r, "relationship_invalid", "/partner/relationship"));
    partner.relationship = NULL;
    assert_int_equal(rule_check_family_member(RULE_CHANGE_PARTNER, &partner, today, &parsed, &r),
                     PORTAL_OK);
    assert_true(has_finding(&r, "field_required", "/partner/relationship"));

    /* A child has no relationship; its BSN must pass the 11-proef. */
    rule_family_input child = {"2020-01-31", "123456789", NULL};
    assert_int_equal(rule_check_family_member(RULE_CHANGE_CHILD, &child, today, &parsed, &r),
                     PORTAL_OK);
    assert_int_equal(r.outcome, RULE_INVALID);
    assert_true(has_finding(&r, "bsn_invalid", "/child/bsn"));
    assert_string_equal(rule_report_code(&r), "invalid_bsn");
    child.bsn = NULL;
    assert_int_equal(rule_check_family_member(RULE_CHANGE_CHILD, &child, today, &parsed, &r),
                     PORTAL_OK);
    assert_true(has_finding(&r, "field_required", "/child/bsn"));
    child.bsn = "123456782";
    child.birth_date = "2026-05-16";
    assert_int_equal(rule_check_family_member(RULE_CHANGE_CHILD, &child, today, &parsed, &r),
                     PORTAL_OK);
    assert_true(has_finding(&r, "family_birth_date_in_future", "/child/birth_date"));
    child.birth_date = "2026-05-15";
    assert_int_equal(rule_check_family_member(RULE_CHANGE_CHILD, &child, today, &parsed, &r),
                     PORTAL_OK);
    assert_int_equal(r.outcome, RULE_DIRECT);

    assert_int_equal(rule_check_family_member(RULE_CHANGE_SALARY, &child, today, &parsed, &r),
                     PORTAL_ERR_INVALID);
}

/* ---- after termination ---- */

static void test_status_after_termination(void **state)
{
    (void)state;
    rule_participant_status status = RULE_STATUS_ACTIVE;
    civil_date from = {0, 0, 0};
    assert_int_equal(
        rule_status_after_termination(RULE_SCHEME_PENSION, date_of(2026, 6, 30), &status, &from),
        PORTAL_OK);
    assert_int_equal(status, RULE_STATUS_DORMANT);
    assert_int_equal(civil_date_compare(from, date_of(2026, 7, 1)), 0);
    assert_string_equal(rule_status_name(status), "dormant");

    assert_int_equal(
        rule_status_after_termination(RULE_SCHEME_INCOME, date_of(2024, 2, 28), &status, &from),
        PORTAL_OK);
    assert_int_equal(status, RULE_STATUS_ENDED);
    assert_int_equal(civil_date_compare(from, date_of(2024, 2, 29)), 0);
    assert_string_equal(rule_status_name(status), "ended");

    assert_int_equal(
        rule_status_after_termination(RULE_SCHEME_INCOME, date_of(2026, 12, 31), &status, &from),
        PORTAL_OK);
    assert_int_equal(civil_date_compare(from, date_of(2027, 1, 1)), 0);

    assert_int_equal(
        rule_status_after_termination(RULE_SCHEME_PENSION, date_of(2200, 12, 31), &status, &from),
        PORTAL_ERR_INVALID);
    assert_int_equal(status, RULE_STATUS_ENDED);
}

/* ---- the rule table and names ---- */

static void test_rule_table(void **state)
{
    (void)state;
    size_t count = 0;
    const rule_definition *table = rule_definitions(&count);
    assert_true(count >= 20);
    for (size_t i = 0; i < count; i++) {
        const rule_definition *rule = &table[i];
        assert_non_null(rule->id);
        assert_true(strlen(rule->description_nl) > 10);
        assert_true(strlen(rule->description_en) > 10);
        if (rule->outcome == RULE_REVIEW) {
            assert_null(rule->code);
        } else {
            assert_true(rule->outcome == RULE_INVALID || rule->outcome == RULE_CONFLICT);
            assert_non_null(rule->code);
        }
        for (size_t k = i + 1; k < count; k++) {
            assert_true(strcmp(rule->id, table[k].id) != 0);
        }
        assert_ptr_equal(rule_find(rule->id), rule);
    }
    assert_null(rule_find("no_such_rule"));
    assert_null(rule_find(NULL));
    const rule_definition *age = rule_find("age_67_or_over");
    assert_non_null(age);
    assert_int_equal(age->outcome, RULE_REVIEW);
    assert_non_null(strstr(age->description_nl, "67 jaar"));
}

static void test_names(void **state)
{
    (void)state;
    rule_participant_status status;
    assert_int_equal(rule_status_parse("pending_review", &status), PORTAL_OK);
    assert_int_equal(status, RULE_STATUS_PENDING_REVIEW);
    assert_int_equal(rule_status_parse("Active", &status), PORTAL_ERR_INVALID);
    assert_string_equal(rule_status_name(RULE_STATUS_REJECTED), "rejected");
    assert_null(rule_status_name((rule_participant_status)42));

    rule_scheme_kind kind;
    assert_int_equal(rule_scheme_kind_parse("income", &kind), PORTAL_OK);
    assert_int_equal(kind, RULE_SCHEME_INCOME);
    assert_int_equal(rule_scheme_kind_parse("life", &kind), PORTAL_ERR_INVALID);
    assert_string_equal(rule_scheme_kind_name(RULE_SCHEME_PENSION), "pension");

    rule_gender gender;
    assert_int_equal(rule_gender_parse("unknown", &gender), PORTAL_OK);
    assert_int_equal(gender, RULE_GENDER_UNKNOWN);
    assert_string_equal(rule_gender_name(RULE_GENDER_FEMALE), "female");

    rule_relationship relationship;
    assert_int_equal(rule_relationship_parse("cohabiting", &relationship), PORTAL_OK);
    assert_int_equal(relationship, RULE_RELATIONSHIP_COHABITING);
    assert_int_equal(rule_relationship_parse(NULL, &relationship), PORTAL_ERR_INVALID);
    assert_string_equal(rule_relationship_name(RULE_RELATIONSHIP_MARRIED), "married");

    rule_change_type type;
    static const char *const types[] = {"registration",       "salary_change",
                                        "termination",        "partner_registration",
                                        "child_registration", "address_change"};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(rule_change_type_parse(types[i], &type), PORTAL_OK);
        assert_string_equal(rule_change_type_name(type), types[i]);
    }
    assert_int_equal(rule_change_type_parse("salary", &type), PORTAL_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_month_end_ahead),
        cmocka_unit_test(test_window_month_end_back),
        cmocka_unit_test(test_window_mid_month),
        cmocka_unit_test(test_window_bad_input),
        cmocka_unit_test(test_registration_direct),
        cmocka_unit_test(test_registration_start_date_window),
        cmocka_unit_test(test_registration_age_15_boundary),
        cmocka_unit_test(test_registration_age_67_boundary),
        cmocka_unit_test(test_registration_leap_day_birthday),
        cmocka_unit_test(test_registration_implausible_birth_dates),
        cmocka_unit_test(test_registration_field_errors),
        cmocka_unit_test(test_registration_salary_and_parttime),
        cmocka_unit_test(test_registration_gender),
        cmocka_unit_test(test_registration_bad_arguments),
        cmocka_unit_test(test_change_on_dormant_or_ended),
        cmocka_unit_test(test_change_family_only_in_pension),
        cmocka_unit_test(test_change_termination_dates),
        cmocka_unit_test(test_change_after_employment_end),
        cmocka_unit_test(test_change_window),
        cmocka_unit_test(test_change_bad_arguments),
        cmocka_unit_test(test_salary_change_fields),
        cmocka_unit_test(test_family_members),
        cmocka_unit_test(test_status_after_termination),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
