/*
 * resources/api_tokens.h: API tokens for payroll software and scripts
 * (issue 4 "API tokens", DESIGN.md §4.1):
 *   POST   /api/v1/api-tokens        session only, tokens.manage: a token
 *                                    with a subset of the creator's rights
 *                                    and scope; the secret is shown once
 *   GET    /api/v1/api-tokens        tokens.manage: the organisation's tokens
 *   GET    /api/v1/api-tokens/{id}   one token with its ETag
 *   DELETE /api/v1/api-tokens/{id}   session only: revoke at once
 * Another organisation's token answers 404. The secret ("pat_" + base64url
 * of 32 random bytes) is stored only as its SHA-256 hash.
 */
#ifndef PORTAL_RESOURCES_API_TOKENS_H
#define PORTAL_RESOURCES_API_TOKENS_H

#include "http/router.h"

/* POST /api/v1/api-tokens {name, rights, scheme_ids, expires_at}: 201. */
void api_tokens_create_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx);

/* GET /api/v1/api-tokens?limit=&cursor=: newest first. */
void api_tokens_list_handler(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx);

/* GET /api/v1/api-tokens/{id}. */
void api_tokens_get_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);

/* DELETE /api/v1/api-tokens/{id}: 204 (also when already revoked). */
void api_tokens_delete_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx);

#endif
