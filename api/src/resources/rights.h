/*
 * resources/rights.h: GET /api/v1/rights: the rights catalogue of the
 * caller's organisation (staff: of ?organisation_id=), with Dutch and
 * English labels and descriptions, the combination rules, and per right
 * whether the caller may grant it (held by the caller, never-grantable
 * excluded, within the office's licences).
 */
#ifndef PORTAL_RESOURCES_RIGHTS_H
#define PORTAL_RESOURCES_RIGHTS_H

#include "http/router.h"

void rights_list_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);

#endif
