/*
 * http/resource_rules.h: the answer of request rules that sort their
 * findings into a 422 problem (the request is wrong) and a 403 problem (the
 * caller may not do it), as the create handlers of mandates and API tokens
 * do (DESIGN.md §4: one answer lists every finding).
 */
#ifndef PORTAL_HTTP_RESOURCE_RULES_H
#define PORTAL_HTTP_RESOURCE_RULES_H

#include <ulfius.h>

#include "http/context.h"
#include "http/problem.h"

/* With any error in invalid: answers invalid (422) after appending denied's
 * errors to it (past PROBLEM_MAX_ERRORS they are dropped). Otherwise, with
 * any error in denied: answers denied (403). Returns 1 when it answered, 0
 * when both are empty and the request may go on. Both are the caller's;
 * only invalid is changed. */
int http_rules_answer(struct _u_response *response, const http_ctx *ctx, problem *invalid,
                      const problem *denied);

#endif
