/* resources/reviews.c: see reviews.h. */
#include "resources/reviews.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "base/uuid.h"
#include "http/audit.h"
#include "http/idempotency.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "resources/changes.h"
#include "resources/participant_input.h"
#include "store/participant_changes.h"

#define REVIEWS_REASON_MAX 500 /* characters of a rejection reason */

void reviews_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "reviews.manage"))
        return;
    http_page page;
    const char *type = NULL;
    if (!http_page_params(request, ctx, response, &page) ||
        !changes_type_filter(request, response, ctx, &type))
        return;
    static const char tag[] = "reviews:registered_at";
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, tag, 2, &keys))
        return;
    const char *after_at = keys ? json_string_value(json_array_get(keys, 0)) : NULL;
    const char *after_seq = keys ? json_string_value(json_array_get(keys, 1)) : NULL;
    if (keys && (!pinput_key_is_timestamp(after_at) || !pinput_key_is_digits(after_seq))) {
        json_decref(keys);
        http_problem(response, ctx, 400, "invalid_cursor");
        return;
    }
    char *scheme_ids = NULL;
    int n_schemes = 0;
    if (!pinput_scheme_ids(request, ctx, response, &scheme_ids, &n_schemes)) {
        json_decref(keys);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (db) {
        char *items = NULL, *next_keys = NULL;
        portal_result rc = participant_changes_reviews_json(
            db, scheme_ids, type, after_at, after_seq, page.limit, &items, &next_keys);
        changes_send_page(response, ctx, rc, tag, items, next_keys);
        free(items);
        free(next_keys);
    }
    free(scheme_ids);
    json_decref(keys);
}

/* Approves or rejects the pending change `id` in one transaction: the
 * participant is locked, the decision recorded, the periods rebuilt (a
 * rejected first registration also frees number and BSN), audited; answers
 * 200 with the change. */
static void review_decide(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx, int approve, const char *reason)
{
    const char *id = http_param(request, "id");
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    participant_change_meta meta;
    portal_result rc =
        uuid_valid(id) ? participant_changes_get(db, id, &meta, NULL) : PORTAL_ERR_NOT_FOUND;
    if (rc != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 503,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "service_unavailable");
        return;
    }
    http_idempotency idem;
    if (!http_item_begin(request, response, ctx, db, &idem))
        return;
    participant_ref ref;
    rc = participants_ref(db, meta.participant_id, 1, &ref);
    if (rc == PORTAL_OK)
        rc = participant_changes_get(db, id, &meta, NULL);
    if (rc != PORTAL_OK) {
        http_item_rollback(response, ctx, db, 500, "internal_error");
        return;
    }
    if (strcmp(meta.status, "pending_review") != 0) {
        http_item_rollback(response, ctx, db, 409, "review_not_pending");
        return;
    }
    int locked = 0;
    if (approve) {
        rc = participants_scheme_locked(db, ref.scheme_id, &locked);
        if (rc == PORTAL_OK && locked) {
            http_item_rollback(response, ctx, db, 409, "scheme_locked_by_batch");
            return;
        }
    }
    int changed = 0;
    if (rc == PORTAL_OK)
        rc = participant_changes_decide(db, id, approve, ctx->caller.user_id, reason, &changed);
    if (rc == PORTAL_OK && !changed)
        rc = PORTAL_ERR_CONFLICT;
    if (rc == PORTAL_OK && !approve && meta.initial_registration)
        rc = participants_mark_rejected(db, ref.id);
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, ref.id);
    changes_decision d = {.id = id,
                          .type = meta.type,
                          .from_status = "pending_review",
                          .to_status = approve ? "processed" : "rejected",
                          .reason_key = approve ? NULL : "rejection_reason",
                          .reason = reason,
                          .action = approve ? "review.approved" : "review.rejected",
                          .participant_id = ref.id,
                          .organisation_id = ref.organisation_id,
                          .conflict_code = "review_not_pending"};
    changes_decision_finish(response, ctx, db, &idem, rc, &d);
}

void reviews_approve_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "reviews.manage"))
        return;
    review_decide(request, response, ctx, 1, NULL);
}

void reviews_reject_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "reviews.manage"))
        return;
    const char *reason = http_body_string(ctx, request, response, "reason", REVIEWS_REASON_MAX);
    if (reason)
        review_decide(request, response, ctx, 0, reason);
}
