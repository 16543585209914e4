/* jobs/worker.c: see worker.h. */
#include "jobs/worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/heap.h"
#include "base/log.h"
#include "base/metrics.h"
#include "jobs/maintenance.h"

#define WORKER_MAX 64
#define WORKER_MAX_KINDS 32

static struct {
    const portal_config *cfg;
    const job_kind *kinds;
    size_t n_kinds;
    int metric_index[WORKER_MAX_KINDS]; /* base/metrics.h index of each kind */
    int maintenance_metric;             /* and of the housekeeping pass */
    atomic_int stopping;
    pthread_t threads[WORKER_MAX];
    int count;
    int count_wanted;
} workers;

static const job_kind *worker_find(const char *kind)
{
    for (size_t i = 0; i < workers.n_kinds; i++)
        if (strcmp(workers.kinds[i].kind, kind) == 0)
            return &workers.kinds[i];
    return NULL;
}

/* Waits until a notification arrives or a second passes. */
static void worker_wait(db_conn *db)
{
    if (jobs_wait(db, 1000) < 0)
        sleep(1);
}

/* Attempts a mail or SMS gets at least: with the default 5 s base the
 * retries span about six hours, so a relay outage of minutes or hours
 * delays messages but loses none. */
#define WORKER_MESSAGE_MIN_ATTEMPTS 16

/* The attempt budget of job: its row's, raised for messages. */
static int worker_max_attempts(const job_row *job)
{
    int message = strcmp(job->kind, "mail") == 0 || strcmp(job->kind, "sms") == 0;
    if (message && job->max_attempts < WORKER_MESSAGE_MIN_ATTEMPTS)
        return WORKER_MESSAGE_MIN_ATTEMPTS;
    return job->max_attempts;
}

/* Seconds from started until now (CLOCK_MONOTONIC). */
static double worker_seconds_since(const struct timespec *started)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - started->tv_sec) + (double)(now.tv_nsec - started->tv_nsec) / 1e9;
}

/* Records how long a run of kind k (NULL: unknown) took, for GET /metrics. */
static void worker_observe(const job_kind *k, portal_result rc, const struct timespec *started)
{
    if (!k)
        return;
    size_t i = (size_t)(k - workers.kinds);
    if (i >= WORKER_MAX_KINDS)
        return;
    metrics_job_observe(workers.metric_index[i], rc == PORTAL_OK, worker_seconds_since(started));
}

/* The housekeeping pass (jobs/maintenance.h), counted in GET /metrics as
 * job kind "maintenance": how often it ran and how long it took, so that
 * its load can be told apart from the requests'. */
static void worker_maintenance(db_conn *db)
{
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    portal_result rc = maintenance_run(db, NULL);
    metrics_job_observe(workers.maintenance_metric, rc == PORTAL_OK,
                        worker_seconds_since(&started));
}

static void worker_run_job(db_conn *db, const job_row *job)
{
    const job_kind *k = worker_find(job->kind);
    int max_attempts = worker_max_attempts(job);
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    portal_result rc = k ? k->run(db, workers.cfg, job->payload) : PORTAL_ERR_INVALID;
    worker_observe(k, rc, &started);
    if (rc == PORTAL_OK) {
        jobs_complete(db, job->id);
        return;
    }
    char error[128];
    snprintf(error, sizeof error, "%s: %s", k ? "handler failed" : "unknown job kind",
             portal_result_name(rc));
    long long retry_ms = job->attempts >= max_attempts
                             ? -1
                             : jobs_backoff_ms(workers.cfg->job_retry_base_ms, job->attempts);
    log_warning("event=job_failed job_id=%lld kind=%s attempt=%d retry_in_ms=%lld error=\"%s\"",
                job->id, job->kind, job->attempts, retry_ms, error);
    jobs_fail(db, job, error, workers.cfg->job_retry_base_ms, max_attempts);
    if (k && k->give_up && job->attempts >= max_attempts)
        k->give_up(db, workers.cfg, job->payload);
}

/* Job kinds people wait for (activation codes, reset links, security
 * notices): claimed before bulk work such as exports. */
static const char WORKER_MESSAGE_KINDS[] = "{mail,sms}";

/* One worker thread; arg is its index as an intptr_t. With two or more
 * workers, worker 0 takes messages only, so a queue full of exports never
 * holds up a mail; every worker takes messages before anything else. */
static void *worker_main(void *arg)
{
    int messages_only = (intptr_t)arg == 0 && workers.count_wanted > 1;
    db_conn *db = db_connect_dedicated(workers.cfg->database_url);
    int listening = db && jobs_listen(db) == PORTAL_OK;
    job_row *job = malloc(sizeof *job);
    while (job && !atomic_load(&workers.stopping)) {
        if (!db) {
            sleep(1);
            db = db_connect_dedicated(workers.cfg->database_url);
            continue;
        }
        if (!listening) {
            listening = jobs_listen(db) == PORTAL_OK;
            if (!listening) {
                sleep(1);
                continue;
            }
        }
        int found = 0;
        if (jobs_claim(db, WORKER_MESSAGE_KINDS, messages_only, job, &found) != PORTAL_OK) {
            listening = 0; /* the connection may have dropped: re-listen */
            sleep(1);
            continue;
        }
        if (found) {
            worker_run_job(db, job);
        } else {
            if (!messages_only && maintenance_due(time(NULL)))
                worker_maintenance(db);
            worker_wait(db);
        }
        /* After a job (an export frees megabytes) or a quiet second: the
         * free pages of all threads' arenas go back, twice a minute at most. */
        heap_release_if_due(time(NULL));
    }
    free(job);
    db_close_dedicated(db);
    return NULL;
}

portal_result worker_start(const portal_config *cfg, const job_kind *kinds, size_t n_kinds)
{
    workers.cfg = cfg;
    workers.kinds = kinds;
    workers.n_kinds = n_kinds;
    for (size_t i = 0; i < n_kinds && i < WORKER_MAX_KINDS; i++)
        workers.metric_index[i] = metrics_job_kind(kinds[i].kind);
    workers.maintenance_metric = metrics_job_kind("maintenance");
    atomic_store(&workers.stopping, 0);
    workers.count = 0;
    int want = cfg->workers > WORKER_MAX ? WORKER_MAX : cfg->workers;
    workers.count_wanted = want;
    for (int i = 0; i < want; i++) {
        if (pthread_create(&workers.threads[i], NULL, worker_main, (void *)(intptr_t)i) != 0) {
            worker_stop();
            return PORTAL_ERR_MEMORY;
        }
        workers.count++;
    }
    return PORTAL_OK;
}

void worker_stop(void)
{
    atomic_store(&workers.stopping, 1);
    for (int i = 0; i < workers.count; i++)
        pthread_join(workers.threads[i], NULL);
    workers.count = 0;
}
