/*
 * store/api_tokens.h: API tokens for payroll software and scripts
 * (`pat_` + 32 random bytes, stored as a SHA-256 hash). A token acts with its
 * own rights and scheme scope (a subset of its creator's), in its creator's
 * organisation, until it expires or is revoked, and only while its creator
 * is an active user.
 */
#ifndef PORTAL_STORE_API_TOKENS_H
#define PORTAL_STORE_API_TOKENS_H

#include "base/caller.h"
#include "store/db.h"

/* Finds a usable token by hash and fills *out as an API-token caller.
 * PORTAL_ERR_DENIED when unknown, revoked, expired or its creator is gone. */
portal_result api_tokens_authenticate(db_conn *db, const char *token_hash, portal_caller *out);

#endif
