/*
 * resources/exports.h: participant exports as of any date (DESIGN.md §4.3,
 * seed 001 §4.2.4):
 *   POST /api/v1/exports            {scheme_ids, as_of, format} → 202, built by a job
 *   GET  /api/v1/exports            the history (the caller's organisation,
 *                                   schemes the caller may still see)
 *   GET  /api/v1/exports/{id}
 *   GET  /api/v1/exports/{id}/file  the file, streamed; 409 while building,
 *                                   410 after 90 days
 */
#ifndef PORTAL_RESOURCES_EXPORTS_H
#define PORTAL_RESOURCES_EXPORTS_H

#include "http/router.h"

void exports_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void exports_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void exports_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);
void exports_file_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);

#endif
