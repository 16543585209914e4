/*
 * domain/reconciliation_rules.c: the rule table and the completeness checks
 * of the year-end reconciliation, the problem pointers and the variant
 * names. The premium and stop-loss arithmetic is in
 * reconciliation_compute.c. See reconciliation_rules.h for the contract and
 * the decisions behind it. Standard C only; integers and decimal.h, never
 * floating point.
 */
#include "domain/reconciliation_rules.h"

#include <stdio.h>
#include <string.h>

#include "domain/decimal.h"
#include "domain/reconciliation_internal.h"

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
portal_result recon_check_arrays(const recon_rules_parameters *params,
                                 const recon_rules_employee *employees, size_t employee_count,
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

/* Runs every check without collecting; true when one blocks compute. */
bool recon_check_blocking(const recon_rules_parameters *params,
                          const recon_rules_employee *employees, size_t employee_count,
                          const recon_rules_sick_report *reports, size_t report_count)
{
    recon_sink sink = {NULL, 0, 0, false};
    recon_check_all(params, NULL, employees, employee_count, reports, report_count, &sink);
    return sink.blocking;
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
