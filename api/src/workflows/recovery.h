/*
 * workflows/recovery.h: an account's way back without signing in:
 *   password_reset_request   a password-reset link by mail
 *   password_reset_confirm   a new password with that link
 *   username_remind the usernames of an e-mail address by mail
 *
 * The two anonymous requests never tell whether an account exists: they
 * are counted per client address (signin_guard.h), always succeed, and a
 * reset request does the same work whether or not it finds the account (a
 * miss undoes only the queued mail), so its timing says nothing either.
 */
#ifndef PORTAL_WORKFLOWS_RECOVERY_H
#define PORTAL_WORKFLOWS_RECOVERY_H

#include "workflows/workflow.h"

typedef struct {
    const char *username;
    const char *email;
    const char *public_url; /* base of the link */
} password_reset_input;

/* Queues a reset link when username and email name an active account
 * (within the message limits). PORTAL_OK whether or not one was found;
 * PORTAL_ERR_THROTTLED (the client address asked too often) or
 * PORTAL_ERR_DATABASE in o. Its own transaction. */
PORTAL_MUST_USE portal_result password_reset_request(const portal_actor *actor, db_conn *db,
                                                     const password_reset_input *in,
                                                     portal_outcome *o);

/* Sets a new password with a live reset token, ends the user's sessions and
 * queues a notice. PORTAL_OK; PORTAL_ERR_INVALID with token_invalid (/token)
 * or password_rejected (/password) in o. Its own
 * transaction; a rejected password leaves the link usable. */
PORTAL_MUST_USE portal_result password_reset_confirm(const portal_actor *actor, db_conn *db,
                                                     const char *token, const char *password,
                                                     portal_outcome *o);

/* Mails the usernames of the active accounts with this address (within the
 * message limits). PORTAL_OK whether or not there are any; otherwise as
 * password_reset_request. */
PORTAL_MUST_USE portal_result username_remind(const portal_actor *actor, db_conn *db,
                                              const char *email, const char *public_url,
                                              portal_outcome *o);

#endif
