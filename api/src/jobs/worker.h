/*
 * jobs/worker.h: background worker threads (PORTAL_WORKERS of them).
 *
 * Each worker owns a dedicated database connection, LISTENs on portal_jobs
 * and claims due jobs with FOR UPDATE SKIP LOCKED, so any number of
 * instances share the queue. Idle workers also wake every second to pick up
 * retries whose delay has passed and jobs whose lease expired because the
 * worker holding them died.
 *
 * Messages (mail and SMS: activation codes, reset links, security notices)
 * go before bulk work: every worker claims them first, and with two or more
 * workers the first takes nothing else, so exports can never occupy every
 * worker while a code waits.
 */
#ifndef PORTAL_JOBS_WORKER_H
#define PORTAL_JOBS_WORKER_H

#include "base/config.h"
#include "store/db.h"
#include "store/jobs.h"

typedef portal_result (*job_handler)(db_conn *db, const portal_config *cfg, const char *payload);

/* Called once a job's last attempt has failed (may be NULL). */
typedef void (*job_give_up)(db_conn *db, const portal_config *cfg, const char *payload);

typedef struct {
    const char *kind;
    job_handler run;
    job_give_up give_up;
} job_kind;

/* Starts cfg->workers threads running the given job kinds (the table must
 * outlive the workers). PORTAL_OK also when cfg->workers is 0. */
portal_result worker_start(const portal_config *cfg, const job_kind *kinds, size_t n_kinds);

/* Asks the workers to stop after their current job and joins them. */
void worker_stop(void);

#endif
