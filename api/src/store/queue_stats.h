/*
 * store/queue_stats.h: the state of the job queue and the message outboxes,
 * read from PostgreSQL when GET /metrics is scraped (so every instance
 * reports the same shared queue).
 */
#ifndef PORTAL_STORE_QUEUE_STATS_H
#define PORTAL_STORE_QUEUE_STATS_H

#include "store/db.h"
#include "store/jobs.h"

#define QUEUE_STATS_MAX_KINDS 32

typedef struct {
    char kind[JOBS_KIND_LEN];
    long long pending;         /* waiting, retries whose delay runs included */
    long long running;         /* claimed (a lease that ran out included) */
    double oldest_age_seconds; /* since the oldest unfinished job was queued */
} queue_kind_stats;

typedef struct {
    queue_kind_stats kinds[QUEUE_STATS_MAX_KINDS]; /* only kinds with unfinished jobs */
    size_t n_kinds;
    long long mail_pending;         /* mail_outbox rows not yet sent */
    double mail_oldest_age_seconds; /* 0 when none */
    long long sms_pending;          /* sms_outbox rows not yet sent */
} queue_stats;

/* Fills *out from the jobs, mail_outbox and sms_outbox tables (two
 * read-only statements outside any transaction; at most
 * QUEUE_STATS_MAX_KINDS kinds, in name order). PORTAL_ERR_DATABASE, with
 * *out then zeroed. */
portal_result queue_stats_read(db_conn *db, queue_stats *out);

#endif
