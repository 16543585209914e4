/* workflows/workflow.c: see workflow.h. */
#include "workflows/workflow.h"

#include <string.h>

#include "store/audit.h"

const char *workflow_lang(const portal_actor *actor)
{
    return actor && actor->lang && strcmp(actor->lang, "en") == 0 ? "en" : "nl";
}

portal_result workflow_audit(db_conn *db, const portal_actor *actor, const char *label_override,
                             const char *action, const char *target_type, const char *target_id,
                             const char *organisation_id, json_t *changes)
{
    audit_entry e;
    memset(&e, 0, sizeof e);
    const portal_caller *c = actor ? actor->caller : NULL;
    e.actor_label = "system";
    if (c && c->kind == CALLER_SESSION) {
        e.actor_user_id = c->user_id;
        e.actor_label = caller_has_right(c, "staff") ? "staff" : "user";
    } else if (c && c->kind == CALLER_API_TOKEN) {
        e.actor_user_id = c->user_id;
        e.actor_token_id = c->token_id;
        e.actor_label = "api_token";
    }
    if (label_override)
        e.actor_label = label_override;
    if (c && c->kind != CALLER_NONE)
        e.organisation_id = c->organisation_id;
    if (organisation_id)
        e.organisation_id = organisation_id;
    e.request_id = actor ? actor->request_id : NULL;
    e.client_address = actor ? actor->client_address : NULL;
    e.action = action;
    e.target_type = target_type;
    e.target_id = target_id;
    e.changes = changes;
    return audit_record(db, &e);
}
