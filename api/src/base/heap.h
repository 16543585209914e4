/*
 * base/heap.h: giving memory the process has freed back to the system.
 *
 * glibc keeps what a thread frees in that thread's arena for reuse, and by
 * default it adapts its thresholds to what it saw: once a large block
 * (one with a mapping of its own) is freed, blocks up to that size are
 * taken from the arenas from then on, and an arena keeps up to twice that
 * much free memory at its top. A password check (argon2id, 19 MiB per hash)
 * thus raised both thresholds to 19 and 38 MiB, and every HTTP thread that
 * later checked a password kept its 19 MiB: in the soak benchmark the
 * server's resident size was 90-105 MiB, three arenas of about 20 MiB each,
 * and it kept climbing as more threads took a sign-in. Two measures:
 *
 * - heap_configure fixes both thresholds (which turns the adaptation off):
 *   blocks from HEAP_MMAP_THRESHOLD up get a mapping of their own, handed
 *   back when freed, and an arena's free top beyond HEAP_TRIM_THRESHOLD
 *   goes back too. The same soak then runs at 32-40 MiB.
 * - heap_release_if_due hands back the free pages inside every arena
 *   (malloc_trim), at most once every HEAP_RELEASE_INTERVAL seconds across
 *   the process, from a thread that has nothing better to do (an idle job
 *   worker) or has just freed a lot (after a job).
 */
#ifndef PORTAL_BASE_HEAP_H
#define PORTAL_BASE_HEAP_H

#include <time.h>

/* Seconds between two releases: often enough that the resident size follows
 * the live memory within a minute, rare enough that the arena walk (a
 * millisecond or so for a hundred megabytes) costs nothing measurable. */
#define HEAP_RELEASE_INTERVAL 30

/* Blocks this size and larger get a mapping of their own: argon2's memory,
 * an export chunk. A list page's result and JSON (tens of KiB for 50 rows)
 * stay below it, so the hot path makes no extra system calls. glibc starts
 * at 128 KiB. */
#define HEAP_MMAP_THRESHOLD (256 * 1024)
/* Free memory at the top of an arena beyond this goes back to the system
 * (glibc starts at 128 KiB, then raises it to twice the mmap threshold). */
#define HEAP_TRIM_THRESHOLD (256 * 1024)

/* Fixes the thresholds above; call once, before the first thread starts.
 * Returns 1 when the allocator took both, 0 when it refused (another
 * allocator in front of glibc's, e.g. a sanitizer's): harmless, the
 * defaults then stay. */
int heap_configure(void);

/* Whether a release is due at now (seconds), claiming it when it is: of
 * threads calling at the same moment, exactly one gets 1; the next 1 comes
 * HEAP_RELEASE_INTERVAL seconds later. Pure apart from that claim; never
 * fails. */
int heap_release_due(time_t now);

/* Releases the free pages of every arena when heap_release_due(now) says so.
 * Returns 1 when it released, 0 when it was not due. Thread-safe, takes each
 * arena's lock briefly, never fails (a release that frees nothing is fine). */
int heap_release_if_due(time_t now);

#endif
