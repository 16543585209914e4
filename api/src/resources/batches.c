/* resources/batches.c: see batches.h. */
#include "resources/batches.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/uuid.h"
#include "formats/sniff.h"
#include "http/call.h"
#include "http/idempotency.h"
#include "http/upload.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/batches.h"
#include "workflows/batches.h"

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* Answers a problem with a detail (already in the caller's language). */
static void problem_detail(struct _u_response *response, http_ctx *ctx, int status,
                           const char *code, const char *detail)
{
    problem p;
    problem_init(&p, status, code);
    if (detail)
        problem_set_detail(&p, detail);
    problem_send(response, ctx, &p);
}

/* 1 when the Content-Type (without parameters) is type. */
static int content_type_is(const char *ct, const char *type)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    size_t n = strlen(type);
    return strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* A text form field of the multipart body (NULL when absent or empty). */
static const char *form_text(const struct _u_request *request, const char *name)
{
    const char *v = u_map_get(request->map_post_body, name);
    return v && v[0] ? v : NULL;
}

typedef struct {
    char file_name[HTTP_UPLOAD_NAME_MAX + 1];
} upload_fields;

/* Reads a multipart upload: the one 'file' part (spooled, owned by ctx) and
 * the form fields (borrowed from the request). Fills in and returns 1, or
 * answers with a problem and returns 0. */
static int read_multipart_upload(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx, upload_fields *f, batch_upload_input *in)
{
    const http_upload_file *file = http_upload_of(request);
    if (file && file->too_large) {
        http_problem(response, ctx, 413, "payload_too_large");
        return 0;
    }
    if (!file || strcmp(file->field, "file") != 0 || file->parts != 1) {
        http_field_problem(response, ctx, 400, "invalid_request", "/file",
                           file && file->parts > 1 ? "invalid_value" : "required", NULL);
        return 0;
    }
    if (file->failed || !file->file) {
        http_answer_result(response, ctx, PORTAL_ERR_IO);
        return 0;
    }
    /* The readers stream from the spool; it is never read whole into memory. */
    in->file = file->file;
    in->len = (size_t)file->size;
    in->scheme_id = form_text(request, "scheme_id");
    in->kind = form_text(request, "kind");
    in->effective_date = form_text(request, "effective_date");
    const char *submit = form_text(request, "submit");
    in->submit = submit && strcmp(submit, "true") == 0;
    if (file->file_name[0]) {
        snprintf(f->file_name, sizeof f->file_name, "%s", file->file_name);
        in->file_name = f->file_name;
    }
    return 1;
}

/* Reads a raw CSV/XLSX body with its fields in the query (all borrowed from
 * the request). Fills in and returns 1, or answers 413 and returns 0. */
static int read_raw_upload(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx, batch_upload_input *in)
{
    int en = strcmp(ctx->lang, "en") == 0;
    in->scheme_id = http_param(request, "scheme_id");
    in->kind = http_param(request, "kind");
    in->effective_date = http_param(request, "effective_date");
    const char *submit = http_param(request, "submit");
    in->submit = submit && strcmp(submit, "true") == 0;
    /* A raw body is kept up to the JSON limit only (larger files come
     * as multipart, spooled to disk rather than held in memory). */
    if (request->binary_body_length > HTTP_MAX_JSON_BODY) {
        problem_detail(response, ctx, 413, "payload_too_large",
                       en ? "Send files over 1 MiB as multipart/form-data (file, scheme_id, "
                            "kind)."
                          : "Stuur bestanden boven 1 MiB als multipart/form-data (file, "
                            "scheme_id, kind).");
        return 0;
    }
    in->data = request->binary_body ? request->binary_body : "";
    in->len = request->binary_body_length;
    return 1;
}

/* Reads the upload: multipart (file plus fields) or a raw CSV/XLSX body
 * (fields in the query). Fills in and returns 1, or answers and returns 0. */
static int read_upload(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx, upload_fields *f, batch_upload_input *in)
{
    int en = strcmp(ctx->lang, "en") == 0;
    const char *ct = http_header(request, "Content-Type");
    memset(in, 0, sizeof *in);
    if (content_type_is(ct, "multipart/form-data")) {
        if (!read_multipart_upload(request, response, ctx, f, in))
            return 0;
    } else if (content_type_is(ct, "text/csv") || content_type_is(ct, XLSX_TYPE)) {
        if (!read_raw_upload(request, response, ctx, in))
            return 0;
    } else {
        problem_detail(response, ctx, 415, "unsupported_media_type",
                       en ? "Send the file as multipart/form-data (file, scheme_id, kind), or as "
                            "the body with Content-Type text/csv or the XLSX media type."
                          : "Stuur het bestand als multipart/form-data (file, scheme_id, kind), of "
                            "als inhoud met Content-Type text/csv of het XLSX-inhoudstype.");
        return 0;
    }
    if (in->len > BATCH_MAX_FILE_BYTES) {
        problem_detail(response, ctx, 413, "payload_too_large",
                       en ? "The file is larger than 20 MiB. Split it into smaller files."
                          : "Het bestand is groter dan 20 MiB. Splits het in kleinere bestanden.");
        return 0;
    }
    /* What the file is, by its bytes alone. */
    sniff_kind kind = SNIFF_EMPTY;
    if (in->file) {
        if (sniff_stream(in->file, &kind) != 0) {
            http_answer_result(response, ctx, PORTAL_ERR_IO);
            return 0;
        }
    } else {
        kind = sniff_bytes(in->data, in->len, 1);
    }
    const char *code = NULL;
    int status = sniff_verdict(kind, SNIFF_USE_BATCH, &code, NULL);
    if (status != 0) {
        problem_detail(response, ctx, status, code, sniff_detail(kind, ctx->lang));
        return 0;
    }
    in->format = kind == SNIFF_XLSX ? BATCH_FILE_XLSX : BATCH_FILE_CSV;
    return 1;
}

/* Answers a failed workflow; a duplicate file also names the earlier
 * batch (member batch_id and Location). */
static void answer_failure(struct _u_response *response, http_ctx *ctx, const portal_outcome *o)
{
    if (strcmp(o->code, "unsupported_media_type") == 0) {
        problem_detail(response, ctx, 415, o->code, o->detail[0] ? o->detail : NULL);
        return;
    }
    http_answer_outcome(response, ctx, o);
    if (!o->subject_id[0] || !uuid_valid(o->subject_id))
        return;
    json_t *body = json_loadb(response->binary_body, response->binary_body_length, 0, NULL);
    if (body) {
        char location[96];
        snprintf(location, sizeof location, "/api/v1/batches/%s", o->subject_id);
        json_object_set_new(body, "batch_id", json_string(o->subject_id));
        http_set_header(response, "Location", location);
        http_send_json_typed(response, (unsigned)response->status, body,
                             "application/problem+json");
        json_decref(body);
    }
}

void batches_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    upload_fields f;
    batch_upload_input in;
    memset(&f, 0, sizeof f);
    if (!read_upload(request, response, ctx, &f, &in))
        return;
    http_call hc;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &hc, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL, id[PORTAL_ID_LEN];
    portal_result rc = batch_upload(hc.db, &hc.actor, &in, &hc.o, &json, id);
    if (rc != PORTAL_OK) {
        db_rollback(hc.db);
        answer_failure(response, ctx, &hc.o);
        return;
    }
    char location[96];
    snprintf(location, sizeof location, "/api/v1/batches/%s", id);
    http_item_answer a = {.status = 202, .json = json, .location = location, .etag = NULL};
    if (http_item_finish(response, hc.db, &idem, PORTAL_OK, &a) != PORTAL_OK)
        http_problem(response, ctx, 500, "internal_error");
    free(json);
}

void batches_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx)
{
    http_call_show(request, response, ctx, "id", batch_get);
}

/* Reads {"skip_invalid_rows": bool} (an empty body is allowed). */
static int read_skip(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                     int *skip)
{
    *skip = 0;
    if (request->binary_body_length == 0)
        return 1;
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return 0;
    json_t *v = json_object_get(body, "skip_invalid_rows");
    if (v && !json_is_boolean(v)) {
        http_field_problem(response, ctx, 400, "invalid_request", "/skip_invalid_rows",
                           "invalid_type", NULL);
        return 0;
    }
    *skip = json_is_true(v);
    return 1;
}

/* Submit and discard: one transaction, the batch as the answer. */
static void batch_action(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx, int submit)
{
    int skip = 0;
    if (submit && !read_skip(request, response, ctx, &skip))
        return;
    http_call hc;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &hc, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    const char *id = http_param(request, "id");
    portal_result rc = submit ? batch_submit(hc.db, &hc.actor, id, skip, &hc.o, &json)
                              : batch_discard(hc.db, &hc.actor, id, &hc.o, &json);
    if (rc != PORTAL_OK) {
        db_rollback(hc.db);
        http_answer_outcome(response, ctx, &hc.o);
        return;
    }
    char location[96];
    snprintf(location, sizeof location, "/api/v1/batches/%s", id);
    http_item_answer a = {.status = submit ? 202 : 200,
                          .json = json,
                          .location = submit ? location : NULL,
                          .etag = NULL};
    if (http_item_finish(response, hc.db, &idem, PORTAL_OK, &a) != PORTAL_OK)
        http_problem(response, ctx, 500, "internal_error");
    free(json);
}

void batches_submit_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    batch_action(request, response, ctx, 1);
}

void batches_discard_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx)
{
    batch_action(request, response, ctx, 0);
}

static const char *const BATCH_STATUSES[] = {"validating", "invalid",    "valid",
                                             "queued",     "processing", "processed",
                                             "failed",     "discarded",  NULL};

void batches_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    const char *scheme_id = http_param(request, "scheme_id");
    const char *status = http_param(request, "status");
    if (scheme_id && !scheme_id[0])
        scheme_id = NULL;
    if (status && !status[0])
        status = NULL;
    if (scheme_id && !uuid_valid(scheme_id)) {
        http_problem(response, ctx, 404, "not_found");
        return;
    }
    int known = !status;
    for (int i = 0; status && BATCH_STATUSES[i]; i++)
        known |= strcmp(status, BATCH_STATUSES[i]) == 0;
    if (!known) {
        http_field_problem(response, ctx, 400, "invalid_request", "status", "invalid_value", NULL);
        return;
    }
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, "batches:created", 2, &keys))
        return;
    db_conn *db = http_require_db(ctx, response);
    if (db) {
        char *rows = NULL;
        portal_result rc = batches_list(db, &ctx->caller, scheme_id, status,
                                        keys ? json_string_value(json_array_get(keys, 0)) : NULL,
                                        keys ? json_string_value(json_array_get(keys, 1)) : NULL,
                                        page.limit + 1, &rows);
        if (rc == PORTAL_OK) {
            static const char *const key_fields[] = {"created_at", "id", NULL};
            http_page_send_rows(response, ctx, &page, rows, "batches:created", key_fields);
        } else {
            http_answer_result(response, ctx, rc);
        }
        free(rows);
    }
    json_decref(keys);
}

void batches_errors_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, "batch_errors:seq", 1, &keys))
        return;
    int after = keys ? (int)json_integer_value(json_array_get(keys, 0)) : 0;
    json_decref(keys);
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    json_t *items = NULL;
    int last = 0, more = 0;
    if (batch_errors_page(c.db, &c.actor, http_param(request, "id"), after, page.limit, &c.o,
                          &items, &last, &more) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &c.o);
        return;
    }
    char *next = NULL;
    if (more) {
        json_t *k = json_pack("[i]", last);
        next = http_cursor_encode("batch_errors:seq", k);
        json_decref(k);
    }
    http_page_send(response, items, next, -1);
    free(next);
    json_decref(items);
}

/* Sends a generated file (out) as an attachment. */
static void send_file(struct _u_response *response, const buf *out, int xlsx, const char *name)
{
    char disposition[160];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", name,
             xlsx ? "xlsx" : "csv");
    http_set_header(response, "Content-Type", xlsx ? XLSX_TYPE : "text/csv; charset=utf-8");
    http_set_header(response, "Content-Disposition", disposition);
    ulfius_set_binary_body_response(response, 200, out->data ? out->data : "", out->len);
}

/* A template download: kind and format fixed by the route. */
static void template_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, const char *kind, int xlsx)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    buf out;
    buf_init(&out, BATCH_MAX_OUTPUT_BYTES);
    const char *date = http_param(request, "effective_date");
    if (batch_template(c.db, &c.actor, http_param(request, "id"), kind, date, xlsx, &out, &c.o) !=
        PORTAL_OK) {
        http_answer_outcome(response, ctx, &c.o);
    } else {
        int en = strcmp(ctx->lang, "en") == 0;
        char name[64];
        if (strcmp(kind, "salary_change") == 0)
            snprintf(name, sizeof name, "%s-%.10s", en ? "salary-change" : "salariswijziging",
                     date);
        else
            snprintf(name, sizeof name, "%s", en ? "new-participants" : "nieuwe-deelnemers");
        send_file(response, &out, xlsx, name);
    }
    buf_free(&out);
}

void batches_template_salary_xlsx_handler(const struct _u_request *request,
                                          struct _u_response *response, http_ctx *ctx)
{
    template_handler(request, response, ctx, "salary_change", 1);
}

void batches_template_salary_csv_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx)
{
    template_handler(request, response, ctx, "salary_change", 0);
}

void batches_template_new_xlsx_handler(const struct _u_request *request,
                                       struct _u_response *response, http_ctx *ctx)
{
    template_handler(request, response, ctx, "new_participants", 1);
}

void batches_template_new_csv_handler(const struct _u_request *request,
                                      struct _u_response *response, http_ctx *ctx)
{
    template_handler(request, response, ctx, "new_participants", 0);
}

void batches_errors_xlsx_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    buf out;
    buf_init(&out, BATCH_MAX_OUTPUT_BYTES);
    if (batch_errors_file(c.db, &c.actor, http_param(request, "id"), &out, &c.o) != PORTAL_OK)
        http_answer_outcome(response, ctx, &c.o);
    else
        send_file(response, &out, 1, strcmp(ctx->lang, "en") == 0 ? "errors" : "fouten");
    buf_free(&out);
}
