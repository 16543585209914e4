/* resources/me.c: see me.h. */
#include "resources/me.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/recovery.h"
#include "auth/tokens.h"
#include "auth/totp.h"
#include "auth/vcode.h"
#include "formats/mail_templates.h"
#include "http/audit.h"
#include "http/input.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session_cookies.h"
#include "resources/auth.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/throttle.h"
#include "store/users.h"

/* Loads the caller's own row or answers 401/503. */
static int me_load(struct _u_response *response, http_ctx *ctx, db_conn *db, user_row *user)
{
    portal_result rc = users_get(db, ctx->caller.user_id, user);
    if (rc == PORTAL_OK)
        return 1;
    http_problem(response, ctx, rc == PORTAL_ERR_DATABASE ? 503 : 401,
                 rc == PORTAL_ERR_DATABASE ? "service_unavailable" : "unauthorized");
    return 0;
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

static void me_send(struct _u_response *response, http_ctx *ctx, db_conn *db, int status)
{
    user_row user;
    if (!me_load(response, ctx, db, &user))
        return;
    int left = 0;
    recovery_codes_remaining(db, user.id, &left);
    json_t *body = me_json(ctx, &user, left);
    http_send_json(response, (unsigned)status, body);
    json_decref(body);
}

void me_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    db_conn *db = http_require_db(ctx, response);
    if (db)
        me_send(response, ctx, db, 200);
}

static int one_of(const char *v, const char *a, const char *b)
{
    return strcmp(v, a) == 0 || strcmp(v, b) == 0;
}

void me_patch(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *first = input_string(&in, body, "", "first_name", INPUT_OPTIONAL, 100);
    const char *last = input_string(&in, body, "", "last_name", INPUT_OPTIONAL, 100);
    const char *language = input_string(&in, body, "", "language", INPUT_OPTIONAL, 16);
    const char *theme = input_string(&in, body, "", "theme", INPUT_OPTIONAL, 16);
    const char *email = input_string(&in, body, "", "email", INPUT_OPTIONAL, 320);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    problem p;
    problem_init(&p, 422, "validation_failed");
    if (first && !first[0])
        problem_add(&p, ctx->lang, "/first_name", "required", NULL);
    if (last && !last[0])
        problem_add(&p, ctx->lang, "/last_name", "required", NULL);
    if (language && !one_of(language, "nl", "en"))
        problem_add(&p, ctx->lang, "/language", "invalid_value", NULL);
    if (theme && !one_of(theme, "light", "dark"))
        problem_add(&p, ctx->lang, "/theme", "invalid_value", NULL);
    if (email && (!strchr(email, '@') || strchr(email, ' ') || strchr(email, '\n')))
        problem_add(&p, ctx->lang, "/email", "invalid_email", NULL);
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    user_row user;
    if (!db || !me_load(response, ctx, db, &user))
        return;
    int email_changes = email && strcmp(email, user.email) != 0;
    long wait = 0;
    portal_result rc = email_changes ? auth_message_gate(ctx, db, THROTTLE_MSG_EMAIL_CHANGE_CODE,
                                                         user.id, &user, &wait)
                                     : PORTAL_OK;
    if (rc == PORTAL_ERR_DENIED) { /* nothing changes, the profile fields neither */
        http_too_many(response, ctx, wait);
        return;
    }
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = users_update_profile(db, user.id, first, last, language, theme);
    json_t *changes = json_object();
    if (first)
        json_object_set_new(changes, "first_name",
                            json_pack("{s:s, s:s}", "from", user.first_name, "to", first));
    if (last)
        json_object_set_new(changes, "last_name",
                            json_pack("{s:s, s:s}", "from", user.last_name, "to", last));
    if (language)
        json_object_set_new(changes, "language", json_string(language));
    if (theme)
        json_object_set_new(changes, "theme", json_string(theme));
    if (rc == PORTAL_OK && email_changes) {
        char code[7], code_hash[65];
        mail_text mail;
        rc = vcode_generate(code);
        if (rc == PORTAL_OK)
            rc = vcode_hash(user.id, code, code_hash);
        if (rc == PORTAL_OK)
            rc = codes_create(db, user.id, "email_change", NULL, code_hash, email);
        if (rc == PORTAL_OK)
            rc = users_set_pending_email(db, user.id, email);
        if (rc == PORTAL_OK)
            rc = mail_email_change_code(user.language, user.first_name, code, &mail);
        if (rc == PORTAL_OK)
            rc = outbox_mail(db, email, &mail);
        json_object_set_new(changes, "email_pending", json_string(email));
    }
    if (!auth_audit_commit(response, ctx, db, rc, "user.profile_changed", &user, changes))
        return;
    if (!email_changes) {
        me_send(response, ctx, db, 200);
        return;
    }
    if (!me_load(response, ctx, db, &user))
        return;
    int left = 0;
    recovery_codes_remaining(db, user.id, &left);
    json_t *answer = me_json(ctx, &user, left);
    json_object_set_new(answer, "email_pending", json_string(email));
    http_send_json(response, 200, answer);
    json_decref(answer);
}

/* Reads a body {"code"} and the caller's own row; NULL after answering. */
static const char *me_code_request(const struct _u_request *request, struct _u_response *response,
                                   http_ctx *ctx, db_conn **db, user_row *user)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return NULL;
    input in;
    input_init(&in, ctx->lang);
    const char *code = input_string(&in, body, "", "code", INPUT_REQUIRED, 16);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return NULL;
    }
    *db = http_require_db(ctx, response);
    if (!*db || !me_load(response, ctx, *db, user))
        return NULL;
    return code;
}

void me_confirm_email(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    db_conn *db;
    user_row user;
    const char *code = me_code_request(request, response, ctx, &db, &user);
    if (!code)
        return;
    char code_hash[65], code_id[PORTAL_ID_LEN], new_email[320];
    portal_result rc = vcode_hash(user.id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = codes_check(db, user.id, "email_change", code_hash, code_id, new_email);
    if (rc != PORTAL_OK) {
        if (rc == PORTAL_ERR_DENIED)
            db_commit(db);
        else
            db_rollback(db);
        http_field_problem(response, ctx, 422, "code_invalid", "/code", "invalid_value", NULL);
        return;
    }
    mail_text mail;
    json_t *changes = json_pack("{s:{s:s, s:s}}", "email", "from", user.email, "to", new_email);
    rc = codes_use(db, code_id);
    if (rc == PORTAL_OK)
        rc = users_set_email(db, user.id, new_email);
    if (rc == PORTAL_OK)
        rc = mail_security_notice(user.language, user.first_name, SECURITY_EMAIL_CHANGED, &mail);
    if (rc == PORTAL_OK) /* to the old address: the owner must hear of it */
        rc = outbox_mail(db, user.email, &mail);
    if (!auth_audit_commit(response, ctx, db, rc, "user.email_changed", &user, changes))
        return;
    me_send(response, ctx, db, 200);
}

void me_change_password(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *current = input_string(&in, body, "", "current_password", INPUT_REQUIRED, 0);
    const char *next = input_string(&in, body, "", "new_password", INPUT_REQUIRED, 0);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    user_row user;
    if (!db || !me_load(response, ctx, db, &user) ||
        auth_throttled(response, ctx, db, user.username, NULL))
        return;
    portal_result verified = strlen(current) > PASSWORD_MAX_BYTES
                                 ? PORTAL_ERR_DENIED
                                 : password_verify(user.password_hash, current);
    if (verified == PORTAL_ERR_BUSY) {
        http_problem_for(response, ctx, verified);
        return;
    }
    if (verified != PORTAL_OK) {
        throttle_record_failure(db, user.username, ctx->client_address);
        http_field_problem(response, ctx, 422, "invalid_credentials", "/current_password",
                           "invalid_value", problem_message(ctx->lang, "invalid_credentials"));
        return;
    }
    password_rejection why;
    if (password_check_policy(next, user.username, user.email, &why) != PORTAL_OK) {
        http_field_problem(response, ctx, 422, "password_rejected", "/new_password", why.code,
                           password_rejection_message(&why, ctx->lang));
        return;
    }
    int cookie = u_map_get(request->map_cookie, SESSION_CSRF_COOKIE) != NULL;
    char encoded[PASSWORD_ENCODED_SIZE];
    mail_text mail;
    token_set tokens;
    memset(&tokens, 0, sizeof tokens);
    portal_result rc = password_hash(next, encoded, sizeof encoded);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = users_set_password(db, user.id, encoded);
    if (rc == PORTAL_OK)
        rc = sessions_end_all(db, user.id, ctx->caller.session_id, "password_changed");
    if (rc == PORTAL_OK) /* the old refresh token of this session dies too */
        rc = sessions_expire_refresh(db, ctx->caller.session_id);
    if (rc == PORTAL_OK)
        rc = tokens_for_session(db, user.id, user.organisation_id, ctx->caller.session_id, cookie,
                                &tokens);
    if (rc == PORTAL_OK)
        rc = mail_security_notice(user.language, user.first_name, SECURITY_PASSWORD_CHANGED, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user.email, &mail);
    if (!auth_audit_commit(response, ctx, db, rc, "password.changed", &user, NULL)) {
        tokens_clear(&tokens);
        return;
    }
    json_t *answer = json_pack("{s:s, s:s, s:i}", "access_token", tokens.access_token, "token_type",
                               "Bearer", "expires_in", tokens.expires_in);
    if (cookie) {
        json_object_set_new(answer, "csrf_token", json_string(tokens.csrf_token));
        session_cookies_set(response, ctx, tokens.refresh_token, tokens.csrf_token);
    } else {
        json_object_set_new(answer, "refresh_token", json_string(tokens.refresh_token));
    }
    http_send_json(response, 200, answer);
    json_decref(answer);
    tokens_clear(&tokens);
}

void me_recovery_codes(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx)
{
    db_conn *db;
    user_row user;
    const char *code = me_code_request(request, response, ctx, &db, &user);
    if (!code || auth_throttled(response, ctx, db, user.username, NULL))
        return;
    long long counter = 0;
    portal_result rc = user.mfa_enrolled
                           ? totp_verify_stored(user.id, user.totp_secret, code, time(NULL),
                                                user.totp_last_counter, &counter)
                           : PORTAL_ERR_DENIED;
    if (rc == PORTAL_OK)
        rc = users_accept_totp_counter(db, user.id, counter);
    if (rc == PORTAL_ERR_CRYPTO || rc == PORTAL_ERR_DATABASE) {
        /* The server's fault, not a wrong code (see auth_mfa). */
        http_problem_for(response, ctx, rc);
        return;
    }
    if (rc != PORTAL_OK) {
        throttle_record_failure(db, user.username, ctx->client_address);
        http_field_problem(response, ctx, 422, "mfa_invalid", "/code", "invalid_value", NULL);
        return;
    }
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    char hashes[RECOVERY_CODE_COUNT][65];
    mail_text mail;
    rc = recovery_generate(codes);
    for (int i = 0; rc == PORTAL_OK && i < RECOVERY_CODE_COUNT; i++)
        rc = recovery_hash(codes[i], hashes[i]);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = recovery_codes_replace(db, user.id, hashes, RECOVERY_CODE_COUNT);
    if (rc == PORTAL_OK)
        rc = mail_security_notice(user.language, user.first_name,
                                  SECURITY_RECOVERY_CODES_REGENERATED, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user.email, &mail);
    if (!auth_audit_commit(response, ctx, db, rc, "recovery_codes.regenerated", &user, NULL))
        return;
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
        json_array_append_new(list, json_string(codes[i]));
    json_t *answer = json_pack("{s:o}", "recovery_codes", list);
    http_send_json(response, 200, answer);
    json_decref(answer);
}
