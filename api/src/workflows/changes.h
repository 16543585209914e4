/*
 * workflows/changes.h: changes on a registered participant (seed 001 §4.2
 * and §4.5): submitting one (salary_change, termination,
 * partner_registration, child_registration, address_change) and cancelling
 * one entered in error; plus the record every decision on a change shares
 * (cancellation here, approval and rejection in workflows/reviews.c).
 *
 * Called by the change resource and by background jobs that apply many rows
 * (collective changes, the naverrekening, the payroll sync).
 */
#ifndef PORTAL_WORKFLOWS_CHANGES_H
#define PORTAL_WORKFLOWS_CHANGES_H

#include "store/participant_changes.h"
#include "workflows/participant_rules.h"

/* Called once the participant is locked, with its current version: returns
 * 1 to go on, 0 to refuse with PORTAL_ERR_PRECONDITION (a web request
 * compares If-Match with the ETag of that version). */
typedef int (*wf_precondition_fn)(void *arg, const char *participant_id, long long version);

/* A change as given: strings as they came (NULL when absent), fields named
 * by their JSON pointer in the request body. */
typedef struct {
    const char *participant_id;
    const char *type;                /* /type */
    const char *effective_date;      /* /effective_date, YYYY-MM-DD */
    const char *salary;              /* /salary (salary_change) */
    const char *parttime_percentage; /* /parttime_percentage (salary_change) */
    const participant_family_input
        *member; /* /partner or /child (partner_ or child_registration) */
    const participant_address_input *address; /* /address (address_change) */
    wf_precondition_fn precondition;          /* NULL: none */
    void *precondition_arg;
} wf_change_input;

/* What a submission, cancellation or decision left. change_json is
 * malloc'd (wf_change_result_free): the change as stored, review reasons
 * as rule ids. */
typedef struct {
    char change_id[PORTAL_ID_LEN];
    char participant_id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char status[PARTICIPANTS_STATUS_SIZE]; /* processed | pending_review | cancelled | rejected */
    char *change_json;
} wf_change_result;

/*
 * wf_change_submit -- submits a change on one participant, in the caller's
 * transaction.
 *
 * db must have a transaction open (a web request's, or a batch job's that
 * applies many rows); this function never begins, commits or rolls back: on
 * failure the caller rolls back (or to its SAVEPOINT for one row).
 *
 * actor: who asks (actor->caller NULL: the system, no access check; else
 * participants.write on the participant's scheme). opts: today, batch_id
 * (recorded on the change, actor kind "batch"), holds_scheme_lock (a batch
 * holding the scheme's lock is not refused), label; NULL for a single
 * request now (participant_rules.h).
 *
 * In order: the participant, locked FOR UPDATE (PORTAL_ERR_NOT_FOUND),
 * access (PORTAL_ERR_NOT_FOUND/DENIED), every input rule at once
 * (PORTAL_ERR_INVALID: /type invalid_value, /effective_date date_invalid,
 * salary, address and family rules such as invalid_bsn), the precondition
 * (PORTAL_ERR_PRECONDITION), the scheme's batch lock (PORTAL_ERR_CONFLICT
 * scheme_locked_by_batch), the change against the participant's state
 * (PORTAL_ERR_INVALID effective_date_out_of_range, PORTAL_ERR_CONFLICT
 * participant_dormant, ...). Then it writes the change (pending_review when
 * a review rule applies), rebuilds the periods and records
 * participant.change_registered.
 *
 * Returns PORTAL_OK with *out filled, or the failure (also in o->rc, with
 * o->code and o->errors). Borrows actor, opts and in.
 */
PORTAL_MUST_USE portal_result wf_change_submit(db_conn *db, const portal_actor *actor,
                                               const wf_row_options *opts,
                                               const wf_change_input *in, wf_change_result *out,
                                               portal_outcome *o);

/* A cancellation as given. */
typedef struct {
    const char *change_id;
    const char *reason;              /* required, as given */
    wf_precondition_fn precondition; /* on the change's participant; NULL: none */
    void *precondition_arg;
} wf_cancel_input;

/*
 * wf_change_cancel -- withdraws a change entered in error, in the caller's
 * transaction (it never begins or ends one).
 *
 * Needs participants.write on the change's scheme. PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_DENIED, PORTAL_ERR_PRECONDITION, PORTAL_ERR_CONFLICT with
 * scheme_locked_by_batch, change_not_cancellable (not processed or pending,
 * a registration, a termination followed by a re-hire) or
 * participant_dormant (anything but a termination of a participant no
 * longer employed). Writes the cancellation, rebuilds the periods and
 * records participant.change_cancelled; *out holds the change as it is now.
 */
PORTAL_MUST_USE portal_result wf_change_cancel(db_conn *db, const portal_actor *actor,
                                               const wf_row_options *opts,
                                               const wf_cancel_input *in, wf_change_result *out,
                                               portal_outcome *o);

/* Frees what a change result owns (safe on a zeroed result). */
void wf_change_result_free(wf_change_result *r);

/* ---- shared with workflows/reviews.c ---- */

/* A decision on one change (cancelled, approved, rejected): every pointer
 * is borrowed for the call. */
typedef struct {
    const char *id;              /* the change */
    const char *type;            /* its type, for the audit record */
    const char *from_status;     /* its status before the decision */
    const char *to_status;       /* and after */
    const char *reason_key;      /* audit key of the reason; NULL: none */
    const char *reason;          /* the reason given */
    const char *action;          /* audit action: "review.approved" */
    const char *participant_id;  /* audit target */
    const char *organisation_id; /* audit organisation */
} wf_change_decision;

/* Records d->action in db's open transaction and reads the change again
 * into *out. Returns the first failure (audit or read); ends no
 * transaction. */
PORTAL_MUST_USE portal_result wf_change_decision_record(db_conn *db, const portal_actor *actor,
                                                        const wf_change_decision *d,
                                                        wf_change_result *out);

/* Locks the participant (FOR UPDATE), checks the precondition (may be
 * NULL) and reads its state as of today; refuses scheme_locked_by_batch
 * unless opts->holds_scheme_lock. Fills o on failure: PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_PRECONDITION, PORTAL_ERR_CONFLICT, PORTAL_ERR_DATABASE. */
PORTAL_MUST_USE portal_result wf_participant_lock(db_conn *db, const wf_row_options *opts,
                                                  const char *participant_id, const char *today,
                                                  wf_precondition_fn precondition, void *arg,
                                                  participant_ref *ref, participant_state *st,
                                                  portal_outcome *o);

#endif
