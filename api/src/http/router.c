/* http/router.c: see router.h. */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/metrics.h"
#include "base/openapi_document.h"
#include "formats/sniff.h"
#include "http/caller_cache.h"
#include "http/drain.h"
#include "http/problem.h"
#include "http/read_position.h"
#include "http/request.h"
#include "http/response.h"
#include "http/static_files.h"
#include "http/upload.h"

/* The longest value of a path parameter taken (ids, periods, names): a
 * longer one matches no route's resource and answers 404. */
#define ROUTER_MAX_PARAM 255

static struct {
    const portal_config *config;
    const http_route *routes;
    size_t n_routes;
    http_authenticator authenticate;
} router;

static const char CSP_API[] = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
static const char CSP_APP[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

http_ctx *http_ctx_of(const struct _u_response *response)
{
    return (http_ctx *)response->shared_data;
}

db_conn *http_ctx_db(http_ctx *ctx)
{
    if (!ctx->db && ctx->standby_read) {
        db_standby_outcome why;
        ctx->db = db_standby_acquire(ctx->read_after, &why);
        if (!ctx->db)
            ctx->standby_read = 0;
    }
    if (!ctx->db)
        ctx->db = db_acquire(5000);
    return ctx->db;
}

db_conn *http_require_db(http_ctx *ctx, struct _u_response *response)
{
    db_conn *db = http_ctx_db(ctx);
    if (!db) {
        problem p;
        problem_init(&p, 503, "service_unavailable");
        p.retry_after = 5;
        problem_send(response, ctx, &p);
    }
    return db;
}

void *http_ctx_defer(http_ctx *ctx, void (*release)(void *), void *ptr)
{
    if (!ptr)
        return NULL;
    if (ctx->n_deferred >= HTTP_CTX_MAX_DEFERRED) {
        release(ptr);
        return NULL;
    }
    ctx->deferred[ctx->n_deferred].release = release;
    ctx->deferred[ctx->n_deferred].ptr = ptr;
    ctx->n_deferred++;
    return ptr;
}

void *http_ctx_keep(http_ctx *ctx, void *ptr)
{
    return http_ctx_defer(ctx, free, ptr);
}

static void release_json(void *ptr)
{
    json_decref(ptr);
}

json_t *http_ctx_keep_json(http_ctx *ctx, json_t *value)
{
    return http_ctx_defer(ctx, release_json, value);
}

char *http_ctx_strdup(http_ctx *ctx, const char *s)
{
    return s ? http_ctx_keep(ctx, strdup(s)) : NULL;
}

portal_actor http_actor(const http_ctx *ctx)
{
    portal_actor a = {.caller = &ctx->caller,
                      .lang = ctx->lang,
                      .client_address = ctx->client_address,
                      .request_id = ctx->request_id};
    return a;
}

static void ctx_free(void *data)
{
    http_ctx *ctx = data;
    if (!ctx)
        return;
    while (ctx->n_deferred > 0) {
        http_deferred *d = &ctx->deferred[--ctx->n_deferred];
        d->release(d->ptr);
    }
    db_release(ctx->db);
    json_decref(ctx->body);
    free(ctx);
}

static int path_is_api(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strncmp(path, "/.well-known/", 13) == 0 || strcmp(path, "/healthz") == 0 ||
           strcmp(path, "/readyz") == 0 || strcmp(path, "/metrics") == 0;
}

/* Copies a path for the log line: printable ASCII only, bounded. */
static void log_safe(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; in && in[i] && o + 1 < size; i++) {
        unsigned char ch = (unsigned char)in[i];
        out[o++] = (ch > 32 && ch < 127 && ch != '"') ? (char)ch : '?';
    }
    out[o] = '\0';
}

/* Ends a request once: the log line (with its request id) and the metrics
 * of its route (NULL when no route of the table answered). */
static int router_complete(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx, const http_route *route)
{
    /* A draining instance closes each connection after its answer, so the
     * client (the proxy) opens its next one elsewhere (http/drain.h). */
    if (http_draining())
        http_set_header(response, "Connection", "close");
    if (ctx && !ctx->logged) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double ms = (double)(now.tv_sec - ctx->started.tv_sec) * 1000.0 +
                    (double)(now.tv_nsec - ctx->started.tv_nsec) / 1e6;
        char path[256];
        log_safe(request->url_path, path, sizeof path);
        ctx->logged = 1;
        metrics_http_observe(route ? (size_t)(route - router.routes) : METRICS_NO_ROUTE,
                             response->status, ms / 1000.0);
        log_message(response->status >= 500 ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO,
                    "event=request method=%.10s path=%s status=%ld duration_ms=%.2f "
                    "db_round_trips=%u request_id=%s client=%s",
                    request->http_verb, path, response->status, ms,
                    ctx->db_round_trips_before + db_round_trips(ctx->db), ctx->request_id,
                    ctx->client_address);
    }
    return U_CALLBACK_COMPLETE;
}

/* The headers every answer carries (also after an answer is dropped). */
static void router_base_headers(struct _u_response *response, const http_ctx *ctx)
{
    http_set_header(response, "X-Request-Id", ctx->request_id);
    http_set_header(response, "X-Content-Type-Options", "nosniff");
    http_set_header(response, "Referrer-Policy", "no-referrer");
    http_set_header(response, "X-Frame-Options", "DENY");
    http_set_header(response, "Cross-Origin-Opener-Policy", "same-origin");
    http_set_header(response, "Content-Security-Policy", ctx->is_api_path ? CSP_API : CSP_APP);
    if (ctx->is_api_path) {
        http_set_header(response, "Cache-Control", "no-store");
        http_set_header(response, "API-Version", openapi_api_version);
    }
    if (router.config && strncmp(router.config->public_url, "https://", 8) == 0)
        http_set_header(response, "Strict-Transport-Security", "max-age=31536000");
}

/* Drops what a handler wrote (headers, body, a stream) and what it kept
 * for the request, keeping the base headers, so that the request can be
 * answered afresh. */
static void router_reset_response(struct _u_response *response, http_ctx *ctx)
{
    if (response->stream_callback_free && response->stream_user_data)
        response->stream_callback_free(response->stream_user_data);
    response->stream_callback = NULL;
    response->stream_callback_free = NULL;
    response->stream_user_data = NULL;
    while (ctx->n_deferred > 0) {
        http_deferred *d = &ctx->deferred[--ctx->n_deferred];
        d->release(d->ptr);
    }
    u_map_clean(response->map_header);
    u_map_init(response->map_header);
    router_base_headers(response, ctx);
}

/* After the handler of a read whose session check went with its statements
 * (http/caller_cache.h): 1 when that check passed (run now if no statement
 * carried it). 0 when it failed: the cached caller is forgotten and the
 * connection is ready for the request to run again. */
static int router_guard_passed(http_ctx *ctx)
{
    ctx->session_guarded = 0;
    if (!ctx->db || db_guard_flush(ctx->db) == PORTAL_OK)
        return 1;
    db_guard_clear(ctx->db);
    db_rollback(ctx->db);
    caller_cache_forget(ctx->caller.session_id);
    return 0;
}

static int http_upload_too_large(const struct _u_request *request, size_t limit);

/* The first route of the table, in table order, for method (exactly, as
 * HTTP methods are case-sensitive) and path; NULL when none. */
static const http_route *router_find(const char *method, const char *path)
{
    for (size_t i = 0; method && path && i < router.n_routes; i++)
        if (strcmp(router.routes[i].method, method) == 0 &&
            http_route_matches(router.routes[i].path, path))
            return &router.routes[i];
    return NULL;
}

/* The upload limit in bytes of route, 0 when it takes no upload. */
static size_t router_upload_limit(const http_route *route)
{
    return route ? (size_t)ROUTE_UPLOAD_MIB_OF(route->flags) * 1024u * 1024u : 0;
}

static int router_prepare(const struct _u_request *request, struct _u_response *response,
                          void *user_data)
{
    (void)user_data;
    http_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return U_CALLBACK_ERROR;
    clock_gettime(CLOCK_MONOTONIC, &ctx->started);
    ctx->config = router.config;
    ulfius_set_response_shared_data(response, ctx, ctx_free);
    http_request_meta(ctx, request, router.config);
    ctx->is_api_path = path_is_api(request->url_path);
    router_base_headers(response, ctx);

    /* The route is found once, here: its body limit applies now, and
     * router_route dispatches to it. */
    ctx->route = router_find(request->http_verb, request->url_path);
    size_t limit = router_upload_limit(ctx->route);
    if (limit ? http_upload_too_large(request, limit)
              : http_body_too_large(request, HTTP_MAX_JSON_BODY)) {
        http_problem(response, ctx, 413, "payload_too_large");
        return router_complete(request, response, ctx, NULL);
    }
    return U_CALLBACK_CONTINUE;
}

/* 1 when route is one of the pure reads a hot standby may answer and
 * there is a standby. */
static int router_standby_route(const http_route *route)
{
    return (route->flags & ROUTE_STANDBY_READ) && strcmp(route->method, "GET") == 0 &&
           db_standby_enabled();
}

static void router_run(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx, const http_route *route);

/* After a standby read: 1 when its answer must be dropped and the read run
 * again on the primary: the standby went away under it (then it is set
 * aside for a while) or failed it otherwise (a 5xx, e.g. a query cancelled
 * by a conflict with recovery), or it refused the session, which may be one
 * the standby has not replayed yet (the primary decides). */
static int router_standby_retry(const struct _u_response *response, http_ctx *ctx)
{
    if (!ctx->db || !db_is_standby(ctx->db))
        return 0;
    int lost = db_connection_lost(ctx->db);
    if (!lost && response->status != 401 && response->status < 500)
        return 0;
    if (lost)
        db_standby_mark_down();
    db_guard_clear(ctx->db);
    ctx->db_round_trips_before += db_round_trips(ctx->db);
    db_release(ctx->db);
    ctx->db = NULL;
    ctx->standby_read = 0;
    ctx->session_guarded = 0;
    return 1;
}

static int router_dispatch(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx, const http_route *route)
{
    if (router_standby_route(route)) {
        read_position_begin(ctx, request);
        router_run(request, response, ctx, route);
        if (router_standby_retry(response, ctx)) {
            router_reset_response(response, ctx);
            router_run(request, response, ctx, route);
        }
        return router_complete(request, response, ctx, route);
    }
    router_run(request, response, ctx, route);
    /* Every request that ran on the primary answers a position, reads too:
     * a GET that sees a job's result (a batch or payroll period processed)
     * must let the caller's next standby read see what that job wrote. */
    if (db_standby_enabled())
        read_position_answer(response, ctx);
    return router_complete(request, response, ctx, route);
}

/* Authenticates (when the route asks) and runs the handler; a read whose
 * session check failed runs again for the caller loaded afresh. */
static void router_run(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx, const http_route *route)
{
    if ((route->flags & (ROUTE_AUTH | ROUTE_SESSION_ONLY)) && router.authenticate &&
        !router.authenticate(request, response, ctx, route->flags))
        return;
    route->handler(request, response, ctx);
    if (ctx->session_guarded && !router_guard_passed(ctx)) {
        /* The session ended or its caller changed since it was cached: the
         * answer is dropped and the read runs again for a caller loaded
         * afresh (or answers 401). A guarded request is a read, and the
         * failed check stopped its statements, so nothing ran twice. */
        router_reset_response(response, ctx);
        ctx->auth_fresh = 1;
        if (router.authenticate(request, response, ctx, route->flags))
            route->handler(request, response, ctx);
    }
}

size_t http_router_body_limit(const char *method, const char *path)
{
    return router_upload_limit(router_find(method, path));
}

int http_router_upload_allowed(const struct _u_request *request)
{
    const http_route *route = router_find(request->http_verb, request->url_path);
    if (!route || !ROUTE_UPLOAD_MIB_OF(route->flags))
        return 0;
    if (!(route->flags & (ROUTE_AUTH | ROUTE_SESSION_ONLY)) || !router.authenticate)
        return 1;
    /* The route's own authentication, against a scratch context and
     * response: the dispatcher runs it again and answers the refusal. */
    http_ctx *ctx = calloc(1, sizeof *ctx);
    struct _u_response scratch;
    if (!ctx)
        return 0;
    if (ulfius_init_response(&scratch) != U_OK) {
        free(ctx);
        return 0;
    }
    ctx->config = router.config;
    http_request_meta(ctx, request, router.config);
    int ok = router.authenticate(request, &scratch, ctx, route->flags);
    ulfius_clean_response(&scratch);
    ctx_free(ctx);
    return ok;
}

/* An upload route's body is too large when its Content-Length says so or
 * its file part passed the limit while it arrived (ulfius keeps only the
 * first HTTP_MAX_JSON_BODY + 1 bytes of the raw body, so that cannot tell). */
static int http_upload_too_large(const struct _u_request *request, size_t limit)
{
    const http_upload_file *f = http_upload_of(request);
    return http_body_too_large(request, limit) || (f && f->too_large);
}

int http_route_matches(const char *pattern, const char *path)
{
    while (*pattern == '/' && *path == '/') {
        pattern++;
        path++;
        const char *pend = strchr(pattern, '/');
        const char *send = strchr(path, '/');
        size_t plen = pend ? (size_t)(pend - pattern) : strlen(pattern);
        size_t slen = send ? (size_t)(send - path) : strlen(path);
        if (plen > 0 && (pattern[0] == ':' || pattern[0] == '@')) {
            if (slen == 0)
                return 0;
        } else if (plen != slen || strncmp(pattern, path, plen) != 0) {
            return 0;
        }
        pattern += plen;
        path += slen;
    }
    /* A trailing slash on the request is tolerated, as ulfius does. */
    if (*pattern == '\0' && (*path == '\0' || strcmp(path, "/") == 0))
        return 1;
    return 0;
}

/* Answers a request no route of the table took: the SPA for a non-API GET,
 * 405 with Allow when the path exists with other methods, else 404. */
static int router_fallback(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    char allow[64] = "";
    for (size_t i = 0; i < router.n_routes; i++) {
        if (!http_route_matches(router.routes[i].path, request->url_path))
            continue;
        if (strstr(allow, router.routes[i].method))
            continue;
        size_t used = strlen(allow);
        if (used + strlen(router.routes[i].method) + 3 < sizeof allow)
            snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "",
                     router.routes[i].method);
    }
    if (allow[0]) {
        problem p;
        problem_init(&p, 405, "method_not_allowed");
        snprintf(p.allow, sizeof p.allow, "%s", allow);
        problem_send(response, ctx, &p);
        return router_complete(request, response, ctx, NULL);
    }
    if (!ctx->is_api_path && router.config && router.config->frontend_dir[0] &&
        (strcmp(request->http_verb, "GET") == 0 || strcmp(request->http_verb, "HEAD") == 0) &&
        http_static_serve(response, router.config->frontend_dir, request->url_path))
        return router_complete(request, response, ctx, NULL);
    http_problem(response, ctx, 404, "not_found");
    return router_complete(request, response, ctx, NULL);
}

/* Puts the values of the parameter segments (":name", "@name") of pattern,
 * which path matches, into the request's URL map, as ulfius does for an
 * endpoint of its own: after the query's values, a query value of the same
 * name joined to the path's with a comma (the handler then refuses the
 * joined value). PORTAL_ERR_INVALID when a value is not UTF-8 (nothing is
 * put then for it), PORTAL_ERR_MEMORY when the map cannot grow. */
static portal_result router_path_params(const struct _u_request *request, const char *pattern,
                                        const char *path)
{
    while (*pattern == '/' && *path == '/') {
        pattern++;
        path++;
        size_t plen = strcspn(pattern, "/");
        size_t slen = strcspn(path, "/");
        if (plen > 1 && (pattern[0] == ':' || pattern[0] == '@')) {
            char name[64], value[ROUTER_MAX_PARAM + 1];
            if (plen - 1 >= sizeof name || slen >= sizeof value)
                return PORTAL_ERR_INVALID;
            memcpy(name, pattern + 1, plen - 1);
            name[plen - 1] = '\0';
            memcpy(value, path, slen);
            value[slen] = '\0';
            if (!sniff_is_utf8((const unsigned char *)value, slen, 0))
                return PORTAL_ERR_INVALID;
            const char *query = u_map_get(request->map_url, name);
            char joined[2 * ROUTER_MAX_PARAM + 2];
            if (query &&
                (size_t)snprintf(joined, sizeof joined, "%s,%s", query, value) >= sizeof joined)
                return PORTAL_ERR_INVALID;
            if (u_map_put(request->map_url, name, query ? joined : value) != U_OK)
                return PORTAL_ERR_MEMORY;
        }
        pattern += plen;
        path += slen;
    }
    return PORTAL_OK;
}

/* The one ulfius endpoint after router_prepare: fills in the path
 * parameters of the route router_prepare found and dispatches, or answers
 * as the fallback. */
static int router_route(const struct _u_request *request, struct _u_response *response,
                        void *user_data)
{
    (void)user_data;
    http_ctx *ctx = http_ctx_of(response);
    if (!ctx)
        return U_CALLBACK_ERROR;
    const http_route *route = ctx->route;
    if (!route)
        return router_fallback(request, response, ctx);
    portal_result rc = router_path_params(request, route->path, request->url_path);
    if (rc != PORTAL_OK) {
        http_problem(response, ctx, rc == PORTAL_ERR_MEMORY ? 500 : 404,
                     rc == PORTAL_ERR_MEMORY ? "internal_error" : "not_found");
        return router_complete(request, response, ctx, NULL);
    }
    return router_dispatch(request, response, ctx, route);
}

portal_result http_router_register(struct _u_instance *instance, const portal_config *config,
                                   const http_route *routes, size_t n_routes,
                                   http_authenticator authenticate)
{
    router.config = config;
    router.routes = routes;
    router.n_routes = n_routes;
    router.authenticate = authenticate;
    /* Two ulfius endpoints for every path: ulfius matches a request against
     * each endpoint it has by splitting both into copied segments, which for
     * the whole table cost a tenth of the server's CPU per request. The
     * table is searched here instead (router_route). */
    if (ulfius_add_endpoint_by_val(instance, "*", NULL, "*", 0, router_prepare, NULL) != U_OK)
        return PORTAL_ERR_MEMORY;
    for (size_t i = 0; i < n_routes; i++)
        metrics_http_route(i, routes[i].method, routes[i].path);
    if (ulfius_add_endpoint_by_val(instance, "*", NULL, "*", 1, router_route, NULL) != U_OK)
        return PORTAL_ERR_MEMORY;
    return PORTAL_OK;
}
