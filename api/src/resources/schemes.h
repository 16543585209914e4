/*
 * resources/schemes.h: an employer's pension and income schemes (DESIGN.md
 * §4.2/§4.3, issue 4 "Schemes"):
 *   POST  /api/v1/schemes        insurer staff (schemes.manage) create one
 *   GET   /api/v1/schemes        the visible schemes the caller may read
 *                                (scope and mandates apply), by name
 *   GET   /api/v1/schemes/{id}   one scheme with its ETag
 *   PATCH /api/v1/schemes/{id}   staff change it (If-Match honoured)
 * Invisible schemes answer 404, visible ones without the capability 403;
 * employers see their schemes but never change them.
 */
#ifndef PORTAL_RESOURCES_SCHEMES_H
#define PORTAL_RESOURCES_SCHEMES_H

#include "http/router.h"

/* POST /api/v1/schemes: 201 with the scheme, Location and ETag;
 * Idempotency-Key honoured. */
void schemes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);

/* GET /api/v1/schemes?organisation_id=&kind=&limit=&cursor=: a keyset page. */
void schemes_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);

/* GET /api/v1/schemes/{id}: 200 with ETag, 404 invisible, 403 no schemes.read. */
void schemes_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);

/* PATCH /api/v1/schemes/{id}: 200 with the new scheme and ETag. */
void schemes_patch_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx);

#endif
