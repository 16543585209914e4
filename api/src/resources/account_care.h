/*
 * resources/account_care.h: an administrator's care for the accounts of
 * their organisation (workflows/account_care.h): reset a second factor,
 * release a sign-in throttle, hand over the main administrator role, and
 * who answers for external users.
 */
#ifndef PORTAL_RESOURCES_ACCOUNT_CARE_H
#define PORTAL_RESOURCES_ACCOUNT_CARE_H

#include "http/router.h"

void account_care_second_factor_handler(const struct _u_request *request,
                                        struct _u_response *response, http_ctx *ctx);
void account_care_release_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx);
void account_care_main_admin_handler(const struct _u_request *request, struct _u_response *response,
                                     http_ctx *ctx);
void account_care_responsibility_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx);
void account_care_hand_over_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx);
void account_care_external_users_handler(const struct _u_request *request,
                                         struct _u_response *response, http_ctx *ctx);

#endif
