/* http/resource_item.c: see resource_item.h. */
#include "http/resource_item.h"

#include <string.h>

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

int http_item_begin(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                    db_conn *db, http_idempotency *idem)
{
    if (db_begin(db) != PORTAL_OK) {
        http_problem(response, ctx, 503, "service_unavailable");
        return 0;
    }
    if (!http_idempotency_begin(ctx, request, response, db, idem)) {
        db_rollback(db);
        return 0;
    }
    return 1;
}

portal_result http_item_finish(struct _u_response *response, db_conn *db,
                               const http_idempotency *idem, portal_result rc,
                               const http_item_answer *a)
{
    if (rc == PORTAL_OK && idem)
        rc = http_idempotency_finish(idem, db, (int)a->status, a->json, a->location);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return rc;
    }
    if (a->location)
        http_set_header(response, "Location", a->location);
    if (a->etag)
        http_set_etag(response, a->etag);
    http_send_json_text(response, a->status, a->json, strlen(a->json));
    return PORTAL_OK;
}

int http_item_commit(struct _u_response *response, const http_ctx *ctx, db_conn *db,
                     portal_result rc)
{
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc == PORTAL_OK)
        return 1;
    db_rollback(db);
    http_problem_for(response, ctx, rc);
    return 0;
}

void http_item_rollback(struct _u_response *response, const http_ctx *ctx, db_conn *db, int status,
                        const char *code)
{
    db_rollback(db);
    http_problem(response, ctx, status, code);
}
