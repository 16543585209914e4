/* resources/activation.c: see activation.h. */
#include "resources/activation.h"

#include <string.h>

#include "http/call.h"
#include "http/input.h"
#include "http/response.h"
#include "workflows/activation.h"

void activation_send_code_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    activation_code_input a = {.token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128),
                               .email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320)};
    const char *channel = input_string(&in, body, "", "channel", INPUT_OPTIONAL, 8);
    if (channel && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)
        input_error(&in, "", "channel", "invalid_value");
    a.sms = channel && strcmp(channel, "sms") == 0;
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx, activation_send_code(&c.actor, c.db, &a, &c.o), &c.o))
        return;
    json_t *answer =
        http_ctx_keep_json(ctx, json_pack("{s:s}", "channel", a.sms ? "sms" : "email"));
    http_send_json(response, 202, answer);
}

void activation_complete_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    activation_input a = {.token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128),
                          .code = input_string(&in, body, "", "code", INPUT_REQUIRED, 16),
                          .username = input_string(&in, body, "", "username", INPUT_REQUIRED, 64),
                          .password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0),
                          .public_url = ctx->config->public_url};
    http_call c;
    char user_id[PORTAL_ID_LEN];
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx, activation_complete(&c.actor, c.db, &a, user_id, &c.o),
                         &c.o))
        return;
    json_t *answer = http_ctx_keep_json(ctx, json_pack("{s:s, s:s, s:s}", "id", user_id, "username",
                                                       a.username, "status", "active"));
    http_send_json(response, 201, answer);
}
