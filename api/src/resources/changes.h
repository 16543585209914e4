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
 * participants.read; invisible schemes answer 404, missing rights 403.
 */
#ifndef PORTAL_RESOURCES_CHANGES_H
#define PORTAL_RESOURCES_CHANGES_H

#include "http/idempotency.h"
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

/* ---- shared with the review queue (resources/reviews.c) ---- */

/* Reads the optional ?type= filter (a change type) into *type: NULL when
 * absent or empty, else borrowed from the request. Returns 1, or 0 after
 * answering 400 invalid_request on type (an unknown type). */
int changes_type_filter(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx, const char **type);

/* Answers the store's page of changes: rc is the store's result, items its
 * JSON array text, sent with review reasons expanded in the caller's
 * language, and next_cursor encoded under tag from next_keys (NULL: the
 * last page; left out when it cannot be encoded). Anything but PORTAL_OK,
 * or reasons that cannot be expanded, answers 500 internal_error. Borrows
 * everything. */
void changes_send_page(struct _u_response *response, http_ctx *ctx, portal_result rc,
                       const char *tag, const char *items, const char *next_keys);

/* A decision on one change (cancelled, approved, rejected): every pointer
 * is borrowed for the call. */
typedef struct {
    const char *id;              /* the change */
    const char *type;            /* its type, for the audit record */
    const char *from_status;     /* its status before the decision */
    const char *to_status;       /* and after */
    const char *reason_key;      /* audit key of the reason; NULL: none */
    const char *reason;          /* the reason given */
    const char *action;          /* audit action: "review.approved" */
    const char *participant_id;  /* audit target */
    const char *organisation_id; /* audit organisation */
    const char *conflict_code;   /* the 409 answer to PORTAL_ERR_CONFLICT */
} changes_decision;

/*
 * changes_decision_finish -- ends the transaction of a decision on d->id.
 *
 * rc is the result of the decision so far in db's open transaction (the
 * participant locked, the change decided, the periods rebuilt). With
 * PORTAL_OK it records d->action with the change id, type, status and
 * reason, reads the change again, keeps it as the answer to the request's
 * Idempotency-Key, commits and answers 200 with it (reasons expanded).
 *
 * Ownership: takes over the open transaction and always ends it, committed
 * or rolled back; borrows everything else.
 *
 * Failure: rolls back and answers 409 d->conflict_code for
 * PORTAL_ERR_CONFLICT, 500 internal_error for anything else.
 */
void changes_decision_finish(struct _u_response *response, http_ctx *ctx, db_conn *db,
                             const http_idempotency *idem, portal_result rc,
                             const changes_decision *d);

#endif
