/*
 * store/db_internal.h: what the connection code (db.c), the pools
 * (db_pool.c) and the standby routing (db_replica.c) share. Not for other
 * modules: they use store/db.h.
 */
#ifndef PORTAL_STORE_DB_INTERNAL_H
#define PORTAL_STORE_DB_INTERNAL_H

#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>

#include "store/db.h"

#define DB_STMT_SLOTS 512 /* prepared statements per connection (hash slots) */
#define DB_MAX_POOL 1024

typedef struct {
    const char *sql; /* the caller's constant text (identity used as key) */
    char *copy;      /* our copy, to detect a reused pointer with other text */
    char name[16];
} db_stmt;

typedef struct db_pool_set db_pool_set;

struct db_conn {
    PGconn *pg;
    char *url;
    db_pool_set *pool; /* the pool it belongs to; NULL for a dedicated one */
    int standby;       /* 1: a connection to the hot standby */
    uint64_t replayed; /* standby: the replay position it last reported on this
                        * session; 0 after every (re)connect, since a restarted
                        * or rebuilt standby may be behind what it said before */
    int in_use;
    unsigned round_trips; /* since taken from the pool: see db_round_trips */
    int stmt_count;
    unsigned next_stmt;
    db_stmt stmts[DB_STMT_SLOTS];
    char sqlstate[6];
    char error[512];
    db_guard_state guard;  /* see db_guard_arm */
    const char *guard_sql; /* the caller's constant text */
    int guard_nparams;
    char guard_params[DB_GUARD_MAX_PARAMS][DB_GUARD_PARAM_LEN];
};

/* A thread waiting for a connection of a pool: queued in arrival order, it
 * is handed the next connection released (db_pool.c). Lives on the waiting
 * thread's stack. */
typedef struct db_pool_waiter {
    pthread_cond_t handed;
    db_conn *conn; /* set by the releasing thread: now the waiter's */
    struct db_pool_waiter *next;
} db_pool_waiter;

/* One pool of connections to one server (the primary, or the standby). */
struct db_pool_set {
    pthread_mutex_t lock;
    db_pool_waiter *first; /* the queue of waiting threads, oldest first */
    db_pool_waiter *last;
    db_conn *conns;
    int size;
    char *url;
    int ready;
    int standby;
    /* Use counters for GET /metrics: read without the lock, so atomics. */
    atomic_int stat_size;
    atomic_int stat_in_use;
    atomic_int stat_waiting;
    atomic_ullong stat_waits;
    atomic_ullong stat_wait_us;
    atomic_ullong stat_timeouts;
};

/* Opens a libpq connection to url (standby: a shorter connect timeout);
 * NULL after logging why. The caller owns the result (PQfinish). */
PGconn *db_open(const char *url, int standby);

/* Frees c's prepared-statement table (after its connection closed). */
void db_forget_statements(db_conn *c);

/* Fills the pool p for url: size connections at most, opened on first use.
 * PORTAL_ERR_INVALID for a bad size, PORTAL_ERR_MEMORY on allocation
 * failure (p is then left empty). */
portal_result db_pool_set_open(db_pool_set *p, const char *url, int size, int standby);

/* Closes every connection of p and frees its table; waits for none. */
void db_pool_set_close(db_pool_set *p);

/* Borrows a connection of p, waiting up to timeout_ms for a free one, and
 * (re)opens it. NULL when none is free in time or the server cannot be
 * reached; *unreachable says which (1: the server). */
db_conn *db_pool_set_take(db_pool_set *p, int timeout_ms, int *unreachable);

#endif
