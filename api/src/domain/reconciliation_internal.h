/*
 * domain/reconciliation_internal.h: what the two parts of the reconciliation
 * rules share, not for callers outside domain/reconciliation_*.c (they use
 * reconciliation_rules.h). reconciliation_compute.c owns the day counting
 * below; reconciliation_rules.c owns the checks below.
 */
#ifndef PORTAL_DOMAIN_RECONCILIATION_INTERNAL_H
#define PORTAL_DOMAIN_RECONCILIATION_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"
#include "domain/civil_date.h"
#include "domain/reconciliation_rules.h"

/* The reconciliation year as day numbers (days since 1970-01-01). */
typedef struct {
    bool valid;            /* year in range: the fields below hold */
    int64_t year_first;    /* 1 January */
    int64_t year_last;     /* 31 December */
    int64_t insured_first; /* 1 January or the policy start when later */
} recon_window;

/* ---- day counting (reconciliation_compute.c) ---- */

/* Day number of d into *out; false for an invalid date. */
bool recon_day_number(civil_date d, int64_t *out);

/* The window of `year` under `policy_start`; valid is false for a year out
 * of range. An invalid policy start is treated as none (1 January). */
recon_window recon_window_of(int year, civil_date policy_start);

/* Day numbers of an employment's first and last day (no end: far future).
 * False when a date is invalid or the end lies before the start. */
bool recon_employment_span(const recon_rules_employment *e, int64_t *first, int64_t *last);

/* Sum of an employee's insured days (bad employments count 0; more than the
 * cap count nothing). */
int64_t recon_employee_days(const recon_window *w, const recon_rules_employee *employee);

/* Day numbers of a report's first and last sick day inside the year (last
 * below first: no days). False for invalid dates or a recovery before the
 * first sick day. */
bool recon_report_span(const recon_window *w, const recon_rules_sick_report *r, int64_t *lo,
                       int64_t *hi);

/* ---- checks (reconciliation_rules.c) ---- */

/* Pointer and size checks shared by check and compute: PORTAL_ERR_INVALID
 * for a NULL array with a count or an unknown variant, PORTAL_ERR_TOO_LARGE
 * past the caps. */
portal_result recon_check_arrays(const recon_rules_parameters *params,
                                 const recon_rules_employee *employees, size_t employee_count,
                                 const recon_rules_sick_report *reports, size_t report_count);

/* Runs every check (arrays already validated, no "today") without
 * collecting problems; true when one of them blocks compute. */
bool recon_check_blocking(const recon_rules_parameters *params,
                          const recon_rules_employee *employees, size_t employee_count,
                          const recon_rules_sick_report *reports, size_t report_count);

#endif
