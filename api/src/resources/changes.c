/* resources/changes.c: see changes.h. */
#include "resources/changes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "base/uuid.h"
#include "domain/decimal.h"
#include "http/audit.h"
#include "http/idempotency.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "resources/participant_input.h"
#include "store/participant_changes.h"

#define CHANGES_REASON_MAX 500 /* characters of a cancellation reason */

/* ---- reading a change ---- */

typedef struct {
    rule_change_type type;
    civil_date effective;
    const char *effective_text;
    json_t *payload; /* owned */
} change_input;

/* The salary_change fields, canonical, into payload. */
static void read_salary_change(input *in, prules *rules, const json_t *body, json_t *payload)
{
    const char *salary = input_string(in, body, "", "salary", INPUT_OPTIONAL, 32);
    const char *parttime = input_string(in, body, "", "parttime_percentage", INPUT_OPTIONAL, 32);
    if (input_failed(in))
        return;
    rule_salary_change parsed;
    rule_report report;
    if (rule_check_salary_change(salary, parttime, &parsed, &report) != PORTAL_OK)
        return;
    if (report.outcome != RULE_DIRECT) {
        prules_add_report(rules, in->lang, &report);
        return;
    }
    char text[DECIMAL_TEXT_SIZE];
    if (parsed.has_salary &&
        decimal_format(parsed.salary, DECIMAL_MONEY_SCALE, text, sizeof text) == PORTAL_OK)
        json_object_set_new(payload, "salary", json_string(text));
    if (parsed.has_parttime_percentage &&
        decimal_format(parsed.parttime_percentage, DECIMAL_PERCENTAGE_SCALE, text, sizeof text) ==
            PORTAL_OK)
        json_object_set_new(payload, "parttime_percentage", json_string(text));
}

/* Reads type, effective_date and the type's fields: unreadable into in
 * (400), rule breaks into rules (422). */
static void change_read(input *in, prules *rules, const json_t *body, civil_date today,
                        change_input *c)
{
    const char *type = input_string(in, body, "", "type", INPUT_REQUIRED, 32);
    c->effective_text = input_string(in, body, "", "effective_date", INPUT_REQUIRED, 32);
    if (input_failed(in))
        return;
    if (rule_change_type_parse(type, &c->type) != PORTAL_OK ||
        c->type == RULE_CHANGE_REGISTRATION) {
        prules_add(rules, in->lang, "/type", "invalid_value", "validation_failed", NULL);
        return;
    }
    c->payload = json_object();
    switch (c->type) {
    case RULE_CHANGE_SALARY:
        read_salary_change(in, rules, body, c->payload);
        break;
    case RULE_CHANGE_PARTNER:
    case RULE_CHANGE_CHILD: {
        json_t *m = pinput_family_member(in, rules, body, c->type, today);
        if (m)
            json_object_set_new(c->payload, c->type == RULE_CHANGE_PARTNER ? "partner" : "child",
                                m);
        break;
    }
    case RULE_CHANGE_ADDRESS: {
        json_t *a = pinput_address(in, rules, body, "/address", INPUT_REQUIRED);
        if (a)
            json_object_set_new(c->payload, "address", a);
        break;
    }
    case RULE_CHANGE_TERMINATION:
    case RULE_CHANGE_REGISTRATION:
    default:
        break;
    }
    if (civil_date_parse(c->effective_text, &c->effective) != PORTAL_OK) {
        const rule_definition *rule = rule_find("date_invalid");
        prules_add(rules, in->lang, "/effective_date", "date_invalid", "validation_failed",
                   rule
                       ? (strcmp(in->lang, "en") == 0 ? rule->description_en : rule->description_nl)
                       : NULL);
    }
}

/* The participant's state in the shape the change rules want. 0 when the
 * stored state cannot be read (no period). */
static int rules_state(const participant_ref *ref, const participant_state *st,
                       rule_participant_state *p)
{
    memset(p, 0, sizeof *p);
    if (!st->has_period || rule_scheme_kind_parse(ref->scheme_kind, &p->scheme_kind) != PORTAL_OK ||
        rule_status_parse(st->status, &p->status) != PORTAL_OK ||
        civil_date_parse(st->employment_start, &p->employment_start) != PORTAL_OK)
        return 0;
    const char *end = st->employment_end[0] ? st->employment_end : NULL;
    if (st->pending_end[0] && (!end || strcmp(st->pending_end, end) < 0))
        end = st->pending_end;
    if (end) {
        p->has_employment_end = true;
        if (civil_date_parse(end, &p->employment_end) != PORTAL_OK)
            return 0;
    }
    return 1;
}

/* Sends a change JSON text with its review reasons expanded. */
static void send_change_text(struct _u_response *response, http_ctx *ctx, unsigned status,
                             const char *json)
{
    char *text = pinput_expand_reasons(json, ctx->lang);
    if (!text) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    http_send_json_text(response, status, text, strlen(text));
    free(text);
}

/* Locks the participant (the caller's transaction is open), checks If-Match
 * and the scheme's batch lock, and reads its state as of today. Answers and
 * returns 0 (after rolling back) when the request cannot go on. */
static int lock_participant(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx, db_conn *db, const char *id, const char *today,
                            participant_ref *ref, participant_state *st)
{
    portal_result rc = participants_ref(db, id, 1, ref);
    if (rc != PORTAL_OK) {
        http_item_rollback(response, ctx, db, rc == PORTAL_ERR_NOT_FOUND ? 404 : 500,
                           rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "internal_error");
        return 0;
    }
    char etag[HTTP_ETAG_LEN];
    pinput_etag(ref->id, ref->version, etag);
    if (!http_if_match(request, ctx, response, etag)) {
        db_rollback(db);
        return 0;
    }
    if (participants_state(db, id, today, st) != PORTAL_OK) {
        http_item_rollback(response, ctx, db, 500, "internal_error");
        return 0;
    }
    if (st->scheme_locked) {
        http_item_rollback(response, ctx, db, 409, "scheme_locked_by_batch");
        return 0;
    }
    return 1;
}

/* Stores an accepted change, records the idempotent answer, commits and
 * answers 201 (or rolls back and answers 500). */
static void change_store(struct _u_response *response, http_ctx *ctx, db_conn *db,
                         const http_idempotency *idem, const participant_ref *ref,
                         const change_input *c, const rule_verdict *verdict)
{
    char reasons[128] = "{}";
    if (verdict->outcome == RULE_REVIEW && verdict->rule)
        snprintf(reasons, sizeof reasons, "{%s}", verdict->rule->id);
    const char *status = verdict->outcome == RULE_REVIEW ? "pending_review" : "processed";
    char *payload = json_dumps(c->payload, JSON_COMPACT);
    participant_change_new change = {.participant_id = ref->id,
                                     .scheme_id = ref->scheme_id,
                                     .type = rule_change_type_name(c->type),
                                     .effective_date = c->effective_text,
                                     .status = status,
                                     .review_reasons = reasons,
                                     .payload = payload};
    pinput_actor(ctx, &change.actor);
    char change_id[PORTAL_ID_LEN] = "";
    char *answer = NULL, *text = NULL;
    portal_result rc =
        payload ? participant_changes_insert(db, &change, change_id, &answer) : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, ref->id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_object();
        audit_change_str(changes, "change_id", NULL, change_id);
        audit_change_str(changes, "type", NULL, change.type);
        audit_change_str(changes, "effective_date", NULL, c->effective_text);
        audit_change_str(changes, "status", NULL, status);
        json_t *salary = json_object_get(c->payload, "salary");
        json_t *parttime = json_object_get(c->payload, "parttime_percentage");
        if (salary)
            audit_change(changes, "salary", NULL, salary);
        if (parttime)
            audit_change(changes, "parttime_percentage", NULL, parttime);
        rc = http_audit(ctx, db, "participant.change_registered", "participant", ref->id,
                        ref->organisation_id, changes);
        json_decref(changes);
    }
    if (rc == PORTAL_OK && !(text = pinput_expand_reasons(answer, ctx->lang)))
        rc = PORTAL_ERR_MEMORY;
    char location[96];
    snprintf(location, sizeof location, "/api/v1/changes/%s", change_id);
    http_item_answer a = {.status = 201, .json = text, .location = location, .etag = NULL};
    if (http_item_finish(response, db, idem, rc, &a) != PORTAL_OK)
        http_problem(response, ctx, 500, "internal_error");
    free(payload);
    free(answer);
    free(text);
}

void changes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    if (!uuid_valid(id)) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    pinput_today(&today, today_text);
    input in;
    input_init(&in, ctx->lang);
    prules rules;
    prules_init(&rules);
    change_input c;
    memset(&c, 0, sizeof c);
    change_read(&in, &rules, body, today, &c);
    db_conn *db = NULL;
    participant_ref ref;
    portal_result rc;
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
    } else if ((db = http_require_db(ctx, response)) == NULL) {
        /* 503 written */
    } else if ((rc = participants_ref(db, id, 0, &ref)) != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 503,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "service_unavailable");
    } else if (!access_scheme_or_answer(ctx, response, db, ref.scheme_id, "participants.write")) {
        /* 404/403 written */
    } else if (prules_failed(&rules)) {
        prules_send(&rules, response, ctx);
    } else {
        http_idempotency idem;
        participant_state st;
        rule_participant_state p;
        rule_verdict verdict;
        if (!http_item_begin(request, response, ctx, db, &idem)) {
            /* answered */
        } else if (!lock_participant(request, response, ctx, db, id, today_text, &ref, &st)) {
            /* answered */
        } else if (!rules_state(&ref, &st, &p) ||
                   rule_check_change(&p, c.type, today, c.effective, &verdict) != PORTAL_OK) {
            http_item_rollback(response, ctx, db, 500, "internal_error");
        } else if (verdict.outcome == RULE_INVALID || verdict.outcome == RULE_CONFLICT) {
            db_rollback(db);
            const int family =
                verdict.rule && strcmp(verdict.rule->id, "family_requires_pension_scheme") == 0;
            prules_add_verdict(&rules, ctx->lang, &verdict, family ? "/type" : "/effective_date");
            prules_send(&rules, response, ctx);
        } else {
            change_store(response, ctx, db, &idem, &ref, &c, &verdict);
        }
    }
    json_decref(c.payload);
}

/* ---- reading changes ---- */

/* Decodes a change-list cursor [effective_date, registered_at, seq]. */
static int change_keys(http_ctx *ctx, struct _u_response *response, const http_page *page,
                       const char *tag, json_t **keys, participant_change_after *after)
{
    memset(after, 0, sizeof *after);
    if (!http_page_cursor_keys(ctx, response, page, tag, 3, keys))
        return 0;
    if (!*keys)
        return 1;
    after->effective_date = json_string_value(json_array_get(*keys, 0));
    after->registered_at = json_string_value(json_array_get(*keys, 1));
    after->seq = json_string_value(json_array_get(*keys, 2));
    if (pinput_key_is_date(after->effective_date) &&
        pinput_key_is_timestamp(after->registered_at) && pinput_key_is_digits(after->seq))
        return 1;
    json_decref(*keys);
    *keys = NULL;
    http_problem(response, ctx, 400, "invalid_cursor");
    return 0;
}

void changes_send_page(struct _u_response *response, http_ctx *ctx, portal_result rc,
                       const char *tag, const char *items, const char *next_keys)
{
    char *text = rc == PORTAL_OK ? pinput_expand_reasons(items, ctx->lang) : NULL;
    char *next = text && next_keys ? http_cursor_encode_text(tag, next_keys) : NULL;
    if (!text)
        http_problem(response, ctx, 500, "internal_error");
    else
        http_page_send_text(response, text, strlen(text), next, -1);
    free(text);
    free(next);
}

void changes_history_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    participant_ref ref;
    portal_result rc = uuid_valid(id) ? participants_ref(db, id, 0, &ref) : PORTAL_ERR_NOT_FOUND;
    if (rc != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 503,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "service_unavailable");
        return;
    }
    if (!access_scheme_or_answer(ctx, response, db, ref.scheme_id, "participants.read"))
        return;
    static const char tag[] = "participant_changes:-effective_date";
    json_t *keys = NULL;
    participant_change_after after;
    if (!change_keys(ctx, response, &page, tag, &keys, &after))
        return;
    char *items = NULL, *next_keys = NULL;
    rc = participant_changes_history_json(db, ref.id, &after, page.limit, &items, &next_keys);
    changes_send_page(response, ctx, rc, tag, items, next_keys);
    free(items);
    free(next_keys);
    json_decref(keys);
}

void changes_submitted_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    const char *status = pinput_present(http_param(request, "status"));
    if (status && strcmp(status, "processed") && strcmp(status, "pending_review") &&
        strcmp(status, "rejected") && strcmp(status, "cancelled")) {
        http_field_problem(response, ctx, 400, "invalid_request", "status", "invalid_value", NULL);
        return;
    }
    const char *type = NULL;
    if (!changes_type_filter(request, response, ctx, &type))
        return;
    static const char tag[] = "changes:-effective_date";
    json_t *keys = NULL;
    participant_changes_submitted_query q = {
        .caller = &ctx->caller, .status = status, .type = type, .limit = page.limit};
    char *scheme_ids = NULL;
    if (!change_keys(ctx, response, &page, tag, &keys, &q.after))
        return;
    if (!pinput_scheme_ids(request, ctx, response, &scheme_ids, &q.n_schemes)) {
        json_decref(keys);
        return;
    }
    q.scheme_ids = scheme_ids;
    db_conn *db = http_require_db(ctx, response);
    if (db) {
        participants_list_verdict verdict;
        char *items = NULL, *next_keys = NULL;
        portal_result rc = participant_changes_submitted_json(db, &q, &verdict, &items, &next_keys);
        if (rc == PORTAL_OK && verdict != PARTICIPANTS_LIST_OK)
            http_problem(response, ctx, verdict == PARTICIPANTS_LIST_FORBIDDEN ? 403 : 404,
                         verdict == PARTICIPANTS_LIST_FORBIDDEN ? "forbidden" : "not_found");
        else
            changes_send_page(response, ctx, rc, tag, items, next_keys);
        free(items);
        free(next_keys);
    }
    free(scheme_ids);
    json_decref(keys);
}

int changes_type_filter(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx, const char **type)
{
    *type = pinput_present(http_param(request, "type"));
    rule_change_type parsed;
    if (*type && rule_change_type_parse(*type, &parsed) != PORTAL_OK) {
        http_field_problem(response, ctx, 400, "invalid_request", "type", "invalid_value", NULL);
        return 0;
    }
    return 1;
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
    if (rc != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 503,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "service_unavailable");
    } else if (access_scheme_or_answer(ctx, response, db, meta.scheme_id, "participants.read")) {
        send_change_text(response, ctx, 200, json);
    }
    free(json);
}

/* ---- cancellation ---- */

/* Why a change cannot be cancelled now: NULL when it can. */
static const char *cancel_refusal(const participant_change_meta *meta, const participant_state *st)
{
    if (strcmp(meta->status, "processed") != 0 && strcmp(meta->status, "pending_review") != 0)
        return "change_not_cancellable";
    if (strcmp(meta->type, "registration") == 0)
        return "change_not_cancellable";
    if (strcmp(meta->type, "termination") == 0)
        return meta->later_registration ? "change_not_cancellable" : NULL;
    if (strcmp(st->status, "dormant") == 0 || strcmp(st->status, "ended") == 0)
        return "participant_dormant";
    return NULL;
}

void changes_cancel_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    if (!uuid_valid(id)) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    const char *reason = http_body_string(ctx, request, response, "reason", CHANGES_REASON_MAX);
    if (!reason)
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    pinput_today(&today, today_text);
    participant_change_meta meta;
    portal_result rc = participant_changes_get(db, id, &meta, NULL);
    if (rc != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 503,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "service_unavailable");
        return;
    }
    if (!access_scheme_or_answer(ctx, response, db, meta.scheme_id, "participants.write"))
        return;
    http_idempotency idem;
    participant_ref ref;
    participant_state st;
    if (!http_item_begin(request, response, ctx, db, &idem) ||
        !lock_participant(request, response, ctx, db, meta.participant_id, today_text, &ref, &st))
        return;
    /* Read again under the participant's lock. */
    if (participant_changes_get(db, id, &meta, NULL) != PORTAL_OK) {
        http_item_rollback(response, ctx, db, 500, "internal_error");
        return;
    }
    const char *refusal = cancel_refusal(&meta, &st);
    if (refusal) {
        http_item_rollback(response, ctx, db, 409, refusal);
        return;
    }
    participant_actor actor;
    pinput_actor(ctx, &actor);
    int changed = 0;
    rc = participant_changes_cancel(db, id, &actor, reason, &changed);
    if (rc == PORTAL_OK && !changed)
        rc = PORTAL_ERR_CONFLICT;
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, ref.id);
    changes_decision d = {.id = id,
                          .type = meta.type,
                          .from_status = meta.status,
                          .to_status = "cancelled",
                          .reason_key = "cancel_reason",
                          .reason = reason,
                          .action = "participant.change_cancelled",
                          .participant_id = ref.id,
                          .organisation_id = ref.organisation_id,
                          .conflict_code = "change_not_cancellable"};
    changes_decision_finish(response, ctx, db, &idem, rc, &d);
}

void changes_decision_finish(struct _u_response *response, http_ctx *ctx, db_conn *db,
                             const http_idempotency *idem, portal_result rc,
                             const changes_decision *d)
{
    if (rc == PORTAL_OK) {
        json_t *changes = json_object();
        audit_change_str(changes, "change_id", NULL, d->id);
        audit_change_str(changes, "type", NULL, d->type);
        audit_change_str(changes, "status", d->from_status, d->to_status);
        if (d->reason_key)
            audit_change_str(changes, d->reason_key, NULL, d->reason);
        rc = http_audit(ctx, db, d->action, "participant", d->participant_id, d->organisation_id,
                        changes);
        json_decref(changes);
    }
    participant_change_meta meta;
    char *json = NULL, *text = NULL;
    if (rc == PORTAL_OK)
        rc = participant_changes_get(db, d->id, &meta, &json);
    if (rc == PORTAL_OK && !(text = pinput_expand_reasons(json, ctx->lang)))
        rc = PORTAL_ERR_MEMORY;
    http_item_answer a = {.status = 200, .json = text, .location = NULL, .etag = NULL};
    rc = http_item_finish(response, db, idem, rc, &a);
    if (rc != PORTAL_OK)
        http_problem(response, ctx, rc == PORTAL_ERR_CONFLICT ? 409 : 500,
                     rc == PORTAL_ERR_CONFLICT ? d->conflict_code : "internal_error");
    free(json);
    free(text);
}
