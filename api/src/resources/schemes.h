/*
 * resources/schemes.h: an employer's pension and income schemes (DESIGN.md
 * §4.2/§4.3, issue 4 "Schemes"):
 *   POST  /api/v1/schemes        insurer staff (schemes.manage) create one
 *   GET   /api/v1/schemes        the visible schemes the caller may read
 *                                (scope and mandates apply), by name
 *   GET   /api/v1/schemes/{id}   one scheme with its ETag
 *   PATCH /api/v1/schemes/{id}   staff change it (If-Match honoured)
 * Invisible schemes answer 404, visible ones without the capability 403;
 * employers see their schemes but never change them.
 */
#ifndef PORTAL_RESOURCES_SCHEMES_H
#define PORTAL_RESOURCES_SCHEMES_H

#include "http/input.h"
#include "http/router.h"
#include "store/schemes.h"

/* POST /api/v1/schemes: 201 with the scheme, Location and ETag;
 * Idempotency-Key honoured. */
void schemes_create_handler(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx);

/* GET /api/v1/schemes?organisation_id=&kind=&limit=&cursor=: a keyset page. */
void schemes_list_handler(const struct _u_request *request, struct _u_response *response,
                          http_ctx *ctx);

/* GET /api/v1/schemes/{id}: 200 with ETag, 404 invisible, 403 no schemes.read. */
void schemes_get_handler(const struct _u_request *request, struct _u_response *response,
                         http_ctx *ctx);

/* PATCH /api/v1/schemes/{id}: 200 with the new scheme and ETag. */
void schemes_patch_handler(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx);

/* Helpers for other resources that name schemes in a request body
 * (mandates, API tokens). */

/* 1 when s looks like a UUID in text form (8-4-4-4-12 hex digits). */
int schemes_id_shaped(const char *s);

/* Scheme ids read from a body: distinct (lower-cased), each with its index
 * in the request's array for JSON Pointers. */
typedef struct {
    int n;
    int index[SCHEMES_MAX_IDS];
    char ids[SCHEMES_MAX_IDS][PORTAL_ID_LEN];
} scheme_id_list;

/* Reads body[key] as an array of at most max (<= SCHEMES_MAX_IDS) strings
 * into *out, recording 400 field errors in in (wrong types, too many).
 * Returns 1 when the key holds an array, 0 when absent or null. Strings that
 * are not UUIDs are kept (index only, id "") for schemes_check_ids. */
int schemes_read_ids(input *in, const json_t *body, const char *key, int max, scheme_id_list *out);

/* Checks every id against the caller (see schemes_classify): an unknown id
 * adds "unknown_id" at pointer/N to invalid (422), a scheme of the caller's
 * organisation outside their scope adds "not_allowed" to denied (403).
 * PORTAL_ERR_DATABASE on error. */
portal_result schemes_check_ids(db_conn *db, const http_ctx *ctx, const scheme_id_list *list,
                                const char *pointer, problem *invalid, problem *denied);

#endif
