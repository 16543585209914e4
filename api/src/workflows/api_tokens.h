/*
 * workflows/api_tokens.h: issuing an API token (DESIGN.md §4.6). The secret
 * ("pat_" and 43 characters) exists only in the answer: the store keeps its
 * SHA-256 and the first characters as a prefix; the audit event records what
 * the token may do, never the secret. The checks on rights, scope and expiry
 * are the caller's (the resource made them on the request).
 */
#ifndef PORTAL_WORKFLOWS_API_TOKENS_H
#define PORTAL_WORKFLOWS_API_TOKENS_H

#include "store/api_tokens.h"
#include "workflows/workflow.h"

#define API_TOKEN_SECRET_SIZE 64 /* "pat_" + 43 characters + NUL fits */

typedef struct {
    const char *name;
    const char *rights;     /* a text[] literal */
    const char *scheme_ids; /* a uuid[] literal, or NULL: every scheme */
    const char *expires_at; /* RFC 3339 */
} api_token_input;

typedef struct {
    char id[PORTAL_ID_LEN];
    char secret[API_TOKEN_SECRET_SIZE]; /* wipe with api_token_issued_clear */
    char *json;                         /* the token without its secret (malloc'd) */
    char version[API_TOKENS_VERSION_LEN];
} api_token_issued;

/* Issues a token for the actor's user and organisation in the caller's open
 * transaction and audits api_token.created. PORTAL_OK with *out (the caller
 * clears it with api_token_issued_clear, also on failure); otherwise o. */
PORTAL_MUST_USE portal_result api_token_issue(const portal_actor *actor, db_conn *db,
                                              const api_token_input *in, api_token_issued *out,
                                              portal_outcome *o);

/* Frees out->json and wipes the secret. */
void api_token_issued_clear(api_token_issued *out);

#endif
