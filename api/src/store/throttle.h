/*
 * store/throttle.h: counters in table login_throttle for two things.
 *
 * Sign-in failures: failed logins and second-factor codes per username and
 * per client address (keys 'user:<lower-case username>' and
 * 'addr:<address>', an IPv6 address counting as its /64); the waiting
 * rules are in domain/throttle_rules.h.
 *
 * Messages: how many mails and SMS the server was asked to send per target
 * (an account, or the recipient's address) and per client address, in fixed
 * windows of THROTTLE_MESSAGE_WINDOW seconds. These keys are 'msg:' and the
 * SHA-256 of what they count, so no e-mail address, phone number or client
 * address is stored in the clear for them.
 *
 * Counters are written outside (or ahead of) the request's own transaction
 * where they must survive its rollback.
 */
#ifndef PORTAL_STORE_THROTTLE_H
#define PORTAL_STORE_THROTTLE_H

#include "store/db.h"

/* Messages to one target per window (password-reset links, username
 * reminders, activation codes, e-mail change codes, each counted apart). */
#define THROTTLE_MESSAGES_PER_TARGET 5
/* Requests from one client address to the anonymous message endpoints
 * (password reset and username reminder together) per window. Higher than
 * per target because an office shares one address. */
#define THROTTLE_MESSAGES_PER_ADDRESS 30
#define THROTTLE_MESSAGE_WINDOW 900 /* 15 minutes */

typedef enum {
    THROTTLE_MSG_PASSWORD_RESET,    /* target: the user id */
    THROTTLE_MSG_USERNAME_REMINDER, /* target: the e-mail address asked about */
    THROTTLE_MSG_ACTIVATION_CODE,   /* target: the user id */
    THROTTLE_MSG_EMAIL_CHANGE_CODE, /* target: the user id */
} throttle_message;

/* The sign-in gate, before any password or code is checked: PORTAL_OK when
 * both the username and the address may try now; PORTAL_ERR_DENIED with
 * *retry_after (seconds, the larger wait of the two) when either must wait;
 * PORTAL_ERR_DATABASE when the counters cannot be read. */
portal_result throttle_check(db_conn *db, const char *username, const char *address,
                             long *retry_after);

/* Counts one sign-in failure for both keys. */
portal_result throttle_record_failure(db_conn *db, const char *username, const char *address);

/* Forgets the username's failures after a successful login. */
portal_result throttle_clear_user(db_conn *db, const char *username);

/* The name of a message kind for logs and audit ("password_reset", ...). */
const char *throttle_message_name(throttle_message kind);

/* Deletes counters idle for longer than any rule remembers them; *deleted
 * gets how many. PORTAL_ERR_DATABASE on error (nothing deleted). */
portal_result throttle_purge_idle(db_conn *db, long long *deleted);

/* Counts one message of `kind` to `target` (compared case-insensitively).
 * PORTAL_OK when it is within THROTTLE_MESSAGES_PER_TARGET for the window;
 * PORTAL_ERR_DENIED with *retry_after (seconds until the window ends) when it
 * is over; PORTAL_ERR_DATABASE. */
portal_result throttle_count_message(db_conn *db, throttle_message kind, const char *target,
                                     long *retry_after);

/* Counts one request from client `address` to an anonymous message endpoint,
 * whether or not a message follows. PORTAL_OK within
 * THROTTLE_MESSAGES_PER_ADDRESS for the window; otherwise as above. */
portal_result throttle_count_message_request(db_conn *db, const char *address, long *retry_after);

#endif
