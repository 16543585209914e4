/*
 * http/session_cookies.h: the browser session's cookies. The refresh token
 * travels in an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth; the
 * CSRF token in a readable SameSite=Strict cookie the SPA echoes in
 * X-CSRF-Token. Both are Secure except on plain-HTTP localhost development.
 */
#ifndef PORTAL_HTTP_SESSION_COOKIES_H
#define PORTAL_HTTP_SESSION_COOKIES_H

#include <ulfius.h>

#include "http/context.h"

#define SESSION_REFRESH_COOKIE "portal_refresh"
#define SESSION_CSRF_COOKIE "portal_csrf"

/* Sets both cookies for 12 hours. */
void session_cookies_set(struct _u_response *response, const http_ctx *ctx,
                         const char *refresh_token, const char *csrf_token);

/* Expires both cookies. */
void session_cookies_clear(struct _u_response *response);

#endif
