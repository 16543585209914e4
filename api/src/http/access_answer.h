/*
 * http/access_answer.h: the access checks of auth/access.h for a handler
 * that answers the refusal itself (DESIGN.md §4: 404 for what the caller
 * cannot see, 403 for a missing permission on what it can see).
 */
#ifndef PORTAL_HTTP_ACCESS_ANSWER_H
#define PORTAL_HTTP_ACCESS_ANSWER_H

#include <ulfius.h>

#include "auth/access.h"
#include "http/context.h"

/* access_scheme that answers the problem itself (404/403/503); returns 1
 * when the request may proceed. */
int access_scheme_or_answer(http_ctx *ctx, struct _u_response *response, db_conn *db,
                            const char *scheme_id, const char *capability);

/* access_can that answers 403 forbidden; returns 1 when allowed. */
int access_can_or_answer(http_ctx *ctx, struct _u_response *response, const char *capability);

#endif
