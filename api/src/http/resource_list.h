/*
 * http/resource_list.h: the keyset page of a list newest first, whose rows
 * the store renders as JSON text (store/page_json.h) and whose cursor keys
 * are [created_at in microseconds since 1970 (integer), id (UUID)].
 *
 * Owns reading those two keys from the page cursor and sending the page with
 * the next cursor; the query and its filters stay with the resource.
 */
#ifndef PORTAL_HTTP_RESOURCE_LIST_H
#define PORTAL_HTTP_RESOURCE_LIST_H

#include <ulfius.h>

#include "http/context.h"
#include "http/pagination.h"

/* Where the next page starts. */
typedef struct {
    int given;              /* 0 on the first page: both keys are empty */
    char created_at[32];    /* microseconds since 1970, decimal */
    char id[PORTAL_ID_LEN]; /* the last row's id */
} http_list_after;

/* Decodes page's cursor for tag into *out (keys are copied, nothing to
 * free). Returns 1, or 0 after answering 400 invalid_cursor (a cursor of
 * another list, edited, or whose keys are not an integer and a UUID). */
int http_list_after_created(http_ctx *ctx, struct _u_response *response, const http_page *page,
                            const char *tag, http_list_after *out);

/* Sends the store's answer for one page: rc is the store's result, items the
 * page's JSON array text, next_keys the JSON array text of the last row's
 * keys when more rows follow (else NULL), encoded under tag as next_cursor.
 * Anything but PORTAL_OK, or a cursor that cannot be built, answers 500
 * internal_error. Borrows everything. */
void http_list_send(struct _u_response *response, http_ctx *ctx, portal_result rc, const char *tag,
                    const char *items, const char *next_keys);

#endif
