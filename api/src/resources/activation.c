/* resources/activation.c: see activation.h. */
#include "resources/activation.h"

#include <string.h>

#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/activation.h"

void activation_send_code_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    activation_code_input a = {.token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128),
                               .email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320)};
    const char *channel = input_string(&in, body, "", "channel", INPUT_OPTIONAL, 8);
    if (channel && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)
        input_error(&in, "", "channel", "invalid_value");
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    a.sms = channel && strcmp(channel, "sms") == 0;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    outcome_init(&o);
    if (activation_send_code(&actor, db, &a, &o) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    json_t *answer =
        http_ctx_keep_json(ctx, json_pack("{s:s}", "channel", a.sms ? "sms" : "email"));
    http_send_json(response, 202, answer);
}

void activation_complete_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    activation_input a = {.token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128),
                          .code = input_string(&in, body, "", "code", INPUT_REQUIRED, 16),
                          .username = input_string(&in, body, "", "username", INPUT_REQUIRED, 64),
                          .password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0),
                          .public_url = ctx->config->public_url};
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    outcome_init(&o);
    char user_id[PORTAL_ID_LEN];
    if (activation_complete(&actor, db, &a, user_id, &o) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    json_t *answer = http_ctx_keep_json(ctx, json_pack("{s:s, s:s, s:s}", "id", user_id, "username",
                                                       a.username, "status", "active"));
    http_send_json(response, 201, answer);
}
