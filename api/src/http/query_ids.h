/*
 * http/query_ids.h: a repeatable query parameter of ids (?scheme_id=a&scheme_id=b
 * or ?scheme_id=a,b) read into a PostgreSQL uuid[] array literal, as list
 * filters take it.
 */
#ifndef PORTAL_HTTP_QUERY_IDS_H
#define PORTAL_HTTP_QUERY_IDS_H

#include <stddef.h>

#include <ulfius.h>

#include "base/caller.h"
#include "http/context.h"

/* The most ids one filter takes. */
#define HTTP_QUERY_IDS_MAX 32

/* Room for the literal of HTTP_QUERY_IDS_MAX ids: braces, commas, NUL. */
#define HTTP_QUERY_IDS_LITERAL (HTTP_QUERY_IDS_MAX * (PORTAL_ID_LEN + 1) + 4)

/* Reads parameter `name` into out (HTTP_QUERY_IDS_LITERAL bytes, the
 * caller's: "{}" when absent) and the number of ids into *n. Returns 1, or 0
 * after answering 400 invalid_request on `name` for a value that is no UUID,
 * more than HTTP_QUERY_IDS_MAX values or a badly encoded one. */
int http_query_ids(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                   const char *name, char out[HTTP_QUERY_IDS_LITERAL], int *n);

#endif
