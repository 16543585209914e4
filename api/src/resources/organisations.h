/*
 * resources/organisations.h: customer organisations (DESIGN.md §4.2, seed
 * 001 §6, seed 003):
 *   POST  /api/v1/organisations        staff create an employer or intermediary
 *   GET   /api/v1/organisations        staff list and search them
 *   GET   /api/v1/organisations/{id}   staff read one
 *   PATCH /api/v1/organisations/{id}   staff change any company data
 *   GET   /api/v1/organisation         any user: the own organisation, its
 *                                      advisor and administrators
 *   PATCH /api/v1/organisation         any user: postal address and contact person
 *   GET   /api/v1/intermediaries?q=    offices an employer can mandate
 */
#ifndef PORTAL_RESOURCES_ORGANISATIONS_H
#define PORTAL_RESOURCES_ORGANISATIONS_H

#include "http/router.h"

void organisations_create_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx);
void organisations_list_handler(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx);
void organisations_get_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx);
void organisations_patch_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);
void organisation_own_get(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void organisation_own_patch(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void intermediaries_list_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);

#endif
