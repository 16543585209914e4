/* store/batches_copy.c: the COPY of a batch's checked rows and errors into the database and the end
 * of validation. */
#include "store/batches.h"
#include "store/batches_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/access.h"
#include "store/jobs.h"
/* Bytes of COPY text gathered before they are sent. */
#define BATCHES_COPY_FLUSH (256 * 1024)
/* One COPY line never comes near this (a payload is a few hundred bytes). */
#define BATCHES_COPY_MAX (1024 * 1024)

struct batches_copy {
    db_conn *db;
    char batch_id[PORTAL_ID_LEN];
    int rows;
    int seq; /* the last error's sequence number */
    int failed;
    buf out;
};

/* Appends one COPY text field (NULL as \N) and its separator. */
static portal_result copy_field(buf *b, const char *s, int last)
{
    portal_result rc = PORTAL_OK;
    if (!s) {
        rc = buf_append(b, "\\N", 2);
    } else {
        for (const char *p = s; *p && rc == PORTAL_OK; p++) {
            switch (*p) {
            case '\\':
                rc = buf_append(b, "\\\\", 2);
                break;
            case '\t':
                rc = buf_append(b, "\\t", 2);
                break;
            case '\n':
                rc = buf_append(b, "\\n", 2);
                break;
            case '\r':
                rc = buf_append(b, "\\r", 2);
                break;
            default:
                rc = buf_append(b, p, 1);
                break;
            }
        }
    }
    if (rc == PORTAL_OK)
        rc = buf_append(b, last ? "\n" : "\t", 1);
    return rc;
}

static portal_result copy_flush(batches_copy *c)
{
    if (c->out.len == 0)
        return PORTAL_OK;
    if (PQputCopyData(db_pg(c->db), c->out.data, (int)c->out.len) != 1)
        return PORTAL_ERR_DATABASE;
    c->out.len = 0;
    return PORTAL_OK;
}

portal_result batches_copy_begin(db_conn *db, const char *batch_id, int rows, batches_copy **out)
{
    *out = NULL;
    batches_copy *c = calloc(1, sizeof *c);
    if (!c)
        return PORTAL_ERR_MEMORY;
    c->db = db;
    c->rows = rows;
    batches_copy_text(c->batch_id, sizeof c->batch_id, batch_id);
    buf_init(&c->out, BATCHES_COPY_MAX);
    PGresult *res =
        PQexec(db_pg(db), rows ? "COPY batch_rows (batch_id, row_number, participant_id,"
                                 " participant_number, bsn, effective_date, status,"
                                 " review_reasons, payload) FROM STDIN"
                               : "COPY batch_errors (batch_id, seq, row_number, col, field,"
                                 " code, rule_id) FROM STDIN");
    int ok = res && PQresultStatus(res) == PGRES_COPY_IN;
    PQclear(res);
    if (!ok) {
        buf_free(&c->out);
        free(c);
        return PORTAL_ERR_DATABASE;
    }
    *out = c;
    return PORTAL_OK;
}

static portal_result copy_after_line(batches_copy *c, portal_result rc)
{
    if (rc == PORTAL_OK && c->out.len >= BATCHES_COPY_FLUSH)
        rc = copy_flush(c);
    if (rc != PORTAL_OK)
        c->failed = 1;
    return rc;
}

portal_result batches_copy_row(batches_copy *c, const batch_row_new *r)
{
    char number[16];
    snprintf(number, sizeof number, "%d", r->row_number);
    portal_result rc = copy_field(&c->out, c->batch_id, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, number, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->participant_id, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->participant_number, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->bsn, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->effective_date, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->status, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->review_reasons ? r->review_reasons : "{}", 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, r->payload, 1);
    return copy_after_line(c, rc);
}

portal_result batches_copy_error(batches_copy *c, const batch_error_new *e)
{
    char number[16], seq[16];
    snprintf(number, sizeof number, "%d", e->row_number);
    snprintf(seq, sizeof seq, "%d", ++c->seq);
    portal_result rc = copy_field(&c->out, c->batch_id, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, seq, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, number, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, e->col, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, e->field, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, e->code, 0);
    if (rc == PORTAL_OK)
        rc = copy_field(&c->out, e->rule_id, 1);
    return copy_after_line(c, rc);
}

portal_result batches_copy_end(batches_copy *c, int ok)
{
    if (!c)
        return PORTAL_ERR_INVALID;
    portal_result rc = ok && !c->failed ? copy_flush(c) : PORTAL_ERR_DATABASE;
    int end = PQputCopyEnd(db_pg(c->db), rc == PORTAL_OK ? NULL : "aborted");
    PGresult *res;
    while ((res = PQgetResult(db_pg(c->db))) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == PORTAL_OK)
            rc = PORTAL_ERR_DATABASE;
        PQclear(res);
    }
    if (end != 1 && rc == PORTAL_OK)
        rc = PORTAL_ERR_DATABASE;
    buf_free(&c->out);
    free(c);
    return rc;
}

portal_result batches_finish_validation(db_conn *db, const char *id, int row_count, int valid_rows,
                                        int error_count, int review_rows)
{
    char r[16], v[16], e[16], w[16];
    snprintf(r, sizeof r, "%d", row_count);
    snprintf(v, sizeof v, "%d", valid_rows);
    snprintf(e, sizeof e, "%d", error_count);
    snprintf(w, sizeof w, "%d", review_rows);
    const char *params[] = {id, r, v, e, w};
    return db_exec(db,
                   "UPDATE batches SET row_count = $2::int, valid_row_count = $3::int,"
                   " error_count = $4::int, review_row_count = $5::int,"
                   " status = CASE WHEN $4::int > 0 THEN 'invalid' ELSE 'valid' END"
                   " WHERE id = $1::uuid",
                   5, params);
}
