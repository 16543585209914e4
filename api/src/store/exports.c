/* store/exports.c: see exports.h. */
#include "store/exports.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "store/access.h"

#define EXPORT_JSON                                                                                \
    "json_build_object('id', e.id, 'status', CASE WHEN e.status = 'ready' AND e.expires_at <="     \
    " now() THEN 'expired' ELSE e.status END, 'format', e.format, 'as_of', e.as_of,"               \
    " 'scheme_ids', to_json(e.scheme_ids), 'created_by', json_build_object('id',"                  \
    " e.created_by, 'token_id', e.created_by_token, 'name', e.created_by_name),"                   \
    " 'row_count', e.row_count, 'size_bytes', e.size_bytes, 'created_at', to_char("                \
    "e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), 'finished_at',"        \
    " to_char(e.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"                \
    " 'expires_at', to_char(e.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

portal_result exports_create(db_conn *db, const export_new *e, char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {e->organisation_id, e->created_by, e->created_by_token,
                            e->created_by_name, e->scheme_ids, e->as_of,
                            e->format,          e->language,   e->full_bsn ? "t" : "f"};
    return db_query_copy(db,
                         "INSERT INTO exports (organisation_id, created_by, created_by_token,"
                         " created_by_name, scheme_ids, as_of, format, language, full_bsn)"
                         " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid[], $6::date,"
                         " $7, $8, $9::boolean) RETURNING id",
                         9, params, out_id, PORTAL_ID_LEN);
}

portal_result exports_get(db_conn *db, const char *id, char **json, export_row *row)
{
    *json = NULL;
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {id};
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT " EXPORT_JSON "::text, e.organisation_id, e.scheme_ids::text,"
                     " e.as_of::text, e.format, e.language, e.status, e.full_bsn,"
                     " e.expires_at <= now(), coalesce(e.size_bytes, 0)"
                     " FROM exports e WHERE e.id = $1::uuid",
                     1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    snprintf(row->id, sizeof row->id, "%s", id);
    snprintf(row->organisation_id, sizeof row->organisation_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(row->scheme_ids, sizeof row->scheme_ids, "%s", PQgetvalue(res, 0, 2));
    snprintf(row->as_of, sizeof row->as_of, "%s", PQgetvalue(res, 0, 3));
    snprintf(row->format, sizeof row->format, "%s", PQgetvalue(res, 0, 4));
    snprintf(row->language, sizeof row->language, "%s", PQgetvalue(res, 0, 5));
    snprintf(row->status, sizeof row->status, "%s", PQgetvalue(res, 0, 6));
    row->full_bsn = PQgetvalue(res, 0, 7)[0] == 't';
    row->expired = PQgetvalue(res, 0, 8)[0] == 't';
    row->size_bytes = atoll(PQgetvalue(res, 0, 9));
    PQclear(res);
    return *json ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result exports_list(db_conn *db, const char *organisation_id, const portal_caller *caller,
                           const char *after_created, const char *after_id, int limit, char **json)
{
    access_visibility vis;
    char lim[16];
    access_visibility_of(caller, &vis);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {organisation_id, vis.param[0], vis.param[1],
                            vis.param[2],    vis.param[3], vis.param[4],
                            after_created,   after_id,     lim};
    *json = NULL;
    return db_query_text(
        db,
        "SELECT coalesce(json_agg(j ORDER BY c DESC, i DESC), '[]')::text FROM ("
        " SELECT " EXPORT_JSON " AS j, e.created_at AS c, e.id AS i FROM exports e"
        " WHERE ($1::uuid IS NULL OR e.organisation_id = $1::uuid)"
        /* Exports of schemes on which the caller may make exports now. */
        " AND e.scheme_ids <@ ARRAY(SELECT v.scheme_id FROM portal_visible_schemes($2::uuid, $3,"
        "   $4::text[], $5::boolean, $6::uuid[]) v WHERE EXISTS (SELECT 1 FROM rights r"
        "   WHERE r.organisation_kind = v.rights_kind AND r.id = ANY (v.rights)"
        "   AND 'exports' = ANY (r.capabilities)))"
        " AND ($7::timestamptz IS NULL OR (e.created_at, e.id) < ($7::timestamptz, $8::uuid))"
        " ORDER BY e.created_at DESC, e.id DESC LIMIT $9::int) page",
        9, params, json);
}

portal_result exports_clear_chunks(db_conn *db, const char *id)
{
    const char *params[] = {id};
    return db_exec(db, "DELETE FROM export_chunks WHERE export_id = $1::uuid", 1, params);
}

portal_result exports_add_chunk(db_conn *db, const char *id, int seq, const char *data, size_t len)
{
    return db_chunk_write(db,
                          "INSERT INTO export_chunks (export_id, seq, data)"
                          " VALUES ($1::uuid, $2::int, $3::bytea)",
                          id, seq, data, len);
}

portal_result exports_finish(db_conn *db, const char *id, long long size, long long rows)
{
    char s[24], r[24];
    snprintf(s, sizeof s, "%lld", size);
    snprintf(r, sizeof r, "%lld", rows);
    const char *params[] = {id, s, r};
    return db_exec(db,
                   "UPDATE exports SET status = 'ready', size_bytes = $2::bigint,"
                   " row_count = $3::int, finished_at = now(), error = NULL WHERE id = $1::uuid",
                   3, params);
}

portal_result exports_fail(db_conn *db, const char *id, const char *reason)
{
    const char *params[] = {id, reason};
    return db_exec(db,
                   "UPDATE exports SET status = 'failed', error = left($2, 500),"
                   " finished_at = now() WHERE id = $1::uuid AND status = 'pending'",
                   2, params);
}

portal_result exports_scheme_owners(db_conn *db, const char *scheme_ids, const char *except,
                                    char (*out)[PORTAL_ID_LEN], int max, int *n)
{
    const char *params[] = {scheme_ids, except};
    *n = 0;
    PGresult *res = db_query(db,
                             "SELECT DISTINCT organisation_id FROM schemes"
                             " WHERE id = ANY ($1::uuid[]) AND organisation_id <> $2::uuid"
                             " ORDER BY 1",
                             2, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; i < PQntuples(res) && *n < max; i++)
        snprintf(out[(*n)++], PORTAL_ID_LEN, "%s", PQgetvalue(res, i, 0));
    PQclear(res);
    return PORTAL_OK;
}

portal_result exports_read_chunk(db_conn *db, const char *id, int seq, char **data, size_t *len)
{
    return db_chunk_read(
        db, "SELECT data FROM export_chunks WHERE export_id = $1::uuid AND seq = $2::int", id, seq,
        data, len);
}

portal_result exports_expire(db_conn *db, long long *expired)
{
    return db_query_long(db,
                         "WITH gone AS (UPDATE exports SET status = 'expired'"
                         " WHERE status = 'ready' AND expires_at <= now() RETURNING id),"
                         " del AS (DELETE FROM export_chunks WHERE export_id IN"
                         " (SELECT id FROM gone)) SELECT count(*) FROM gone",
                         0, NULL, expired);
}

/* The as-of query behind a cursor, its parameters bound (so PostgreSQL plans
 * it for the actual schemes and date, and evaluates them once). Insurer
 * staff's exports show former participants in full ($4: the exporter's
 * organisation). */
static const char EXPORTS_DECLARE[] =
    "DECLARE export_rows NO SCROLL CURSOR FOR"
    " SELECT * FROM portal_export_rows($1::uuid[], $2::date, $3::boolean, EXISTS (SELECT 1"
    " FROM organisations o WHERE o.id = $4::uuid AND o.kind = 'insurer'))";

portal_result exports_each_row(db_conn *db, const export_row *e, int ncols, exports_row_sink sink,
                               void *ctx, long long *rows)
{
    if (ncols <= 0 || ncols > EXPORTS_MAX_COLS)
        return PORTAL_ERR_INVALID;
    const char *params[] = {e->scheme_ids, e->as_of, e->full_bsn ? "true" : "false",
                            e->organisation_id};
    portal_result rc = db_begin(db);
    /* The whole result is read: plan for that, not for the first rows. */
    if (rc == PORTAL_OK)
        rc = db_exec_script(db, "SET LOCAL cursor_tuple_fraction = 1.0");
    if (rc == PORTAL_OK)
        rc = db_exec(db, EXPORTS_DECLARE, 4, params);
    while (rc == PORTAL_OK) {
        PGresult *res = PQexec(db_pg(db), "FETCH 2000 FROM export_rows");
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != ncols) {
            PQclear(res);
            rc = PORTAL_ERR_DATABASE;
            break;
        }
        int n = PQntuples(res);
        for (int r = 0; r < n && rc == PORTAL_OK; r++) {
            const char *values[EXPORTS_MAX_COLS];
            for (int c = 0; c < ncols; c++)
                values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
            rc = sink(ctx, values);
        }
        *rows += n;
        PQclear(res);
        if (n < EXPORTS_FETCH)
            break;
    }
    db_rollback(db);
    return rc;
}

portal_result exports_pending_count(db_conn *db, const char *user_id, const char *token_id,
                                    int *count)
{
    const char *params[] = {user_id && *user_id ? user_id : NULL,
                            token_id && *token_id ? token_id : NULL};
    *count = 0;
    return db_query_int(db,
                        "SELECT count(*) FROM exports"
                        " WHERE status = 'pending' AND created_at > now() - interval '1 day'"
                        "   AND (created_by = $1::uuid OR created_by_token = $2::uuid)",
                        2, params, count);
}
