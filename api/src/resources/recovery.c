/* resources/recovery.c: see recovery.h. */
#include "resources/recovery.h"

#include "http/call.h"
#include "http/input.h"
#include "http/response.h"
#include "workflows/recovery.h"

/* 202 {"status":"accepted"}, or the outcome's problem. */
static void accepted_or(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                        const portal_outcome *o)
{
    static const char body[] = "{\"status\":\"accepted\"}";
    if (!http_call_failed(response, ctx, rc, o))
        http_send_json_text(response, 202, body, sizeof body - 1);
}

void recovery_request_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    password_reset_input r = {.username =
                                  input_string(&in, body, "", "username", INPUT_REQUIRED, 128),
                              .email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320),
                              .public_url = ctx->config->public_url};
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_GO_ON)
        accepted_or(response, ctx, password_reset_request(&c.actor, c.db, &r, &c.o), &c.o);
}

void recovery_confirm_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    const char *token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128);
    const char *password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0);
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_GO_ON &&
        !http_call_failed(response, ctx,
                          password_reset_confirm(&c.actor, c.db, token, password, &c.o), &c.o))
        http_send_empty(response, 204);
}

void recovery_username_reminder(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    const char *email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320);
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_GO_ON)
        accepted_or(response, ctx,
                    username_remind(&c.actor, c.db, email, ctx->config->public_url, &c.o), &c.o);
}
