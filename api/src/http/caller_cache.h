/*
 * http/caller_cache.h: the callers of recent login sessions, kept in memory
 * so that an authenticated read needs no statement of its own to learn who
 * asks: the session check then travels with the read's own statement
 * (sessions_guard_arm), which runs only if the session is still open and the
 * caller's stamp unchanged. The cache is never trusted on its own.
 *
 * A fixed table (CALLER_CACHE_SLOTS entries, one per hash of the session
 * id; a newer session overwrites an older one), guarded by a mutex.
 */
#ifndef PORTAL_HTTP_CALLER_CACHE_H
#define PORTAL_HTTP_CALLER_CACHE_H

#include "base/caller.h"
#include "store/sessions.h"

#define CALLER_CACHE_SLOTS 256

/* Copies the cached caller of session_id (whose user must be user_id) and
 * its stamp into out and stamp; 0 (out untouched) when none is cached. */
int caller_cache_get(const char *session_id, const char *user_id, portal_caller *out,
                     char stamp[SESSIONS_STAMP_LEN]);

/* Remembers a session's caller (copied) with its stamp. */
void caller_cache_put(const portal_caller *caller, const char *stamp);

/* Forgets session_id's entry, if any. */
void caller_cache_forget(const char *session_id);

#endif
