/*
 * resources/activation.h: activating an invited account over HTTP
 * (DESIGN.md §4.1):
 *   POST /api/v1/activation/verification-code  token + email (+ channel)
 *   POST /api/v1/activation                    token + code + username + password
 * Each handler parses, calls workflows/activation.h, and answers.
 */
#ifndef PORTAL_RESOURCES_ACTIVATION_H
#define PORTAL_RESOURCES_ACTIVATION_H

#include "http/router.h"

void activation_send_code_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx);
void activation_complete_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx);

#endif
