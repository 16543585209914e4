/* resources/schemes.c: see schemes.h. */
#include "resources/schemes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "domain/civil_date.h"
#include "http/audit.h"
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

#define SCHEMES_MAX_COVERAGES 100
#define SCHEMES_MAX_FIGURES 50
#define SCHEMES_PREMIUM_DEPTH 3
#define SCHEMES_LIST_TAG "schemes:name"

/* The fields an audit event compares, in the scheme's JSON. */
static const char *const SCHEME_AUDITED[] = {"organisation_id",   "name",      "number",  "kind",
                                             "start_date",        "coverages", "premium", "variant",
                                             "insured_wage_type", NULL};

static const char *tr(const http_ctx *ctx, const char *nl, const char *en)
{
    return ctx->lang && strcmp(ctx->lang, "en") == 0 ? en : nl;
}

static int one_of(const char *v, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (strcmp(v, allowed[i]) == 0)
            return 1;
    return 0;
}

static const char *const KINDS[] = {"pension", "income", NULL};
static const char *const VARIANTS[] = {"stop_loss", "no_claim", NULL};
static const char *const WAGE_TYPES[] = {"uniform_wage", "uniform_wage_excl_car",
                                         "pensionable_salary", NULL};

/* What a POST or PATCH body says. Strings borrow from the body. */
typedef struct {
    const char *organisation_id, *kind, *name, *number, *start_date, *variant, *wage_type;
    int has_organisation_id, has_kind, has_name, has_number, has_start_date;
    int has_variant, has_wage_type;
    json_t *coverages; /* owned, normalised; NULL when not given */
    json_t *premium;   /* owned reference; NULL when not given */
} scheme_input;

static void scheme_input_free(scheme_input *s)
{
    json_decref(s->coverages);
    json_decref(s->premium);
    s->coverages = s->premium = NULL;
}

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

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The rules of a PATCH on fields that cannot change or be emptied. */
static void scheme_change_rules(const http_ctx *ctx, const scheme_input *s, const json_t *current,
                                const char *kind, problem *p)
{
    const char *lang = ctx->lang;
    const char *org = json_string_value(json_object_get(current, "organisation_id"));
    const char *msg = tr(ctx, "Dit gegeven van een regeling kan niet worden gewijzigd.",
                         "This field of a scheme cannot be changed.");
    if (s->has_organisation_id &&
        (!s->organisation_id || !org || strcasecmp(s->organisation_id, org) != 0))
        problem_add(p, lang, "/organisation_id", "immutable", msg);
    if (s->has_kind && (!s->kind || !kind || strcmp(s->kind, kind) != 0))
        problem_add(p, lang, "/kind", "immutable", msg);
    /* Explicit nulls and blanks of required fields. */
    if (s->has_name && blank(s->name))
        problem_add(p, lang, "/name", "required", NULL);
    if (s->has_number && blank(s->number))
        problem_add(p, lang, "/number", "required", NULL);
    if (s->has_start_date && !s->start_date)
        problem_add(p, lang, "/start_date", "required", NULL);
}

/* The rules that depend on the scheme's kind (income or pension). */
static void scheme_kind_rules(const http_ctx *ctx, const scheme_input *s, const json_t *current,
                              const char *kind, problem *p)
{
    const char *lang = ctx->lang;
    if (kind && strcmp(kind, "income") == 0) {
        /* Required for income schemes: given now, or kept from before. */
        int variant_set = s->has_variant
                              ? s->variant != NULL
                              : current && json_is_string(json_object_get(current, "variant"));
        int wage_set =
            s->has_wage_type
                ? s->wage_type != NULL
                : current && json_is_string(json_object_get(current, "insured_wage_type"));
        if (!variant_set)
            problem_add(p, lang, "/variant", "required", NULL);
        if (!wage_set)
            problem_add(p, lang, "/insured_wage_type", "required", NULL);
    } else if (kind && strcmp(kind, "pension") == 0) {
        const char *msg = tr(ctx, "Alleen een inkomensregeling heeft dit gegeven.",
                             "Only income schemes have this field.");
        if (s->variant)
            problem_add(p, lang, "/variant", "not_allowed", msg);
        if (s->wage_type)
            problem_add(p, lang, "/insured_wage_type", "not_allowed", msg);
    }
}

/* The rules (422) on what was read. current is the scheme before a PATCH
 * (NULL when creating). Writes the field errors into p. */
static portal_result scheme_rules(const http_ctx *ctx, db_conn *db, const scheme_input *s,
                                  const json_t *current, problem *p)
{
    const char *lang = ctx->lang;
    const char *kind = current ? json_string_value(json_object_get(current, "kind")) : s->kind;
    if (current) {
        scheme_change_rules(ctx, s, current, kind, p);
    } else {
        int is_employer = 0;
        if (schemes_id_shaped(s->organisation_id) &&
            schemes_employer_exists(db, s->organisation_id, &is_employer) != PORTAL_OK)
            return PORTAL_ERR_DATABASE;
        if (!is_employer)
            problem_add(p, lang, "/organisation_id", "unknown_id", NULL);
        if (!one_of(s->kind, KINDS)) {
            problem_add(p, lang, "/kind", "invalid_value", NULL);
            kind = NULL;
        }
    }
    civil_date d;
    if (s->start_date && civil_date_parse(s->start_date, &d) != PORTAL_OK)
        problem_add(p, lang, "/start_date", "invalid_date", NULL);
    if (s->variant && !one_of(s->variant, VARIANTS))
        problem_add(p, lang, "/variant", "invalid_value", NULL);
    if (s->wage_type && !one_of(s->wage_type, WAGE_TYPES))
        problem_add(p, lang, "/insured_wage_type", "invalid_value", NULL);
    scheme_kind_rules(ctx, s, current, kind, p);
    return PORTAL_OK;
}

/* Adds {"field": {"from","to"}} for every audited field that differs. */
static json_t *scheme_diff(const json_t *before, const json_t *after)
{
    json_t *changes = json_object();
    for (int i = 0; changes && SCHEME_AUDITED[i]; i++) {
        const json_t *from = before ? json_object_get(before, SCHEME_AUDITED[i]) : NULL;
        const json_t *to = after ? json_object_get(after, SCHEME_AUDITED[i]) : NULL;
        if (from && json_is_null(from))
            from = NULL;
        if (to && json_is_null(to))
            to = NULL;
        if (audit_change(changes, SCHEME_AUDITED[i], from, to) != PORTAL_OK) {
            json_decref(changes);
            changes = NULL;
        }
    }
    return changes;
}

/* The scheme a PATCH would produce: current with the given fields. */
static json_t *scheme_proposed(const json_t *current, const scheme_input *s)
{
    json_t *p = json_deep_copy(current);
    if (!p)
        return NULL;
    if (s->name)
        json_object_set_new(p, "name", json_string(s->name));
    if (s->number)
        json_object_set_new(p, "number", json_string(s->number));
    if (s->start_date)
        json_object_set_new(p, "start_date", json_string(s->start_date));
    if (s->coverages)
        json_object_set(p, "coverages", s->coverages);
    if (s->premium)
        json_object_set(p, "premium", s->premium);
    if (s->has_variant)
        json_object_set_new(p, "variant", s->variant ? json_string(s->variant) : json_null());
    if (s->has_wage_type)
        json_object_set_new(p, "insured_wage_type",
                            s->wage_type ? json_string(s->wage_type) : json_null());
    return p;
}

/* Answers a failed write: 409 conflict on /number for PORTAL_ERR_CONFLICT
 * (the number is taken), 500 internal_error otherwise. */
static void scheme_write_failed(struct _u_response *response, const http_ctx *ctx, portal_result rc)
{
    if (rc == PORTAL_ERR_CONFLICT)
        http_field_problem(response, ctx, 409, "conflict", "/number", "already_exists",
                           tr(ctx, "Er bestaat al een regeling met dit nummer.",
                              "A scheme with this number already exists."));
    else
        http_problem(response, ctx, 500, "internal_error");
}

static void scheme_etag(const char *version, char etag[HTTP_ETAG_LEN])
{
    char text[SCHEMES_VERSION_LEN + 16];
    snprintf(text, sizeof text, "scheme:%s", version);
    http_etag_from_version(text, etag);
}

/* Field texts for the store (owned by the caller: free). */
typedef struct {
    char *coverages;
    char *premium;
} scheme_texts;

static portal_result scheme_texts_make(const scheme_input *s, scheme_texts *t)
{
    t->coverages = s->coverages ? json_dumps(s->coverages, JSON_COMPACT) : NULL;
    t->premium = s->premium ? json_dumps(s->premium, JSON_COMPACT) : NULL;
    if ((s->coverages && !t->coverages) || (s->premium && !t->premium))
        return PORTAL_ERR_MEMORY;
    return PORTAL_OK;
}

static void scheme_texts_free(scheme_texts *t)
{
    free(t->coverages);
    free(t->premium);
}

/* The store fields of what s gives (organisation and kind left out, both
 * set only when creating), their texts made into t (the caller frees t,
 * also on failure). PORTAL_ERR_MEMORY when a text cannot be made. */
static portal_result scheme_fields_make(const scheme_input *s, scheme_texts *t, scheme_fields *f)
{
    portal_result rc = scheme_texts_make(s, t);
    *f = (scheme_fields){.name = s->name,
                         .number = s->number,
                         .start_date = s->start_date,
                         .coverages = t->coverages,
                         .premium = t->premium,
                         .variant = s->variant,
                         .insured_wage_type = s->wage_type};
    return rc;
}

/* Creates the scheme s says in one transaction (rules, store, audit,
 * idempotent answer) and answers 201 with it. Answers 503 without a
 * database, 422 on a rule break, 409 when its number is taken, 500 on any
 * other failure. Borrows s. */
static void scheme_create(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx, const scheme_input *s)
{
    db_conn *db = http_require_db(ctx, response);
    http_idempotency idem;
    if (!db || !http_item_begin(request, response, ctx, db, &idem))
        return;
    problem p;
    problem_init(&p, 422, "validation_failed");
    portal_result rc = scheme_rules(ctx, db, s, NULL, &p);
    if (rc == PORTAL_OK && p.n_errors) {
        db_rollback(db);
        problem_send(response, ctx, &p);
        return;
    }
    scheme_texts t = {NULL, NULL};
    scheme_fields f;
    if (rc == PORTAL_OK)
        rc = scheme_fields_make(s, &t, &f);
    f.organisation_id = s->organisation_id;
    f.kind = s->kind;
    char id[PORTAL_ID_LEN] = "";
    char version[SCHEMES_VERSION_LEN] = "";
    char *json = NULL;
    json_t *created = NULL, *changes = NULL;
    if (rc == PORTAL_OK)
        rc = schemes_create(db, &f, id);
    if (rc == PORTAL_OK)
        rc = schemes_get_json(db, id, 0, &json, version);
    if (rc == PORTAL_OK) {
        created = json_loads(json, 0, NULL);
        changes = created ? scheme_diff(NULL, created) : NULL;
        rc = changes ? PORTAL_OK : PORTAL_ERR_MEMORY;
    }
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, "scheme.created", "scheme", id, s->organisation_id, changes);
    char location[128], etag[HTTP_ETAG_LEN];
    snprintf(location, sizeof location, "/api/v1/schemes/%s", id);
    scheme_etag(version, etag);
    http_item_answer a = {.status = 201, .json = json, .location = location, .etag = etag};
    rc = http_item_finish(response, db, &idem, rc, &a);
    if (rc != PORTAL_OK)
        scheme_write_failed(response, ctx, rc);
    json_decref(created);
    json_decref(changes);
    free(json);
    scheme_texts_free(&t);
}

void schemes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "schemes.manage"))
        return;
    scheme_input s;
    if (http_body_read(ctx, request, response, scheme_read_new, &s, sizeof s))
        scheme_create(request, response, ctx, &s);
    scheme_input_free(&s);
}

/* Stores a PATCH that changes something, audits it and reads the scheme
 * again into *json (replacing it) and version, in the open transaction. */
static portal_result scheme_apply(const http_ctx *ctx, db_conn *db, const char *id,
                                  const scheme_input *s, const json_t *current, json_t *changes,
                                  scheme_texts *t, char **json, char *version)
{
    scheme_fields f;
    portal_result rc = scheme_fields_make(s, t, &f);
    f.set_variant = s->has_variant;
    f.set_wage_type = s->has_wage_type;
    if (rc == PORTAL_OK)
        rc = schemes_update(db, id, &f);
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, "scheme.updated", "scheme", id,
                        json_string_value(json_object_get(current, "organisation_id")), changes);
    free(*json);
    *json = NULL;
    if (rc == PORTAL_OK)
        rc = schemes_get_json(db, id, 0, json, version);
    return rc;
}

/* Changes scheme id as s says, after If-Match, in one transaction (rules,
 * store and audit only when anything differs) and answers 200 with it.
 * Answers 404 or 403 as access_scheme_or_answer, 412 on a stale If-Match,
 * 422 on a rule break, 409 when the new number is taken, 500 on any other
 * failure. Borrows s. */
static void scheme_patch(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx, const char *id, const scheme_input *s)
{
    db_conn *db = http_require_db(ctx, response);
    if (!db || !access_scheme_or_answer(ctx, response, db, id ? id : "", "schemes.manage"))
        return;
    char version[SCHEMES_VERSION_LEN] = "";
    char *json = NULL;
    json_t *current = NULL, *proposed = NULL, *changes = NULL;
    scheme_texts t = {NULL, NULL};
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = schemes_get_json(db, id, 1, &json, version);
    current = rc == PORTAL_OK ? json_loads(json, 0, NULL) : NULL;
    if (!current) {
        db_rollback(db);
        http_answer_result(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_INTERNAL);
        goto done;
    }
    char etag[HTTP_ETAG_LEN];
    scheme_etag(version, etag);
    if (!http_if_match(request, ctx, response, etag)) {
        db_rollback(db);
        goto done;
    }
    problem p;
    problem_init(&p, 422, "validation_failed");
    rc = scheme_rules(ctx, db, s, current, &p);
    if (rc == PORTAL_OK && p.n_errors) {
        db_rollback(db);
        problem_send(response, ctx, &p);
        goto done;
    }
    proposed = rc == PORTAL_OK ? scheme_proposed(current, s) : NULL;
    changes = proposed ? scheme_diff(current, proposed) : NULL;
    if (rc == PORTAL_OK && !changes)
        rc = PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK && json_object_size(changes) > 0)
        rc = scheme_apply(ctx, db, id, s, current, changes, &t, &json, version);
    scheme_etag(version, etag);
    http_item_answer a = {.status = 200, .json = json, .location = NULL, .etag = etag};
    rc = http_item_finish(response, db, NULL, rc, &a);
    if (rc != PORTAL_OK)
        scheme_write_failed(response, ctx, rc);
done:
    json_decref(current);
    json_decref(proposed);
    json_decref(changes);
    free(json);
    scheme_texts_free(&t);
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
    if (q.kind && !one_of(q.kind, KINDS))
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
