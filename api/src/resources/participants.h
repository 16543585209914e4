/*
 * resources/participants.h: the participants of a scheme (DESIGN.md §4.3,
 * seed 001 §4.1 and §4.3, seed 002 §17):
 *   GET  /api/v1/participants        ?scheme_id= (one or more) &status= &q= &sort= &limit= &cursor=
 *   POST /api/v1/participants        register (or re-hire a dormant/ended BSN)
 *   GET  /api/v1/participants/{id}   ?as_of=  detail with ETag; BSNs masked
 *                                    without participants.bsn; a full view is audited
 * Access through auth/access.h on the participant's scheme: participants.read
 * to read, participants.write to register; an invisible scheme is 404, a
 * visible one without the capability 403.
 */
#ifndef PORTAL_RESOURCES_PARTICIPANTS_H
#define PORTAL_RESOURCES_PARTICIPANTS_H

#include "http/router.h"

void participants_list_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx);
void participants_create_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);
void participants_get_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx);

#endif
