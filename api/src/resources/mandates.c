/* resources/mandates.c: see mandates.h. */
#include "resources/mandates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "http/call.h"
#include "http/audit.h"
#include "http/etag.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/resource_list.h"
#include "http/resource_rules.h"
#include "http/outcome.h"
#include "http/response.h"
#include "http/scheme_ids.h"
#include "store/access.h"
#include "store/mandates.h"
#include "workflows/mandates.h"

#define MANDATES_LIST_TAG "mandates:-created_at"

/* What the caller may do with one mandate. */
typedef enum {
    MANDATE_HIDDEN = 0, /* another organisation's: 404 */
    MANDATE_VISIBLE,    /* the own organisation's, without the capability: 403 */
    MANDATE_READ,       /* the intermediary's users: read only */
    MANDATE_MANAGE      /* the employer's administrators and staff */
} mandate_access;

/* Staff are recognised by a capability only they hold. */
static int mandates_staff(const http_ctx *ctx)
{
    return access_can(&ctx->caller, "organisations.manage");
}

static mandate_access mandates_access_of(const http_ctx *ctx, const mandate_meta *m)
{
    if (mandates_staff(ctx))
        return MANDATE_MANAGE;
    if (strcmp(ctx->caller.organisation_id, m->employer_id) == 0)
        return access_can(&ctx->caller, "mandates.manage") ? MANDATE_MANAGE : MANDATE_VISIBLE;
    if (strcmp(ctx->caller.organisation_id, m->intermediary_id) == 0)
        return MANDATE_READ;
    return MANDATE_HIDDEN;
}

static void mandates_etag(const char *version, char etag[HTTP_ETAG_LEN])
{
    char text[MANDATES_VERSION_LEN + 16];
    snprintf(text, sizeof text, "mandate:%s", version);
    http_etag_from_version(text, etag);
}

/* A mandate request as read from the body. */
typedef struct {
    const char *intermediary_id;
    const char *access;
    scheme_id_list schemes;
} mandate_request;

/* Reads the body into *m; HTTP_ANSWERED after a 400. */
static http_step mandate_read(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx, mandate_request *m)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return HTTP_ANSWERED;
    input in;
    input_init(&in, ctx->lang);
    m->intermediary_id = input_string(&in, body, "", "intermediary_id", INPUT_REQUIRED, 64);
    m->access = input_string(&in, body, "", "access", INPUT_REQUIRED, 32);
    const json_t *given = json_object_get(body, "scheme_ids");
    if (!given || json_is_null(given))
        input_error(&in, "", "scheme_ids", "required");
    else
        schemes_read_ids(&in, body, "scheme_ids", SCHEMES_MAX_IDS, &m->schemes);
    if (!input_failed(&in))
        return HTTP_GO_ON;
    input_send(&in, response, ctx);
    return HTTP_ANSWERED;
}

/* Every rule on the mandate_request arg at once (an http_call_check): 422 for unknown or invalid
 * values, 403 for schemes outside the caller's scope. HTTP_ANSWERED when one broke (or the database
 * failed). */
static http_step mandate_rules(http_ctx *ctx, struct _u_response *response, db_conn *db, void *arg)
{
    const mandate_request *m = arg;
    problem invalid, denied;
    problem_init(&invalid, 422, "validation_failed");
    problem_init(&denied, 403, "forbidden");
    int exists = 0;
    portal_result rc = PORTAL_OK;
    if (schemes_id_shaped(m->intermediary_id))
        rc = mandates_intermediary_exists(db, m->intermediary_id, &exists);
    if (!exists)
        problem_add(&invalid, ctx->lang, "/intermediary_id", "unknown_id", NULL);
    if (strcmp(m->access, "read") != 0 && strcmp(m->access, "read_write") != 0)
        problem_add(&invalid, ctx->lang, "/access", "invalid_value", NULL);
    if (m->schemes.n == 0)
        problem_add(&invalid, ctx->lang, "/scheme_ids", "too_short", NULL);
    if (rc == PORTAL_OK)
        rc = schemes_check_ids(db, ctx, &m->schemes, "/scheme_ids", &invalid, &denied);
    if (rc != PORTAL_OK) {
        http_answer_result(response, ctx, rc);
        return HTTP_ANSWERED;
    }
    return http_rules_answer(response, ctx, &invalid, &denied) ? HTTP_ANSWERED : HTTP_GO_ON;
}

void mandates_create_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "mandates.manage"))
        return;
    mandate_request *m = http_call_alloc(ctx, response, sizeof *m);
    if (!m || mandate_read(request, response, ctx, m) == HTTP_ANSWERED)
        return;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, mandate_rules, m, &c, &idem) == HTTP_ANSWERED)
        return;
    mandate_input in = {.intermediary_id = m->intermediary_id,
                        .access = m->access,
                        .n_schemes = m->schemes.n,
                        .scheme_ids = m->schemes.ids};
    mandate_granted made;
    portal_result rc = mandate_grant(&c.actor, c.db, &in, &made, &c.o);
    http_ctx_keep(ctx, made.json);
    char location[128] = "", etag[HTTP_ETAG_LEN] = "";
    if (rc == PORTAL_OK) {
        snprintf(location, sizeof location, "/api/v1/mandates/%s", made.id);
        mandates_etag(made.meta.version, etag);
    }
    http_item_answer a = {.status = 201, .json = made.json, .location = location, .etag = etag};
    if (http_item_finish(response, c.db, &idem, rc, &a) != PORTAL_OK)
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
}

/* Reads an optional UUID filter; 0 after answering 400. */
static int mandates_id_filter(const struct _u_request *request, http_ctx *ctx, problem *p,
                              const char *name, const char **out)
{
    const char *v = http_param(request, name);
    *out = v && *v ? v : NULL;
    if (*out && !schemes_id_shaped(*out)) {
        problem_add(p, ctx->lang, name, "invalid_format", NULL);
        return 0;
    }
    return 1;
}

/* Outside staff, the caller's own side of a mandate is fixed: sets *filter
 * to the caller's organisation; 1 when it asked for another one (which
 * simply finds nothing). */
static int own_side(const http_ctx *ctx, const char **filter)
{
    int other = *filter && strcasecmp(*filter, ctx->caller.organisation_id) != 0;
    *filter = ctx->caller.organisation_id;
    return other;
}

void mandates_list_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    int staff = mandates_staff(ctx);
    int employer = !staff && strcmp(ctx->caller.organisation_kind, "employer") == 0;
    int intermediary = !staff && strcmp(ctx->caller.organisation_kind, "intermediary") == 0;
    if (!staff && !intermediary && !(employer && access_can(&ctx->caller, "mandates.manage"))) {
        http_problem(response, ctx, 403, "forbidden");
        return;
    }
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    /* A caller limited to some schemes sees the mandates inside them only. */
    char scope[SCOPE_LITERAL_SIZE];
    mandate_list_query q = {.limit = page.limit,
                            .within = access_scope_limit(&ctx->caller, scope, sizeof scope)};
    problem p;
    problem_init(&p, 400, "invalid_request");
    mandates_id_filter(request, ctx, &p, "employer_id", &q.employer_id);
    mandates_id_filter(request, ctx, &p, "intermediary_id", &q.intermediary_id);
    q.status = http_param(request, "status");
    if (q.status && !*q.status)
        q.status = NULL;
    if (q.status && strcmp(q.status, "active") != 0 && strcmp(q.status, "revoked") != 0)
        problem_add(&p, ctx->lang, "status", "invalid_value", NULL);
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    int nothing = employer       ? own_side(ctx, &q.employer_id)
                  : intermediary ? own_side(ctx, &q.intermediary_id)
                                 : 0;
    http_list_after after;
    if (!http_list_after_created(ctx, response, &page, MANDATES_LIST_TAG, &after))
        return;
    if (after.given) {
        q.after_created = after.created_at;
        q.after_id = after.id;
    }
    if (nothing) {
        http_page_send_text(response, "[]", 2, NULL, -1);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char *items = NULL, *next_keys = NULL;
    portal_result rc = mandates_list_json(db, &q, &items, &next_keys);
    http_list_send(response, ctx, rc, MANDATES_LIST_TAG, items, next_keys);
    free(items);
    free(next_keys);
}

void mandates_get_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    const char *id;
    db_conn *db = http_item_open(request, ctx, response, &id);
    if (!db)
        return;
    char *json = NULL;
    mandate_meta meta;
    char scope[SCOPE_LITERAL_SIZE];
    portal_result rc = mandates_get_json(
        db, id, access_scope_limit(&ctx->caller, scope, sizeof scope), 0, &json, &meta);
    mandate_access a = rc == PORTAL_OK ? mandates_access_of(ctx, &meta) : MANDATE_HIDDEN;
    if (rc != PORTAL_OK && rc != PORTAL_ERR_NOT_FOUND) {
        http_problem(response, ctx, 500, "internal_error");
    } else if (a == MANDATE_HIDDEN) {
        http_problem(response, ctx, 404, "not_found");
    } else if (a == MANDATE_VISIBLE) {
        http_problem(response, ctx, 403, "forbidden");
    } else {
        char etag[HTTP_ETAG_LEN];
        mandates_etag(meta.version, etag);
        http_set_etag(response, etag);
        http_send_json_text(response, 200, json, strlen(json));
    }
    free(json);
}

void mandates_delete_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    const char *id;
    db_conn *db = http_item_open(request, ctx, response, &id);
    if (!db)
        return;
    mandate_meta meta;
    char scope[SCOPE_LITERAL_SIZE];
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = mandates_get_json(db, id, access_scope_limit(&ctx->caller, scope, sizeof scope), 1,
                               NULL, &meta);
    mandate_access a = rc == PORTAL_OK ? mandates_access_of(ctx, &meta) : MANDATE_HIDDEN;
    if (rc != PORTAL_OK && rc != PORTAL_ERR_NOT_FOUND) {
        db_rollback(db);
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    if (a != MANDATE_MANAGE) {
        db_rollback(db);
        http_problem(response, ctx, a == MANDATE_HIDDEN ? 404 : 403,
                     a == MANDATE_HIDDEN ? "not_found" : "forbidden");
        return;
    }
    char etag[HTTP_ETAG_LEN];
    mandates_etag(meta.version, etag);
    http_item_revocation r = {.id = id,
                              .etag = etag,
                              .revoke = mandates_revoke,
                              .action = "mandate.revoked",
                              .target_type = "mandate",
                              .organisation_id = meta.employer_id};
    http_item_revoke(request, response, ctx, db, &r);
}
