/*
 * resources/reconciliation_open_all.h: the HTTP face of opening a year's
 * reconciliations for every income scheme at once
 * (workflows/reconciliation_open_all.h):
 *   POST /api/v1/reconciliations/bulk  {"year", "deadline", parameters...,
 *                                      "overrides": [{"scheme_id", parameters...}]}
 */
#ifndef PORTAL_RESOURCES_RECONCILIATION_OPEN_ALL_H
#define PORTAL_RESOURCES_RECONCILIATION_OPEN_ALL_H

#include <ulfius.h>

#include "http/context.h"

void reconciliations_bulk_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx);

#endif
