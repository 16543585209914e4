/* store/batches.c: see batches.h. Owns the SQL of a batch's life (create, its file, the participant
 * cursor, show, list, lock, queue, process, end) apart from the COPY of its rows. */
#include "store/batches.h"
#include "store/db_values.h"
#include "store/batches_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/access.h"
#include "store/jobs.h"

#define BATCHES_FETCH 5000

/* clang-format off */

#define BATCH_JSON                                                                                 \
    "json_build_object('id', b.id, 'scheme_id', b.scheme_id, 'kind', b.kind,"                      \
    " 'effective_date', to_char(b.effective_date, 'YYYY-MM-DD'), 'status', b.status,"              \
    " 'file_name', b.file_name, 'file_format', b.file_format, 'file_bytes', b.file_bytes,"         \
    " 'row_count', b.row_count, 'valid_row_count', b.valid_row_count,"                             \
    " 'error_count', b.error_count, 'review_row_count', b.review_row_count,"                       \
    " 'applied_row_count', b.applied_row_count, 'skipped_row_count', b.skipped_row_count,"         \
    " 'skip_invalid_rows', b.skip_invalid_rows,"                                                   \
    " 'created_at', to_char((b.created_at) AT TIME ZONE 'UTC',"                                    \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"                                                       \
    " 'created_by', json_build_object('kind', b.created_by_kind, 'id', b.created_by,"              \
    "   'token_id', b.created_by_token, 'name', b.created_by_name),"                               \
    " 'submitted_at', to_char((b.submitted_at) AT TIME ZONE 'UTC',"                                \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"                                                       \
    " 'finished_at', to_char((b.finished_at) AT TIME ZONE 'UTC',"                                  \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"                                                       \
    " 'discarded_at', to_char((b.discarded_at) AT TIME ZONE 'UTC',"                                \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))"
/* clang-format on */

/* Copies in into out (size bytes), cut to fit and always terminated. */
void batches_copy_text(char *out, size_t size, const char *in)
{
    snprintf(out, size, "%s", in ? in : "");
}

portal_result batches_find_open(db_conn *db, const char *scheme_id, const char *kind,
                                const char *sha256, char id[PORTAL_ID_LEN], int *found)
{
    const char *params[] = {scheme_id, kind, sha256};
    *found = 0;
    PGresult *res = db_query(db,
                             "SELECT id FROM batches WHERE scheme_id = $1::uuid AND kind = $2"
                             " AND file_sha256 = $3 AND status IN ('validating', 'invalid',"
                             " 'valid', 'queued', 'processing') ORDER BY created_at DESC LIMIT 1",
                             3, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1) {
        *found = 1;
        batches_copy_text(id, PORTAL_ID_LEN, PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result batches_create(db_conn *db, const batch_new *b, char id[PORTAL_ID_LEN])
{
    char bytes[24];
    snprintf(bytes, sizeof bytes, "%lld", b->file_bytes);
    const char *params[] = {b->organisation_id,
                            b->scheme_id,
                            b->kind,
                            b->effective_date,
                            b->file_name,
                            b->file_format,
                            b->file_sha256,
                            bytes,
                            b->language,
                            b->created_by,
                            b->created_by_token,
                            b->created_by_kind,
                            b->created_by_name};
    PGresult *res = db_query(
        db,
        "INSERT INTO batches (organisation_id, scheme_id, kind, effective_date, file_name,"
        " file_format, file_sha256, file_bytes, language, created_by, created_by_token,"
        " created_by_kind, created_by_name) VALUES ($1::uuid, $2::uuid, $3, $4::date, $5, $6, $7,"
        " $8::bigint, $9, $10::uuid, $11::uuid, $12, $13) RETURNING id",
        13, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    batches_copy_text(id, PORTAL_ID_LEN, PQgetvalue(res, 0, 0));
    PQclear(res);
    return PORTAL_OK;
}

portal_result batches_store_file(db_conn *db, const char *id, const void *data, size_t len)
{
    const char *bytes = data;
    for (size_t at = 0, seq = 0; at < len; seq++) {
        size_t n = len - at < BATCHES_FILE_CHUNK ? len - at : BATCHES_FILE_CHUNK;
        char seqs[16];
        snprintf(seqs, sizeof seqs, "%zu", seq);
        const char *values[] = {id, seqs, bytes + at};
        const int lengths[] = {0, 0, (int)n};
        const int formats[] = {0, 0, 1};
        PGresult *res = PQexecParams(db_pg(db),
                                     "INSERT INTO batch_files (batch_id, seq, data)"
                                     " VALUES ($1::uuid, $2::int, $3::bytea)",
                                     3, NULL, values, lengths, formats, 0);
        int ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (!ok)
            return PORTAL_ERR_DATABASE;
        at += n;
    }
    return PORTAL_OK;
}

portal_result batches_store_stream(db_conn *db, const char *id, FILE *f)
{
    char *block = malloc(BATCHES_FILE_CHUNK);
    portal_result rc = block ? PORTAL_OK : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK && fseek(f, 0, SEEK_SET) != 0)
        rc = PORTAL_ERR_IO;
    for (size_t seq = 0; rc == PORTAL_OK; seq++) {
        size_t n = fread(block, 1, BATCHES_FILE_CHUNK, f);
        if (n < BATCHES_FILE_CHUNK && ferror(f)) {
            rc = PORTAL_ERR_IO;
            break;
        }
        if (n == 0)
            break;
        char seqs[16];
        snprintf(seqs, sizeof seqs, "%zu", seq);
        const char *values[] = {id, seqs, block};
        const int lengths[] = {0, 0, (int)n};
        const int formats[] = {0, 0, 1};
        PGresult *res = PQexecParams(db_pg(db),
                                     "INSERT INTO batch_files (batch_id, seq, data)"
                                     " VALUES ($1::uuid, $2::int, $3::bytea)",
                                     3, NULL, values, lengths, formats, 0);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = PORTAL_ERR_DATABASE;
        PQclear(res);
        if (n < BATCHES_FILE_CHUNK)
            break;
    }
    free(block);
    return rc;
}

portal_result batches_read_file(db_conn *db, const char *id, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    const char *values[] = {id};
    PGresult *res = PQexecParams(db_pg(db),
                                 "SELECT data FROM batch_files WHERE batch_id = $1::uuid"
                                 " ORDER BY seq",
                                 1, NULL, values, NULL, NULL, 1);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        return PORTAL_ERR_DATABASE;
    }
    int n = PQntuples(res);
    size_t total = 0;
    for (int i = 0; i < n; i++)
        total += (size_t)PQgetlength(res, i, 0);
    if (n == 0) {
        PQclear(res);
        return PORTAL_ERR_NOT_FOUND;
    }
    char *out = malloc(total ? total : 1);
    if (!out) {
        PQclear(res);
        return PORTAL_ERR_MEMORY;
    }
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        size_t l = (size_t)PQgetlength(res, i, 0);
        memcpy(out + at, PQgetvalue(res, i, 0), l);
        at += l;
    }
    PQclear(res);
    *data = out;
    *len = total;
    return PORTAL_OK;
}

/* clang-format off */
static const char PARTICIPANTS_DECLARE[] =
    "DECLARE batch_participants NO SCROLL CURSOR FOR"
    " SELECT p.id, p.participant_number, p.bsn, coalesce(t.status, f.status, ''),"
    " coalesce(to_char(coalesce(t.employment_start, f.employment_start), 'YYYY-MM-DD'), ''),"
    " coalesce(to_char(coalesce(t.employment_end, f.employment_end), 'YYYY-MM-DD'), ''),"
    " coalesce((SELECT to_char(min(d), 'YYYY-MM-DD') FROM unnest(pend.ds) d"
    "   WHERE d >= coalesce(t.employment_start, f.employment_start)), ''),"
    " coalesce(e.salary::text, ''), coalesce(e.parttime_percentage::text, '')"
    " FROM participants p"
    /* The period valid today, else the first one when the participant starts later. */
    " LEFT JOIN participant_periods t ON t.scheme_id = $1::uuid AND t.participant_id = p.id"
    "   AND t.superseded_at IS NULL AND t.valid @> $2::date"
    " LEFT JOIN participant_periods f ON t.participant_id IS NULL AND f.scheme_id = $1::uuid"
    "   AND f.participant_id = p.id AND f.superseded_at IS NULL AND f.first_period"
    "   AND lower(f.valid) > $2::date"
    /* The values on the effective date. */
    " LEFT JOIN participant_periods e ON $3::date IS NOT NULL AND e.scheme_id = $1::uuid"
    "   AND e.participant_id = p.id AND e.superseded_at IS NULL AND e.valid @> $3::date"
    /* Terminations awaiting review. */
    " LEFT JOIN (SELECT participant_id, array_agg(effective_date) AS ds FROM participant_changes"
    "   WHERE scheme_id = $1::uuid AND type = 'termination' AND status = 'pending_review'"
    "   GROUP BY participant_id) pend ON pend.participant_id = p.id"
    " WHERE p.scheme_id = $1::uuid AND p.rejected_at IS NULL";
/* clang-format on */

portal_result batches_each_participant(db_conn *db, const char *scheme_id, const char *today,
                                       const char *effective_date, batch_participant_fn fn,
                                       void *ctx)
{
    portal_result rc = db_exec_script(db, "SET LOCAL cursor_tuple_fraction = 1.0");
    if (rc == PORTAL_OK) {
        const char *params[] = {scheme_id, today, effective_date};
        rc = db_exec(db, PARTICIPANTS_DECLARE, 3, params);
    }
    batch_participant p;
    while (rc == PORTAL_OK) {
        PGresult *res = PQexec(db_pg(db), "FETCH 5000 FROM batch_participants");
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) != 9) {
            PQclear(res);
            rc = PORTAL_ERR_DATABASE;
            break;
        }
        int n = PQntuples(res);
        for (int r = 0; r < n && rc == PORTAL_OK; r++) {
            batches_copy_text(p.id, sizeof p.id, PQgetvalue(res, r, 0));
            batches_copy_text(p.number, sizeof p.number, PQgetvalue(res, r, 1));
            batches_copy_text(p.bsn, sizeof p.bsn, PQgetvalue(res, r, 2));
            batches_copy_text(p.status, sizeof p.status, PQgetvalue(res, r, 3));
            batches_copy_text(p.employment_start, sizeof p.employment_start, PQgetvalue(res, r, 4));
            batches_copy_text(p.employment_end, sizeof p.employment_end, PQgetvalue(res, r, 5));
            batches_copy_text(p.pending_end, sizeof p.pending_end, PQgetvalue(res, r, 6));
            batches_copy_text(p.salary, sizeof p.salary, PQgetvalue(res, r, 7));
            batches_copy_text(p.parttime, sizeof p.parttime, PQgetvalue(res, r, 8));
            rc = fn(ctx, &p);
        }
        PQclear(res);
        if (n < BATCHES_FETCH)
            break;
    }
    if (rc == PORTAL_OK)
        rc = db_exec_script(db, "CLOSE batch_participants");
    return rc;
}

/* Fills meta from columns 0..17 of row r. */
static void meta_of(PGresult *res, int r, batch_meta *m)
{
    memset(m, 0, sizeof *m);
    batches_copy_text(m->id, sizeof m->id, PQgetvalue(res, r, 0));
    batches_copy_text(m->organisation_id, sizeof m->organisation_id, PQgetvalue(res, r, 1));
    batches_copy_text(m->scheme_id, sizeof m->scheme_id, PQgetvalue(res, r, 2));
    batches_copy_text(m->kind, sizeof m->kind, PQgetvalue(res, r, 3));
    batches_copy_text(m->status, sizeof m->status, PQgetvalue(res, r, 4));
    batches_copy_text(m->effective_date, sizeof m->effective_date, PQgetvalue(res, r, 5));
    batches_copy_text(m->file_format, sizeof m->file_format, PQgetvalue(res, r, 6));
    batches_copy_text(m->language, sizeof m->language, PQgetvalue(res, r, 7));
    batches_copy_text(m->created_by, sizeof m->created_by, PQgetvalue(res, r, 8));
    m->row_count = atoi(PQgetvalue(res, r, 9));
    m->valid_row_count = atoi(PQgetvalue(res, r, 10));
    m->error_count = atoi(PQgetvalue(res, r, 11));
    m->review_row_count = atoi(PQgetvalue(res, r, 12));
    m->applied_row_count = atoi(PQgetvalue(res, r, 13));
    m->skipped_row_count = atoi(PQgetvalue(res, r, 14));
    m->skip_invalid_rows = PQgetvalue(res, r, 15)[0] == 't';
    m->next_row = atoi(PQgetvalue(res, r, 16));
    m->max_row = atoi(PQgetvalue(res, r, 17));
}

#define META_COLUMNS                                                                               \
    "b.id, b.organisation_id, b.scheme_id, b.kind, b.status,"                                      \
    " coalesce(to_char(b.effective_date, 'YYYY-MM-DD'), ''), b.file_format, b.language,"           \
    " coalesce(b.created_by::text, ''), b.row_count, b.valid_row_count, b.error_count,"            \
    " b.review_row_count, b.applied_row_count, b.skipped_row_count, b.skip_invalid_rows,"          \
    " b.next_row, coalesce((SELECT max(r.row_number) FROM batch_rows r"                            \
    "   WHERE r.batch_id = b.id), 0)"

portal_result batches_get(db_conn *db, const char *id, batch_meta *meta, char **json)
{
    const char *params[] = {id};
    if (json)
        *json = NULL;
    PGresult *res;
    portal_result rc = db_query_row(db,
                                    "SELECT " META_COLUMNS ", " BATCH_JSON "::text FROM batches b"
                                    " WHERE b.id = $1::uuid",
                                    1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    meta_of(res, 0, meta);
    rc = PORTAL_OK;
    if (json && !(*json = strdup(PQgetvalue(res, 0, 18))))
        rc = PORTAL_ERR_MEMORY;
    PQclear(res);
    return rc;
}

portal_result batches_lock(db_conn *db, const char *id, batch_meta *meta)
{
    const char *params[] = {id};
    PGresult *res;
    portal_result rc = db_query_row(
        db, "SELECT " META_COLUMNS " FROM batches b WHERE b.id = $1::uuid FOR UPDATE OF b", 1,
        params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    meta_of(res, 0, meta);
    PQclear(res);
    return PORTAL_OK;
}

portal_result batches_list(db_conn *db, const portal_caller *caller, const char *scheme_id,
                           const char *status, const char *after_created, const char *after_id,
                           int limit, char **json)
{
    access_visibility vis;
    char lim[16];
    access_visibility_of(caller, &vis);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[] = {vis.param[0], vis.param[1], vis.param[2],  vis.param[3], vis.param[4],
                            scheme_id,    status,       after_created, after_id,     lim};
    *json = NULL;
    return db_query_text(
        db,
        "SELECT coalesce(json_agg(j ORDER BY c DESC, i DESC), '[]')::text FROM ("
        " SELECT " BATCH_JSON " AS j, b.created_at AS c, b.id AS i FROM batches b"
        " WHERE b.scheme_id IN (SELECT v.scheme_id FROM portal_visible_schemes($1::uuid, $2,"
        "   $3::text[], $4::boolean, $5::uuid[]) v WHERE EXISTS (SELECT 1 FROM rights r"
        "   WHERE r.organisation_kind = v.rights_kind AND r.id = ANY (v.rights)"
        "   AND 'batches' = ANY (r.capabilities)))"
        " AND ($6::uuid IS NULL OR b.scheme_id = $6::uuid)"
        " AND ($7::text IS NULL OR b.status = $7::text)"
        " AND ($8::timestamptz IS NULL OR (b.created_at, b.id) < ($8::timestamptz, $9::uuid))"
        " ORDER BY b.created_at DESC, b.id DESC LIMIT $10::int) page",
        10, params, json);
}

portal_result batches_errors(db_conn *db, const char *id, int after_seq, int max,
                             batch_error_row *out, int *n)
{
    char after[16], lim[16];
    snprintf(after, sizeof after, "%d", after_seq);
    snprintf(lim, sizeof lim, "%d", max);
    const char *params[] = {id, after, lim};
    *n = 0;
    PGresult *res = db_query(db,
                             "SELECT seq, row_number, col, field, code, coalesce(rule_id, '')"
                             " FROM batch_errors WHERE batch_id = $1::uuid AND seq > $2::int"
                             " ORDER BY seq LIMIT $3::int",
                             3, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    int rows = PQntuples(res);
    for (int r = 0; r < rows && r < max; r++) {
        batch_error_row *e = &out[r];
        e->seq = atoi(PQgetvalue(res, r, 0));
        e->row_number = atoi(PQgetvalue(res, r, 1));
        batches_copy_text(e->col, sizeof e->col, PQgetvalue(res, r, 2));
        batches_copy_text(e->field, sizeof e->field, PQgetvalue(res, r, 3));
        batches_copy_text(e->code, sizeof e->code, PQgetvalue(res, r, 4));
        batches_copy_text(e->rule_id, sizeof e->rule_id, PQgetvalue(res, r, 5));
        (*n)++;
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result batches_queue(db_conn *db, const batch_meta *b, int skip_invalid_rows)
{
    const char *params[] = {b->scheme_id, b->id, skip_invalid_rows ? "t" : "f"};
    portal_result rc =
        db_exec(db, "SELECT 1 FROM schemes WHERE id = $1::uuid FOR UPDATE", 1, params);
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "INSERT INTO scheme_locks (scheme_id, batch_id) VALUES ($1::uuid, $2::uuid)"
                     " ON CONFLICT DO NOTHING",
                     2, params);
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "UPDATE batches SET status = 'queued', skip_invalid_rows = $2::boolean,"
                     " submitted_at = now() WHERE id = $1::uuid",
                     2, params + 1);
    if (rc == PORTAL_OK) {
        char payload[96];
        snprintf(payload, sizeof payload, "{\"batch_id\":\"%s\"}", b->id);
        rc = jobs_enqueue(db, "batch", payload);
    }
    return rc;
}

portal_result batches_discard(db_conn *db, const char *id)
{
    const char *params[] = {id};
    portal_result rc = db_exec(db,
                               "UPDATE batches SET status = 'discarded', discarded_at = now()"
                               " WHERE id = $1::uuid",
                               1, params);
    if (rc == PORTAL_OK)
        rc = db_exec(db, "DELETE FROM batch_rows WHERE batch_id = $1::uuid", 1, params);
    return rc;
}

portal_result batches_start(db_conn *db, const char *id)
{
    const char *params[] = {id};
    return db_exec(db,
                   "UPDATE batches SET status = 'processing', started_at = coalesce(started_at,"
                   " now()) WHERE id = $1::uuid AND status IN ('queued', 'processing')",
                   1, params);
}

portal_result batches_apply_chunk(db_conn *db, const char *id, int from, int to, int *applied)
{
    char f[16], t[16];
    snprintf(f, sizeof f, "%d", from);
    snprintf(t, sizeof t, "%d", to);
    const char *params[] = {id, f, t};
    *applied = 0;
    return db_query_int(db, "SELECT portal_batch_apply($1::uuid, $2::int, $3::int)", 3, params,
                        applied);
}

portal_result batches_end(db_conn *db, const char *id, const char *status, const char *reason)
{
    const char *params[] = {id, status, reason};
    portal_result rc = db_exec(db,
                               "UPDATE batches SET status = $2, finished_at = now(),"
                               " failure_reason = $3 WHERE id = $1::uuid",
                               3, params);
    if (rc == PORTAL_OK)
        rc = db_exec(db, "DELETE FROM scheme_locks WHERE batch_id = $1::uuid", 1, params);
    return rc;
}

portal_result batches_release_dead_locks(db_conn *db, long long *n)
{
    *n = 0;
    return db_query_long(
        db,
        "WITH dead AS (DELETE FROM scheme_locks l WHERE NOT EXISTS (SELECT 1 FROM batches b"
        "   WHERE b.id = l.batch_id AND b.status IN ('queued', 'processing')"
        "   AND EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'batch'"
        "     AND j.payload ->> 'batch_id' = b.id::text AND j.status IN ('pending', 'running')))"
        "   AND l.locked_at < now() - interval '1 minute'"
        "   RETURNING l.batch_id),"
        " failed AS (UPDATE batches SET status = 'failed', finished_at = now(),"
        "   failure_reason = 'lock_released' WHERE id IN (SELECT batch_id FROM dead)"
        "   AND status IN ('queued', 'processing'))"
        " SELECT count(*) FROM dead",
        0, NULL, n);
}

portal_result batches_uploader(db_conn *db, const char *id, char *email, size_t email_size,
                               char *first_name, size_t name_size)
{
    const char *params[] = {id};
    email[0] = first_name[0] = '\0';
    PGresult *res = db_query(db,
                             "SELECT u.email, u.first_name FROM batches b JOIN users u"
                             " ON u.id = b.created_by WHERE b.id = $1::uuid",
                             1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1) {
        batches_copy_text(email, email_size, PQgetvalue(res, 0, 0));
        batches_copy_text(first_name, name_size, PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result batches_scheme(db_conn *db, const char *scheme_id,
                             char organisation_id[PORTAL_ID_LEN], char kind[16])
{
    const char *params[] = {scheme_id};
    PGresult *res;
    portal_result rc =
        db_query_row(db, "SELECT organisation_id, kind FROM schemes WHERE id = $1::uuid", 1, params,
                     PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    batches_copy_text(organisation_id, PORTAL_ID_LEN, PQgetvalue(res, 0, 0));
    batches_copy_text(kind, 16, PQgetvalue(res, 0, 1));
    PQclear(res);
    return PORTAL_OK;
}

portal_result batches_template_rows(db_conn *db, const char *scheme_id, const char *date,
                                    batch_template_fn fn, void *ctx)
{
    const char *params[] = {scheme_id, date};
    PGresult *res =
        db_query(db,
                 "SELECT p.participant_number, x.display_name, to_char(x.birth_date, 'YYYY-MM-DD'),"
                 " x.salary::text, x.parttime_percentage::text FROM participant_periods x"
                 " JOIN participants p ON p.id = x.participant_id"
                 " WHERE x.scheme_id = $1::uuid AND x.superseded_at IS NULL AND x.valid @> $2::date"
                 " AND x.status IN ('active', 'pending_review') AND p.rejected_at IS NULL"
                 " ORDER BY x.number_key, x.participant_id",
                 2, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    size_t n = (size_t)PQntuples(res);
    batch_salary_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        PQclear(res);
        return PORTAL_ERR_MEMORY;
    }
    for (size_t i = 0; i < n; i++) {
        rows[i].participant_number = PQgetvalue(res, (int)i, 0);
        rows[i].display_name = PQgetvalue(res, (int)i, 1);
        rows[i].birth_date = PQgetvalue(res, (int)i, 2);
        rows[i].salary = PQgetvalue(res, (int)i, 3);
        rows[i].parttime_percentage = PQgetvalue(res, (int)i, 4);
    }
    portal_result rc = fn(ctx, rows, n);
    free(rows);
    PQclear(res);
    return rc;
}
