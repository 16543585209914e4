/* tests/unit/test_payroll_rules.c: the payroll sync's pure rules as
 * tables: period keys (months and four-week periods, 53-week years), the
 * window a period may be sent in ("today" passed in), and what one
 * employment of a snapshot changes against the participant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/payroll_rules.h"

static civil_date D(int y, int m, int d)
{
    civil_date c = {y, m, d};
    return c;
}

static void assert_date(civil_date got, civil_date want)
{
    char a[CIVIL_DATE_TEXT_SIZE], b[CIVIL_DATE_TEXT_SIZE];
    assert_int_equal(civil_date_format(got, a, sizeof a), PORTAL_OK);
    assert_int_equal(civil_date_format(want, b, sizeof b), PORTAL_OK);
    assert_string_equal(a, b);
}

static void test_period_keys(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        civil_date start, end;
    } good[] = {
        {"2026-11", {2026, 11, 1}, {2026, 11, 30}},
        {"2024-02", {2024, 2, 1}, {2024, 2, 29}},
        {"2025-12", {2025, 12, 1}, {2025, 12, 31}},
        /* ISO week 1 of 2026 starts Monday 29 December 2025. */
        {"2026-P01", {2025, 12, 29}, {2026, 1, 25}},
        {"2026-P12", {2026, 11, 2}, {2026, 11, 29}},
        /* 2026 has 53 ISO weeks: P13 takes five (to 3 January 2027). */
        {"2026-P13", {2026, 11, 30}, {2027, 1, 3}},
        /* 2025: week 1 starts 30 December 2024; 52 weeks, P13 is 28 days. */
        {"2025-P13", {2025, 12, 1}, {2025, 12, 28}},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        payroll_period p;
        assert_int_equal(payroll_period_parse(good[i].key, &p), PORTAL_OK);
        assert_date(p.start, good[i].start);
        assert_date(p.end, good[i].end);
    }
    static const char *const bad[] = {
        "",        "2026",    "2026-13", "2026-00", "2026-1",  "2026-P00", "2026-P14",
        "2026-p1", "2026/11", "1949-01", "2200-01", "2026-P1", "2026-011", "x026-11",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        payroll_period p;
        assert_int_equal(payroll_period_parse(bad[i], &p), PORTAL_ERR_INVALID);
    }
    payroll_period p;
    assert_int_equal(payroll_period_parse(NULL, &p), PORTAL_ERR_INVALID);
}

static void test_period_window(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        civil_date today;
        int allowed;
    } rows[] = {
        {"2026-11", {2026, 12, 6}, 1}, {"2020-01", {2026, 12, 6}, 1},
        {"2027-03", {2026, 12, 6}, 1}, /* starts 1 March, today + 3 months is 6 March */
        {"2027-04", {2026, 12, 6}, 0}, {"2027-03", {2026, 11, 30}, 0}, /* + 3: 28 Feb */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        payroll_period p;
        assert_int_equal(payroll_period_parse(rows[i].key, &p), PORTAL_OK);
        assert_int_equal(payroll_period_allowed(&p, rows[i].today), rows[i].allowed);
    }
}

/* The participant of most rows: active since 2020-03-01 at 40,000.00 and
 * 80 %, living at Coolsingel 40, 3011 AD Rotterdam. */
static payroll_participant_facts active(void)
{
    payroll_participant_facts p = {.found = true,
                                   .status = "active",
                                   .employment_start = "2020-03-01",
                                   .salary = "40000.00",
                                   .parttime_percentage = "80.000",
                                   .street = "Coolsingel",
                                   .house_number = "40",
                                   .postal_code = "3011 AD",
                                   .city = "Rotterdam",
                                   .country = "NL"};
    return p;
}

static payroll_row_facts row_of(const payroll_participant_facts *p)
{
    payroll_row_facts r = {.start_date = p->employment_start,
                           .salary = p->salary,
                           .parttime_percentage = p->parttime_percentage,
                           .street = p->street,
                           .house_number = p->house_number,
                           .postal_code = p->postal_code,
                           .city = p->city};
    return r;
}

typedef struct {
    const char *name;
    /* edits on the row and the participant */
    const char *row_start, *row_end, *row_salary, *row_parttime, *row_postal, *row_street;
    bool not_found;
    const char *p_status, *p_end, *p_pending_end;
    /* expected */
    unsigned actions;
    const char *refusal;
    civil_date change_date, end_date;
} diff_case;

static void test_diff_table(void **state)
{
    (void)state;
    const civil_date nov1 = D(2026, 11, 1);
    const diff_case cases[] = {
        {.name = "same", .change_date = nov1},
        {.name = "same, postal code spelt otherwise", .row_postal = "3011ad", .change_date = nov1},
        {.name = "same salary written with one decimal",
         .row_salary = "40000.0",
         .change_date = nov1},
        {.name = "raise", .row_salary = "42000.00", .actions = PAYROLL_SALARY, .change_date = nov1},
        {.name = "part-time",
         .row_parttime = "100",
         .actions = PAYROLL_PARTTIME,
         .change_date = nov1},
        {.name = "moved", .row_street = "Blaak", .actions = PAYROLL_ADDRESS, .change_date = nov1},
        {.name = "unreadable salary counts as a change (the change rule answers)",
         .row_salary = "veel",
         .actions = PAYROLL_SALARY,
         .change_date = nov1},
        {.name = "new person", .not_found = true, .actions = PAYROLL_REGISTRATION},
        {.name = "new person who also leaves",
         .not_found = true,
         .row_end = "2026-11-20",
         .actions = PAYROLL_REGISTRATION | PAYROLL_TERMINATION,
         .end_date = {2026, 11, 20}},
        {.name = "re-hire after the end",
         .row_start = "2026-11-10",
         .p_status = "dormant",
         .p_end = "2025-06-30",
         .actions = PAYROLL_REHIRE},
        {.name = "termination",
         .row_end = "2026-11-15",
         .actions = PAYROLL_TERMINATION,
         .change_date = nov1,
         .end_date = {2026, 11, 15}},
        {.name = "termination plus raise",
         .row_end = "2026-11-15",
         .row_salary = "41000",
         .actions = PAYROLL_TERMINATION | PAYROLL_SALARY,
         .change_date = nov1,
         .end_date = {2026, 11, 15}},
        {.name = "ended before the period: no value changes",
         .row_end = "2026-10-15",
         .row_salary = "41000",
         .actions = PAYROLL_TERMINATION,
         .end_date = {2026, 10, 15}},
        {.name = "termination awaiting review, same date",
         .row_end = "2026-11-15",
         .p_pending_end = "2026-11-15",
         .change_date = nov1},
        {.name = "termination already registered, same date",
         .row_end = "2026-11-15",
         .p_status = "dormant",
         .p_end = "2026-11-15"},
        {.name = "termination already registered, other date",
         .row_end = "2026-11-20",
         .p_status = "dormant",
         .p_end = "2026-11-15",
         .refusal = "termination_already_registered"},
        {.name = "future termination registered, other date",
         .row_end = "2026-11-20",
         .p_end = "2026-12-31",
         .refusal = "termination_already_registered"},
        {.name = "still paid after the registered end",
         .p_status = "dormant",
         .p_end = "2026-10-31",
         .refusal = "participant_dormant"},
        {.name = "other start date", .row_start = "2020-04-01", .refusal = "start_date_mismatch"},
        {.name = "unreadable start date", .row_start = "1 maart", .refusal = "validation_failed"},
        {.name = "end before start", .row_end = "2019-01-01", .refusal = "validation_failed"},
    };
    payroll_period period;
    assert_int_equal(payroll_period_parse("2026-11", &period), PORTAL_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const diff_case *c = &cases[i];
        payroll_participant_facts p = active();
        payroll_row_facts r = row_of(&p);
        if (c->row_start)
            r.start_date = c->row_start;
        r.end_date = c->row_end;
        if (c->row_salary)
            r.salary = c->row_salary;
        if (c->row_parttime)
            r.parttime_percentage = c->row_parttime;
        if (c->row_postal)
            r.postal_code = c->row_postal;
        if (c->row_street)
            r.street = c->row_street;
        p.found = !c->not_found;
        if (c->p_status)
            p.status = c->p_status;
        p.employment_end = c->p_end;
        p.pending_end = c->p_pending_end;
        payroll_diff d;
        print_message("case: %s\n", c->name);
        assert_int_equal(payroll_diff_row(&r, &p, &period, &d), PORTAL_OK);
        assert_int_equal(d.actions, c->actions);
        if (c->refusal)
            assert_string_equal(d.refusal, c->refusal);
        else
            assert_null(d.refusal);
        if (c->actions & (PAYROLL_SALARY | PAYROLL_PARTTIME | PAYROLL_ADDRESS))
            assert_date(d.change_date, c->change_date);
        if (c->actions & PAYROLL_TERMINATION)
            assert_date(d.end_date, c->end_date);
    }
}

static void test_hired_mid_period_changes_date_from_start(void **state)
{
    (void)state;
    payroll_period period;
    assert_int_equal(payroll_period_parse("2026-11", &period), PORTAL_OK);
    payroll_participant_facts p = active();
    p.employment_start = "2026-11-16";
    payroll_row_facts r = row_of(&p);
    r.salary = "45000.00";
    payroll_diff d;
    assert_int_equal(payroll_diff_row(&r, &p, &period, &d), PORTAL_OK);
    assert_int_equal(d.actions, PAYROLL_SALARY);
    assert_date(d.change_date, D(2026, 11, 16));
    /* Facts that cannot be read are the store's fault, not the row's. */
    p.employment_start = "gisteren";
    assert_int_equal(payroll_diff_row(&r, &p, &period, &d), PORTAL_ERR_INVALID);
}

static void test_action_names(void **state)
{
    (void)state;
    const char *names[6];
    int n = payroll_action_names(PAYROLL_TERMINATION | PAYROLL_SALARY | PAYROLL_PARTTIME, names, 6);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "salary_change");
    assert_string_equal(names[1], "parttime_change");
    assert_string_equal(names[2], "termination");
    assert_int_equal(payroll_action_names(PAYROLL_REGISTRATION | PAYROLL_ADDRESS, names, 1), 1);
    assert_int_equal(payroll_action_names(0, names, 6), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_keys),
        cmocka_unit_test(test_period_window),
        cmocka_unit_test(test_diff_table),
        cmocka_unit_test(test_hired_mid_period_changes_date_from_start),
        cmocka_unit_test(test_action_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
