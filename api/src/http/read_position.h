/*
 * http/read_position.h: read-your-writes when reads may run on a hot
 * standby (store/db.h, "The hot standby").
 *
 * A write's answer carries the primary's log position after it (its commit
 * position) in the READ_POSITION_HEADER response header and the
 * READ_POSITION_COOKIE cookie, and this instance remembers it for the
 * caller (session or API token) in a fixed table. A later read of that
 * caller runs on the standby only once the standby has replayed that far
 * (the furthest of the header the client echoes, the cookie and the
 * table); otherwise on the primary. Nothing here runs without a standby.
 *
 * The table holds READ_POSITION_SLOTS callers (READ_POSITION_WAYS per
 * hash); a full set drops its lowest position, and that position becomes a
 * floor every caller not in the table waits for, so dropping an entry never
 * lets its caller read older data than it wrote.
 */
#ifndef PORTAL_HTTP_READ_POSITION_H
#define PORTAL_HTTP_READ_POSITION_H

#include <stdint.h>
#include <ulfius.h>

#include "http/context.h"

#define READ_POSITION_HEADER "Portal-Commit-Lsn"
#define READ_POSITION_COOKIE "portal_commit_lsn"
#define READ_POSITION_COOKIE_SECONDS 300
#define READ_POSITION_SLOTS 4096
#define READ_POSITION_WAYS 4

/* Before a standby read: takes the position the request carries (header or
 * cookie; a malformed one is ignored) into ctx->read_after and marks the
 * request for the standby. */
void read_position_begin(http_ctx *ctx, const struct _u_request *request);

/* Raises ctx->read_after to the remembered position of the session
 * (kind 's') or API token (kind 't') id. */
void read_position_for_caller(http_ctx *ctx, char kind, const char *id);

/* After an API token was checked on the primary (the check writes):
 * returns that connection and lets the read itself go to the standby, with
 * the token's remembered position. */
void read_position_leave_primary(http_ctx *ctx);

/* After any request that ran on the primary connection ctx->db (a write,
 * or a read that may have seen a job's writes): reads the primary's log
 * position and hands it to the client (header, cookie) and to the table
 * for ctx's caller. Does nothing when it cannot be read. */
void read_position_answer(struct _u_response *response, http_ctx *ctx);

/* The table itself (keys are "s:<session id>" or "t:<token id>").
 * Remembers lsn for key, keeping the furthest of the old and the new; a
 * full bucket drops its lowest entry into the floor. Thread-safe. */
void read_position_remember(const char *key, uint64_t lsn);

/* The remembered position of key, or the floor when it has none (never
 * less than the last position remembered for key). Thread-safe. */
uint64_t read_position_recall(const char *key);

#endif
