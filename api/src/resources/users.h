/*
 * resources/users.h: delegated user administration (DESIGN.md §4.2, seed
 * 000, seed 003):
 *   GET    /api/v1/users?q=                search by first and/or last name
 *   POST   /api/v1/users                   invite (rights, scheme scope, expiry)
 *   GET    /api/v1/users/{id}
 *   PATCH  /api/v1/users/{id}              rights, scope, expiry, names
 *   DELETE /api/v1/users/{id}              the account stops at once
 *   POST   /api/v1/users/{id}/invitation   re-send (new link, old one dead)
 * An administrator grants only rights they hold and schemes in their own
 * scope; nobody changes their own rights; the last active administrator
 * stays (409 last_administrator).
 */
#ifndef PORTAL_RESOURCES_USERS_H
#define PORTAL_RESOURCES_USERS_H

#include "http/router.h"

void users_list_handler(const struct _u_request *request, struct _u_response *response,
                        http_ctx *ctx);
void users_create_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void users_get_handler(const struct _u_request *request, struct _u_response *response,
                       http_ctx *ctx);
void users_patch_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);
void users_delete_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);
void users_invitation_handler(const struct _u_request *request, struct _u_response *response,
                              http_ctx *ctx);

#endif
