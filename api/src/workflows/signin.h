/*
 * workflows/signin.h: the sign-in steps of DESIGN.md §4.1, without HTTP:
 *   signin_password       username + password -> a second-factor challenge
 *   signin_second_factor  challenge + TOTP code -> a session (or a recovery
 *                         code -> a new enrolment challenge)
 *   signin_refresh        rotates a refresh token
 *   signin_logout         ends a session
 * (the unlock link of a throttled account is in signin_guard.h).
 *
 * Every step keeps the failure throttle (signin_guard.h) and audits what
 * happened. Failures answer through the outcome: invalid_credentials,
 * token_invalid and mfa_invalid are PORTAL_ERR_UNAUTHENTICATED (401),
 * account_locked and a wrong CSRF token PORTAL_ERR_DENIED (403), a wait
 * PORTAL_ERR_THROTTLED (429).
 */
#ifndef PORTAL_WORKFLOWS_SIGNIN_H
#define PORTAL_WORKFLOWS_SIGNIN_H

#include <jansson.h>

#include "auth/recovery.h"
#include "auth/tokens.h"
#include "workflows/workflow.h"

typedef struct {
    const char *username;
    const char *password;
    const char *public_url; /* base of the unlock link mailed on throttling */
} signin_password_input;

/*
 * signin_password -- the first step. PORTAL_OK with *challenge (owned by the
 * caller, json_decref) = {"mfa_token", "mfa": "totp"} or, for a user without
 * an authenticator yet, {"mfa": "enroll", "totp": {secret, otpauth_uri,
 * qr_svg}}. Otherwise o says why (invalid_credentials, account_locked,
 * too_many_attempts, service_unavailable). Its own transactions.
 */
PORTAL_MUST_USE portal_result signin_password(const portal_actor *actor, db_conn *db,
                                              const signin_password_input *in, json_t **challenge,
                                              portal_outcome *o);

typedef struct {
    const char *mfa_token;
    const char *code;          /* a TOTP code, or NULL */
    const char *recovery_code; /* or a recovery code */
    int cookie;                /* the session keeps its refresh token in a cookie */
    const char *public_url;
} signin_factor_input;

/* What the second step gives: a session, or (after a recovery code) a new
 * enrolment challenge. */
typedef struct {
    json_t *challenge; /* owned; non-NULL: a new enrolment started */
    token_set tokens;
    int n_recovery_codes; /* set when an authenticator was enrolled */
    char recovery_codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
} signin_session;

/* Frees and wipes what a signin_session holds. */
void signin_session_clear(signin_session *s);

/*
 * signin_second_factor -- the second step. PORTAL_OK with *out filled (the
 * caller clears it with signin_session_clear, also on failure). Otherwise
 * o says why (token_invalid, mfa_invalid, too_many_attempts, ...). Its own
 * transactions.
 */
PORTAL_MUST_USE portal_result signin_second_factor(const portal_actor *actor, db_conn *db,
                                                   const signin_factor_input *in,
                                                   signin_session *out, portal_outcome *o);

typedef struct {
    const char *refresh_token;
    int cookie;       /* the token came from the cookie: csrf must match */
    const char *csrf; /* the X-CSRF-Token header, or NULL */
} signin_refresh_input;

/*
 * signin_refresh -- rotates a refresh token. PORTAL_OK with *tokens (the
 * caller clears them). A reused token ends its session family and sets
 * *reused (the caller forgets the cookies). Otherwise o says why. Its own
 * transaction.
 */
PORTAL_MUST_USE portal_result signin_refresh(const portal_actor *actor, db_conn *db,
                                             const signin_refresh_input *in, token_set *tokens,
                                             int *reused, portal_outcome *o);

typedef struct {
    const char *access_token;     /* a Bearer token, or NULL */
    signin_refresh_input refresh; /* used when access_token is not a valid one */
} signin_logout_input;

/* signin_logout -- ends the session named by a valid access token or refresh
 * token. PORTAL_OK; token_invalid, forbidden (CSRF) or service_unavailable
 * in o. */
PORTAL_MUST_USE portal_result signin_logout(const portal_actor *actor, db_conn *db,
                                            const signin_logout_input *in, portal_outcome *o);

#endif
