/* workflows/activation.c: see activation.h. */
#include "workflows/activation.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/password.h"
#include "auth/tokens.h"
#include "auth/vcode.h"
#include "formats/mail_templates.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/users.h"
#include "workflows/signin_guard.h"

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

/* A text in the actor's language. */
static const char *say(const portal_actor *actor, const char *nl, const char *en)
{
    return strcmp(workflow_lang(actor), "en") == 0 ? en : nl;
}

/* Fails o with one field error and rolls back. */
static portal_result refuse(db_conn *db, portal_outcome *o, portal_result rc, const char *code,
                            const char *field, const char *field_code, const char *message)
{
    db_rollback(db);
    outcome_add_error(o, field, field_code, message);
    return outcome_fail(o, rc, code);
}

/* Begins a transaction and finds the invitation `token` and its user. */
static portal_result invitation_open(db_conn *db, const char *token, user_row *user,
                                     char invitation_id[PORTAL_ID_LEN], portal_outcome *o)
{
    char hash[65], user_id[PORTAL_ID_LEN];
    tokens_hash(token, hash);
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = invitations_find(db, hash, user_id, invitation_id);
    if (rc == PORTAL_OK)
        rc = users_get(db, user_id, user);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc == PORTAL_ERR_DATABASE) {
        db_rollback(db);
        return outcome_fail(o, rc, NULL);
    }
    return refuse(db, o, PORTAL_ERR_INVALID, "token_invalid", "/token", "invalid_value", NULL);
}

/* Makes a code, stores its hash and queues it by SMS or mail. */
static portal_result queue_code(db_conn *db, const user_row *user, const char *invitation_id,
                                int sms)
{
    char code[7], code_hash[65];
    portal_result rc = vcode_generate(code);
    if (rc == PORTAL_OK)
        rc = vcode_hash(user->id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = codes_create(db, user->id, "activation", invitation_id, code_hash, NULL);
    if (rc == PORTAL_OK && sms) {
        char text[200];
        rc = sms_activation_code(user->language, code, text, sizeof text);
        if (rc == PORTAL_OK)
            rc = outbox_sms(db, user->mobile, text);
    } else if (rc == PORTAL_OK) {
        mail_text mail;
        rc = mail_activation_code(user->language, user->first_name, code, &mail);
        if (rc == PORTAL_OK)
            rc = outbox_mail(db, user->email, &mail);
    }
    return rc;
}

portal_result activation_send_code(const portal_actor *actor, db_conn *db,
                                   const activation_code_input *in, portal_outcome *o)
{
    char invitation_id[PORTAL_ID_LEN];
    user_row user;
    portal_result rc = invitation_open(db, in->token, &user, invitation_id, o);
    if (rc != PORTAL_OK)
        return rc;
    if (strcasecmp(user.email, in->email) != 0)
        return refuse(db, o, PORTAL_ERR_INVALID, NULL, "/email", "invalid_value",
                      say(actor, "Dit e-mailadres hoort niet bij deze uitnodiging.",
                          "This e-mail address does not belong to this invitation."));
    if (in->sms && !user.mobile[0])
        return refuse(db, o, PORTAL_ERR_INVALID, NULL, "/channel", "invalid_value",
                      say(actor, "Voor dit account is geen mobiel nummer bekend.",
                          "No mobile number is known for this account."));
    rc = signin_message_gate(actor, db, THROTTLE_MSG_ACTIVATION_CODE, user.id, &user, o);
    if (rc ==
        PORTAL_ERR_THROTTLED) { /* keep the count and its audit row; the last code stays valid */
        if (db_commit(db) != PORTAL_OK)
            db_rollback(db);
        return rc;
    }
    if (rc == PORTAL_OK)
        rc = queue_code(db, &user, invitation_id, in->sms);
    rc = workflow_finish(actor, db, rc, "activation.code_sent", "user", user.id,
                         user.organisation_id,
                         json_pack("{s:s}", "channel", in->sms ? "sms" : "email"));
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* A taken username: the answer costs the code one try (its own transaction
 * after the activation's rollback). */
static portal_result username_taken(db_conn *db, const char *code_id, portal_outcome *o)
{
    db_rollback(db);
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = codes_count_try(db, code_id);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return outcome_fail(o, rc, NULL);
    }
    outcome_add_error(o, "/username", "username_taken", NULL);
    return outcome_fail(o, PORTAL_ERR_CONFLICT, "username_taken");
}

/* Checks the code; the open transaction stays open when it is right. */
static portal_result check_code(db_conn *db, const user_row *user, const char *code,
                                char code_id[PORTAL_ID_LEN], portal_outcome *o)
{
    char code_hash[65];
    portal_result rc = vcode_hash(user->id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = codes_check(db, user->id, "activation", code_hash, code_id, NULL);
    else
        rc = PORTAL_ERR_DENIED;
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc == PORTAL_ERR_DATABASE) {
        db_rollback(db);
        return outcome_fail(o, rc, NULL);
    }
    if (rc == PORTAL_ERR_DENIED && db_commit(db) != PORTAL_OK) /* keep the count of wrong tries */
        db_rollback(db);
    else if (rc != PORTAL_ERR_DENIED)
        db_rollback(db);
    outcome_add_error(o, "/code", "invalid_value", NULL);
    return outcome_fail(o, PORTAL_ERR_INVALID, "code_invalid");
}

portal_result activation_complete(const portal_actor *actor, db_conn *db,
                                  const activation_input *in, char user_id[PORTAL_ID_LEN],
                                  portal_outcome *o)
{
    char invitation_id[PORTAL_ID_LEN], code_id[PORTAL_ID_LEN];
    user_row user;
    portal_result rc = invitation_open(db, in->token, &user, invitation_id, o);
    if (rc == PORTAL_OK)
        rc = check_code(db, &user, in->code, code_id, o);
    if (rc != PORTAL_OK)
        return rc;
    /* The code was right: a refused username or password leaves it usable. */
    if (!activation_username_ok(in->username))
        return refuse(db, o, PORTAL_ERR_INVALID, NULL, "/username", "invalid_format",
                      say(actor, "Gebruik 3 tot 64 letters, cijfers of . _ - @",
                          "Use 3 to 64 letters, digits or . _ - @"));
    password_rejection why;
    if (password_check_policy(in->password, in->username, user.email, &why) != PORTAL_OK)
        return refuse(db, o, PORTAL_ERR_INVALID, "password_rejected", "/password", why.code,
                      password_rejection_message(&why, workflow_lang(actor)));
    char encoded[PASSWORD_ENCODED_SIZE];
    rc = password_hash(in->password, encoded, sizeof encoded);
    if (rc == PORTAL_OK)
        rc = users_activate(db, user.id, in->username, encoded);
    if (rc == PORTAL_ERR_CONFLICT)
        return username_taken(db, code_id, o);
    mail_text mail;
    char login_url[600];
    snprintf(login_url, sizeof login_url, "%s/login", in->public_url);
    if (rc == PORTAL_OK)
        rc = invitations_use(db, invitation_id);
    if (rc == PORTAL_OK)
        rc = codes_use(db, code_id);
    if (rc == PORTAL_OK)
        rc = mail_account_activated(user.language, user.first_name, in->username, login_url, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user.email, &mail);
    rc = workflow_finish(actor, db, rc, "account.activated", "user", user.id, user.organisation_id,
                         NULL);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    snprintf(user_id, PORTAL_ID_LEN, "%s", user.id);
    return PORTAL_OK;
}
