/*
 * resources/batches.h: collective changes (DESIGN.md §4.4, seed 001 §4.4):
 *   POST /api/v1/batches                multipart (file, scheme_id, kind,
 *                                       effective_date[, submit]) or the raw
 *                                       CSV/XLSX body with the same fields in
 *                                       the query → 202 with the checked batch
 *   GET  /api/v1/batches                ?scheme_id=&status=, newest first
 *   GET  /api/v1/batches/{id}
 *   GET  /api/v1/batches/{id}/errors    paginated {row, column, field, code, message}
 *   POST /api/v1/batches/{id}/submit    {"skip_invalid_rows": false} → 202 queued
 *   POST /api/v1/batches/{id}/discard   → 200 discarded
 *   GET  /api/v1/batches/{id}/errors.xlsx  the uploaded rows with an error column
 *   GET  /api/v1/schemes/{id}/templates/salary-change.xlsx|.csv  ?effective_date=
 *   GET  /api/v1/schemes/{id}/templates/new-participants.xlsx|.csv
 * Each handler reads the request, calls one workflow of workflows/batches.h
 * and maps its outcome (http/outcome.h).
 */
#ifndef PORTAL_RESOURCES_BATCHES_H
#define PORTAL_RESOURCES_BATCHES_H

#include "http/router.h"

/* The upload limit of POST /api/v1/batches (the file plus its form fields,
 * in MiB, for the route table): a file of 20 MiB and a little room. */
#define BATCHES_UPLOAD_MIB 21

void batches_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void batches_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void batches_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);
void batches_errors_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void batches_submit_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void batches_discard_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);

void batches_errors_xlsx_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);
void batches_template_salary_xlsx_handler(const struct _u_request *request,
                                          struct _u_response *response, http_ctx *ctx);
void batches_template_salary_csv_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx);
void batches_template_new_xlsx_handler(const struct _u_request *request,
                                       struct _u_response *response, http_ctx *ctx);
void batches_template_new_csv_handler(const struct _u_request *request,
                                      struct _u_response *response, http_ctx *ctx);

#endif
