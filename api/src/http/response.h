/*
 * http/response.h: writing successful responses (JSON trees, JSON text
 * straight from PostgreSQL, empty bodies) and headers.
 */
#ifndef PORTAL_HTTP_RESPONSE_H
#define PORTAL_HTTP_RESPONSE_H

#include <jansson.h>
#include <ulfius.h>

/* Sets (replaces) a response header. */
void http_set_header(struct _u_response *response, const char *name, const char *value);

/* Serialises body (borrowed, not freed) as the response with the given
 * status and content type. On a serialisation failure answers 500. */
void http_send_json_typed(struct _u_response *response, unsigned status, const json_t *body,
                          const char *content_type);

/* http_send_json_typed with application/json. */
void http_send_json(struct _u_response *response, unsigned status, const json_t *body);

/* Sends JSON text that is already serialised (e.g. json_agg output). */
void http_send_json_text(struct _u_response *response, unsigned status, const char *text,
                         size_t len);

/* An empty response (204 and the like). */
void http_send_empty(struct _u_response *response, unsigned status);

#endif
