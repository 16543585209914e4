/*
 * resources/me.h: the signed-in user's own account (DESIGN.md §4.1):
 *   GET   /api/v1/me                   who am I, my rights, my preferences
 *   PATCH /api/v1/me                   names, language, theme, e-mail (confirmed by code)
 *   POST  /api/v1/me/email/confirm     the code sent to the new address
 *   POST  /api/v1/me/password          current + new password → fresh tokens
 *   POST  /api/v1/me/recovery-codes    a TOTP code → ten new recovery codes
 */
#ifndef PORTAL_RESOURCES_ME_H
#define PORTAL_RESOURCES_ME_H

#include "http/router.h"

void me_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void me_patch(const struct _u_request *request, struct _u_response *response, http_ctx *ctx);
void me_confirm_email(const struct _u_request *request, struct _u_response *response,
                      http_ctx *ctx);
void me_change_password(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx);
void me_recovery_codes(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx);

#endif
