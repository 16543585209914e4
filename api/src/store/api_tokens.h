/*
 * store/api_tokens.h: API tokens for payroll software and scripts
 * (`pat_` + 32 random bytes, stored as a SHA-256 hash). A token acts with its
 * own rights and scheme scope (a subset of its creator's), in its creator's
 * organisation, until it expires or is revoked, and only while its creator
 * is an active user.
 *
 * Owns the SQL of api_tokens: authentication by hash, create, revoke, and
 * the organisation's tokens as JSON text. Functions run in the caller's
 * transaction when one is open; strings handed back are malloc'd.
 */
#ifndef PORTAL_STORE_API_TOKENS_H
#define PORTAL_STORE_API_TOKENS_H

#include "base/caller.h"
#include "store/db.h"

/* Finds a usable token by hash and fills *out as an API-token caller.
 * PORTAL_ERR_DENIED when unknown, revoked, expired or its creator is gone. */
portal_result api_tokens_authenticate(db_conn *db, const char *token_hash, portal_caller *out);

#define API_TOKENS_VERSION_LEN 128

/* A new token. Every pointer is borrowed. */
typedef struct {
    const char *organisation_id;
    const char *created_by; /* the creating user */
    const char *name;
    const char *prefix;     /* display prefix (8 characters after "pat_") */
    const char *token_hash; /* tokens_hash of the secret; the secret is never stored */
    const char *rights;     /* PostgreSQL text[] literal */
    const char *scheme_ids; /* PostgreSQL uuid[] literal, NULL for every scheme */
    const char *expires_at; /* RFC 3339 */
} api_token_new;

/* Inserts a token and writes its id into out_id. PORTAL_ERR_DATABASE. */
portal_result api_tokens_create(db_conn *db, const api_token_new *t, char out_id[PORTAL_ID_LEN]);

/* One token of organisation_id as JSON text (*json malloc'd, or NULL when
 * json is NULL): id, name, prefix, created_by {id, name}, created_at,
 * last_used_at, expires_at, rights, scheme_ids, revoked_at, status; never the
 * hash. version (for the ETag) is id and revoked_at. lock = 1 takes a row
 * lock. id must be UUID-shaped. within (a uuid[] literal, or NULL) keeps to
 * tokens whose schemes lie inside it. PORTAL_ERR_NOT_FOUND (also for another
 * organisation's token or one outside within), PORTAL_ERR_MEMORY,
 * PORTAL_ERR_DATABASE. */
portal_result api_tokens_get_json(db_conn *db, const char *id, const char *organisation_id,
                                  const char *within, int lock, char **json,
                                  char version[API_TOKENS_VERSION_LEN]);

/* Revokes a token now; *changed 0 when it was revoked already.
 * PORTAL_ERR_DATABASE. */
portal_result api_tokens_revoke(db_conn *db, const char *id, int *changed);

/* A page of an organisation's tokens, newest first (revoked and expired ones
 * included): *items a JSON array text of at most limit tokens, *next_keys
 * the JSON array text [created_at in microseconds, id] of the last one when
 * more follow, else NULL. after_created/after_id: the previous page's last
 * keys or NULL. Both malloc'd. PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result api_tokens_list_json(db_conn *db, const char *organisation_id, const char *within,
                                   const char *after_created, const char *after_id, int limit,
                                   char **items, char **next_keys);

#endif
