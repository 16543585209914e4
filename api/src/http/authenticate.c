/* http/authenticate.c: see authenticate.h. */
#include "http/authenticate.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/jwt.h"
#include "http/caller_cache.h"
#include "http/problem.h"
#include "http/read_position.h"
#include "http/request.h"
#include "http/response.h"
#include "auth/tokens.h"
#include "store/api_tokens.h"
#include "store/sessions.h"

const char *auth_bearer(const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return NULL;
    const char *t = authorization + 7;
    while (*t == ' ')
        t++;
    return *t ? t : NULL;
}

/* GET and HEAD: the requests whose session check may travel with their
 * statements (they change nothing, so one may run again). */
static int auth_is_read(const struct _u_request *request)
{
    return strcmp(request->http_verb, "GET") == 0 || strcmp(request->http_verb, "HEAD") == 0;
}

static int auth_refuse(struct _u_response *response, http_ctx *ctx)
{
    http_set_header(response, "WWW-Authenticate", "Bearer realm=\"portal\"");
    http_problem(response, ctx, 401, "unauthorized");
    return 0;
}

/* API tokens skip the second factor by design; routes that change the
 * account itself accept sessions only. */
static int auth_api_token(struct _u_response *response, http_ctx *ctx, const char *token,
                          unsigned flags)
{
    if ((flags & ROUTE_SESSION_ONLY) || strlen(token) > 128)
        return auth_refuse(response, ctx);
    /* The check writes (last_used_at): on the primary, even for a read. */
    int standby_read = ctx->standby_read && !ctx->db;
    ctx->standby_read = 0;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return 0;
    char hash[65];
    tokens_hash(token, hash);
    portal_result rc = api_tokens_authenticate(db, hash, &ctx->caller);
    if (rc == PORTAL_ERR_DATABASE) {
        http_problem(response, ctx, 503, "service_unavailable");
        return 0;
    }
    if (rc == PORTAL_OK && standby_read)
        read_position_leave_primary(ctx);
    return rc == PORTAL_OK ? 1 : auth_refuse(response, ctx);
}

int auth_authenticate(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                      unsigned flags)
{
    const char *token = auth_bearer(http_header(request, "Authorization"));
    if (!token)
        return auth_refuse(response, ctx);
    if (strncmp(token, "pat_", 4) == 0)
        return auth_api_token(response, ctx, token, flags);
    authjwt_claims claims;
    if (authjwt_verify(token, AUTHJWT_TYP_ACCESS, time(NULL), &claims) != PORTAL_OK)
        return auth_refuse(response, ctx);
    if (ctx->standby_read && !ctx->db)
        read_position_for_caller(ctx, 's', claims.sid);
    db_conn *db = http_ctx_db(ctx);
    if (!db) {
        http_problem(response, ctx, 503, "service_unavailable");
        return 0;
    }
    char stamp[SESSIONS_STAMP_LEN];
    /* A read by a session seen lately: its check goes with the read's own
     * statement, in the same round trip (the router confirms it). */
    if (!ctx->auth_fresh && auth_is_read(request) &&
        caller_cache_get(claims.sid, claims.sub, &ctx->caller, stamp) &&
        sessions_guard_arm(db, claims.sid, claims.sub, stamp) == PORTAL_OK) {
        ctx->session_guarded = 1;
        return 1;
    }
    portal_result rc =
        sessions_load_caller_stamped(db, claims.sid, claims.sub, &ctx->caller, stamp);
    if (rc == PORTAL_ERR_DATABASE) {
        http_problem(response, ctx, 503, "service_unavailable");
        return 0;
    }
    if (rc != PORTAL_OK) {
        caller_cache_forget(claims.sid);
        return auth_refuse(response, ctx);
    }
    caller_cache_put(&ctx->caller, stamp);
    return 1;
}
