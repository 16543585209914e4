/*
 * resources/auth.h: signing in and out (DESIGN.md §4.1):
 *   POST /api/v1/auth/login    username + password → mfa_token
 *   POST /api/v1/auth/mfa      mfa_token + TOTP code → tokens (or a recovery
 *                              code → a new enrolment)
 *   POST /api/v1/auth/refresh  rotates the refresh token
 *   POST /api/v1/auth/logout   ends the session
 *
 * It also owns what the other sign-in resources (me, recovery, activation)
 * share: the failure throttle of DESIGN.md §4, the limits on the mails and
 * SMS those endpoints send (store/throttle.h), and the audit-and-commit end
 * of a step.
 */
#ifndef PORTAL_RESOURCES_AUTH_H
#define PORTAL_RESOURCES_AUTH_H

#include "http/router.h"
#include "store/throttle.h"
#include "store/users.h"

void auth_login(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_mfa(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_refresh(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_logout(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);

/* The sign-in throttle, before any password or code is checked: returns 0
 * when the step may go on. Otherwise answers 429 with Retry-After (and
 * audits `audit_action` with the username and the wait, when given) or 503
 * when the counters cannot be read, and returns 1. */
int auth_throttled(struct _u_response *response, http_ctx *ctx, db_conn *db, const char *username,
                   const char *audit_action);

/* The per-client-address limit of the anonymous message endpoints (password
 * reset, username reminder), counted for every request: returns 0 when the
 * request may go on, otherwise answers 429 with Retry-After (or 503) and
 * returns 1. */
int auth_message_request_throttled(struct _u_response *response, http_ctx *ctx, db_conn *db);

/* Counts one message of `kind` to `target` (see throttle_count_message).
 * PORTAL_OK: send it. PORTAL_ERR_DENIED: the target had its share; the event
 * is logged and audited as "message.limited" on `user` (may be NULL), both
 * without the target itself, and *retry_after holds the seconds left.
 * PORTAL_ERR_DATABASE otherwise. */
portal_result auth_message_gate(http_ctx *ctx, db_conn *db, throttle_message kind,
                                const char *target, const user_row *user, long *retry_after);

/* Ends a step's transaction: when rc is PORTAL_OK, audits `action` on user
 * (changes may be NULL; it is released either way) and commits, returning 1.
 * Otherwise, or when either fails, rolls back, answers 503/500 (unless
 * response is NULL) and returns 0. */
int auth_audit_commit(struct _u_response *response, http_ctx *ctx, db_conn *db, portal_result rc,
                      const char *action, const user_row *user, json_t *changes);

#endif
