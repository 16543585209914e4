/* workflows/exports.c: see exports.h. */
#include "workflows/exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "domain/civil_date.h"
#include "store/jobs.h"
#include "store/pg_array.h"
#include "store/users.h"

#define WF_EXPORT_LITERAL_SIZE (WF_EXPORT_MAX_SCHEMES * (PORTAL_ID_LEN + 1) + 4)

portal_result wf_export_audit(db_conn *db, const portal_actor *actor, const char *action,
                              const char *id, const char *scheme_ids, json_t *changes)
{
    portal_result rc = workflow_audit(db, actor, NULL, action, "export", id, NULL, changes);
    const portal_caller *c = actor ? actor->caller : NULL;
    if (rc != PORTAL_OK || !c || strcmp(c->organisation_kind, "intermediary") != 0)
        return rc;
    char owners[WF_EXPORT_MAX_SCHEMES][PORTAL_ID_LEN];
    int n = 0;
    rc = exports_scheme_owners(db, scheme_ids, c->organisation_id, owners, WF_EXPORT_MAX_SCHEMES,
                               &n);
    for (int i = 0; rc == PORTAL_OK && i < n; i++)
        rc = workflow_audit(db, actor, NULL, action, "export", id, owners[i], changes);
    return rc;
}

/* Every input rule at once; the schemes as a uuid[] literal. */
static portal_result export_check(const wf_export_input *in, char literal[WF_EXPORT_LITERAL_SIZE],
                                  portal_outcome *o)
{
    civil_date date;
    if (!in->as_of || civil_date_parse(in->as_of, &date) != PORTAL_OK)
        outcome_add_error(o, "/as_of", in->as_of ? "invalid_date" : "required", NULL);
    if (in->format && strcmp(in->format, "csv") != 0 && strcmp(in->format, "xlsx") != 0)
        outcome_add_error(o, "/format", "invalid_value", NULL);
    if (in->n_schemes <= 0)
        outcome_add_error(o, "/scheme_ids", "too_short", NULL);
    if (in->n_schemes > WF_EXPORT_MAX_SCHEMES)
        outcome_add_error(o, "/scheme_ids", "too_long", NULL);
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    size_t at = (size_t)snprintf(literal, WF_EXPORT_LITERAL_SIZE, "{");
    for (int i = 0; i < in->n_schemes; i++) {
        const char *id = in->scheme_ids[i];
        at += (size_t)snprintf(literal + at, WF_EXPORT_LITERAL_SIZE - at, "%s%s", i ? "," : "",
                               id && uuid_valid(id) ? id : "00000000-0000-0000-0000-000000000000");
    }
    snprintf(literal + at, WF_EXPORT_LITERAL_SIZE - at, "}");
    return PORTAL_OK;
}

/* The name recorded as who asked: the user, marked when through a token. */
static void export_creator_name(db_conn *db, const portal_caller *c, char *name, size_t size)
{
    user_row user;
    snprintf(name, size, "API token");
    if (users_get(db, c->user_id, &user) == PORTAL_OK)
        snprintf(name, size, "%s %s%s", user.first_name, user.last_name,
                 c->kind == CALLER_API_TOKEN ? " (API token)" : "");
}

/* Writes the export, its job and the audit events. */
static portal_result export_write(db_conn *db, const portal_actor *actor, const export_new *e,
                                  const wf_export_input *in, wf_export_result *out)
{
    portal_result rc = exports_create(db, e, out->id);
    if (rc == PORTAL_OK) {
        char payload[96];
        snprintf(payload, sizeof payload, "{\"export_id\":\"%s\"}", out->id);
        rc = jobs_enqueue(db, "export", payload);
    }
    json_t *schemes = json_array();
    for (int i = 0; i < in->n_schemes; i++)
        json_array_append_new(schemes, json_string(in->scheme_ids[i]));
    json_t *changes = json_pack("{s:o, s:s, s:s}", "scheme_ids", schemes, "as_of", in->as_of,
                                "format", e->format);
    if (rc == PORTAL_OK)
        rc = wf_export_audit(db, actor, "export.created", out->id, e->scheme_ids, changes);
    json_decref(changes);
    export_row row;
    if (rc == PORTAL_OK)
        rc = exports_get(db, out->id, &out->json, &row);
    return rc;
}

portal_result wf_export_request(db_conn *db, const portal_actor *actor, const wf_export_input *in,
                                wf_export_result *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    outcome_init(o);
    const portal_caller *c = actor ? actor->caller : NULL;
    if (!c)
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    char literal[WF_EXPORT_LITERAL_SIZE];
    portal_result rc = export_check(in, literal, o);
    if (rc != PORTAL_OK)
        return rc;
    char ids[WF_EXPORT_MAX_SCHEMES][PORTAL_ID_LEN];
    int n_ids = pg_array_split(literal, &ids[0][0], PORTAL_ID_LEN, WF_EXPORT_MAX_SCHEMES);
    rc = access_schemes(db, c, ids, n_ids, "exports");
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    /* The full BSN only for callers allowed to see it on every scheme. */
    int full_bsn = access_schemes(db, c, ids, n_ids, "participants.bsn") == PORTAL_OK;
    char name[300];
    export_creator_name(db, c, name, sizeof name);
    export_new e = {.organisation_id = c->organisation_id,
                    .created_by = c->user_id[0] ? c->user_id : NULL,
                    .created_by_token = c->token_id[0] ? c->token_id : NULL,
                    .created_by_name = name,
                    .scheme_ids = literal,
                    .as_of = in->as_of,
                    .format = in->format ? in->format : "csv",
                    .language = workflow_lang(actor),
                    .full_bsn = full_bsn};
    rc = export_write(db, actor, &e, in, out);
    if (rc != PORTAL_OK) {
        wf_export_result_free(out);
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}

void wf_export_result_free(wf_export_result *r)
{
    free(r->json);
    r->json = NULL;
}
