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

#include "base/config.h"
#include "store/db.h"

#define HTTP_ID_LEN 37      /* a UUID in text form plus NUL */
#define HTTP_MAX_RIGHTS 32
#define HTTP_RIGHT_LEN 48
#define HTTP_MAX_SCOPE 64

typedef enum { CALLER_NONE = 0, CALLER_SESSION, CALLER_API_TOKEN } http_caller_kind;

/* Who is calling: filled by the authentication step, read by resources. */
typedef struct {
    http_caller_kind kind;
    char user_id[HTTP_ID_LEN];         /* the user, or the token's creator */
    char token_id[HTTP_ID_LEN];        /* API token id (CALLER_API_TOKEN) */
    char session_id[HTTP_ID_LEN];      /* login session (CALLER_SESSION) */
    char organisation_id[HTTP_ID_LEN];
    char organisation_kind[16];        /* insurer | employer | intermediary */
    int n_rights;
    char rights[HTTP_MAX_RIGHTS][HTTP_RIGHT_LEN];
    int all_schemes;                   /* 1: no scheme scope limit */
    int n_schemes;
    char scheme_ids[HTTP_MAX_SCOPE][HTTP_ID_LEN];
} http_caller;

typedef struct http_ctx {
    const portal_config *config;
    char request_id[72];
    char client_address[64];      /* textual, after trusted-proxy handling */
    const char *lang;             /* "nl" or "en" */
    struct timespec started;
    db_conn *db;                  /* borrowed lazily by http_ctx_db */
    json_t *body;                 /* parsed JSON body (owned), or NULL */
    http_caller caller;
    int is_api_path;              /* under /api, /.well-known or health */
    int logged;                   /* the request line was written */
} http_ctx;

/* The context of the current request, or NULL before the router made it. */
http_ctx *http_ctx_of(const struct _u_response *response);

/* Borrows a database connection for the rest of the request (released when
 * the response is freed). Returns NULL when none can be had; the caller
 * answers 503 with http_problem_unavailable. */
db_conn *http_ctx_db(http_ctx *ctx);

/* 1 when the caller holds the right id (exact match). */
int http_caller_has_right(const http_caller *caller, const char *right);

#endif
