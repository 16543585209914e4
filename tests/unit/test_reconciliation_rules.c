/* tests/unit/test_reconciliation_rules.c: the year-end reconciliation worked
 * out by hand (every figure written out, the arithmetic in the comments),
 * its edge cases, every completeness code, the overflow limits and the wage
 * cap table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/reconciliation_rules.h"
#include "domain/wage_caps.h"

static civil_date D(int y, int m, int d)
{
    civil_date c = {y, m, d};
    return c;
}

static recon_rules_employment open_employment(civil_date start)
{
    recon_rules_employment e;
    memset(&e, 0, sizeof(e));
    e.start_date = start;
    return e;
}

static recon_rules_employment closed_employment(civil_date start, civil_date end)
{
    recon_rules_employment e = open_employment(start);
    e.has_end_date = true;
    e.end_date = end;
    return e;
}

static recon_rules_employee employee_of(const recon_rules_employment *employments, size_t count,
                                        int64_t wage)
{
    recon_rules_employee e;
    memset(&e, 0, sizeof(e));
    e.employments = employments;
    e.employment_count = count;
    e.has_insured_wage = true;
    e.insured_wage = wage;
    return e;
}

static recon_rules_sick_report report_of(size_t employee, civil_date first, bool recovered,
                                         civil_date recovery, int64_t ao)
{
    recon_rules_sick_report r;
    memset(&r, 0, sizeof(r));
    r.employee_index = employee;
    r.first_sick_day = first;
    r.has_recovery_date = recovered;
    r.recovery_date = recovery;
    r.ao_percentage = ao;
    return r;
}

/* ---- the main example (the README shows the same numbers) ----
 *
 * Year 2025 (365 days), policy start 1 April 2025, so the insured part of
 * the year is 1 April .. 31 December. Wage cap 75,864.00 (the 2025 maximum
 * premieloon), premium rate 2.000%, provisional premium 3,000.00.
 * Stop-loss: own risk 5.000% of the capped wages, continued pay 70.000%,
 * maximum reimbursement 5,000.00.
 *
 * Employee 0 (A): employed since 2019-05-01, no end; insured wage 41,000.00.
 * Employee 1 (B): employed from 2025-07-15, no end; insured wage 30,000.00.
 * Employee 2 (C): employed 2020-01-01 .. 2025-09-30; insured wage 60,000.00
 *                 (above their prorated cap).
 * Report 0: C sick from 2025-06-02, back at work 2025-07-14, AO 100.000%.
 * Report 1: A sick from 2025-11-03, not recovered, AO 50.000%.
 */
static recon_rules_employment main_employments[3];
static recon_rules_employee main_employees[3];
static recon_rules_sick_report main_reports[2];

static recon_rules_parameters main_parameters(recon_rules_variant variant)
{
    recon_rules_parameters p;
    memset(&p, 0, sizeof(p));
    p.year = 2025;
    p.policy_start = D(2025, 4, 1);
    p.variant = variant;
    p.premium_rate = 2000;          /* 2.000% */
    p.provisional_premium = 300000; /* 3,000.00 */
    p.wage_cap = 7586400;           /* 75,864.00 */
    if (variant == RECON_RULES_STOP_LOSS) {
        p.has_own_risk_percentage = true;
        p.own_risk_percentage = 5000;       /* 5.000% */
        p.continued_pay_percentage = 70000; /* 70.000% */
        p.maximum_reimbursement = 500000;   /* 5,000.00 */
    }
    return p;
}

static void main_setup(void)
{
    main_employments[0] = open_employment(D(2019, 5, 1));
    main_employments[1] = open_employment(D(2025, 7, 15));
    main_employments[2] = closed_employment(D(2020, 1, 1), D(2025, 9, 30));
    main_employees[0] = employee_of(&main_employments[0], 1, 4100000);
    main_employees[1] = employee_of(&main_employments[1], 1, 3000000);
    main_employees[2] = employee_of(&main_employments[2], 1, 6000000);
    main_employees[2].left_service = true;
    main_reports[0] = report_of(2, D(2025, 6, 2), true, D(2025, 7, 14), 100000);
    main_reports[1] = report_of(0, D(2025, 11, 3), false, D(1900, 1, 1), 50000);
}

static void assert_line(const recon_rules_employee_line *l, int64_t days, int64_t prorated,
                        int64_t capped, int64_t premium)
{
    assert_int_equal(l->days, days);
    assert_int_equal(l->prorated_cap, prorated);
    assert_int_equal(l->capped_wage, capped);
    assert_int_equal(l->premium, premium);
}

static void test_main_stop_loss(void **state)
{
    (void)state;
    main_setup();
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    recon_rules_employee_line lines[3];
    recon_rules_report_line rl[2];
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    assert_int_equal(t.days_in_year, 365);

    /* A: 1 April .. 31 December = 30+31+30+31+31+30+31+30+31 = 275 days.
     * Prorated cap 75,864.00 x 275 / 365 = 57,157.8082 -> 57,157.81.
     * Capped wage min(41,000.00, 57,157.81) = 41,000.00.
     * Premium 41,000.00 x 2.000 / 100 = 820.00. */
    assert_line(&lines[0], 275, 5715781, 4100000, 82000);
    /* B: 15 July .. 31 December = 17+31+30+31+30+31 = 170 days.
     * Prorated cap 75,864.00 x 170 / 365 = 35,333.9178 -> 35,333.92.
     * Capped wage min(30,000.00, 35,333.92) = 30,000.00; premium 600.00. */
    assert_line(&lines[1], 170, 3533392, 3000000, 60000);
    /* C: 1 April .. 30 September = 30+31+30+31+31+30 = 183 days.
     * Prorated cap 75,864.00 x 183 / 365 = 38,035.9233 -> 38,035.92.
     * Capped wage min(60,000.00, 38,035.92) = 38,035.92.
     * Premium 38,035.92 x 2.000 / 100 = 760.7184 -> 760.72. */
    assert_line(&lines[2], 183, 3803592, 3803592, 76072);

    /* Capped wages 41,000.00 + 30,000.00 + 38,035.92 = 109,035.92.
     * Definitive premium 820.00 + 600.00 + 760.72 = 2,180.72.
     * Settlement 2,180.72 - 3,000.00 = -819.28 (refunded). */
    assert_int_equal(t.capped_wage_total, 10903592);
    assert_int_equal(t.definitive_premium, 218072);
    assert_int_equal(t.provisional_premium, 300000);
    assert_int_equal(t.settlement, -81928);

    /* Own risk 5.000% x 109,035.92 = 5,451.796 -> 5,451.80. */
    assert_true(t.has_stop_loss);
    assert_int_equal(t.own_risk, 545180);
    /* Report 0 (C): 2 June .. 13 July = 29 + 13 = 42 sick days.
     * Daily wage 38,035.92 / 183 = 207.8466 -> 207.85.
     * Cost 207.85 x 42 x 100.000/100 x 70.000/100 = 8,729.70 x 0.7 = 6,110.79. */
    assert_int_equal(rl[0].sick_days, 42);
    assert_int_equal(rl[0].daily_wage, 20785);
    assert_int_equal(rl[0].cost, 611079);
    /* Report 1 (A): 3 November .. 31 December = 28 + 31 = 59 sick days.
     * Daily wage 41,000.00 / 275 = 149.0909 -> 149.09.
     * Cost 149.09 x 59 x 50.000/100 x 70.000/100 = 8,796.31 x 0.35
     * = 3,078.7085 -> 3,078.71. */
    assert_int_equal(rl[1].sick_days, 59);
    assert_int_equal(rl[1].daily_wage, 14909);
    assert_int_equal(rl[1].cost, 307871);
    /* Sick-pay cost 6,110.79 + 3,078.71 = 9,189.50.
     * Reimbursement min(max(0, 9,189.50 - 5,451.80), 5,000.00) = 3,737.70. */
    assert_int_equal(t.sick_pay_cost, 918950);
    assert_int_equal(t.reimbursement, 373770);
}

static void test_main_no_claim(void **state)
{
    (void)state;
    main_setup();
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    recon_rules_employee_line lines[3];
    recon_rules_report_line rl[2];
    memset(rl, 0x5a, sizeof(rl));
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    /* The premium side is the same as for stop-loss. */
    assert_line(&lines[0], 275, 5715781, 4100000, 82000);
    assert_line(&lines[1], 170, 3533392, 3000000, 60000);
    assert_line(&lines[2], 183, 3803592, 3803592, 76072);
    assert_int_equal(t.capped_wage_total, 10903592);
    assert_int_equal(t.definitive_premium, 218072);
    assert_int_equal(t.provisional_premium, 300000);
    assert_int_equal(t.settlement, -81928);
    /* No own risk, sick-pay cost or reimbursement; the reports count nothing. */
    assert_false(t.has_stop_loss);
    assert_int_equal(t.own_risk, 0);
    assert_int_equal(t.sick_pay_cost, 0);
    assert_int_equal(t.reimbursement, 0);
    for (int r = 0; r < 2; r++) {
        assert_int_equal(rl[r].sick_days, 0);
        assert_int_equal(rl[r].daily_wage, 0);
        assert_int_equal(rl[r].cost, 0);
    }
}

static void test_main_is_complete(void **state)
{
    (void)state;
    main_setup();
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    recon_rules_problem problems[4];
    size_t found = 99;
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), main_employees, 3, main_reports, 2,
                                       problems, 4, &found),
                     PORTAL_OK);
    assert_int_equal(found, 0);
}

/* ---- edge cases ---- */

static void test_leap_year(void **state)
{
    (void)state;
    /* 2024 has 366 days; policy since 2020. */
    recon_rules_employment m[2] = {open_employment(D(2010, 1, 1)), open_employment(D(2024, 3, 1))};
    recon_rules_employee e[2] = {employee_of(&m[0], 1, 9000000), employee_of(&m[1], 1, 9000000)};
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    p.year = 2024;
    p.policy_start = D(2020, 1, 1);
    p.wage_cap = 7162800; /* 71,628.00 */
    p.provisional_premium = 0;
    recon_rules_employee_line lines[2];
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, e, 2, NULL, 0, lines, NULL, &t), PORTAL_OK);
    assert_int_equal(t.days_in_year, 366);
    /* Full year: 366 days, prorated cap 71,628.00 x 366 / 366 = 71,628.00,
     * capped min(90,000.00, 71,628.00) = 71,628.00, premium 1,432.56. */
    assert_line(&lines[0], 366, 7162800, 7162800, 143256);
    /* 1 March .. 31 December 2024 = 366 - 31 - 29 = 306 days; prorated cap
     * 71,628.00 x 306 / 366 = 59,885.7049 -> 59,885.70; premium
     * 59,885.70 x 2% = 1,197.714 -> 1,197.71. */
    assert_line(&lines[1], 306, 5988570, 5988570, 119771);
    /* 1,432.56 + 1,197.71 = 2,630.27; nothing provisional: all to pay. */
    assert_int_equal(t.definitive_premium, 263027);
    assert_int_equal(t.settlement, 263027);
    assert_int_equal(recon_rules_days_in_year(2024), 366);
    assert_int_equal(recon_rules_days_in_year(2025), 365);
    assert_int_equal(recon_rules_days_in_year(2100), 365);
    assert_int_equal(recon_rules_days_in_year(2000), 366);
}

static void test_employment_days_both_ends_counted(void **state)
{
    (void)state;
    int64_t days = -1;
    /* Policy from 1 April 2025: an employment ending 31 March counts 0 days,
     * one ending 1 April counts 1, one starting and ending on 1 April 1. */
    recon_rules_employment before = closed_employment(D(2023, 1, 1), D(2025, 3, 31));
    assert_int_equal(recon_rules_employment_days(2025, D(2025, 4, 1), &before, &days), PORTAL_OK);
    assert_int_equal(days, 0);
    recon_rules_employment one = closed_employment(D(2023, 1, 1), D(2025, 4, 1));
    assert_int_equal(recon_rules_employment_days(2025, D(2025, 4, 1), &one, &days), PORTAL_OK);
    assert_int_equal(days, 1);
    recon_rules_employment same = closed_employment(D(2025, 4, 1), D(2025, 4, 1));
    assert_int_equal(recon_rules_employment_days(2025, D(2025, 4, 1), &same, &days), PORTAL_OK);
    assert_int_equal(days, 1);
    /* Starting on 31 December: 1 day; starting 1 January next year: 0. */
    recon_rules_employment last = open_employment(D(2025, 12, 31));
    assert_int_equal(recon_rules_employment_days(2025, D(2020, 1, 1), &last, &days), PORTAL_OK);
    assert_int_equal(days, 1);
    recon_rules_employment next = open_employment(D(2026, 1, 1));
    assert_int_equal(recon_rules_employment_days(2025, D(2020, 1, 1), &next, &days), PORTAL_OK);
    assert_int_equal(days, 0);
    /* A policy start before the year does not extend it: 365. */
    recon_rules_employment all = open_employment(D(2000, 1, 1));
    assert_int_equal(recon_rules_employment_days(2025, D(2020, 6, 1), &all, &days), PORTAL_OK);
    assert_int_equal(days, 365);
    /* Two employments in one year are summed: 1-31 Jan (31) + 1-28 Feb (28). */
    recon_rules_employment two[2] = {closed_employment(D(2025, 1, 1), D(2025, 1, 31)),
                                     closed_employment(D(2025, 2, 1), D(2025, 2, 28))};
    recon_rules_employee e = employee_of(two, 2, 100000);
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    p.policy_start = D(2020, 1, 1);
    recon_rules_employee_line line;
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, &e, 1, NULL, 0, &line, NULL, &t), PORTAL_OK);
    assert_int_equal(line.days, 59);
    /* Bad input. */
    recon_rules_employment inverted = closed_employment(D(2025, 5, 1), D(2025, 4, 30));
    assert_int_equal(recon_rules_employment_days(2025, D(2020, 1, 1), &inverted, &days),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_employment_days(2025, D(2025, 2, 30), &all, &days),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_employment_days(1949, D(1940, 1, 1), &all, &days),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_employment_days(2025, D(2020, 1, 1), NULL, &days),
                     PORTAL_ERR_INVALID);
}

static void test_employment_before_policy_start(void **state)
{
    (void)state;
    /* Ended 15 March 2025 under a policy from 1 April 2025: 0 days, so no
     * prorated cap, capped wage or premium, and no wage is needed. */
    recon_rules_employment m = closed_employment(D(2024, 6, 1), D(2025, 3, 15));
    recon_rules_employee e = employee_of(&m, 1, 0);
    e.has_insured_wage = false;
    e.left_service = true;
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    recon_rules_employee_line line;
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, &e, 1, NULL, 0, &line, NULL, &t), PORTAL_OK);
    assert_line(&line, 0, 0, 0, 0);
    assert_int_equal(t.definitive_premium, 0);
    assert_int_equal(t.settlement, -300000);
    size_t found = 99;
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), &e, 1, NULL, 0, NULL, 0, &found),
                     PORTAL_OK);
    assert_int_equal(found, 0);
    /* With a wage given it still counts nothing. */
    e.has_insured_wage = true;
    e.insured_wage = 1000000;
    assert_int_equal(recon_rules_compute(&p, &e, 1, NULL, 0, &line, NULL, &t), PORTAL_OK);
    assert_line(&line, 0, 0, 0, 0);
}

static recon_rules_parameters wide_cap_parameters(int64_t provisional)
{
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    p.policy_start = D(2020, 1, 1);
    p.provisional_premium = provisional;
    p.has_own_risk_percentage = false;
    p.has_own_risk_amount = true;
    p.own_risk_amount = 0;
    p.continued_pay_percentage = 100000; /* 100.000% */
    return p;
}

static void test_half_cent_rounding(void **state)
{
    (void)state;
    /* Full year, wage 12,345.25 below the cap: premium 12,345.25 x 2.000%
     * = 246.905 -> 246.91 (half away from zero, on the line). */
    recon_rules_employment m = open_employment(D(2010, 1, 1));
    recon_rules_employee e = employee_of(&m, 1, 1234525);
    recon_rules_employee_line line;
    recon_rules_totals t;
    recon_rules_parameters p = wide_cap_parameters(24600); /* provisional 246.00 */
    assert_int_equal(recon_rules_compute(&p, &e, 1, NULL, 0, &line, NULL, &t), PORTAL_OK);
    assert_int_equal(line.premium, 24691);
    /* 246.91 - 246.00 = +0.91 to pay. */
    assert_int_equal(t.settlement, 91);
    p = wide_cap_parameters(24700); /* provisional 247.00 */
    assert_int_equal(recon_rules_compute(&p, &e, 1, NULL, 0, &line, NULL, &t), PORTAL_OK);
    /* 246.91 - 247.00 = -0.09: refunded, the line was rounded before. */
    assert_int_equal(t.settlement, -9);

    /* Daily wage and cost on a half cent: 10 days (1..10 December), wage
     * 1,234.45 (below 75,864.00 x 10 / 365 = 2,078.47). Daily wage
     * 1,234.45 / 10 = 123.445 -> 123.45; one sick day (10 December,
     * recovered 11 December) at AO 50.000% and continued pay 100.000%:
     * 123.45 x 1 x 0.5 x 1 = 61.725 -> 61.73. */
    recon_rules_employment short_m = closed_employment(D(2025, 12, 1), D(2025, 12, 10));
    recon_rules_employee short_e = employee_of(&short_m, 1, 123445);
    recon_rules_sick_report r = report_of(0, D(2025, 12, 10), true, D(2025, 12, 11), 50000);
    recon_rules_report_line rl;
    p = wide_cap_parameters(0);
    assert_int_equal(recon_rules_compute(&p, &short_e, 1, &r, 1, &line, &rl, &t), PORTAL_OK);
    /* Prorated cap 75,864.00 x 10 / 365 = 2,078.4657 -> 2,078.47. */
    assert_line(&line, 10, 207847, 123445, 2469); /* 1,234.45 x 2% = 24.689 -> 24.69 */
    assert_int_equal(rl.sick_days, 1);
    assert_int_equal(rl.daily_wage, 12345);
    assert_int_equal(rl.cost, 6173);
    /* Own risk 0: reimbursement is the whole cost, 61.73. */
    assert_int_equal(t.reimbursement, 6173);
}

static void test_own_risk_above_cost(void **state)
{
    (void)state;
    main_setup();
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    p.has_own_risk_percentage = false;
    p.has_own_risk_amount = true;
    p.own_risk_amount = 1000000; /* 10,000.00 */
    recon_rules_employee_line lines[3];
    recon_rules_report_line rl[2];
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    /* Own risk is the amount as given; 9,189.50 - 10,000.00 < 0 -> 0. */
    assert_int_equal(t.own_risk, 1000000);
    assert_int_equal(t.sick_pay_cost, 918950);
    assert_int_equal(t.reimbursement, 0);
    /* 10.000% of 109,035.92 = 10,903.592 -> 10,903.59, also above it. */
    p = main_parameters(RECON_RULES_STOP_LOSS);
    p.own_risk_percentage = 10000;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    assert_int_equal(t.own_risk, 1090359);
    assert_int_equal(t.reimbursement, 0);
    /* Own risk equal to the cost: 0 as well. */
    p = main_parameters(RECON_RULES_STOP_LOSS);
    p.has_own_risk_percentage = false;
    p.has_own_risk_amount = true;
    p.own_risk_amount = 918950;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    assert_int_equal(t.reimbursement, 0);
}

static void test_reimbursement_capped(void **state)
{
    (void)state;
    main_setup();
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    p.maximum_reimbursement = 200000; /* 2,000.00 */
    recon_rules_employee_line lines[3];
    recon_rules_report_line rl[2];
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    /* min(3,737.70, 2,000.00) = 2,000.00. */
    assert_int_equal(t.reimbursement, 200000);
    /* A maximum of exactly 3,737.70 pays 3,737.70; one cent less pays that. */
    p.maximum_reimbursement = 373770;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    assert_int_equal(t.reimbursement, 373770);
    p.maximum_reimbursement = 373769;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    assert_int_equal(t.reimbursement, 373769);
}

static int64_t sick_days_of(int year, recon_rules_sick_report r)
{
    int64_t days = -1;
    assert_int_equal(recon_rules_sick_days(year, &r, &days), PORTAL_OK);
    return days;
}

static void test_sick_days(void **state)
{
    (void)state;
    /* Recovered on 1 January of the next year: 1 .. 31 December = 31. */
    assert_int_equal(sick_days_of(2025, report_of(0, D(2025, 12, 1), true, D(2026, 1, 1), 100000)),
                     31);
    /* Recovered on 31 December: 1 .. 30 December = 30. */
    assert_int_equal(
        sick_days_of(2025, report_of(0, D(2025, 12, 1), true, D(2025, 12, 31), 100000)), 30);
    /* Sick since 20 November 2024, back on 10 January 2025: 1 .. 9 January. */
    assert_int_equal(
        sick_days_of(2025, report_of(0, D(2024, 11, 20), true, D(2025, 1, 10), 100000)), 9);
    /* Sick since 2024, not recovered: the whole year, 365 (366 in 2024). */
    assert_int_equal(
        sick_days_of(2025, report_of(0, D(2024, 11, 20), false, D(1900, 1, 1), 100000)), 365);
    assert_int_equal(
        sick_days_of(2024, report_of(0, D(2023, 11, 20), false, D(1900, 1, 1), 100000)), 366);
    /* Recovered on the first sick day: 0; recovered the day after: 1. */
    assert_int_equal(sick_days_of(2025, report_of(0, D(2025, 5, 5), true, D(2025, 5, 5), 100000)),
                     0);
    assert_int_equal(sick_days_of(2025, report_of(0, D(2025, 5, 5), true, D(2025, 5, 6), 100000)),
                     1);
    /* Recovered on 1 January of the year itself: nothing in the year. */
    assert_int_equal(sick_days_of(2025, report_of(0, D(2024, 12, 1), true, D(2025, 1, 1), 100000)),
                     0);
    /* Recovery before the first sick day is invalid. */
    recon_rules_sick_report bad = report_of(0, D(2025, 5, 5), true, D(2025, 5, 4), 100000);
    int64_t days = -1;
    assert_int_equal(recon_rules_sick_days(2025, &bad, &days), PORTAL_ERR_INVALID);
    assert_int_equal(days, -1);
}

static void test_sick_report_across_year_ends_costs(void **state)
{
    (void)state;
    /* Whole year 2025 employed, capped wage 36,500.00 (below the cap):
     * daily wage 36,500.00 / 365 = 100.00. A report from 20 November 2024
     * to 9 January 2025 (recovered 10 January) counts 9 days; one from
     * 1 December 2025 recovered 1 January 2026 counts 31. At AO 100% and
     * continued pay 100%: 9 x 100.00 = 900.00 and 31 x 100.00 = 3,100.00. */
    recon_rules_employment m = open_employment(D(2010, 1, 1));
    recon_rules_employee e = employee_of(&m, 1, 3650000);
    recon_rules_sick_report r[2] = {report_of(0, D(2024, 11, 20), true, D(2025, 1, 10), 100000),
                                    report_of(0, D(2025, 12, 1), true, D(2026, 1, 1), 100000)};
    recon_rules_parameters p = wide_cap_parameters(0);
    recon_rules_employee_line line;
    recon_rules_report_line rl[2];
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, &e, 1, r, 2, &line, rl, &t), PORTAL_OK);
    assert_int_equal(rl[0].sick_days, 9);
    assert_int_equal(rl[0].daily_wage, 10000);
    assert_int_equal(rl[0].cost, 90000);
    assert_int_equal(rl[1].sick_days, 31);
    assert_int_equal(rl[1].cost, 310000);
    assert_int_equal(t.sick_pay_cost, 400000);
    size_t found = 99;
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), &e, 1, r, 2, NULL, 0, &found),
                     PORTAL_OK);
    assert_int_equal(found, 0);
}

static void test_sick_days_before_policy_start_count(void **state)
{
    (void)state;
    /* Policy from 1 April 2025; employed all year, capped wage 27,500.00
     * over the 275 insured days (1 April .. 31 December): daily wage
     * 27,500.00 / 275 = 100.00. Sick from 1 March, back on 10 April: the
     * sick days are counted inside the calendar year (DESIGN §4.6), not from
     * the policy start: 1 March .. 9 April = 31 + 9 = 40 days, so the cost
     * at AO 100% and continued pay 100% is 40 x 100.00 = 4,000.00. */
    recon_rules_employment m = open_employment(D(2010, 1, 1));
    recon_rules_employee e = employee_of(&m, 1, 2750000);
    recon_rules_sick_report r = report_of(0, D(2025, 3, 1), true, D(2025, 4, 10), 100000);
    recon_rules_parameters p = wide_cap_parameters(0);
    p.policy_start = D(2025, 4, 1);
    recon_rules_employee_line line;
    recon_rules_report_line rl;
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, &e, 1, &r, 1, &line, &rl, &t), PORTAL_OK);
    assert_int_equal(line.days, 275);
    assert_int_equal(rl.sick_days, 40);
    assert_int_equal(rl.daily_wage, 10000);
    assert_int_equal(rl.cost, 400000);
}

/* ---- completeness ---- */

typedef struct {
    const char *code;
    const char *pointer;
} expected_problem;

static void assert_problems(const recon_rules_problem *problems, size_t found,
                            const expected_problem *expected, size_t count)
{
    for (size_t i = 0; i < found && i < count; i++) {
        char pointer[RECON_RULES_POINTER_SIZE];
        assert_int_equal(recon_rules_problem_pointer(&problems[i], pointer, sizeof(pointer)),
                         PORTAL_OK);
        if (strcmp(problems[i].rule->code, expected[i].code) != 0 ||
            strcmp(pointer, expected[i].pointer) != 0) {
            print_message("problem %zu: %s %s\n", i, problems[i].rule->code, pointer);
        }
        assert_string_equal(problems[i].rule->code, expected[i].code);
        assert_string_equal(pointer, expected[i].pointer);
    }
    assert_int_equal(found, count);
}

static void test_every_completeness_code(void **state)
{
    (void)state;
    /* Employee 0: ended (left service) without an end date.
     * Employee 1: fixed-term without an end date; no wage (days > 0).
     * Employee 2: two overlapping employments, the first one open-ended and
     *             followed by the second: end required and overlap.
     * Employee 3: no employments at all.
     * Employee 4: end before start, a start before 1950, an impossible date,
     *             a negative wage.
     * Employee 5: 33 employments.
     * Employee 6: employed only after the year (no insured days). */
    recon_rules_employment e0[1] = {open_employment(D(2020, 1, 1))};
    recon_rules_employment e1[1] = {open_employment(D(2025, 2, 1))};
    e1[0].fixed_term = true;
    recon_rules_employment e2[2] = {open_employment(D(2020, 1, 1)),
                                    closed_employment(D(2025, 6, 1), D(2025, 8, 31))};
    recon_rules_employment e4[3] = {closed_employment(D(2025, 5, 1), D(2025, 4, 30)),
                                    closed_employment(D(1949, 12, 31), D(1960, 1, 1)),
                                    open_employment(D(2025, 2, 30))};
    recon_rules_employment e5[33];
    for (int i = 0; i < 33; i++) {
        e5[i] = closed_employment(D(1990 + i, 1, 1), D(1990 + i, 1, 2));
    }
    recon_rules_employment e6[1] = {open_employment(D(2026, 3, 1))};
    recon_rules_employee employees[7] = {
        employee_of(e0, 1, 100000), employee_of(e1, 1, 0),  employee_of(e2, 2, 100000),
        employee_of(NULL, 0, 0),    employee_of(e4, 3, -1), employee_of(e5, 33, 100000),
        employee_of(e6, 1, 0),
    };
    employees[0].left_service = true;
    employees[1].has_insured_wage = false;
    employees[3].has_insured_wage = false;
    employees[6].has_insured_wage = false;
    /* Reports: an unknown employee; an impossible first sick day; recovery
     * before the first sick day; a report after the year; one before it;
     * future dates (today is 2026-01-15); an employee without insured days;
     * AO 0 and ATW above 100; a first sick day before 1950. */
    recon_rules_sick_report reports[9] = {
        report_of(7, D(2025, 3, 1), false, D(1900, 1, 1), 100000),
        report_of(0, D(2025, 2, 29), false, D(1900, 1, 1), 100000),
        report_of(0, D(2025, 5, 5), true, D(2025, 5, 4), 100000),
        report_of(0, D(2026, 1, 2), false, D(1900, 1, 1), 100000),
        report_of(0, D(2024, 12, 1), true, D(2025, 1, 1), 100000),
        report_of(0, D(2026, 1, 16), true, D(2026, 2, 1), 100000),
        report_of(6, D(2025, 5, 1), true, D(2025, 5, 10), 100000),
        report_of(0, D(2025, 5, 1), true, D(2025, 5, 10), 0),
        report_of(0, D(1949, 5, 1), true, D(2025, 5, 10), 100000),
    };
    reports[7].atw_percentage = 100001;
    /* Parameters: own risk both ways, premium rate above 100%, a negative
     * provisional premium and maximum, wage cap too large, continued pay
     * above 100%, own-risk percentage above 100%. */
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    p.premium_rate = 100001;
    p.provisional_premium = -1;
    p.wage_cap = INT64_C(100000000000000); /* 10^12 euro: 13 integer digits */
    p.has_own_risk_amount = true;
    p.own_risk_amount = -5;
    p.own_risk_percentage = 100001;
    p.continued_pay_percentage = 100001;
    p.maximum_reimbursement = -1;

    const expected_problem expected[] = {
        {"percentage_invalid", "/premium_rate"},
        {"amount_invalid", "/provisional_premium"},
        {"amount_invalid", "/wage_cap"},
        {"own_risk_ambiguous", "/own_risk_amount"},
        {"percentage_invalid", "/own_risk_percentage"},
        {"amount_invalid", "/own_risk_amount"},
        {"percentage_invalid", "/continued_pay_percentage"},
        {"amount_invalid", "/maximum_reimbursement"},
        {"employment_end_required", "/employees/0/employments/0/end_date"},
        {"fixed_term_end_required", "/employees/1/employments/0/end_date"},
        {"insured_wage_required", "/employees/1/insured_wage"},
        {"employment_end_required", "/employees/2/employments/0/end_date"},
        {"employments_overlap", "/employees/2/employments/1/start_date"},
        {"employment_required", "/employees/3/employments"},
        {"employment_end_before_start", "/employees/4/employments/0/end_date"},
        {"date_out_of_range", "/employees/4/employments/1/start_date"},
        {"date_invalid", "/employees/4/employments/2/start_date"},
        {"insured_wage_invalid", "/employees/4/insured_wage"},
        {"too_many_employments", "/employees/5/employments"},
        {"sick_report_employee_unknown", "/sick_reports/0/employee_id"},
        {"date_invalid", "/sick_reports/1/first_sick_day"},
        {"recovery_before_first_sick_day", "/sick_reports/2/recovery_date"},
        {"sick_report_outside_year", "/sick_reports/3/first_sick_day"},
        {"sick_report_outside_year", "/sick_reports/4/recovery_date"},
        {"date_in_future", "/sick_reports/5/first_sick_day"},
        {"date_in_future", "/sick_reports/5/recovery_date"},
        {"sick_report_outside_year", "/sick_reports/5/first_sick_day"},
        {"sick_report_not_insured", "/sick_reports/6/employee_id"},
        {"ao_percentage_invalid", "/sick_reports/7/ao_percentage"},
        {"atw_percentage_invalid", "/sick_reports/7/atw_percentage"},
        {"date_out_of_range", "/sick_reports/8/first_sick_day"},
    };
    size_t count = sizeof(expected) / sizeof(expected[0]);
    recon_rules_problem problems[40];
    size_t found = 0;
    assert_int_equal(
        recon_rules_check(&p, D(2026, 1, 15), employees, 7, reports, 9, problems, 40, &found),
        PORTAL_OK);
    assert_problems(problems, found, expected, count);

    /* Only the first `capacity` are written, all are counted. */
    recon_rules_problem few[2];
    memset(few, 0, sizeof(few));
    assert_int_equal(
        recon_rules_check(&p, D(2026, 1, 15), employees, 7, reports, 9, few, 2, &found), PORTAL_OK);
    assert_int_equal(found, count);
    assert_string_equal(few[1].rule->code, "amount_invalid");

    /* Every code of the table has been produced above or below. */
    size_t table_count = 0;
    const recon_rules_definition *table = recon_rules_definitions(&table_count);
    for (size_t i = 0; i < table_count; i++) {
        assert_ptr_equal(recon_rules_find(table[i].code), &table[i]);
        assert_non_null(table[i].description_nl);
        assert_non_null(table[i].description_en);
    }
    assert_null(recon_rules_find("no_such_code"));
    assert_null(recon_rules_find(NULL));
}

static void test_parameter_codes(void **state)
{
    (void)state;
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    p.year = 1949;
    p.has_own_risk_percentage = false;
    recon_rules_problem problems[8];
    size_t found = 0;
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), NULL, 0, NULL, 0, problems, 8, &found),
                     PORTAL_OK);
    const expected_problem expected[] = {
        {"year_invalid", "/year"},
        {"policy_start_after_year", "/policy_start"},
        {"own_risk_required", "/own_risk_percentage"},
    };
    assert_problems(problems, found, expected, 3);

    p = main_parameters(RECON_RULES_NO_CLAIM);
    p.policy_start = D(2025, 13, 1);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), NULL, 0, NULL, 0, problems, 8, &found),
                     PORTAL_OK);
    const expected_problem invalid_start[] = {{"date_invalid", "/policy_start"}};
    assert_problems(problems, found, invalid_start, 1);

    /* no_claim: stop-loss parameters are not looked at, reports are ignored. */
    p = main_parameters(RECON_RULES_NO_CLAIM);
    p.continued_pay_percentage = -1;
    recon_rules_sick_report r = report_of(9, D(2025, 2, 29), false, D(1900, 1, 1), 0);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), NULL, 0, &r, 1, problems, 8, &found),
                     PORTAL_OK);
    assert_int_equal(found, 0);
}

static void test_ended_employment_rules(void **state)
{
    (void)state;
    /* The latest of several employments of someone who left needs an end;
     * the earlier ones ended with it are complete. */
    recon_rules_employment m[2] = {closed_employment(D(2020, 1, 1), D(2024, 12, 31)),
                                   open_employment(D(2025, 3, 1))};
    recon_rules_employee e = employee_of(m, 2, 100000);
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    recon_rules_problem problems[4];
    size_t found = 0;
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), &e, 1, NULL, 0, problems, 4, &found),
                     PORTAL_OK);
    assert_int_equal(found, 0);
    e.left_service = true;
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), &e, 1, NULL, 0, problems, 4, &found),
                     PORTAL_OK);
    const expected_problem expected[] = {
        {"employment_end_required", "/employees/0/employments/1/end_date"}};
    assert_problems(problems, found, expected, 1);
    /* A fixed-term contract with its end date is complete; touching
     * employments (one ends 31 May, the next starts 1 June) do not overlap,
     * but sharing a day does. */
    recon_rules_employment f[2] = {closed_employment(D(2025, 1, 1), D(2025, 5, 31)),
                                   closed_employment(D(2025, 6, 1), D(2025, 12, 31))};
    f[0].fixed_term = true;
    f[1].fixed_term = true;
    recon_rules_employee fe = employee_of(f, 2, 100000);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), &fe, 1, NULL, 0, problems, 4, &found),
                     PORTAL_OK);
    assert_int_equal(found, 0);
    recon_rules_employment g[2] = {f[0], closed_employment(D(2025, 5, 31), D(2025, 12, 31))};
    g[1].fixed_term = true;
    recon_rules_employee ge = employee_of(g, 2, 100000);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 15), &ge, 1, NULL, 0, problems, 4, &found),
                     PORTAL_OK);
    const expected_problem overlap[] = {
        {"employments_overlap", "/employees/0/employments/1/start_date"}};
    assert_problems(problems, found, overlap, 1);
}

static void test_compute_refuses_blocking_problems(void **state)
{
    (void)state;
    main_setup();
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    recon_rules_employee_line lines[3];
    recon_rules_report_line rl[2];
    recon_rules_totals t;
    memset(&t, 0x5a, sizeof(t));
    recon_rules_totals untouched = t;
    /* A missing wage (with insured days). */
    main_employees[1].has_insured_wage = false;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    assert_memory_equal(&t, &untouched, sizeof(t));
    main_setup();
    /* Overlapping employments. */
    recon_rules_employment two[2] = {open_employment(D(2020, 1, 1)),
                                     open_employment(D(2025, 6, 1))};
    main_employees[0].employments = two;
    main_employees[0].employment_count = 2;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    main_setup();
    /* A report for an unknown employee. */
    main_reports[1].employee_index = 3;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    main_setup();
    /* Bad parameters. */
    p.premium_rate = -1;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    p = main_parameters(RECON_RULES_STOP_LOSS);
    p.variant = (recon_rules_variant)7;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    p = main_parameters(RECON_RULES_STOP_LOSS);
    /* NULL arrays. */
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, NULL, rl, &t),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, NULL, &t),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_compute(&p, NULL, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_compute(NULL, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, NULL),
                     PORTAL_ERR_INVALID);
    assert_memory_equal(&t, &untouched, sizeof(t));
    /* A problem that does not change the numbers does not block: a
     * fixed-term contract without an end date computes as open-ended. */
    main_employments[1].fixed_term = true;
    assert_int_equal(recon_rules_compute(&p, main_employees, 3, main_reports, 2, lines, rl, &t),
                     PORTAL_OK);
    assert_int_equal(t.definitive_premium, 218072);
}

static void test_check_arguments(void **state)
{
    (void)state;
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    size_t found = 0;
    recon_rules_problem problems[1];
    assert_int_equal(recon_rules_check(&p, D(2026, 2, 30), NULL, 0, NULL, 0, problems, 1, &found),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 1), NULL, 0, NULL, 0, problems, 1, NULL),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 1), NULL, 0, NULL, 0, NULL, 1, &found),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 1), NULL, 1, NULL, 0, problems, 1, &found),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_check(NULL, D(2026, 1, 1), NULL, 0, NULL, 0, problems, 1, &found),
                     PORTAL_ERR_INVALID);
    recon_rules_employee e = employee_of(NULL, 1, 0);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 1), &e, 1, NULL, 0, problems, 1, &found),
                     PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_check(&p, D(2026, 1, 1), &e, RECON_RULES_MAX_EMPLOYEES + 1, NULL,
                                       0, problems, 1, &found),
                     PORTAL_ERR_TOO_LARGE);
}

static void test_problem_pointer(void **state)
{
    (void)state;
    recon_rules_problem p;
    memset(&p, 0, sizeof(p));
    p.rule = recon_rules_find("employment_end_required");
    p.place = RECON_RULES_AT_EMPLOYMENT;
    p.employee_index = 3;
    p.employment_index = 0;
    p.field = "end_date";
    char out[RECON_RULES_POINTER_SIZE];
    assert_int_equal(recon_rules_problem_pointer(&p, out, sizeof(out)), PORTAL_OK);
    assert_string_equal(out, "/employees/3/employments/0/end_date");
    /* The longest pointer there can be fits. */
    p.employee_index = SIZE_MAX;
    p.employment_index = SIZE_MAX;
    p.field = "start_date";
    assert_int_equal(recon_rules_problem_pointer(&p, out, sizeof(out)), PORTAL_OK);
    char small[10] = "unchanged";
    assert_int_equal(recon_rules_problem_pointer(&p, small, sizeof(small)), PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "unchanged");
    p.place = (recon_rules_place)9;
    assert_int_equal(recon_rules_problem_pointer(&p, out, sizeof(out)), PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_problem_pointer(NULL, out, sizeof(out)), PORTAL_ERR_INVALID);
}

/* ---- size and overflow ---- */

static void test_ten_thousand_employees_at_a_billion(void **state)
{
    (void)state;
    /* 10,000 employees, each earning 1,000,000,000.00 under a wage cap of
     * 1,000,000,000.00, full year, premium 100.000%: capped total and
     * definitive premium 10,000,000,000,000.00 (10^15 cents), exact. */
    size_t n = 10000;
    recon_rules_employment m = open_employment(D(2000, 1, 1));
    recon_rules_employee *e = calloc(n, sizeof(*e));
    recon_rules_employee_line *lines = calloc(n, sizeof(*lines));
    assert_non_null(e);
    assert_non_null(lines);
    for (size_t i = 0; i < n; i++) {
        e[i] = employee_of(&m, 1, INT64_C(100000000000));
    }
    recon_rules_parameters p = main_parameters(RECON_RULES_STOP_LOSS);
    p.policy_start = D(2020, 1, 1);
    p.wage_cap = INT64_C(100000000000);
    p.premium_rate = 100000;
    p.provisional_premium = 0;
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, e, n, NULL, 0, lines, NULL, &t), PORTAL_OK);
    assert_int_equal(lines[n - 1].capped_wage, INT64_C(100000000000));
    assert_int_equal(t.capped_wage_total, INT64_C(1000000000000000));
    assert_int_equal(t.definitive_premium, INT64_C(1000000000000000));
    /* Own risk 5% of it: 500,000,000,000.00. */
    assert_int_equal(t.own_risk, INT64_C(50000000000000));
    free(lines);
    free(e);
}

static void test_overflow_is_too_large(void **state)
{
    (void)state;
    /* 100,000 employees at the largest wage numeric(14,2) holds,
     * 999,999,999,999.99: the total 99,999,999,999,999,000.00 does not fit
     * int64 cents (about 9.2 x 10^18). */
    size_t n = RECON_RULES_MAX_EMPLOYEES;
    int64_t most = INT64_C(99999999999999);
    recon_rules_employment m = open_employment(D(2000, 1, 1));
    recon_rules_employee *e = calloc(n + 1, sizeof(*e));
    recon_rules_employee_line *lines = calloc(n + 1, sizeof(*lines));
    assert_non_null(e);
    assert_non_null(lines);
    for (size_t i = 0; i <= n; i++) {
        e[i] = employee_of(&m, 1, most);
    }
    recon_rules_parameters p = main_parameters(RECON_RULES_NO_CLAIM);
    p.policy_start = D(2020, 1, 1);
    p.wage_cap = most;
    recon_rules_totals t;
    assert_int_equal(recon_rules_compute(&p, e, n, NULL, 0, lines, NULL, &t), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(recon_rules_compute(&p, e, n + 1, NULL, 0, lines, NULL, &t),
                     PORTAL_ERR_TOO_LARGE);
    /* Sick-pay costs overflow too: many long reports on a large daily wage. */
    recon_rules_sick_report *r = calloc(n, sizeof(*r));
    recon_rules_report_line *rl = calloc(n, sizeof(*rl));
    assert_non_null(r);
    assert_non_null(rl);
    for (size_t i = 0; i < n; i++) {
        r[i] = report_of(0, D(2024, 1, 1), false, D(1900, 1, 1), 100000);
    }
    recon_rules_parameters s = wide_cap_parameters(0);
    s.wage_cap = most;
    assert_int_equal(recon_rules_compute(&s, e, 1, r, n, lines, rl, &t), PORTAL_ERR_TOO_LARGE);
    free(rl);
    free(r);
    free(lines);
    free(e);
}

/* ---- names and the wage cap table ---- */

static void test_variant_names(void **state)
{
    (void)state;
    recon_rules_variant v = RECON_RULES_NO_CLAIM;
    assert_string_equal(recon_rules_variant_name(RECON_RULES_STOP_LOSS), "stop_loss");
    assert_string_equal(recon_rules_variant_name(RECON_RULES_NO_CLAIM), "no_claim");
    assert_null(recon_rules_variant_name((recon_rules_variant)5));
    assert_int_equal(recon_rules_variant_parse("stop_loss", &v), PORTAL_OK);
    assert_int_equal(v, RECON_RULES_STOP_LOSS);
    assert_int_equal(recon_rules_variant_parse("no_claim", &v), PORTAL_OK);
    assert_int_equal(v, RECON_RULES_NO_CLAIM);
    assert_int_equal(recon_rules_variant_parse("Stop_loss", &v), PORTAL_ERR_INVALID);
    assert_int_equal(recon_rules_variant_parse(NULL, &v), PORTAL_ERR_INVALID);
    assert_int_equal(v, RECON_RULES_NO_CLAIM);
}

static void test_wage_caps(void **state)
{
    (void)state;
    int64_t cap = -1;
    assert_int_equal(wage_cap_for_year(2023, &cap), PORTAL_OK);
    assert_int_equal(cap, 6695600); /* 66,956.00 */
    assert_int_equal(wage_cap_for_year(2024, &cap), PORTAL_OK);
    assert_int_equal(cap, 7162800); /* 71,628.00 */
    assert_int_equal(wage_cap_for_year(2025, &cap), PORTAL_OK);
    assert_int_equal(cap, 7586400); /* 75,864.00 */
    assert_int_equal(wage_cap_for_year(2026, &cap), PORTAL_OK);
    assert_int_equal(cap, 7940900); /* 79,409.00 */
    cap = -1;
    assert_int_equal(wage_cap_for_year(2022, &cap), PORTAL_ERR_NOT_FOUND);
    assert_int_equal(wage_cap_for_year(2027, &cap), PORTAL_ERR_NOT_FOUND);
    assert_int_equal(cap, -1);
    assert_int_equal(wage_cap_for_year(2025, NULL), PORTAL_ERR_INVALID);
    size_t count = 0;
    const wage_cap_entry *table = wage_cap_table(&count);
    assert_int_equal(count, 4);
    for (size_t i = 1; i < count; i++) {
        assert_true(table[i].year > table[i - 1].year);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_main_stop_loss),
        cmocka_unit_test(test_main_no_claim),
        cmocka_unit_test(test_main_is_complete),
        cmocka_unit_test(test_leap_year),
        cmocka_unit_test(test_employment_days_both_ends_counted),
        cmocka_unit_test(test_employment_before_policy_start),
        cmocka_unit_test(test_half_cent_rounding),
        cmocka_unit_test(test_own_risk_above_cost),
        cmocka_unit_test(test_reimbursement_capped),
        cmocka_unit_test(test_sick_days),
        cmocka_unit_test(test_sick_report_across_year_ends_costs),
        cmocka_unit_test(test_sick_days_before_policy_start_count),
        cmocka_unit_test(test_every_completeness_code),
        cmocka_unit_test(test_parameter_codes),
        cmocka_unit_test(test_ended_employment_rules),
        cmocka_unit_test(test_compute_refuses_blocking_problems),
        cmocka_unit_test(test_check_arguments),
        cmocka_unit_test(test_problem_pointer),
        cmocka_unit_test(test_ten_thousand_employees_at_a_billion),
        cmocka_unit_test(test_overflow_is_too_large),
        cmocka_unit_test(test_variant_names),
        cmocka_unit_test(test_wage_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
