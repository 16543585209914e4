/*
 * resources/mandates.h: mandates (machtigingen, issue 4 "Scopes and
 * mandates"): an employer's administrator lets an intermediary office act on
 * chosen schemes, read (as hr_read) or read_write (as hr).
 *   POST   /api/v1/mandates        mandates.manage: the caller's organisation
 *                                  grants; Idempotency-Key honoured
 *   GET    /api/v1/mandates        the employer's administrators (own
 *                                  organisation), the intermediary's users
 *                                  (granted to their office), staff (all)
 *   GET    /api/v1/mandates/{id}   one mandate with its ETag
 *   DELETE /api/v1/mandates/{id}   the employer side or staff revoke it at
 *                                  once (If-Match honoured)
 * A mandate of another organisation answers 404.
 */
#ifndef PORTAL_RESOURCES_MANDATES_H
#define PORTAL_RESOURCES_MANDATES_H

#include "http/router.h"

/* POST /api/v1/mandates {intermediary_id, scheme_ids, access}: 201. */
void mandates_create_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);

/* GET /api/v1/mandates?employer_id=&intermediary_id=&status=&limit=&cursor=. */
void mandates_list_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx);

/* GET /api/v1/mandates/{id}: 200 with ETag. */
void mandates_get_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);

/* DELETE /api/v1/mandates/{id}: 204 (also when already revoked). */
void mandates_delete_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);

#endif
