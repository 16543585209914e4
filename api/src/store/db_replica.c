/* store/db_replica.c: the hot standby of store/db.h: its pool, how long a
 * read waits for it to catch up, its back-off, and the commit positions. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/lsn.h"
#include "store/db.h"
#include "store/db_internal.h"

#define DB_STANDBY_TAKE_MS 50 /* a free standby connection, or the primary */
#define DB_STANDBY_POLL_MS 5  /* between two looks at the replay position */

static db_pool_set db_standby = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct {
    atomic_int enabled;
    atomic_int wait_ms;
    /* Monotonic ms until which the standby is left alone (0: none). */
    atomic_llong down_until_ms;
    /* The furthest replay position a standby connection reported: a
     * position at or before it needs no look of its own. */
    atomic_ullong served;
    atomic_ullong lag;
    atomic_ullong down;
    atomic_ullong busy;
} db_replica;

/* Monotonic milliseconds; cannot fail. */
static long long db_replica_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000LL + now.tv_nsec / 1000000L;
}

portal_result db_standby_init(const char *standby_url, int size, int wait_ms)
{
    portal_result rc = db_pool_set_open(&db_standby, standby_url, size, 1);
    if (rc != PORTAL_OK)
        return rc;
    atomic_store(&db_replica.wait_ms, wait_ms);
    atomic_store(&db_replica.enabled, 1);
    return PORTAL_OK;
}

void db_standby_shutdown(void)
{
    if (!atomic_exchange(&db_replica.enabled, 0))
        return;
    db_pool_set_close(&db_standby);
}

int db_standby_enabled(void)
{
    return atomic_load(&db_replica.enabled);
}

int db_is_standby(const db_conn *c)
{
    return c && c->standby;
}

/* Leaves the standby alone for the back-off; logs once per back-off. */
static void db_replica_back_off(const char *reason)
{
    long long until = db_replica_now_ms() + DB_STANDBY_BACKOFF_MS;
    long long before = atomic_exchange(&db_replica.down_until_ms, until);
    if (before < db_replica_now_ms())
        log_warning("event=standby_down reason=%s backoff_ms=%d", reason, DB_STANDBY_BACKOFF_MS);
}

void db_standby_mark_down(void)
{
    db_replica_back_off("lost");
    atomic_fetch_add_explicit(&db_replica.down, 1, memory_order_relaxed);
}

/* Asks c how far it has replayed. 1 and *out on an answer; 0 when c failed
 * or is not a standby in recovery (no position). */
static int db_replica_position(db_conn *c, uint64_t *out)
{
    /* NULL once promoted: pg_last_wal_replay_lsn() keeps its last value. */
    PGresult *res = db_query(
        c, "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() END::text", 0, NULL);
    int ok = res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
             lsn_parse(PQgetvalue(res, 0, 0), out);
    PQclear(res);
    return ok;
}

/* Ends an attempt that goes to the primary: counts why. */
static db_conn *db_replica_miss(db_conn *c, db_standby_outcome reason, db_standby_outcome *why)
{
    db_release(c);
    *why = reason;
    atomic_ullong *counter = reason == DB_STANDBY_LAG    ? &db_replica.lag
                             : reason == DB_STANDBY_BUSY ? &db_replica.busy
                                                         : &db_replica.down;
    atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
    return NULL;
}

db_conn *db_standby_acquire(uint64_t min_lsn, db_standby_outcome *why)
{
    if (!atomic_load(&db_replica.enabled))
        return db_replica_miss(NULL, DB_STANDBY_DOWN, why);
    long long start = db_replica_now_ms();
    if (atomic_load(&db_replica.down_until_ms) > start)
        return db_replica_miss(NULL, DB_STANDBY_DOWN, why);
    int unreachable = 0;
    db_conn *c = db_pool_set_take(&db_standby, DB_STANDBY_TAKE_MS, &unreachable);
    if (!c) {
        if (unreachable)
            db_replica_back_off("connect");
        return db_replica_miss(NULL, unreachable ? DB_STANDBY_DOWN : DB_STANDBY_BUSY, why);
    }
    long long deadline = start + atomic_load(&db_replica.wait_ms);
    while (min_lsn > c->replayed) {
        uint64_t replayed = 0;
        if (!db_replica_position(c, &replayed)) {
            db_replica_back_off(db_connection_lost(c) ? "lost" : "not_in_recovery");
            return db_replica_miss(c, DB_STANDBY_DOWN, why);
        }
        c->replayed = replayed;
        if (replayed >= min_lsn)
            break;
        if (db_replica_now_ms() >= deadline)
            return db_replica_miss(c, DB_STANDBY_LAG, why);
        struct timespec pause = {0, DB_STANDBY_POLL_MS * 1000000L};
        nanosleep(&pause, NULL);
    }
    atomic_fetch_add_explicit(&db_replica.served, 1, memory_order_relaxed);
    *why = DB_STANDBY_SERVED;
    return c;
}

portal_result db_commit_position(db_conn *c, uint64_t *out)
{
    *out = 0;
    /* Inside a transaction (one the request left open, rolled back when it
     * ends, or a failed one) there is nothing committed to point at. */
    if (!c->pg || PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return PORTAL_ERR_DATABASE;
    PGresult *res = db_query(c, "SELECT pg_current_wal_insert_lsn()::text", 0, NULL);
    int ok = res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
             lsn_parse(PQgetvalue(res, 0, 0), out);
    PQclear(res);
    return ok ? PORTAL_OK : PORTAL_ERR_DATABASE;
}

void db_standby_stats_read(db_standby_stats *out)
{
    out->served = atomic_load(&db_replica.served);
    out->fallback_lag = atomic_load(&db_replica.lag);
    out->fallback_down = atomic_load(&db_replica.down);
    out->fallback_busy = atomic_load(&db_replica.busy);
}
