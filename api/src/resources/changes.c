/* resources/changes.c: see changes.h. */
#include "resources/changes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "http/access_answer.h"
#include "http/call.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/participant_body.h"
#include "http/participant_query.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/retention.h"
#include "workflows/changes.h"

#define CHANGES_REASON_MAX 500 /* characters of a cancellation reason */

/* ---- submitting a change ---- */

/* What a change body holds besides the strings of wf_change_input. */
typedef struct {
    participant_family_input member;
    participant_address_input address;
} change_parts;

/* Reads type, effective_date and the type's fields into c (strings
 * borrowed from body); what cannot be read goes to in (400), the rules are
 * the workflow's. */
static void change_read(input *in, const json_t *body, wf_change_input *c, change_parts *parts)
{
    c->type = input_string(in, body, "", "type", INPUT_REQUIRED, 32);
    c->effective_date = input_string(in, body, "", "effective_date", INPUT_REQUIRED, 32);
    rule_change_type type;
    if (input_failed(in) || rule_change_type_parse(c->type, &type) != PORTAL_OK)
        return;
    switch (type) {
    case RULE_CHANGE_SALARY:
        c->salary = input_string(in, body, "", "salary", INPUT_OPTIONAL, 32);
        c->parttime_percentage =
            input_string(in, body, "", "parttime_percentage", INPUT_OPTIONAL, 32);
        break;
    case RULE_CHANGE_PARTNER:
    case RULE_CHANGE_CHILD:
        if (pbody_family_member(in, body, type == RULE_CHANGE_PARTNER, &parts->member))
            c->member = &parts->member;
        break;
    case RULE_CHANGE_ADDRESS:
        if (pbody_address(in, body, "/address", INPUT_REQUIRED, &parts->address))
            c->address = &parts->address;
        break;
    case RULE_CHANGE_TERMINATION:
    case RULE_CHANGE_REGISTRATION:
    default:
        break;
    }
}

void changes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    if (!uuid_valid(id)) {
        http_answer_result(response, ctx, PORTAL_ERR_NOT_FOUND);
        return;
    }
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    wf_change_input c = {.participant_id = id,
                         .precondition = pquery_if_match,
                         .precondition_arg = (void *)http_header(request, "If-Match")};
    change_parts parts;
    change_read(&in, body, &c, &parts);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    http_call hc;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &hc, &idem) == HTTP_ANSWERED)
        return;
    wf_change_result res;
    if (wf_change_submit(hc.db, &hc.actor, NULL, &c, &res, &hc.o) != PORTAL_OK) {
        http_answer_rollback(response, ctx, hc.db, &hc.o);
        return;
    }
    http_ctx_keep(ctx, res.change_json);
    char location[96];
    snprintf(location, sizeof location, "/api/v1/changes/%s", res.change_id);
    pquery_finish_change(response, ctx, hc.db, &idem, 201, res.change_json, location);
}

/* ---- reading changes ---- */

/* After rc (PORTAL_OK: *json holds one change or a page of them, malloc'd,
 * not yet kept): for every caller but insurer staff, the changes of a
 * former participant past the scheme's limit keep only what the reduced
 * detail shows (store/retention.h). Returns rc or the reduction's failure;
 * *json stays owned by the caller either way. */
static portal_result changes_retention(http_ctx *ctx, db_conn *db, portal_result rc, char **json)
{
    if (rc == PORTAL_OK && *json && !access_can(&ctx->caller, "audit.read_all"))
        rc = retention_reduce_changes(db, json);
    return rc;
}

/* Decodes a change-list cursor [effective_date, registered_at, seq] (keys
 * owned by the request); answers 400 invalid_cursor for a forged one. */
static http_step change_keys(http_ctx *ctx, struct _u_response *response, const http_page *page,
                             const char *tag, participant_change_after *after)
{
    memset(after, 0, sizeof *after);
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, page, tag, 3, &keys))
        return HTTP_ANSWERED;
    if (!http_ctx_keep_json(ctx, keys))
        return HTTP_GO_ON;
    after->effective_date = json_string_value(json_array_get(keys, 0));
    after->registered_at = json_string_value(json_array_get(keys, 1));
    after->seq = json_string_value(json_array_get(keys, 2));
    if (pquery_key_is_date(after->effective_date) &&
        pquery_key_is_timestamp(after->registered_at) && pquery_key_is_digits(after->seq))
        return HTTP_GO_ON;
    http_problem(response, ctx, 400, "invalid_cursor");
    return HTTP_ANSWERED;
}

/* The participant {id} when the caller may read it; answers otherwise. */
static http_step history_participant(const struct _u_request *request, struct _u_response *response,
                                     http_ctx *ctx, db_conn *db, participant_ref *ref)
{
    const char *id = http_param(request, "id");
    portal_result rc = uuid_valid(id) ? participants_ref(db, id, 0, ref) : PORTAL_ERR_NOT_FOUND;
    if (rc != PORTAL_OK) {
        http_answer_result(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_DATABASE);
        return HTTP_ANSWERED;
    }
    return access_scheme_or_answer(ctx, response, db, ref->scheme_id, "participants.read")
               ? HTTP_GO_ON
               : HTTP_ANSWERED;
}

void changes_history_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    db_conn *db = http_require_db(ctx, response);
    participant_ref ref;
    if (!db || history_participant(request, response, ctx, db, &ref) == HTTP_ANSWERED)
        return;
    static const char tag[] = "participant_changes:-effective_date";
    participant_change_after after;
    if (change_keys(ctx, response, &page, tag, &after) == HTTP_ANSWERED)
        return;
    char *items = NULL, *next_keys = NULL;
    portal_result rc =
        participant_changes_history_json(db, ref.id, &after, page.limit, &items, &next_keys);
    rc = changes_retention(ctx, db, rc, &items);
    http_ctx_keep(ctx, items);
    http_ctx_keep(ctx, next_keys);
    pquery_send_page(response, ctx, rc, tag, items, next_keys);
}

/* Reads ?status=, ?type=, the cursor and ?scheme_id= of the submitted
 * changes into q; answers 400/404 for a bad one. */
static http_step submitted_query(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx, const char *tag,
                                 participant_changes_submitted_query *q)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return HTTP_ANSWERED;
    q->limit = page.limit;
    q->status = participant_present(http_param(request, "status"));
    if (q->status && strcmp(q->status, "processed") && strcmp(q->status, "pending_review") &&
        strcmp(q->status, "rejected") && strcmp(q->status, "cancelled")) {
        http_field_problem(response, ctx, 400, "invalid_request", "status", "invalid_value", NULL);
        return HTTP_ANSWERED;
    }
    if (pquery_type_filter(request, response, ctx, &q->type) == HTTP_ANSWERED ||
        change_keys(ctx, response, &page, tag, &q->after) == HTTP_ANSWERED)
        return HTTP_ANSWERED;
    return pquery_scheme_ids(request, ctx, response, &q->scheme_ids, &q->n_schemes);
}

void changes_submitted_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    static const char tag[] = "changes:-effective_date";
    participant_changes_submitted_query q = {.caller = &ctx->caller};
    if (submitted_query(request, response, ctx, tag, &q) == HTTP_ANSWERED)
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    participants_list_verdict verdict;
    char *items = NULL, *next_keys = NULL;
    portal_result rc = participant_changes_submitted_json(db, &q, &verdict, &items, &next_keys);
    if (verdict == PARTICIPANTS_LIST_OK)
        rc = changes_retention(ctx, db, rc, &items);
    http_ctx_keep(ctx, items);
    http_ctx_keep(ctx, next_keys);
    if (rc == PORTAL_OK && verdict != PARTICIPANTS_LIST_OK)
        http_answer_result(response, ctx,
                           verdict == PARTICIPANTS_LIST_FORBIDDEN ? PORTAL_ERR_DENIED
                                                                  : PORTAL_ERR_NOT_FOUND);
    else
        pquery_send_page(response, ctx, rc, tag, items, next_keys);
}

void changes_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    participant_change_meta meta;
    char *json = NULL;
    portal_result rc =
        uuid_valid(id) ? participant_changes_get(db, id, &meta, &json) : PORTAL_ERR_NOT_FOUND;
    rc = changes_retention(ctx, db, rc, &json);
    http_ctx_keep(ctx, json);
    if (rc != PORTAL_OK)
        http_answer_result(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_DATABASE);
    else if (access_scheme_or_answer(ctx, response, db, meta.scheme_id, "participants.read"))
        pquery_send_change(response, ctx, 200, json);
}

/* ---- cancellation ---- */

void changes_cancel_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    if (!uuid_valid(id)) {
        http_answer_result(response, ctx, PORTAL_ERR_NOT_FOUND);
        return;
    }
    wf_cancel_input c = {.change_id = id,
                         .precondition = pquery_if_match,
                         .precondition_arg = (void *)http_header(request, "If-Match")};
    c.reason = http_body_string(ctx, request, response, "reason", CHANGES_REASON_MAX);
    if (!c.reason)
        return;
    http_call hc;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &hc, &idem) == HTTP_ANSWERED)
        return;
    wf_change_result res;
    if (wf_change_cancel(hc.db, &hc.actor, NULL, &c, &res, &hc.o) != PORTAL_OK) {
        http_answer_rollback(response, ctx, hc.db, &hc.o);
        return;
    }
    portal_result rc = changes_retention(ctx, hc.db, PORTAL_OK, &res.change_json);
    http_ctx_keep(ctx, res.change_json);
    if (rc != PORTAL_OK) {
        db_rollback(hc.db);
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
        return;
    }
    pquery_finish_change(response, ctx, hc.db, &idem, 200, res.change_json, NULL);
}
