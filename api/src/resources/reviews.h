/*
 * resources/reviews.h: the insurer's review queue (DESIGN.md §4.3): the
 * registrations and changes waiting for extra checks (status
 * pending_review), and the decision on each:
 *   GET  /api/v1/reviews                 ?scheme_id= &type= &limit= &cursor=, oldest first
 *   POST /api/v1/reviews/{id}/approve    the change applies with its original dates
 *   POST /api/v1/reviews/{id}/reject     {"reason"}: the employer sees status and reason
 * A review's id is the change's id. Staff only (capability reviews.manage;
 * everyone else 403).
 */
#ifndef PORTAL_RESOURCES_REVIEWS_H
#define PORTAL_RESOURCES_REVIEWS_H

#include "http/router.h"

void reviews_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void reviews_approve_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);
void reviews_reject_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);

#endif
