/* resources/participants.c: see participants.h. */
#include "resources/participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "domain/decimal.h"
#include "domain/participant_format.h"
#include "http/audit.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/participant_body.h"
#include "http/participant_query.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/access.h"
#include "store/retention.h"
#include "workflows/participants.h"

#define PARTICIPANTS_Q_MAX 100 /* characters of a search */

/* ---- the list ---- */

static const char *const list_sorts[] = {"name", "number", "start_date", "salary", NULL};

/* Whether the decoded cursor keys fit the sort; else answers 400. */
static http_step list_keys_check(http_ctx *ctx, struct _u_response *response, json_t *keys,
                                 participants_sort sort)
{
    const char *key = json_string_value(json_array_get(keys, 0));
    const char *id = json_string_value(json_array_get(keys, 1));
    int64_t amount = 0;
    int ok = key && uuid_valid(id) && strlen(key) < 1024;
    if (ok && sort == PARTICIPANTS_SORT_START_DATE)
        ok = pquery_key_is_date(key);
    /* A salary cursor may also hold the key of a participant whose salary
     * the caller may not see (store/participants.c sorts them last). */
    if (ok && sort == PARTICIPANTS_SORT_SALARY)
        ok = decimal_parse(key, &decimal_spec_salary, &amount) == PORTAL_OK ||
             strcmp(key, "1000000000000") == 0 || strcmp(key, "-1") == 0;
    if (ok)
        return HTTP_GO_ON;
    http_problem(response, ctx, 400, "invalid_cursor");
    return HTTP_ANSWERED;
}

/* Reads ?status= and ?q= into lq; answers 400 for a bad one. */
static http_step list_filters(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx, participants_list_query *lq)
{
    lq->status = participant_present(http_param(request, "status"));
    rule_participant_status parsed_status;
    if (lq->status && rule_status_parse(lq->status, &parsed_status) != PORTAL_OK) {
        http_field_problem(response, ctx, 400, "invalid_request", "status", "invalid_value", NULL);
        return HTTP_ANSWERED;
    }
    lq->q = participant_present(http_param(request, "q"));
    if (lq->q && input_utf8_length(lq->q) > PARTICIPANTS_Q_MAX) {
        http_field_problem(response, ctx, 400, "invalid_request", "q", "too_long", NULL);
        return HTTP_ANSWERED;
    }
    return HTTP_GO_ON;
}

/* Reads the sort, filters, cursor and schemes of a list request into lq
 * (strings owned by the request); *tag the cursor's tag. */
static http_step list_query(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx, participants_list_query *lq, char *tag, size_t tag_size)
{
    http_page page;
    const char *field = NULL;
    if (!http_page_params(request, ctx, response, &page) ||
        !http_sort_param(request, ctx, response, list_sorts, "name", &field, &lq->desc) ||
        list_filters(request, response, ctx, lq) == HTTP_ANSWERED)
        return HTTP_ANSWERED;
    lq->limit = page.limit;
    for (int i = 0; list_sorts[i]; i++)
        if (strcmp(list_sorts[i], field) == 0)
            lq->sort = (participants_sort)i;
    if (http_cursor_tag("participants", field, lq->desc, tag, tag_size) != PORTAL_OK) {
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
        return HTTP_ANSWERED;
    }
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, tag, 2, &keys))
        return HTTP_ANSWERED;
    http_ctx_keep_json(ctx, keys);
    if (keys && list_keys_check(ctx, response, keys, lq->sort) == HTTP_ANSWERED)
        return HTTP_ANSWERED;
    lq->after_key = keys ? json_string_value(json_array_get(keys, 0)) : NULL;
    lq->after_id = keys ? json_string_value(json_array_get(keys, 1)) : NULL;
    return pquery_scheme_ids(request, ctx, response, &lq->scheme_ids, &lq->n_schemes);
}

void participants_list_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    participants_list_query lq = {.caller = &ctx->caller, .sort = PARTICIPANTS_SORT_NAME};
    char tag[HTTP_CURSOR_TAG_MAX + 1];
    if (list_query(request, response, ctx, &lq, tag, sizeof tag) == HTTP_ANSWERED)
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    pquery_today(&today, today_text);
    lq.today = today_text;
    participants_list_verdict verdict;
    char *items = NULL, *next_keys = NULL;
    portal_result rc = participants_list_json(db, &lq, &verdict, &items, &next_keys);
    http_ctx_keep(ctx, items);
    http_ctx_keep(ctx, next_keys);
    if (rc != PORTAL_OK) {
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
    } else if (verdict != PARTICIPANTS_LIST_OK) {
        http_answer_result(response, ctx,
                           verdict == PARTICIPANTS_LIST_FORBIDDEN ? PORTAL_ERR_DENIED
                                                                  : PORTAL_ERR_NOT_FOUND);
    } else {
        char *next = next_keys ? http_ctx_keep(ctx, http_cursor_encode_text(tag, next_keys)) : NULL;
        http_page_send_text(response, items, strlen(items), next, -1);
    }
}

/* ---- the detail ---- */

/* Loads a participant the caller may read: *full says whether BSNs show in
 * full (participants.bsn). Answers 404/403/503 otherwise. */
static http_step participant_readable(http_ctx *ctx, struct _u_response *response, db_conn *db,
                                      const char *id, participant_ref *ref, int *full)
{
    portal_result rc = uuid_valid(id) ? participants_ref(db, id, 0, ref) : PORTAL_ERR_NOT_FOUND;
    char rights[CALLER_MAX_RIGHTS][CALLER_RIGHT_LEN];
    char kind[16];
    int n = 0;
    if (rc == PORTAL_OK)
        rc = access_scheme_rights(db, &ctx->caller, ref->scheme_id, rights, CALLER_MAX_RIGHTS, &n,
                                  kind);
    if (rc == PORTAL_OK && !access_rights_give(kind, rights, n, "participants.read"))
        rc = PORTAL_ERR_DENIED;
    if (rc == PORTAL_OK) {
        *full = access_rights_give(kind, rights, n, "participants.bsn");
        return HTTP_GO_ON;
    }
    if (rc != PORTAL_ERR_NOT_FOUND && rc != PORTAL_ERR_DENIED)
        rc = PORTAL_ERR_DATABASE;
    http_answer_result(response, ctx, rc);
    return HTTP_ANSWERED;
}

/* ?as_of= (default today) into as_of; answers 400 for a bad date. */
static http_step detail_as_of(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx, char as_of[CIVIL_DATE_TEXT_SIZE])
{
    civil_date today;
    pquery_today(&today, as_of);
    const char *given = participant_present(http_param(request, "as_of"));
    if (!given)
        return HTTP_GO_ON;
    if (!pquery_key_is_date(given)) {
        http_field_problem(response, ctx, 400, "invalid_request", "as_of", "invalid_date", NULL);
        return HTTP_ANSWERED;
    }
    snprintf(as_of, CIVIL_DATE_TEXT_SIZE, "%s", given);
    return HTTP_GO_ON;
}

void participants_get_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx)
{
    char as_of[CIVIL_DATE_TEXT_SIZE];
    if (detail_as_of(request, response, ctx, as_of) == HTTP_ANSWERED)
        return;
    db_conn *db = http_require_db(ctx, response);
    participant_ref ref;
    int full = 0;
    if (!db || participant_readable(ctx, response, db, http_param(request, "id"), &ref, &full) ==
                   HTTP_ANSWERED)
        return;
    char *json = NULL;
    long long version = 0;
    portal_result rc = participants_detail_json(db, ref.id, as_of, full, &json, &version);
    /* Former participants past the scheme's limit: staff alone see all. */
    if (rc == PORTAL_OK && !access_can(&ctx->caller, "audit.read_all"))
        rc = retention_reduce_detail(db, ref.id, &json);
    http_ctx_keep(ctx, json);
    if (rc == PORTAL_OK && full) {
        /* A view with full BSNs is audited; without the audit row, no view. */
        json_t *changes = http_ctx_keep_json(ctx, json_pack("{s:s}", "as_of", as_of));
        rc = http_audit(ctx, db, "participant.bsn_viewed", "participant", ref.id,
                        ref.organisation_id, changes);
    }
    if (rc != PORTAL_OK) {
        http_answer_result(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_INTERNAL);
        return;
    }
    char etag[HTTP_ETAG_LEN];
    pquery_etag(ref.id, version, etag);
    http_set_etag(response, etag);
    http_send_json_text(response, 200, json, strlen(json));
}

/* ---- registration ---- */

/* Reads the body into r (strings borrowed from body): what cannot be read
 * goes to in (400); the rules are the workflow's. */
static void registration_read(input *in, const json_t *body, wf_registration_input *r,
                              participant_address_input *address)
{
    r->scheme_id = input_string(in, body, "", "scheme_id", INPUT_REQUIRED, 64);
    r->participant_number =
        participant_present(input_string(in, body, "", "participant_number", INPUT_OPTIONAL, 64));
    json_t *person = input_object(in, body, "", "person", INPUT_REQUIRED);
    json_t *employment = input_object(in, body, "", "employment", INPUT_REQUIRED);
    const char *pp = "/person";
    if (person) {
        r->first_name = participant_present(
            input_string(in, person, pp, "first_name", INPUT_OPTIONAL, PARTICIPANT_NAME_MAX));
        r->initials = participant_present(
            input_string(in, person, pp, "initials", INPUT_OPTIONAL, PARTICIPANT_INITIALS_MAX));
        r->surname_prefix = participant_present(
            input_string(in, person, pp, "surname_prefix", INPUT_OPTIONAL, PARTICIPANT_PREFIX_MAX));
        r->surname = input_string(in, person, pp, "surname", INPUT_REQUIRED, PARTICIPANT_NAME_MAX);
        r->birth_date = input_string(in, person, pp, "birth_date", INPUT_REQUIRED, 32);
        r->gender = input_string(in, person, pp, "gender", INPUT_REQUIRED, 32);
        r->bsn = input_string(in, person, pp, "bsn", INPUT_REQUIRED, 32);
        r->email = participant_present(
            input_string(in, person, pp, "email", INPUT_OPTIONAL, PARTICIPANT_EMAIL_MAX));
        if (!r->first_name && !r->initials && !input_failed(in))
            input_error(in, pp, "initials", "required");
    }
    if (employment) {
        const char *ep = "/employment";
        r->start_date = input_string(in, employment, ep, "start_date", INPUT_REQUIRED, 32);
        r->salary = input_string(in, employment, ep, "salary", INPUT_REQUIRED, 32);
        r->parttime_percentage =
            input_string(in, employment, ep, "parttime_percentage", INPUT_REQUIRED, 32);
    }
    if (person && pbody_address(in, person, "/person/address", INPUT_OPTIONAL, address))
        r->address = address;
}

/* The 201 answer: the participant as of max(today, start) with BSNs masked,
 * plus "registration" (the change, reasons expanded) and "rehired".
 * Returns malloc'd JSON text, or NULL. */
static char *registration_answer(http_ctx *ctx, db_conn *db, const wf_registration_result *res,
                                 const char *start, long long *version)
{
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    pquery_today(&today, today_text);
    char *detail = NULL;
    const char *as_of = strcmp(start, today_text) > 0 ? start : today_text;
    if (participants_detail_json(db, res->participant_id, as_of, 0, &detail, version) != PORTAL_OK)
        return NULL;
    http_ctx_keep(ctx, detail);
    char *change = http_ctx_keep(ctx, pquery_expand_reasons(res->change_json, ctx->lang));
    json_t *answer = http_ctx_keep_json(ctx, json_loads(detail, 0, NULL));
    json_t *change_obj = change ? json_loads(change, 0, NULL) : NULL;
    if (!answer || !change_obj) {
        json_decref(change_obj);
        return NULL;
    }
    json_object_set_new(answer, "registration", change_obj);
    json_object_set_new(answer, "rehired", json_boolean(res->rehired));
    return json_dumps(answer, JSON_COMPACT);
}

/* The registration workflow in the request's transaction, then the 201
 * answer kept for the Idempotency-Key. */
static void registration_run(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, db_conn *db, const wf_registration_input *r)
{
    http_idempotency idem;
    if (!http_item_begin(request, response, ctx, db, &idem))
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    wf_registration_result res;
    if (wf_participant_register(db, &actor, NULL, r, &res, &o) != PORTAL_OK) {
        http_answer_rollback(response, ctx, db, &o);
        return;
    }
    http_ctx_keep(ctx, res.change_json);
    long long version = 0;
    char *text = http_ctx_keep(ctx, registration_answer(ctx, db, &res, r->start_date, &version));
    char location[96], etag[HTTP_ETAG_LEN];
    snprintf(location, sizeof location, "/api/v1/participants/%s", res.participant_id);
    pquery_etag(res.participant_id, version, etag);
    if (!text) {
        db_rollback(db);
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
        return;
    }
    http_item_answer a = {.status = 201, .json = text, .location = location, .etag = etag};
    if (http_item_finish(response, db, &idem, PORTAL_OK, &a) != PORTAL_OK)
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
}

void participants_create_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    wf_registration_input r;
    participant_address_input address;
    memset(&r, 0, sizeof r);
    registration_read(&in, body, &r, &address);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (db)
        registration_run(request, response, ctx, db, &r);
}
