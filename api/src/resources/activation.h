/*
 * resources/activation.h: activating an invited account (DESIGN.md §4.1,
 * seed 001 §1): the invitation link's token plus the e-mail address get a
 * verification code; token, code, a chosen username and a password activate.
 *   POST /api/v1/activation/verification-code
 *   POST /api/v1/activation
 */
#ifndef PORTAL_RESOURCES_ACTIVATION_H
#define PORTAL_RESOURCES_ACTIVATION_H

#include "http/router.h"

void activation_send_code(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void activation_complete(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);

/* Username rule: 3–64 characters of letters, digits and . _ - @ */
int activation_username_ok(const char *username);

#endif
