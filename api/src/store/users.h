/*
 * store/users.h: users and organisations as the sign-in flows need them.
 * All functions run in the caller's transaction when one is open.
 */
#ifndef PORTAL_STORE_USERS_H
#define PORTAL_STORE_USERS_H

#include <stddef.h>

#include "store/db.h"

#define USER_ID_LEN 37

typedef struct {
    char id[USER_ID_LEN];
    char organisation_id[USER_ID_LEN];
    char organisation_kind[16];
    char organisation_name[256];
    char first_name[128];
    char last_name[128];
    char email[320];
    char mobile[40];
    char username[72];
    char status[16];
    char language[4];
    char theme[8];
    char password_hash[256];
    char totp_secret[80];        /* as stored: sealed "v1:..." or legacy plaintext (auth/totp.h) */
    long long totp_last_counter; /* -1 when none accepted yet */
    int mfa_enrolled;
    int expired; /* expires_at has passed (external user) */
} user_row;

/* Finds a user who may sign in by username (case-insensitive): not deleted,
 * status active or locked. PORTAL_ERR_NOT_FOUND otherwise. */
portal_result users_find_by_username(db_conn *db, const char *username, user_row *out);

/* Loads any user that is not deleted. */
portal_result users_get(db_conn *db, const char *id, user_row *out);

/* Loads a user that is not deleted as users_get does, without the
 * credentials (password_hash and totp_secret come back empty,
 * totp_last_counter -1), and *recovery_codes_left, the unused recovery
 * codes: GET /me in one statement. PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DATABASE
 * (*recovery_codes_left 0 then). */
portal_result users_profile(db_conn *db, const char *id, user_row *out, int *recovery_codes_left);

/* Stores a newly enrolled TOTP secret (in its stored, sealed form) together
 * with the counter its first code used. */
portal_result users_set_totp(db_conn *db, const char *id, const char *secret, long long counter);

/* Turns a stored secret into its sealed form: writes it to out (NUL-terminated). */
typedef portal_result (*users_secret_sealer)(const char *user_id, const char *stored, char *out,
                                             size_t size);

/* Seals every TOTP secret still stored in the clear (no "v1:" prefix) with
 * `seal`; a row is only written when it still holds the value read, so
 * instances starting together do no harm. *sealed counts the rows written,
 * *failed those `seal` refused (left as they are). */
portal_result users_seal_totp_secrets(db_conn *db, users_secret_sealer seal, int *sealed,
                                      int *failed);

/* Accepts a TOTP counter only when it is above the last accepted one (in one
 * statement, so two concurrent uses of one code cannot both succeed).
 * PORTAL_ERR_CONFLICT for a replay. */
portal_result users_accept_totp_counter(db_conn *db, const char *id, long long counter);

/* Replaces the password hash. */
portal_result users_set_password(db_conn *db, const char *id, const char *password_hash);

/* Sets username and password of an invited user and makes it active.
 * PORTAL_ERR_CONFLICT when the username is taken. */
portal_result users_activate(db_conn *db, const char *id, const char *username,
                             const char *password_hash);

/* Creates an invited user with rights (NULL-terminated list) and returns its
 * id. scheme_ids_literal is a PostgreSQL array literal or NULL for all. */
portal_result users_create(db_conn *db, const char *organisation_id, const char *first_name,
                           const char *last_name, const char *email, const char *mobile,
                           const char *const *rights, char out_id[USER_ID_LEN]);

/* Usernames of the active accounts with this e-mail address (at most max),
 * and the language of the first, for a reminder mail. */
portal_result users_usernames_by_email(db_conn *db, const char *email, char (*names)[72], int max,
                                       int *count, char language[4]);

/* Changes the fields that are not NULL (names, language, theme). */
portal_result users_update_profile(db_conn *db, const char *id, const char *first_name,
                                   const char *last_name, const char *language, const char *theme);

/* Records an e-mail address waiting for confirmation. */
portal_result users_set_pending_email(db_conn *db, const char *id, const char *email);

/* Makes the confirmed address the account's e-mail. */
portal_result users_set_email(db_conn *db, const char *id, const char *email);

/* The insurer organisation, created when missing. */
portal_result organisations_ensure_insurer(db_conn *db, const char *name, char out_id[USER_ID_LEN]);

#endif
