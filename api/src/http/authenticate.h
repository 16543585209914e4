/*
 * http/authenticate.h: the authentication step the router runs before a
 * protected handler (Glewlwyd style: the caller ends up in the request
 * context, handlers never parse tokens).
 *
 * Accepts `Authorization: Bearer <access token>` (an ES256 JWT of type
 * "access"; mfa tokens and refresh tokens are refused) and, where the route
 * allows it, API tokens (`pat_…`). Every request re-checks in the database
 * that the session is open and the user active, so a logout, deletion, lock
 * or password change stops a token at once.
 */
#ifndef PORTAL_AUTH_AUTHENTICATE_H
#define PORTAL_AUTH_AUTHENTICATE_H

#include "http/router.h"

/* The http_authenticator for http_router_register. */
int auth_authenticate(const struct _u_request *request, struct _u_response *response, http_ctx *ctx,
                      unsigned flags);

/* Extracts the bearer token from an Authorization header value, or NULL. */
const char *auth_bearer(const char *authorization);

#endif
