/* workflows/batches_process.c: processing a submitted batch (the job, its end and mail), the
 * templates to download and the errors file. */
#include "workflows/batches.h"
#include "workflows/batches_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/access.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/uuid.h"
#include "domain/civil_date.h"
#include "domain/participant_rules.h"
#include "formats/batch_errors_xlsx.h"
#include "formats/batch_templates.h"
#include "formats/csv_reader.h"
#include "formats/file_sink.h"
#include "formats/mail_templates.h"
#include "formats/xlsx_reader.h"
#include "store/audit.h"
#include "store/batches.h"
#include "store/notifications.h"
#include "store/outbox.h"
#include "store/users.h"
#include "workflows/batch_check.h"
/* Columns of an uploaded row copied into the errors file. */
#define BATCH_ERRORS_MAX_COLS 64

/* ---- processing ---- */

/* The mail to the uploader when a batch ends (counts and a link only). */
static portal_result batch_mail(db_conn *db, const portal_config *cfg, const char *id, int failed)
{
    char email[320], first[128];
    batch_meta meta;
    if (batches_uploader(db, id, email, sizeof email, first, sizeof first) != PORTAL_OK ||
        batches_get(db, id, &meta, NULL) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    if (!email[0])
        return PORTAL_OK;
    int en = strcmp(meta.language, "en") == 0;
    char summary[512], link[700];
    snprintf(summary, sizeof summary,
             en ? "Rows in the file: %d\nApplied: %d\nOf which waiting for review: %d\n"
                  "Not applied: %d"
                : "Regels in het bestand: %d\nVerwerkt: %d\nWaarvan ter beoordeling: %d\n"
                  "Niet verwerkt: %d",
             meta.row_count, meta.applied_row_count, meta.review_row_count,
             meta.row_count - meta.applied_row_count);
    snprintf(link, sizeof link, "%s/batches/%s", cfg ? cfg->public_url : "", id);
    mail_text text;
    portal_result rc = mail_batch_finished(meta.language, first, failed, summary, link, &text);
    return rc == PORTAL_OK ? outbox_mail(db, email, &text) : rc;
}

/* Ends the batch in its own transaction: status, lock, audit, mail. */
static portal_result batch_end(db_conn *db, const portal_config *cfg, const char *id,
                               const char *status, const char *reason)
{
    batch_meta meta;
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = batches_lock(db, id, &meta);
    if (rc == PORTAL_OK && strcmp(meta.status, "queued") != 0 &&
        strcmp(meta.status, "processing") != 0) {
        db_rollback(db);
        return PORTAL_OK;
    }
    if (rc == PORTAL_OK)
        rc = batches_end(db, id, status, reason);
    if (rc == PORTAL_OK) {
        json_t *changes =
            json_pack("{s:s, s:i, s:i}", "status", status, "applied_row_count",
                      meta.applied_row_count, "skipped_row_count", meta.skipped_row_count);
        rc = batch_audit(db, NULL,
                         strcmp(status, "processed") == 0 ? "batch.processed" : "batch.failed", id,
                         meta.organisation_id, changes);
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = batch_mail(db, cfg, id, strcmp(status, "processed") != 0);
    /* A result that asks something of the employer (failed, rows not applied
     * or waiting for review) notifies the organisation: counts only. */
    if (rc == PORTAL_OK && (strcmp(status, "processed") != 0 || meta.review_row_count > 0 ||
                            meta.applied_row_count < meta.row_count)) {
        char title[128], link[64];
        snprintf(title, sizeof title, "Collectieve wijziging: %d van %d regels verwerkt",
                 meta.applied_row_count, meta.row_count);
        snprintf(link, sizeof link, "/batches/%s", id);
        rc = notify_employer(db, meta.organisation_id, "batch.attention", title, link);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK)
        db_rollback(db);
    return rc;
}

portal_result batch_process(db_conn *db, const portal_config *cfg, const char *batch_id)
{
    batch_meta meta;
    portal_result rc = batches_get(db, batch_id, &meta, NULL);
    if (rc == PORTAL_ERR_NOT_FOUND)
        return PORTAL_OK;
    if (rc != PORTAL_OK)
        return rc;
    if (strcmp(meta.status, "queued") != 0 && strcmp(meta.status, "processing") != 0)
        return PORTAL_OK; /* done by an earlier attempt */
    rc = batches_start(db, batch_id);
    if (rc != PORTAL_OK)
        return rc;
    long long applied_total = 0;
    /* Each chunk: lock the batch row, apply rows [next_row, next_row +
     * chunk), move the cursor, commit. A crash rolls back one chunk only. */
    for (;;) {
        int applied = 0;
        rc = db_begin(db);
        if (rc == PORTAL_OK)
            rc = batches_lock(db, batch_id, &meta);
        if (rc != PORTAL_OK)
            break;
        if (strcmp(meta.status, "processing") != 0 || meta.next_row > meta.max_row) {
            db_rollback(db);
            break;
        }
        int from = meta.next_row;
        rc = batches_apply_chunk(db, batch_id, from, from + BATCH_CHUNK_ROWS - 1, &applied);
        if (rc == PORTAL_OK)
            rc = db_commit(db);
        if (rc != PORTAL_OK) {
            db_rollback(db);
            break;
        }
        applied_total += applied;
    }
    if (rc != PORTAL_OK) {
        log_warning("event=batch_chunk_failed batch_id=%s error=%s", batch_id,
                    portal_result_name(rc));
        return rc;
    }
    rc = batch_end(db, cfg, batch_id, "processed", NULL);
    if (rc == PORTAL_OK)
        log_info("event=batch_processed batch_id=%s applied=%lld", batch_id, applied_total);
    return rc;
}

void batch_give_up(db_conn *db, const portal_config *cfg, const char *batch_id)
{
    if (batch_end(db, cfg, batch_id, "failed", "retries_exhausted") == PORTAL_OK)
        log_warning("event=batch_failed batch_id=%s reason=retries_exhausted", batch_id);
}

/* ---- templates and the errors file ---- */

typedef struct {
    int xlsx;
    const char *lang;
    const file_sink *sink;
} template_ctx;

static portal_result write_salary_template(void *ctx, const batch_salary_row *rows, size_t n)
{
    const template_ctx *t = ctx;
    return t->xlsx ? batch_template_salary_xlsx(rows, n, t->lang, t->sink)
                   : batch_template_salary_csv(rows, n, t->sink);
}

portal_result batch_template(db_conn *db, const portal_actor *actor, const char *scheme_id,
                             const char *kind, const char *effective_date, int xlsx, buf *out,
                             portal_outcome *o)
{
    if (!uuid_valid(scheme_id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    portal_result rc = access_scheme(db, actor->caller, scheme_id, "batches");
    if (rc != PORTAL_OK)
        return batch_access_outcome(rc, o);
    file_sink sink = {.fd = -1, .mem = out};
    template_ctx t = {.xlsx = xlsx, .lang = workflow_lang(actor), .sink = &sink};
    if (strcmp(kind, "salary_change") == 0) {
        civil_date d;
        if (!effective_date || civil_date_parse(effective_date, &d) != PORTAL_OK) {
            outcome_add_error(o, "effective_date", effective_date ? "invalid_date" : "required",
                              NULL);
            return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
        }
        rc = batches_template_rows(db, scheme_id, effective_date, write_salary_template, &t);
    } else {
        rc = xlsx ? batch_template_new_participants_xlsx(NULL, t.lang, &sink)
                  : batch_template_new_participants_csv(NULL, &sink);
    }
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc == PORTAL_ERR_DATABASE ? rc : PORTAL_ERR_IO, NULL);
    return PORTAL_OK;
}

typedef struct {
    batch_errors_xlsx *x;
    const batch_error_row *errors;
    int n_errors;
    int at; /* next error to look at */
    const char *lang;
    buf message;
} errors_file_ctx;

/* One uploaded row into the errors workbook with its messages (a
 * sheet_row_fn). The header row opens the workbook. */
static portal_result errors_file_row(void *ctx, const sheet_row *row)
{
    errors_file_ctx *e = ctx;
    const char *cells[BATCH_ERRORS_MAX_COLS];
    size_t n = row->n_cells < BATCH_ERRORS_MAX_COLS ? row->n_cells : BATCH_ERRORS_MAX_COLS;
    for (size_t i = 0; i < n; i++)
        cells[i] = row->cells[i].text;
    if (!e->x)
        return batch_errors_xlsx_open(cells, n, e->lang, &e->x);
    e->message.len = 0;
    if (e->message.data)
        e->message.data[0] = '\0';
    while (e->at < e->n_errors && e->errors[e->at].row_number < (int)row->number)
        e->at++;
    portal_result rc = PORTAL_OK;
    for (;
         rc == PORTAL_OK && e->at < e->n_errors && e->errors[e->at].row_number == (int)row->number;
         e->at++) {
        const batch_error_row *r = &e->errors[e->at];
        rc = buf_printf(&e->message, "%s%s%s%s", e->message.len ? "; " : "", r->col,
                        r->col[0] ? ": " : "", batch_check_message(r->code, r->rule_id, e->lang));
    }
    if (rc == PORTAL_ERR_TOO_LARGE)
        rc = PORTAL_OK; /* the messages that fit */
    return rc == PORTAL_OK
               ? batch_errors_xlsx_row(e->x, cells, n, e->message.len ? e->message.data : NULL)
               : rc;
}

portal_result batch_errors_file(db_conn *db, const portal_actor *actor, const char *id, buf *out,
                                portal_outcome *o)
{
    batch_meta meta;
    if (batch_load(db, actor, id, 0, &meta, o) != PORTAL_OK)
        return o->rc;
    char *data = NULL;
    size_t len = 0;
    int max = meta.error_count < 1                        ? 1
              : meta.error_count > BATCH_CHECK_MAX_ERRORS ? BATCH_CHECK_MAX_ERRORS
                                                          : meta.error_count;
    batch_error_row *errors = calloc((size_t)max, sizeof *errors);
    int n_errors = 0;
    portal_result rc = errors ? PORTAL_OK : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = batches_errors(db, id, 0, max, errors, &n_errors);
    if (rc == PORTAL_OK)
        rc = batches_read_file(db, id, &data, &len);
    errors_file_ctx e = {.errors = errors, .n_errors = n_errors, .lang = workflow_lang(actor)};
    buf_init(&e.message, 4096);
    if (rc == PORTAL_OK) {
        if (strcmp(meta.file_format, "xlsx") == 0)
            rc = xlsx_read_buffer(data, len, NULL, errors_file_row, &e, NULL);
        else
            rc = csv_read_buffer(data, len, NULL, errors_file_row, &e, NULL, NULL);
    }
    if (rc == PORTAL_OK && !e.x) {
        const char *none[1] = {NULL};
        rc = batch_errors_xlsx_open(none, 0, e.lang, &e.x);
    }
    file_sink sink = {.fd = -1, .mem = out};
    if (e.x) {
        if (rc == PORTAL_OK)
            rc = batch_errors_xlsx_finish(e.x, &sink);
        else
            batch_errors_xlsx_discard(e.x);
    }
    buf_free(&e.message);
    free(data);
    free(errors);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc == PORTAL_ERR_DATABASE ? rc : PORTAL_ERR_IO, NULL);
    return PORTAL_OK;
}
