/*
 * store/page_json.h: one keyset page of a list query whose rows PostgreSQL
 * already renders as JSON text.
 *
 * Owns the joining of such rows into the page the resources pass through
 * unparsed: column 0 of each row is one item's JSON text, column 1 the JSON
 * array text of that row's sort keys. List queries ask for limit + 1 rows;
 * the extra row only tells that another page follows.
 */
#ifndef PORTAL_STORE_PAGE_JSON_H
#define PORTAL_STORE_PAGE_JSON_H

#include "store/db.h"

#define PAGE_JSON_MAX_BYTES (64u * 1024u * 1024u) /* hard cap on one page's text */

/* Joins column 0 of at most limit rows of res into a JSON array text
 * (*items) and, when res holds more than limit rows, copies column 1 of row
 * limit - 1 into *next_keys (else NULL).
 *
 * Ownership: takes res (NULL when the query failed) and always clears it.
 * On PORTAL_OK both strings are malloc'd and the caller frees them. On any
 * error both are left NULL.
 *
 * Fails with PORTAL_ERR_DATABASE for a NULL res, PORTAL_ERR_TOO_LARGE when
 * the page would pass PAGE_JSON_MAX_BYTES, PORTAL_ERR_MEMORY. */
portal_result page_json_collect(PGresult *res, int limit, char **items, char **next_keys);

/* For a query that builds the whole page itself: takes column first_col
 * (the page's items, a JSON array text) and first_col + 1 (the next page's
 * keys, NULL for none) of row 0 of res into *items and *next_keys
 * (malloc'd, the caller frees). Takes res (not NULL) and clears it.
 * PORTAL_ERR_MEMORY, or no items (an SQL NULL), leaves both NULL. */
portal_result page_json_take(PGresult *res, int first_col, char **items, char **next_keys);

#endif
