/*
 * domain/reconciliation_compute.c: the day counting and the premium and
 * stop-loss arithmetic of the year-end reconciliation; the checks it relies
 * on are in reconciliation_rules.c. See reconciliation_rules.h for the
 * contract and the decisions behind it. Standard C only; integers and
 * decimal.h, never floating point.
 */
#include "domain/reconciliation_rules.h"

#include <string.h>

#include "domain/decimal.h"
#include "domain/reconciliation_internal.h"

/* Day number of d into *out; false for an invalid date. */
bool recon_day_number(civil_date d, int64_t *out)
{
    return civil_date_is_valid(d) && civil_date_to_days(d, out) == PORTAL_OK;
}

/* The larger of a and b. */
static int64_t recon_max(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

/* The smaller of a and b. */
static int64_t recon_min(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* The window of `year` under `policy_start`; valid is false for a year out
 * of range. An invalid policy start is treated as none (1 January). */
recon_window recon_window_of(int year, civil_date policy_start)
{
    recon_window w;
    memset(&w, 0, sizeof(w));
    if (year < RECON_RULES_EARLIEST_YEAR || year > RECON_RULES_LATEST_YEAR) {
        return w;
    }
    civil_date first = {year, 1, 1};
    civil_date last = {year, 12, 31};
    if (!recon_day_number(first, &w.year_first) || !recon_day_number(last, &w.year_last)) {
        return w;
    }
    int64_t start = 0;
    w.insured_first = w.year_first;
    if (recon_day_number(policy_start, &start) && start > w.year_first) {
        w.insured_first = start;
    }
    w.valid = true;
    return w;
}

/* Day numbers of an employment's first and last day (no end: far future).
 * False when a date is invalid or the end lies before the start. */
bool recon_employment_span(const recon_rules_employment *e, int64_t *first, int64_t *last)
{
    if (!recon_day_number(e->start_date, first)) {
        return false;
    }
    if (!e->has_end_date) {
        *last = INT64_MAX;
        return true;
    }
    return recon_day_number(e->end_date, last) && *last >= *first;
}

/* Insured days of an employment inside the window; 0 for a bad span. */
static int64_t recon_span_days(const recon_window *w, const recon_rules_employment *e)
{
    int64_t first = 0;
    int64_t last = 0;
    if (!w->valid || !recon_employment_span(e, &first, &last)) {
        return 0;
    }
    int64_t lo = recon_max(first, w->insured_first);
    int64_t hi = recon_min(last, w->year_last);
    return hi >= lo ? hi - lo + 1 : 0;
}

/* Sum of an employee's insured days (bad employments count 0; more than the
 * cap count nothing). At most 32 x 366, so it cannot overflow. */
int64_t recon_employee_days(const recon_window *w, const recon_rules_employee *employee)
{
    if (employee->employment_count > RECON_RULES_MAX_EMPLOYMENTS) {
        return 0;
    }
    int64_t days = 0;
    for (size_t j = 0; j < employee->employment_count; j++) {
        days += recon_span_days(w, &employee->employments[j]);
    }
    return days;
}

/* Day numbers of a report's first and last sick day inside the year (last
 * below first: no days). False for invalid dates or a recovery before the
 * first sick day. */
bool recon_report_span(const recon_window *w, const recon_rules_sick_report *r, int64_t *lo,
                       int64_t *hi)
{
    int64_t first = 0;
    int64_t recovery = 0;
    if (!recon_day_number(r->first_sick_day, &first)) {
        return false;
    }
    int64_t last = w->year_last;
    if (r->has_recovery_date) {
        if (!recon_day_number(r->recovery_date, &recovery) || recovery < first) {
            return false;
        }
        last = recon_min(recovery - 1, w->year_last);
    }
    *lo = recon_max(first, w->year_first);
    *hi = last;
    return true;
}

int64_t recon_rules_days_in_year(int year)
{
    return civil_date_is_leap_year(year) ? 366 : 365;
}

/* Validates, then clips the employment to the insured part of the year. */
portal_result recon_rules_employment_days(int year, civil_date policy_start,
                                          const recon_rules_employment *employment, int64_t *out)
{
    int64_t first = 0;
    int64_t last = 0;
    recon_window w = recon_window_of(year, policy_start);
    if (employment == NULL || out == NULL || !w.valid || !civil_date_is_valid(policy_start) ||
        !recon_employment_span(employment, &first, &last)) {
        return PORTAL_ERR_INVALID;
    }
    *out = recon_span_days(&w, employment);
    return PORTAL_OK;
}

/* Validates, then clips the sick period to the calendar year. */
portal_result recon_rules_sick_days(int year, const recon_rules_sick_report *report, int64_t *out)
{
    civil_date january = {year, 1, 1};
    recon_window w = recon_window_of(year, january);
    int64_t lo = 0;
    int64_t hi = 0;
    if (report == NULL || out == NULL || !w.valid || !recon_report_span(&w, report, &lo, &hi)) {
        return PORTAL_ERR_INVALID;
    }
    *out = hi >= lo ? hi - lo + 1 : 0;
    return PORTAL_OK;
}

/* One employee's line; fails only on int64 overflow (TOO_LARGE). */
static portal_result recon_employee_line(const recon_rules_parameters *p, const recon_window *w,
                                         int64_t days_in_year, const recon_rules_employee *employee,
                                         recon_rules_employee_line *line)
{
    memset(line, 0, sizeof(*line));
    line->days = recon_employee_days(w, employee);
    if (line->days == 0) {
        return PORTAL_OK;
    }
    portal_result rc = decimal_mul_div(p->wage_cap, line->days, days_in_year, &line->prorated_cap);
    if (rc != PORTAL_OK) {
        return rc;
    }
    line->capped_wage = recon_min(employee->insured_wage, line->prorated_cap);
    return decimal_mul_percentage(line->capped_wage, p->premium_rate, &line->premium);
}

/* One sick report's line; fails only on int64 overflow (TOO_LARGE). */
static portal_result recon_report_line(const recon_rules_parameters *p, const recon_window *w,
                                       const recon_rules_sick_report *report,
                                       const recon_rules_employee_line *employee_line,
                                       recon_rules_report_line *line)
{
    memset(line, 0, sizeof(*line));
    int64_t lo = 0;
    int64_t hi = 0;
    if (!recon_report_span(w, report, &lo, &hi)) {
        return PORTAL_ERR_INVALID; /* ruled out by the checks */
    }
    line->sick_days = hi >= lo ? hi - lo + 1 : 0;
    if (employee_line->days > 0) {
        portal_result rc =
            decimal_mul_div(employee_line->capped_wage, 1, employee_line->days, &line->daily_wage);
        if (rc != PORTAL_OK) {
            return rc;
        }
    }
    /* daily x days exactly, then x AO% x continued-pay% (both scale 3, so
     * 100% x 100% is 10^10), rounded once. */
    int64_t gross = 0;
    portal_result rc = decimal_mul_div(line->daily_wage, line->sick_days, 1, &gross);
    if (rc != PORTAL_OK) {
        return rc;
    }
    return decimal_mul_div(gross, report->ao_percentage * p->continued_pay_percentage,
                           DECIMAL_PERCENT_ONE_HUNDRED * DECIMAL_PERCENT_ONE_HUNDRED, &line->cost);
}

/* Refuses blocking problems, then fills lines and totals in one pass each. */
portal_result recon_rules_compute(const recon_rules_parameters *params,
                                  const recon_rules_employee *employees, size_t employee_count,
                                  const recon_rules_sick_report *reports, size_t report_count,
                                  recon_rules_employee_line *lines,
                                  recon_rules_report_line *report_lines, recon_rules_totals *totals)
{
    if (totals == NULL || (lines == NULL && employee_count > 0) ||
        (report_lines == NULL && report_count > 0)) {
        return PORTAL_ERR_INVALID;
    }
    portal_result rc = recon_check_arrays(params, employees, employee_count, reports, report_count);
    if (rc != PORTAL_OK) {
        return rc;
    }
    if (recon_check_blocking(params, employees, employee_count, reports, report_count)) {
        return PORTAL_ERR_INVALID;
    }

    recon_window w = recon_window_of(params->year, params->policy_start);
    recon_rules_totals t;
    memset(&t, 0, sizeof(t));
    t.days_in_year = recon_rules_days_in_year(params->year);
    t.provisional_premium = params->provisional_premium;
    for (size_t e = 0; e < employee_count; e++) {
        rc = recon_employee_line(params, &w, t.days_in_year, &employees[e], &lines[e]);
        if (rc == PORTAL_OK) {
            rc = decimal_add(t.capped_wage_total, lines[e].capped_wage, &t.capped_wage_total);
        }
        if (rc == PORTAL_OK) {
            rc = decimal_add(t.definitive_premium, lines[e].premium, &t.definitive_premium);
        }
        if (rc != PORTAL_OK) {
            return rc;
        }
    }
    rc = decimal_sub(t.definitive_premium, t.provisional_premium, &t.settlement);
    if (rc != PORTAL_OK) {
        return rc;
    }

    if (params->variant == RECON_RULES_STOP_LOSS) {
        t.has_stop_loss = true;
        if (params->has_own_risk_amount) {
            t.own_risk = params->own_risk_amount;
        } else {
            rc = decimal_mul_percentage(t.capped_wage_total, params->own_risk_percentage,
                                        &t.own_risk);
            if (rc != PORTAL_OK) {
                return rc;
            }
        }
        for (size_t r = 0; r < report_count; r++) {
            rc = recon_report_line(params, &w, &reports[r], &lines[reports[r].employee_index],
                                   &report_lines[r]);
            if (rc == PORTAL_OK) {
                rc = decimal_add(t.sick_pay_cost, report_lines[r].cost, &t.sick_pay_cost);
            }
            if (rc != PORTAL_OK) {
                return rc;
            }
        }
        int64_t excess = 0;
        rc = decimal_sub(t.sick_pay_cost, t.own_risk, &excess);
        if (rc != PORTAL_OK) {
            return rc;
        }
        t.reimbursement = recon_min(recon_max(0, excess), params->maximum_reimbursement);
    } else if (report_count > 0) {
        memset(report_lines, 0, report_count * sizeof(*report_lines));
    }
    *totals = t;
    return PORTAL_OK;
}
