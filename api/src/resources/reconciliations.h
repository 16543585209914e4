/*
 * resources/reconciliations.h: the HTTP face of the year-end reconciliation
 * (DESIGN.md §4.6): parse, call one workflow (workflows/reconciliations.h),
 * answer. Evidence uploads come spooled (http/upload.h) with a 21 MiB route
 * limit so that a 20 MiB file with its form fields fits.
 */
#ifndef PORTAL_RESOURCES_RECONCILIATIONS_H
#define PORTAL_RESOURCES_RECONCILIATIONS_H

#include <ulfius.h>

#include "http/context.h"

#define RECONCILIATIONS_UPLOAD_MIB 21

void reconciliations_create_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx);
void reconciliations_list_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx);
void reconciliations_get_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);
void reconciliations_employees_handler(const struct _u_request *request,
                                       struct _u_response *response, http_ctx *ctx);
void reconciliations_employee_create_handler(const struct _u_request *request,
                                             struct _u_response *response, http_ctx *ctx);
void reconciliations_employee_patch_handler(const struct _u_request *request,
                                            struct _u_response *response, http_ctx *ctx);
void reconciliations_sick_reports_handler(const struct _u_request *request,
                                          struct _u_response *response, http_ctx *ctx);
void reconciliations_sick_report_create_handler(const struct _u_request *request,
                                                struct _u_response *response, http_ctx *ctx);
void reconciliations_submit_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx);
void reconciliations_reopen_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx);

#endif
