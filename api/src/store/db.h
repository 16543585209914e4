/*
 * store/db.h: the PostgreSQL connection pool and the query helpers every
 * store module uses.
 *
 * A libpq connection is not thread-safe, so each thread borrows one from the
 * pool for the duration of a request or job (db_acquire/db_release). The pool
 * holds one connection per HTTP thread plus spares; connections are opened
 * lazily and re-opened after the database restarts.
 *
 * db_query prepares each distinct SQL text once per connection and executes
 * the prepared statement afterwards, so the SQL text must be a constant with
 * placeholders ($1, $2, ...). Values are always passed as parameters.
 */
#ifndef PORTAL_STORE_DB_H
#define PORTAL_STORE_DB_H

#include <libpq-fe.h>
#include <stdint.h>

#include "base/result.h"

typedef struct db_conn db_conn;

/* A guard: a statement that must pass before anything else runs on a
 * connection for the current request (the session check of an
 * authenticated read). */
typedef enum {
    DB_GUARD_NONE = 0, /* none armed, or it passed */
    DB_GUARD_ARMED,    /* goes with the next statement */
    DB_GUARD_FAILED    /* it failed: every statement fails (SQLSTATE 28000) */
} db_guard_state;
#define DB_GUARD_MAX_PARAMS 4
#define DB_GUARD_PARAM_LEN 72

/* Creates the pool: `size` connections at most, opened on first use.
 * PORTAL_ERR_MEMORY on allocation failure. Call once at start-up. */
portal_result db_pool_init(const char *database_url, int size);

/* Closes every connection; waits for none (callers stop their threads first). */
void db_pool_shutdown(void);

/* Borrows a connection, waiting up to timeout_ms for a free one. Re-opens it
 * when it is broken. Returns NULL when none is free in time or the database
 * cannot be reached (the caller answers 503). */
db_conn *db_acquire(int timeout_ms);

/* Returns a borrowed connection. A connection left inside a transaction is
 * rolled back first. NULL is ignored. */
void db_release(db_conn *c);

/* Opens a connection outside the pool (migrations, LISTEN in workers, CLI).
 * Returns NULL and logs the reason when the database cannot be reached. */
db_conn *db_connect_dedicated(const char *database_url);

/* Closes a connection made by db_connect_dedicated. */
void db_close_dedicated(db_conn *c);

/* Re-opens a dedicated connection if it is broken; PORTAL_OK when usable. */
portal_result db_ensure_connected(db_conn *c);

/* The underlying libpq handle (for LISTEN/COPY); owned by the db_conn. */
PGconn *db_pg(db_conn *c);

/* Runs a prepared query. Returns the result on success (PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK); the caller PQclear()s it. Returns NULL on error, after
 * recording the SQLSTATE (db_sqlstate) and logging the error. */
PGresult *db_query(db_conn *c, const char *sql, int nparams, const char *const *params);

/*
 * Like db_query, for a statement whose text is written so that one cached
 * generic plan serves every execution (no "$n IS NULL OR ..." hiding an index
 * condition) and whose planning costs about what its execution does: runs it
 * with plan_cache_mode = force_generic_plan and JIT off for that statement
 * only (set_config local to its implicit transaction), in one round trip
 * (libpq pipeline mode). Outside an idle connection it behaves as db_query.
 * Same ownership and failure rules as db_query.
 */
PGresult *db_query_generic(db_conn *c, const char *sql, int nparams, const char *const *params);

/* Arms a guard on c: sql (a constant, kept by pointer) with nparams
 * parameters (copied; each shorter than DB_GUARD_PARAM_LEN, else
 * PORTAL_ERR_INVALID and nothing is armed). The next statement on an idle
 * connection carries it in the same round trip (libpq pipeline); if the
 * guard fails (any error, e.g. one it raises on purpose), that statement is
 * not run and fails, and so does every later one until db_guard_clear or
 * db_release. Before a statement inside a transaction, a script or direct
 * libpq use (db_pg) it runs on its own (db_guard_flush). */
portal_result db_guard_arm(db_conn *c, const char *sql, int nparams, const char *const *params);

/* Runs an armed guard now. PORTAL_OK when none is armed or it passed;
 * PORTAL_ERR_DENIED when it failed (now or before). */
portal_result db_guard_flush(db_conn *c);

/* Forgets the guard and its refusal (once the refusal was handled). */
void db_guard_clear(db_conn *c);

/* Like db_query but discards the result. */
portal_result db_exec(db_conn *c, const char *sql, int nparams, const char *const *params);

/* Runs SQL text that may hold several statements and no parameters
 * (migrations, fixed maintenance SQL). PORTAL_ERR_DATABASE on failure. */
portal_result db_exec_script(db_conn *c, const char *sql);

/* Transactions. db_rollback is safe to call when no transaction is open. */
portal_result db_begin(db_conn *c);
portal_result db_commit(db_conn *c);
void db_rollback(db_conn *c);

/* SQLSTATE of the last failed statement ("23505"), or "" after success. */
const char *db_sqlstate(const db_conn *c);

/* Message of the last failed statement, for operators (never user input). */
const char *db_error_message(const db_conn *c);

/* 1 when the last error was a unique violation, 0 otherwise. */
int db_is_unique_violation(const db_conn *c);

/* The round trips to PostgreSQL made through this header since c was last
 * taken from its pool (or opened, for a dedicated one): each statement run,
 * each pipeline (guard, settings and statement together) as one, a
 * statement's preparation on its first use on the connection as one more,
 * BEGIN, COMMIT and ROLLBACK. Raw libpq use through db_pg (COPY, a cursor's
 * FETCH) is not counted. 0 for NULL. For the request log line. */
unsigned db_round_trips(const db_conn *c);

/* 1 when c's connection to PostgreSQL is gone or was being closed by the
 * server (no connection, a broken one, or the last error of class 08 or
 * 57P0x: shutdown, crash, cannot connect now), so a failure was the
 * database being away rather than a fault of the request; 0 otherwise. */
int db_connection_lost(const db_conn *c);

/* A quick round trip ("SELECT 1"); PORTAL_OK when the database answers. */
portal_result db_ping(db_conn *c);

/* Pool use since start-up, for GET /metrics. */
typedef struct {
    int size;                    /* connections the pool may hold */
    int in_use;                  /* connections borrowed right now */
    int waiting;                 /* borrowers queued for one right now */
    unsigned long long waits;    /* db_acquire calls that found none free and waited */
    double wait_seconds;         /* total time those calls waited */
    unsigned long long timeouts; /* of those, the ones that gave up (the caller answered 503) */
} db_pool_stats;

/* Copies the pool's counters into *out; thread-safe, takes no lock, owns
 * nothing and cannot fail. */
void db_pool_stats_read(db_pool_stats *out);

/*
 * The hot standby (store/db_replica.c). Reads that change nothing may run
 * on a streaming-replication standby while everything else runs on the
 * primary. A read that must see a position of the log (the caller's own
 * last write) gets a standby connection only once the standby has replayed
 * that far, waiting a bounded time; otherwise it runs on the primary. A
 * standby that cannot be reached is left alone for DB_STANDBY_BACKOFF_MS.
 */
#define DB_STANDBY_BACKOFF_MS 5000

/* Why a read did not get a standby connection. */
typedef enum {
    DB_STANDBY_SERVED = 0, /* it got one */
    DB_STANDBY_LAG,        /* the standby had not replayed the position in time */
    DB_STANDBY_DOWN,       /* unreachable, failing, not in recovery, or backing off */
    DB_STANDBY_BUSY        /* every standby connection was borrowed */
} db_standby_outcome;

/* Creates the standby pool (size connections, opened on first use) and
 * sets the wait bound in ms. PORTAL_ERR_MEMORY / PORTAL_ERR_INVALID as
 * db_pool_init. Without this call there is no standby and every read runs
 * on the primary. */
portal_result db_standby_init(const char *standby_url, int size, int wait_ms);

/* Closes the standby pool (db_pool_shutdown calls it). */
void db_standby_shutdown(void);

/* 1 when a standby pool exists. */
int db_standby_enabled(void);

/* Borrows a standby connection that has replayed the log at least up to
 * min_lsn (0: any position), waiting at most the configured bound; release
 * it with db_release. NULL when the read must go to the primary; *why
 * (never NULL) says why, and the counters of db_standby_stats count it. */
db_conn *db_standby_acquire(uint64_t min_lsn, db_standby_outcome *why);

/* 1 when c is a standby connection. */
int db_is_standby(const db_conn *c);

/* Sets the standby aside for DB_STANDBY_BACKOFF_MS after a read on it found
 * it gone; counts one fallback for that read (reason down). */
void db_standby_mark_down(void);

/* The primary's log position now (pg_current_wal_insert_lsn: at or past
 * the end of every commit c made before), into *out. PORTAL_ERR_DATABASE
 * when it cannot be read or c is inside a transaction (then *out = 0). */
portal_result db_commit_position(db_conn *c, uint64_t *out);

/* Reads on the standby since start-up, for GET /metrics. */
typedef struct {
    unsigned long long served;        /* reads that ran on the standby */
    unsigned long long fallback_lag;  /* went to the primary: the standby was behind */
    unsigned long long fallback_down; /* went to the primary: the standby was away */
    unsigned long long fallback_busy; /* went to the primary: no free standby connection */
} db_standby_stats;

/* Copies the standby counters into *out; thread-safe, cannot fail. */
void db_standby_stats_read(db_standby_stats *out);

#endif
