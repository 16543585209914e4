/*
 * store/jobs.h: the SQL of the job queue (table jobs, migration 0001).
 *
 * A job is claimed with FOR UPDATE SKIP LOCKED and a lease; while the lease
 * runs nobody else takes it. Done jobs are kept for inspection; failed ones
 * go back to pending with a growing delay until max_attempts.
 */
#ifndef PORTAL_STORE_JOBS_H
#define PORTAL_STORE_JOBS_H

#include "store/db.h"

#define JOBS_LEASE_SECONDS 300
#define JOBS_KIND_LEN 48
#define JOBS_PAYLOAD_MAX 8192

typedef struct {
    long long id;
    char kind[JOBS_KIND_LEN];
    char payload[JOBS_PAYLOAD_MAX]; /* JSON text */
    int attempts;                   /* including this one */
    int max_attempts;
} job_row;

/* Queues a job inside the caller's transaction (or on its own). */
portal_result jobs_enqueue(db_conn *db, const char *kind, const char *payload_json);

/* Claims the next due job (or one whose lease expired): jobs of a kind in
 * priority_kinds (a text[] literal such as "{mail,sms}", NULL for none)
 * first, then the rest, each oldest first; with priority_only those kinds
 * only. PORTAL_OK with *found = 1 and out filled, or *found = 0 when
 * nothing is due; PORTAL_ERR_DATABASE. */
portal_result jobs_claim(db_conn *db, const char *priority_kinds, int priority_only, job_row *out,
                         int *found);

/* Subscribes db (a dedicated connection) to new-job notifications,
 * reconnecting first when needed. PORTAL_ERR_DATABASE. */
portal_result jobs_listen(db_conn *db);

/* Waits up to timeout_ms for a notification on a listening connection and
 * drains them: 1 when one arrived, 0 on time-out, -1 without a socket (the
 * caller should sleep instead). */
int jobs_wait(db_conn *db, int timeout_ms);

/* Marks a job done. */
portal_result jobs_complete(db_conn *db, long long id);

/* Records a failure: back to pending after a delay that doubles with each
 * attempt (5 s, 10 s, ... at most 1 h), or failed after max_attempts. The
 * error text is for operators; it must not hold secrets. */
portal_result jobs_fail(db_conn *db, const job_row *job, const char *error);

/* The backoff in seconds after `attempts` failed attempts. */
int jobs_backoff_seconds(int attempts);

#endif
