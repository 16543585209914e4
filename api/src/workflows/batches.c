/* workflows/batches.c: see batches.h. Owns the steps the batch use cases share and uploading,
 * showing, submitting and discarding a batch and paging its errors. */
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
#include "store/outbox.h"
#include "store/users.h"
#include "workflows/batch_check.h"

/* ---- shared steps ---- */

static int is_en(const portal_actor *actor)
{
    return strcmp(workflow_lang(actor), "en") == 0;
}

/* Records action on batch id for the actor (or the system when it has no
 * caller) in the scheme owner's audit log. */
portal_result batch_audit(db_conn *db, const portal_actor *actor, const char *action,
                          const char *id, const char *organisation_id, json_t *changes)
{
    audit_entry e;
    memset(&e, 0, sizeof e);
    const portal_caller *c = actor ? actor->caller : NULL;
    if (c && c->kind == CALLER_API_TOKEN) {
        e.actor_user_id = c->user_id;
        e.actor_token_id = c->token_id;
        e.actor_label = "api_token";
    } else if (c && c->kind == CALLER_SESSION) {
        e.actor_user_id = c->user_id;
        e.actor_label = caller_has_right(c, "staff") ? "staff" : "user";
    } else {
        e.actor_label = "batch";
    }
    e.organisation_id = organisation_id;
    e.action = action;
    e.target_type = "batch";
    e.target_id = id;
    e.request_id = actor && actor->request_id ? actor->request_id : NULL;
    e.client_address = actor && actor->client_address ? actor->client_address : NULL;
    e.changes = changes;
    portal_result rc = audit_record(db, &e);
    /* An office acting under a mandate sees its own action in its log too. */
    if (rc == PORTAL_OK && c && strcmp(c->organisation_id, organisation_id) != 0) {
        e.organisation_id = c->organisation_id;
        rc = audit_record(db, &e);
    }
    return rc;
}

/* Maps an access result onto the outcome; PORTAL_OK passes. */
portal_result batch_access_outcome(portal_result rc, portal_outcome *o)
{
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc == PORTAL_ERR_NOT_FOUND || rc == PORTAL_ERR_DENIED)
        return outcome_fail(o, rc, NULL);
    return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
}

/* Loads a batch the actor may see with capability batches. */
portal_result batch_load(db_conn *db, const portal_actor *actor, const char *id, int lock,
                         batch_meta *meta, portal_outcome *o)
{
    if (!uuid_valid(id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    portal_result rc = lock ? batches_lock(db, id, meta) : batches_get(db, id, meta, NULL);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_DATABASE, NULL);
    return batch_access_outcome(access_scheme(db, actor->caller, meta->scheme_id, "batches"), o);
}

static portal_result batch_json(db_conn *db, const char *id, portal_outcome *o, char **json)
{
    batch_meta meta;
    portal_result rc = batches_get(db, id, &meta, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
}

static void today_of(civil_date *today, char text[CIVIL_DATE_TEXT_SIZE])
{
    if (civil_date_amsterdam_today(time(NULL), today) != PORTAL_OK)
        *today = (civil_date){2000, 1, 1};
    civil_date_format(*today, text, CIVIL_DATE_TEXT_SIZE);
}

/* ---- upload ---- */

/* Kept rows go straight into the COPY. */
static portal_result copy_sink(void *ctx, const batch_row_new *row)
{
    return batches_copy_row(ctx, row);
}

/* What the readers say about a file they could not read, in the outcome. */
static portal_result unreadable(portal_outcome *o, const char *detail)
{
    outcome_fail(o, PORTAL_ERR_INVALID, "file_unreadable");
    outcome_set_detail(o, detail);
    return o->rc;
}

static const char *csv_detail(csv_reason reason, int en)
{
    switch (reason) {
    case CSV_REASON_NOT_UTF8:
        return en ? "The file is not UTF-8 (it looks like Windows-1252). In Excel choose Save as, "
                    "type \"CSV UTF-8 (comma delimited)\", and upload that file."
                  : "Het bestand is geen UTF-8 (het lijkt Windows-1252). Kies in Excel Opslaan "
                    "als, type \"CSV UTF-8 (door komma's gescheiden)\", en upload dat bestand.";
    case CSV_REASON_BINARY:
        return en ? "The file holds binary data and is no CSV text. Upload the template as CSV "
                    "UTF-8 or XLSX."
                  : "Het bestand bevat binaire gegevens en is geen CSV-tekst. Upload het "
                    "invulbestand als CSV UTF-8 of XLSX.";
    case CSV_REASON_MALFORMED:
        return en ? "The CSV file has a quote that is not closed or text after a closing quote. "
                    "Save it again from your spreadsheet program."
                  : "Het CSV-bestand heeft een aanhalingsteken dat niet gesloten is of tekst na "
                    "een sluitend aanhalingsteken. Sla het opnieuw op vanuit uw rekenprogramma.";
    case CSV_REASON_FIELD_TOO_LONG:
    case CSV_REASON_TOO_MANY_COLUMNS:
    case CSV_REASON_TOO_MANY_ROWS:
        return en ? "The file is larger than the template allows (too many rows, columns or too "
                    "long a cell). Use the template and split the file."
                  : "Het bestand is groter dan het invulbestand toestaat (te veel regels of "
                    "kolommen, of een te lange cel). Gebruik het invulbestand en splits het "
                    "bestand.";
    case CSV_REASON_NONE:
    case CSV_REASON_CALLBACK:
    case CSV_REASON_MEMORY:
    default:
        return en ? "The file cannot be read." : "Het bestand kan niet worden gelezen.";
    }
}

/* Streams the file through its reader into the checks. PORTAL_ERR_INVALID
 * with the outcome filled when the file is unreadable. */
static portal_result read_rows(const batch_upload_input *in, batch_check *check, int en,
                               portal_outcome *o)
{
    if (in->format == BATCH_FILE_CSV) {
        csv_reason reason = CSV_REASON_NONE;
        portal_result rc =
            in->file
                ? csv_read_stream(in->file, NULL, batch_check_row, check, &reason, NULL)
                : csv_read_buffer(in->data, in->len, NULL, batch_check_row, check, &reason, NULL);
        if (rc == PORTAL_OK)
            return PORTAL_OK;
        if (rc == PORTAL_ERR_IO || reason == CSV_REASON_CALLBACK || reason == CSV_REASON_MEMORY)
            return outcome_fail(o, rc == PORTAL_ERR_INVALID ? PORTAL_ERR_INTERNAL : rc, NULL);
        return unreadable(o, csv_detail(reason, en));
    }
    xlsx_info info;
    memset(&info, 0, sizeof info);
    portal_result rc =
        in->file ? xlsx_read_stream(in->file, NULL, batch_check_row, check, &info)
                 : xlsx_read_buffer(in->data, in->len, NULL, batch_check_row, check, &info);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc == PORTAL_ERR_IO)
        return outcome_fail(o, PORTAL_ERR_IO, NULL);
    const char *code = NULL;
    int status = xlsx_reason_problem(info.reason, &code);
    if (status == 0)
        return outcome_fail(o, rc == PORTAL_ERR_INVALID ? PORTAL_ERR_INTERNAL : rc, NULL);
    if (status == 415) {
        outcome_fail(o, PORTAL_ERR_INVALID, "unsupported_media_type");
        outcome_set_detail(o, xlsx_reason_detail(info.reason, en ? "en" : "nl"));
        return o->rc;
    }
    return unreadable(o, xlsx_reason_detail(info.reason, en ? "en" : "nl"));
}

/* Writes the stored errors with COPY after the rows. */
static portal_result copy_errors(db_conn *db, const char *id, const batch_check *check)
{
    size_t n;
    const batch_check_error *errors = batch_check_errors(check, &n);
    if (n == 0)
        return PORTAL_OK;
    batches_copy *copy = NULL;
    portal_result rc = batches_copy_begin(db, id, 0, &copy);
    for (size_t i = 0; rc == PORTAL_OK && i < n; i++) {
        batch_error_new e = {.row_number = errors[i].row,
                             .col = errors[i].col,
                             .field = errors[i].field,
                             .code = errors[i].code,
                             .rule_id = errors[i].rule_id};
        rc = batches_copy_error(copy, &e);
    }
    if (copy) {
        portal_result end = batches_copy_end(copy, rc == PORTAL_OK);
        if (rc == PORTAL_OK)
            rc = end;
    }
    return rc;
}

/* The uploader's name as recorded with the batch and its changes. */
static void uploader_name(db_conn *db, const portal_caller *c, char *out, size_t size)
{
    user_row user;
    snprintf(out, size, "API token");
    if (users_get(db, c->user_id, &user) == PORTAL_OK)
        snprintf(out, size, "%s %s%s", user.first_name, user.last_name,
                 c->kind == CALLER_API_TOKEN ? " (API token)" : "");
}

/* Checks the request's own fields: kind, effective date and its window. */
static portal_result upload_fields(const batch_upload_input *in, civil_date today, batch_kind *kind,
                                   civil_date *effective, portal_outcome *o)
{
    if (!in->kind ||
        (strcmp(in->kind, "salary_change") != 0 && strcmp(in->kind, "new_participants") != 0)) {
        outcome_add_error(o, "/kind", in->kind ? "invalid_value" : "required", NULL);
        return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
    }
    *kind = strcmp(in->kind, "salary_change") == 0 ? BATCH_KIND_SALARY_CHANGE
                                                   : BATCH_KIND_NEW_PARTICIPANTS;
    *effective = today;
    if (*kind != BATCH_KIND_SALARY_CHANGE)
        return PORTAL_OK;
    if (!in->effective_date) {
        outcome_add_error(o, "/effective_date", "required", NULL);
        return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
    }
    if (civil_date_parse(in->effective_date, effective) != PORTAL_OK) {
        outcome_add_error(o, "/effective_date", "invalid_date", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, "validation_failed");
    }
    rule_verdict v;
    if (rule_effective_date_window(today, *effective, &v) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    if (v.outcome == RULE_INVALID) {
        outcome_add_error(o, "/effective_date", v.code, NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, v.code);
    }
    return PORTAL_OK;
}

/* Queues batch meta (the caller holds its row) and audits the submit. */
static portal_result queue_batch(db_conn *db, const portal_actor *actor, const batch_meta *meta,
                                 int skip, portal_outcome *o)
{
    portal_result rc = batches_queue(db, meta, skip);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:b}", "skip_invalid_rows", skip);
        rc = batch_audit(db, actor, "batch.submitted", meta->id, meta->organisation_id, changes);
        json_decref(changes);
    }
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
}

portal_result batch_upload(db_conn *db, const portal_actor *actor, const batch_upload_input *in,
                           portal_outcome *o, char **json, char id[PORTAL_ID_LEN])
{
    *json = NULL;
    id[0] = '\0';
    int en = is_en(actor);
    civil_date today, effective;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    today_of(&today, today_text);
    batch_kind kind;
    if (!in->scheme_id) {
        outcome_add_error(o, "/scheme_id", "required", NULL);
        return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
    }
    if (!uuid_valid(in->scheme_id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    if (upload_fields(in, today, &kind, &effective, o) != PORTAL_OK)
        return o->rc;
    portal_result rc = access_scheme(db, actor->caller, in->scheme_id, "batches");
    if (rc != PORTAL_OK)
        return batch_access_outcome(rc, o);
    char organisation_id[PORTAL_ID_LEN], scheme_kind_text[16];
    rule_scheme_kind scheme_kind;
    if (batches_scheme(db, in->scheme_id, organisation_id, scheme_kind_text) != PORTAL_OK ||
        rule_scheme_kind_parse(scheme_kind_text, &scheme_kind) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);

    /* The same file while an earlier upload of it is unfinished. */
    char sha[BATCHES_SHA_SIZE], earlier[PORTAL_ID_LEN];
    int found = 0;
    unsigned char digest[CRYPTO_SHA256_LEN];
    if (in->file) {
        if (crypto_sha256_file(in->file, digest) != PORTAL_OK)
            return outcome_fail(o, PORTAL_ERR_IO, NULL);
    } else {
        crypto_sha256(in->data, in->len, digest);
    }
    for (size_t i = 0; i < CRYPTO_SHA256_LEN; i++)
        snprintf(sha + 2 * i, sizeof sha - 2 * i, "%02x", digest[i]);
    if (batches_find_open(db, in->scheme_id, in->kind, sha, earlier, &found) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    if (found) {
        outcome_fail(o, PORTAL_ERR_CONFLICT, "batch_duplicate_file");
        snprintf(o->subject_id, sizeof o->subject_id, "%s", earlier);
        outcome_set_detail(o, en ? "This file was uploaded before and that batch is not finished "
                                   "yet. Submit or discard it first."
                                 : "Dit bestand is al eerder geüpload en die collectieve wijziging "
                                   "is nog niet afgerond. Dien die eerst in of verwijder haar.");
        return o->rc;
    }

    char name[300];
    uploader_name(db, actor->caller, name, sizeof name);
    const portal_caller *c = actor->caller;
    batch_new b = {.organisation_id = organisation_id,
                   .scheme_id = in->scheme_id,
                   .kind = in->kind,
                   .effective_date = kind == BATCH_KIND_SALARY_CHANGE ? in->effective_date : NULL,
                   .file_name = in->file_name,
                   .file_format = in->format == BATCH_FILE_XLSX ? "xlsx" : "csv",
                   .file_sha256 = sha,
                   .file_bytes = (long long)in->len,
                   .language = en ? "en" : "nl",
                   .created_by = c->user_id[0] ? c->user_id : NULL,
                   .created_by_token = c->token_id[0] ? c->token_id : NULL,
                   .created_by_kind = c->kind == CALLER_API_TOKEN ? "api_token" : "user",
                   .created_by_name = name};
    if (batches_create(db, &b, id) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);

    /* The participants once (a cursor), then the rows streaming into the
     * checks and the kept ones into a COPY (not both at once on one
     * connection). */
    batch_check *check = NULL;
    batches_copy *copy = NULL;
    rc = batch_check_new(kind, scheme_kind, today, effective, copy_sink, NULL, &check);
    if (rc == PORTAL_OK)
        rc = batches_each_participant(db, in->scheme_id, today_text,
                                      kind == BATCH_KIND_SALARY_CHANGE ? in->effective_date : NULL,
                                      batch_check_add_participant, check);
    if (rc == PORTAL_OK)
        rc = in->file ? batches_store_stream(db, id, in->file)
                      : batches_store_file(db, id, in->data, in->len);
    if (rc == PORTAL_OK)
        rc = batches_copy_begin(db, id, 1, &copy);
    if (rc != PORTAL_OK) {
        batch_check_free(check);
        return outcome_fail(
            o, rc == PORTAL_ERR_MEMORY || rc == PORTAL_ERR_IO ? rc : PORTAL_ERR_DATABASE, NULL);
    }
    batch_check_set_sink(check, copy_sink, copy);
    rc = read_rows(in, check, en, o);
    portal_result end = batches_copy_end(copy, rc == PORTAL_OK);
    if (rc != PORTAL_OK) {
        batch_check_free(check);
        return o->rc;
    }
    batch_check_finish(check);
    batch_check_counts counts;
    batch_check_get_counts(check, &counts);
    if (end == PORTAL_OK)
        end = copy_errors(db, id, check);
    batch_check_free(check);
    if (end == PORTAL_OK)
        end = batches_finish_validation(db, id, counts.rows, counts.valid_rows, counts.errors,
                                        counts.review_rows);
    if (end == PORTAL_OK) {
        json_t *changes =
            json_pack("{s:s, s:s?, s:s, s:i, s:i, s:i}", "kind", in->kind, "effective_date",
                      b.effective_date, "file_format", b.file_format, "row_count", counts.rows,
                      "valid_row_count", counts.valid_rows, "error_count", counts.errors);
        end = batch_audit(db, actor, "batch.uploaded", id, organisation_id, changes);
        json_decref(changes);
    }
    if (end == PORTAL_OK && in->submit && counts.errors == 0 && counts.rows > 0) {
        batch_meta meta;
        end = batches_lock(db, id, &meta);
        if (end == PORTAL_OK && queue_batch(db, actor, &meta, 0, o) != PORTAL_OK)
            return o->rc;
    }
    if (end != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    log_info("event=batch_uploaded batch_id=%s kind=%s rows=%d valid=%d errors=%d", id, in->kind,
             counts.rows, counts.valid_rows, counts.errors);
    return batch_json(db, id, o, json);
}

portal_result batch_get(db_conn *db, const portal_actor *actor, const char *id, portal_outcome *o,
                        char **json)
{
    batch_meta meta;
    *json = NULL;
    if (batch_load(db, actor, id, 0, &meta, o) != PORTAL_OK)
        return o->rc;
    return batch_json(db, id, o, json);
}

portal_result batch_submit(db_conn *db, const portal_actor *actor, const char *id,
                           int skip_invalid_rows, portal_outcome *o, char **json)
{
    batch_meta meta;
    *json = NULL;
    if (batch_load(db, actor, id, 1, &meta, o) != PORTAL_OK)
        return o->rc;
    int en = is_en(actor);
    if (strcmp(meta.status, "invalid") == 0 && !skip_invalid_rows) {
        outcome_fail(o, PORTAL_ERR_CONFLICT, "batch_has_errors");
        return o->rc;
    }
    if (strcmp(meta.status, "valid") != 0 && strcmp(meta.status, "invalid") != 0) {
        outcome_fail(o, PORTAL_ERR_CONFLICT, "batch_not_submittable");
        return o->rc;
    }
    if (meta.valid_row_count == 0) {
        outcome_fail(o, PORTAL_ERR_CONFLICT, "batch_has_errors");
        outcome_set_detail(o, en ? "No row of this file can be applied."
                                 : "Geen enkele regel van dit bestand kan worden verwerkt.");
        return o->rc;
    }
    if (queue_batch(db, actor, &meta, skip_invalid_rows, o) != PORTAL_OK)
        return o->rc;
    return batch_json(db, id, o, json);
}

portal_result batch_discard(db_conn *db, const portal_actor *actor, const char *id,
                            portal_outcome *o, char **json)
{
    batch_meta meta;
    *json = NULL;
    if (batch_load(db, actor, id, 1, &meta, o) != PORTAL_OK)
        return o->rc;
    if (strcmp(meta.status, "valid") != 0 && strcmp(meta.status, "invalid") != 0)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "batch_not_discardable");
    portal_result rc = batches_discard(db, id);
    if (rc == PORTAL_OK)
        rc = batch_audit(db, actor, "batch.discarded", id, meta.organisation_id, NULL);
    if (rc != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    return batch_json(db, id, o, json);
}

portal_result batch_errors_page(db_conn *db, const portal_actor *actor, const char *id,
                                int after_seq, int limit, portal_outcome *o, json_t **items,
                                int *last_seq, int *more)
{
    batch_meta meta;
    *items = NULL;
    *last_seq = 0;
    *more = 0;
    if (batch_load(db, actor, id, 0, &meta, o) != PORTAL_OK)
        return o->rc;
    batch_error_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    int n = 0;
    if (!rows)
        return outcome_fail(o, PORTAL_ERR_MEMORY, NULL);
    if (batches_errors(db, id, after_seq, limit + 1, rows, &n) != PORTAL_OK) {
        free(rows);
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    }
    *more = n > limit;
    if (n > limit)
        n = limit;
    json_t *arr = json_array();
    const char *lang = workflow_lang(actor);
    for (int i = 0; arr && i < n; i++) {
        json_array_append_new(arr,
                              json_pack("{s:i, s:s?, s:s, s:s, s:s}", "row", rows[i].row_number,
                                        "column", rows[i].col[0] ? rows[i].col : NULL, "field",
                                        rows[i].field, "code", rows[i].code, "message",
                                        batch_check_message(rows[i].code, rows[i].rule_id, lang)));
        *last_seq = rows[i].seq;
    }
    free(rows);
    if (!arr)
        return outcome_fail(o, PORTAL_ERR_MEMORY, NULL);
    *items = arr;
    return PORTAL_OK;
}
