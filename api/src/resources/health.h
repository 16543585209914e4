/*
 * resources/health.h: liveness (/healthz), readiness (/readyz: the database
 * answers) and the OpenAPI document (/api/v1/openapi.yaml as written, and
 * /api/v1/openapi.json as the build embedded it), all public.
 */
#ifndef PORTAL_RESOURCES_HEALTH_H
#define PORTAL_RESOURCES_HEALTH_H

#include "http/router.h"

void health_live(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void health_ready(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void health_openapi(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
/* The embedded JSON document; open to scripts of any origin (CORS). Never fails. */
void health_openapi_json(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);

#endif
