/* resources/health.c: see health.h. */
#include "resources/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/openapi_document.h"
#include "http/drain.h"
#include "http/problem.h"
#include "http/response.h"

void health_live(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    (void)ctx;
    static const char body[] = "{\"status\":\"ok\"}";
    http_send_json_text(response, 200, body, sizeof body - 1);
}

void health_ready(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    /* A draining instance is not ready: a proxy or orchestrator that asks
     * sends it nothing new (http/drain.h). */
    db_conn *db = http_draining() ? NULL : http_ctx_db(ctx);
    if (!db || db_ping(db) != PORTAL_OK) {
        problem p;
        problem_init(&p, 503, "service_unavailable");
        p.retry_after = 5;
        problem_send(response, ctx, &p);
        return;
    }
    static const char body[] = "{\"status\":\"ready\",\"database\":\"ok\"}";
    http_send_json_text(response, 200, body, sizeof body - 1);
}

void health_openapi(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    char path[1200];
    snprintf(path, sizeof path, "%s/openapi.yaml", ctx->config->share_dir);
    FILE *f = fopen(path, "rb");
    if (!f) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    char *data = NULL;
    size_t len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && size < 4 * 1024 * 1024 && fseek(f, 0, SEEK_SET) == 0) {
            data = malloc((size_t)size);
            if (data)
                len = fread(data, 1, (size_t)size, f);
        }
    }
    fclose(f);
    if (!data) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    http_set_header(response, "Content-Type", "application/yaml; charset=utf-8");
    ulfius_set_binary_body_response(response, 200, data, len);
    free(data);
}

void health_openapi_json(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    (void)request;
    (void)ctx;
    http_set_header(response, "Access-Control-Allow-Origin", "*");
    http_set_header(response, "Access-Control-Expose-Headers", "API-Version, X-Request-Id");
    http_send_json_text(response, 200, (const char *)openapi_json, openapi_json_length);
}
