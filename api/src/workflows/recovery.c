/* workflows/recovery.c: see recovery.h. */
#include "workflows/recovery.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/password.h"
#include "auth/tokens.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "formats/mail_templates.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/users.h"
#include "workflows/signin_guard.h"

#define NIL_UUID "00000000-0000-0000-0000-000000000000"

/* 1 when the request names an active account: username and its e-mail. */
static int reset_matches(portal_result found, const user_row *user, const char *email)
{
    return found == PORTAL_OK && strcasecmp(user->email, email) == 0 &&
           strcmp(user->status, "active") == 0 && !user->expired;
}

/* The shared work of a reset request in the open transaction: a token, the
 * reset row (none for the nil id), the mail queued; on a miss the queued
 * mail is undone again. */
static portal_result reset_work(db_conn *db, const password_reset_input *in, const user_row *user,
                                int send)
{
    char token[TOKENS_OPAQUE_SIZE], hash[65], link[800];
    mail_text mail;
    portal_result rc = crypto_random_token("pr_", 32, token, sizeof token);
    if (rc == PORTAL_OK) {
        tokens_hash(token, hash);
        snprintf(link, sizeof link, "%s/reset-password?token=%s", in->public_url, token);
        rc = resets_create(db, send ? user->id : NIL_UUID, hash);
    }
    if (rc == PORTAL_OK)
        rc = mail_password_reset(send ? user->language : "nl",
                                 send ? user->first_name : in->username, link, &mail);
    if (rc == PORTAL_OK)
        rc = db_exec_script(db, "SAVEPOINT reset_mail");
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, send ? user->email : in->email, &mail);
    if (rc == PORTAL_OK && !send)
        rc = db_exec_script(db, "ROLLBACK TO SAVEPOINT reset_mail");
    return rc;
}

portal_result password_reset_request(const portal_actor *actor, db_conn *db,
                                     const password_reset_input *in, portal_outcome *o)
{
    portal_result rc = signin_message_request_gate(actor, db, o);
    if (rc != PORTAL_OK)
        return rc;
    user_row user;
    portal_result found = users_find_by_username(db, in->username, &user);
    if (found == PORTAL_ERR_DATABASE)
        return outcome_fail(o, found, NULL);
    int send = reset_matches(found, &user, in->email);
    portal_outcome gate;
    outcome_init(&gate);
    rc = db_begin(db);
    if (rc == PORTAL_OK) {
        /* Past the account's limit the answer stays the same: nothing is sent. */
        rc = signin_message_gate(actor, db, THROTTLE_MSG_PASSWORD_RESET,
                                 send ? user.id : in->username, send ? &user : NULL, &gate);
        if (rc == PORTAL_ERR_THROTTLED) {
            send = 0;
            rc = PORTAL_OK;
        }
    }
    if (rc == PORTAL_OK)
        rc = reset_work(db, in, &user, send);
    json_t *changes = NULL;
    if (!send) {
        changes = json_object();
        signin_audit_username(changes, in->username, NULL);
    }
    rc = workflow_finish(
        actor, db, rc, send ? "password.reset_requested" : "password.reset_not_sent",
        send ? "user" : NULL, send ? user.id : NULL, send ? user.organisation_id : NULL, changes);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result password_reset_confirm(const portal_actor *actor, db_conn *db, const char *token,
                                     const char *password, portal_outcome *o)
{
    char hash[65], user_id[PORTAL_ID_LEN];
    tokens_hash(token, hash);
    user_row user;
    if (db_begin(db) != PORTAL_OK || resets_consume(db, hash, user_id) != PORTAL_OK ||
        users_get(db, user_id, &user) != PORTAL_OK) {
        db_rollback(db);
        outcome_add_error(o, "/token", "invalid_value", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, "token_invalid");
    }
    password_rejection why;
    if (password_check_policy(password, user.username, user.email, &why) != PORTAL_OK) {
        db_rollback(db); /* the link stays usable for a better password */
        outcome_add_error(o, "/password", why.code,
                          password_rejection_message(&why, workflow_lang(actor)));
        return outcome_fail(o, PORTAL_ERR_INVALID, "password_rejected");
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
    rc = workflow_finish(actor, db, rc, "password.reset", "user", user.id, user.organisation_id,
                         NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result username_remind(const portal_actor *actor, db_conn *db, const char *email,
                              const char *public_url, portal_outcome *o)
{
    portal_result rc = signin_message_request_gate(actor, db, o);
    if (rc != PORTAL_OK)
        return rc;
    char names[20][72], language[4] = "nl";
    int count = 0;
    portal_outcome gate;
    outcome_init(&gate);
    /* Counted per account found (the first by name), not per spelling of
     * the address: PostgreSQL matches case variants that C would not fold. */
    if (users_usernames_by_email(db, email, names, 20, &count, language) != PORTAL_OK ||
        count == 0 ||
        signin_message_gate(actor, db, THROTTLE_MSG_USERNAME_REMINDER, names[0], NULL, &gate) !=
            PORTAL_OK)
        return PORTAL_OK;
    buf list;
    buf_init(&list, 2048);
    for (int i = 0; i < count; i++)
        buf_printf(&list, "    %s\n", names[i]);
    mail_text mail;
    char login_url[600];
    snprintf(login_url, sizeof login_url, "%s/login", public_url);
    if (mail_username_reminder(language, list.data ? list.data : "", login_url, &mail) ==
            PORTAL_OK &&
        outbox_mail(db, email, &mail) != PORTAL_OK)
        (void)outcome_fail(&gate, PORTAL_ERR_DATABASE, NULL); /* the answer stays the same */
    buf_free(&list);
    return PORTAL_OK;
}
