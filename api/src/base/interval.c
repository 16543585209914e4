/* base/interval.c: see interval.h. */
#include "base/interval.h"

int interval_claim(atomic_llong *next_at, time_t now, long long seconds)
{
    long long next = atomic_load(next_at);
    if ((long long)now < next)
        return 0;
    return atomic_compare_exchange_strong(next_at, &next, (long long)now + seconds);
}
