/*
 * http/resource_body.h: the first steps of a handler that reads a JSON
 * request body: parse it, read its fields, and answer 400 with every field
 * that could not be read (DESIGN.md §4: one answer lists every finding).
 *
 * Owns only the HTTP side: the body (http/request.h) and the 400 answer
 * (http/input.h). Which fields there are and what they mean stay with the
 * resource, whose reader comes in as a function pointer; this file includes
 * no resource or store module.
 */
#ifndef PORTAL_HTTP_RESOURCE_BODY_H
#define PORTAL_HTTP_RESOURCE_BODY_H

#include <stddef.h>

#include <jansson.h>
#include <ulfius.h>

#include "http/context.h"
#include "http/input.h"

/* Reads the fields of body into out (the resource's own struct), recording
 * every unreadable one in in. Borrows body and in. */
typedef void (*http_body_reader)(input *in, const json_t *body, void *out);

/*
 * http_body_read -- parses the request's JSON body and runs reader over it
 * into out (out_size bytes, zeroed first).
 *
 * Returns the body (owned by ctx, freed with the request), or NULL after
 * answering: the body's own problem (413, 415, 400 malformed_json or
 * duplicate_key: reader is not called) or 400 invalid_request listing every
 * field reader recorded. Either way the caller frees what reader put into
 * out (nothing, when it was not called).
 */
json_t *http_body_read(http_ctx *ctx, const struct _u_request *request,
                       struct _u_response *response, http_body_reader reader, void *out,
                       size_t out_size);

/*
 * http_body_string -- the one required string member key of the request's
 * JSON body (at most max_len characters, 0: no limit), e.g. a reason.
 *
 * Returns it (borrowed from the body, which ctx owns), or NULL after
 * answering the body's own problem or 400 invalid_request on /key (missing,
 * blank, not a string or too long).
 */
const char *http_body_string(http_ctx *ctx, const struct _u_request *request,
                             struct _u_response *response, const char *key, size_t max_len);

#endif
