/*
 * workflows/payroll_internal.h: shared by workflows/payroll_apply.c and
 * workflows/payroll_fast.c only: the set-based path for salary and
 * part-time changes that are processed at once.
 */
#ifndef PORTAL_WORKFLOWS_PAYROLL_INTERNAL_H
#define PORTAL_WORKFLOWS_PAYROLL_INTERNAL_H

#include "domain/payroll_rules.h"
#include "workflows/payroll_periods.h"

/* The salary and part-time changes collected for one set-based apply. */
typedef struct payroll_fast payroll_fast;

/*
 * payroll_fast_new -- starts a collection for the period head, or returns
 * NULL (the path is off: every row then goes through the use cases one by
 * one) when later periods exist (their values may need restoring), the
 * actor may not write participants of the scheme, a batch locks the
 * scheme, or memory ran out. Borrows everything until payroll_fast_free.
 */
payroll_fast *payroll_fast_new(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               const payroll_head *head, int later_periods);

/* Takes the row when its only actions are salary and part-time changes
 * that the change rules (domain/participant_rules.h, as of today) would
 * process at once on the participant as loaded; returns 1 then, else 0
 * (f NULL: 0). */
int payroll_fast_take(payroll_fast *f, const payroll_row *r, const payroll_diff *d);

/* Applies what was taken in one statement (payroll_store_salary_apply);
 * *applied is the JSON array of participant ids applied (new reference,
 * an empty array when nothing was taken). PORTAL_ERR_DATABASE,
 * PORTAL_ERR_MEMORY. */
portal_result payroll_fast_run(payroll_fast *f, db_conn *db, json_t **applied);

/* Frees f (NULL is fine). */
void payroll_fast_free(payroll_fast *f);

#endif
