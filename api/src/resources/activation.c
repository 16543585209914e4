/* resources/activation.c: see activation.h. */
#include "resources/activation.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/password.h"
#include "auth/tokens.h"
#include "auth/vcode.h"
#include "formats/mail_templates.h"
#include "http/audit.h"
#include "http/input.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/auth.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/users.h"

int activation_username_ok(const char *username)
{
    size_t n = strlen(username);
    if (n < 3 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)username[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != '-' && c != '@')
            return 0;
    }
    return 1;
}

/* Begins a transaction and finds the invitation `token` and its user;
 * returns 0 after rolling back and answering 422 token_invalid. */
static int invitation_open(struct _u_response *response, http_ctx *ctx, db_conn *db,
                           const char *token, user_row *user, char invitation_id[PORTAL_ID_LEN])
{
    char hash[65], user_id[PORTAL_ID_LEN];
    tokens_hash(token, hash);
    if (db_begin(db) == PORTAL_OK &&
        invitations_find(db, hash, user_id, invitation_id) == PORTAL_OK &&
        users_get(db, user_id, user) == PORTAL_OK)
        return 1;
    db_rollback(db);
    problem p;
    problem_init(&p, 422, "token_invalid");
    problem_add(&p, ctx->lang, "/token", "invalid_value", NULL);
    problem_send(response, ctx, &p);
    return 0;
}

void activation_send_code(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128);
    const char *email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320);
    const char *channel = input_string(&in, body, "", "channel", INPUT_OPTIONAL, 8);
    if (channel && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)
        input_error(&in, "", "channel", "invalid_value");
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    int sms = channel && strcmp(channel, "sms") == 0;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char invitation_id[PORTAL_ID_LEN];
    user_row user;
    if (!invitation_open(response, ctx, db, token, &user, invitation_id))
        return;
    if (strcasecmp(user.email, email) != 0) {
        db_rollback(db);
        http_field_problem(response, ctx, 422, "validation_failed", "/email", "invalid_value",
                           strcmp(ctx->lang, "en") == 0
                               ? "This e-mail address does not belong to this invitation."
                               : "Dit e-mailadres hoort niet bij deze uitnodiging.");
        return;
    }
    if (sms && !user.mobile[0]) {
        db_rollback(db);
        http_field_problem(response, ctx, 422, "validation_failed", "/channel", "invalid_value",
                           strcmp(ctx->lang, "en") == 0
                               ? "No mobile number is known for this account."
                               : "Voor dit account is geen mobiel nummer bekend.");
        return;
    }
    long wait = 0;
    portal_result rc =
        auth_message_gate(ctx, db, THROTTLE_MSG_ACTIVATION_CODE, user.id, &user, &wait);
    if (rc == PORTAL_ERR_DENIED) { /* keep the count and its audit row; the last code stays valid */
        db_commit(db);
        http_too_many(response, ctx, wait);
        return;
    }
    char code[7], code_hash[65];
    if (rc == PORTAL_OK)
        rc = vcode_generate(code);
    if (rc == PORTAL_OK)
        rc = vcode_hash(user.id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = codes_create(db, user.id, "activation", invitation_id, code_hash, NULL);
    if (rc == PORTAL_OK && sms) {
        char text[200];
        rc = sms_activation_code(user.language, code, text, sizeof text);
        if (rc == PORTAL_OK)
            rc = outbox_sms(db, user.mobile, text);
    } else if (rc == PORTAL_OK) {
        mail_text mail;
        rc = mail_activation_code(user.language, user.first_name, code, &mail);
        if (rc == PORTAL_OK)
            rc = outbox_mail(db, user.email, &mail);
    }
    json_t *changes = json_pack("{s:s}", "channel", sms ? "sms" : "email");
    if (!auth_audit_commit(response, ctx, db, rc, "activation.code_sent", &user, changes))
        return;
    json_t *answer = json_pack("{s:s}", "channel", sms ? "sms" : "email");
    http_send_json(response, 202, answer);
    json_decref(answer);
}

void activation_complete(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *token = input_string(&in, body, "", "token", INPUT_REQUIRED, 128);
    const char *code = input_string(&in, body, "", "code", INPUT_REQUIRED, 16);
    const char *username = input_string(&in, body, "", "username", INPUT_REQUIRED, 64);
    const char *password = input_string(&in, body, "", "password", INPUT_REQUIRED, 0);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    char invitation_id[PORTAL_ID_LEN];
    user_row user;
    if (!invitation_open(response, ctx, db, token, &user, invitation_id))
        return;
    char code_hash[65], code_id[PORTAL_ID_LEN];
    portal_result rc = vcode_hash(user.id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = codes_check(db, user.id, "activation", code_hash, code_id, NULL);
    else
        rc = PORTAL_ERR_DENIED;
    if (rc != PORTAL_OK) {
        if (rc == PORTAL_ERR_DENIED)
            db_commit(db); /* keep the count of wrong tries */
        else
            db_rollback(db);
        http_field_problem(response, ctx, 422, "code_invalid", "/code", "invalid_value",
                           problem_message(ctx->lang, "code_invalid"));
        return;
    }
    /* The code was right: a refused username or password leaves it usable. */
    if (!activation_username_ok(username)) {
        db_rollback(db);
        http_field_problem(response, ctx, 422, "validation_failed", "/username", "invalid_format",
                           strcmp(ctx->lang, "en") == 0
                               ? "Use 3 to 64 letters, digits or . _ - @"
                               : "Gebruik 3 tot 64 letters, cijfers of . _ - @");
        return;
    }
    password_rejection why;
    if (password_check_policy(password, username, user.email, &why) != PORTAL_OK) {
        db_rollback(db);
        http_field_problem(response, ctx, 422, "password_rejected", "/password", why.code,
                           password_rejection_message(&why, ctx->lang));
        return;
    }
    char encoded[PASSWORD_ENCODED_SIZE];
    rc = password_hash(password, encoded, sizeof encoded);
    if (rc == PORTAL_OK)
        rc = users_activate(db, user.id, username, encoded);
    if (rc == PORTAL_ERR_CONFLICT) {
        db_rollback(db);
        http_field_problem(response, ctx, 409, "username_taken", "/username", "username_taken",
                           NULL);
        return;
    }
    mail_text mail;
    char login_url[600];
    snprintf(login_url, sizeof login_url, "%s/login", ctx->config->public_url);
    if (rc == PORTAL_OK)
        rc = invitations_use(db, invitation_id);
    if (rc == PORTAL_OK)
        rc = codes_use(db, code_id);
    if (rc == PORTAL_OK)
        rc = mail_account_activated(user.language, user.first_name, username, login_url, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user.email, &mail);
    if (!auth_audit_commit(response, ctx, db, rc, "account.activated", &user, NULL))
        return;
    json_t *answer =
        json_pack("{s:s, s:s, s:s}", "id", user.id, "username", username, "status", "active");
    http_send_json(response, 201, answer);
    json_decref(answer);
}
