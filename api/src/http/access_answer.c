/* http/access_answer.c: see access_answer.h. */
#include "http/access_answer.h"

#include "http/problem.h"

int access_scheme_or_answer(http_ctx *ctx, struct _u_response *response, db_conn *db,
                            const char *scheme_id, const char *capability)
{
    portal_result rc = access_scheme(db, &ctx->caller, scheme_id, capability);
    if (rc == PORTAL_OK)
        return 1;
    if (rc == PORTAL_ERR_NOT_FOUND)
        http_problem(response, ctx, 404, "not_found");
    else if (rc == PORTAL_ERR_DENIED)
        http_problem(response, ctx, 403, "forbidden");
    else
        http_problem(response, ctx, 503, "service_unavailable");
    return 0;
}

int access_can_or_answer(http_ctx *ctx, struct _u_response *response, const char *capability)
{
    if (access_can(&ctx->caller, capability))
        return 1;
    http_problem(response, ctx, 403, "forbidden");
    return 0;
}
