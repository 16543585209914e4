/*
 * http/call.h: the steps a handler takes around one use case, so each
 * handler says only what is its own (the fields it reads, the workflow it
 * calls, the answer it sends).
 *
 *   input in;
 *   json_t *body = http_call_body(ctx, request, response, &in);
 *   if (!body) return;                         // 400/415 answered
 *   const char *token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128);
 *   http_call c;
 *   if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED) return;  // 400/503
 *   if (http_call_failed(response, ctx, signin_unlock(&c.actor, c.db, token, &c.o), &c.o))
 *       return;                                // the outcome's problem
 *   http_send_empty(response, 204);
 */
#ifndef PORTAL_HTTP_CALL_H
#define PORTAL_HTTP_CALL_H

#include <stddef.h>

#include <jansson.h>
#include <ulfius.h>

#include "base/caller.h"
#include "base/outcome.h"
#include "http/context.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/resource_body.h"
#include "store/db.h"

/* What a handler hands a use case: the request's connection (borrowed from
 * ctx), the caller as actor and a fresh outcome. */
typedef struct {
    db_conn *db;
    portal_actor actor;
    portal_outcome o;
} http_call;

/* The request's JSON object body (owned by ctx), with *in ready to collect
 * field errors in the request's language. NULL after answering a body that
 * is not a JSON object (http_json_body). */
json_t *http_call_body(http_ctx *ctx, const struct _u_request *request,
                       struct _u_response *response, input *in);

/* After reading: answers the 400 with every field error in `in` (NULL: no
 * body was read), or 503 when no connection can be had, and returns
 * HTTP_ANSWERED; otherwise fills *c and returns HTTP_GO_ON. */
http_step http_call_begin(http_ctx *ctx, struct _u_response *response, const input *in,
                          http_call *c);

/* A check a write runs in its transaction before the use case (the rules
 * that need the database); HTTP_ANSWERED after answering. arg is the
 * handler's own request. */
typedef http_step (*http_call_check)(http_ctx *ctx, struct _u_response *response, db_conn *db,
                                     void *arg);

/* For a creating POST: http_call_begin (no field errors left), then the
 * transaction holding the request's Idempotency-Key (http_item_begin: a
 * replay or the key's problem is answered), then check(ctx, response, db,
 * arg) when given. HTTP_GO_ON with the transaction open, for
 * http_item_finish; HTTP_ANSWERED with none left open. */
http_step http_call_begin_write(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx, http_call_check check, void *arg, http_call *c,
                                http_idempotency *idem);

/* For a write with a JSON body: http_body_read (reader fills out, out_size
 * bytes), then http_call_begin_write without a check. HTTP_GO_ON with the
 * transaction open; HTTP_ANSWERED (the body's 400 or what
 * http_call_begin_write answered) with none open. */
http_step http_call_begin_body_write(const struct _u_request *request, struct _u_response *response,
                                     http_ctx *ctx, http_body_reader reader, void *out,
                                     size_t out_size, http_call *c, http_idempotency *idem);

/* 1 after answering the outcome's problem when rc is not PORTAL_OK; 0 (nothing
 * answered) when it is. */
int http_call_failed(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                     const portal_outcome *o);

/* Answers a use case's result: with rc PORTAL_OK sends json (NULL: {}) with
 * status; otherwise the outcome's problem. Takes json (frees it). */
void http_call_send(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                    const portal_outcome *o, char *json, unsigned status);

/* A use case that reads the one item named by a path parameter: its JSON
 * text into *json (malloc'd; the caller frees). */
typedef portal_result (*http_call_show_fn)(db_conn *db, const portal_actor *actor, const char *id,
                                           portal_outcome *o, char **json);

/* Answers a GET of one item: show(db, caller, path parameter `param`) sent
 * with 200. Returns the JSON text sent (owned by ctx: for an ETag), or NULL
 * after answering the outcome's problem or 503 when no connection can be
 * had. */
const char *http_call_show(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx, const char *param, http_call_show_fn show);

/* Ends a write begun with http_call_begin_write (or http_item_begin) whose
 * use case returned rc and, on PORTAL_OK, json. PORTAL_OK: keeps json with
 * status and location (NULL: none) as the Idempotency-Key's answer (idem
 * NULL: none), commits and answers it with etag (NULL: none). Otherwise
 * rolls back and answers the outcome's problem; a failed record or commit
 * answers 500. Takes json (frees it); borrows the rest. */
void http_call_finish_write(struct _u_response *response, http_ctx *ctx, http_call *c,
                            const http_idempotency *idem, portal_result rc, unsigned status,
                            char *json, const char *location, const char *etag);

/* http_call_finish_write for a creating POST: 201 with Location prefix
 * followed by the "id" of json ("/api/v1/documents/" + id). */
void http_call_finish_created(struct _u_response *response, http_ctx *ctx, http_call *c,
                              const http_idempotency *idem, portal_result rc, char *json,
                              const char *prefix);

/* size zeroed bytes owned by the request (released when it ends), or NULL
 * after answering 500 when memory ran out. */
void *http_call_alloc(http_ctx *ctx, struct _u_response *response, size_t size);

#endif
