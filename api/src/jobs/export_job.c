/* jobs/export_job.c: see export_job.h. */
#include "jobs/export_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/log.h"
#include "base/uuid.h"
#include "formats/xlsx_export.h"
#include "store/exports.h"

#define EXPORT_FETCH 2000

/* The as-of query, with its parameters in session settings so that COPY
 * (which takes no bind parameters) and the cursor run the same constant SQL. */
static const char EXPORT_QUERY[] =
    "SELECT * FROM portal_export_rows(current_setting('portal.export_schemes')::uuid[],"
    " current_setting('portal.export_as_of')::date,"
    " current_setting('portal.export_full_bsn')::boolean)";

static const xlsx_column EXPORT_COLUMNS[] = {
    {"participant_number", "Deelnemernummer", "Participant number", XLSX_TEXT, 18},
    {"display_name", "Naam", "Name", XLSX_TEXT, 30},
    {"bsn", "BSN", "BSN", XLSX_TEXT, 12},
    {"birth_date", "Geboortedatum", "Birth date", XLSX_DATE, 14},
    {"gender", "Geslacht", "Gender", XLSX_TEXT, 10},
    {"employment_start", "Datum in dienst", "Employment start", XLSX_DATE, 16},
    {"employment_end", "Datum uit dienst", "Employment end", XLSX_DATE, 16},
    {"salary", "Salaris (fulltime, per jaar)", "Salary (full-time, yearly)", XLSX_MONEY, 18},
    {"parttime_percentage", "Parttimepercentage", "Part-time percentage", XLSX_PERCENT, 14},
    {"status", "Status", "Status", XLSX_TEXT, 12},
    {"scheme_number", "Regelingnummer", "Scheme number", XLSX_TEXT, 14},
    {"scheme_name", "Regeling", "Scheme", XLSX_TEXT, 30},
};
#define EXPORT_NCOLS ((int)(sizeof EXPORT_COLUMNS / sizeof EXPORT_COLUMNS[0]))

portal_result export_csv_crlf(const char *in, size_t len, int *in_quotes, char *out,
                              size_t out_size, size_t *out_len, long long *lines)
{
    for (size_t i = 0; i < len; i++) {
        char ch = in[i];
        if (ch == '"')
            *in_quotes = !*in_quotes;
        if (ch == '\n' && !*in_quotes) {
            if (*out_len + 2 > out_size)
                return PORTAL_ERR_TOO_LARGE;
            out[(*out_len)++] = '\r';
            out[(*out_len)++] = '\n';
            (*lines)++;
            continue;
        }
        if (*out_len + 1 > out_size)
            return PORTAL_ERR_TOO_LARGE;
        out[(*out_len)++] = ch;
    }
    return PORTAL_OK;
}

static portal_result set_params(db_conn *db, const export_row *e)
{
    const char *params[] = {e->scheme_ids, e->as_of, e->full_bsn ? "true" : "false"};
    return db_exec(db,
                   "SELECT set_config('portal.export_schemes', $1, false),"
                   " set_config('portal.export_as_of', $2, false),"
                   " set_config('portal.export_full_bsn', $3, false)",
                   3, params);
}

/* Streams COPY output from db into chunks written on out (its transaction). */
static portal_result build_csv(db_conn *db, db_conn *out, const export_row *e, long long *size,
                               long long *rows)
{
    char *chunk = malloc(EXPORTS_CHUNK + 8);
    if (!chunk)
        return PORTAL_ERR_MEMORY;
    char copy_sql[sizeof EXPORT_QUERY + 64];
    snprintf(copy_sql, sizeof copy_sql, "COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER true)",
             EXPORT_QUERY);
    portal_result rc = set_params(db, e);
    PGresult *res = rc == PORTAL_OK ? PQexec(db_pg(db), copy_sql) : NULL;
    if (rc == PORTAL_OK && (!res || PQresultStatus(res) != PGRES_COPY_OUT))
        rc = PORTAL_ERR_DATABASE;
    PQclear(res);
    size_t used = 0;
    int seq = 0, in_quotes = 0;
    long long lines = 0;
    while (rc == PORTAL_OK) {
        char *data = NULL;
        int n = PQgetCopyData(db_pg(db), &data, 0);
        if (n == -1)
            break;
        if (n < 0) {
            rc = PORTAL_ERR_DATABASE;
            break;
        }
        size_t at = 0;
        while (rc == PORTAL_OK && at < (size_t)n) {
            /* Each input byte takes at most two output bytes. */
            size_t room = (EXPORTS_CHUNK - used) / 2;
            size_t take = (size_t)n - at < room ? (size_t)n - at : room;
            rc = export_csv_crlf(data + at, take, &in_quotes, chunk, EXPORTS_CHUNK + 8, &used,
                                 &lines);
            at += take;
            if (rc == PORTAL_OK && used >= EXPORTS_CHUNK - 1) {
                rc = exports_add_chunk(out, e->id, seq++, chunk, used);
                *size += (long long)used;
                used = 0;
            }
        }
        PQfreemem(data);
    }
    res = PQgetResult(db_pg(db));
    if (rc == PORTAL_OK && (!res || PQresultStatus(res) != PGRES_COMMAND_OK))
        rc = PORTAL_ERR_DATABASE;
    PQclear(res);
    while ((res = PQgetResult(db_pg(db))) != NULL)
        PQclear(res);
    if (rc == PORTAL_OK && used > 0) {
        rc = exports_add_chunk(out, e->id, seq, chunk, used);
        *size += (long long)used;
    }
    *rows = lines > 0 ? lines - 1 : 0; /* minus the header */
    free(chunk);
    return rc;
}

/* Writes the XLSX file from a cursor, then stores it in chunks. */
static portal_result build_xlsx(db_conn *db, db_conn *out, const export_row *e, long long *size,
                                long long *rows)
{
    char path[] = "/tmp/portal-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return PORTAL_ERR_IO;
    close(fd);
    xlsx_export *x = NULL;
    portal_result rc = set_params(db, e);
    if (rc == PORTAL_OK)
        rc = xlsx_export_open(path, strcmp(e->language, "en") == 0 ? "Participants" : "Deelnemers",
                              EXPORT_COLUMNS, EXPORT_NCOLS, e->language, &x);
    if (rc == PORTAL_OK)
        rc = db_begin(db);
    char declare[sizeof EXPORT_QUERY + 64];
    snprintf(declare, sizeof declare, "DECLARE export_rows NO SCROLL CURSOR FOR %s", EXPORT_QUERY);
    if (rc == PORTAL_OK)
        rc = db_exec_script(db, declare);
    while (rc == PORTAL_OK) {
        PGresult *res = PQexec(db_pg(db), "FETCH 2000 FROM export_rows");
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
            PQclear(res);
            rc = PORTAL_ERR_DATABASE;
            break;
        }
        int n = PQntuples(res);
        for (int r = 0; r < n && rc == PORTAL_OK; r++) {
            const char *values[EXPORT_NCOLS];
            for (int c = 0; c < EXPORT_NCOLS; c++)
                values[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
            rc = xlsx_export_row(x, values);
        }
        *rows += n;
        PQclear(res);
        if (n < EXPORT_FETCH)
            break;
    }
    db_rollback(db); /* read-only: closes the cursor */
    if (x) {
        portal_result closed = xlsx_export_close(x);
        if (rc == PORTAL_OK)
            rc = closed;
    }
    FILE *f = rc == PORTAL_OK ? fopen(path, "rb") : NULL;
    if (rc == PORTAL_OK && !f)
        rc = PORTAL_ERR_IO;
    char *chunk = f ? malloc(EXPORTS_CHUNK) : NULL;
    if (f && !chunk)
        rc = PORTAL_ERR_MEMORY;
    for (int seq = 0; rc == PORTAL_OK; seq++) {
        size_t n = fread(chunk, 1, EXPORTS_CHUNK, f);
        if (n == 0)
            break;
        rc = exports_add_chunk(out, e->id, seq, chunk, n);
        *size += (long long)n;
    }
    free(chunk);
    if (f)
        fclose(f);
    unlink(path);
    return rc;
}

portal_result export_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    (void)cfg;
    json_t *p = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
    char id[PORTAL_ID_LEN] = "";
    const char *pid = json_string_value(json_object_get(p, "export_id"));
    if (pid && uuid_valid(pid))
        snprintf(id, sizeof id, "%s", pid);
    json_decref(p);
    if (!id[0])
        return PORTAL_ERR_INVALID;
    char *json = NULL;
    export_row e;
    portal_result rc = exports_get(db, id, &json, &e);
    free(json);
    if (rc == PORTAL_ERR_NOT_FOUND || (rc == PORTAL_OK && strcmp(e.status, "pending") != 0))
        return PORTAL_OK; /* gone, or built by an earlier attempt */
    if (rc != PORTAL_OK)
        return rc;
    /* The file is written on a second connection in one transaction, so a
     * crash or retry never leaves half a file behind. */
    db_conn *out = db_acquire(10000);
    if (!out)
        return PORTAL_ERR_BUSY;
    long long size = 0, rows = 0, expired = 0;
    rc = db_begin(out);
    if (rc == PORTAL_OK)
        rc = exports_clear_chunks(out, id);
    if (rc == PORTAL_OK)
        rc = strcmp(e.format, "xlsx") == 0 ? build_xlsx(db, out, &e, &size, &rows)
                                           : build_csv(db, out, &e, &size, &rows);
    if (rc == PORTAL_OK)
        rc = exports_finish(out, id, size, rows);
    if (rc == PORTAL_OK)
        rc = db_commit(out);
    if (rc != PORTAL_OK)
        db_rollback(out);
    else
        exports_expire(out, &expired);
    db_release(out);
    if (rc == PORTAL_OK)
        log_info("event=export_ready export_id=%s format=%s rows=%lld bytes=%lld", id, e.format,
                 rows, size);
    else if (rc == PORTAL_ERR_TOO_LARGE || rc == PORTAL_ERR_IO)
        return exports_fail(db, id, portal_result_name(rc)) == PORTAL_OK ? PORTAL_OK : rc;
    return rc;
}
