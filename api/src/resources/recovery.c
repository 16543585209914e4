/* resources/recovery.c: see recovery.h. */
#include "resources/recovery.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/password.h"
#include "auth/tokens.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "formats/mail_templates.h"
#include "http/audit.h"
#include "http/input.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "resources/auth.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/users.h"

static void accepted(struct _u_response *response)
{
    static const char body[] = "{\"status\":\"accepted\"}";
    http_send_json_text(response, 202, body, sizeof body - 1);
}

void recovery_request_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return;
    input in;
    input_init(&in, ctx->lang);
    const char *username = input_string(&in, body, "", "username", INPUT_REQUIRED, 128);
    const char *email = input_string(&in, body, "", "email", INPUT_REQUIRED, 320);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    if (!db || auth_message_request_throttled(response, ctx, db))
        return;
    user_row user;
    long wait;
    /* Past the account's limit the answer stays the same: nothing is sent. */
    if (users_find_by_username(db, username, &user) != PORTAL_OK ||
        strcasecmp(user.email, email) != 0 || strcmp(user.status, "active") != 0 || user.expired ||
        auth_message_gate(ctx, db, THROTTLE_MSG_PASSWORD_RESET, user.id, &user, &wait) !=
            PORTAL_OK) {
        accepted(response);
        return;
    }
    char token[TOKENS_OPAQUE_SIZE], hash[65], link[800];
    mail_text mail;
    portal_result rc = crypto_random_token("pr_", 32, token, sizeof token);
    if (rc == PORTAL_OK) {
        tokens_hash(token, hash);
        snprintf(link, sizeof link, "%s/reset-password?token=%s", ctx->config->public_url, token);
        rc = db_begin(db);
    }
    if (rc == PORTAL_OK)
        rc = resets_create(db, user.id, hash);
    if (rc == PORTAL_OK)
        rc = mail_password_reset(user.language, user.first_name, link, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user.email, &mail);
    auth_audit_commit(NULL, ctx, db, rc, "password.reset_requested", &user, NULL);
    accepted(response);
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
    char hash[65], user_id[PORTAL_ID_LEN];
    tokens_hash(token, hash);
    user_row user;
    if (db_begin(db) != PORTAL_OK || resets_consume(db, hash, user_id) != PORTAL_OK ||
        users_get(db, user_id, &user) != PORTAL_OK) {
        db_rollback(db);
        http_field_problem(response, ctx, 422, "token_invalid", "/token", "invalid_value", NULL);
        return;
    }
    password_rejection why;
    if (password_check_policy(password, user.username, user.email, &why) != PORTAL_OK) {
        db_rollback(db); /* the link stays usable for a better password */
        http_field_problem(response, ctx, 422, "password_rejected", "/password", why.code,
                           password_rejection_message(&why, ctx->lang));
        return;
    }
    char encoded[PASSWORD_ENCODED_SIZE];
    mail_text mail;
    portal_result rc = password_hash(password, encoded, sizeof encoded);
    if (rc == PORTAL_OK)
        rc = users_set_password(db, user.id, encoded);
    if (rc == PORTAL_OK)
        rc = sessions_end_all(db, user.id, NULL, "password_reset");
    if (rc == PORTAL_OK)
        rc = mail_security_notice(user.language, user.first_name, SECURITY_PASSWORD_RESET, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user.email, &mail);
    if (!auth_audit_commit(response, ctx, db, rc, "password.reset", &user, NULL))
        return;
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
    if (!db || auth_message_request_throttled(response, ctx, db))
        return;
    char names[20][72], language[4] = "nl";
    int count = 0;
    long wait;
    /* Counted per account found (the first by name), not per spelling of
     * the address: PostgreSQL matches case variants that C would not fold. */
    if (users_usernames_by_email(db, email, names, 20, &count, language) == PORTAL_OK &&
        count > 0 &&
        auth_message_gate(ctx, db, THROTTLE_MSG_USERNAME_REMINDER, names[0], NULL, &wait) ==
            PORTAL_OK) {
        buf list;
        buf_init(&list, 2048);
        for (int i = 0; i < count; i++)
            buf_printf(&list, "    %s\n", names[i]);
        mail_text mail;
        char login_url[600];
        snprintf(login_url, sizeof login_url, "%s/login", ctx->config->public_url);
        if (mail_username_reminder(language, list.data ? list.data : "", login_url, &mail) ==
            PORTAL_OK)
            outbox_mail(db, email, &mail);
        buf_free(&list);
    }
    accepted(response);
}
