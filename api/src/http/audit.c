/* http/audit.c: see audit.h. */
#include "http/audit.h"

#include <string.h>

#include "store/audit.h"

void audit_entry_from_ctx(const http_ctx *ctx, audit_entry *out)
{
    memset(out, 0, sizeof *out);
    const portal_caller *c = &ctx->caller;
    switch (c->kind) {
    case CALLER_SESSION:
        out->actor_user_id = c->user_id;
        out->actor_label = caller_has_right(c, "staff") ? "staff" : "user";
        break;
    case CALLER_API_TOKEN:
        out->actor_user_id = c->user_id;
        out->actor_token_id = c->token_id;
        out->actor_label = "api_token";
        break;
    case CALLER_NONE:
    default:
        out->actor_label = "anonymous";
        break;
    }
    if (c->kind != CALLER_NONE)
        out->organisation_id = c->organisation_id;
    out->request_id = ctx->request_id;
    out->client_address = ctx->client_address;
}

portal_result http_audit(const http_ctx *ctx, db_conn *db, const char *action,
                         const char *target_type, const char *target_id,
                         const char *organisation_id, json_t *changes)
{
    audit_entry e;
    audit_entry_from_ctx(ctx, &e);
    e.action = action;
    e.target_type = target_type;
    e.target_id = target_id;
    e.changes = changes;
    if (organisation_id)
        e.organisation_id = organisation_id;
    if ((!e.actor_user_id || !*e.actor_user_id) && target_type &&
        strcmp(target_type, "user") == 0 && target_id) {
        e.actor_user_id = target_id;
        e.actor_label = "user";
    }
    return audit_record(db, &e);
}
