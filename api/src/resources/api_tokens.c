/* resources/api_tokens.c: see api_tokens.h. */
#include "resources/api_tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "http/call.h"
#include "domain/civil_date.h"
#include "domain/instant.h"
#include "domain/rights_rules.h"
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
#include "store/api_tokens.h"
#include "workflows/api_tokens.h"

#define API_TOKENS_LIST_TAG "api_tokens:-created_at"
#define API_TOKENS_MAX_RIGHTS 32

static const char *tr(const http_ctx *ctx, const char *nl, const char *en)
{
    return ctx->lang && strcmp(ctx->lang, "en") == 0 ? en : nl;
}

/* Checks expires_at: in the future and at most one year ahead. Writes the
 * instant as RFC 3339 UTC into out; records 422 errors into p. */
static void expires_rule(const http_ctx *ctx, const char *text, problem *p, char *out, size_t size)
{
    time_t at;
    int is_date = 0;
    civil_date day;
    out[0] = '\0';
    if (instant_parse(text, &at, &is_date, &day) != PORTAL_OK) {
        problem_add(p, ctx->lang, "/expires_at", "invalid_format",
                    tr(ctx, "Geef een datum (JJJJ-MM-DD) of tijdstip (RFC 3339).",
                       "Give a date (YYYY-MM-DD) or a timestamp (RFC 3339)."));
        return;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    tm.tm_year += 1;
    time_t limit = timegm(&tm);
    int too_far = 0;
    if (is_date) {
        /* A date means "valid through that day" and may be up to a year
         * from today. */
        civil_date today, last;
        too_far = civil_date_amsterdam_today(now, &today) != PORTAL_OK ||
                  civil_date_add_months(today, 12, &last) != PORTAL_OK ||
                  civil_date_compare(day, last) > 0;
        at = instant_end_of_day(day);
    } else {
        too_far = at > limit;
    }
    const char *msg = tr(ctx, "Kies een moment in de toekomst, hooguit een jaar vooruit.",
                         "Choose a moment in the future, at most one year ahead.");
    if (at <= now || too_far) {
        problem_add(p, ctx->lang, "/expires_at", "out_of_range", msg);
        return;
    }
    struct tm utc;
    gmtime_r(&at, &utc);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &utc);
}

/* Rights read from the body, distinct, with their index for pointers. */
typedef struct {
    int n;
    int index[API_TOKENS_MAX_RIGHTS];
    const char *ids[API_TOKENS_MAX_RIGHTS];
} token_rights;

static void rights_read(input *in, const json_t *body, token_rights *out)
{
    memset(out, 0, sizeof *out);
    json_t *arr = input_array(in, body, "", "rights", INPUT_REQUIRED, API_TOKENS_MAX_RIGHTS);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i);
        if (!json_is_string(v)) {
            input_error(in, "/rights", idx, "invalid_type");
            continue;
        }
        const char *r = json_string_value(v);
        int dup = 0;
        for (int k = 0; k < out->n; k++)
            if (strcmp(out->ids[k], r) == 0)
                dup = 1;
        if (!dup && out->n < API_TOKENS_MAX_RIGHTS) {
            out->index[out->n] = (int)i;
            out->ids[out->n++] = r;
        }
    }
}

static void api_tokens_etag(const char *version, char etag[HTTP_ETAG_LEN])
{
    char text[API_TOKENS_VERSION_LEN + 16];
    snprintf(text, sizeof text, "api_token:%s", version);
    http_etag_from_version(text, etag);
}

/* Everything a create request needs after reading and checking. */
typedef struct {
    const char *name;
    const char *expires_text;
    token_rights rights;
    scheme_id_list schemes;
    int scheme_ids_given; /* an array, not null or absent */
    char expires_at[40];
    char rights_literal[API_TOKENS_MAX_RIGHTS * (RIGHTS_ID_SIZE + 1) + 4];
    char schemes_literal[SCHEMES_MAX_IDS * (PORTAL_ID_LEN + 1) + 4];
} token_request;

/* 422/403 rules on the token_request arg (its literals filled on the way);
 * HTTP_ANSWERED after answering (an http_call_check). */
static http_step token_rules(http_ctx *ctx, struct _u_response *response, db_conn *db, void *arg)
{
    token_request *t = arg;
    problem invalid, denied;
    problem_init(&invalid, 422, "validation_failed");
    problem_init(&denied, 403, "forbidden");
    if (t->rights.n == 0)
        problem_add(&invalid, ctx->lang, "/rights", "too_short", NULL);
    /* Held as for granting rights to users: an employer's administrator
     * (rights.grant_all) holds every right of the catalogue. */
    int grant_all = access_can(&ctx->caller, "rights.grant_all");
    size_t at = (size_t)snprintf(t->rights_literal, sizeof t->rights_literal, "{");
    for (int i = 0; i < t->rights.n; i++) {
        char field[48];
        snprintf(field, sizeof field, "/rights/%d", t->rights.index[i]);
        const char *r = t->rights.ids[i];
        if (!rights_id_is_valid(r) || !access_right_exists(ctx->caller.organisation_kind, r)) {
            problem_add(&invalid, ctx->lang, field, "unknown_id", NULL);
        } else if (!grant_all && !caller_has_right(&ctx->caller, r)) {
            problem_add(&denied, ctx->lang, field, "not_allowed",
                        tr(ctx, "U heeft dit recht zelf niet.", "You do not hold this right."));
        } else if (at < sizeof t->rights_literal) {
            at += (size_t)snprintf(t->rights_literal + at, sizeof t->rights_literal - at, "%s%s",
                                   at > 1 ? "," : "", r);
        }
    }
    if (at < sizeof t->rights_literal)
        snprintf(t->rights_literal + at, sizeof t->rights_literal - at, "}");
    expires_rule(ctx, t->expires_text, &invalid, t->expires_at, sizeof t->expires_at);
    if (t->scheme_ids_given &&
        schemes_check_ids(db, ctx, &t->schemes, "/scheme_ids", &invalid, &denied) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return HTTP_ANSWERED;
    }
    if (http_rules_answer(response, ctx, &invalid, &denied))
        return HTTP_ANSWERED;
    /* The scope: the ids given, or (null) the creator's whole scope. */
    if (t->scheme_ids_given) {
        size_t o = (size_t)snprintf(t->schemes_literal, sizeof t->schemes_literal, "{");
        for (int i = 0; i < t->schemes.n && o < sizeof t->schemes_literal; i++)
            o += (size_t)snprintf(t->schemes_literal + o, sizeof t->schemes_literal - o, "%s%s",
                                  i ? "," : "", t->schemes.ids[i]);
        if (o < sizeof t->schemes_literal)
            snprintf(t->schemes_literal + o, sizeof t->schemes_literal - o, "}");
    } else if (!ctx->caller.all_schemes) {
        access_scope_literal(&ctx->caller, t->schemes_literal, sizeof t->schemes_literal);
    } else {
        t->schemes_literal[0] = '\0';
    }
    return HTTP_GO_ON;
}

/* Reads the body of a token request into *t; HTTP_ANSWERED after a 400. */
static http_step token_read(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx, token_request *t)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return HTTP_ANSWERED;
    input in;
    input_init(&in, ctx->lang);
    t->name = input_string(&in, body, "", "name", INPUT_REQUIRED, 100);
    rights_read(&in, body, &t->rights);
    t->scheme_ids_given = schemes_read_ids(&in, body, "scheme_ids", CALLER_MAX_SCOPE, &t->schemes);
    t->expires_text = input_string(&in, body, "", "expires_at", INPUT_REQUIRED, 64);
    if (!input_failed(&in))
        return HTTP_GO_ON;
    input_send(&in, response, ctx);
    return HTTP_ANSWERED;
}

/* Answers a new token: 201 with its secret (this once), Location and ETag.
 * A replay answers the token without its secret: the secret is never
 * stored, not even in the idempotency record. */
static portal_result token_answer(struct _u_response *response, http_ctx *ctx, db_conn *db,
                                  http_idempotency *idem, const api_token_issued *t)
{
    char location[128];
    snprintf(location, sizeof location, "/api/v1/api-tokens/%s", t->id);
    portal_result rc = http_idempotency_finish(idem, db, 201, t->json, location);
    json_t *answer = rc == PORTAL_OK ? http_ctx_keep_json(ctx, json_loads(t->json, 0, NULL)) : NULL;
    if (rc == PORTAL_OK &&
        (!answer || json_object_set_new(answer, "secret", json_string(t->secret)) != 0))
        rc = PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK)
        return rc;
    char etag[HTTP_ETAG_LEN];
    api_tokens_etag(t->version, etag);
    http_set_header(response, "Location", location);
    http_set_etag(response, etag);
    http_send_json(response, 201, answer);
    json_object_del(answer, "secret");
    return PORTAL_OK;
}

void api_tokens_create_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "tokens.manage"))
        return;
    token_request *t = http_call_alloc(ctx, response, sizeof *t);
    if (!t || token_read(request, response, ctx, t) == HTTP_ANSWERED)
        return;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, token_rules, t, &c, &idem) == HTTP_ANSWERED)
        return;
    api_token_input in = {.name = t->name,
                          .rights = t->rights_literal,
                          .scheme_ids = t->schemes_literal[0] ? t->schemes_literal : NULL,
                          .expires_at = t->expires_at};
    api_token_issued issued;
    portal_result rc = api_token_issue(&c.actor, c.db, &in, &issued, &c.o);
    if (rc == PORTAL_OK)
        rc = token_answer(response, ctx, c.db, &idem, &issued);
    if (rc != PORTAL_OK) {
        db_rollback(c.db);
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
    }
    api_token_issued_clear(&issued);
}

void api_tokens_list_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "tokens.manage"))
        return;
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    http_list_after after;
    if (!http_list_after_created(ctx, response, &page, API_TOKENS_LIST_TAG, &after))
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    /* A caller limited to some schemes sees the tokens inside them only. */
    char scope[SCOPE_LITERAL_SIZE];
    const char *within = access_scope_limit(&ctx->caller, scope, sizeof scope);
    char *items = NULL, *next_keys = NULL;
    portal_result rc = api_tokens_list_json(
        db, ctx->caller.organisation_id, within, after.given ? after.created_at : NULL,
        after.given ? after.id : NULL, page.limit, &items, &next_keys);
    http_list_send(response, ctx, rc, API_TOKENS_LIST_TAG, items, next_keys);
    free(items);
    free(next_keys);
}

void api_tokens_get_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    const char *id;
    db_conn *db = http_item_open(request, ctx, response, &id);
    if (!db)
        return;
    char *json = NULL, version[API_TOKENS_VERSION_LEN], scope[SCOPE_LITERAL_SIZE];
    portal_result rc = api_tokens_get_json(db, id, ctx->caller.organisation_id,
                                           access_scope_limit(&ctx->caller, scope, sizeof scope), 0,
                                           &json, version);
    if (rc == PORTAL_ERR_NOT_FOUND) {
        http_problem(response, ctx, 404, "not_found");
    } else if (rc != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
    } else if (access_can_or_answer(ctx, response, "tokens.manage")) {
        char etag[HTTP_ETAG_LEN];
        api_tokens_etag(version, etag);
        http_set_etag(response, etag);
        http_send_json_text(response, 200, json, strlen(json));
    }
    free(json);
}

void api_tokens_delete_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    const char *id;
    db_conn *db = http_item_open(request, ctx, response, &id);
    if (!db)
        return;
    char version[API_TOKENS_VERSION_LEN], scope[SCOPE_LITERAL_SIZE];
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = api_tokens_get_json(db, id, ctx->caller.organisation_id,
                                 access_scope_limit(&ctx->caller, scope, sizeof scope), 1, NULL,
                                 version);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        if (rc == PORTAL_ERR_NOT_FOUND)
            http_problem(response, ctx, 404, "not_found");
        else
            http_problem(response, ctx, 500, "internal_error");
        return;
    }
    if (!access_can_or_answer(ctx, response, "tokens.manage")) {
        db_rollback(db);
        return;
    }
    char etag[HTTP_ETAG_LEN];
    api_tokens_etag(version, etag);
    http_item_revocation r = {.id = id,
                              .etag = etag,
                              .revoke = api_tokens_revoke,
                              .action = "api_token.revoked",
                              .target_type = "api_token",
                              .organisation_id = NULL};
    http_item_revoke(request, response, ctx, db, &r);
}
