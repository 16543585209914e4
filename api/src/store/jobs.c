/* store/jobs.c: see jobs.h. */
#include "store/jobs.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>

portal_result jobs_enqueue(db_conn *db, const char *kind, const char *payload_json)
{
    const char *params[] = {kind, payload_json ? payload_json : "{}"};
    return db_exec(db, "INSERT INTO jobs (kind, payload) VALUES ($1, $2::jsonb)", 2, params);
}

portal_result jobs_claim(db_conn *db, const char *priority_kinds, int priority_only, job_row *out,
                         int *found)
{
    char lease[16];
    snprintf(lease, sizeof lease, "%d", JOBS_LEASE_SECONDS);
    const char *params[] = {lease, priority_kinds ? priority_kinds : "{}",
                            priority_only ? "true" : "false"};
    *found = 0;
    PGresult *res = db_query(db,
                             "UPDATE jobs SET status = 'running', attempts = attempts + 1,"
                             " locked_until = now() + make_interval(secs => $1::int)"
                             " WHERE id = (SELECT id FROM jobs"
                             "   WHERE status IN ('pending', 'running') AND run_at <= now()"
                             "     AND (status = 'pending' OR locked_until < now())"
                             "     AND (NOT $3::boolean OR kind = ANY ($2::text[]))"
                             "   ORDER BY kind <> ALL ($2::text[]), run_at, id"
                             "   LIMIT 1 FOR UPDATE SKIP LOCKED)"
                             " RETURNING id, kind, payload::text, attempts, max_attempts",
                             3, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1) {
        out->id = atoll(PQgetvalue(res, 0, 0));
        snprintf(out->kind, sizeof out->kind, "%s", PQgetvalue(res, 0, 1));
        snprintf(out->payload, sizeof out->payload, "%s", PQgetvalue(res, 0, 2));
        out->attempts = atoi(PQgetvalue(res, 0, 3));
        out->max_attempts = atoi(PQgetvalue(res, 0, 4));
        *found = 1;
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result jobs_complete(db_conn *db, long long id)
{
    return db_exec_id(db,
                      "UPDATE jobs SET status = 'done', finished_at = now(), locked_until = NULL,"
                      " last_error = NULL WHERE id = $1",
                      id);
}

long long jobs_backoff_ms(unsigned base_ms, int attempts)
{
    long long cap = (long long)base_ms * JOBS_BACKOFF_CAP;
    long long ms = base_ms;
    for (int i = 1; i < attempts && ms < cap; i++)
        ms *= 2;
    return ms > cap ? cap : ms;
}

portal_result jobs_fail(db_conn *db, const job_row *job, const char *error, unsigned base_ms,
                        int max_attempts)
{
    char ids[24], delay[32], max[16];
    snprintf(ids, sizeof ids, "%lld", job->id);
    snprintf(max, sizeof max, "%d", max_attempts);
    snprintf(delay, sizeof delay, "%.3f", (double)jobs_backoff_ms(base_ms, job->attempts) / 1000.0);
    const char *params[] = {ids, delay, error ? error : "failed", max};
    return db_exec(db,
                   "UPDATE jobs SET locked_until = NULL, last_error = left($3, 1000),"
                   " status = CASE WHEN attempts >= $4::int THEN 'failed' ELSE 'pending' END,"
                   " finished_at = CASE WHEN attempts >= $4::int THEN now() END,"
                   " run_at = now() + make_interval(secs => $2::double precision)"
                   " WHERE id = $1",
                   4, params);
}

portal_result jobs_listen(db_conn *db)
{
    if (db_ensure_connected(db) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return db_exec_script(db, "LISTEN portal_jobs");
}

int jobs_wait(db_conn *db, int timeout_ms)
{
    PGconn *pg = db_pg(db);
    int fd = pg ? PQsocket(pg) : -1;
    if (fd < 0)
        return -1;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int woke = 0;
    if (poll(&pfd, 1, timeout_ms) > 0) {
        PQconsumeInput(pg);
        PGnotify *n;
        while ((n = PQnotifies(pg)) != NULL) {
            PQfreemem(n);
            woke = 1;
        }
    }
    return woke;
}
