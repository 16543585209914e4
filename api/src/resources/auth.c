/* resources/auth.c: see auth.h. */
#include "resources/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/authenticate.h"
#include "base/crypto.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/qr.h"
#include "auth/recovery.h"
#include "auth/tokens.h"
#include "auth/totp.h"
#include "base/log.h"
#include "http/audit.h"
#include "http/input.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "http/session_cookies.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/throttle.h"
#include "store/users.h"

#define TOTP_ISSUER "Werkgeversportaal"

/* ---- throttle gates (shared with me, recovery and activation) ---- */

/* Answers a throttle verdict: nothing for PORTAL_OK (returns 0), 429 with
 * Retry-After for PORTAL_ERR_DENIED, 503 otherwise (returns 1). */
static int throttle_answer(struct _u_response *response, http_ctx *ctx, portal_result rc,
                           long retry_after)
{
    if (rc == PORTAL_OK)
        return 0;
    if (rc == PORTAL_ERR_DENIED)
        http_too_many(response, ctx, retry_after);
    else
        http_problem_for(response, ctx, rc);
    return 1;
}

int auth_throttled(struct _u_response *response, http_ctx *ctx, db_conn *db, const char *username,
                   const char *audit_action)
{
    long wait = 0;
    portal_result rc = throttle_check(db, username, ctx->client_address, &wait);
    if (rc == PORTAL_ERR_DENIED && audit_action) {
        json_t *changes =
            json_pack("{s:s, s:I}", "username", username, "retry_after", (json_int_t)wait);
        http_audit(ctx, db, audit_action, "user", NULL, NULL, changes);
        json_decref(changes);
    }
    return throttle_answer(response, ctx, rc, wait);
}

int auth_message_request_throttled(struct _u_response *response, http_ctx *ctx, db_conn *db)
{
    long wait = 0;
    portal_result rc = throttle_count_message_request(db, ctx->client_address, &wait);
    if (rc == PORTAL_ERR_DENIED)
        log_warning("event=message_requests_limited scope=address request_id=%s", ctx->request_id);
    return throttle_answer(response, ctx, rc, wait);
}

portal_result auth_message_gate(http_ctx *ctx, db_conn *db, throttle_message kind,
                                const char *target, const user_row *user, long *retry_after)
{
    portal_result rc = throttle_count_message(db, kind, target, retry_after);
    if (rc != PORTAL_ERR_DENIED)
        return rc;
    const char *name = throttle_message_name(kind);
    log_warning("event=message_limited kind=%s scope=target request_id=%s", name, ctx->request_id);
    json_t *changes =
        json_pack("{s:s, s:I}", "kind", name, "retry_after", (json_int_t)*retry_after);
    http_audit(ctx, db, "message.limited", user ? "user" : NULL, user ? user->id : NULL,
               user ? user->organisation_id : NULL, changes);
    json_decref(changes);
    return rc;
}

int auth_audit_commit(struct _u_response *response, http_ctx *ctx, db_conn *db, portal_result rc,
                      const char *action, const user_row *user, json_t *changes)
{
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, action, "user", user->id, user->organisation_id, changes);
    json_decref(changes);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc == PORTAL_OK)
        return 1;
    db_rollback(db);
    if (response)
        http_problem_for(response, ctx, rc);
    return 0;
}

/* ---- sign-in ---- */

/* Adds {"mfa":"enroll","totp":{secret, otpauth_uri, qr_svg}} to body. */
static portal_result add_enrolment(json_t *body, const char *username, const char *secret)
{
    char uri[TOTP_URI_SIZE];
    char *svg = NULL;
    portal_result rc = totp_otpauth_uri(TOTP_ISSUER, username, secret, uri, sizeof uri);
    if (rc == PORTAL_OK)
        rc = qr_svg(uri, &svg);
    if (rc != PORTAL_OK)
        return rc;
    json_object_set_new(body, "mfa", json_string("enroll"));
    json_object_set_new(
        body, "totp",
        json_pack("{s:s, s:s, s:s}", "secret", secret, "otpauth_uri", uri, "qr_svg", svg));
    free(svg);
    return PORTAL_OK;
}

/* Starts the second step: a challenge (with a new secret when enrolling)
 * and the answer carrying its mfa_token. */
static void answer_challenge(struct _u_response *response, http_ctx *ctx, db_conn *db,
                             const user_row *user, int enrol, const char *audit_action)
{
    char secret[TOTP_SECRET_B32_SIZE] = "", sealed[TOTP_STORED_SIZE] = "";
    char challenge[PORTAL_ID_LEN];
    char *mfa_token = NULL;
    json_t *body = NULL;
    portal_result rc = enrol ? totp_generate_secret(secret, sizeof secret) : PORTAL_OK;
    if (rc == PORTAL_OK && enrol)
        rc = totp_seal_secret(user->id, secret, sealed, sizeof sealed);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = challenges_create(db, user->id, enrol ? sealed : NULL, challenge);
    if (rc == PORTAL_OK)
        rc = http_audit(ctx, db, audit_action, "user", user->id, user->organisation_id, NULL);
    if (rc == PORTAL_OK)
        rc = tokens_mfa(user->id, challenge, &mfa_token);
    if (rc == PORTAL_OK) {
        body = json_pack("{s:s, s:s}", "mfa_token", mfa_token, "mfa", "totp");
        if (enrol)
            rc = add_enrolment(body, user->username, secret);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc == PORTAL_OK)
        http_send_json(response, 200, body);
    else {
        db_rollback(db);
        http_problem(response, ctx, 500, "internal_error");
    }
    json_decref(body);
    free(mfa_token);
}

static void login_failed(struct _u_response *response, http_ctx *ctx, db_conn *db,
                         const char *username, const user_row *user)
{
    throttle_record_failure(db, username, ctx->client_address);
    json_t *changes = json_pack("{s:s}", "username", username);
    http_audit(ctx, db, "login.failed", "user", user ? user->id : NULL,
               user ? user->organisation_id : NULL, changes);
    json_decref(changes);
    http_problem(response, ctx, 401, "invalid_credentials");
}

void auth_login(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *username = input_string(&in, body, "", "username", INPUT_REQUIRED, 128);
    const char *password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    if (auth_throttled(response, ctx, db, username, "login.throttled"))
        return;
    user_row user;
    portal_result found = users_find_by_username(db, username, &user);
    if (found == PORTAL_ERR_DATABASE) {
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    if (found != PORTAL_OK || strlen(password) > PASSWORD_MAX_BYTES) {
        /* the same time as a real check */
        if (password_verify_dummy(password) == PORTAL_ERR_BUSY)
            http_problem_for(response, ctx, PORTAL_ERR_BUSY);
        else
            login_failed(response, ctx, db, username, NULL);
        return;
    }
    portal_result verified = password_verify(user.password_hash, password);
    if (verified == PORTAL_ERR_BUSY) {
        http_problem_for(response, ctx, verified);
        return;
    }
    if (verified != PORTAL_OK || user.expired) {
        login_failed(response, ctx, db, username, &user);
        return;
    }
    if (strcmp(user.status, "locked") == 0) {
        http_audit(ctx, db, "login.locked", "user", user.id, user.organisation_id, NULL);
        http_problem(response, ctx, 403, "account_locked");
        return;
    }
    answer_challenge(response, ctx, db, &user, !user.mfa_enrolled, "login.password_accepted");
}

/* The JSON of a token set; cookie sessions get the refresh token as a
 * cookie instead. */
static json_t *token_body(struct _u_response *response, const http_ctx *ctx, const token_set *t,
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
    return b;
}

static void mfa_failed(struct _u_response *response, http_ctx *ctx, db_conn *db,
                       const char *challenge, const user_row *user)
{
    int attempts = 0;
    challenges_fail(db, challenge, &attempts);
    db_commit(db);
    throttle_record_failure(db, user->username, ctx->client_address);
    json_t *changes = json_pack("{s:i}", "attempts", attempts);
    http_audit(ctx, db, "mfa.failed", "user", user->id, user->organisation_id, changes);
    json_decref(changes);
    http_problem(response, ctx, 401, "mfa_invalid");
}

/* A recovery code replaces the authenticator: a new enrolment starts. */
static void mfa_recover(struct _u_response *response, http_ctx *ctx, db_conn *db,
                        const char *challenge, const user_row *user, const char *code)
{
    char hash[65];
    if (recovery_hash(code, hash) != PORTAL_OK ||
        recovery_codes_use(db, user->id, hash) != PORTAL_OK) {
        mfa_failed(response, ctx, db, challenge, user);
        return;
    }
    if (challenges_use(db, challenge) != PORTAL_OK ||
        http_audit(ctx, db, "mfa.recovery_code_used", "user", user->id, user->organisation_id,
                   NULL) != PORTAL_OK ||
        db_commit(db) != PORTAL_OK) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    answer_challenge(response, ctx, db, user, 1, "mfa.enrolment_started");
}

void auth_mfa(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *mfa_token = input_string(&in, body, "", "mfa_token", INPUT_REQUIRED, 4096);
    const char *code = input_string(&in, body, "", "code", INPUT_OPTIONAL, 16);
    const char *recovery = input_string(&in, body, "", "recovery_code", INPUT_OPTIONAL, 32);
    const char *session = input_string(&in, body, "", "session", INPUT_OPTIONAL, 16);
    if (!code && !recovery && !input_failed(&in))
        input_error(&in, "", "code", "required");
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    int cookie = session && strcmp(session, "cookie") == 0;
    authjwt_claims claims;
    if (authjwt_verify(mfa_token, AUTHJWT_TYP_MFA, time(NULL), &claims) != PORTAL_OK) {
        http_problem(response, ctx, 401, "token_invalid");
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    user_row user;
    if (users_get(db, claims.sub, &user) != PORTAL_OK || strcmp(user.status, "active") != 0 ||
        user.expired) {
        http_problem(response, ctx, 401, "token_invalid");
        return;
    }
    if (auth_throttled(response, ctx, db, user.username, NULL))
        return;
    challenge_row ch;
    if (db_begin(db) != PORTAL_OK || challenges_get(db, claims.jti, &ch) != PORTAL_OK ||
        !ch.usable || strcmp(ch.user_id, user.id) != 0) {
        db_rollback(db);
        http_problem(response, ctx, 401, "token_invalid");
        return;
    }
    if (recovery) {
        mfa_recover(response, ctx, db, claims.jti, &user, recovery);
        return;
    }
    int enrolling = ch.pending_secret[0] != '\0';
    const char *secret = enrolling ? ch.pending_secret : user.totp_secret;
    long long counter = 0;
    portal_result rc =
        totp_verify_stored(user.id, secret, code, time(NULL),
                           enrolling ? TOTP_NO_COUNTER : user.totp_last_counter, &counter);
    if (rc == PORTAL_OK && !enrolling)
        rc = users_accept_totp_counter(db, user.id, counter);
    if (rc == PORTAL_ERR_CRYPTO || rc == PORTAL_ERR_DATABASE) {
        /* The server's fault (a secret it cannot open, a lost database):
         * not a wrong code, so nothing counts against the user. */
        db_rollback(db);
        http_problem_for(response, ctx, rc);
        return;
    }
    if (rc != PORTAL_OK) {
        mfa_failed(response, ctx, db, claims.jti, &user);
        return;
    }
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    if (enrolling) {
        char hashes[RECOVERY_CODE_COUNT][65];
        char stored[TOTP_STORED_SIZE];
        mail_text mail;
        rc = totp_reseal_secret(user.id, secret, stored, sizeof stored);
        if (rc == PORTAL_OK)
            rc = users_set_totp(db, user.id, stored, counter);
        if (rc == PORTAL_OK)
            rc = recovery_generate(codes);
        for (int i = 0; rc == PORTAL_OK && i < RECOVERY_CODE_COUNT; i++)
            rc = recovery_hash(codes[i], hashes[i]);
        if (rc == PORTAL_OK)
            rc = recovery_codes_replace(db, user.id, hashes, RECOVERY_CODE_COUNT);
        if (rc == PORTAL_OK)
            rc = mail_security_notice(user.language, user.first_name, SECURITY_MFA_ENROLLED, &mail);
        if (rc == PORTAL_OK)
            rc = outbox_mail(db, user.email, &mail);
        if (rc == PORTAL_OK)
            rc = http_audit(ctx, db, "mfa.enrolled", "user", user.id, user.organisation_id, NULL);
    }
    token_set tokens;
    char session_id[64];
    memset(&tokens, 0, sizeof tokens);
    if (rc == PORTAL_OK)
        rc = challenges_use(db, claims.jti);
    if (rc == PORTAL_OK)
        rc = tokens_open_session(db, user.id, user.organisation_id, ctx->client_address, cookie,
                                 &tokens, session_id);
    json_t *session_info = json_pack("{s:s}", "session_id", session_id);
    if (!auth_audit_commit(response, ctx, db, rc, "login.succeeded", &user, session_info)) {
        tokens_clear(&tokens);
        return;
    }
    throttle_clear_user(db, user.username);
    json_t *answer = token_body(response, ctx, &tokens, cookie);
    if (enrolling) {
        json_t *list = json_array();
        for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
            json_array_append_new(list, json_string(codes[i]));
        json_object_set_new(answer, "recovery_codes", list);
    }
    http_send_json(response, 200, answer);
    json_decref(answer);
    tokens_clear(&tokens);
}

/* Reads the refresh token from the JSON body, or from the cookie with the
 * CSRF header (*cookie set). NULL when neither is present. */
static const char *refresh_source(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx, int *cookie, int *answered)
{
    *cookie = 0;
    *answered = 0;
    if (request->binary_body_length > 0) {
        json_t *body = http_json_body(ctx, request, response);
        if (!body) {
            *answered = 1;
            return NULL;
        }
        input in;
        input_init(&in, ctx->lang);
        const char *t = input_string(&in, body, "", "refresh_token", INPUT_OPTIONAL, 128);
        if (input_failed(&in)) {
            input_send(&in, response, ctx);
            *answered = 1;
            return NULL;
        }
        if (t)
            return t;
    }
    const char *c = u_map_get(request->map_cookie, SESSION_REFRESH_COOKIE);
    if (c && *c) {
        *cookie = 1;
        return c;
    }
    return NULL;
}

static int csrf_ok(const struct _u_request *request, const char *stored_hash)
{
    const char *sent = http_header(request, "X-CSRF-Token");
    if (!sent || !*sent || !stored_hash[0] || strlen(sent) > 128)
        return 0;
    char hash[65];
    tokens_hash(sent, hash);
    return strlen(stored_hash) == 64 && crypto_equal(hash, stored_hash, 64);
}

void auth_refresh(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    int cookie, answered;
    const char *token = refresh_source(request, response, ctx, &cookie, &answered);
    if (answered)
        return;
    if (!token) {
        http_problem(response, ctx, 401, "token_invalid");
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char hash[65], session_id[PORTAL_ID_LEN], user_id[PORTAL_ID_LEN], csrf_hash[72];
    tokens_hash(token, hash);
    if (db_begin(db) != PORTAL_OK) {
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    portal_result rc = sessions_use_refresh(db, hash, session_id, user_id, csrf_hash);
    if (rc == PORTAL_ERR_CONFLICT) {
        http_audit(ctx, db, "session.refresh_token_reused", "session", session_id, NULL, NULL);
        db_commit(db);
        if (cookie)
            session_cookies_clear(response);
        http_problem(response, ctx, 401, "token_invalid");
        return;
    }
    if (rc != PORTAL_OK) {
        db_rollback(db);
        http_problem(response, ctx, rc == PORTAL_ERR_DATABASE ? 503 : 401,
                     rc == PORTAL_ERR_DATABASE ? "service_unavailable" : "token_invalid");
        return;
    }
    if (cookie && !csrf_ok(request, csrf_hash)) {
        db_rollback(db);
        http_problem(response, ctx, 403, "forbidden");
        return;
    }
    portal_caller caller;
    memset(&caller, 0, sizeof caller);
    token_set tokens;
    memset(&tokens, 0, sizeof tokens);
    rc = sessions_load_caller(db, session_id, user_id, &caller);
    if (rc == PORTAL_OK)
        rc = tokens_for_session(db, user_id, caller.organisation_id, session_id, cookie, &tokens);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        tokens_clear(&tokens);
        http_problem(response, ctx, rc == PORTAL_ERR_DENIED ? 401 : 500,
                     rc == PORTAL_ERR_DENIED ? "token_invalid" : "internal_error");
        return;
    }
    json_t *answer = token_body(response, ctx, &tokens, cookie);
    http_send_json(response, 200, answer);
    json_decref(answer);
    tokens_clear(&tokens);
}

void auth_logout(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    char session_id[AUTHJWT_ID_SIZE] = "";
    db_conn *db = NULL;
    const char *bearer = auth_bearer(http_header(request, "Authorization"));
    authjwt_claims claims;
    if (bearer && authjwt_verify(bearer, AUTHJWT_TYP_ACCESS, time(NULL), &claims) == PORTAL_OK) {
        snprintf(session_id, sizeof session_id, "%s", claims.sid);
    } else {
        int cookie, answered;
        const char *token = refresh_source(request, response, ctx, &cookie, &answered);
        if (answered)
            return;
        if (token) {
            db = http_require_db(ctx, response);
            if (!db)
                return;
            char hash[65], user_id[PORTAL_ID_LEN], csrf_hash[72];
            tokens_hash(token, hash);
            db_begin(db);
            portal_result rc = sessions_use_refresh(db, hash, session_id, user_id, csrf_hash);
            if (rc == PORTAL_OK && cookie && !csrf_ok(request, csrf_hash)) {
                db_rollback(db);
                http_problem(response, ctx, 403, "forbidden");
                return;
            }
            if (rc == PORTAL_ERR_CONFLICT || rc == PORTAL_OK)
                db_commit(db);
            else
                db_rollback(db);
            if (rc != PORTAL_OK)
                session_id[0] = '\0';
        }
    }
    if (!session_id[0]) {
        http_problem(response, ctx, 401, "token_invalid");
        return;
    }
    if (!db)
        db = http_require_db(ctx, response);
    if (!db)
        return;
    if (sessions_end(db, session_id, "logout") != PORTAL_OK) {
        http_problem(response, ctx, 503, "service_unavailable");
        return;
    }
    http_audit(ctx, db, "session.logout", "session", session_id, NULL, NULL);
    session_cookies_clear(response);
    http_send_empty(response, 204);
}
