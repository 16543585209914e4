/*
 * http/scheme_ids.h: scheme ids named in a request body or query (mandates,
 * API tokens, the audit log, schemes): reading them with their JSON
 * Pointers, and checking each against the caller with one problem per id.
 */
#ifndef PORTAL_HTTP_SCHEME_IDS_H
#define PORTAL_HTTP_SCHEME_IDS_H

#include "http/context.h"
#include "http/input.h"
#include "http/problem.h"
#include "store/schemes.h"

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
