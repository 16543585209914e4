/* http/resource_item.c: see resource_item.h. */
#include "http/resource_item.h"

#include "base/uuid.h"
#include "http/audit.h"
#include "http/etag.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"

db_conn *http_item_open(const struct _u_request *request, http_ctx *ctx,
                        struct _u_response *response, const char **id)
{
    *id = http_param(request, "id");
    if (!uuid_valid(*id)) {
        http_problem(response, ctx, 404, "not_found");
        return NULL;
    }
    return http_require_db(ctx, response);
}

void http_item_revoke(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                      db_conn *db, const http_item_revocation *r)
{
    if (!http_if_match(request, ctx, response, r->etag)) {
        db_rollback(db);
        return;
    }
    int changed = 0;
    portal_result rc = r->revoke(db, r->id, &changed);
    if (rc == PORTAL_OK && changed) {
        json_t *changes = json_object();
        audit_change(changes, "revoked", json_false(), json_true());
        rc = http_audit(ctx, db, r->action, r->target_type, r->id, r->organisation_id, changes);
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc == PORTAL_OK) {
        http_send_empty(response, 204);
    } else {
        db_rollback(db);
        http_problem(response, ctx, 500, "internal_error");
    }
}
