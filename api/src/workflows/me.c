/* workflows/me.c: see me.h. */
#include "workflows/me.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/totp.h"
#include "auth/vcode.h"
#include "formats/mail_templates.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/users.h"
#include "workflows/signin_guard.h"

/* Loads the actor's own row. */
static portal_result me_load(const portal_actor *actor, db_conn *db, user_row *user,
                             portal_outcome *o)
{
    if (!actor || !actor->caller || !actor->caller->user_id[0])
        return outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, NULL);
    portal_result rc = users_get(db, actor->caller->user_id, user);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    return outcome_fail(o, rc == PORTAL_ERR_DATABASE ? rc : PORTAL_ERR_UNAUTHENTICATED, NULL);
}

static int one_of(const char *v, const char *a, const char *b)
{
    return strcmp(v, a) == 0 || strcmp(v, b) == 0;
}

/* Every field error of a profile change at once. */
static portal_result profile_rules(const me_profile_input *in, portal_outcome *o)
{
    if (in->first_name && !in->first_name[0])
        outcome_add_error(o, "/first_name", "required", NULL);
    if (in->last_name && !in->last_name[0])
        outcome_add_error(o, "/last_name", "required", NULL);
    if (in->language && !one_of(in->language, "nl", "en"))
        outcome_add_error(o, "/language", "invalid_value", NULL);
    if (in->theme && !one_of(in->theme, "light", "dark"))
        outcome_add_error(o, "/theme", "invalid_value", NULL);
    const char *e = in->email;
    if (e && (!strchr(e, '@') || strchr(e, ' ') || strchr(e, '\n')))
        outcome_add_error(o, "/email", "invalid_email", NULL);
    return o->n_errors ? outcome_fail(o, PORTAL_ERR_INVALID, NULL) : PORTAL_OK;
}

/* The audit changes of a profile change (the caller owns them). */
static json_t *profile_changes(const me_profile_input *in, const user_row *user)
{
    json_t *changes = json_object();
    if (in->first_name)
        json_object_set_new(
            changes, "first_name",
            json_pack("{s:s, s:s}", "from", user->first_name, "to", in->first_name));
    if (in->last_name)
        json_object_set_new(changes, "last_name",
                            json_pack("{s:s, s:s}", "from", user->last_name, "to", in->last_name));
    if (in->language)
        json_object_set_new(changes, "language", json_string(in->language));
    if (in->theme)
        json_object_set_new(changes, "theme", json_string(in->theme));
    return changes;
}

/* Makes an e-mail change code for the new address and mails it there. */
static portal_result queue_email_code(db_conn *db, const user_row *user, const char *email)
{
    char code[7], code_hash[65];
    mail_text mail;
    portal_result rc = vcode_generate(code);
    if (rc == PORTAL_OK)
        rc = vcode_hash(user->id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = codes_create(db, user->id, "email_change", NULL, code_hash, email);
    if (rc == PORTAL_OK)
        rc = users_set_pending_email(db, user->id, email);
    if (rc == PORTAL_OK)
        rc = mail_email_change_code(user->language, user->first_name, code, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, email, &mail);
    return rc;
}

portal_result me_profile_change(const portal_actor *actor, db_conn *db, const me_profile_input *in,
                                int *email_pending, portal_outcome *o)
{
    *email_pending = 0;
    user_row user;
    portal_result rc = profile_rules(in, o);
    if (rc == PORTAL_OK)
        rc = me_load(actor, db, &user, o);
    if (rc != PORTAL_OK)
        return rc;
    int email_changes = in->email && strcmp(in->email, user.email) != 0;
    if (email_changes) { /* past the limit nothing changes, the profile fields neither */
        rc = signin_message_gate(actor, db, THROTTLE_MSG_EMAIL_CHANGE_CODE, user.id, &user, o);
        if (rc != PORTAL_OK)
            return rc;
    }
    rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = users_update_profile(db, user.id, in->first_name, in->last_name, in->language,
                                  in->theme);
    json_t *changes = profile_changes(in, &user);
    if (rc == PORTAL_OK && email_changes) {
        rc = queue_email_code(db, &user, in->email);
        json_object_set_new(changes, "email_pending", json_string(in->email));
    }
    rc = workflow_finish(actor, db, rc, "user.profile_changed", "user", user.id,
                         user.organisation_id, changes);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    *email_pending = email_changes;
    return PORTAL_OK;
}

portal_result me_email_confirm(const portal_actor *actor, db_conn *db, const char *code,
                               portal_outcome *o)
{
    user_row user;
    portal_result rc = me_load(actor, db, &user, o);
    if (rc != PORTAL_OK)
        return rc;
    char code_hash[65], code_id[PORTAL_ID_LEN], new_email[320];
    rc = vcode_hash(user.id, code, code_hash);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = codes_check(db, user.id, "email_change", code_hash, code_id, new_email);
    if (rc != PORTAL_OK) {
        if (rc != PORTAL_ERR_DENIED || db_commit(db) != PORTAL_OK) /* keep the count */
            db_rollback(db);
        outcome_add_error(o, "/code", "invalid_value", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, "code_invalid");
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
    rc = workflow_finish(actor, db, rc, "user.email_changed", "user", user.id, user.organisation_id,
                         changes);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Checks a secret of the user: PORTAL_OK when right, PORTAL_ERR_DENIED
 * when wrong, anything else when the server could not tell. */
typedef portal_result (*me_secret_check)(db_conn *db, const user_row *user, const char *secret);

/* The current password (BUSY: the hashing pool is full, the server's
 * fault; every other failure is a wrong password). */
static portal_result password_check(db_conn *db, const user_row *user, const char *secret)
{
    (void)db;
    portal_result rc = strlen(secret) > PASSWORD_MAX_BYTES
                           ? PORTAL_ERR_DENIED
                           : password_verify(user->password_hash, secret);
    return rc == PORTAL_OK || rc == PORTAL_ERR_BUSY ? rc : PORTAL_ERR_DENIED;
}

/* A TOTP code (and accepts its counter). A crypto or database failure is
 * the server's fault, not a wrong code (see signin_second_factor). */
static portal_result totp_check(db_conn *db, const user_row *user, const char *code)
{
    long long counter = 0;
    portal_result rc = user->mfa_enrolled
                           ? totp_verify_stored(user->id, user->totp_secret, code, time(NULL),
                                                user->totp_last_counter, &counter)
                           : PORTAL_ERR_DENIED;
    if (rc == PORTAL_OK)
        rc = users_accept_totp_counter(db, user->id, counter);
    return rc == PORTAL_OK || rc == PORTAL_ERR_CRYPTO || rc == PORTAL_ERR_DATABASE
               ? rc
               : PORTAL_ERR_DENIED;
}

/* Loads the caller's own account into *user and checks secret with check
 * as a sign-in would (throttled; a wrong secret counts as a failed
 * attempt). A wrong secret adds field's invalid_value and fails o with
 * PORTAL_ERR_INVALID and code; when the server could not tell, o fails
 * with check's result; a throttled or unknown caller fails as
 * signin_attempt_begin and me_load say. */
static portal_result me_reauthenticate(const portal_actor *actor, db_conn *db, user_row *user,
                                       me_secret_check check, const char *secret, const char *field,
                                       const char *code, portal_outcome *o)
{
    signin_attempt attempt;
    portal_result rc = me_load(actor, db, user, o);
    if (rc == PORTAL_OK)
        rc = signin_attempt_begin(actor, db, user->username, user, NULL, &attempt, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = check(db, user, secret);
    if (rc == PORTAL_ERR_DENIED) {
        signin_attempt_failed(actor, db, &attempt, user, NULL);
        outcome_add_error(o, field, "invalid_value", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, code);
    }
    signin_attempt_release(actor, db, &attempt);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Sets the new password and renews this session's tokens in the open
 * transaction; queues the notice. */
static portal_result password_store(const portal_actor *actor, db_conn *db, const user_row *user,
                                    const me_password_input *in, token_set *tokens)
{
    const char *session_id = actor->caller->session_id;
    char encoded[PASSWORD_ENCODED_SIZE];
    mail_text mail;
    portal_result rc = password_hash(in->new_password, encoded, sizeof encoded);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = users_set_password(db, user->id, encoded);
    if (rc == PORTAL_OK)
        rc = sessions_end_all(db, user->id, session_id, "password_changed");
    if (rc == PORTAL_OK) /* the old refresh token of this session dies too */
        rc = sessions_expire_refresh(db, session_id);
    if (rc == PORTAL_OK)
        rc =
            tokens_for_session(db, user->id, user->organisation_id, session_id, in->cookie, tokens);
    if (rc == PORTAL_OK)
        rc = mail_security_notice(user->language, user->first_name, SECURITY_PASSWORD_CHANGED,
                                  &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user->email, &mail);
    return rc;
}

portal_result me_password_change(const portal_actor *actor, db_conn *db,
                                 const me_password_input *in, token_set *tokens, portal_outcome *o)
{
    memset(tokens, 0, sizeof *tokens);
    user_row user;
    portal_result rc = me_reauthenticate(actor, db, &user, password_check, in->current_password,
                                         "/current_password", "invalid_credentials", o);
    if (rc != PORTAL_OK)
        return rc;
    password_rejection why;
    if (password_check_policy(in->new_password, user.username, user.email, &why) != PORTAL_OK) {
        outcome_add_error(o, "/new_password", why.code,
                          password_rejection_message(&why, workflow_lang(actor)));
        return outcome_fail(o, PORTAL_ERR_INVALID, "password_rejected");
    }
    rc = password_store(actor, db, &user, in, tokens);
    rc = workflow_finish(actor, db, rc, "password.changed", "user", user.id, user.organisation_id,
                         NULL);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    tokens_clear(tokens);
    return outcome_fail(o, rc, NULL);
}

portal_result me_recovery_codes_renew(const portal_actor *actor, db_conn *db, const char *code,
                                      char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE],
                                      portal_outcome *o)
{
    user_row user;
    portal_result rc =
        me_reauthenticate(actor, db, &user, totp_check, code, "/code", "mfa_invalid", o);
    if (rc != PORTAL_OK)
        return rc;
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
    rc = workflow_finish(actor, db, rc, "recovery_codes.regenerated", "user", user.id,
                         user.organisation_id, NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}
