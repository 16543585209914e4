/*
 * resources/reconciliation_duplicates.h: the HTTP face of likely duplicate
 * employees in a reconciliation (workflows/reconciliation_duplicates.h):
 *   GET  /api/v1/reconciliations/{id}/duplicates          the unresolved pairs
 *   POST /api/v1/reconciliations/{id}/duplicates/merge    keep one, merge the other
 *   POST /api/v1/reconciliations/{id}/duplicates/dismiss  two people after all
 */
#ifndef PORTAL_RESOURCES_RECONCILIATION_DUPLICATES_H
#define PORTAL_RESOURCES_RECONCILIATION_DUPLICATES_H

#include <ulfius.h>

#include "http/context.h"

void reconciliations_duplicates_handler(const struct _u_request *request,
                                        struct _u_response *response, http_ctx *ctx);
void reconciliations_duplicates_merge_handler(const struct _u_request *request,
                                              struct _u_response *response, http_ctx *ctx);
void reconciliations_duplicates_dismiss_handler(const struct _u_request *request,
                                                struct _u_response *response, http_ctx *ctx);

#endif
