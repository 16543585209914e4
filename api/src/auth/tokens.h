/*
 * auth/tokens.h: what a successful login or refresh hands out: a 15-minute
 * ES256 access token, an opaque refresh token (stored hashed, rotated on
 * every use) and, for browser sessions, a CSRF token; plus the short-lived
 * mfa_token that links the two login steps.
 */
#ifndef PORTAL_AUTH_TOKENS_H
#define PORTAL_AUTH_TOKENS_H

#include "auth/jwt.h"
#include "store/db.h"

#define TOKENS_ACCESS_SECONDS 900
#define TOKENS_MFA_SECONDS 300
#define TOKENS_OPAQUE_SIZE 64

typedef struct {
    char *access_token; /* malloc'd; tokens_clear frees it */
    char refresh_token[TOKENS_OPAQUE_SIZE];
    char csrf_token[TOKENS_OPAQUE_SIZE];
    int expires_in;
} token_set;

/* Opens a session for the user and issues its first tokens (with a CSRF
 * token when with_csrf). Runs in the caller's transaction. */
portal_result tokens_open_session(db_conn *db, const char *user_id, const char *organisation_id,
                                  const char *client_address, int with_csrf, token_set *out,
                                  char session_id[64]);

/* Issues a fresh access and refresh token for an existing session (after a
 * refresh or a password change), with a new CSRF token when with_csrf. */
portal_result tokens_for_session(db_conn *db, const char *user_id, const char *organisation_id,
                                 const char *session_id, int with_csrf, token_set *out);

/* Signs an mfa_token for a challenge. *token is malloc'd. */
portal_result tokens_mfa(const char *user_id, const char *challenge_id, char **token);

/* Frees and wipes a token set. */
void tokens_clear(token_set *t);

/* SHA-256 hex of an opaque token, as stored. */
void tokens_hash(const char *token, char out[65]);

#endif
