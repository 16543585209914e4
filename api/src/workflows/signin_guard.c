/* workflows/signin_guard.c: see signin_guard.h. */
#include "workflows/signin_guard.h"

#include <stdio.h>
#include <string.h>

#include "auth/tokens.h"
#include "base/crypto.h"
#include "base/log.h"
#include "domain/throttle_rules.h"
#include "formats/mail_templates.h"
#include "store/outbox.h"

static const char *client_of(const portal_actor *actor)
{
    return actor && actor->client_address ? actor->client_address : "";
}

static const char *request_of(const portal_actor *actor)
{
    return actor && actor->request_id ? actor->request_id : "";
}

void signin_audit_username(json_t *changes, const char *typed, const user_row *user)
{
    if (user) {
        json_object_set_new(changes, "username", json_string(typed));
        return;
    }
    char hex[CRYPTO_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(typed, hex);
    json_object_set_new(changes, "username_sha256", json_string(hex));
}

portal_result signin_attempt_begin(const portal_actor *actor, db_conn *db, const char *username,
                                   const user_row *user, const char *audit_action,
                                   signin_attempt *a, portal_outcome *o)
{
    memset(a, 0, sizeof *a);
    snprintf(a->username, sizeof a->username, "%s", username);
    if (user && throttle_client_known(db, user->id, client_of(actor), &a->known) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    long wait = 0;
    portal_result rc =
        throttle_reserve(db, a->username, client_of(actor), a->known, &a->failures, &wait);
    if (rc == PORTAL_OK) {
        a->reserved = 1;
        return PORTAL_OK;
    }
    if (rc != PORTAL_ERR_DENIED)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    if (audit_action) {
        json_t *changes = json_pack("{s:I}", "retry_after", (json_int_t)wait);
        signin_audit_username(changes, username, user);
        if (workflow_audit(db, actor, NULL, audit_action, "user", user ? user->id : NULL,
                           user ? user->organisation_id : NULL, changes) != PORTAL_OK)
            log_warning("event=audit_failed action=%s request_id=%s", audit_action,
                        request_of(actor));
        json_decref(changes);
    }
    o->retry_after = (int)wait;
    return outcome_fail(o, PORTAL_ERR_THROTTLED, NULL);
}

void signin_attempt_release(const portal_actor *actor, db_conn *db, signin_attempt *a)
{
    if (!a->reserved)
        return;
    a->reserved = 0;
    if (throttle_release(db, a->username, client_of(actor), a->known) != PORTAL_OK)
        log_warning("event=throttle_release_failed request_id=%s", request_of(actor));
}

/* Mails user a link that lifts the sign-in wait, in its own transaction. */
static portal_result mail_unlock_link(const portal_actor *actor, db_conn *db, const user_row *user,
                                      const char *public_url)
{
    portal_outcome o;
    outcome_init(&o);
    char token[TOKENS_OPAQUE_SIZE], hash[65], link[800];
    mail_text mail;
    portal_result rc = crypto_random_token("ul_", 32, token, sizeof token);
    if (rc == PORTAL_OK) {
        tokens_hash(token, hash);
        snprintf(link, sizeof link, "%s/unlock?token=%s", public_url ? public_url : "", token);
        rc = db_begin(db);
    }
    if (rc != PORTAL_OK)
        return rc;
    rc = signin_message_gate(actor, db, THROTTLE_MSG_UNLOCK_LINK, user->id, user, &o);
    if (rc == PORTAL_ERR_THROTTLED) /* keep the count and its audit row; send nothing */
        return db_commit(db);
    if (rc == PORTAL_OK)
        rc = throttle_unlock_create(db, user->id, hash);
    if (rc == PORTAL_OK)
        rc = mail_account_unlock(user->language, user->first_name, link, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user->email, &mail);
    return workflow_finish(actor, db, rc, "login.unlock_link_sent", "user", user->id,
                           user->organisation_id, NULL);
}

void signin_attempt_failed(const portal_actor *actor, db_conn *db, signin_attempt *a,
                           const user_row *user, const char *public_url)
{
    if (!a->reserved)
        return;
    a->reserved = 0;
    if (a->failures != THROTTLE_FREE_FAILURES || !user || strcmp(user->status, "active") != 0 ||
        user->expired)
        return;
    portal_result rc = mail_unlock_link(actor, db, user, public_url);
    if (rc != PORTAL_OK)
        log_warning("event=unlock_link_failed result=%s request_id=%s", portal_result_name(rc),
                    request_of(actor));
}

portal_result signin_unlock(const portal_actor *actor, db_conn *db, const char *token,
                            portal_outcome *o)
{
    char hash[65], user_id[PORTAL_ID_LEN];
    user_row user;
    tokens_hash(token, hash);
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = throttle_unlock_consume(db, hash, user_id);
    if (rc == PORTAL_OK)
        rc = users_get(db, user_id, &user);
    if (rc == PORTAL_ERR_EXPIRED || rc == PORTAL_ERR_NOT_FOUND) {
        db_rollback(db);
        outcome_add_error(o, "/token", "invalid_value", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, "token_invalid");
    }
    if (rc == PORTAL_OK && user.username[0])
        rc = throttle_clear_user(db, user.username, NULL);
    if (rc == PORTAL_OK)
        rc = throttle_remember_client(db, user.id, client_of(actor));
    rc = workflow_finish(actor, db, rc, "login.unlocked", "user", user_id,
                         rc == PORTAL_OK ? user.organisation_id : NULL, NULL);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result signin_message_request_gate(const portal_actor *actor, db_conn *db, portal_outcome *o)
{
    long wait = 0;
    portal_result rc = throttle_count_message_request(db, client_of(actor), &wait);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc != PORTAL_ERR_DENIED)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    log_warning("event=message_requests_limited scope=address request_id=%s", request_of(actor));
    o->retry_after = (int)wait;
    return outcome_fail(o, PORTAL_ERR_THROTTLED, NULL);
}

portal_result signin_message_gate(const portal_actor *actor, db_conn *db, throttle_message kind,
                                  const char *target, const user_row *user, portal_outcome *o)
{
    long wait = 0;
    portal_result rc = throttle_count_message(db, kind, target, &wait);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc != PORTAL_ERR_DENIED)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    const char *name = throttle_message_name(kind);
    log_warning("event=message_limited kind=%s scope=target request_id=%s", name,
                request_of(actor));
    json_t *changes = json_pack("{s:s, s:I}", "kind", name, "retry_after", (json_int_t)wait);
    portal_result audited =
        workflow_audit(db, actor, NULL, "message.limited", user ? "user" : NULL,
                       user ? user->id : NULL, user ? user->organisation_id : NULL, changes);
    json_decref(changes);
    if (audited != PORTAL_OK)
        return outcome_fail(o, audited, NULL);
    o->retry_after = (int)wait;
    return outcome_fail(o, PORTAL_ERR_THROTTLED, NULL);
}
