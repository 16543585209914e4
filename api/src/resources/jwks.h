/* resources/jwks.h: GET /.well-known/jwks.json, the public key that signs
 * access tokens, for other services that verify them. */
#ifndef PORTAL_RESOURCES_JWKS_H
#define PORTAL_RESOURCES_JWKS_H

#include "http/router.h"

void jwks_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);

#endif
