/*
 * resources/audit_events.h: the audit log (issue 4 "Audit log", DESIGN.md
 * §4.2):
 *   GET /api/v1/audit-events   audit.read: the own organisation's events;
 *                              audit.read_all (staff): every organisation's,
 *                              optionally one (organisation_id=)
 * Filters actor (a user id), target_type, target_id, from and to (RFC 3339
 * timestamps or dates, inclusive); newest first, keyset-paged.
 */
#ifndef PORTAL_RESOURCES_AUDIT_EVENTS_H
#define PORTAL_RESOURCES_AUDIT_EVENTS_H

#include "http/router.h"

/* GET /api/v1/audit-events?actor=&target_type=&target_id=&from=&to=
 * &organisation_id=&limit=&cursor=. */
void audit_events_list_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx);

#endif
