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

#include "base/log.h"
#include "jobs/maintenance.h"

#define WORKER_MAX 64

static struct {
    const portal_config *cfg;
    const job_kind *kinds;
    size_t n_kinds;
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

static void worker_run_job(db_conn *db, const job_row *job)
{
    const job_kind *k = worker_find(job->kind);
    portal_result rc = k ? k->run(db, workers.cfg, job->payload) : PORTAL_ERR_INVALID;
    if (rc == PORTAL_OK) {
        jobs_complete(db, job->id);
        return;
    }
    char error[128];
    snprintf(error, sizeof error, "%s: %s", k ? "handler failed" : "unknown job kind",
             portal_result_name(rc));
    log_warning("event=job_failed job_id=%lld kind=%s attempt=%d error=\"%s\"", job->id, job->kind,
                job->attempts, error);
    jobs_fail(db, job, error);
    if (k && k->give_up && job->attempts >= job->max_attempts)
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
                maintenance_run(db, NULL);
            worker_wait(db);
        }
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
