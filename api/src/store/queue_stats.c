/* store/queue_stats.c: see queue_stats.h. */
#include "store/queue_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Only unfinished jobs: the partial index jobs_due covers them. */
static const char QUEUE_STATS_JOBS_SQL[] =
    "SELECT kind, count(*) FILTER (WHERE status = 'pending'),"
    " count(*) FILTER (WHERE status = 'running'),"
    " COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8"
    " FROM jobs WHERE status IN ('pending', 'running')"
    " GROUP BY kind ORDER BY kind LIMIT $1::int";

static const char QUEUE_STATS_OUTBOX_SQL[] =
    "SELECT (SELECT count(*) FROM mail_outbox WHERE status = 'pending'),"
    " COALESCE((SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8"
    "   FROM mail_outbox WHERE status = 'pending'), 0),"
    " (SELECT count(*) FROM sms_outbox WHERE status = 'pending')";

portal_result queue_stats_read(db_conn *db, queue_stats *out)
{
    memset(out, 0, sizeof *out);
    char limit[16];
    snprintf(limit, sizeof limit, "%d", QUEUE_STATS_MAX_KINDS);
    const char *params[] = {limit};
    PGresult *res = db_query(db, QUEUE_STATS_JOBS_SQL, 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    int rows = PQntuples(res);
    for (int i = 0; i < rows && out->n_kinds < QUEUE_STATS_MAX_KINDS; i++) {
        queue_kind_stats *k = &out->kinds[out->n_kinds++];
        snprintf(k->kind, sizeof k->kind, "%s", PQgetvalue(res, i, 0));
        k->pending = atoll(PQgetvalue(res, i, 1));
        k->running = atoll(PQgetvalue(res, i, 2));
        k->oldest_age_seconds = strtod(PQgetvalue(res, i, 3), NULL);
    }
    PQclear(res);
    res = db_query(db, QUEUE_STATS_OUTBOX_SQL, 0, NULL);
    if (!res || PQntuples(res) != 1) {
        PQclear(res);
        memset(out, 0, sizeof *out);
        return PORTAL_ERR_DATABASE;
    }
    out->mail_pending = atoll(PQgetvalue(res, 0, 0));
    out->mail_oldest_age_seconds = strtod(PQgetvalue(res, 0, 1), NULL);
    out->sms_pending = atoll(PQgetvalue(res, 0, 2));
    PQclear(res);
    return PORTAL_OK;
}
