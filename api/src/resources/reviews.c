/* resources/reviews.c: see reviews.h. */
#include "resources/reviews.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "http/idempotency.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/participant_query.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/participant_changes.h"
#include "workflows/reviews.h"

#define REVIEWS_REASON_MAX 500 /* characters of a rejection reason */

/* Reads the page, ?type=, the cursor [registered_at, seq] (owned by the
 * request) and ?scheme_id= of the queue; answers 400/404 for a bad one. */
static http_step reviews_query(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx, const char *tag, http_page *page, const char **type,
                               const char **after_at, const char **after_seq,
                               const char **scheme_ids)
{
    json_t *keys = NULL;
    if (!http_page_params(request, ctx, response, page) ||
        pquery_type_filter(request, response, ctx, type) == HTTP_ANSWERED ||
        !http_page_cursor_keys(ctx, response, page, tag, 2, &keys))
        return HTTP_ANSWERED;
    http_ctx_keep_json(ctx, keys);
    *after_at = keys ? json_string_value(json_array_get(keys, 0)) : NULL;
    *after_seq = keys ? json_string_value(json_array_get(keys, 1)) : NULL;
    if (keys && (!pquery_key_is_timestamp(*after_at) || !pquery_key_is_digits(*after_seq))) {
        http_problem(response, ctx, 400, "invalid_cursor");
        return HTTP_ANSWERED;
    }
    int n_schemes = 0;
    return pquery_scheme_ids(request, ctx, response, scheme_ids, &n_schemes);
}

void reviews_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "reviews.manage"))
        return;
    static const char tag[] = "reviews:registered_at";
    http_page page;
    const char *type = NULL, *after_at = NULL, *after_seq = NULL, *scheme_ids = NULL;
    if (reviews_query(request, response, ctx, tag, &page, &type, &after_at, &after_seq,
                      &scheme_ids) == HTTP_ANSWERED)
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char *items = NULL, *next_keys = NULL;
    portal_result rc = participant_changes_reviews_json(db, scheme_ids, type, after_at, after_seq,
                                                        page.limit, &items, &next_keys);
    http_ctx_keep(ctx, items);
    http_ctx_keep(ctx, next_keys);
    pquery_send_page(response, ctx, rc, tag, items, next_keys);
}

/* Approves or rejects the pending change {id} in one transaction (the
 * review workflow) and answers 200 with the change. */
static void review_decide(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx, int approve, const char *reason)
{
    db_conn *db = http_require_db(ctx, response);
    http_idempotency idem;
    if (!db || !http_item_begin(request, response, ctx, db, &idem))
        return;
    portal_actor actor = http_actor(ctx);
    wf_review_input in = {
        .change_id = http_param(request, "id"), .approve = approve, .reason = reason};
    portal_outcome o;
    wf_change_result res;
    if (wf_review_decide(db, &actor, NULL, &in, &res, &o) != PORTAL_OK) {
        http_answer_rollback(response, ctx, db, &o);
        return;
    }
    http_ctx_keep(ctx, res.change_json);
    pquery_finish_change(response, ctx, db, &idem, 200, res.change_json, NULL);
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
