/*
 * resources/export_limit.h: the cap on exports a caller may have waiting.
 *
 * Exports share the job queue with nothing urgent any more (messages go
 * first, jobs/worker.h), but a caller looping POST /exports would still fill
 * the queue and the database for 90 days. A caller (a user, with all their
 * API tokens, or a token alone) may have at most EXPORT_LIMIT_PENDING
 * exports asked for in the last day still being built; one more answers 429
 * too_many_exports with Retry-After.
 */
#ifndef PORTAL_RESOURCES_EXPORT_LIMIT_H
#define PORTAL_RESOURCES_EXPORT_LIMIT_H

#include <ulfius.h>

#include "http/context.h"
#include "store/db.h"

#define EXPORT_LIMIT_PENDING 5
#define EXPORT_LIMIT_RETRY_AFTER 30 /* seconds */

/* 1 when the caller in ctx may queue another export. Otherwise 0 after
 * answering 429 too_many_exports with Retry-After, or 503 when the count
 * could not be read. db is borrowed. */
int export_limit_ok(http_ctx *ctx, struct _u_response *response, db_conn *db);

#endif
