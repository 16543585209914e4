/*
 * domain/reconciliation_rules.c: the completeness checks and the premium and
 * stop-loss arithmetic of the year-end reconciliation. See
 * reconciliation_rules.h for the contract and the decisions behind it.
 * Standard C only; integers and decimal.h, never floating point.
 */
#include "domain/reconciliation_rules.h"

#include <stdio.h>
#include <string.h>

#include "domain/decimal.h"

/* Indexes into recon_rules_table; the order is the order the README lists. */
enum {
    RECON_ID_YEAR_INVALID = 0,
    RECON_ID_POLICY_START_AFTER_YEAR,
    RECON_ID_PERCENTAGE_INVALID,
    RECON_ID_AMOUNT_INVALID,
    RECON_ID_OWN_RISK_REQUIRED,
    RECON_ID_OWN_RISK_AMBIGUOUS,
    RECON_ID_EMPLOYMENT_REQUIRED,
    RECON_ID_TOO_MANY_EMPLOYMENTS,
    RECON_ID_INSURED_WAGE_REQUIRED,
    RECON_ID_INSURED_WAGE_INVALID,
    RECON_ID_DATE_INVALID,
    RECON_ID_DATE_OUT_OF_RANGE,
    RECON_ID_DATE_IN_FUTURE,
    RECON_ID_EMPLOYMENT_END_BEFORE_START,
    RECON_ID_EMPLOYMENT_END_REQUIRED,
    RECON_ID_FIXED_TERM_END_REQUIRED,
    RECON_ID_EMPLOYMENTS_OVERLAP,
    RECON_ID_SICK_REPORT_EMPLOYEE_UNKNOWN,
    RECON_ID_RECOVERY_BEFORE_FIRST_SICK_DAY,
    RECON_ID_SICK_REPORT_OUTSIDE_YEAR,
    RECON_ID_SICK_REPORT_NOT_INSURED,
    RECON_ID_AO_PERCENTAGE_INVALID,
    RECON_ID_ATW_PERCENTAGE_INVALID,
    RECON_ID_COUNT
};

static const recon_rules_definition recon_rules_table[RECON_ID_COUNT] = {
    [RECON_ID_YEAR_INVALID] = {"year_invalid", true, "Het jaar moet tussen 1950 en 2199 liggen.",
                               "The year must lie between 1950 and 2199."},
    [RECON_ID_POLICY_START_AFTER_YEAR] = {"policy_start_after_year", true,
                                          "De polis is pas na dit jaar ingegaan.",
                                          "The policy starts after this year."},
    [RECON_ID_PERCENTAGE_INVALID] = {"percentage_invalid", true,
                                     "Het percentage moet tussen 0 en 100 liggen, met hoogstens "
                                     "drie decimalen.",
                                     "The percentage must lie between 0 and 100, with at most "
                                     "three decimals."},
    [RECON_ID_AMOUNT_INVALID] = {"amount_invalid", true,
                                 "Het bedrag moet 0 of meer zijn, met hoogstens twee decimalen en "
                                 "twaalf cijfers voor de punt.",
                                 "The amount must be 0 or more, with at most two decimals and "
                                 "twelve digits before the point."},
    [RECON_ID_OWN_RISK_REQUIRED] = {"own_risk_required", true,
                                    "Geef het eigen risico op als bedrag of als percentage.",
                                    "Give the own risk as an amount or as a percentage."},
    [RECON_ID_OWN_RISK_AMBIGUOUS] = {"own_risk_ambiguous", true,
                                     "Geef het eigen risico op als bedrag of als percentage, "
                                     "niet allebei.",
                                     "Give the own risk as an amount or as a percentage, not "
                                     "both."},
    [RECON_ID_EMPLOYMENT_REQUIRED] = {"employment_required", false,
                                      "Geef minstens een dienstverband op.",
                                      "Give at least one employment."},
    [RECON_ID_TOO_MANY_EMPLOYMENTS] = {"too_many_employments", true,
                                       "Een werknemer heeft hoogstens 32 dienstverbanden.",
                                       "An employee has at most 32 employments."},
    [RECON_ID_INSURED_WAGE_REQUIRED] = {"insured_wage_required", true,
                                        "Vul het verzekerde loon in dat de werknemer dit jaar "
                                        "verdiende.",
                                        "Enter the insured wage the employee earned this year."},
    [RECON_ID_INSURED_WAGE_INVALID] = {"insured_wage_invalid", true,
                                       "Het verzekerde loon moet 0 of meer zijn, met hoogstens "
                                       "twee decimalen en twaalf cijfers voor de punt.",
                                       "The insured wage must be 0 or more, with at most two "
                                       "decimals and twelve digits before the point."},
    [RECON_ID_DATE_INVALID] = {"date_invalid", true,
                               "Vul een bestaande datum in als JJJJ-MM-DD, tussen 1900 en 2200.",
                               "Enter an existing date as YYYY-MM-DD, between 1900 and 2200."},
    [RECON_ID_DATE_OUT_OF_RANGE] = {"date_out_of_range", false,
                                    "De datum ligt voor 1 januari 1950.",
                                    "The date lies before 1 January 1950."},
    [RECON_ID_DATE_IN_FUTURE] = {"date_in_future", false, "De datum ligt in de toekomst.",
                                 "The date lies in the future."},
    [RECON_ID_EMPLOYMENT_END_BEFORE_START] = {"employment_end_before_start", true,
                                              "De datum uit dienst ligt voor de datum in dienst.",
                                              "The end date lies before the start date."},
    [RECON_ID_EMPLOYMENT_END_REQUIRED] = {"employment_end_required", false,
                                          "Dit dienstverband is beeindigd: vul de datum uit "
                                          "dienst in.",
                                          "This employment has ended: enter its end date."},
    [RECON_ID_FIXED_TERM_END_REQUIRED] = {"fixed_term_end_required", false,
                                          "Bij een contract voor bepaalde tijd moet een "
                                          "einddatum staan.",
                                          "A fixed-term contract needs an end date."},
    [RECON_ID_EMPLOYMENTS_OVERLAP] = {"employments_overlap", true,
                                      "Dit dienstverband overlapt een ander dienstverband van "
                                      "dezelfde werknemer.",
                                      "This employment overlaps another employment of the same "
                                      "employee."},
    [RECON_ID_SICK_REPORT_EMPLOYEE_UNKNOWN] = {"sick_report_employee_unknown", true,
                                               "De ziekmelding hoort niet bij een werknemer van "
                                               "deze naverrekening.",
                                               "The sick report does not belong to an employee "
                                               "of this reconciliation."},
    [RECON_ID_RECOVERY_BEFORE_FIRST_SICK_DAY] = {"recovery_before_first_sick_day", true,
                                                 "De hersteldatum ligt voor de eerste ziektedag.",
                                                 "The recovery date lies before the first sick "
                                                 "day."},
    [RECON_ID_SICK_REPORT_OUTSIDE_YEAR] = {"sick_report_outside_year", false,
                                           "De ziekmelding valt buiten het jaar van de "
                                           "naverrekening.",
                                           "The sick report lies outside the reconciliation's "
                                           "year."},
    [RECON_ID_SICK_REPORT_NOT_INSURED] = {"sick_report_not_insured", false,
                                          "De werknemer was dit jaar niet verzekerd in dienst.",
                                          "The employee was not employed while insured this "
                                          "year."},
    [RECON_ID_AO_PERCENTAGE_INVALID] = {"ao_percentage_invalid", true,
                                        "Het AO-percentage moet tussen 0.001 en 100 liggen.",
                                        "The AO percentage must lie between 0.001 and 100."},
    [RECON_ID_ATW_PERCENTAGE_INVALID] = {"atw_percentage_invalid", true,
                                         "Het ATW-percentage moet tussen 0 en 100 liggen.",
                                         "The ATW percentage must lie between 0 and 100."},
};

/* Where problems go: the caller's array (possibly capacity 0) plus counters. */
typedef struct {
    recon_rules_problem *items;
    size_t capacity;
    size_t found;
    bool blocking; /* a problem with blocks_compute was found */
} recon_sink;

/* The reconciliation year as day numbers (days since 1970-01-01). */
typedef struct {
    bool valid;            /* year in range: the fields below hold */
    int64_t year_first;    /* 1 January */
    int64_t year_last;     /* 31 December */
    int64_t insured_first; /* 1 January or the policy start when later */
} recon_window;

/* Records one problem in the sink; never fails (counts beyond capacity). */
static void recon_sink_add(recon_sink *sink, int id, recon_rules_place place, size_t employee,
                           size_t employment, size_t report, const char *field)
{
    const recon_rules_definition *rule = &recon_rules_table[id];
    if (rule->blocks_compute) {
        sink->blocking = true;
    }
    if (sink->found < sink->capacity) {
        recon_rules_problem *p = &sink->items[sink->found];
        p->rule = rule;
        p->place = place;
        p->employee_index = employee;
        p->employment_index = employment;
        p->report_index = report;
        p->field = field;
    }
    sink->found++;
}

/* Day number of d into *out; false for an invalid date. */
static bool recon_day_number(civil_date d, int64_t *out)
{
    return civil_date_is_valid(d) && civil_date_to_days(d, out) == PORTAL_OK;
}

static int64_t recon_max(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t recon_min(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* The window of `year` under `policy_start`; valid is false for a year out
 * of range. An invalid policy start is treated as none (1 January). */
static recon_window recon_window_of(int year, civil_date policy_start)
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
static bool recon_employment_span(const recon_rules_employment *e, int64_t *first, int64_t *last)
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
static int64_t recon_employee_days(const recon_window *w, const recon_rules_employee *employee)
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
static bool recon_report_span(const recon_window *w, const recon_rules_sick_report *r, int64_t *lo,
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

static bool recon_percentage_ok(int64_t value, int64_t min)
{
    return value >= min && value <= DECIMAL_PERCENT_ONE_HUNDRED;
}

/* Parameter problems, in field order. */
static void recon_check_parameters(const recon_rules_parameters *p, recon_sink *sink)
{
    if (p->year < RECON_RULES_EARLIEST_YEAR || p->year > RECON_RULES_LATEST_YEAR) {
        recon_sink_add(sink, RECON_ID_YEAR_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0, "year");
    }
    if (!civil_date_is_valid(p->policy_start)) {
        recon_sink_add(sink, RECON_ID_DATE_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "policy_start");
    } else if (p->policy_start.year > p->year) {
        recon_sink_add(sink, RECON_ID_POLICY_START_AFTER_YEAR, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "policy_start");
    }
    if (!recon_percentage_ok(p->premium_rate, 0)) {
        recon_sink_add(sink, RECON_ID_PERCENTAGE_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "premium_rate");
    }
    if (!decimal_fits(p->provisional_premium, &decimal_spec_salary)) {
        recon_sink_add(sink, RECON_ID_AMOUNT_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "provisional_premium");
    }
    if (!decimal_fits(p->wage_cap, &decimal_spec_salary)) {
        recon_sink_add(sink, RECON_ID_AMOUNT_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "wage_cap");
    }
    if (p->variant != RECON_RULES_STOP_LOSS) {
        return;
    }
    if (p->has_own_risk_amount && p->has_own_risk_percentage) {
        recon_sink_add(sink, RECON_ID_OWN_RISK_AMBIGUOUS, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "own_risk_amount");
    } else if (!p->has_own_risk_amount && !p->has_own_risk_percentage) {
        recon_sink_add(sink, RECON_ID_OWN_RISK_REQUIRED, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "own_risk_percentage");
    }
    if (p->has_own_risk_percentage && !recon_percentage_ok(p->own_risk_percentage, 0)) {
        recon_sink_add(sink, RECON_ID_PERCENTAGE_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "own_risk_percentage");
    }
    if (p->has_own_risk_amount && !decimal_fits(p->own_risk_amount, &decimal_spec_salary)) {
        recon_sink_add(sink, RECON_ID_AMOUNT_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "own_risk_amount");
    }
    if (!recon_percentage_ok(p->continued_pay_percentage, 0)) {
        recon_sink_add(sink, RECON_ID_PERCENTAGE_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "continued_pay_percentage");
    }
    if (!decimal_fits(p->maximum_reimbursement, &decimal_spec_salary)) {
        recon_sink_add(sink, RECON_ID_AMOUNT_INVALID, RECON_RULES_AT_PARAMETERS, 0, 0, 0,
                       "maximum_reimbursement");
    }
}

/* Problems of employment j of employee e (the caller checked the cap). */
static void recon_check_employment(const recon_rules_employee *employee, size_t e, size_t j,
                                   recon_sink *sink)
{
    const recon_rules_employment *m = &employee->employments[j];
    static const civil_date earliest = {RECON_RULES_EARLIEST_YEAR, 1, 1};
    bool start_ok = civil_date_is_valid(m->start_date);
    bool end_ok = !m->has_end_date || civil_date_is_valid(m->end_date);
    if (!start_ok) {
        recon_sink_add(sink, RECON_ID_DATE_INVALID, RECON_RULES_AT_EMPLOYMENT, e, j, 0,
                       "start_date");
    } else if (civil_date_compare(m->start_date, earliest) < 0) {
        recon_sink_add(sink, RECON_ID_DATE_OUT_OF_RANGE, RECON_RULES_AT_EMPLOYMENT, e, j, 0,
                       "start_date");
    }
    if (!end_ok) {
        recon_sink_add(sink, RECON_ID_DATE_INVALID, RECON_RULES_AT_EMPLOYMENT, e, j, 0, "end_date");
    } else if (start_ok && m->has_end_date && civil_date_compare(m->end_date, m->start_date) < 0) {
        recon_sink_add(sink, RECON_ID_EMPLOYMENT_END_BEFORE_START, RECON_RULES_AT_EMPLOYMENT, e, j,
                       0, "end_date");
    }
    if (!m->has_end_date && start_ok) {
        /* Ended: a later employment follows it, or the employee left and
         * this is the latest one (ties: the last listed). */
        bool followed = false;
        bool latest = true;
        for (size_t k = 0; k < employee->employment_count; k++) {
            const recon_rules_employment *o = &employee->employments[k];
            if (k == j || !civil_date_is_valid(o->start_date)) {
                continue;
            }
            int cmp = civil_date_compare(o->start_date, m->start_date);
            if (cmp > 0) {
                followed = true;
            }
            if (cmp > 0 || (cmp == 0 && k > j)) {
                latest = false;
            }
        }
        if (followed || (employee->left_service && latest)) {
            recon_sink_add(sink, RECON_ID_EMPLOYMENT_END_REQUIRED, RECON_RULES_AT_EMPLOYMENT, e, j,
                           0, "end_date");
        } else if (m->fixed_term) {
            recon_sink_add(sink, RECON_ID_FIXED_TERM_END_REQUIRED, RECON_RULES_AT_EMPLOYMENT, e, j,
                           0, "end_date");
        }
    }
    int64_t first = 0;
    int64_t last = 0;
    if (!recon_employment_span(m, &first, &last)) {
        return;
    }
    for (size_t i = 0; i < j; i++) {
        int64_t other_first = 0;
        int64_t other_last = 0;
        if (recon_employment_span(&employee->employments[i], &other_first, &other_last) &&
            first <= other_last && other_first <= last) {
            recon_sink_add(sink, RECON_ID_EMPLOYMENTS_OVERLAP, RECON_RULES_AT_EMPLOYMENT, e, j, 0,
                           "start_date");
            return;
        }
    }
}

/* Problems of employee e: their employments, then their wage. */
static void recon_check_employee(const recon_window *w, const recon_rules_employee *employee,
                                 size_t e, recon_sink *sink)
{
    if (employee->employment_count == 0) {
        recon_sink_add(sink, RECON_ID_EMPLOYMENT_REQUIRED, RECON_RULES_AT_EMPLOYEE, e, 0, 0,
                       "employments");
    } else if (employee->employment_count > RECON_RULES_MAX_EMPLOYMENTS) {
        recon_sink_add(sink, RECON_ID_TOO_MANY_EMPLOYMENTS, RECON_RULES_AT_EMPLOYEE, e, 0, 0,
                       "employments");
    } else {
        for (size_t j = 0; j < employee->employment_count; j++) {
            recon_check_employment(employee, e, j, sink);
        }
    }
    if (employee->has_insured_wage) {
        if (!decimal_fits(employee->insured_wage, &decimal_spec_salary)) {
            recon_sink_add(sink, RECON_ID_INSURED_WAGE_INVALID, RECON_RULES_AT_EMPLOYEE, e, 0, 0,
                           "insured_wage");
        }
    } else if (recon_employee_days(w, employee) > 0) {
        recon_sink_add(sink, RECON_ID_INSURED_WAGE_REQUIRED, RECON_RULES_AT_EMPLOYEE, e, 0, 0,
                       "insured_wage");
    }
}

/* Problems of sick report r. today is NULL when no "future" check applies. */
static void recon_check_report(const recon_window *w, const civil_date *today,
                               const recon_rules_employee *employees, size_t employee_count,
                               const recon_rules_sick_report *report, size_t r, recon_sink *sink)
{
    static const civil_date earliest = {RECON_RULES_EARLIEST_YEAR, 1, 1};
    bool known = report->employee_index < employee_count;
    if (!known) {
        recon_sink_add(sink, RECON_ID_SICK_REPORT_EMPLOYEE_UNKNOWN, RECON_RULES_AT_SICK_REPORT, 0,
                       0, r, "employee_id");
    }
    bool first_ok = civil_date_is_valid(report->first_sick_day);
    bool recovery_ok = !report->has_recovery_date || civil_date_is_valid(report->recovery_date);
    if (!first_ok) {
        recon_sink_add(sink, RECON_ID_DATE_INVALID, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "first_sick_day");
    } else if (civil_date_compare(report->first_sick_day, earliest) < 0) {
        recon_sink_add(sink, RECON_ID_DATE_OUT_OF_RANGE, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "first_sick_day");
    } else if (today != NULL && civil_date_compare(report->first_sick_day, *today) > 0) {
        recon_sink_add(sink, RECON_ID_DATE_IN_FUTURE, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "first_sick_day");
    }
    if (!recovery_ok) {
        recon_sink_add(sink, RECON_ID_DATE_INVALID, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "recovery_date");
    } else if (first_ok && report->has_recovery_date &&
               civil_date_compare(report->recovery_date, report->first_sick_day) < 0) {
        recon_sink_add(sink, RECON_ID_RECOVERY_BEFORE_FIRST_SICK_DAY, RECON_RULES_AT_SICK_REPORT, 0,
                       0, r, "recovery_date");
    } else if (report->has_recovery_date && today != NULL &&
               civil_date_compare(report->recovery_date, *today) > 0) {
        recon_sink_add(sink, RECON_ID_DATE_IN_FUTURE, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "recovery_date");
    }
    int64_t lo = 0;
    int64_t hi = 0;
    if (w->valid && first_ok && recovery_ok && recon_report_span(w, report, &lo, &hi)) {
        int64_t first = 0;
        int64_t recovery = 0;
        (void)recon_day_number(report->first_sick_day, &first);
        if (first > w->year_last) {
            recon_sink_add(sink, RECON_ID_SICK_REPORT_OUTSIDE_YEAR, RECON_RULES_AT_SICK_REPORT, 0,
                           0, r, "first_sick_day");
        } else if (report->has_recovery_date &&
                   recon_day_number(report->recovery_date, &recovery) &&
                   recovery <= w->year_first && first < w->year_first) {
            recon_sink_add(sink, RECON_ID_SICK_REPORT_OUTSIDE_YEAR, RECON_RULES_AT_SICK_REPORT, 0,
                           0, r, "recovery_date");
        } else if (known && hi >= lo &&
                   recon_employee_days(w, &employees[report->employee_index]) == 0) {
            recon_sink_add(sink, RECON_ID_SICK_REPORT_NOT_INSURED, RECON_RULES_AT_SICK_REPORT, 0, 0,
                           r, "employee_id");
        }
    }
    if (!recon_percentage_ok(report->ao_percentage, 1)) {
        recon_sink_add(sink, RECON_ID_AO_PERCENTAGE_INVALID, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "ao_percentage");
    }
    if (!recon_percentage_ok(report->atw_percentage, 0)) {
        recon_sink_add(sink, RECON_ID_ATW_PERCENTAGE_INVALID, RECON_RULES_AT_SICK_REPORT, 0, 0, r,
                       "atw_percentage");
    }
}

/* Pointer and size checks shared by check and compute. */
static portal_result recon_check_arrays(const recon_rules_parameters *params,
                                        const recon_rules_employee *employees,
                                        size_t employee_count,
                                        const recon_rules_sick_report *reports, size_t report_count)
{
    if (params == NULL || (employees == NULL && employee_count > 0) ||
        (reports == NULL && report_count > 0) ||
        recon_rules_variant_name(params->variant) == NULL) {
        return PORTAL_ERR_INVALID;
    }
    if (employee_count > RECON_RULES_MAX_EMPLOYEES || report_count > RECON_RULES_MAX_SICK_REPORTS) {
        return PORTAL_ERR_TOO_LARGE;
    }
    for (size_t e = 0; e < employee_count; e++) {
        if (employees[e].employments == NULL && employees[e].employment_count > 0) {
            return PORTAL_ERR_INVALID;
        }
    }
    return PORTAL_OK;
}

/* Runs every check into sink (arrays already validated). */
static void recon_check_all(const recon_rules_parameters *params, const civil_date *today,
                            const recon_rules_employee *employees, size_t employee_count,
                            const recon_rules_sick_report *reports, size_t report_count,
                            recon_sink *sink)
{
    recon_window w = recon_window_of(params->year, params->policy_start);
    recon_check_parameters(params, sink);
    for (size_t e = 0; e < employee_count; e++) {
        recon_check_employee(&w, &employees[e], e, sink);
    }
    if (params->variant != RECON_RULES_STOP_LOSS) {
        return;
    }
    for (size_t r = 0; r < report_count; r++) {
        recon_check_report(&w, today, employees, employee_count, &reports[r], r, sink);
    }
}

const recon_rules_definition *recon_rules_definitions(size_t *count)
{
    if (count != NULL) {
        *count = RECON_ID_COUNT;
    }
    return recon_rules_table;
}

/* Linear search of the static table; NULL for an unknown or NULL code. */
const recon_rules_definition *recon_rules_find(const char *code)
{
    if (code == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < RECON_ID_COUNT; i++) {
        if (strcmp(recon_rules_table[i].code, code) == 0) {
            return &recon_rules_table[i];
        }
    }
    return NULL;
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

/* Validates the arguments and today, then collects into the caller's array. */
portal_result recon_rules_check(const recon_rules_parameters *params, civil_date today,
                                const recon_rules_employee *employees, size_t employee_count,
                                const recon_rules_sick_report *reports, size_t report_count,
                                recon_rules_problem *problems, size_t capacity, size_t *found)
{
    if (found == NULL || (problems == NULL && capacity > 0) || !civil_date_is_valid(today)) {
        return PORTAL_ERR_INVALID;
    }
    portal_result rc = recon_check_arrays(params, employees, employee_count, reports, report_count);
    if (rc != PORTAL_OK) {
        return rc;
    }
    recon_sink sink = {problems, capacity, 0, false};
    recon_check_all(params, &today, employees, employee_count, reports, report_count, &sink);
    *found = sink.found;
    return PORTAL_OK;
}

/* Formats into a local buffer first so out stays untouched on failure. */
portal_result recon_rules_problem_pointer(const recon_rules_problem *problem, char *out,
                                          size_t size)
{
    if (problem == NULL || out == NULL || problem->field == NULL) {
        return PORTAL_ERR_INVALID;
    }
    char text[RECON_RULES_POINTER_SIZE];
    int n = -1;
    switch (problem->place) {
    case RECON_RULES_AT_PARAMETERS:
        n = snprintf(text, sizeof(text), "/%s", problem->field);
        break;
    case RECON_RULES_AT_EMPLOYEE:
        n = snprintf(text, sizeof(text), "/employees/%zu/%s", problem->employee_index,
                     problem->field);
        break;
    case RECON_RULES_AT_EMPLOYMENT:
        n = snprintf(text, sizeof(text), "/employees/%zu/employments/%zu/%s",
                     problem->employee_index, problem->employment_index, problem->field);
        break;
    case RECON_RULES_AT_SICK_REPORT:
        n = snprintf(text, sizeof(text), "/sick_reports/%zu/%s", problem->report_index,
                     problem->field);
        break;
    default:
        return PORTAL_ERR_INVALID;
    }
    if (n < 0 || (size_t)n >= sizeof(text)) {
        return PORTAL_ERR_INVALID;
    }
    if ((size_t)n >= size) {
        return PORTAL_ERR_TOO_LARGE;
    }
    memcpy(out, text, (size_t)n + 1);
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
    recon_sink sink = {NULL, 0, 0, false};
    recon_check_all(params, NULL, employees, employee_count, reports, report_count, &sink);
    if (sink.blocking) {
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

const char *recon_rules_variant_name(recon_rules_variant variant)
{
    switch (variant) {
    case RECON_RULES_STOP_LOSS:
        return "stop_loss";
    case RECON_RULES_NO_CLAIM:
        return "no_claim";
    }
    return NULL;
}

/* Exact, case-sensitive match of the two names. */
portal_result recon_rules_variant_parse(const char *text, recon_rules_variant *out)
{
    if (text == NULL || out == NULL) {
        return PORTAL_ERR_INVALID;
    }
    if (strcmp(text, "stop_loss") == 0) {
        *out = RECON_RULES_STOP_LOSS;
    } else if (strcmp(text, "no_claim") == 0) {
        *out = RECON_RULES_NO_CLAIM;
    } else {
        return PORTAL_ERR_INVALID;
    }
    return PORTAL_OK;
}
