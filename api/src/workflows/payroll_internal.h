/*
 * workflows/payroll_internal.h: shared by workflows/payroll_apply.c and
 * workflows/payroll_fast.c only: the set-based path for registrations of
 * new employees and for salary and part-time changes that are processed
 * at once.
 */
#ifndef PORTAL_WORKFLOWS_PAYROLL_INTERNAL_H
#define PORTAL_WORKFLOWS_PAYROLL_INTERNAL_H

#include "domain/payroll_rules.h"
#include "workflows/participants.h"
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

/* The registration use case's input for the row (addr filled and
 * pointed to when the row has an address); borrows from head and r. */
void payroll_registration_input(const payroll_head *head, const payroll_row *r,
                                participant_address_input *addr, wf_registration_input *in);

/* Takes the row when its only actions are salary and part-time changes
 * that the change rules (domain/participant_rules.h, as of today) would
 * process at once on the participant as loaded, or when its only action is
 * the registration of a BSN the scheme does not know that every
 * registration rule lets through without review
 * (wf_registration_direct_payload); returns 1 then, else 0 (f NULL: 0).
 * A re-hire, a registration with more actions, one that needs review or
 * that a rule refuses stays with the use cases. */
int payroll_fast_take(payroll_fast *f, const payroll_row *r, const payroll_diff *d);

/* Applies what was taken, the registrations first, each kind in one
 * statement (payroll_store_registration_apply, payroll_store_salary_apply);
 * *applied is a JSON object from the seq (as text) of each employment
 * applied to its participant id (new reference; empty when nothing was
 * taken). A row taken but not applied (a BSN registered meanwhile, a
 * participant no longer active on the date) is for the use cases.
 * PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY. */
portal_result payroll_fast_run(payroll_fast *f, db_conn *db, json_t **applied);

/* Frees f (NULL is fine). */
void payroll_fast_free(payroll_fast *f);

#endif
