/* resources/account_care.c: see account_care.h. */
#include "resources/account_care.h"

#include <stdlib.h>
#include <string.h>

#include "http/call.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/account_care.h"

/* Runs one care action on the user {id} and answers 204 or the problem. */
static void account_care_run(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, care_action action)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_GO_ON &&
        !http_call_failed(response, ctx,
                          account_care_apply(c.db, &c.actor, action, http_param(request, "id"),
                                             ctx->config ? ctx->config->public_url : "", &c.o),
                          &c.o))
        http_send_empty(response, 204);
}

/* Answers 200 with json (malloc'd, released here) when rc is PORTAL_OK,
 * the outcome's problem otherwise. */
static void account_care_answer(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                                const portal_outcome *o, char *json)
{
    if (!http_call_failed(response, ctx, rc, o))
        http_send_json_text(response, 200, json, strlen(json));
    free(json);
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
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        account_care_responsibility(c.db, &c.actor, http_param(request, "id"), &c.o, &json);
    account_care_answer(response, ctx, rc, &c.o, json);
}

void account_care_hand_over_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    const char *to = input_string(&in, body, "", "responsible_user_id", INPUT_REQUIRED, 64);
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        account_care_hand_over(c.db, &c.actor, http_param(request, "id"), to,
                               ctx->config ? ctx->config->public_url : "", &c.o, &json);
    account_care_answer(response, ctx, rc, &c.o, json);
}

void account_care_external_users_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx)
{
    http_call c;
    char *json = NULL;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx,
                         account_care_external_users(
                             c.db, &c.actor, http_param(request, "organisation_id"), &c.o, &json),
                         &c.o))
        return;
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
