/*
 * http/resource_item.h: the steps every handler of one addressed item
 * (/…/{id}) shares, the DELETE that revokes such an item, and the end of the
 * transaction of a write that answers with the item.
 *
 * Owns only the HTTP side: the {id} parameter, the If-Match check, the audit
 * record of a revocation, the transaction around a write with its
 * Idempotency-Key, and the answer. What the item is, who may see it and how
 * it is revoked or written stay with the resource (the store call comes in
 * as a function pointer or as the result of the caller's work), so this file
 * includes no resource or store module of its own.
 */
#ifndef PORTAL_HTTP_RESOURCE_ITEM_H
#define PORTAL_HTTP_RESOURCE_ITEM_H

#include <ulfius.h>

#include "base/result.h"
#include "http/context.h"
#include "http/idempotency.h"

/* Reads the {id} path parameter and borrows the request's connection.
 * Returns the connection with *id pointing into the request, or NULL after
 * answering 404 not_found (the id is not UUID-shaped: nothing is looked up)
 * or 503 service_unavailable. */
db_conn *http_item_open(const struct _u_request *request, http_ctx *ctx,
                        struct _u_response *response, const char **id);

/* The store call that revokes one item in the open transaction; *changed is
 * 1 when the item was active until now, 0 when it was revoked already. */
typedef portal_result (*http_item_revoke_fn)(db_conn *db, const char *id, int *changed);

/* A revocation: every pointer is borrowed for the call. */
typedef struct {
    const char *id;
    const char *etag;            /* the item's current ETag (http/etag.h) */
    http_item_revoke_fn revoke;  /* e.g. mandates_revoke */
    const char *action;          /* audit action: "mandate.revoked" */
    const char *target_type;     /* audit target type: "mandate" */
    const char *organisation_id; /* audit organisation; NULL: the caller's */
} http_item_revocation;

/*
 * http_item_revoke -- finishes DELETE of an item that is revoked, not removed.
 *
 * Call it with db's transaction open, the item locked (FOR UPDATE) and the
 * caller's access to it already checked. It checks If-Match against r->etag,
 * revokes, records r->action with {"revoked": false -> true} when the item
 * was still active (a repeat changes and records nothing), commits and
 * answers 204.
 *
 * Ownership: takes over the open transaction and always ends it, committed
 * or rolled back; borrows everything else.
 *
 * Failure: a stale If-Match rolls back and answers 412 precondition_failed;
 * a failed store call, audit record or commit rolls back and answers 500
 * internal_error.
 */
void http_item_revoke(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                      db_conn *db, const http_item_revocation *r);

/*
 * http_item_begin -- begins db's transaction for a write that takes an
 * Idempotency-Key, and claims the key in it (http/idempotency.h).
 *
 * Returns 1 with the transaction open and *idem ready for http_item_finish.
 * Returns 0 after answering, with no transaction left open: 503
 * service_unavailable when none can begin, or the key's own answer (a
 * replay, or its 400, 409, 422 or 500) after rolling back.
 */
int http_item_begin(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                    db_conn *db, http_idempotency *idem);

/* The answer of a write that succeeded: every pointer is borrowed. */
typedef struct {
    unsigned status;      /* 200, or 201 for a created item */
    const char *json;     /* the item's JSON text */
    const char *location; /* Location ("/api/v1/…/{id}"), or NULL */
    const char *etag;     /* the item's new ETag, or NULL */
} http_item_answer;

/*
 * http_item_finish -- ends the transaction of a write that answers with the
 * item.
 *
 * rc is the result of the work done so far in db's open transaction. With
 * PORTAL_OK it keeps a's status, JSON and Location as the answer to the
 * request's Idempotency-Key (idem NULL: the request takes none), commits and
 * answers a (a replay later carries no ETag).
 *
 * Ownership: takes over the open transaction and always ends it, committed
 * or rolled back; borrows everything else.
 *
 * Failure: returns the first failure (rc itself, the idempotency record or
 * the commit) after rolling back, with nothing answered: the caller answers
 * it, as only it knows what a conflict means. PORTAL_OK: answered.
 */
portal_result http_item_finish(struct _u_response *response, db_conn *db,
                               const http_idempotency *idem, portal_result rc,
                               const http_item_answer *a);

/*
 * http_item_commit -- commits db's open transaction when rc, the result of
 * the work done in it, is PORTAL_OK, and returns 1; the caller answers.
 *
 * Failure: rc or a failed commit rolls back, answers http_problem_for (503
 * for a busy or failed database, 500 otherwise) and returns 0.
 */
int http_item_commit(struct _u_response *response, const http_ctx *ctx, db_conn *db,
                     portal_result rc);

/* Rolls back db's open transaction and answers the problem status code
 * (http_problem): for a request that cannot go on once its transaction
 * has begun. */
void http_item_rollback(struct _u_response *response, const http_ctx *ctx, db_conn *db, int status,
                        const char *code);

#endif
