/*
 * store/credentials.h: single-use secrets stored as hashes: invitation
 * tokens (7 days), verification codes (10 minutes, 5 tries), password-reset
 * tokens (1 hour) and recovery codes. Callers hash before calling.
 */
#ifndef PORTAL_STORE_CREDENTIALS_H
#define PORTAL_STORE_CREDENTIALS_H

#include "base/caller.h"
#include "store/db.h"

#define CODE_MAX_ATTEMPTS 5

/* A new invitation for user_id; every earlier one of that user dies. */
portal_result invitations_create(db_conn *db, const char *user_id, const char *token_hash);

/* The live invitation with this hash: PORTAL_OK with the user and
 * invitation ids, PORTAL_ERR_EXPIRED when unknown, used, revoked or old. */
portal_result invitations_find(db_conn *db, const char *token_hash, char user_id[PORTAL_ID_LEN],
                               char invitation_id[PORTAL_ID_LEN]);

/* Marks an invitation used. */
portal_result invitations_use(db_conn *db, const char *invitation_id);

/* A new verification code; earlier live codes of the same purpose die. */
portal_result codes_create(db_conn *db, const char *user_id, const char *purpose,
                           const char *invitation_id, const char *code_hash, const char *new_email);

/* Checks a code against the live one of that purpose. PORTAL_OK with its id
 * (and new_email for e-mail changes); PORTAL_ERR_DENIED after counting a
 * wrong try; PORTAL_ERR_EXPIRED when there is no live code (none, expired,
 * used, or out of tries). */
portal_result codes_check(db_conn *db, const char *user_id, const char *purpose,
                          const char *code_hash, char code_id[PORTAL_ID_LEN], char new_email[320]);

/* Counts one try against a live code without checking it (an answer the
 * code bought, such as "username taken"), as a wrong code would. */
portal_result codes_count_try(db_conn *db, const char *code_id);

/* Marks a code used. */
portal_result codes_use(db_conn *db, const char *code_id);

/* A new password-reset token (earlier ones die). A user_id that names no
 * user (the nil UUID) runs the same statements and changes nothing. */
portal_result resets_create(db_conn *db, const char *user_id, const char *token_hash);

/* Finds and consumes a live reset token. PORTAL_ERR_EXPIRED otherwise. */
portal_result resets_consume(db_conn *db, const char *token_hash, char user_id[PORTAL_ID_LEN]);

/* Replaces a user's recovery codes with these ten hashes. */
portal_result recovery_codes_replace(db_conn *db, const char *user_id, char hashes[][65],
                                     int count);

/* Uses one recovery code. PORTAL_ERR_DENIED when unknown or already used. */
portal_result recovery_codes_use(db_conn *db, const char *user_id, const char *code_hash);

#endif
