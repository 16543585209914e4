/*
 * http/etag.h: strong ETags for single resources and the If-Match check
 * (DESIGN.md §4: ETag on single resources; If-Match on PATCH, DELETE and
 * changing POSTs answers 412 precondition_failed on mismatch).
 *
 * An ETag is derived from a resource version string the store hands out
 * (e.g. updated_at with microseconds, or a row version): a double quote, the
 * first 32 hex characters of SHA-256(version), a double quote. The version
 * itself never leaves the server.
 */
#ifndef PORTAL_HTTP_ETAG_H
#define PORTAL_HTTP_ETAG_H

#include <ulfius.h>

#include "http/context.h"

#define HTTP_ETAG_HEX 32
#define HTTP_ETAG_LEN (HTTP_ETAG_HEX + 3) /* two quotes, 32 hex, NUL */

/* Writes the strong ETag of version (NULL counts as "") into out. Cannot
 * fail; out is caller-owned. */
void http_etag_from_version(const char *version, char out[HTTP_ETAG_LEN]);

/* Sets the ETag response header (copied; etag stays the caller's). */
void http_set_etag(struct _u_response *response, const char *etag);

/* The If-Match decision on a header value alone (no I/O): 1 when if_match is
 * NULL, is "*" and current_etag is not NULL, or lists (comma-separated) a
 * strong tag equal to current_etag; weak tags (W/"…") never match, and
 * neither does garbage. current_etag NULL means there is no current
 * representation. */
int http_etag_matches(const char *if_match, const char *current_etag);

/* Checks the request's If-Match against current_etag (see
 * http_etag_matches). Returns 1 when the change may go ahead; otherwise
 * writes 412 precondition_failed into response and returns 0. */
int http_if_match(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                  const char *current_etag);

#endif
