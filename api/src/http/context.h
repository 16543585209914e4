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
#include <time.h>
#include <ulfius.h>

#include "base/caller.h"
#include "base/config.h"
#include "store/db.h"

typedef struct http_ctx {
    const portal_config *config;
    char request_id[72];
    char client_address[64]; /* textual, after trusted-proxy handling */
    const char *lang;        /* "nl" or "en" */
    struct timespec started;
    db_conn *db;  /* borrowed lazily by http_ctx_db */
    json_t *body; /* parsed JSON body (owned), or NULL */
    portal_caller caller;
    int is_api_path; /* under /api, /.well-known or health */
    int logged;      /* the request line was written */
} http_ctx;

/* The context of the current request, or NULL before the router made it. */
http_ctx *http_ctx_of(const struct _u_response *response);

/* Borrows a database connection for the rest of the request (released when
 * the response is freed). Returns NULL when none can be had; the caller
 * answers 503 with http_problem_unavailable. */
db_conn *http_ctx_db(http_ctx *ctx);

/* http_ctx_db, or NULL after answering 503 service_unavailable. */
db_conn *http_require_db(http_ctx *ctx, struct _u_response *response);

#endif
