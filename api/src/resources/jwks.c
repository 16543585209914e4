/* resources/jwks.c: see jwks.h. */
#include "resources/jwks.h"

#include <stdlib.h>
#include <string.h>

#include "auth/jwt.h"
#include "http/problem.h"
#include "http/response.h"

void jwks_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    char *jwks = authjwt_jwks_json();
    if (!jwks) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    http_send_json_text(response, 200, jwks, strlen(jwks));
    http_set_header(response, "Cache-Control", "public, max-age=300");
    free(jwks);
}
