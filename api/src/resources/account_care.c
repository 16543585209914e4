/* resources/account_care.c: see account_care.h. */
#include "resources/account_care.h"

#include <stdlib.h>
#include <string.h>

#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/account_care.h"

/* Runs one care action on the user {id} and answers 204 or the problem. */
static void account_care_run(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, care_action action)
{
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    if (account_care_apply(db, &actor, action, http_param(request, "id"),
                           ctx->config ? ctx->config->public_url : "", &o) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_send_empty(response, 204);
}

void account_care_second_factor_handler(const struct _u_request *request,
                                        struct _u_response *response, http_ctx *ctx)
{
    account_care_run(request, response, ctx, CARE_RESET_SECOND_FACTOR);
}

void account_care_release_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    account_care_run(request, response, ctx, CARE_RELEASE_LOGIN);
}

void account_care_main_admin_handler(const struct _u_request *request, struct _u_response *response,
                                     http_ctx *ctx)
{
    account_care_run(request, response, ctx, CARE_MAKE_MAIN_ADMINISTRATOR);
}

void account_care_responsibility_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx)
{
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *json = NULL;
    if (account_care_responsibility(db, &actor, http_param(request, "id"), &o, &json) !=
        PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_send_json_text(response, 200, json, strlen(json));
    free(json);
}

void account_care_hand_over_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *to = input_string(&in, body, "", "responsible_user_id", INPUT_REQUIRED, 64);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *json = NULL;
    if (account_care_hand_over(db, &actor, http_param(request, "id"), to,
                               ctx->config ? ctx->config->public_url : "", &o,
                               &json) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_send_json_text(response, 200, json, strlen(json));
    free(json);
}

void account_care_external_users_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx)
{
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *json = NULL;
    if (account_care_external_users(db, &actor, http_param(request, "organisation_id"), &o,
                                    &json) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    json_t *items = json_loads(json, 0, NULL);
    free(json);
    json_t *page = json_pack("{s:o}", "items", items ? items : json_array());
    if (!page) {
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
        return;
    }
    http_send_json(response, 200, page);
    json_decref(page);
}
