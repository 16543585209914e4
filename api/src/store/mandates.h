/*
 * store/mandates.h: mandates (machtigingen, tables mandates and
 * mandate_schemes, migration 0003): an employer lets an intermediary office
 * act on some of its schemes with read or read_write access until revoked.
 *
 * Owns the SQL of mandates: create (with its schemes in one statement),
 * revoke, read one or a keyset page as JSON text built by PostgreSQL. What a
 * mandate grants is applied by portal_visible_schemes (store/access.h), so a
 * revoked mandate stops counting at once. Who may see or change a mandate is
 * the resource's business. Every function runs in the caller's transaction
 * when one is open; strings handed back are malloc'd (the caller frees).
 */
#ifndef PORTAL_STORE_MANDATES_H
#define PORTAL_STORE_MANDATES_H

#include "base/caller.h"
#include "store/db.h"

#define MANDATES_VERSION_LEN 128

/* Whether id names an intermediary organisation that is not deleted. id must
 * be UUID-shaped. PORTAL_ERR_DATABASE on error. */
portal_result mandates_intermediary_exists(db_conn *db, const char *id, int *exists);

/* Creates a mandate of employer_id for intermediary_id with access (read |
 * read_write) on the schemes in scheme_ids_literal (a PostgreSQL uuid[]
 * literal of existing schemes), created by the user created_by (may be NULL).
 * Writes the new id into out_id. PORTAL_ERR_DATABASE on error. */
portal_result mandates_create(db_conn *db, const char *employer_id, const char *intermediary_id,
                              const char *access, const char *scheme_ids_literal,
                              const char *created_by, char out_id[PORTAL_ID_LEN]);

/* The parties and state of a mandate, beside its JSON. */
typedef struct {
    char employer_id[PORTAL_ID_LEN];
    char intermediary_id[PORTAL_ID_LEN];
    int revoked;
    char version[MANDATES_VERSION_LEN]; /* for the ETag: id and revoked_at */
} mandate_meta;

/* One mandate as JSON text (*json, malloc'd; may be NULL when not wanted)
 * and its meta. lock = 1 takes a row lock. id must be UUID-shaped. within
 * (a uuid[] literal, or NULL) keeps to mandates whose schemes lie inside it.
 * PORTAL_ERR_NOT_FOUND, PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result mandates_get_json(db_conn *db, const char *id, const char *within, int lock,
                                char **json, mandate_meta *meta);

/* Revokes a mandate now. *changed is 1 when it was active before, 0 when it
 * was already revoked. PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DATABASE. */
portal_result mandates_revoke(db_conn *db, const char *id, int *changed);

/* Filters of the mandate list (NULL = none; ids UUID-shaped). */
typedef struct {
    const char *employer_id;
    const char *intermediary_id;
    const char *status;        /* "active" | "revoked" */
    const char *after_created; /* keyset: the last row's created_at in microseconds */
    const char *after_id;
    const char *within; /* uuid[] literal: only mandates whose schemes lie inside; NULL: all */
    int limit;
} mandate_list_query;

/* A page of mandates, newest first: *items is a JSON array text of at most
 * q->limit mandates, *next_keys the JSON array text [created_at in
 * microseconds since 1970, id] of the last one when more follow, else NULL.
 * Both malloc'd. PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result mandates_list_json(db_conn *db, const mandate_list_query *q, char **items,
                                 char **next_keys);

#endif
