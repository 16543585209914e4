/*
 * store/sessions.h: login sessions, their refresh tokens (rotated on every
 * use; a reused token ends the session), the second-factor challenges of a
 * login in progress, and the per-request access check.
 */
#ifndef PORTAL_STORE_SESSIONS_H
#define PORTAL_STORE_SESSIONS_H

#include "base/caller.h"
#include "store/db.h"

#define SESSION_HOURS 12 /* a session lasts a working day at most */
#define REFRESH_HOURS 12
#define CHALLENGE_MINUTES 5

/* Opens a session for user_id; csrf_hash may be NULL (no cookie). */
portal_result sessions_create(db_conn *db, const char *user_id, const char *client_address,
                              const char *csrf_hash, char out_id[PORTAL_ID_LEN]);

/* Stores a new refresh token (its hash) for the session. */
portal_result sessions_add_refresh(db_conn *db, const char *session_id, const char *token_hash);

/* Uses a refresh token exactly once. PORTAL_OK with the session and user;
 * PORTAL_ERR_EXPIRED when unknown, expired or its session ended;
 * PORTAL_ERR_CONFLICT when it was used before (more than 5 seconds ago:
 * within that a concurrent refresh is assumed and the token is only
 * refused): the session is then ended (the caller commits that). */
portal_result sessions_use_refresh(db_conn *db, const char *token_hash,
                                   char session_id[PORTAL_ID_LEN], char user_id[PORTAL_ID_LEN],
                                   char csrf_hash[72]);

/* Makes every unused refresh token of the session unusable (without it
 * counting as reuse), e.g. after a password change. */
portal_result sessions_expire_refresh(db_conn *db, const char *session_id);

/* Replaces the session's CSRF token hash. */
portal_result sessions_set_csrf(db_conn *db, const char *session_id, const char *csrf_hash);

/* Ends one session. */
portal_result sessions_end(db_conn *db, const char *session_id, const char *reason);

/* Ends every open session of a user except `keep` (may be NULL). */
portal_result sessions_end_all(db_conn *db, const char *user_id, const char *keep,
                               const char *reason);

/* Loads the caller of an access token: PORTAL_OK when the session is open
 * and its user active, not deleted and not expired, filling rights, scope
 * and organisation; PORTAL_ERR_DENIED otherwise. */
portal_result sessions_load_caller(db_conn *db, const char *session_id, const char *user_id,
                                   portal_caller *out);

/* sessions_load_caller that also gives the caller's stamp (hex MD5 of its
 * organisation, kind, scheme scope and rights), for sessions_guard_arm. */
#define SESSIONS_STAMP_LEN 33
portal_result sessions_load_caller_stamped(db_conn *db, const char *session_id, const char *user_id,
                                           portal_caller *out, char stamp[SESSIONS_STAMP_LEN]);

/* Arms the session check as db's guard (db_guard_arm): the next statement
 * runs only while the session is open, the user active and the caller's
 * stamp unchanged, in the same round trip. PORTAL_ERR_INVALID when an
 * argument is too long (nothing armed). */
portal_result sessions_guard_arm(db_conn *db, const char *session_id, const char *user_id,
                                 const char *stamp);

typedef struct {
    char user_id[PORTAL_ID_LEN];
    char pending_secret[80];
    int attempts;
    int usable; /* not used, not expired, fewer than 5 failures */
} challenge_row;

/* Starts a second-factor challenge; pending_secret is set while enrolling. */
portal_result challenges_create(db_conn *db, const char *user_id, const char *pending_secret,
                                char out_id[PORTAL_ID_LEN]);

/* Loads a challenge (locked FOR UPDATE in the caller's transaction). */
portal_result challenges_get(db_conn *db, const char *id, challenge_row *out);

/* Counts a wrong code; returns the attempts so far via *attempts. */
portal_result challenges_fail(db_conn *db, const char *id, int *attempts);

/* Marks the challenge used. */
portal_result challenges_use(db_conn *db, const char *id);

#endif
