/*
 * http/outcome.h: the one mapping of a portal_result (and a use case's
 * portal_outcome, base/outcome.h) to an HTTP status and problem response.
 *
 *   PORTAL_ERR_MALFORMED     400 invalid_request
 *   PORTAL_ERR_DENIED        403 forbidden
 *   PORTAL_ERR_NOT_FOUND     404 not_found
 *   PORTAL_ERR_CONFLICT      409 conflict
 *   PORTAL_ERR_EXPIRED       410 gone
 *   PORTAL_ERR_PRECONDITION  412 precondition_failed
 *   PORTAL_ERR_TOO_LARGE     413 payload_too_large
 *   PORTAL_ERR_INVALID       422 validation_failed
 *   PORTAL_ERR_THROTTLED     429 too_many_attempts (Retry-After)
 *   PORTAL_ERR_BUSY          503 service_unavailable (Retry-After: 1)
 *   PORTAL_ERR_DATABASE      503 service_unavailable (Retry-After: 5)
 *   anything else            500 internal_error
 *
 * Handlers never write these statuses by hand: they return what the
 * workflow said through http_answer_outcome or http_answer_result.
 */
#ifndef PORTAL_HTTP_OUTCOME_H
#define PORTAL_HTTP_OUTCOME_H

#include <ulfius.h>

#include "base/outcome.h"
#include "http/context.h"

/* The HTTP status for rc (200 for PORTAL_OK). */
int http_status_of(portal_result rc);

/* The default problem code for rc ("not_found"); "" for PORTAL_OK. */
const char *http_code_of(portal_result rc);

/* Answers o as a problem: status from o->rc, code o->code (or the default),
 * o's detail, field errors (empty messages from the catalogue in ctx's
 * language) and Retry-After. o->rc must not be PORTAL_OK. */
void http_answer_outcome(struct _u_response *response, const http_ctx *ctx,
                         const portal_outcome *o);

/* Answers rc as a problem with its default code. */
void http_answer_result(struct _u_response *response, const http_ctx *ctx, portal_result rc);

/* Rolls back db's open transaction (a use case failed in it) and answers o
 * with http_answer_outcome. */
void http_answer_rollback(struct _u_response *response, const http_ctx *ctx, db_conn *db,
                          const portal_outcome *o);

#endif
