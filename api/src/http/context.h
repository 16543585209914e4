/*
 * http/context.h: the per-request context every handler receives.
 *
 * The router creates it before any handler runs and stores it in the ulfius
 * response's shared_data, so it lives exactly as long as the response. It
 * owns the borrowed database connection (released when the request ends),
 * the parsed JSON body and the authenticated caller.
 */
#ifndef PORTAL_HTTP_CONTEXT_H
#define PORTAL_HTTP_CONTEXT_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>
#include <ulfius.h>

#include "base/caller.h"
#include "base/config.h"
#include "store/db.h"

/* What a helper that may answer the request tells its handler: go on with
 * the request, or stop because it has answered (a problem, a replay).
 * Every such helper returns this one type, never a bare int. */
typedef enum { HTTP_GO_ON = 0, HTTP_ANSWERED = 1 } http_step;

struct http_route; /* http/router.h */

#define HTTP_CTX_MAX_DEFERRED 32

/* Something the request owns until it ends (http_ctx_defer). */
typedef struct {
    void (*release)(void *);
    void *ptr;
} http_deferred;

typedef struct http_ctx {
    const portal_config *config;
    char request_id[72];
    char client_address[64]; /* textual, after trusted-proxy handling */
    const char *lang;        /* "nl" or "en" */
    struct timespec started;
    db_conn *db;                    /* borrowed lazily by http_ctx_db */
    unsigned db_round_trips_before; /* of connections it gave back already (a standby's) */
    json_t *body;                   /* parsed JSON body (owned), or NULL */
    portal_caller caller;
    const struct http_route *route; /* the table's route for it, NULL when none (router.c) */
    int is_api_path;                /* under /api, /.well-known or health */
    int logged;                     /* the request line was written */
    int session_guarded;            /* the session check goes with the first statement */
    int auth_fresh;                 /* load the caller from the database, not the cache */
    int n_deferred;
    http_deferred deferred[HTTP_CTX_MAX_DEFERRED]; /* released last to first */
    int standby_read;                              /* a pure read that may run on the hot standby */
    uint64_t read_after; /* the log position it must see (http/read_position.h) */
} http_ctx;

/* The context of the current request, or NULL before the router made it. */
http_ctx *http_ctx_of(const struct _u_response *response);

/* Borrows a database connection for the rest of the request (released when
 * the response is freed): for a standby read one of the hot standby's when
 * it has replayed ctx->read_after in time, else (and for every other
 * request) one of the primary's. Returns NULL when none can be had; the
 * caller answers 503 with http_problem_unavailable. */
db_conn *http_ctx_db(http_ctx *ctx);

/*
 * http_ctx_defer -- hands ptr to the request: release(ptr) runs when the
 * request ends (last registered, first released), so a handler does not
 * free by hand on every error path. Returns ptr, or NULL when ptr is NULL
 * or the request already holds HTTP_CTX_MAX_DEFERRED things (then ptr is
 * released at once, and the caller treats NULL as out of memory).
 */
void *http_ctx_defer(http_ctx *ctx, void (*release)(void *), void *ptr);

/* http_ctx_defer for malloc'd memory (released with free). */
void *http_ctx_keep(http_ctx *ctx, void *ptr);

/* http_ctx_defer for a JSON value (released with json_decref). */
json_t *http_ctx_keep_json(http_ctx *ctx, json_t *value);

/* A copy of s owned by the request, or NULL (s NULL, or out of memory). */
char *http_ctx_strdup(http_ctx *ctx, const char *s);

/* The caller of the request as the workflows see it (borrows from ctx). */
portal_actor http_actor(const http_ctx *ctx);

/* http_ctx_db, or NULL after answering 503 service_unavailable. */
db_conn *http_require_db(http_ctx *ctx, struct _u_response *response);

#endif
