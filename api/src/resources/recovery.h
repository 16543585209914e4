/*
 * resources/recovery.h: getting back in (DESIGN.md §4.1, seed 002 §3):
 *   POST /api/v1/auth/password-reset          username + e-mail → mail (always 202)
 *   POST /api/v1/auth/password-reset/confirm  token + new password → 204
 *   POST /api/v1/auth/username-reminder       e-mail → mail (always 202)
 * The answers never tell whether an account exists.
 */
#ifndef PORTAL_RESOURCES_RECOVERY_H
#define PORTAL_RESOURCES_RECOVERY_H

#include "http/router.h"

void recovery_request_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void recovery_confirm_reset(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);
void recovery_username_reminder(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx);

#endif
