/* resources/participants.c: see participants.h. */
#include "resources/participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "base/buf.h"
#include "base/uuid.h"
#include "domain/decimal.h"
#include "domain/participant_format.h"
#include "http/audit.h"
#include "http/idempotency.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/participant_input.h"
#include "store/access.h"
#include "store/participant_changes.h"
#include "store/retention.h"

#define PARTICIPANTS_Q_MAX 100 /* characters of a search */

/* ---- the list ---- */

static const char *const list_sorts[] = {"name", "number", "start_date", "salary", NULL};

/* 1 when the decoded cursor keys fit the sort; else answers 400. */
static int list_keys_ok(http_ctx *ctx, struct _u_response *response, json_t *keys,
                        participants_sort sort)
{
    const char *key = json_string_value(json_array_get(keys, 0));
    const char *id = json_string_value(json_array_get(keys, 1));
    int64_t amount = 0;
    int ok = key && uuid_valid(id) && strlen(key) < 1024;
    if (ok && sort == PARTICIPANTS_SORT_START_DATE)
        ok = pinput_key_is_date(key);
    if (ok && sort == PARTICIPANTS_SORT_SALARY)
        ok = decimal_parse(key, &decimal_spec_salary, &amount) == PORTAL_OK;
    if (!ok)
        http_problem(response, ctx, 400, "invalid_cursor");
    return ok;
}

void participants_list_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    http_page page;
    const char *field = NULL;
    int desc = 0;
    if (!http_page_params(request, ctx, response, &page) ||
        !http_sort_param(request, ctx, response, list_sorts, "name", &field, &desc))
        return;
    participants_sort sort = PARTICIPANTS_SORT_NAME;
    for (int i = 0; list_sorts[i]; i++)
        if (strcmp(list_sorts[i], field) == 0)
            sort = (participants_sort)i;
    const char *status = pinput_present(http_param(request, "status"));
    rule_participant_status parsed_status;
    if (status && rule_status_parse(status, &parsed_status) != PORTAL_OK) {
        http_field_problem(response, ctx, 400, "invalid_request", "status", "invalid_value", NULL);
        return;
    }
    const char *q = pinput_present(http_param(request, "q"));
    if (q && input_utf8_length(q) > PARTICIPANTS_Q_MAX) {
        http_field_problem(response, ctx, 400, "invalid_request", "q", "too_long", NULL);
        return;
    }
    char tag[HTTP_CURSOR_TAG_MAX + 1];
    if (http_cursor_tag("participants", field, desc, tag, sizeof tag) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, tag, 2, &keys))
        return;
    char *scheme_ids = NULL;
    int n_schemes = 0;
    if ((keys && !list_keys_ok(ctx, response, keys, sort)) ||
        !pinput_scheme_ids(request, ctx, response, &scheme_ids, &n_schemes)) {
        json_decref(keys);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (db) {
        civil_date today;
        char today_text[CIVIL_DATE_TEXT_SIZE];
        pinput_today(&today, today_text);
        participants_list_query lq = {
            .caller = &ctx->caller,
            .scheme_ids = scheme_ids,
            .n_schemes = n_schemes,
            .today = today_text,
            .status = status,
            .q = q,
            .sort = sort,
            .desc = desc,
            .after_key = keys ? json_string_value(json_array_get(keys, 0)) : NULL,
            .after_id = keys ? json_string_value(json_array_get(keys, 1)) : NULL,
            .limit = page.limit,
        };
        participants_list_verdict verdict;
        char *items = NULL, *next_keys = NULL;
        portal_result rc = participants_list_json(db, &lq, &verdict, &items, &next_keys);
        if (rc != PORTAL_OK) {
            http_problem(response, ctx, 500, "internal_error");
        } else if (verdict != PARTICIPANTS_LIST_OK) {
            http_problem(response, ctx, verdict == PARTICIPANTS_LIST_FORBIDDEN ? 403 : 404,
                         verdict == PARTICIPANTS_LIST_FORBIDDEN ? "forbidden" : "not_found");
        } else {
            char *next = next_keys ? http_cursor_encode_text(tag, next_keys) : NULL;
            http_page_send_text(response, items, strlen(items), next, -1);
            free(next);
        }
        free(items);
        free(next_keys);
    }
    free(scheme_ids);
    json_decref(keys);
}

/* ---- the detail ---- */

/* Loads a participant the caller may read: *full says whether BSNs show in
 * full (participants.bsn). Answers 404/403/503 and returns 0 otherwise. */
static int participant_readable(http_ctx *ctx, struct _u_response *response, db_conn *db,
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
        return 1;
    }
    if (rc == PORTAL_ERR_NOT_FOUND)
        http_problem(response, ctx, 404, "not_found");
    else if (rc == PORTAL_ERR_DENIED)
        http_problem(response, ctx, 403, "forbidden");
    else
        http_problem(response, ctx, 503, "service_unavailable");
    return 0;
}

void participants_get_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    civil_date today;
    char as_of[CIVIL_DATE_TEXT_SIZE];
    pinput_today(&today, as_of);
    const char *given = pinput_present(http_param(request, "as_of"));
    if (given) {
        if (!pinput_key_is_date(given)) {
            http_field_problem(response, ctx, 400, "invalid_request", "as_of", "invalid_date",
                               NULL);
            return;
        }
        snprintf(as_of, sizeof as_of, "%s", given);
    }
    db_conn *db = http_require_db(ctx, response);
    participant_ref ref;
    int full = 0;
    if (!db || !participant_readable(ctx, response, db, id, &ref, &full))
        return;
    char *json = NULL;
    long long version = 0;
    portal_result rc = participants_detail_json(db, ref.id, as_of, full, &json, &version);
    /* Former participants past the scheme's limit: staff alone see all. */
    if (rc == PORTAL_OK && !access_can(&ctx->caller, "audit.read_all"))
        rc = retention_reduce_detail(db, ref.id, &json);
    if (rc == PORTAL_OK && full) {
        /* A view with full BSNs is audited; without the audit row, no view. */
        json_t *changes = json_pack("{s:s}", "as_of", as_of);
        rc = http_audit(ctx, db, "participant.bsn_viewed", "participant", ref.id,
                        ref.organisation_id, changes);
        json_decref(changes);
    }
    if (rc != PORTAL_OK) {
        free(json);
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 500,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "internal_error");
        return;
    }
    char etag[HTTP_ETAG_LEN];
    pinput_etag(ref.id, version, etag);
    http_set_etag(response, etag);
    http_send_json_text(response, 200, json, strlen(json));
    free(json);
}

/* ---- registration ---- */

typedef struct {
    const char *scheme_id;
    const char *number;
    const char *first_name;
    const char *initials_given;
    const char *prefix;
    const char *surname;
    const char *email;
    rule_registration_input rin;
    rule_registration parsed;
    rule_report report;
    char initials[PARTICIPANT_INITIALS_SIZE];
    char display[PARTICIPANT_DISPLAY_NAME_SIZE];
    json_t *address; /* owned, normalised */
} registration;

/* Copies s without surrounding spaces into out (at most size - 1 bytes). */
static const char *trimmed(const char *s, char *out, size_t size)
{
    if (!s)
        return NULL;
    json_t *t = pinput_trimmed(s);
    snprintf(out, size, "%s", json_string_value(t) ? json_string_value(t) : "");
    json_decref(t);
    return out;
}

/* Reads the body: unreadable or missing fields into in (400), rule breaks
 * into rules (422). */
static void registration_read(input *in, prules *rules, const json_t *body, civil_date today,
                              registration *r)
{
    r->scheme_id = input_string(in, body, "", "scheme_id", INPUT_REQUIRED, 64);
    r->number =
        pinput_present(input_string(in, body, "", "participant_number", INPUT_OPTIONAL, 64));
    json_t *person = input_object(in, body, "", "person", INPUT_REQUIRED);
    json_t *employment = input_object(in, body, "", "employment", INPUT_REQUIRED);
    const char *pp = "/person";
    if (person) {
        r->first_name = pinput_present(
            input_string(in, person, pp, "first_name", INPUT_OPTIONAL, PARTICIPANT_NAME_MAX));
        r->initials_given = pinput_present(
            input_string(in, person, pp, "initials", INPUT_OPTIONAL, PARTICIPANT_INITIALS_MAX));
        r->prefix = pinput_present(
            input_string(in, person, pp, "surname_prefix", INPUT_OPTIONAL, PARTICIPANT_PREFIX_MAX));
        r->surname = input_string(in, person, pp, "surname", INPUT_REQUIRED, PARTICIPANT_NAME_MAX);
        r->rin.birth_date = input_string(in, person, pp, "birth_date", INPUT_REQUIRED, 32);
        r->rin.gender = input_string(in, person, pp, "gender", INPUT_REQUIRED, 32);
        r->rin.bsn = input_string(in, person, pp, "bsn", INPUT_REQUIRED, 32);
        r->email = pinput_present(
            input_string(in, person, pp, "email", INPUT_OPTIONAL, PARTICIPANT_EMAIL_MAX));
        if (!r->first_name && !r->initials_given && !input_failed(in))
            input_error(in, pp, "initials", "required");
    }
    if (employment) {
        const char *ep = "/employment";
        r->rin.start_date = input_string(in, employment, ep, "start_date", INPUT_REQUIRED, 32);
        r->rin.salary = input_string(in, employment, ep, "salary", INPUT_REQUIRED, 32);
        r->rin.parttime_percentage =
            input_string(in, employment, ep, "parttime_percentage", INPUT_REQUIRED, 32);
    }
    if (person)
        r->address = pinput_address(in, rules, person, "/person/address", INPUT_OPTIONAL);
    if (input_failed(in))
        return;
    if (r->number && !participant_number_is_valid(r->number))
        prules_add(rules, in->lang, "/participant_number", "invalid_format", "validation_failed",
                   NULL);
    char first[512], given[128];
    if (participant_format_initials(trimmed(r->initials_given, given, sizeof given),
                                    trimmed(r->first_name, first, sizeof first), r->initials,
                                    sizeof r->initials) != PORTAL_OK)
        prules_add(rules, in->lang, r->initials_given ? "/person/initials" : "/person/first_name",
                   "invalid_format", "validation_failed", NULL);
    char email[PARTICIPANT_EMAIL_MAX + 1];
    if (r->email && !participant_email_is_valid(trimmed(r->email, email, sizeof email)))
        prules_add(rules, in->lang, "/person/email", "invalid_email", "validation_failed", NULL);
    if (rule_check_registration(&r->rin, today, &r->parsed, &r->report) != PORTAL_OK)
        prules_add(rules, in->lang, "/employment/start_date", "invalid_date", "validation_failed",
                   NULL);
    else
        prules_add_report(rules, in->lang, &r->report);
    char surname[512], prefix[128];
    if (!prules_failed(rules) &&
        participant_format_display_name(trimmed(r->surname, surname, sizeof surname), r->initials,
                                        trimmed(r->prefix, prefix, sizeof prefix), r->display,
                                        sizeof r->display) != PORTAL_OK)
        prules_add(rules, in->lang, "/person/surname", "too_long", "validation_failed", NULL);
}

/* The registration's payload as stored with the change (no BSN: that lives
 * on the participant). Returns malloc'd JSON text or NULL. */
static char *registration_payload(const registration *r)
{
    char salary[DECIMAL_TEXT_SIZE], parttime[DECIMAL_TEXT_SIZE];
    if (decimal_format(r->parsed.salary, DECIMAL_MONEY_SCALE, salary, sizeof salary) != PORTAL_OK ||
        decimal_format(r->parsed.parttime_percentage, DECIMAL_PERCENTAGE_SCALE, parttime,
                       sizeof parttime) != PORTAL_OK)
        return NULL;
    json_t *person = json_object();
    if (r->first_name)
        json_object_set_new(person, "first_name", pinput_trimmed(r->first_name));
    json_object_set_new(person, "initials", json_string(r->initials));
    if (r->prefix)
        json_object_set_new(person, "surname_prefix", pinput_trimmed(r->prefix));
    json_object_set_new(person, "surname", pinput_trimmed(r->surname));
    json_object_set_new(person, "birth_date", json_string(r->rin.birth_date));
    json_object_set_new(person, "gender", json_string(rule_gender_name(r->parsed.gender)));
    if (r->email)
        json_object_set_new(person, "email", pinput_trimmed(r->email));
    if (r->address)
        json_object_set(person, "address", r->address);
    json_t *payload = json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}", "display_name", r->display,
                                "person", person, "employment", "start_date", r->rin.start_date,
                                "salary", salary, "parttime_percentage", parttime);
    char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
    json_decref(payload);
    return text;
}

/* The review reasons of a report as a text[] literal of rule ids. */
static void review_reasons(const rule_report *report, char *out, size_t size)
{
    size_t at = (size_t)snprintf(out, size, "{");
    for (size_t i = 0; i < report->count && at < size; i++)
        if (report->findings[i].rule->outcome == RULE_REVIEW)
            at += (size_t)snprintf(out + at, size - at, "%s%s", at > 1 ? "," : "",
                                   report->findings[i].rule->id);
    if (at < size)
        snprintf(out + at, size - at, "}");
}

/* Rolls back and answers a problem. */
static void rollback_problem(db_conn *db, struct _u_response *response, http_ctx *ctx, int status,
                             const char *code)
{
    db_rollback(db);
    http_problem(response, ctx, status, code);
}

/* The 201 answer: the participant as of max(today, start) with BSNs masked,
 * plus "registration" (the change, reasons expanded) and "rehired". */
static char *registration_answer(http_ctx *ctx, db_conn *db, const char *id, const char *today,
                                 const char *start, const char *change_answer, int rehired,
                                 long long *version)
{
    char *detail = NULL;
    const char *as_of = strcmp(start, today) > 0 ? start : today;
    if (participants_detail_json(db, id, as_of, 0, &detail, version) != PORTAL_OK)
        return NULL;
    char *change = pinput_expand_reasons(change_answer, ctx->lang);
    json_t *answer = json_loads(detail, 0, NULL);
    json_t *change_obj = change ? json_loads(change, 0, NULL) : NULL;
    char *text = NULL;
    if (answer && change_obj) {
        json_object_set_new(answer, "registration", change_obj);
        change_obj = NULL;
        json_object_set_new(answer, "rehired", json_boolean(rehired));
        text = json_dumps(answer, JSON_COMPACT);
    }
    json_decref(change_obj);
    json_decref(answer);
    free(change);
    free(detail);
    return text;
}

/* Everything after the body was read and access granted, in one
 * transaction. Answers every outcome itself. */
static void registration_store(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx, db_conn *db, registration *r, const char *today)
{
    char *payload = registration_payload(r);
    char reasons[512];
    review_reasons(&r->report, reasons, sizeof reasons);
    const char *status = r->report.outcome == RULE_REVIEW ? "pending_review" : "processed";
    if (!payload || db_begin(db) != PORTAL_OK) {
        free(payload);
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    http_idempotency idem;
    if (!http_idempotency_begin(ctx, request, response, db, &idem)) {
        db_rollback(db);
        free(payload);
        return;
    }
    int locked = 0;
    participant_ref ref;
    participant_state st;
    portal_result rc = participants_scheme_locked(db, r->scheme_id, &locked);
    if (rc == PORTAL_OK && locked) {
        free(payload);
        rollback_problem(db, response, ctx, 409, "scheme_locked_by_batch");
        return;
    }
    if (rc == PORTAL_OK)
        rc = participants_lock_bsn(db, r->scheme_id, r->rin.bsn);
    if (rc == PORTAL_OK)
        rc = participants_find_by_bsn(db, r->scheme_id, r->rin.bsn, r->rin.start_date, &ref, &st);
    int rehired = rc == PORTAL_OK;
    char id[PORTAL_ID_LEN] = "", number[PARTICIPANTS_NUMBER_SIZE] = "";
    if (rehired) {
        /* Still (or by then) employed: the BSN exists. Dormant or ended on
         * the new start date: a new employment on the same participant. */
        if (strcmp(st.status, "dormant") != 0 && strcmp(st.status, "ended") != 0) {
            free(payload);
            rollback_problem(db, response, ctx, 409, "participant_exists");
            return;
        }
        if (r->number && strcmp(r->number, ref.participant_number) != 0) {
            free(payload);
            db_rollback(db);
            http_field_problem(response, ctx, 422, "validation_failed", "/participant_number",
                               "invalid_value", NULL);
            return;
        }
        snprintf(id, sizeof id, "%s", ref.id);
    } else if (rc == PORTAL_ERR_NOT_FOUND) {
        int taken = 0;
        rc = r->number ? participants_number_taken(db, r->scheme_id, r->number, &taken) : PORTAL_OK;
        if (rc == PORTAL_OK && taken) {
            free(payload);
            db_rollback(db);
            http_field_problem(response, ctx, 409, "conflict", "/participant_number", "not_unique",
                               NULL);
            return;
        }
        if (rc == PORTAL_OK)
            rc = participants_insert(db, r->scheme_id, r->number, r->rin.bsn, id, number);
        if (rc == PORTAL_ERR_CONFLICT) {
            free(payload);
            rollback_problem(db, response, ctx, 409, "participant_exists");
            return;
        }
    }
    char change_id[PORTAL_ID_LEN];
    char *change_answer = NULL;
    participant_change_new change = {.participant_id = id,
                                     .scheme_id = r->scheme_id,
                                     .type = "registration",
                                     .effective_date = r->rin.start_date,
                                     .status = status,
                                     .review_reasons = reasons,
                                     .payload = payload};
    pinput_actor(ctx, &change.actor);
    if (rc == PORTAL_OK)
        rc = participant_changes_insert(db, &change, change_id, &change_answer);
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, id);
    if (rc == PORTAL_OK)
        rc = participants_ref(db, id, 0, &ref);
    if (rc == PORTAL_OK) {
        json_t *changes = json_object();
        audit_change_str(changes, "participant_number", NULL, ref.participant_number);
        audit_change_str(changes, "start_date", NULL, r->rin.start_date);
        audit_change_str(changes, "status", NULL, status);
        audit_change_str(changes, "change_id", NULL, change_id);
        rc = http_audit(ctx, db, rehired ? "participant.rehired" : "participant.registered",
                        "participant", id, ref.organisation_id, changes);
        json_decref(changes);
    }
    long long version = 0;
    char *text = NULL;
    if (rc == PORTAL_OK) {
        text = registration_answer(ctx, db, id, today, r->rin.start_date, change_answer, rehired,
                                   &version);
        if (!text)
            rc = PORTAL_ERR_MEMORY;
    }
    char location[96];
    snprintf(location, sizeof location, "/api/v1/participants/%s", id);
    if (rc == PORTAL_OK)
        rc = http_idempotency_finish(&idem, db, 201, text, location);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    free(payload);
    free(change_answer);
    if (rc != PORTAL_OK) {
        free(text);
        rollback_problem(db, response, ctx, 500, "internal_error");
        return;
    }
    char etag[HTTP_ETAG_LEN];
    pinput_etag(id, version, etag);
    http_set_etag(response, etag);
    http_set_header(response, "Location", location);
    http_send_json_text(response, 201, text, strlen(text));
    free(text);
}

void participants_create_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
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
    registration r;
    memset(&r, 0, sizeof r);
    registration_read(&in, &rules, body, today, &r);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
    } else if (!uuid_valid(r.scheme_id)) {
        http_problem(response, ctx, 404, "not_found");
    } else {
        db_conn *db = http_require_db(ctx, response);
        if (db && access_scheme_or_answer(ctx, response, db, r.scheme_id, "participants.write")) {
            if (prules_failed(&rules))
                prules_send(&rules, response, ctx);
            else
                registration_store(request, response, ctx, db, &r, today_text);
        }
    }
    json_decref(r.address);
}
