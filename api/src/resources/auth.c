/* resources/auth.c: see auth.h. */
#include "resources/auth.h"

#include <string.h>

#include "http/authenticate.h"
#include "http/call.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session_cookies.h"
#include "workflows/signin.h"
#include "workflows/signin_guard.h"

/* Answers a use case's result: the JSON body (borrowed) with status on
 * success, the outcome's problem otherwise. */
static void answer(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                   const portal_outcome *o, unsigned status, const json_t *body)
{
    if (!http_call_failed(response, ctx, rc, o))
        http_send_json(response, status, body);
}

void auth_login(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    signin_password_input sp = {
        .username = input_string(&in, body, "", "username", INPUT_REQUIRED, 128),
        .password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0),
        .public_url = ctx->config->public_url};
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED)
        return;
    json_t *challenge = NULL;
    portal_result rc = signin_password(&c.actor, c.db, &sp, &challenge, &c.o);
    answer(response, ctx, rc, &c.o, 200, http_ctx_keep_json(ctx, challenge));
}

/* The JSON of a token set; cookie sessions get the refresh token as a
 * cookie instead. The request owns the result. */
static json_t *token_body(struct _u_response *response, http_ctx *ctx, const token_set *t,
                          int cookie)
{
    json_t *b = json_pack("{s:s, s:s, s:i}", "access_token", t->access_token, "token_type",
                          "Bearer", "expires_in", t->expires_in);
    if (cookie) {
        json_object_set_new(b, "csrf_token", json_string(t->csrf_token));
        session_cookies_set(response, ctx, t->refresh_token, t->csrf_token);
    } else {
        json_object_set_new(b, "refresh_token", json_string(t->refresh_token));
    }
    return http_ctx_keep_json(ctx, b);
}

/* The body of a successful second step. */
static const json_t *session_body(struct _u_response *response, http_ctx *ctx,
                                  const signin_session *s, int cookie)
{
    if (s->challenge)
        return s->challenge;
    json_t *b = token_body(response, ctx, &s->tokens, cookie);
    if (b && s->n_recovery_codes > 0) {
        json_t *list = json_array();
        for (int i = 0; i < s->n_recovery_codes; i++)
            json_array_append_new(list, json_string(s->recovery_codes[i]));
        json_object_set_new(b, "recovery_codes", list);
    }
    return b;
}

void auth_mfa(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    signin_factor_input f = {
        .mfa_token = input_string(&in, body, "", "mfa_token", INPUT_REQUIRED, 4096),
        .code = input_string(&in, body, "", "code", INPUT_OPTIONAL, 16),
        .recovery_code = input_string(&in, body, "", "recovery_code", INPUT_OPTIONAL, 32),
        .public_url = ctx->config->public_url};
    const char *session = input_string(&in, body, "", "session", INPUT_OPTIONAL, 16);
    if (!f.code && !f.recovery_code && !input_failed(&in))
        input_error(&in, "", "code", "required");
    f.cookie = session && strcmp(session, "cookie") == 0;
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED)
        return;
    signin_session s;
    portal_result rc = signin_second_factor(&c.actor, c.db, &f, &s, &c.o);
    answer(response, ctx, rc, &c.o, 200,
           rc == PORTAL_OK ? session_body(response, ctx, &s, f.cookie) : NULL);
    signin_session_clear(&s);
}

/* Reads the refresh token from the JSON body, or from the cookie with the
 * CSRF header (r->cookie set); r->refresh_token stays NULL when neither is
 * present. HTTP_ANSWERED after answering a malformed body. */
static http_step refresh_source(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx, signin_refresh_input *r)
{
    memset(r, 0, sizeof *r);
    if (request->binary_body_length > 0) {
        input in;
        json_t *body = http_call_body(ctx, request, response, &in);
        if (!body)
            return HTTP_ANSWERED;
        r->refresh_token = input_string(&in, body, "", "refresh_token", INPUT_OPTIONAL, 128);
        if (input_failed(&in)) {
            input_send(&in, response, ctx);
            return HTTP_ANSWERED;
        }
        if (r->refresh_token)
            return HTTP_GO_ON;
    }
    const char *c = u_map_get(request->map_cookie, SESSION_REFRESH_COOKIE);
    if (c && *c) {
        r->cookie = 1;
        r->refresh_token = c;
        r->csrf = http_header(request, "X-CSRF-Token");
    }
    return HTTP_GO_ON;
}

void auth_refresh(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    signin_refresh_input r;
    if (refresh_source(request, response, ctx, &r) == HTTP_ANSWERED)
        return;
    http_call c;
    if (!r.refresh_token) {
        outcome_init(&c.o);
        (void)outcome_fail(&c.o, PORTAL_ERR_UNAUTHENTICATED, "token_invalid");
        http_answer_outcome(response, ctx, &c.o);
        return;
    }
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    token_set tokens;
    int reused = 0;
    portal_result rc = signin_refresh(&c.actor, c.db, &r, &tokens, &reused, &c.o);
    if (reused && r.cookie)
        session_cookies_clear(response);
    answer(response, ctx, rc, &c.o, 200,
           rc == PORTAL_OK ? token_body(response, ctx, &tokens, r.cookie) : NULL);
    tokens_clear(&tokens);
}

void auth_logout(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    signin_logout_input in;
    memset(&in, 0, sizeof in);
    in.access_token = auth_bearer(http_header(request, "Authorization"));
    http_call c;
    if (refresh_source(request, response, ctx, &in.refresh) == HTTP_ANSWERED ||
        http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx, signin_logout(&c.actor, c.db, &in, &c.o), &c.o))
        return;
    session_cookies_clear(response);
    http_send_empty(response, 204);
}

void auth_unlock(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    const char *token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128);
    http_call c;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_GO_ON &&
        !http_call_failed(response, ctx, signin_unlock(&c.actor, c.db, token, &c.o), &c.o))
        http_send_empty(response, 204);
}
