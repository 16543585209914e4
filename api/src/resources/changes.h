/*
 * resources/changes.h: individual changes on participants and their history
 * (DESIGN.md §4.3, seed 001 §4.2 and §4.5):
 *   POST /api/v1/participants/{id}/changes   salary_change | termination |
 *        partner_registration | child_registration | address_change;
 *        Idempotency-Key and If-Match (the participant's ETag) honoured
 *   GET  /api/v1/participants/{id}/changes   the participant's history
 *   GET  /api/v1/changes?scheme_id=          submitted changes: the latest
 *        change per participant, newest effective date first
 *   GET  /api/v1/changes/{id}                one change
 *   POST /api/v1/changes/{id}/cancel         withdraw a change entered in error
 * Writing needs participants.write on the participant's scheme, reading
 * participants.read; invisible schemes answer 404, missing rights 403. The
 * rules and records of submitting and cancelling are workflows/changes.h.
 */
#ifndef PORTAL_RESOURCES_CHANGES_H
#define PORTAL_RESOURCES_CHANGES_H

#include "http/router.h"

void changes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void changes_history_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);
void changes_submitted_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx);
void changes_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);
void changes_cancel_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);

#endif
