/*
 * http/router.h: how routes are registered with ulfius and what happens
 * around every handler.
 *
 * For each request, in ulfius priority order:
 *   0. http_router_prepare (every path): creates the http_ctx, request id,
 *      client address, language, security headers; finds the first route
 *      of the table whose method and pattern match (http_route_matches)
 *      and keeps it in the context; answers 413 for a body over the limit
 *      (the JSON limit, or the upload limit for a route with ROUTE_UPLOAD).
 *   1. the router (every path): puts the route's path parameters into the
 *      request's URL map as ulfius would, runs the
 *      authenticator when the route asks for it, then the handler, then
 *      writes the request log line. When no route matches it serves the
 *      SPA for non-API GETs, otherwise 405 with Allow when the path exists
 *      with other methods, else 404.
 *
 * The routes are not ulfius endpoints of their own: ulfius would match each
 * request against every endpoint by copying both apart. The route table
 * itself lives above this folder (routes.c); the router only knows the
 * shape of an entry.
 */
#ifndef PORTAL_HTTP_ROUTER_H
#define PORTAL_HTTP_ROUTER_H

#include <ulfius.h>

#include "base/config.h"
#include "http/context.h"

/* Route flags. */
#define ROUTE_PUBLIC 0u       /* no authentication */
#define ROUTE_AUTH 1u         /* a session or API token is required */
#define ROUTE_SESSION_ONLY 2u /* a login session only (no API token) */
/* A GET that only reads (no audit row, no read mark, no download), so a hot
 * standby may answer it when one is configured (store/db.h). Every other
 * route runs on the primary and its answer carries the commit position
 * (http/read_position.h). */
#define ROUTE_STANDBY_READ 4u
/* The route's body limit, in the same flags: without it a JSON body of at
 * most HTTP_MAX_JSON_BODY; with ROUTE_UPLOAD_MIB(n) a multipart upload of
 * at most n MiB in all (1..255), its file part spooled to disk
 * (http/upload.h), never kept in memory. */
#define ROUTE_UPLOAD_MIB(n) (((unsigned)(n)&0xFFu) << 8)
#define ROUTE_UPLOAD_MIB_OF(flags) (((flags) >> 8) & 0xFFu)

typedef void (*http_handler)(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);

typedef struct http_route {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* ulfius format: "/api/v1/users/:id" */
    http_handler handler;
    unsigned flags;
} http_route;

/* Authenticates the request for a route with these flags. Returns 1 when the
 * caller may proceed (ctx->caller filled), 0 after writing a problem. */
typedef int (*http_authenticator)(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx, unsigned flags);

/* Registers the prepare step, every route and the fallback on instance.
 * routes must outlive the instance. PORTAL_ERR_MEMORY on failure. */
portal_result http_router_register(struct _u_instance *instance, const portal_config *config,
                                   const http_route *routes, size_t n_routes,
                                   http_authenticator authenticate);

/* The upload limit in bytes of the registered route for method and path
 * (0 when the route takes no upload or none matches). */
size_t http_router_body_limit(const char *method, const char *path);

/* Whether the upload of request may be received at all: its route takes
 * uploads, and when the route asks for authentication the request carries
 * a session or API token the authenticator accepts now. Called by the
 * upload callback on the first block of a file, before anything is
 * spooled (http/upload.h); the dispatcher still authenticates as ever. */
int http_router_upload_allowed(const struct _u_request *request);

/* 1 when the concrete path (no query) matches the route pattern. */
int http_route_matches(const char *pattern, const char *path);

#endif
