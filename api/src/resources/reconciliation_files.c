/* resources/reconciliation_files.c: see reconciliation_files.h. */
#include "resources/reconciliation_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/content_kind.h"
#include "formats/sniff.h"
#include "http/blob_stream.h"
#include "http/call.h"
#include "http/idempotency.h"
#include "http/outcome.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "http/upload.h"
#include "workflows/reconciliation_wages.h"
#include "workflows/reconciliations.h"

void reconciliations_evidence_handler(const struct _u_request *request,
                                      struct _u_response *response, http_ctx *ctx)
{
    const http_upload_file *up = NULL;
    content_kind kind = CONTENT_EMPTY;
    if (http_upload_document(request, response, ctx, (unsigned long long)RECON_UPLOAD_MAX, &up,
                             &kind) == HTTP_ANSWERED)
        return;
    recon_evidence_input in = {.kind = http_upload_form(request, "kind"),
                               .checklist_confirmed =
                                   http_upload_form(request, "checklist_confirmed"),
                               .file_name = up->file_name,
                               .content_type = content_kind_media_type(kind),
                               .file = up->file,
                               .size = (long long)up->size};
    http_call c;
    http_idempotency idem;
    if (http_call_begin_write(request, response, ctx, NULL, NULL, &c, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        recon_evidence_add(c.db, &c.actor, http_param(request, "id"), &in, &c.o, &json);
    http_call_finish_write(response, ctx, &c, &idem, rc, 201, json, NULL, NULL);
}

void reconciliations_evidence_file_handler(const struct _u_request *request,
                                           struct _u_response *response, http_ctx *ctx)
{
    http_call c;
    recon_evidence_file file;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED ||
        http_call_failed(response, ctx,
                         recon_evidence_open(c.db, &c.actor, http_param(request, "id"),
                                             http_param(request, "evidence_id"), &c.o, &file),
                         &c.o))
        return;
    char disposition[sizeof file.file_name + 48];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", file.file_name);
    http_set_header(response, "Content-Type", file.content_type);
    http_set_header(response, "Content-Disposition", disposition);
    http_set_header(response, "Cache-Control", "private, no-cache");
    if (http_blob_stream_send(response, 200, file.blob_id, 0,
                              file.size > 0 ? (unsigned long long)file.size : 0) != PORTAL_OK)
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
}

/* Answers a problem with a detail (already in the caller's language). */
static void recon_files_problem(struct _u_response *response, http_ctx *ctx, int status,
                                const char *code, const char *detail)
{
    problem p;
    problem_init(&p, status, code);
    if (detail)
        problem_set_detail(&p, detail);
    problem_send(response, ctx, &p);
}

/* Reads the multipart wage file whole into memory owned by the request and
 * sniffs it: XLSX or UTF-8 text. Returns 1 with *file filled, or answers
 * 413/400/415/422/500 and returns 0. */
static int recon_files_read_wages(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx, recon_wage_file *file)
{
    const http_upload_file *up = http_upload_of(request);
    if (up && (up->too_large || up->size > (unsigned long long)RECON_WAGE_FILE_MAX_BYTES)) {
        http_problem(response, ctx, 413, "payload_too_large");
        return 0;
    }
    if (!up || strcmp(up->field, "file") != 0 || up->parts != 1) {
        http_field_problem(response, ctx, 400, "invalid_request", "/file",
                           up && up->parts > 1 ? "invalid_value" : "required", NULL);
        return 0;
    }
    size_t size = (size_t)up->size;
    char *bytes = http_ctx_keep(ctx, malloc(size ? size : 1));
    if (up->failed || !bytes || fseek(up->file, 0, SEEK_SET) != 0 ||
        (size && fread(bytes, 1, size, up->file) != size)) {
        http_answer_result(response, ctx, bytes ? PORTAL_ERR_IO : PORTAL_ERR_MEMORY);
        return 0;
    }
    sniff_kind kind = sniff_bytes(bytes, size, 1);
    const char *code = NULL;
    int status = sniff_verdict(kind, SNIFF_USE_BATCH, &code, NULL);
    if (status != 0) {
        recon_files_problem(response, ctx, status, code, sniff_detail(kind, ctx->lang));
        return 0;
    }
    *file = (recon_wage_file){.data = bytes, .len = size, .xlsx = kind == SNIFF_XLSX};
    return 1;
}

/* Answers 422 wage_file_invalid with the errors by row (taken over). */
static void recon_files_send_row_errors(struct _u_response *response, const http_ctx *ctx,
                                        const portal_outcome *o, json_t *errors, size_t count)
{
    int en = strcmp(ctx->lang, "en") == 0;
    char detail[160];
    snprintf(detail, sizeof detail,
             en ? "The wage file has %zu error(s); nothing was changed. Correct the rows named "
                  "and send the whole file again."
                : "Het loonbestand heeft %zu fout(en); er is niets gewijzigd. Verbeter de "
                  "genoemde regels en stuur het hele bestand opnieuw.",
             count);
    if (!http_problem_list(response, ctx, "wage_file_invalid", detail, errors, count))
        http_answer_outcome(response, ctx, o);
    json_decref(errors);
}

void reconciliations_wages_handler(const struct _u_request *request, struct _u_response *response,
                                   http_ctx *ctx)
{
    recon_wage_file file;
    if (!recon_files_read_wages(request, response, ctx, &file))
        return;
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    json_t *errors = NULL;
    size_t count = 0;
    portal_result rc = recon_wages_upload(c.db, &c.actor, http_param(request, "id"), &file, &c.o,
                                          &json, &errors, &count);
    if (rc != PORTAL_OK && errors)
        recon_files_send_row_errors(response, ctx, &c.o, errors, count);
    else if (rc != PORTAL_OK && strcmp(c.o.code, "file_unreadable") == 0)
        recon_files_problem(response, ctx, 422, c.o.code, c.o.detail);
    else
        http_call_send(response, ctx, rc, &c.o, json, 200);
}
