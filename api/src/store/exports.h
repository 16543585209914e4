/*
 * store/exports.h: export history rows and their stored files (migration
 * 0005). Files are kept as numbered chunks of at most EXPORTS_CHUNK bytes.
 */
#ifndef PORTAL_STORE_EXPORTS_H
#define PORTAL_STORE_EXPORTS_H

#include "base/caller.h"
#include "store/db.h"

#define EXPORTS_CHUNK (1024 * 1024)
#define EXPORTS_FETCH 2000 /* rows read from the cursor at a time */
#define EXPORTS_MAX_COLS 32

typedef struct {
    char id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char scheme_ids[CALLER_MAX_SCOPE * (PORTAL_ID_LEN + 1) + 4]; /* array literal */
    char as_of[11];
    char format[8];
    char language[4];
    char status[12];
    int full_bsn;
    int expired;
    long long size_bytes;
} export_row;

typedef struct {
    const char *organisation_id;
    const char *created_by;       /* user id or NULL */
    const char *created_by_token; /* API token id or NULL */
    const char *created_by_name;
    const char *scheme_ids; /* array literal */
    const char *as_of;
    const char *format;
    const char *language;
    int full_bsn;
} export_new;

/* Records a pending export; out_id gets its id. */
portal_result exports_create(db_conn *db, const export_new *e, char out_id[PORTAL_ID_LEN]);

/* One export as JSON text (malloc'd) plus its key facts.
 * PORTAL_ERR_NOT_FOUND when absent. */
portal_result exports_get(db_conn *db, const char *id, char **json, export_row *row);

/* A page of the organisation's exports (NULL: every organisation) whose
 * schemes the caller can all still see (visibility literals as in
 * store/access.h), newest first, after the keyset; limit+1 rows as a JSON
 * array text. */
portal_result exports_list(db_conn *db, const char *organisation_id, const portal_caller *caller,
                           const char *after_created, const char *after_id, int limit, char **json);

/* Replaces the stored file (deleting earlier chunks) chunk by chunk. */
portal_result exports_clear_chunks(db_conn *db, const char *id);
portal_result exports_add_chunk(db_conn *db, const char *id, int seq, const char *data, size_t len);

/* Marks the export ready (with its size and rows) or failed (with a short
 * operator-facing reason). */
portal_result exports_finish(db_conn *db, const char *id, long long size, long long rows);
portal_result exports_fail(db_conn *db, const char *id, const char *reason);

/* The organisations owning the schemes of scheme_ids (a uuid[] literal)
 * other than `except`: at most max ids into out, their count in *n.
 * PORTAL_ERR_DATABASE. */
portal_result exports_scheme_owners(db_conn *db, const char *scheme_ids, const char *except,
                                    char (*out)[PORTAL_ID_LEN], int max, int *n);

/* Reads chunk seq into a malloc'd buffer (*data, *len). NOT_FOUND past the end. */
portal_result exports_read_chunk(db_conn *db, const char *id, int seq, char **data, size_t *len);

/* Where the rows of the export query go: one call per row (values[ncols],
 * NULL for SQL NULL), borrowed for the call only. A result other than
 * PORTAL_OK stops the reading. */
typedef portal_result (*exports_row_sink)(void *ctx, const char *const *values);

/* Runs the as-of query of export e (portal_export_rows) through a cursor
 * inside a read-only transaction on db and hands every row to sink,
 * EXPORTS_FETCH rows at a time (never the whole result in memory). Counts
 * rows in *rows. The transaction is rolled back (closing the cursor)
 * whatever happens; returns the first failure: PORTAL_ERR_DATABASE (also
 * when a row does not have ncols columns) or the sink's. */
portal_result exports_each_row(db_conn *db, const export_row *e, int ncols, exports_row_sink sink,
                               void *ctx, long long *rows);

/* How many exports the caller (user_id and/or token_id, either may be NULL
 * or empty) asked for in the last day that are still being built, into
 * *count. PORTAL_ERR_DATABASE. */
portal_result exports_pending_count(db_conn *db, const char *user_id, const char *token_id,
                                    int *count);

/* Deletes the files of expired exports and marks them expired. */
portal_result exports_expire(db_conn *db, long long *expired);

#endif
