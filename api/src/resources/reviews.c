/* resources/reviews.c: see reviews.h. */
#include "resources/reviews.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "http/audit.h"
#include "http/idempotency.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/participant_input.h"
#include "store/participant_changes.h"

#define REVIEWS_REASON_MAX 500 /* characters of a rejection reason */

void reviews_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "reviews.manage"))
        return;
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    const char *type = pinput_present(http_param(request, "type"));
    rule_change_type parsed_type;
    if (type && rule_change_type_parse(type, &parsed_type) != PORTAL_OK) {
        http_field_problem(response, ctx, 400, "invalid_request", "type", "invalid_value", NULL);
        return;
    }
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
        if (participant_changes_reviews_json(db, scheme_ids, type, after_at, after_seq, page.limit,
                                             &items, &next_keys) != PORTAL_OK) {
            http_problem(response, ctx, 500, "internal_error");
        } else {
            char *text = pinput_expand_reasons(items, ctx->lang);
            char *next = next_keys ? http_cursor_encode_text(tag, next_keys) : NULL;
            if (!text)
                http_problem(response, ctx, 500, "internal_error");
            else
                http_page_send_text(response, text, strlen(text), next, -1);
            free(text);
            free(next);
        }
        free(items);
        free(next_keys);
    }
    free(scheme_ids);
    json_decref(keys);
}

static void rollback_problem(db_conn *db, struct _u_response *response, http_ctx *ctx, int status,
                             const char *code)
{
    db_rollback(db);
    http_problem(response, ctx, status, code);
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
    if (db_begin(db) != PORTAL_OK) {
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    http_idempotency idem;
    if (!http_idempotency_begin(ctx, request, response, db, &idem)) {
        db_rollback(db);
        return;
    }
    participant_ref ref;
    rc = participants_ref(db, meta.participant_id, 1, &ref);
    if (rc == PORTAL_OK)
        rc = participant_changes_get(db, id, &meta, NULL);
    if (rc != PORTAL_OK) {
        rollback_problem(db, response, ctx, 500, "internal_error");
        return;
    }
    if (strcmp(meta.status, "pending_review") != 0) {
        rollback_problem(db, response, ctx, 409, "review_not_pending");
        return;
    }
    int locked = 0;
    if (approve) {
        rc = participants_scheme_locked(db, ref.scheme_id, &locked);
        if (rc == PORTAL_OK && locked) {
            rollback_problem(db, response, ctx, 409, "scheme_locked_by_batch");
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
    if (rc == PORTAL_OK) {
        json_t *changes = json_object();
        audit_change_str(changes, "change_id", NULL, id);
        audit_change_str(changes, "type", NULL, meta.type);
        audit_change_str(changes, "status", "pending_review", approve ? "processed" : "rejected");
        if (!approve)
            audit_change_str(changes, "rejection_reason", NULL, reason);
        rc = http_audit(ctx, db, approve ? "review.approved" : "review.rejected", "participant",
                        ref.id, ref.organisation_id, changes);
        json_decref(changes);
    }
    char *json = NULL, *text = NULL;
    if (rc == PORTAL_OK)
        rc = participant_changes_get(db, id, &meta, &json);
    if (rc == PORTAL_OK && !(text = pinput_expand_reasons(json, ctx->lang)))
        rc = PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = http_idempotency_finish(&idem, db, 200, text, NULL);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    free(json);
    if (rc != PORTAL_OK) {
        free(text);
        rollback_problem(db, response, ctx, rc == PORTAL_ERR_CONFLICT ? 409 : 500,
                         rc == PORTAL_ERR_CONFLICT ? "review_not_pending" : "internal_error");
        return;
    }
    http_send_json_text(response, 200, text, strlen(text));
    free(text);
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
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *reason = input_string(&in, body, "", "reason", INPUT_REQUIRED, REVIEWS_REASON_MAX);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    review_decide(request, response, ctx, 0, reason);
}
