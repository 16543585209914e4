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

#include "base/caller.h"
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
    THROTTLE_MSG_UNLOCK_LINK,       /* target: the user id */
} throttle_message;

/* How long a successful sign-in makes its client known to the user. */
#define THROTTLE_KNOWN_CLIENT_DAYS 30
/* Known clients remembered per user at most (the most recent ones). */
#define THROTTLE_KNOWN_CLIENTS_MAX 20
/* How long a mailed unlock link stays usable, in seconds. */
#define THROTTLE_UNLOCK_TTL 3600

/* The sign-in gate, before any password or code is checked: PORTAL_OK when
 * both the username and the address may try now; PORTAL_ERR_DENIED with
 * *retry_after (seconds, the larger wait of the two) when either must wait;
 * PORTAL_ERR_DATABASE when the counters cannot be read. */
portal_result throttle_check(db_conn *db, const char *username, const char *address,
                             long *retry_after);

/*
 * throttle_reserve -- the sign-in gate, before any password or code is
 * checked, that also counts the attempt as a failure in the same statement
 * that checks the counter, so parallel attempts cannot pass the check
 * together. `known` (a client the user signed in from, see
 * throttle_client_known) counts the username's failures apart for that
 * client ('known:<username>|<client>') instead of 'user:<username>'.
 *
 * PORTAL_OK: reserved; *failures gets the username counter's new value. The
 * caller gives the reservation back with throttle_release when the attempt
 * succeeds (or the server failed), and keeps it as the failure otherwise.
 * PORTAL_ERR_DENIED: nothing counted, *retry_after holds the wait (>= 1).
 * PORTAL_ERR_DATABASE. Runs outside any transaction of the caller's (the
 * count must survive its rollback).
 */
portal_result throttle_reserve(db_conn *db, const char *username, const char *address, int known,
                               int *failures, long *retry_after);

/* Gives back a reservation of throttle_reserve (same arguments): one failure
 * less on both counters, the username's time of last failure as before. */
portal_result throttle_release(db_conn *db, const char *username, const char *address, int known);

/* 1 in *known when user_id signed in successfully from address's client
 * within THROTTLE_KNOWN_CLIENT_DAYS. */
portal_result throttle_client_known(db_conn *db, const char *user_id, const char *address,
                                    int *known);

/* Remembers address's client as known to user_id (now), keeping the
 * THROTTLE_KNOWN_CLIENTS_MAX most recent. */
portal_result throttle_remember_client(db_conn *db, const char *user_id, const char *address);

/* A new unlock link token hash for user_id, valid THROTTLE_UNLOCK_TTL
 * seconds (earlier unused ones die). In the caller's transaction. */
portal_result throttle_unlock_create(db_conn *db, const char *user_id, const char *token_hash);

/* Consumes a live unlock token: user_id set. PORTAL_ERR_EXPIRED when none
 * (unknown, used, expired, or the user no longer active). */
portal_result throttle_unlock_consume(db_conn *db, const char *token_hash,
                                      char user_id[PORTAL_ID_LEN]);

/* Counts one sign-in failure for both keys (outside throttle_reserve: a
 * failure found after the gate). */
portal_result throttle_record_failure(db_conn *db, const char *username, const char *address);

/* Forgets the username's failures (for every client) after a successful
 * login, an unlock or an administrator's release. *cleared (may be NULL)
 * is 1 when there were any. PORTAL_ERR_DATABASE. */
portal_result throttle_clear_user(db_conn *db, const char *username, int *cleared);

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

/* Days an expired unlock link or a client no longer known is kept (for
 * inspection) before maintenance drops it. */
#define THROTTLE_SIGNIN_RECORD_DAYS 30

/* Drops unlock links that expired more than THROTTLE_SIGNIN_RECORD_DAYS ago
 * (used or not) and known clients whose last successful sign-in is older
 * than that; *unlocks and *clients get how many went (0 on failure).
 * Outside any transaction of the caller's. PORTAL_ERR_DATABASE when either
 * statement fails (the other still runs). */
portal_result throttle_purge_signin_records(db_conn *db, long long *unlocks, long long *clients);

#endif
