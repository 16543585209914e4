/*
 * domain/reconciliation_rules.h: the pure rules of the year-end
 * reconciliation (naverrekening) of an income scheme: the completeness
 * checks before submission and the premium and stop-loss arithmetic
 * (DESIGN.md §4.6, seed 002 §8-§18).
 *
 * Owns: the problem table (stable code, Dutch and English description), the
 * completeness check that returns every problem at once with the place it
 * was found (turned into a JSON Pointer such as
 * "/employees/3/employments/0/end_date"), and the computation of the lines
 * and totals. Never reads the clock: the year, the policy start and "today"
 * are passed in. No allocation, no I/O: the caller owns every input array
 * and every output array (one line per employee, one per sick report), so
 * 10,000 employees cost a few milliseconds and no memory beyond the
 * caller's. Every string handed out is static.
 *
 * Money is int64 cents (decimal scale 2), percentages are scale 3
 * (2.000% is 2000), as decimal.h parses them. The rules, each result rounded
 * to cents half away from zero where it is computed (decimal.h):
 * - an employment's days are the calendar days it covers inside
 *   [1 January, or the policy start when later; 31 December], both ends
 *   counted (no end date: up to 31 December); an employee's days are the sum
 *   over their employments;
 * - prorated cap = wage_cap x days / days in the year (365 or 366);
 * - capped wage = min(insured wage, prorated cap) (0 when days are 0);
 * - line premium = capped wage x premium_rate / 100;
 * - definitive premium = sum of the lines; settlement = definitive -
 *   provisional (positive: the employer pays; negative: refunded);
 * - stop-loss only: own risk = own_risk_amount, or own_risk_percentage / 100
 *   x sum of capped wages; a report's sick days are the calendar days from
 *   the first sick day to the day before recovery (no recovery: to
 *   31 December), counted inside the calendar year; daily wage = capped
 *   wage / employee's days (0 when the employee has no days); cost = daily
 *   wage x sick days x ao_percentage / 100 x continued_pay_percentage / 100,
 *   rounded once; sick-pay cost = sum of the costs; reimbursement =
 *   min(max(0, sick-pay cost - own risk), maximum_reimbursement).
 *
 * Decisions where the sources are silent (listed in the README):
 * - Sick days are clipped to the calendar year as §4.6 says, not to the
 *   policy start or to the employment; only the daily wage depends on the
 *   insured days.
 * - atw_percentage is carried and range-checked (0..100) but §4.6's cost
 *   does not use it.
 * - A recovery date equal to the first sick day is allowed and gives 0 sick
 *   days; before it is refused.
 * - An employee needs an insured wage only when they have days in the year
 *   (after the policy start); an employment wholly before the policy start
 *   or after the year counts 0 days and needs nothing.
 * - For no_claim the sick reports are ignored (their lines are zero) and the
 *   stop-loss parameters are neither checked nor used.
 * - provisional_premium, wage_cap, own_risk_amount, maximum_reimbursement
 *   and insured wages are non-negative amounts that fit numeric(14,2)
 *   (decimal_spec_salary); percentages lie in 0.000..100.000, the AO
 *   percentage in 0.001..100.000.
 * - Dates before 1950-01-01 are out of range; a first sick day or recovery
 *   date after "today" is refused (it cannot be known yet).
 *
 * How it fails: recon_rules_check reports problems, it does not fail on
 * them. recon_rules_compute refuses with PORTAL_ERR_INVALID any input whose
 * numbers would be undefined or wrong by construction (a problem whose
 * table row has blocks_compute set: bad parameters, impossible dates,
 * overlapping employments, a missing wage, a bad sick report) and with
 * PORTAL_ERR_TOO_LARGE more items than the caps below or a total that does
 * not fit int64; the remaining problems (a missing end date, a date in the
 * future) do not change the arithmetic and are the caller's to enforce by
 * running recon_rules_check before computing.
 */
#ifndef PORTAL_DOMAIN_RECONCILIATION_RULES_H
#define PORTAL_DOMAIN_RECONCILIATION_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"
#include "domain/civil_date.h"

#define RECON_RULES_MAX_EMPLOYEES ((size_t)100000)    /* more: PORTAL_ERR_TOO_LARGE */
#define RECON_RULES_MAX_SICK_REPORTS ((size_t)100000) /* more: PORTAL_ERR_TOO_LARGE */
#define RECON_RULES_MAX_EMPLOYMENTS ((size_t)32)      /* per employee; more: a problem */
#define RECON_RULES_EARLIEST_YEAR 1950                /* dates before 1 January: out of range */
#define RECON_RULES_LATEST_YEAR 2199                  /* latest reconciliation year */
#define RECON_RULES_POINTER_SIZE 96                   /* always enough for a JSON Pointer */

typedef enum { RECON_RULES_STOP_LOSS = 0, RECON_RULES_NO_CLAIM } recon_rules_variant;

/* The reconciliation's parameters (caller-owned). */
typedef struct {
    int year;                    /* the calendar year reconciled */
    civil_date policy_start;     /* the scheme's start_date */
    recon_rules_variant variant; /* the scheme's variant */
    int64_t premium_rate;        /* scale 3: 2.000% is 2000 */
    int64_t provisional_premium; /* cents */
    int64_t wage_cap;            /* cents; wage_cap_for_year gives the default */
    /* Stop-loss only: exactly one of the own-risk forms. */
    bool has_own_risk_amount;
    int64_t own_risk_amount; /* cents */
    bool has_own_risk_percentage;
    int64_t own_risk_percentage;      /* scale 3 */
    int64_t continued_pay_percentage; /* scale 3: 70.000% is 70000 */
    int64_t maximum_reimbursement;    /* cents */
} recon_rules_parameters;

typedef struct {
    civil_date start_date;
    bool has_end_date;
    civil_date end_date; /* the last day employed, counted */
    bool fixed_term;     /* contract for a fixed term: needs an end date */
} recon_rules_employment;

/* One employee; the employments array is caller-owned. */
typedef struct {
    const recon_rules_employment *employments;
    size_t employment_count;
    bool left_service; /* known to have left (participant ended): the last
                          employment needs an end date */
    bool has_insured_wage;
    int64_t insured_wage; /* cents, earned in the year while insured */
} recon_rules_employee;

typedef struct {
    size_t employee_index; /* into the employees array */
    civil_date first_sick_day;
    bool has_recovery_date;
    civil_date recovery_date; /* the first day at work again */
    int64_t ao_percentage;    /* scale 3, 0.001..100.000 */
    int64_t atw_percentage;   /* scale 3, 0..100.000; not used in the cost */
} recon_rules_sick_report;

/* One employee's line of the result. */
typedef struct {
    int64_t days;         /* insured calendar days in the year */
    int64_t prorated_cap; /* cents */
    int64_t capped_wage;  /* cents */
    int64_t premium;      /* cents */
} recon_rules_employee_line;

/* One sick report's line; all zero for no_claim. */
typedef struct {
    int64_t sick_days;
    int64_t daily_wage; /* cents */
    int64_t cost;       /* cents */
} recon_rules_report_line;

typedef struct {
    int64_t days_in_year; /* 365 or 366 */
    int64_t capped_wage_total;
    int64_t definitive_premium;
    int64_t provisional_premium;
    int64_t settlement; /* definitive - provisional; positive: to pay */
    bool has_stop_loss; /* false for no_claim: the three below are absent (0) */
    int64_t own_risk;
    int64_t sick_pay_cost;
    int64_t reimbursement;
} recon_rules_totals;

/* One row of the problem table. All strings are static. */
typedef struct {
    const char *code;           /* stable snake_case API code, "employments_overlap" */
    bool blocks_compute;        /* recon_rules_compute refuses input with it */
    const char *description_nl; /* user-facing, Dutch */
    const char *description_en; /* user-facing, English */
} recon_rules_definition;

/* Where a problem was found. */
typedef enum {
    RECON_RULES_AT_PARAMETERS = 0, /* "/<field>" */
    RECON_RULES_AT_EMPLOYEE,       /* "/employees/<e>/<field>" */
    RECON_RULES_AT_EMPLOYMENT,     /* "/employees/<e>/employments/<j>/<field>" */
    RECON_RULES_AT_SICK_REPORT     /* "/sick_reports/<r>/<field>" */
} recon_rules_place;

typedef struct {
    const recon_rules_definition *rule; /* never NULL */
    recon_rules_place place;
    size_t employee_index;   /* AT_EMPLOYEE, AT_EMPLOYMENT */
    size_t employment_index; /* AT_EMPLOYMENT */
    size_t report_index;     /* AT_SICK_REPORT */
    const char *field;       /* static JSON field name, "end_date" */
} recon_rules_problem;

/* The whole problem table (static, never NULL) and its length in *count
 * (count may be NULL). */
const recon_rules_definition *recon_rules_definitions(size_t *count);

/* The table row with this code, or NULL. */
const recon_rules_definition *recon_rules_find(const char *code);

/* Number of days in `year`: 366 in a leap year, else 365. */
int64_t recon_rules_days_in_year(int year);

/* Insured days of one employment in `year` under a policy starting on
 * `policy_start`, into *out (0 when it lies wholly outside). Returns
 * PORTAL_ERR_INVALID for NULL pointers, invalid dates, a year outside
 * RECON_RULES_EARLIEST_YEAR..RECON_RULES_LATEST_YEAR or an end before the
 * start, leaving *out untouched. */
portal_result recon_rules_employment_days(int year, civil_date policy_start,
                                          const recon_rules_employment *employment, int64_t *out);

/* Sick days of one report in `year` into *out (0 when outside the year).
 * Returns PORTAL_ERR_INVALID like recon_rules_employment_days (a recovery
 * before the first sick day is invalid), leaving *out untouched. */
portal_result recon_rules_sick_days(int year, const recon_rules_sick_report *report, int64_t *out);

/* Checks the whole reconciliation and writes the first `capacity` problems
 * found into problems (caller-owned; may be NULL when capacity is 0) and
 * the number found in all into *found (which may exceed capacity). Order:
 * parameters, then each employee (employee problems, then each employment),
 * then each sick report. Returns PORTAL_OK when the checks ran (zero found:
 * complete), PORTAL_ERR_INVALID for a NULL found, a NULL array with a
 * non-zero count, a variant outside the enum or an invalid today, and
 * PORTAL_ERR_TOO_LARGE for more than RECON_RULES_MAX_EMPLOYEES employees
 * or RECON_RULES_MAX_SICK_REPORTS reports; on failure nothing is written. */
portal_result recon_rules_check(const recon_rules_parameters *params, civil_date today,
                                const recon_rules_employee *employees, size_t employee_count,
                                const recon_rules_sick_report *reports, size_t report_count,
                                recon_rules_problem *problems, size_t capacity, size_t *found);

/* Writes the JSON Pointer of a problem ("/employees/3/employments/0/end_date")
 * into out (caller-owned, `size` bytes; RECON_RULES_POINTER_SIZE always
 * suffices). Returns PORTAL_ERR_INVALID for NULL pointers or an unknown
 * place and PORTAL_ERR_TOO_LARGE when size is too small; out is left
 * untouched on failure. */
portal_result recon_rules_problem_pointer(const recon_rules_problem *problem, char *out,
                                          size_t size);

/* Computes the reconciliation: lines[i] for employees[i] (lines has
 * employee_count entries), report_lines[r] for reports[r] (report_count
 * entries; NULL allowed when report_count is 0) and *totals. Fails, as
 * described at the top, with PORTAL_ERR_INVALID (NULL pointers, a variant
 * outside the enum, a blocking problem) or PORTAL_ERR_TOO_LARGE (caps,
 * int64 overflow); *totals is untouched on failure, lines and report_lines
 * may be partly written. */
portal_result recon_rules_compute(const recon_rules_parameters *params,
                                  const recon_rules_employee *employees, size_t employee_count,
                                  const recon_rules_sick_report *reports, size_t report_count,
                                  recon_rules_employee_line *lines,
                                  recon_rules_report_line *report_lines,
                                  recon_rules_totals *totals);

/* "stop_loss" / "no_claim", or NULL for a value outside the enum. */
const char *recon_rules_variant_name(recon_rules_variant variant);

/* Accepts exactly "stop_loss" or "no_claim"; PORTAL_ERR_INVALID otherwise
 * (or for NULL), leaving *out untouched. */
portal_result recon_rules_variant_parse(const char *text, recon_rules_variant *out);

#endif
