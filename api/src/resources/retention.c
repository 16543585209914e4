/* resources/retention.c: see retention.h. */
#include "resources/retention.h"

#include <stdlib.h>
#include <string.h>

#include "http/outcome.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/retention.h"

void retention_get_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx)
{
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *json = NULL;
    if (retention_settings_get(db, &actor, http_param(request, "id"), &o, &json) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_send_json_text(response, 200, json, strlen(json));
    free(json);
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
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *json = NULL;
    if (retention_settings_set(db, &actor, http_param(request, "id"),
                               (long long)json_integer_value(months), json_is_integer(pseudo),
                               (long long)json_integer_value(pseudo), &o, &json) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_send_json_text(response, 200, json, strlen(json));
    free(json);
}
