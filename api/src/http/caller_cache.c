/* http/caller_cache.c: see caller_cache.h. */
#include "http/caller_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    portal_caller caller; /* caller.session_id empty: a free slot */
    char stamp[SESSIONS_STAMP_LEN];
} caller_cache_entry;

static caller_cache_entry caller_cache_slots[CALLER_CACHE_SLOTS];
static pthread_mutex_t caller_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a of the session id, as a slot index. */
static size_t caller_cache_slot(const char *session_id)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)session_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % CALLER_CACHE_SLOTS;
}

int caller_cache_get(const char *session_id, const char *user_id, portal_caller *out,
                     char stamp[SESSIONS_STAMP_LEN])
{
    if (!session_id[0])
        return 0;
    caller_cache_entry *e = &caller_cache_slots[caller_cache_slot(session_id)];
    int found = 0;
    pthread_mutex_lock(&caller_cache_lock);
    if (strcmp(e->caller.session_id, session_id) == 0 && strcmp(e->caller.user_id, user_id) == 0) {
        *out = e->caller;
        memcpy(stamp, e->stamp, SESSIONS_STAMP_LEN);
        found = 1;
    }
    pthread_mutex_unlock(&caller_cache_lock);
    return found;
}

void caller_cache_put(const portal_caller *caller, const char *stamp)
{
    if (!caller->session_id[0] || strlen(stamp) != SESSIONS_STAMP_LEN - 1)
        return;
    caller_cache_entry *e = &caller_cache_slots[caller_cache_slot(caller->session_id)];
    pthread_mutex_lock(&caller_cache_lock);
    e->caller = *caller;
    snprintf(e->stamp, sizeof e->stamp, "%s", stamp);
    pthread_mutex_unlock(&caller_cache_lock);
}

void caller_cache_forget(const char *session_id)
{
    caller_cache_entry *e = &caller_cache_slots[caller_cache_slot(session_id)];
    pthread_mutex_lock(&caller_cache_lock);
    if (strcmp(e->caller.session_id, session_id) == 0)
        e->caller.session_id[0] = '\0';
    pthread_mutex_unlock(&caller_cache_lock);
}
