/* resources/recovery.c: see recovery.h. */
#include "resources/recovery.h"

#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/recovery.h"

/* 202 {"status":"accepted"}, or the outcome's problem. */
static void accepted_or(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                        const portal_outcome *o)
{
    static const char body[] = "{\"status\":\"accepted\"}";
    if (rc == PORTAL_OK)
        http_send_json_text(response, 202, body, sizeof body - 1);
    else
        http_answer_outcome(response, ctx, o);
}

void recovery_request_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    password_reset_input r = {.username =
                                  input_string(&in, body, "", "username", INPUT_REQUIRED, 128),
                              .email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320),
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
    accepted_or(response, ctx, password_reset_request(&actor, db, &r, &o), &o);
}

void recovery_confirm_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128);
    const char *password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0);
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
    if (password_reset_confirm(&actor, db, token, password, &o) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_send_empty(response, 204);
}

void recovery_username_reminder(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320);
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
    accepted_or(response, ctx, username_remind(&actor, db, email, ctx->config->public_url, &o), &o);
}
