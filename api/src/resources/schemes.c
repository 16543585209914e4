/* resources/schemes.c: see schemes.h. */
#include "resources/schemes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "http/call.h"
#include "http/etag.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/scheme_ids.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/resource_list.h"
#include "http/response.h"
#include "store/schemes.h"
#include "workflows/schemes.h"

#define SCHEMES_MAX_COVERAGES 100
#define SCHEMES_MAX_FIGURES 50
#define SCHEMES_PREMIUM_DEPTH 3
#define SCHEMES_LIST_TAG "schemes:name"

static int has_key(const json_t *body, const char *key)
{
    return json_object_get(body, key) != NULL;
}

/* coverages: [{name, description, figures: {key: text}}], normalised. */
static json_t *coverages_read(input *in, const json_t *body)
{
    json_t *v = json_object_get(body, "coverages");
    if (!v)
        return NULL;
    if (json_is_null(v))
        return json_array();
    json_t *arr = input_array(in, body, "", "coverages", INPUT_OPTIONAL, SCHEMES_MAX_COVERAGES);
    if (!arr)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        char ptr[64];
        snprintf(ptr, sizeof ptr, "/coverages/%zu", i);
        if (!json_is_object(c)) {
            problem_add(&in->p, in->lang, ptr, "invalid_type", NULL);
            continue;
        }
        const char *name = input_string(in, c, ptr, "name", INPUT_REQUIRED, 200);
        const char *desc = input_string(in, c, ptr, "description", INPUT_OPTIONAL, 2000);
        json_t *fig = input_object(in, c, ptr, "figures", INPUT_OPTIONAL);
        json_t *clean = json_object();
        if (fig && json_object_size(fig) > SCHEMES_MAX_FIGURES) {
            input_error(in, ptr, "figures", "too_long");
        } else if (fig) {
            char fptr[96];
            snprintf(fptr, sizeof fptr, "%s/figures", ptr);
            const char *key;
            json_t *val;
            json_object_foreach(fig, key, val)
            {
                char vptr[128];
                input_pointer(fptr, key, vptr, sizeof vptr);
                if (!key[0] || input_utf8_length(key) > 64)
                    problem_add(&in->p, in->lang, vptr, "invalid_format", NULL);
                else if (input_string(in, fig, fptr, key, INPUT_REQUIRED, 200))
                    json_object_set(clean, key, val);
            }
        }
        json_array_append_new(out, json_pack("{s:s?, s:s?, s:o}", "name", name, "description", desc,
                                             "figures", clean));
    }
    return out;
}

/* premium: an object of texts, booleans, nulls and nested objects (money as
 * decimal strings, never JSON numbers). */
static void premium_check(input *in, json_t *obj, const char *pointer, int depth)
{
    const char *key;
    json_t *item;
    json_object_foreach(obj, key, item)
    {
        char ptr[128];
        input_pointer(pointer, key, ptr, sizeof ptr);
        if (json_is_string(item)) {
            if (input_utf8_length(json_string_value(item)) > 500)
                problem_add(&in->p, in->lang, ptr, "too_long", NULL);
        } else if (json_is_object(item) && depth < SCHEMES_PREMIUM_DEPTH) {
            premium_check(in, item, ptr, depth + 1);
        } else if (!json_is_null(item) && !json_is_boolean(item)) {
            problem_add(&in->p, in->lang, ptr, "invalid_type", NULL);
        }
    }
}

/* Reads the body (400 errors into in). creating: the required fields. */
static void scheme_read(input *in, const json_t *body, int creating, scheme_input *s)
{
    memset(s, 0, sizeof *s);
    int req = creating ? INPUT_REQUIRED : INPUT_OPTIONAL;
    s->organisation_id = input_string(in, body, "", "organisation_id", req, 64);
    s->kind = input_string(in, body, "", "kind", req, 32);
    s->name = input_string(in, body, "", "name", req, 200);
    s->number = input_string(in, body, "", "number", req, 50);
    s->start_date = input_string(in, body, "", "start_date", req, 32);
    s->variant = input_string(in, body, "", "variant", INPUT_OPTIONAL, 32);
    s->wage_type = input_string(in, body, "", "insured_wage_type", INPUT_OPTIONAL, 32);
    s->has_organisation_id = has_key(body, "organisation_id");
    s->has_kind = has_key(body, "kind");
    s->has_name = has_key(body, "name");
    s->has_number = has_key(body, "number");
    s->has_start_date = has_key(body, "start_date");
    s->has_variant = has_key(body, "variant");
    s->has_wage_type = has_key(body, "insured_wage_type");
    s->coverages = coverages_read(in, body);
    json_t *premium = json_object_get(body, "premium");
    if (premium && json_is_null(premium)) {
        s->premium = json_object();
    } else if (premium) {
        json_t *obj = input_object(in, body, "", "premium", INPUT_OPTIONAL);
        if (obj) {
            premium_check(in, obj, "/premium", 1);
            s->premium = json_incref(obj);
        }
    }
}

/* scheme_read for http_body_read: a new scheme, or a change. */
static void scheme_read_new(input *in, const json_t *body, void *out)
{
    scheme_read(in, body, 1, out);
}

static void scheme_read_change(input *in, const json_t *body, void *out)
{
    scheme_read(in, body, 0, out);
}

static void scheme_etag(const char *version, char etag[HTTP_ETAG_LEN])
{
    char text[SCHEMES_VERSION_LEN + 16];
    snprintf(text, sizeof text, "scheme:%s", version);
    http_etag_from_version(text, etag);
}

/* Creates the scheme s says in one transaction (rules, store, audit,
 * idempotent answer) and answers 201 with it, or what went wrong. */
static void scheme_post(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx, const scheme_input *s)
{
    http_call hc;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &hc, &idem) == HTTP_ANSWERED)
        return;
    char id[PORTAL_ID_LEN] = "", version[SCHEMES_VERSION_LEN] = "", *json = NULL;
    portal_result rc = scheme_create(&hc.actor, hc.db, s, id, &json, version, &hc.o);
    http_ctx_keep(ctx, json);
    char location[128], etag[HTTP_ETAG_LEN];
    snprintf(location, sizeof location, "/api/v1/schemes/%s", id);
    scheme_etag(version, etag);
    http_item_answer a = {.status = 201, .json = json, .location = location, .etag = etag};
    if (http_item_finish(response, hc.db, &idem, rc, &a) != PORTAL_OK)
        http_answer_outcome(response, ctx, &hc.o);
}

void schemes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "schemes.manage"))
        return;
    scheme_input s;
    if (http_body_read(ctx, request, response, scheme_read_new, &s, sizeof s))
        scheme_post(request, response, ctx, &s);
    scheme_input_free(&s);
}

/* Changes scheme id as s says, after If-Match, in one transaction and
 * answers 200 with it. Answers 404 or 403 as access_scheme_or_answer, 412 on
 * a stale If-Match, or what scheme_change says. Borrows s. */
static void scheme_patch(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx, const char *id, const scheme_input *s)
{
    db_conn *db = http_require_db(ctx, response);
    if (!db || !access_scheme_or_answer(ctx, response, db, id ? id : "", "schemes.manage"))
        return;
    char version[SCHEMES_VERSION_LEN] = "";
    char *json = NULL;
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = schemes_get_json(db, id, 1, &json, version);
    json_t *current = http_ctx_keep_json(ctx, rc == PORTAL_OK ? json_loads(json, 0, NULL) : NULL);
    char etag[HTTP_ETAG_LEN];
    scheme_etag(version, etag);
    if (!current || !http_if_match(request, ctx, response, etag)) {
        db_rollback(db);
        free(json);
        if (!current)
            http_answer_result(response, ctx,
                               rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_INTERNAL);
        return;
    }
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    outcome_init(&o);
    rc = scheme_change(&actor, db, id, s, current, &json, version, &o);
    http_ctx_keep(ctx, json);
    scheme_etag(version, etag);
    http_item_answer a = {.status = 200, .json = json, .location = NULL, .etag = etag};
    if (http_item_finish(response, db, NULL, rc, &a) != PORTAL_OK)
        http_answer_outcome(response, ctx, &o);
}

void schemes_patch_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    scheme_input s;
    if (http_body_read(ctx, request, response, scheme_read_change, &s, sizeof s))
        scheme_patch(request, response, ctx, id, &s);
    scheme_input_free(&s);
}

void schemes_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    const char *id = http_param(request, "id");
    db_conn *db = http_require_db(ctx, response);
    if (!db || !access_scheme_or_answer(ctx, response, db, id ? id : "", "schemes.read"))
        return;
    char version[SCHEMES_VERSION_LEN];
    char *json = NULL;
    portal_result rc = schemes_get_json(db, id, 0, &json, version);
    if (rc == PORTAL_OK) {
        char etag[HTTP_ETAG_LEN];
        scheme_etag(version, etag);
        http_set_etag(response, etag);
        http_send_json_text(response, 200, json, strlen(json));
    } else if (rc == PORTAL_ERR_NOT_FOUND) {
        http_problem(response, ctx, 404, "not_found");
    } else {
        http_problem(response, ctx, 500, "internal_error");
    }
    free(json);
}

void schemes_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    scheme_list_query q = {.limit = page.limit};
    q.organisation_id = http_param(request, "organisation_id");
    q.kind = http_param(request, "kind");
    if (q.organisation_id && !*q.organisation_id)
        q.organisation_id = NULL;
    if (q.kind && !*q.kind)
        q.kind = NULL;
    problem p;
    problem_init(&p, 400, "invalid_request");
    if (q.organisation_id && !schemes_id_shaped(q.organisation_id))
        problem_add(&p, ctx->lang, "organisation_id", "invalid_format", NULL);
    if (q.kind && !scheme_one_of(q.kind, SCHEME_KINDS))
        problem_add(&p, ctx->lang, "kind", "invalid_value", NULL);
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, SCHEMES_LIST_TAG, 2, &keys))
        return;
    if (keys) {
        q.after_name = json_string_value(json_array_get(keys, 0));
        q.after_id = json_string_value(json_array_get(keys, 1));
        if (!q.after_name || !schemes_id_shaped(q.after_id)) {
            json_decref(keys);
            http_problem(response, ctx, 400, "invalid_cursor");
            return;
        }
    }
    db_conn *db = http_require_db(ctx, response);
    char *items = NULL, *next_keys = NULL;
    if (db) {
        portal_result rc =
            schemes_list_json(db, &ctx->caller, "schemes.read", &q, &items, &next_keys);
        http_list_send(response, ctx, rc, SCHEMES_LIST_TAG, items, next_keys);
    }
    free(items);
    free(next_keys);
    json_decref(keys);
}
