/*
 * resources/reconciliation_files.h: the files of a reconciliation:
 *   POST /api/v1/reconciliations/{id}/wages      a CSV/XLSX wage file (multipart, field "file")
 *   POST /api/v1/reconciliations/{id}/evidence   an evidence file (multipart kind, file,
 *                                                checklist_confirmed), with Idempotency-Key
 *   GET  /api/v1/reconciliations/{id}/evidence/{evidence_id}   an evidence file back
 * Uploads come spooled (http/upload.h) with the route limit below (and
 * RECONCILIATIONS_UPLOAD_MIB for evidence), so that a 20 MiB file with its
 * form fields fits.
 */
#ifndef PORTAL_RESOURCES_RECONCILIATION_FILES_H
#define PORTAL_RESOURCES_RECONCILIATION_FILES_H

#include <ulfius.h>

#include "http/context.h"

#define RECONCILIATION_WAGES_UPLOAD_MIB 21

void reconciliations_evidence_handler(const struct _u_request *request,
                                      struct _u_response *response, http_ctx *ctx);
void reconciliations_evidence_file_handler(const struct _u_request *request,
                                           struct _u_response *response, http_ctx *ctx);
void reconciliations_wages_handler(const struct _u_request *request, struct _u_response *response,
                                   http_ctx *ctx);

#endif
