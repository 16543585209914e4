/* workflows/reviews.c: see reviews.h. */
#include "workflows/reviews.h"

#include <stdio.h>
#include <string.h>

#include "auth/access.h"

/* The decision with the participant locked and the change pending. */
static portal_result review_apply(db_conn *db, const portal_actor *actor,
                                  const wf_row_options *opts, const wf_review_input *in,
                                  const participant_ref *ref, const participant_change_meta *meta,
                                  wf_change_result *out, portal_outcome *o)
{
    int locked = 0;
    portal_result rc = PORTAL_OK;
    if (in->approve && !(opts && opts->holds_scheme_lock)) {
        rc = participants_scheme_locked(db, ref->scheme_id, &locked);
        if (rc == PORTAL_OK && locked)
            return outcome_fail(o, PORTAL_ERR_CONFLICT, "scheme_locked_by_batch");
    }
    const portal_caller *c = actor ? actor->caller : NULL;
    int changed = 0;
    if (rc == PORTAL_OK)
        rc = participant_changes_decide(db, in->change_id, in->approve,
                                        c && c->user_id[0] ? c->user_id : NULL,
                                        in->approve ? NULL : in->reason, &changed);
    if (rc == PORTAL_OK && !changed)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "review_not_pending");
    if (rc == PORTAL_OK && !in->approve && meta->initial_registration)
        rc = participants_mark_rejected(db, ref->id);
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, ref->id);
    wf_change_decision d = {.id = in->change_id,
                            .type = meta->type,
                            .from_status = "pending_review",
                            .to_status = in->approve ? "processed" : "rejected",
                            .reason_key = in->approve ? NULL : "rejection_reason",
                            .reason = in->reason,
                            .action = in->approve ? "review.approved" : "review.rejected",
                            .participant_id = ref->id,
                            .organisation_id = ref->organisation_id};
    if (rc == PORTAL_OK)
        rc = wf_change_decision_record(db, actor, &d, out);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result wf_review_decide(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               const wf_review_input *in, wf_change_result *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    outcome_init(o);
    if (actor && actor->caller && !access_can(actor->caller, "reviews.manage"))
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    if (!in->approve && !in->reason) {
        outcome_add_error(o, "/reason", "required", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    participant_change_meta meta;
    portal_result rc = wf_change_find(db, in->change_id, &meta, o);
    if (rc != PORTAL_OK)
        return rc;
    participant_ref ref;
    rc = participants_ref(db, meta.participant_id, 1, &ref);
    if (rc == PORTAL_OK)
        rc = participant_changes_get(db, in->change_id, &meta, NULL);
    if (rc != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    if (strcmp(meta.status, "pending_review") != 0)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "review_not_pending");
    rc = review_apply(db, actor, opts, in, &ref, &meta, out, o);
    if (rc != PORTAL_OK)
        wf_change_result_free(out);
    return rc;
}
