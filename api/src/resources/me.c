/* resources/me.c: see me.h. */
#include "resources/me.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/call.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session_cookies.h"
#include "store/credentials.h"
#include "store/users.h"
#include "workflows/me.h"

/* Loads the caller's own row and unused recovery codes (one statement), or
 * answers 401/503 and says so. */
static http_step me_load(struct _u_response *response, http_ctx *ctx, db_conn *db, user_row *user,
                         int *recovery_left)
{
    portal_result rc = users_profile(db, ctx->caller.user_id, user, recovery_left);
    if (rc == PORTAL_OK)
        return HTTP_GO_ON;
    http_answer_result(response, ctx, rc == PORTAL_ERR_DATABASE ? rc : PORTAL_ERR_UNAUTHENTICATED);
    return HTTP_ANSWERED;
}

static json_t *me_json(const http_ctx *ctx, const user_row *u, int recovery_left)
{
    json_t *rights = json_array();
    for (int i = 0; i < ctx->caller.n_rights; i++)
        json_array_append_new(rights, json_string(ctx->caller.rights[i]));
    json_t *schemes = json_null();
    if (!ctx->caller.all_schemes) {
        schemes = json_array();
        for (int i = 0; i < ctx->caller.n_schemes; i++)
            json_array_append_new(schemes, json_string(ctx->caller.scheme_ids[i]));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:{s:s, s:s, s:s}, s:o, s:o,"
                     " s:i, s:b, s:s}",
                     "id", u->id, "username", u->username, "first_name", u->first_name, "last_name",
                     u->last_name, "email", u->email, "mobile", u->mobile[0] ? u->mobile : NULL,
                     "language", u->language, "theme", u->theme, "organisation", "id",
                     u->organisation_id, "name", u->organisation_name, "kind", u->organisation_kind,
                     "rights", rights, "scheme_ids", schemes, "recovery_codes_remaining",
                     recovery_left, "mfa_enrolled", u->mfa_enrolled, "auth",
                     ctx->caller.kind == CALLER_API_TOKEN ? "api_token" : "session");
}

/* Answers the caller's own account (with email_pending when given). */
static void me_send(struct _u_response *response, http_ctx *ctx, db_conn *db,
                    const char *email_pending)
{
    user_row user;
    int left = 0;
    if (me_load(response, ctx, db, &user, &left) == HTTP_ANSWERED)
        return;
    json_t *body = http_ctx_keep_json(ctx, me_json(ctx, &user, left));
    if (body && email_pending)
        json_object_set_new(body, "email_pending", json_string(email_pending));
    http_send_json(response, 200, body);
}

void me_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    db_conn *db = http_require_db(ctx, response);
    if (db)
        me_send(response, ctx, db, NULL);
}

void me_patch(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    me_profile_input p = {
        .first_name = input_string(&in, body, "", "first_name", INPUT_OPTIONAL, 100),
        .last_name = input_string(&in, body, "", "last_name", INPUT_OPTIONAL, 100),
        .language = input_string(&in, body, "", "language", INPUT_OPTIONAL, 16),
        .theme = input_string(&in, body, "", "theme", INPUT_OPTIONAL, 16),
        .email = input_string(&in, body, "", "email", INPUT_OPTIONAL, 320)};
    http_call c;
    int pending = 0;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx, me_profile_change(&c.actor, c.db, &p, &pending, &c.o),
                         &c.o))
        return;
    me_send(response, ctx, c.db, pending ? p.email : NULL);
}

/* Reads a body {"code"} and begins the call *c; NULL after answering. */
static const char *code_body(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, http_call *c)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return NULL;
    const char *code = input_string(&in, body, "", "code", INPUT_REQUIRED, 16);
    return http_call_begin(ctx, response, &in, c) == HTTP_GO_ON ? code : NULL;
}

void me_confirm_email(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    http_call c;
    const char *code = code_body(request, response, ctx, &c);
    if (!code ||
        http_call_failed(response, ctx, me_email_confirm(&c.actor, c.db, code, &c.o), &c.o))
        return;
    me_send(response, ctx, c.db, NULL);
}

void me_change_password(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx)
{
    input in;
    json_t *body = http_call_body(ctx, request, response, &in);
    if (!body)
        return;
    me_password_input p = {
        .current_password = input_string(&in, body, "", "current_password", INPUT_REQUIRED, 0),
        .new_password = input_string(&in, body, "", "new_password", INPUT_REQUIRED, 0),
        .cookie = u_map_get(request->map_cookie, SESSION_CSRF_COOKIE) != NULL};
    http_call c;
    token_set tokens;
    if (http_call_begin(ctx, response, &in, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx, me_password_change(&c.actor, c.db, &p, &tokens, &c.o),
                         &c.o))
        return;
    json_t *answer =
        http_ctx_keep_json(ctx, json_pack("{s:s, s:s, s:i}", "access_token", tokens.access_token,
                                          "token_type", "Bearer", "expires_in", tokens.expires_in));
    if (answer && p.cookie) {
        json_object_set_new(answer, "csrf_token", json_string(tokens.csrf_token));
        session_cookies_set(response, ctx, tokens.refresh_token, tokens.csrf_token);
    } else if (answer) {
        json_object_set_new(answer, "refresh_token", json_string(tokens.refresh_token));
    }
    http_send_json(response, 200, answer);
    tokens_clear(&tokens);
}

void me_recovery_codes(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx)
{
    http_call c;
    const char *code = code_body(request, response, ctx, &c);
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    if (!code || http_call_failed(response, ctx,
                                  me_recovery_codes_renew(&c.actor, c.db, code, codes, &c.o), &c.o))
        return;
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
        json_array_append_new(list, json_string(codes[i]));
    http_send_json(response, 200,
                   http_ctx_keep_json(ctx, json_pack("{s:o}", "recovery_codes", list)));
}
