/*
 * workflows/reviews.h: the insurer's decision on a change waiting for
 * review (seed 001 §4.5): approve (processed) or reject (rejected, with a
 * reason; a rejected first registration also frees the participant's
 * number and BSN).
 */
#ifndef PORTAL_WORKFLOWS_REVIEWS_H
#define PORTAL_WORKFLOWS_REVIEWS_H

#include "workflows/changes.h"

/* A decision as given. */
typedef struct {
    const char *change_id;
    int approve;        /* 1: approve, 0: reject */
    const char *reason; /* required to reject; ignored to approve */
} wf_review_input;

/*
 * wf_review_decide -- approves or rejects a pending change, in the caller's
 * transaction (it never begins or ends one).
 *
 * Needs reviews.manage (actor->caller NULL: the system, allowed; the user
 * recorded as decider is the caller's). PORTAL_ERR_DENIED,
 * PORTAL_ERR_NOT_FOUND, PORTAL_ERR_INVALID (/reason required to reject),
 * PORTAL_ERR_CONFLICT review_not_pending, or scheme_locked_by_batch for an
 * approval while a batch holds the scheme (unless opts->holds_scheme_lock).
 * Locks the participant, records the decision, rebuilds the periods and
 * records review.approved or review.rejected; *out holds the change as it
 * is now (wf_change_result_free).
 */
PORTAL_MUST_USE portal_result wf_review_decide(db_conn *db, const portal_actor *actor,
                                               const wf_row_options *opts,
                                               const wf_review_input *in, wf_change_result *out,
                                               portal_outcome *o);

#endif
