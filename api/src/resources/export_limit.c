/* resources/export_limit.c: see export_limit.h. */
#include "resources/export_limit.h"

#include "http/problem.h"
#include "store/exports.h"

int export_limit_ok(http_ctx *ctx, struct _u_response *response, db_conn *db)
{
    int pending = 0;
    portal_result rc =
        exports_pending_count(db, ctx->caller.user_id, ctx->caller.token_id, &pending);
    if (rc != PORTAL_OK) {
        http_problem_for(response, ctx, rc);
        return 0;
    }
    if (pending < EXPORT_LIMIT_PENDING)
        return 1;
    problem p;
    problem_init(&p, 429, "too_many_exports");
    p.retry_after = EXPORT_LIMIT_RETRY_AFTER;
    problem_send(response, ctx, &p);
    return 0;
}
