/*
 * http/resource_item.h: the steps every handler of one addressed item
 * (/…/{id}) shares, and the DELETE that revokes such an item.
 *
 * Owns only the HTTP side: the {id} parameter, the If-Match check, the audit
 * record of a revocation and the answer. What the item is, who may see it
 * and how it is revoked stay with the resource (the store call comes in as a
 * function pointer), so this file includes no resource or store module of
 * its own.
 */
#ifndef PORTAL_HTTP_RESOURCE_ITEM_H
#define PORTAL_HTTP_RESOURCE_ITEM_H

#include <ulfius.h>

#include "http/context.h"

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

#endif
