/* jobs/export_job.c: see export_job.h. */
#include "jobs/export_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "formats/csv.h"
#include "formats/xlsx_export.h"
#include "jobs/payload.h"
#include "store/exports.h"

/* No row of the file comes near this; a longer one fails the export. */
#define EXPORT_ROW_MAX (64 * 1024)

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

/* Runs the as-of query for e and hands every row to sink (see
 * exports_each_row, which owns the SQL and the transaction). */
static portal_result export_each_row(db_conn *db, const export_row *e, exports_row_sink sink,
                                     void *ctx, long long *rows)
{
    return exports_each_row(db, e, EXPORT_NCOLS, sink, ctx, rows);
}

/* CSV: rows gathered into chunks of at most EXPORTS_CHUNK bytes, each
 * written on `out` as it fills. */
typedef struct {
    db_conn *out;
    const char *export_id;
    buf chunk;
    buf row;
    int seq;
    long long size;
} export_csv;

static portal_result export_csv_flush(export_csv *w)
{
    if (w->chunk.len == 0)
        return PORTAL_OK;
    portal_result rc =
        exports_add_chunk(w->out, w->export_id, w->seq++, w->chunk.data, w->chunk.len);
    w->size += (long long)w->chunk.len;
    w->chunk.len = 0;
    return rc;
}

/* Appends one CSV line to the export_csv at ctx (an exports_row_sink); the
 * query has already neutralised formula-like text (portal_export_safe), so
 * fields are only quoted here. */
static portal_result export_csv_line(void *ctx, const char *const *values)
{
    export_csv *w = ctx;
    w->row.len = 0;
    portal_result rc = PORTAL_OK;
    for (int c = 0; c < EXPORT_NCOLS && rc == PORTAL_OK; c++)
        rc = csv_append_field(&w->row, values[c], c == 0, 0);
    if (rc == PORTAL_OK)
        rc = csv_end_row(&w->row);
    if (rc == PORTAL_OK && w->chunk.len + w->row.len > EXPORTS_CHUNK)
        rc = export_csv_flush(w);
    return rc == PORTAL_OK ? buf_append(&w->chunk, w->row.data, w->row.len) : rc;
}

/* Writes the CSV file (a header of column keys, then the rows) in chunks on
 * out (its transaction). */
static portal_result build_csv(db_conn *db, db_conn *out, const export_row *e, long long *size,
                               long long *rows)
{
    export_csv w = {.out = out, .export_id = e->id};
    buf_init(&w.chunk, EXPORTS_CHUNK);
    buf_init(&w.row, EXPORT_ROW_MAX);
    const char *header[EXPORT_NCOLS];
    for (int c = 0; c < EXPORT_NCOLS; c++)
        header[c] = EXPORT_COLUMNS[c].key;
    portal_result rc = export_csv_line(&w, header);
    if (rc == PORTAL_OK)
        rc = export_each_row(db, e, export_csv_line, &w, rows);
    if (rc == PORTAL_OK)
        rc = export_csv_flush(&w);
    *size += w.size;
    buf_free(&w.chunk);
    buf_free(&w.row);
    return rc;
}

static portal_result export_xlsx_sink(void *ctx, const char *const *values)
{
    return xlsx_export_row(ctx, values);
}

/* Writes the XLSX file from the rows, then stores it in chunks. */
static portal_result build_xlsx(db_conn *db, db_conn *out, const export_row *e, long long *size,
                                long long *rows)
{
    char path[] = "/tmp/portal-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return PORTAL_ERR_IO;
    close(fd);
    xlsx_export *x = NULL;
    portal_result rc =
        xlsx_export_open(path, strcmp(e->language, "en") == 0 ? "Participants" : "Deelnemers",
                         EXPORT_COLUMNS, EXPORT_NCOLS, e->language, &x);
    if (rc == PORTAL_OK)
        rc = export_each_row(db, e, export_xlsx_sink, x, rows);
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

void export_job_give_up(db_conn *db, const portal_config *cfg, const char *payload)
{
    (void)cfg;
    char id[PORTAL_ID_LEN];
    if (job_payload_id(payload, "export_id", id) &&
        exports_fail(db, id, "retries_exhausted") == PORTAL_OK)
        log_warning("event=export_failed export_id=%s reason=retries_exhausted", id);
}

portal_result export_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    (void)cfg;
    char id[PORTAL_ID_LEN];
    if (!job_payload_id(payload, "export_id", id))
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
