/* workflows/signin.c: see signin.h. */
#include "workflows/signin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/qr.h"
#include "auth/totp.h"
#include "base/crypto.h"
#include "base/log.h"
#include "formats/mail_templates.h"
#include "store/credentials.h"
#include "store/outbox.h"
#include "store/sessions.h"
#include "store/throttle.h"
#include "store/users.h"
#include "workflows/signin_guard.h"

#define TOTP_ISSUER "Werkgeversportaal"

static const char *client_of(const portal_actor *actor)
{
    return actor && actor->client_address ? actor->client_address : "";
}

/* An audit event outside a transaction whose failure only gets logged (the
 * answer does not depend on it). */
static void audit_now(const portal_actor *actor, db_conn *db, const char *action,
                      const char *target_type, const char *target_id, const char *organisation_id,
                      json_t *changes)
{
    if (workflow_audit(db, actor, NULL, action, target_type, target_id, organisation_id, changes) !=
        PORTAL_OK)
        log_warning("event=audit_failed action=%s request_id=%s", action,
                    actor && actor->request_id ? actor->request_id : "");
    json_decref(changes);
}

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

/* Starts a second-factor challenge (with a new secret when enrolling) in its
 * own transaction; *out gets the answer carrying its mfa_token. */
static portal_result start_challenge(const portal_actor *actor, db_conn *db, const user_row *user,
                                     int enrol, const char *audit_action, json_t **out)
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
        rc = tokens_mfa(user->id, challenge, &mfa_token);
    if (rc == PORTAL_OK) {
        body = json_pack("{s:s, s:s}", "mfa_token", mfa_token, "mfa", "totp");
        rc = body ? PORTAL_OK : PORTAL_ERR_MEMORY;
    }
    if (rc == PORTAL_OK && enrol)
        rc = add_enrolment(body, user->username, secret);
    free(mfa_token);
    rc =
        workflow_finish(actor, db, rc, audit_action, "user", user->id, user->organisation_id, NULL);
    if (rc != PORTAL_OK) {
        json_decref(body);
        return rc;
    }
    *out = body;
    return PORTAL_OK;
}

/* A wrong username or password: audited (an unknown name only as a hash),
 * the reserved attempt kept as the failure. */
static portal_result password_failed(const portal_actor *actor, db_conn *db,
                                     const signin_password_input *in, const user_row *user,
                                     signin_attempt *attempt, portal_outcome *o)
{
    json_t *changes = json_object();
    signin_audit_username(changes, in->username, user);
    audit_now(actor, db, "login.failed", "user", user ? user->id : NULL,
              user ? user->organisation_id : NULL, changes);
    signin_attempt_failed(actor, db, attempt, user, in->public_url);
    return outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "invalid_credentials");
}

portal_result signin_password(const portal_actor *actor, db_conn *db,
                              const signin_password_input *in, json_t **challenge,
                              portal_outcome *o)
{
    *challenge = NULL;
    user_row user;
    portal_result found = users_find_by_username(db, in->username, &user);
    if (found == PORTAL_ERR_DATABASE)
        return outcome_fail(o, found, NULL);
    const user_row *known = found == PORTAL_OK ? &user : NULL;
    signin_attempt attempt;
    portal_result rc =
        signin_attempt_begin(actor, db, in->username, known, "login.throttled", &attempt, o);
    if (rc != PORTAL_OK)
        return rc;
    if (!known || strlen(in->password) > PASSWORD_MAX_BYTES) {
        /* the same time as a real check */
        if (password_verify_dummy(in->password) == PORTAL_ERR_BUSY) {
            signin_attempt_release(actor, db, &attempt);
            return outcome_fail(o, PORTAL_ERR_BUSY, NULL);
        }
        return password_failed(actor, db, in, known, &attempt, o);
    }
    portal_result verified = password_verify(user.password_hash, in->password);
    if (verified == PORTAL_ERR_BUSY) {
        signin_attempt_release(actor, db, &attempt);
        return outcome_fail(o, verified, NULL);
    }
    if (verified != PORTAL_OK || user.expired)
        return password_failed(actor, db, in, &user, &attempt, o);
    signin_attempt_release(actor, db, &attempt);
    if (strcmp(user.status, "locked") == 0) {
        audit_now(actor, db, "login.locked", "user", user.id, user.organisation_id, NULL);
        return outcome_fail(o, PORTAL_ERR_DENIED, "account_locked");
    }
    rc =
        start_challenge(actor, db, &user, !user.mfa_enrolled, "login.password_accepted", challenge);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

void signin_session_clear(signin_session *s)
{
    json_decref(s->challenge);
    s->challenge = NULL;
    tokens_clear(&s->tokens);
    OPENSSL_cleanse(s->recovery_codes, sizeof s->recovery_codes);
    s->n_recovery_codes = 0;
}

/* A wrong second factor: counted on the challenge (committed) and audited;
 * the reserved attempt is kept as the failure. */
static portal_result factor_failed(const portal_actor *actor, db_conn *db, const char *challenge,
                                   const user_row *user, signin_attempt *attempt,
                                   const char *public_url, portal_outcome *o)
{
    int attempts = 0;
    if (challenges_fail(db, challenge, &attempts) != PORTAL_OK || db_commit(db) != PORTAL_OK)
        db_rollback(db);
    audit_now(actor, db, "mfa.failed", "user", user->id, user->organisation_id,
              json_pack("{s:i}", "attempts", attempts));
    signin_attempt_failed(actor, db, attempt, user, public_url);
    return outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "mfa_invalid");
}

/* A recovery code replaces the authenticator: a new enrolment starts. */
static portal_result factor_recover(const portal_actor *actor, db_conn *db, const char *challenge,
                                    const user_row *user, signin_attempt *attempt,
                                    const signin_factor_input *in, signin_session *out,
                                    portal_outcome *o)
{
    char hash[65];
    if (recovery_hash(in->recovery_code, hash) != PORTAL_OK ||
        recovery_codes_use(db, user->id, hash) != PORTAL_OK)
        return factor_failed(actor, db, challenge, user, attempt, in->public_url, o);
    signin_attempt_release(actor, db, attempt);
    portal_result rc = challenges_use(db, challenge);
    rc = workflow_finish(actor, db, rc, "mfa.recovery_code_used", "user", user->id,
                         user->organisation_id, NULL);
    if (rc == PORTAL_OK)
        rc = start_challenge(actor, db, user, 1, "mfa.enrolment_started", &out->challenge);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Stores the enrolled secret and new recovery codes (out) in the open
 * transaction, and queues the notice. */
static portal_result finish_enrolment(const portal_actor *actor, db_conn *db, const user_row *user,
                                      const char *secret, long long counter, signin_session *out)
{
    char hashes[RECOVERY_CODE_COUNT][65];
    char stored[TOTP_STORED_SIZE];
    mail_text mail;
    portal_result rc = totp_reseal_secret(user->id, secret, stored, sizeof stored);
    if (rc == PORTAL_OK)
        rc = users_set_totp(db, user->id, stored, counter);
    if (rc == PORTAL_OK)
        rc = recovery_generate(out->recovery_codes);
    for (int i = 0; rc == PORTAL_OK && i < RECOVERY_CODE_COUNT; i++)
        rc = recovery_hash(out->recovery_codes[i], hashes[i]);
    if (rc == PORTAL_OK)
        rc = recovery_codes_replace(db, user->id, hashes, RECOVERY_CODE_COUNT);
    if (rc == PORTAL_OK)
        rc = mail_security_notice(user->language, user->first_name, SECURITY_MFA_ENROLLED, &mail);
    if (rc == PORTAL_OK)
        rc = outbox_mail(db, user->email, &mail);
    if (rc == PORTAL_OK)
        rc = workflow_audit(db, actor, NULL, "mfa.enrolled", "user", user->id,
                            user->organisation_id, NULL);
    if (rc == PORTAL_OK)
        out->n_recovery_codes = RECOVERY_CODE_COUNT;
    return rc;
}

/* Checks the mfa_token and loads its active user. */
static portal_result open_challenge(db_conn *db, const char *mfa_token, authjwt_claims *claims,
                                    user_row *user)
{
    if (authjwt_verify(mfa_token, AUTHJWT_TYP_MFA, time(NULL), claims) != PORTAL_OK)
        return PORTAL_ERR_UNAUTHENTICATED;
    portal_result rc = users_get(db, claims->sub, user);
    if (rc == PORTAL_ERR_DATABASE)
        return rc;
    if (rc != PORTAL_OK || strcmp(user->status, "active") != 0 || user->expired)
        return PORTAL_ERR_UNAUTHENTICATED;
    return PORTAL_OK;
}

portal_result signin_second_factor(const portal_actor *actor, db_conn *db,
                                   const signin_factor_input *in, signin_session *out,
                                   portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    authjwt_claims claims;
    user_row user;
    challenge_row ch;
    portal_result rc = open_challenge(db, in->mfa_token, &claims, &user);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, rc == PORTAL_ERR_UNAUTHENTICATED ? "token_invalid" : NULL);
    signin_attempt attempt;
    rc = signin_attempt_begin(actor, db, user.username, &user, NULL, &attempt, o);
    if (rc != PORTAL_OK)
        return rc;
    if (db_begin(db) != PORTAL_OK || challenges_get(db, claims.jti, &ch) != PORTAL_OK ||
        !ch.usable || strcmp(ch.user_id, user.id) != 0) {
        db_rollback(db);
        signin_attempt_release(actor, db, &attempt);
        return outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "token_invalid");
    }
    if (in->recovery_code)
        return factor_recover(actor, db, claims.jti, &user, &attempt, in, out, o);
    int enrolling = ch.pending_secret[0] != '\0';
    const char *secret = enrolling ? ch.pending_secret : user.totp_secret;
    long long counter = 0;
    rc = totp_verify_stored(user.id, secret, in->code, time(NULL),
                            enrolling ? TOTP_NO_COUNTER : user.totp_last_counter, &counter);
    if (rc == PORTAL_OK && !enrolling)
        rc = users_accept_totp_counter(db, user.id, counter);
    if (rc == PORTAL_ERR_CRYPTO || rc == PORTAL_ERR_DATABASE) {
        /* The server's fault (a secret it cannot open, a lost database):
         * not a wrong code, so nothing counts against the user. */
        db_rollback(db);
        signin_attempt_release(actor, db, &attempt);
        return outcome_fail(o, rc, NULL);
    }
    if (rc != PORTAL_OK)
        return factor_failed(actor, db, claims.jti, &user, &attempt, in->public_url, o);
    signin_attempt_release(actor, db, &attempt);
    if (enrolling)
        rc = finish_enrolment(actor, db, &user, secret, counter, out);
    char session_id[64] = "";
    if (rc == PORTAL_OK)
        rc = challenges_use(db, claims.jti);
    if (rc == PORTAL_OK)
        rc = tokens_open_session(db, user.id, user.organisation_id, client_of(actor), in->cookie,
                                 &out->tokens, session_id);
    rc = workflow_finish(actor, db, rc, "login.succeeded", "user", user.id, user.organisation_id,
                         json_pack("{s:s}", "session_id", session_id));
    if (rc != PORTAL_OK) {
        signin_session_clear(out);
        return outcome_fail(o, rc, NULL);
    }
    if (throttle_clear_user(db, user.username, NULL) != PORTAL_OK ||
        throttle_remember_client(db, user.id, client_of(actor)) != PORTAL_OK)
        log_warning("event=throttle_update_failed request_id=%s",
                    actor && actor->request_id ? actor->request_id : "");
    return PORTAL_OK;
}

/* 1 when the CSRF header matches the session's stored hash. */
static int csrf_ok(const char *sent, const char *stored_hash)
{
    if (!sent || !*sent || !stored_hash[0] || strlen(sent) > 128)
        return 0;
    char hash[65];
    tokens_hash(sent, hash);
    return strlen(stored_hash) == 64 && crypto_equal(hash, stored_hash, 64);
}

portal_result signin_refresh(const portal_actor *actor, db_conn *db, const signin_refresh_input *in,
                             token_set *tokens, int *reused, portal_outcome *o)
{
    memset(tokens, 0, sizeof *tokens);
    *reused = 0;
    char hash[65], session_id[PORTAL_ID_LEN], user_id[PORTAL_ID_LEN], csrf_hash[72];
    tokens_hash(in->refresh_token, hash);
    if (db_begin(db) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    portal_result rc = sessions_use_refresh(db, hash, session_id, user_id, csrf_hash);
    if (rc == PORTAL_ERR_CONFLICT) {
        *reused = 1;
        rc = workflow_finish(actor, db, PORTAL_OK, "session.refresh_token_reused", "session",
                             session_id, NULL, NULL);
        if (rc != PORTAL_OK)
            log_warning("event=audit_failed action=session.refresh_token_reused");
        return outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "token_invalid");
    }
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return rc == PORTAL_ERR_DATABASE
                   ? outcome_fail(o, rc, NULL)
                   : outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "token_invalid");
    }
    if (in->cookie && !csrf_ok(in->csrf, csrf_hash)) {
        db_rollback(db);
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    }
    portal_caller caller;
    memset(&caller, 0, sizeof caller);
    rc = sessions_load_caller(db, session_id, user_id, &caller);
    if (rc == PORTAL_OK)
        rc =
            tokens_for_session(db, user_id, caller.organisation_id, session_id, in->cookie, tokens);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    db_rollback(db);
    tokens_clear(tokens);
    return rc == PORTAL_ERR_DENIED ? outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "token_invalid")
                                   : outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
}

/* The session a refresh token names (its rotation counts as its use), or
 * "" when it names none. PORTAL_ERR_DENIED for a cookie without its CSRF
 * header. */
static portal_result session_of_refresh(db_conn *db, const signin_refresh_input *in,
                                        char session_id[AUTHJWT_ID_SIZE])
{
    char hash[65], user_id[PORTAL_ID_LEN], csrf_hash[72];
    tokens_hash(in->refresh_token, hash);
    if (db_begin(db) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    portal_result rc = sessions_use_refresh(db, hash, session_id, user_id, csrf_hash);
    if (rc == PORTAL_OK && in->cookie && !csrf_ok(in->csrf, csrf_hash)) {
        db_rollback(db);
        return PORTAL_ERR_DENIED;
    }
    if ((rc == PORTAL_ERR_CONFLICT || rc == PORTAL_OK) && db_commit(db) == PORTAL_OK) {
        if (rc != PORTAL_OK)
            session_id[0] = '\0';
        return PORTAL_OK;
    }
    db_rollback(db);
    session_id[0] = '\0';
    return PORTAL_OK;
}

portal_result signin_logout(const portal_actor *actor, db_conn *db, const signin_logout_input *in,
                            portal_outcome *o)
{
    char session_id[AUTHJWT_ID_SIZE] = "";
    authjwt_claims claims;
    if (in->access_token &&
        authjwt_verify(in->access_token, AUTHJWT_TYP_ACCESS, time(NULL), &claims) == PORTAL_OK) {
        snprintf(session_id, sizeof session_id, "%s", claims.sid);
    } else if (in->refresh.refresh_token) {
        portal_result rc = session_of_refresh(db, &in->refresh, session_id);
        if (rc != PORTAL_OK)
            return outcome_fail(o, rc, NULL);
    }
    if (!session_id[0])
        return outcome_fail(o, PORTAL_ERR_UNAUTHENTICATED, "token_invalid");
    if (sessions_end(db, session_id, "logout") != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    audit_now(actor, db, "session.logout", "session", session_id, NULL, NULL);
    return PORTAL_OK;
}
