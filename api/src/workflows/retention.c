/* workflows/retention.c: see retention.h. */
#include "workflows/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "auth/access.h"
#include "store/audit.h"
#include "store/documents.h"
#include "store/retention.h"

portal_result retention_settings_get(db_conn *db, const portal_actor *actor, const char *scheme_id,
                                     portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    portal_result rc = access_scheme(db, actor->caller, scheme_id, "schemes.read");
    if (rc == PORTAL_OK)
        rc = retention_scheme_get(db, scheme_id, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result retention_settings_set(db_conn *db, const portal_actor *actor, const char *scheme_id,
                                     long long months, int has_pseudonymise, long long pseudonymise,
                                     portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    portal_result rc = access_scheme(db, actor->caller, scheme_id, "schemes.manage");
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    if (months < 0 || months > 1200)
        outcome_add_error(o, "/former_participant_months", "out_of_range", NULL);
    if (has_pseudonymise && (pseudonymise < 1 || pseudonymise > 2400 || pseudonymise < months))
        outcome_add_error(o, "/pseudonymise_after_months", "out_of_range", NULL);
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    char m[24], p[24], owner[PORTAL_ID_LEN];
    snprintf(m, sizeof m, "%lld", months);
    snprintf(p, sizeof p, "%lld", pseudonymise);
    rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = documents_scheme_owner(db, scheme_id, owner);
    if (rc == PORTAL_OK)
        rc = retention_scheme_set(db, scheme_id, m, has_pseudonymise ? p : NULL);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:I, s:o}", "former_participant_months", (json_int_t)months,
                                    "pseudonymise_after_months",
                                    has_pseudonymise ? json_integer(pseudonymise) : json_null());
        audit_entry e;
        memset(&e, 0, sizeof e);
        e.actor_user_id = actor->caller->user_id;
        e.actor_token_id = actor->caller->kind == CALLER_API_TOKEN ? actor->caller->token_id : NULL;
        e.actor_label = "staff";
        e.organisation_id = owner;
        e.action = "scheme.retention_changed";
        e.target_type = "scheme";
        e.target_id = scheme_id;
        e.request_id = actor->request_id;
        e.client_address = actor->client_address;
        e.changes = changes;
        rc = changes ? audit_record(db, &e) : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = retention_scheme_get(db, scheme_id, json);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}
