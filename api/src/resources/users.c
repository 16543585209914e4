/* resources/users.c: see users.h. */
#include "resources/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "auth/tokens.h"
#include "base/crypto.h"
#include "base/uuid.h"
#include "domain/instant.h"
#include "formats/mail_templates.h"
#include "http/audit.h"
#include "http/etag.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/access.h"
#include "store/credentials.h"
#include "store/organisations.h"
#include "store/outbox.h"
#include "store/pg_array.h"
#include "store/user_admin.h"
#include "store/users.h"

#define SCOPE_LITERAL_SIZE (CALLER_MAX_SCOPE * (PORTAL_ID_LEN + 1) + 4)

static int is_staff(const http_ctx *ctx)
{
    return access_can(&ctx->caller, "organisations.manage");
}

/* The user's ETag from its version. */
static void user_etag(const user_admin_row *row, char etag[HTTP_ETAG_LEN])
{
    char v[80];
    snprintf(v, sizeof v, "user:%s:%d", row->id, row->version);
    http_etag_from_version(v, etag);
}

/* Loads a user the caller may administer: same organisation, or staff.
 * Answers 404 otherwise and returns 0. *json is malloc'd on success. */
static int user_load(http_ctx *ctx, struct _u_response *response, db_conn *db, const char *id,
                     char **json, user_admin_row *row)
{
    portal_result rc = uuid_valid(id) ? user_admin_get(db, id, json, row) : PORTAL_ERR_NOT_FOUND;
    if (rc == PORTAL_OK &&
        (is_staff(ctx) ||
         (strcmp(row->organisation_id, ctx->caller.organisation_id) == 0 &&
          access_scope_covers(&ctx->caller, row->all_schemes, row->scheme_ids, row->n_schemes))))
        return 1;
    free(*json);
    *json = NULL;
    http_problem(response, ctx, rc == PORTAL_ERR_DATABASE ? 503 : 404,
                 rc == PORTAL_ERR_DATABASE ? "service_unavailable" : "not_found");
    return 0;
}

/* Opens the user {id} of the request for administration: answers 403
 * forbidden without users.manage, then as user_load. Returns the request's
 * connection with *row filled (and *json, malloc'd, unless json is NULL),
 * or NULL after answering. */
static db_conn *user_open(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx, char **json, user_admin_row *row)
{
    if (!access_can_or_answer(ctx, response, "users.manage"))
        return NULL;
    db_conn *db = http_require_db(ctx, response);
    char *text = NULL;
    if (!db || !user_load(ctx, response, db, http_param(request, "id"), &text, row))
        return NULL;
    if (json)
        *json = text;
    else
        free(text);
    return db;
}

/* Answers status with the user's JSON text and its ETag; borrows both. */
static void user_send(struct _u_response *response, const user_admin_row *row, const char *json,
                      unsigned status)
{
    char etag[HTTP_ETAG_LEN];
    user_etag(row, etag);
    http_set_etag(response, etag);
    http_send_json_text(response, status, json, strlen(json));
}

/* Reads user id again and answers status with it; 404 when it is gone. */
static void send_user(struct _u_response *response, http_ctx *ctx, db_conn *db, const char *id,
                      unsigned status)
{
    char *json = NULL;
    user_admin_row row;
    if (user_admin_get(db, id, &json, &row) != PORTAL_OK) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    user_send(response, &row, json, status);
    free(json);
}

/* The rights an organisation may hold at all: the licences of an office
 * plus its rights that need no licence; every right of other kinds. */
static portal_result licensed_rights(db_conn *db, const char *org_id, const char *kind,
                                     rights_set *out)
{
    access_all_rights(kind, out);
    if (strcmp(kind, "intermediary") != 0)
        return PORTAL_OK;
    char lic[2048];
    portal_result rc = organisations_licences(db, org_id, lic, sizeof lic);
    if (rc != PORTAL_OK)
        return rc;
    rights_set all = *out;
    rights_set_init(out);
    for (size_t i = 0; i < all.count; i++)
        if (pg_array_contains(lic, all.ids[i]) || !access_right_licensable(kind, all.ids[i]))
            rights_set_add(out, all.ids[i]);
    return PORTAL_OK;
}

/* Reads "rights" into a set, recording unreadable items. */
static void read_rights(input *in, const json_t *body, int required, rights_set *out, int *present)
{
    rights_set_init(out);
    json_t *arr = input_array(in, body, "", "rights", required, RIGHTS_SET_MAX);
    *present = arr != NULL;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char pointer[48];
        snprintf(pointer, sizeof pointer, "/rights/%zu", i);
        if (!json_is_string(v) || !rights_id_is_valid(json_string_value(v)))
            problem_add(&in->p, in->lang, pointer, "invalid_type", NULL);
        else
            rights_set_add(out, json_string_value(v));
    }
}

/* Reads "scheme_ids": absent (*present 0), null (all schemes: literal
 * NULL) or an array of UUIDs (literal "{...}"). */
static void read_scope(input *in, const json_t *body, char literal[SCOPE_LITERAL_SIZE],
                       int *present, int *all)
{
    json_t *v = json_object_get(body, "scheme_ids");
    *present = v != NULL;
    *all = !v || json_is_null(v);
    literal[0] = '\0';
    if (!v || json_is_null(v))
        return;
    if (!json_is_array(v) || json_array_size(v) > CALLER_MAX_SCOPE) {
        input_error(in, "", "scheme_ids", json_is_array(v) ? "too_long" : "invalid_type");
        return;
    }
    size_t at = (size_t)snprintf(literal, SCOPE_LITERAL_SIZE, "{");
    size_t i;
    json_t *id;
    json_array_foreach(v, i, id)
    {
        const char *s = json_string_value(id);
        if (!uuid_valid(s)) {
            char pointer[48];
            snprintf(pointer, sizeof pointer, "/scheme_ids/%zu", i);
            problem_add(&in->p, in->lang, pointer, "invalid_format", NULL);
            continue;
        }
        at += (size_t)snprintf(literal + at, SCOPE_LITERAL_SIZE - at, "%s%s", at > 1 ? "," : "", s);
    }
    snprintf(literal + at, SCOPE_LITERAL_SIZE - at, "}");
}

/* Turns a rights verdict into a 422 or 403 answer naming the rights. */
static void verdict_problem(struct _u_response *response, http_ctx *ctx, const rights_verdict *v)
{
    problem p;
    problem_init(&p, v->kind == RIGHTS_VERDICT_DENIED ? 403 : 422,
                 v->kind == RIGHTS_VERDICT_DENIED ? "forbidden" : "validation_failed");
    int en = strcmp(ctx->lang, "en") == 0;
    for (size_t i = 0; i < v->missing_count; i++) {
        char msg[256];
        const rights_problem *m = &v->missing[i];
        if (m->reason == RIGHTS_BUNDLE_INCOMPLETE)
            snprintf(msg, sizeof msg,
                     en ? "%s is only granted together with %s." : "%s kan alleen samen met %s.",
                     m->related, m->right);
        else
            snprintf(msg, sizeof msg,
                     en ? "%s needs at least one product right."
                        : "%s vraagt minstens één productrecht.",
                     m->right);
        problem_add(&p, ctx->lang, "/rights", "missing_right", msg);
    }
    for (size_t i = 0; i < v->forbidden_count; i++) {
        char msg[256];
        const rights_problem *f = &v->forbidden[i];
        const char *why = f->reason == RIGHTS_NEVER_GRANTABLE
                              ? (en ? "is never granted" : "wordt nooit toegekend")
                          : f->reason == RIGHTS_NOT_LICENSED
                              ? (en ? "is outside the office's licences"
                                    : "valt buiten de vergunningen van het kantoor")
                              : (en ? "is not one of your own rights" : "heeft u zelf niet");
        snprintf(msg, sizeof msg, "%s %s.", f->right, why);
        problem_add(&p, ctx->lang, "/rights",
                    f->reason == RIGHTS_NOT_HELD_BY_GRANTER ? "not_allowed" : "forbidden_right",
                    msg);
    }
    problem_send(response, ctx, &p);
}

/* Checks requested rights for a user of organisation org_id (kind) with
 * current rights (NULL for a new user). Answers and returns 0 on refusal. */
static int check_rights(http_ctx *ctx, struct _u_response *response, db_conn *db,
                        const char *org_id, const char *kind, rights_set *requested,
                        const rights_set *current, int new_user)
{
    problem p;
    problem_init(&p, 422, "validation_failed");
    for (size_t i = 0; i < requested->count; i++)
        if (!access_right_exists(kind, requested->ids[i])) {
            char pointer[48];
            snprintf(pointer, sizeof pointer, "/rights/%zu", i);
            problem_add(&p, ctx->lang, pointer, "unknown_id", NULL);
        }
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return 0;
    }
    rights_set licensed, granter;
    if (licensed_rights(db, org_id, kind, &licensed) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return 0;
    }
    if (is_staff(ctx) || access_can(&ctx->caller, "rights.grant_all")) {
        granter = licensed;
    } else {
        rights_set_init(&granter);
        for (int i = 0; i < ctx->caller.n_rights; i++)
            rights_set_add(&granter, ctx->caller.rights[i]);
    }
    const rights_rules *rules = access_rules_for(kind);
    /* The first administrator of an office gets the maximum (seed 000 §7). */
    int has_admin = 1;
    if (new_user && strcmp(kind, "intermediary") == 0 &&
        rights_set_contains(requested, "user_management") &&
        organisations_has_administrator(db, org_id, &has_admin) == PORTAL_OK && !has_admin) {
        static const char *const always[] = {"advieskansen"};
        rights_first_administrator(rules, &licensed, always, 1, requested);
        rights_set_add(requested, "user_management");
        return 1;
    }
    rights_verdict verdict;
    if (rights_check_grant(rules, requested, current, &licensed, &granter, &verdict) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return 0;
    }
    if (verdict.kind != RIGHTS_VERDICT_OK) {
        verdict_problem(response, ctx, &verdict);
        return 0;
    }
    return 1;
}

/* Checks a scope: schemes of the organisation and, for a scoped
 * administrator, within their own scope. Answers and returns 0 on refusal. */
static int check_scope(http_ctx *ctx, struct _u_response *response, db_conn *db, const char *org_id,
                       const char *literal, int all)
{
    if (!is_staff(ctx) && !ctx->caller.all_schemes) {
        if (all) {
            http_field_problem(response, ctx, 403, "forbidden", "/scheme_ids", "not_allowed", NULL);
            return 0;
        }
        json_t *ids = json_object_get(ctx->body, "scheme_ids");
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v)
        {
            if (!access_in_scope(&ctx->caller, json_string_value(v))) {
                char pointer[48];
                snprintf(pointer, sizeof pointer, "/scheme_ids/%zu", i);
                http_field_problem(response, ctx, 403, "forbidden", pointer, "not_allowed", NULL);
                return 0;
            }
        }
    }
    if (all)
        return 1;
    int count = 0;
    json_t *ids = json_object_get(ctx->body, "scheme_ids");
    if (user_admin_schemes_in_org(db, org_id, literal, &count) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return 0;
    }
    if ((size_t)count != json_array_size(ids)) {
        http_field_problem(response, ctx, 422, "validation_failed", "/scheme_ids", "unknown_id",
                           NULL);
        return 0;
    }
    return 1;
}

/* Reads expires_at: absent (*present 0), null (no expiry) or a date ("valid
 * through that day", Europe/Amsterdam) or RFC 3339 timestamp in the future,
 * returned as RFC 3339 UTC in out. A bad value is a 422 recorded in rules. */
static const char *read_expiry(input *in, const json_t *body, int *present, problem *rules,
                               char out[32])
{
    json_t *v = json_object_get(body, "expires_at");
    *present = v != NULL;
    if (!v || json_is_null(v))
        return NULL;
    const char *s = input_string(in, body, "", "expires_at", INPUT_OPTIONAL, 40);
    if (!s)
        return NULL;
    time_t at;
    int is_date = 0;
    civil_date day;
    if (instant_parse(s, &at, &is_date, &day) != PORTAL_OK) {
        problem_add(rules, in->lang, "/expires_at", "invalid_date", NULL);
        return NULL;
    }
    if (is_date)
        at = instant_end_of_day(day);
    if (at <= time(NULL)) {
        problem_add(rules, in->lang, "/expires_at", "out_of_range", NULL);
        return NULL;
    }
    struct tm utc;
    gmtime_r(&at, &utc);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return out;
}

/* Sends a fresh invitation mail for user id in the caller's transaction. */
static portal_result send_invitation(db_conn *db, http_ctx *ctx, const char *user_id,
                                     const char *first_name, const char *email, const char *org_id)
{
    char token[80];
    char *org_json = NULL;
    mail_text mail;
    portal_result rc = crypto_random_token("inv_", 32, token, sizeof token);
    if (rc == PORTAL_OK) {
        char hash[65];
        tokens_hash(token, hash);
        rc = invitations_create(db, user_id, hash);
    }
    if (rc == PORTAL_OK)
        rc = organisations_get_json(db, org_id, &org_json, NULL);
    json_t *org = org_json ? json_loads(org_json, 0, NULL) : NULL;
    const char *org_name = json_string_value(json_object_get(org, "name"));
    if (rc == PORTAL_OK) {
        char link[800];
        snprintf(link, sizeof link, "%s/activate?token=%s", ctx->config->public_url, token);
        rc = mail_invitation("nl", first_name, org_name ? org_name : "", link, &mail);
    }
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, email, &mail);
    json_decref(org);
    free(org_json);
    return rc;
}

/* What a POST (creating) or PATCH of a user says. Strings borrow from the
 * body; a field the request does not take is NULL. */
typedef struct {
    const char *org_id, *first, *last, *email, *mobile, *status;
    rights_set requested;
    int rights_present, scope_present, scope_all, expiry_present;
    char scope[SCOPE_LITERAL_SIZE];
    char expiry[32];
    const char *expires; /* expiry or NULL */
    problem rules;       /* 422 validation_failed: the rule breaks found */
} user_body;

/* Reads a user's fields: unreadable ones into in (400), a bad expiry into
 * u->rules (422). creating: organisation_id and email, and the names and
 * rights required; otherwise status. */
static void user_read(input *in, const json_t *body, int creating, user_body *u)
{
    int req = creating ? INPUT_REQUIRED : INPUT_OPTIONAL;
    u->org_id = creating ? input_string(in, body, "", "organisation_id", INPUT_OPTIONAL, 36) : NULL;
    u->first = input_string(in, body, "", "first_name", req, 100);
    u->last = input_string(in, body, "", "last_name", req, 100);
    u->email = creating ? input_string(in, body, "", "email", INPUT_REQUIRED, 320) : NULL;
    u->mobile = input_string(in, body, "", "mobile", INPUT_OPTIONAL, 32);
    u->status = creating ? NULL : input_string(in, body, "", "status", INPUT_OPTIONAL, 16);
    read_rights(in, body, req, &u->requested, &u->rights_present);
    read_scope(in, body, u->scope, &u->scope_present, &u->scope_all);
    problem_init(&u->rules, 422, "validation_failed");
    u->expires = read_expiry(in, body, &u->expiry_present, &u->rules, u->expiry);
}

/* user_read for http_body_read: a new user, or a change. */
static void user_read_new(input *in, const json_t *body, void *out)
{
    user_read(in, body, 1, out);
}

static void user_read_change(input *in, const json_t *body, void *out)
{
    user_read(in, body, 0, out);
}

/* The rules on what user_read read that need no database: answers 422 with
 * every break (those of the expiry too) and returns 0, or returns 1. */
static int user_rules(struct _u_response *response, const http_ctx *ctx, user_body *u)
{
    if (u->email && (!strchr(u->email, '@') || strchr(u->email, ' ')))
        problem_add(&u->rules, ctx->lang, "/email", "invalid_email", NULL);
    if (u->status && strcmp(u->status, "active") != 0 && strcmp(u->status, "locked") != 0)
        problem_add(&u->rules, ctx->lang, "/status", "invalid_value", NULL);
    if (!u->rules.n_errors)
        return 1;
    problem_send(response, ctx, &u->rules);
    return 0;
}

/* Reads the body of a POST (creating) or PATCH of a user for a caller with
 * users.manage into *u. Returns 1, or 0 after answering 403 forbidden
 * (checked before the body is read), the body's 400 or user_rules' 422. */
static int user_open_body(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx, int creating, user_body *u)
{
    return access_can_or_answer(ctx, response, "users.manage") &&
           http_body_read(ctx, request, response, creating ? user_read_new : user_read_change, u,
                          sizeof *u) &&
           user_rules(response, ctx, u);
}

void users_create_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    user_body u;
    if (!user_open_body(request, response, ctx, 1, &u))
        return;
    const char *org_id = u.org_id ? u.org_id : ctx->caller.organisation_id;
    if (!uuid_valid(org_id)) {
        http_field_problem(response, ctx, 422, "validation_failed", "/organisation_id",
                           "unknown_id", NULL);
        return;
    }
    if (!is_staff(ctx) && strcmp(org_id, ctx->caller.organisation_id) != 0) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char kind[16];
    if (organisations_kind(db, org_id, kind) != PORTAL_OK) {
        http_field_problem(response, ctx, 422, "validation_failed", "/organisation_id",
                           "unknown_id", NULL);
        return;
    }
    if (!check_rights(ctx, response, db, org_id, kind, &u.requested, NULL, 1) ||
        !check_scope(ctx, response, db, org_id, u.scope, u.scope_all))
        return;
    http_idempotency idem;
    if (!http_item_begin(request, response, ctx, db, &idem))
        return;
    char user_id[PORTAL_ID_LEN];
    char *json = NULL;
    user_admin_row row;
    portal_result rc = users_create(db, org_id, u.first, u.last, u.email, u.mobile, NULL, user_id);
    if (rc == PORTAL_OK)
        rc = user_admin_set_rights(db, user_id, &u.requested);
    if (rc == PORTAL_OK)
        rc = user_admin_update(db, user_id, NULL, NULL, NULL, !u.scope_all,
                               u.scope_all ? NULL : u.scope, u.expires != NULL, u.expires);
    if (rc == PORTAL_OK)
        rc = send_invitation(db, ctx, user_id, u.first, u.email, org_id);
    if (rc == PORTAL_OK)
        rc = user_admin_get(db, user_id, &json, &row);
    json_t *changes = json ? json_loads(json, 0, NULL) : NULL;
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, "user.invited", "user", user_id, org_id, changes);
    json_decref(changes);
    char location[96], etag[HTTP_ETAG_LEN] = "";
    snprintf(location, sizeof location, "/api/v1/users/%s", user_id);
    if (rc == PORTAL_OK)
        user_etag(&row, etag);
    http_item_answer a = {.status = 201, .json = json, .location = location, .etag = etag};
    rc = http_item_finish(response, db, &idem, rc, &a);
    free(json);
    if (rc != PORTAL_OK)
        http_problem(response, ctx, rc == PORTAL_ERR_INVALID ? 422 : 500,
                     rc == PORTAL_ERR_INVALID ? "validation_failed" : "internal_error");
}

void users_list_handler(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "users.manage"))
        return;
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    const char *q = http_param(request, "q");
    const char *org =
        is_staff(ctx) ? http_param(request, "organisation_id") : ctx->caller.organisation_id;
    if (org && !uuid_valid(org)) {
        http_field_problem(response, ctx, 400, "invalid_request", "organisation_id",
                           "invalid_format", NULL);
        return;
    }
    json_t *keys = NULL;
    if (!http_page_cursor_keys_shaped(ctx, response, &page, "users:name", "ssu", &keys))
        return;
    /* A caller limited to some schemes sees the users inside them only. */
    char scope[SCOPE_LITERAL_SIZE];
    const char *within =
        is_staff(ctx) ? NULL : access_scope_limit(&ctx->caller, scope, sizeof scope);
    db_conn *db = http_require_db(ctx, response);
    if (db) {
        char *rows = NULL;
        if (user_admin_list(db, org, q && *q ? q : NULL,
                            keys ? json_string_value(json_array_get(keys, 0)) : NULL,
                            keys ? json_string_value(json_array_get(keys, 1)) : NULL,
                            keys ? json_string_value(json_array_get(keys, 2)) : NULL, page.limit,
                            within, &rows) == PORTAL_OK) {
            static const char *const key_fields[] = {"last_name", "first_name", "id", NULL};
            http_page_send_rows(response, ctx, &page, rows, "users:name", key_fields);
        } else {
            http_problem(response, ctx, 500, "internal_error");
        }
        free(rows);
    }
    json_decref(keys);
}

void users_get_handler(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx)
{
    char *json = NULL;
    user_admin_row row;
    if (!user_open(request, response, ctx, &json, &row))
        return;
    user_send(response, &row, json, 200);
    free(json);
}

/* 1 when removing user_management from (or deleting) row leaves the
 * organisation without an active administrator; answers 409 then. */
static int last_admin(http_ctx *ctx, struct _u_response *response, db_conn *db,
                      const user_admin_row *row)
{
    if (!rights_set_contains(&row->rights, "user_management") || strcmp(row->status, "active"))
        return 0;
    int others = 0;
    if (user_admin_other_admins(db, row->organisation_id, row->id, &others) != PORTAL_OK ||
        others == 0) {
        http_problem(response, ctx, 409, "last_administrator");
        return 1;
    }
    return 0;
}

void users_patch_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    user_body u;
    if (!user_open_body(request, response, ctx, 0, &u))
        return;
    user_admin_row row;
    db_conn *db = user_open(request, response, ctx, NULL, &row);
    if (!db)
        return;
    if (strcmp(row.id, ctx->caller.user_id) == 0 &&
        (u.rights_present || u.scope_present || u.expiry_present || u.status)) {
        http_field_problem(response, ctx, 403, "forbidden", "/rights", "not_allowed",
                           strcmp(ctx->lang, "en") == 0 ? "You cannot change your own rights."
                                                        : "U kunt uw eigen rechten niet wijzigen.");
        return;
    }
    char kind[16];
    if (organisations_kind(db, row.organisation_id, kind) != PORTAL_OK) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    if (u.rights_present &&
        !check_rights(ctx, response, db, row.organisation_id, kind, &u.requested, &row.rights, 0))
        return;
    if (u.scope_present &&
        !check_scope(ctx, response, db, row.organisation_id, u.scope, u.scope_all))
        return;
    if (((u.rights_present && !rights_set_contains(&u.requested, "user_management")) ||
         (u.status && strcmp(u.status, "locked") == 0)) &&
        last_admin(ctx, response, db, &row))
        return;
    if (u.status && strcmp(row.status, "invited") == 0) {
        http_field_problem(response, ctx, 409, "conflict", "/status", "invalid_value", NULL);
        return;
    }
    char etag[HTTP_ETAG_LEN];
    user_etag(&row, etag);
    if (!http_if_match(request, ctx, response, etag))
        return;
    if (db_begin(db) != PORTAL_OK) {
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    portal_result rc =
        u.rights_present ? user_admin_set_rights(db, row.id, &u.requested) : PORTAL_OK;
    if (rc == PORTAL_OK)
        rc = user_admin_update(db, row.id, u.first, u.last, u.mobile, u.scope_present,
                               u.scope_all ? NULL : u.scope, u.expiry_present, u.expires);
    if (rc == PORTAL_OK && u.status && strcmp(u.status, row.status) != 0)
        rc = user_admin_set_status(db, row.id, u.status);
    json_t *changes = json_deep_copy(ctx->body);
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, "user.changed", "user", row.id, row.organisation_id, changes);
    json_decref(changes);
    if (http_item_commit(response, ctx, db, rc))
        send_user(response, ctx, db, row.id, 200);
}

void users_delete_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    user_admin_row row;
    db_conn *db = user_open(request, response, ctx, NULL, &row);
    if (!db)
        return;
    if (strcmp(row.id, ctx->caller.user_id) == 0) {
        http_problem(response, ctx, 409, "conflict");
        return;
    }
    if (last_admin(ctx, response, db, &row))
        return;
    char etag[HTTP_ETAG_LEN];
    user_etag(&row, etag);
    if (!http_if_match(request, ctx, response, etag))
        return;
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = user_admin_delete(db, row.id);
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, "user.deleted", "user", row.id, row.organisation_id, NULL);
    if (http_item_commit(response, ctx, db, rc))
        http_send_empty(response, 204);
}

void users_invitation_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx)
{
    char *json = NULL;
    user_admin_row row;
    db_conn *db = user_open(request, response, ctx, &json, &row);
    if (!db)
        return;
    json_t *user = json_loads(json, 0, NULL);
    free(json);
    if (strcmp(row.status, "invited") != 0) {
        json_decref(user);
        http_problem(response, ctx, 409, "conflict");
        return;
    }
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc =
            send_invitation(db, ctx, row.id, json_string_value(json_object_get(user, "first_name")),
                            json_string_value(json_object_get(user, "email")), row.organisation_id);
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, "user.invitation_resent", "user", row.id, row.organisation_id,
                        NULL);
    json_decref(user);
    if (!http_item_commit(response, ctx, db, rc))
        return;
    static const char accepted[] = "{\"status\":\"sent\"}";
    http_send_json_text(response, 202, accepted, sizeof accepted - 1);
}
