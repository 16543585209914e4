/*
 * workflows/payroll_periods.h: the payroll sync (DESIGN.md §4.7). Payroll
 * software sends the whole state of a pay period per scheme; the portal
 * stores the snapshot, derives per employment the registrations (re-hires),
 * salary and part-time changes, address changes and terminations against
 * the participants as valid in the period, applies them through the same
 * use cases as individual changes (workflows/participants.h, changes.h: the
 * same rules and review queue) and answers per employment.
 *
 * Called by the payroll-period resource (PUT, GET list and item), the
 * 'payroll_period' job for large bodies (jobs/payroll_job.c) and the
 * naverrekening's pre-fill (workflows/reconciliations_prefill.c).
 *
 * Stable feedback codes (result "rejected"): the individual endpoints' codes
 * where the same rule breaks (invalid_bsn, effective_date_out_of_range,
 * validation_failed, participant_dormant, termination_already_registered,
 * participant_exists, scheme_locked_by_batch, conflict), plus
 * duplicate_in_file (the BSN is on an earlier row of the body) and
 * start_date_mismatch (the employment's start date is not the one
 * registered).
 */
#ifndef PORTAL_WORKFLOWS_PAYROLL_PERIODS_H
#define PORTAL_WORKFLOWS_PAYROLL_PERIODS_H

#include <jansson.h>

#include "store/payroll_periods.h"
#include "workflows/participant_rules.h"
#include "workflows/workflow.h"

/* Bodies with more employments than this run as a job (202). */
#define PAYROLL_SYNC_MAX_EMPLOYMENTS 500
/* Employments one period may hold. */
#define PAYROLL_MAX_EMPLOYMENTS 100000

/* A period as received: the scheme and key from the path, the employments
 * as a JSON array of objects whose values are strings (address flattened:
 * street, house_number, postal_code, city, country), already read by the
 * resource from JSON or CSV. Borrowed. */
typedef struct {
    const char *scheme_id;
    const char *period;
    json_t *employments;
} wf_payroll_input;

/* The answer: status 200 (done or unchanged) or 202 (a job processes it);
 * json the period with its feedback (malloc'd, wf_payroll_result_free). */
typedef struct {
    int http_status;
    char *json;
} wf_payroll_result;

/*
 * wf_payroll_receive -- receives a period snapshot, in its own transaction.
 *
 * Needs payroll_sync on the scheme (PORTAL_ERR_NOT_FOUND for a scheme the
 * caller cannot see, PORTAL_ERR_DENIED). Then: the period key
 * (PORTAL_ERR_INVALID invalid_period), the period may not start more than
 * three months ahead (PORTAL_ERR_INVALID effective_date_out_of_range), a
 * batch of the scheme processing (PORTAL_ERR_CONFLICT
 * scheme_locked_by_batch), the same period still processing from an
 * earlier body (PORTAL_ERR_CONFLICT payroll_period_processing). A body
 * identical to the last one received changes nothing and answers the period
 * as it is. Otherwise the next revision is stored and, up to
 * PAYROLL_SYNC_MAX_EMPLOYMENTS employments, processed at once (200), else
 * queued as a 'payroll_period' job (202). One employment that breaks a
 * rule is refused in the feedback; it never stops the others.
 * PORTAL_ERR_DATABASE / PORTAL_ERR_MEMORY roll everything back.
 */
PORTAL_MUST_USE portal_result wf_payroll_receive(db_conn *db, const portal_actor *actor,
                                                 const wf_payroll_input *in, wf_payroll_result *out,
                                                 portal_outcome *o);

/* Frees what a result owns (safe on a zeroed one). */
void wf_payroll_result_free(wf_payroll_result *r);

/*
 * wf_payroll_list -- a page of a scheme's periods, newest first, after the
 * key after_period (NULL: from the start), at most limit + 1 rows (the
 * caller pages). Needs participants.read on the scheme (PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_DENIED). *rows is JSON array text (malloc'd).
 */
PORTAL_MUST_USE portal_result wf_payroll_list(db_conn *db, const portal_actor *actor,
                                              const char *scheme_id, const char *after_period,
                                              int limit, char **rows, portal_outcome *o);

/*
 * wf_payroll_get -- one period with at most limit feedback rows after seq
 * after_seq (payroll_store_item_json). Needs participants.read on the
 * scheme; PORTAL_ERR_NOT_FOUND also for a period never received. *json is
 * malloc'd.
 */
PORTAL_MUST_USE portal_result wf_payroll_get(db_conn *db, const portal_actor *actor,
                                             const char *scheme_id, const char *period,
                                             int after_seq, int limit, char **json,
                                             portal_outcome *o);

/*
 * wf_payroll_process -- the job's part: processes revision of period id in
 * its own transaction as the system (recorded with the label "Loonaangifte
 * <period>"). A period no longer processing, or a newer revision, is left
 * alone (PORTAL_OK). PORTAL_ERR_DATABASE / PORTAL_ERR_MEMORY roll back (the
 * job retries).
 */
PORTAL_MUST_USE portal_result wf_payroll_process(db_conn *db, const char *id, int revision);

/* The job gave up: the period becomes failed. */
void wf_payroll_give_up(db_conn *db, const char *id);

/*
 * wf_payroll_apply -- derives and applies every employment of a stored
 * revision inside the caller's open transaction (a savepoint per
 * employment), then writes the feedback and the counts. actor and opts as
 * for wf_change_submit. PORTAL_ERR_DATABASE / PORTAL_ERR_MEMORY: the caller
 * rolls back.
 */
PORTAL_MUST_USE portal_result wf_payroll_apply(db_conn *db, const portal_actor *actor,
                                               const wf_row_options *opts, const payroll_head *head,
                                               int revision);

#endif
