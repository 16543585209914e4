/*
 * resources/retention.h: /api/v1/schemes/{id}/retention, a scheme's privacy
 * retention settings (workflows/retention.h).
 */
#ifndef PORTAL_RESOURCES_RETENTION_H
#define PORTAL_RESOURCES_RETENTION_H

#include "http/router.h"

void retention_get_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx);
void retention_put_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx);

#endif
