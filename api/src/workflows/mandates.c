/* workflows/mandates.c: see mandates.h. */
#include "workflows/mandates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"

/* The PostgreSQL uuid[] literal of the ids. */
static void ids_literal(const mandate_input *in, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < in->n_schemes && o < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "," : "", in->scheme_ids[i]);
    if (o < size)
        snprintf(out + o, size - o, "}");
}

/* The audit record: the office, the access and the schemes. */
static json_t *mandate_changes(const char *intermediary, const mandate_input *in)
{
    json_t *ids = json_array();
    for (int i = 0; i < in->n_schemes; i++)
        json_array_append_new(ids, json_string(in->scheme_ids[i]));
    json_t *changes = json_object();
    if (audit_change_str(changes, "intermediary_id", NULL, intermediary) != PORTAL_OK ||
        audit_change_str(changes, "access", NULL, in->access) != PORTAL_OK ||
        audit_change(changes, "scheme_ids", NULL, ids) != PORTAL_OK) {
        json_decref(changes);
        changes = NULL;
    }
    json_decref(ids);
    return changes;
}

portal_result mandate_grant(const portal_actor *actor, db_conn *db, const mandate_input *in,
                            mandate_granted *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    const portal_caller *c = actor ? actor->caller : NULL;
    if (!c || !c->organisation_id[0] || in->n_schemes < 1 || in->n_schemes > MANDATE_MAX_SCHEMES)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    char literal[MANDATE_MAX_SCHEMES * (PORTAL_ID_LEN + 1) + 4];
    ids_literal(in, literal, sizeof literal);
    char intermediary[PORTAL_ID_LEN];
    snprintf(intermediary, sizeof intermediary, "%s", in->intermediary_id);
    for (char *p = intermediary; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char)(*p - 'A' + 'a');
    portal_result rc = mandates_create(db, c->organisation_id, intermediary, in->access, literal,
                                       c->user_id, out->id);
    json_t *changes = rc == PORTAL_OK ? mandate_changes(intermediary, in) : NULL;
    if (rc == PORTAL_OK)
        rc = changes ? workflow_audit(db, actor, NULL, "mandate.created", "mandate", out->id,
                                      c->organisation_id, changes)
                     : PORTAL_ERR_MEMORY;
    json_decref(changes);
    if (rc == PORTAL_OK)
        rc = mandates_get_json(db, out->id, NULL, 0, &out->json, &out->meta);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    free(out->json);
    out->json = NULL;
    return outcome_fail(o, rc, NULL);
}
