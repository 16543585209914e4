/*
 * workflows/signin_guard.h: what every sign-in step shares (login, second
 * factor, password change, new recovery codes, activation, password reset):
 * the failure throttle of DESIGN.md §4, the limits on the mails and SMS the
 * anonymous endpoints send, and the unlock link.
 *
 * The throttle holds an attempt from before the password or code is checked
 * until the step knows the answer (signin_attempt_begin reserves it in the
 * statement that checks the counters); a right answer gives it back, a wrong
 * one keeps it as the failure. From a client the user signed in from before
 * (a known client) the user's failures count apart, so failures elsewhere do
 * not lock the user out of it. When an account becomes throttled, its user
 * gets a mail with a link that lifts the wait (signin_unlock).
 *
 * Audit and log lines never hold what was typed as an unknown username (it
 * may be a password typed in the wrong field): only its SHA-256.
 */
#ifndef PORTAL_WORKFLOWS_SIGNIN_GUARD_H
#define PORTAL_WORKFLOWS_SIGNIN_GUARD_H

#include "store/throttle.h"
#include "store/users.h"
#include "workflows/workflow.h"

/* One sign-in attempt held against the throttle. */
typedef struct {
    char username[129]; /* as typed (the counter's name) */
    int known;          /* from a client known to the user */
    int reserved;       /* 1 while the attempt holds a failure */
    int failures;       /* the username counter after the reservation */
} signin_attempt;

/*
 * signin_attempt_begin -- reserves one attempt of `username` (user: the
 * account it names, or NULL when none) from the actor's client address, on
 * db outside any transaction. PORTAL_OK: the step may check the password or
 * code, and ends with signin_attempt_release or signin_attempt_failed.
 * PORTAL_ERR_THROTTLED: o holds the wait (retry_after), and `audit_action`
 * (may be NULL) was audited with the username and the wait.
 * PORTAL_ERR_DATABASE when the counters cannot be read.
 */
PORTAL_MUST_USE portal_result signin_attempt_begin(const portal_actor *actor, db_conn *db,
                                                   const char *username, const user_row *user,
                                                   const char *audit_action, signin_attempt *a,
                                                   portal_outcome *o);

/* Gives the attempt back: it succeeded, or the server failed to check it. */
void signin_attempt_release(const portal_actor *actor, db_conn *db, signin_attempt *a);

/*
 * signin_attempt_failed -- keeps the attempt as a failure. When it is the
 * failure that makes the account wait (the last free one) and user is an
 * active account, mails the user a link to lift the wait (within the
 * message limit; public_url is the base of the link). Runs its own
 * transaction for the mail; failures to send are logged, not answered.
 */
void signin_attempt_failed(const portal_actor *actor, db_conn *db, signin_attempt *a,
                           const user_row *user, const char *public_url);

/* Adds {"username": name} to changes when user is known, else
 * {"username_sha256": hex} (what was typed may be a password). */
void signin_audit_username(json_t *changes, const char *typed, const user_row *user);

/*
 * signin_unlock -- POST /auth/unlock: consumes a mailed unlock token, forgets
 * the account's failures and makes the actor's client known to the user.
 * Its own transaction. PORTAL_OK; PORTAL_ERR_INVALID with code
 * "token_invalid" on /token when the token is unknown, used or expired;
 * PORTAL_ERR_DATABASE.
 */
PORTAL_MUST_USE portal_result signin_unlock(const portal_actor *actor, db_conn *db,
                                            const char *token, portal_outcome *o);

/* Counts one request from the actor's client address to an anonymous message
 * endpoint (password reset, username reminder). PORTAL_OK; otherwise
 * PORTAL_ERR_THROTTLED (o->retry_after) or PORTAL_ERR_DATABASE. */
PORTAL_MUST_USE portal_result signin_message_request_gate(const portal_actor *actor, db_conn *db,
                                                          portal_outcome *o);

/* Counts one message of `kind` to `target` (see throttle_count_message).
 * PORTAL_OK: send it. PORTAL_ERR_THROTTLED: the target had its share; the
 * event is logged and audited as "message.limited" on `user` (may be NULL),
 * both without the target, and o->retry_after holds the seconds left.
 * PORTAL_ERR_DATABASE otherwise. In the caller's transaction, if any. */
PORTAL_MUST_USE portal_result signin_message_gate(const portal_actor *actor, db_conn *db,
                                                  throttle_message kind, const char *target,
                                                  const user_row *user, portal_outcome *o);

#endif
