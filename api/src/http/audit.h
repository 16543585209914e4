/*
 * http/audit.h: the one-call way a resource writes an audit event for the
 * current request (actor, organisation, request id and client address come
 * from the context).
 */
#ifndef PORTAL_HTTP_AUDIT_H
#define PORTAL_HTTP_AUDIT_H

#include <jansson.h>

#include "http/context.h"
#include "store/audit.h"

/* Fills *out from the request context: the acting user or API token, the
 * caller's organisation, request id and client address (pointers borrow
 * from ctx). */
void audit_entry_from_ctx(const http_ctx *ctx, audit_entry *out);

/* Records `action` on target in db's current transaction. organisation_id
 * NULL means the caller's organisation. Without an authenticated caller
 * (sign-in flows) a target of type "user" is taken as the actor. changes
 * (borrowed, may be NULL) is redacted by the store. */
portal_result http_audit(const http_ctx *ctx, db_conn *db, const char *action,
                         const char *target_type, const char *target_id,
                         const char *organisation_id, json_t *changes);

#endif
