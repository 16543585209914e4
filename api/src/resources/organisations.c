/* resources/organisations.c: see organisations.h. */
#include "resources/organisations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "http/access_answer.h"
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
#include "store/organisations.h"

static const char *const ADDRESS_FIELDS[] = {"street", "house_number", "postal_code",
                                             "city",   "country",      NULL};
static const char *const CONTACT_FIELDS[] = {"name", "email", "phone", NULL};

/* Reads an object of short strings (the listed fields only) and returns its
 * JSON text (malloc'd) or NULL when absent or unreadable (errors recorded). */
static char *read_text_object(input *in, const json_t *body, const char *key,
                              const char *const *fields)
{
    json_t *obj = input_object(in, body, "", key, INPUT_OPTIONAL);
    if (!obj)
        return NULL;
    char pointer[64];
    snprintf(pointer, sizeof pointer, "/%s", key);
    json_t *clean = json_object();
    for (int i = 0; fields[i]; i++) {
        const char *v = input_string(in, obj, pointer, fields[i], INPUT_OPTIONAL, 200);
        if (v)
            json_object_set_new(clean, fields[i], json_string(v));
    }
    char *text = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    return text;
}

typedef struct {
    organisation_fields f;
    char *postal, *visiting, *contact;
    char licences[2048];
} org_input;

static void org_input_free(org_input *o)
{
    free(o->postal);
    free(o->visiting);
    free(o->contact);
}

/* Reads every staff-editable field; `creating` requires kind and name. */
static void org_read(input *in, const json_t *body, int creating, org_input *o)
{
    memset(o, 0, sizeof *o);
    o->f.kind = creating ? input_string(in, body, "", "kind", INPUT_REQUIRED, 16) : NULL;
    o->f.name = input_string(in, body, "", "name", creating, 200);
    o->f.registration_number =
        input_string(in, body, "", "registration_number", INPUT_OPTIONAL, 20);
    o->f.notification_email = input_string(in, body, "", "notification_email", INPUT_OPTIONAL, 320);
    o->f.advisor_id = input_string(in, body, "", "advisor_id", INPUT_OPTIONAL, 36);
    o->postal = read_text_object(in, body, "postal_address", ADDRESS_FIELDS);
    o->visiting = read_text_object(in, body, "visiting_address", ADDRESS_FIELDS);
    o->contact = read_text_object(in, body, "contact_person", CONTACT_FIELDS);
    o->f.postal_address = o->postal;
    o->f.visiting_address = o->visiting;
    o->f.contact_person = o->contact;
    json_t *lic = input_array(in, body, "", "licences", INPUT_OPTIONAL, 32);
    if (lic) {
        size_t at = (size_t)snprintf(o->licences, sizeof o->licences, "{");
        size_t i;
        json_t *v;
        json_array_foreach(lic, i, v)
        {
            char pointer[48];
            snprintf(pointer, sizeof pointer, "/licences/%zu", i);
            if (!json_is_string(v) || !rights_id_is_valid(json_string_value(v))) {
                problem_add(&in->p, in->lang, pointer, "invalid_type", NULL);
                continue;
            }
            at += (size_t)snprintf(o->licences + at, sizeof o->licences - at, "%s%s",
                                   at > 1 ? "," : "", json_string_value(v));
        }
        snprintf(o->licences + at, sizeof o->licences - at, "}");
        o->f.licences = o->licences;
    }
}

/* org_read for http_body_read: a new organisation, or a staff change. */
static void org_read_new(input *in, const json_t *body, void *out)
{
    org_read(in, body, 1, out);
}

static void org_read_change(input *in, const json_t *body, void *out)
{
    org_read(in, body, 0, out);
}

/* For http_body_read: what any user may change of their own organisation. */
static void org_read_contact(input *in, const json_t *body, void *out)
{
    org_input *o = out;
    o->postal = read_text_object(in, body, "postal_address", ADDRESS_FIELDS);
    o->contact = read_text_object(in, body, "contact_person", CONTACT_FIELDS);
    o->f.postal_address = o->postal;
    o->f.contact_person = o->contact;
}

/* Rule checks after reading (422): kind, licences, advisor. */
static int org_rules(http_ctx *ctx, struct _u_response *response, db_conn *db, org_input *o,
                     const char *kind)
{
    problem p;
    problem_init(&p, 422, "validation_failed");
    if (kind && strcmp(kind, "employer") != 0 && strcmp(kind, "intermediary") != 0)
        problem_add(&p, ctx->lang, "/kind", "invalid_value", NULL);
    if (o->f.notification_email && !strchr(o->f.notification_email, '@'))
        problem_add(&p, ctx->lang, "/notification_email", "invalid_email", NULL);
    if (o->f.licences && kind && strcmp(kind, "intermediary") != 0)
        problem_add(&p, ctx->lang, "/licences", "invalid_value", NULL);
    if (o->f.licences) {
        json_t *lic = json_object_get(ctx->body, "licences");
        size_t i;
        json_t *v;
        json_array_foreach(lic, i, v)
        {
            if (!json_is_string(v) ||
                !access_right_licensable("intermediary", json_string_value(v))) {
                char pointer[48];
                snprintf(pointer, sizeof pointer, "/licences/%zu", i);
                problem_add(&p, ctx->lang, pointer, "unknown_id", NULL);
            }
        }
    }
    if (o->f.advisor_id && *o->f.advisor_id) {
        char akind[16];
        if (kind && strcmp(kind, "employer") != 0)
            problem_add(&p, ctx->lang, "/advisor_id", "invalid_value", NULL);
        else if (organisations_kind(db, o->f.advisor_id, akind) != PORTAL_OK ||
                 strcmp(akind, "intermediary") != 0)
            problem_add(&p, ctx->lang, "/advisor_id", "unknown_id", NULL);
    }
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return 0;
    }
    return 1;
}

/* Sends the organisation with its ETag. */
static void org_send(struct _u_response *response, http_ctx *ctx, db_conn *db, const char *id,
                     unsigned status)
{
    char *json = NULL;
    int version = 0;
    portal_result rc = organisations_get_json(db, id, &json, &version);
    if (rc != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 500,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "internal_error");
        return;
    }
    char version_text[64], etag[HTTP_ETAG_LEN];
    snprintf(version_text, sizeof version_text, "organisation:%s:%d", id, version);
    http_etag_from_version(version_text, etag);
    http_set_etag(response, etag);
    http_send_json_text(response, status, json, strlen(json));
    free(json);
}

/* The ETag of an organisation's current version, for If-Match. */
static int org_etag(db_conn *db, const char *id, char etag[HTTP_ETAG_LEN])
{
    char *json = NULL;
    int version = 0;
    if (organisations_get_json(db, id, &json, &version) != PORTAL_OK)
        return 0;
    free(json);
    char version_text[64];
    snprintf(version_text, sizeof version_text, "organisation:%s:%d", id, version);
    http_etag_from_version(version_text, etag);
    return 1;
}

void organisations_create_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "organisations.manage"))
        return;
    org_input o;
    db_conn *db = NULL;
    if (http_body_read(ctx, request, response, org_read_new, &o, sizeof o) &&
        (db = http_require_db(ctx, response)) != NULL &&
        org_rules(ctx, response, db, &o, o.f.kind)) {
        /* Left out, an office is licensed for every licensable right. */
        if (strcmp(o.f.kind, "intermediary") == 0 && !o.f.licences) {
            snprintf(o.licences, sizeof o.licences,
                     "{beleggingsobjecten,betaalrekeningen,consumptief_krediet,"
                     "elektronisch_geld,hypothecair_krediet,inkomensverzekering,"
                     "pensioenverzekering,premiepensioenvorderingen,"
                     "schadeverzekeringen_particulier,schadeverzekeringen_zakelijk,"
                     "spaarrekeningen,vermogen,zorgverzekeringen}");
            o.f.licences = o.licences;
        }
        char id[PORTAL_ID_LEN];
        http_idempotency idem;
        char *json = NULL;
        if (http_item_begin(request, response, ctx, db, &idem)) {
            json_t *changes = json_pack("{s:s, s:s}", "kind", o.f.kind, "name", o.f.name);
            portal_result rc = organisations_create(db, &o.f, id);
            if (rc == PORTAL_OK)
                rc = http_audit(ctx, db, "organisation.created", "organisation", id, id, changes);
            if (rc == PORTAL_OK)
                rc = organisations_get_json(db, id, &json, NULL);
            char location[128];
            snprintf(location, sizeof location, "/api/v1/organisations/%s", id);
            http_item_answer a = {.status = 201, .json = json, .location = location, .etag = NULL};
            if (http_item_finish(response, db, &idem, rc, &a) != PORTAL_OK)
                http_problem(response, ctx, 500, "internal_error");
            json_decref(changes);
            free(json);
        }
    }
    org_input_free(&o);
}

/* Employers see an office's public face only: the JSON text (malloc'd;
 * NULL when out of memory) of rows with these fields kept. */
static char *org_public_rows(const char *rows)
{
    json_t *all = json_loads(rows, 0, NULL);
    json_t *slim = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(all, i, v)
    {
        json_array_append_new(
            slim, json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(v, "id"), "name",
                            json_object_get(v, "name"), "registration_number",
                            json_object_get(v, "registration_number"), "visiting_address",
                            json_object_get(v, "visiting_address")));
    }
    char *text = json_dumps(slim, JSON_COMPACT);
    json_decref(all);
    json_decref(slim);
    return text;
}

/* Answers a page of organisations of kind (NULL: every kind but the
 * insurer) whose name matches ?q=, sorted by name under the cursor tag;
 * public_face keeps what employers may see (org_public_rows). Answers 400
 * invalid_request (the page parameters, or a kind that is neither employer
 * nor intermediary), 400 invalid_cursor, 503 without a database or 500 when
 * the store fails. */
static void org_list(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                     const char *kind, const char *tag, int public_face)
{
    static const char *const key_fields[] = {"name", "id", NULL};
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    if (kind && strcmp(kind, "employer") != 0 && strcmp(kind, "intermediary") != 0) {
        http_field_problem(response, ctx, 400, "invalid_request", "kind", "invalid_value", NULL);
        return;
    }
    const char *q = http_param(request, "q");
    json_t *keys = NULL;
    if (!http_page_cursor_keys_shaped(ctx, response, &page, tag, "su", &keys))
        return;
    db_conn *db = http_require_db(ctx, response);
    char *rows = NULL, *slim = NULL;
    const char *after_name = keys ? json_string_value(json_array_get(keys, 0)) : NULL;
    const char *after_id = keys ? json_string_value(json_array_get(keys, 1)) : NULL;
    if (!db) {
        /* 503 written */
    } else if (organisations_list_json(db, kind, q && *q ? q : NULL, after_name, after_id,
                                       page.limit, &rows) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
    } else if (public_face) {
        slim = org_public_rows(rows);
        http_page_send_rows(response, ctx, &page, slim, tag, key_fields);
    } else {
        http_page_send_rows(response, ctx, &page, rows, tag, key_fields);
    }
    free(slim);
    free(rows);
    json_decref(keys);
}

void organisations_list_handler(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx)
{
    if (access_can_or_answer(ctx, response, "organisations.manage"))
        org_list(request, response, ctx, http_param(request, "kind"), "organisations:name", 0);
}

void intermediaries_list_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    if (!access_can(&ctx->caller, "mandates.manage") &&
        !access_can(&ctx->caller, "organisations.manage")) {
        http_problem(response, ctx, 403, "forbidden");
        return;
    }
    org_list(request, response, ctx, "intermediary", "intermediaries:name", 1);
}

void organisations_get_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    if (!access_can(&ctx->caller, "organisations.manage")) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    const char *id = http_param(request, "id");
    char kind[16];
    if (!db)
        return;
    if (organisations_kind(db, id, kind) != PORTAL_OK || strcmp(kind, "insurer") == 0) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    org_send(response, ctx, db, id, 200);
}

/* Applies a change to organisation id after If-Match; answers itself. */
static void org_apply(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                      db_conn *db, const char *id, org_input *o, const char *action)
{
    char etag[HTTP_ETAG_LEN];
    if (db_begin(db) != PORTAL_OK) {
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    if (!org_etag(db, id, etag)) {
        db_rollback(db);
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    if (!http_if_match(request, ctx, response, etag)) {
        db_rollback(db);
        return;
    }
    json_t *changes = json_deep_copy(ctx->body);
    portal_result rc = organisations_update(db, id, &o->f);
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, action, "organisation", id, id, changes);
    json_decref(changes);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        http_problem(response, ctx, rc == PORTAL_ERR_NOT_FOUND ? 404 : 500,
                     rc == PORTAL_ERR_NOT_FOUND ? "not_found" : "internal_error");
        return;
    }
    org_send(response, ctx, db, id, 200);
}

void organisations_patch_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    if (!access_can(&ctx->caller, "organisations.manage")) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    org_input o;
    db_conn *db = NULL;
    const char *id = http_param(request, "id");
    char kind[16];
    if (http_body_read(ctx, request, response, org_read_change, &o, sizeof o) &&
        (db = http_require_db(ctx, response)) != NULL) {
        if (organisations_kind(db, id, kind) != PORTAL_OK || strcmp(kind, "insurer") == 0)
            http_problem(response, ctx, 404, "not_found");
        else if (org_rules(ctx, response, db, &o, kind))
            org_apply(request, response, ctx, db, id, &o, "organisation.changed");
    }
    org_input_free(&o);
}

void organisation_own_get(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    (void)request;
    db_conn *db = http_require_db(ctx, response);
    if (db)
        org_send(response, ctx, db, ctx->caller.organisation_id, 200);
}

void organisation_own_patch(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    /* Any user may change the postal address and contact person; the rest of
     * the company data only the insurer (seed 001 §6.2). */
    problem p;
    problem_init(&p, 403, "forbidden");
    const char *key;
    json_t *value;
    json_object_foreach(body, key, value)
    {
        if (strcmp(key, "postal_address") != 0 && strcmp(key, "contact_person") != 0) {
            char pointer[80];
            input_pointer("", key, pointer, sizeof pointer);
            problem_add(&p, ctx->lang, pointer, "not_allowed", NULL);
        }
    }
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    org_input o;
    db_conn *db = NULL;
    if (http_body_read(ctx, request, response, org_read_contact, &o, sizeof o) &&
        (db = http_require_db(ctx, response)) != NULL)
        org_apply(request, response, ctx, db, ctx->caller.organisation_id, &o,
                  "organisation.contact_changed");
    org_input_free(&o);
}
