/* store/db_pool.c: the pools of store/db.h (the primary's, and the
 * standby's that store/db_replica.c routes reads to). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/db_internal.h"

static db_pool_set db_primary = {.lock = PTHREAD_MUTEX_INITIALIZER};

portal_result db_pool_set_open(db_pool_set *p, const char *url, int size, int standby)
{
    if (size < 1 || size > DB_MAX_POOL)
        return PORTAL_ERR_INVALID;
    p->conns = calloc((size_t)size, sizeof(db_conn));
    p->url = strdup(url);
    if (!p->conns || !p->url) {
        free(p->conns);
        free(p->url);
        p->conns = NULL;
        p->url = NULL;
        return PORTAL_ERR_MEMORY;
    }
    for (int i = 0; i < size; i++) {
        p->conns[i].url = p->url;
        p->conns[i].pool = p;
        p->conns[i].standby = standby;
    }
    p->size = size;
    p->standby = standby;
    p->ready = 1;
    atomic_store(&p->stat_size, size);
    return PORTAL_OK;
}

void db_pool_set_close(db_pool_set *p)
{
    pthread_mutex_lock(&p->lock);
    p->ready = 0;
    for (int i = 0; i < p->size; i++) {
        if (p->conns[i].pg)
            PQfinish(p->conns[i].pg);
        db_forget_statements(&p->conns[i]);
    }
    free(p->conns);
    free(p->url);
    p->conns = NULL;
    p->url = NULL;
    p->size = 0;
    atomic_store(&p->stat_size, 0);
    /* The waiters see the pool closed and leave the queue themselves. */
    for (db_pool_waiter *w = p->first; w; w = w->next)
        pthread_cond_signal(&w->handed);
    pthread_mutex_unlock(&p->lock);
}

/* Adds the time since wait_start to p's waiting counters. */
static void db_pool_count_wait(db_pool_set *p, const struct timespec *wait_start, int found)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long us = (long long)(now.tv_sec - wait_start->tv_sec) * 1000000LL +
                   (now.tv_nsec - wait_start->tv_nsec) / 1000;
    atomic_fetch_add_explicit(&p->stat_waits, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->stat_wait_us, us > 0 ? (unsigned long long)us : 0,
                              memory_order_relaxed);
    if (!found)
        atomic_fetch_add_explicit(&p->stat_timeouts, 1, memory_order_relaxed);
}

/* The open free connection of p, else any free one; NULL when all are in
 * use. Called with p->lock held. */
static db_conn *db_pool_free_conn(db_pool_set *p)
{
    for (int i = 0; i < p->size; i++)
        if (!p->conns[i].in_use && p->conns[i].pg)
            return &p->conns[i];
    for (int i = 0; i < p->size; i++)
        if (!p->conns[i].in_use)
            return &p->conns[i];
    return NULL;
}

/* Takes w out of p's queue (it timed out, or the pool closed). Called with
 * p->lock held. */
static void db_pool_dequeue(db_pool_set *p, db_pool_waiter *w)
{
    db_pool_waiter **at = &p->first;
    db_pool_waiter *prev = NULL;
    while (*at && *at != w) {
        prev = *at;
        at = &(*at)->next;
    }
    if (!*at)
        return;
    *at = w->next;
    if (p->last == w)
        p->last = prev;
}

/* Waits in p's queue until a releasing thread hands this thread a
 * connection, the deadline passes or the pool closes. Called with p->lock
 * held; returns the connection handed over, or NULL. */
static db_conn *db_pool_wait_turn(db_pool_set *p, const struct timespec *deadline)
{
    db_pool_waiter w = {.conn = NULL, .next = NULL};
    pthread_cond_init(&w.handed, NULL);
    if (p->last)
        p->last->next = &w;
    else
        p->first = &w;
    p->last = &w;
    atomic_fetch_add_explicit(&p->stat_waiting, 1, memory_order_relaxed);
    while (!w.conn && p->ready)
        if (pthread_cond_timedwait(&w.handed, &p->lock, deadline) == ETIMEDOUT)
            break;
    if (!w.conn)
        db_pool_dequeue(p, &w);
    atomic_fetch_sub_explicit(&p->stat_waiting, 1, memory_order_relaxed);
    pthread_cond_destroy(&w.handed);
    return w.conn;
}

/* Threads wait for a connection in arrival order and each connection
 * released goes straight to the oldest waiter: with more HTTP threads than
 * connections, no thread arriving later takes a connection before one that
 * waits, so waiting time is shared out evenly instead of some requests
 * losing every race (the tail of the latency). */
db_conn *db_pool_set_take(db_pool_set *p, int timeout_ms, int *unreachable)
{
    *unreachable = 0;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    db_conn *found = NULL;
    int waited = 0;
    struct timespec wait_start = {0, 0};
    pthread_mutex_lock(&p->lock);
    if (p->ready && !p->first) {
        found = db_pool_free_conn(p);
        if (found) {
            found->in_use = 1;
            atomic_fetch_add_explicit(&p->stat_in_use, 1, memory_order_relaxed);
        }
    }
    if (!found && p->ready) {
        waited = 1;
        clock_gettime(CLOCK_MONOTONIC, &wait_start);
        found = db_pool_wait_turn(p, &deadline); /* handed over in use */
    }
    pthread_mutex_unlock(&p->lock);
    if (waited)
        db_pool_count_wait(p, &wait_start, found != NULL);
    if (!found)
        return NULL;
    if (db_ensure_connected(found) != PORTAL_OK) {
        *unreachable = 1;
        db_release(found);
        return NULL;
    }
    found->sqlstate[0] = '\0';
    found->error[0] = '\0';
    found->round_trips = 0;
    return found;
}

portal_result db_pool_init(const char *database_url, int size)
{
    return db_pool_set_open(&db_primary, database_url, size, 0);
}

void db_pool_shutdown(void)
{
    db_standby_shutdown();
    db_pool_set_close(&db_primary);
}

db_conn *db_acquire(int timeout_ms)
{
    int unreachable = 0;
    return db_pool_set_take(&db_primary, timeout_ms, &unreachable);
}

void db_release(db_conn *c)
{
    if (!c || !c->pool)
        return;
    db_pool_set *p = c->pool;
    if (c->pg && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        db_rollback(c);
    c->guard = DB_GUARD_NONE;
    pthread_mutex_lock(&p->lock);
    db_pool_waiter *w = p->ready ? p->first : NULL;
    if (w && c->in_use) {
        /* Straight to the oldest waiter: it stays in use. */
        p->first = w->next;
        if (!p->first)
            p->last = NULL;
        w->conn = c;
        pthread_cond_signal(&w->handed);
    } else {
        if (c->in_use)
            atomic_fetch_sub_explicit(&p->stat_in_use, 1, memory_order_relaxed);
        c->in_use = 0;
    }
    pthread_mutex_unlock(&p->lock);
}

void db_pool_stats_read(db_pool_stats *out)
{
    out->size = atomic_load(&db_primary.stat_size);
    out->in_use = atomic_load(&db_primary.stat_in_use);
    out->waiting = atomic_load(&db_primary.stat_waiting);
    out->waits = atomic_load(&db_primary.stat_waits);
    out->wait_seconds = (double)atomic_load(&db_primary.stat_wait_us) / 1e6;
    out->timeouts = atomic_load(&db_primary.stat_timeouts);
}
