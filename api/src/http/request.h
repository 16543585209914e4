/*
 * http/request.h: reading a request: headers, query parameters, the JSON
 * body, and the request metadata (request id, client address, language).
 */
#ifndef PORTAL_HTTP_REQUEST_H
#define PORTAL_HTTP_REQUEST_H

#include <jansson.h>
#include <ulfius.h>

#include "base/config.h"
#include "http/context.h"
#include "http/pagination.h"

/* 1 MiB, DESIGN.md §4 */
#define HTTP_MAX_JSON_BODY (1024 * 1024)
/* 20 MiB: the largest file an upload route takes */
#define HTTP_MAX_UPLOAD_BODY (20 * 1024 * 1024)

/* A request header by case-insensitive name, or NULL. Borrowed. */
const char *http_header(const struct _u_request *request, const char *name);

/* A query or path parameter, or NULL. Borrowed. */
const char *http_param(const struct _u_request *request, const char *name);

/* Fills ctx->request_id (the client's X-Request-Id when it is sane, else a
 * new random id), ctx->client_address (X-Forwarded-For only from a trusted
 * proxy) and ctx->lang (from Accept-Language, Dutch by default). */
void http_request_meta(http_ctx *ctx, const struct _u_request *request,
                       const portal_config *config);

/* Picks "nl" or "en" from an Accept-Language value; "nl" when absent. */
const char *http_pick_language(const char *accept_language);

/* Works out the client address. peer is the socket's address (16-byte form,
 * IPv4 mapped); xff the X-Forwarded-For header or NULL. The rightmost
 * address that is not a trusted proxy wins, and only when the peer itself is
 * trusted. Writes text into out. */
void http_client_address(const unsigned char peer[16], const char *xff, const config_cidr *proxies,
                         int n_proxies, char *out, size_t out_size);

/* 1 when the request's body exceeded `limit` bytes (from Content-Length when
 * given, otherwise from what was received up to ulfius's cap of limit+1). */
int http_body_too_large(const struct _u_request *request, size_t limit);

/* Parses the JSON body of a POST/PATCH into ctx->body and returns it
 * (borrowed from ctx). On failure writes the problem (415 wrong content
 * type, 400 malformed JSON or duplicate keys or not an object, 413 too
 * large) into response and returns NULL. */
json_t *http_json_body(http_ctx *ctx, const struct _u_request *request,
                       struct _u_response *response);

/* A single-valued query parameter `name` copied into value, with *out
 * pointing at it (NULL when absent). Returns 1, or 0 after answering 400
 * invalid_request: the value cannot be read, or `name` came more than once
 * (field code invalid_value). */
int http_query_one(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                   const char *name, char value[HTTP_QUERY_VALUE_LEN], const char **out);

#endif
