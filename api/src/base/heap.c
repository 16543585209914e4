/* base/heap.c: see heap.h. */
#include "base/heap.h"

#include <malloc.h>

#include "base/interval.h"

/* The earliest second of the next release; 0 before the first. */
static atomic_llong heap_next_release_at;

int heap_configure(void)
{
    int mmap_ok = mallopt(M_MMAP_THRESHOLD, HEAP_MMAP_THRESHOLD) == 1;
    int trim_ok = mallopt(M_TRIM_THRESHOLD, HEAP_TRIM_THRESHOLD) == 1;
    return mmap_ok && trim_ok;
}

int heap_release_due(time_t now)
{
    return interval_claim(&heap_next_release_at, now, HEAP_RELEASE_INTERVAL);
}

int heap_release_if_due(time_t now)
{
    if (!heap_release_due(now))
        return 0;
    malloc_trim(0);
    return 1;
}
