/* resources/retention.c: see retention.h. */
#include "resources/retention.h"

#include <stdlib.h>
#include <string.h>

#include "http/call.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/retention.h"

void retention_get_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    http_call_show(request, response, ctx, "id", retention_settings_get);
}

void retention_put_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    json_t *months = json_object_get(body, "former_participant_months");
    json_t *pseudo = json_object_get(body, "pseudonymise_after_months");
    problem p;
    problem_init(&p, 400, "invalid_request");
    if (!months)
        problem_add(&p, ctx->lang, "/former_participant_months", "required", NULL);
    else if (!json_is_integer(months))
        problem_add(&p, ctx->lang, "/former_participant_months", "invalid_type", NULL);
    if (pseudo && !json_is_null(pseudo) && !json_is_integer(pseudo))
        problem_add(&p, ctx->lang, "/pseudonymise_after_months", "invalid_type", NULL);
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc = retention_settings_set(
        c.db, &c.actor, http_param(request, "id"), (long long)json_integer_value(months),
        json_is_integer(pseudo), (long long)json_integer_value(pseudo), &c.o, &json);
    http_call_send(response, ctx, rc, &c.o, json, 200);
}
