/*
 * base/interval.h: work that runs at most once every so many seconds in a
 * process, whichever thread gets there first (the job workers' housekeeping,
 * the heap's release). Lock-free; nothing here allocates or fails.
 */
#ifndef PORTAL_BASE_INTERVAL_H
#define PORTAL_BASE_INTERVAL_H

#include <stdatomic.h>
#include <time.h>

/* Whether the work gated by *next_at is due at now (seconds), claiming it
 * when it is: of threads calling at the same moment exactly one gets 1, and
 * *next_at moves to now + seconds. *next_at starts at 0 (due at once); a
 * clock that goes back does not bring the next claim forward. */
int interval_claim(atomic_llong *next_at, time_t now, long long seconds);

#endif
