/*
 * http/pagination.h: list parameters shared by every collection resource
 * (DESIGN.md §4 "Lists"): keyset pagination with opaque cursors, the list
 * envelope {"items":[…],"next_cursor":"…"|null}, multi-valued filters and
 * sort=field / sort=-field.
 *
 * A cursor is base64url of the JSON array [tag, key1, key2, …]
 * followed by a 16-byte check: HMAC-SHA-256 under the cursor key, which
 * every instance derives from the shared data key (http_cursor_set_key at
 * start-up), so only a server makes cursors. The tag names the list and its
 * sort ("participants:-salary"), so a cursor from one list or sort is
 * refused on another. Keys are still bound only as SQL parameters and every
 * list query applies its access filters; lists also check each key's type
 * before SQL (http_page_cursor_keys_shaped), so even a cursor signed under
 * an older layout answers 400 invalid_cursor, never 500.
 *
 * A resource, in order:
 *   http_page page;  const char *field;  int desc;
 *   if (!http_page_params(req, ctx, resp, &page) ||
 *       !http_sort_param(req, ctx, resp, allowed, "-registered_at", &field, &desc))
 *       return;
 *   char tag[HTTP_CURSOR_TAG_MAX + 1];
 *   http_cursor_tag("changes", field, desc, tag, sizeof tag);
 *   json_t *after = NULL;            // [key1, key2] of the last row seen, or NULL
 *   if (!http_page_cursor_keys(ctx, resp, &page, tag, 2, &after))
 *       return;
 *   ... SELECT … WHERE (k1, k2) > ($a, $b) ORDER BY k1, k2 LIMIT page.limit + 1 …
 *   ... more rows than page.limit: next = http_cursor_encode(tag, keys of row limit-1)
 *   http_page_send(resp, items, next, -1);   // or http_page_send_text(json_agg text)
 *   json_decref(after); free(next);
 */
#ifndef PORTAL_HTTP_PAGINATION_H
#define PORTAL_HTTP_PAGINATION_H

#include <stddef.h>

#include <jansson.h>
#include <ulfius.h>

#include "base/result.h"
#include "http/context.h"

#define HTTP_PAGE_LIMIT_DEFAULT 50
#define HTTP_PAGE_LIMIT_MAX 200
#define HTTP_CURSOR_MAX_LEN 1024 /* characters of cursor text (1 KiB) */
#define HTTP_CURSOR_TAG_MAX 128  /* characters of a tag */
#define HTTP_CURSOR_MAX_KEYS 8   /* sort-key values in one cursor */
#define HTTP_QUERY_VALUE_LEN 64  /* one filter value, NUL included */
#define HTTP_PAGE_MAX_BODY (64u * 1024u * 1024u)
#define HTTP_CURSOR_KEY_LEN 32 /* bytes of the cursor signing key */

typedef struct {
    int limit;                            /* 1..HTTP_PAGE_LIMIT_MAX */
    int has_cursor;                       /* a non-empty ?cursor= was given */
    char cursor[HTTP_CURSOR_MAX_LEN + 1]; /* its text (base64url), not yet decoded */
} http_page;

/* Reads ?limit= (digits only, 1..200, default 50) and ?cursor= (base64url
 * characters, at most 1 KiB; empty counts as absent) into *out. Returns 1 on
 * success; otherwise writes a 400 problem (invalid_request with a field error
 * on "limit", or invalid_cursor) into response and returns 0. The cursor is
 * only decoded by http_page_cursor_keys, once the tag is known. */
int http_page_params(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                     http_page *out);

/* Writes the cursor tag "<list>:<field>" or "<list>:-<field>" into out.
 * PORTAL_ERR_TOO_LARGE (out left empty) when it does not fit in out_size or
 * passes HTTP_CURSOR_TAG_MAX; PORTAL_ERR_INVALID for an empty list name. */
portal_result http_cursor_tag(const char *list, const char *field, int desc, char *out,
                              size_t out_size);

/* Sets the process-wide cursor key (copied), or clears it with NULL. Called
 * once at start-up before request threads run. Without a key no cursor is
 * encoded (NULL) and none decodes (PORTAL_ERR_INVALID). */
void http_cursor_set_key(const unsigned char key[HTTP_CURSOR_KEY_LEN]);

/* Encodes a cursor for tag and keys (a borrowed JSON array of 1..8 scalar
 * values: strings, integers, reals, booleans or null). Returns a malloc'd
 * string the caller frees, or NULL when tag or keys are unusable or the
 * cursor would pass HTTP_CURSOR_MAX_LEN (or memory ran out). */
char *http_cursor_encode(const char *tag, json_t *keys);

/* Like http_cursor_encode, with keys given as JSON array text (e.g. a
 * json_build_array(...)::text column). NULL on bad JSON or as above. */
char *http_cursor_encode_text(const char *tag, const char *keys_json);

/* Decodes cursor text made by http_cursor_encode for the same tag. On
 * PORTAL_OK *keys is a new JSON array the caller owns (json_decref) holding
 * exactly n_keys values (any count 1..8 when n_keys is 0). Otherwise *keys is
 * NULL and the result is PORTAL_ERR_TOO_LARGE (over 1 KiB) or
 * PORTAL_ERR_INVALID (not base64url, check mismatch, not the expected JSON,
 * another tag, wrong key count). */
portal_result http_cursor_decode(const char *cursor, const char *tag, size_t n_keys, json_t **keys);

/* The decoded keys of page's cursor for tag (see http_cursor_decode). Returns
 * 1 with *keys owned by the caller, or *keys = NULL when no cursor was given;
 * returns 0 with *keys = NULL after writing 400 invalid_cursor. */
int http_page_cursor_keys(http_ctx *ctx, struct _u_response *response, const http_page *page,
                          const char *tag, size_t n_keys, json_t **keys);

/* 1 when keys is an array with one value per character of shape, each of
 * the named type: 's' a string, 'n' a string or null, 'u' a UUID string,
 * 'i' an integer. 0 otherwise (also for an unknown shape character). */
int http_cursor_keys_shaped(const json_t *keys, const char *shape);

/* http_page_cursor_keys with strlen(shape) keys whose types must match
 * shape (http_cursor_keys_shaped); a mismatch answers 400 invalid_cursor
 * like any other bad cursor and returns 0 with *keys = NULL. */
int http_page_cursor_keys_shaped(http_ctx *ctx, struct _u_response *response, const http_page *page,
                                 const char *tag, const char *shape, json_t **keys);

/* Sends 200 {"items":items,"next_cursor":next_cursor|null[,"total":total]}.
 * items is a borrowed JSON array (not freed); next_cursor NULL or "" means
 * the last page; total < 0 leaves "total" out. On failure (items not an
 * array, memory) writes a 500 problem and returns the error. */
portal_result http_page_send(struct _u_response *response, json_t *items, const char *next_cursor,
                             long long total);

/* The same envelope around JSON array text that is already serialised
 * (PostgreSQL json_agg output passed through without re-parsing). items_json
 * may be NULL or empty (json_agg over no rows gives NULL): "items" is then
 * []. The text is trusted to be a JSON array; only its first non-blank
 * character is checked to be '['. On failure writes a 500 problem and
 * returns PORTAL_ERR_INVALID, PORTAL_ERR_TOO_LARGE or PORTAL_ERR_MEMORY. */
portal_result http_page_send_text(struct _u_response *response, const char *items_json, size_t len,
                                  const char *next_cursor, long long total);

/* Every value of query parameter `name` from the raw query string in
 * request->http_url, whether repeated (?k=a&k=b) or comma-separated (?k=a,b)
 * or both, in order. The URL is split on '&' and '=', each value
 * percent-decoded ('+' is a space) and then split on ',', so an encoded comma
 * ("%2C") separates values too. Empty values are skipped; duplicates are
 * kept. Writes at most max
 * values into out and their count into *n. PORTAL_OK (possibly *n = 0);
 * PORTAL_ERR_TOO_LARGE when there are more than max values or one is
 * HTTP_QUERY_VALUE_LEN bytes or longer; PORTAL_ERR_INVALID for a bad
 * %-escape, a control character or invalid UTF-8. On an error *n holds the
 * values accepted before it. */
portal_result http_query_values(const struct _u_request *request, const char *name,
                                char (*out)[HTTP_QUERY_VALUE_LEN], int max, int *n);

/* http_query_values that answers for itself: returns 1 on success, or 0
 * after writing 400 invalid_request with a field error on `name`
 * (too_long or invalid_format). */
int http_query_values_param(const struct _u_request *request, http_ctx *ctx,
                            struct _u_response *response, const char *name,
                            char (*out)[HTTP_QUERY_VALUE_LEN], int max, int *n);

/* Reads ?sort=field or ?sort=-field. allowed is a NULL-terminated list of
 * field names; default_sort ("name" or "-name") applies when sort is absent
 * or empty. On success returns 1 with *out_field pointing into allowed (or
 * into default_sort; both outlive the call) and *out_desc 1 for descending.
 * An unknown field writes 400 invalid_request with a field error on "sort"
 * and returns 0. */
int http_sort_param(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                    const char *const *allowed, const char *default_sort, const char **out_field,
                    int *out_desc);

/* Sends a page from a JSON array text holding at most page->limit + 1
 * rows (the query asked for one more than the page): the extra row is
 * dropped and, when there was one, next_cursor is built from the last kept
 * row's members named in key_fields (NULL-terminated) under tag. Writes 500
 * on malformed input. */
void http_page_send_rows(struct _u_response *response, http_ctx *ctx, const http_page *page,
                         const char *rows_json, const char *tag, const char *const *key_fields);

#endif
