/*
 * resources/health.h: liveness (/healthz), readiness (/readyz: the database
 * answers) and the OpenAPI document (/api/v1/openapi.yaml), all public.
 */
#ifndef PORTAL_RESOURCES_HEALTH_H
#define PORTAL_RESOURCES_HEALTH_H

#include "http/router.h"

void health_live(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void health_ready(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void health_openapi(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);

#endif
