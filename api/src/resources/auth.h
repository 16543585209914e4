/*
 * resources/auth.h: signing in and out (DESIGN.md §4.1), over HTTP:
 *   POST /api/v1/auth/login    username + password → mfa_token
 *   POST /api/v1/auth/mfa      mfa_token + TOTP code → tokens (or a recovery
 *                              code → a new enrolment)
 *   POST /api/v1/auth/refresh  rotates the refresh token
 *   POST /api/v1/auth/logout   ends the session
 *   POST /api/v1/auth/unlock   a mailed link lifts an account's sign-in wait
 * Each handler parses, calls its use case in workflows/signin.h, and answers.
 */
#ifndef PORTAL_RESOURCES_AUTH_H
#define PORTAL_RESOURCES_AUTH_H

#include "http/router.h"

void auth_login(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_mfa(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_refresh(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_logout(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void auth_unlock(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);

#endif
