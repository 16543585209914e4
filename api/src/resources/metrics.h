/*
 * resources/metrics.h: GET /metrics, the Prometheus text exposition of the
 * in-process counters (base/metrics.h), the database pool's use and, read at
 * scrape time, the job queue and the mail backlog. Public on the API's own
 * port; deploy/nginx.conf answers 404 for it, so only the internal network
 * (the scraper) reaches it.
 */
#ifndef PORTAL_RESOURCES_METRICS_H
#define PORTAL_RESOURCES_METRICS_H

#include "http/router.h"

void metrics_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);

#endif
