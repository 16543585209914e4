/*
 * store/documents.h: published documents, their read markers and the
 * visibility rule (migration 0012, DESIGN.md §4.5). The file itself lives
 * in store/blob_storage.h; a document names its blob.
 *
 * Visibility, applied in every query that returns a document:
 *   - withdrawn documents are seen by nobody;
 *   - staff (documents.manage) see every document;
 *   - a document of a scheme is seen by whoever sees that scheme (own
 *     organisation or a mandate, store/access.h) with a right giving
 *     documents.<category> on it;
 *   - a document of the whole organisation is seen by that organisation's
 *     users whose own rights give documents.<category>.
 * Whatever fails these answers PORTAL_ERR_NOT_FOUND, never "denied".
 */
#ifndef PORTAL_STORE_DOCUMENTS_H
#define PORTAL_STORE_DOCUMENTS_H

#include "base/caller.h"
#include "store/db.h"

#define DOCUMENT_TITLE_MAX 200
#define DOCUMENT_FILE_NAME_MAX 120
#define DOCUMENTS_MAX_SCHEMES 32

/* Who looks at documents, as the store needs it (filled by the workflow
 * from the access checks; pointers borrowed). */
typedef struct {
    const portal_caller *caller;
    int staff;         /* documents.manage: sees everything */
    int own_financial; /* own rights give documents.financial */
    int own_legal;     /* own rights give documents.legal */
} document_viewer;

/* The facts of one document the download and withdraw steps need. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char blob_id[PORTAL_ID_LEN]; /* "" once withdrawn */
    char category[16];
    char kind[32];
    char title[DOCUMENT_TITLE_MAX * 4 + 1];
    char file_name[DOCUMENT_FILE_NAME_MAX * 4 + 1];
    char content_type[96];
    char sha256[65];
    long long size;
} document_row;

typedef struct {
    const char *organisation_id;
    const char *scheme_id; /* NULL: the whole organisation */
    const char *kind;
    const char *title;
    const char *document_date;
    const char *amount;   /* decimal text or NULL */
    const char *due_date; /* or NULL */
    const char *file_name;
    const char *content_type;
    long long size;
    const char *sha256; /* hex */
    const char *blob_id;
    const char *created_by; /* user id or NULL */
} document_new;

/* Filters of a list (NULL or 0: no filter). */
typedef struct {
    const char *organisation_id; /* staff only: one organisation */
    const char *kind;
    const char *category;
    const char *scheme_ids;    /* uuid[] literal */
    int unread;                /* only documents the caller has not opened */
    const char *after_created; /* keyset: created_at of the last row seen */
    const char *after_id;
    int limit;
} document_filter;

/* Inserts a document in the caller's transaction; out_id gets its id. */
portal_result documents_insert(db_conn *db, const document_new *d, char out_id[PORTAL_ID_LEN]);

/* The organisation owning scheme_id into out. PORTAL_ERR_NOT_FOUND. */
portal_result documents_scheme_owner(db_conn *db, const char *scheme_id, char out[PORTAL_ID_LEN]);

/* The kind of organisation id ("employer", ...) into out (16 bytes).
 * PORTAL_ERR_NOT_FOUND. */
portal_result documents_organisation_kind(db_conn *db, const char *id, char out[16]);

/*
 * documents_get -- one document the viewer may see: its JSON text (malloc'd
 * into *json when json is not NULL; caller frees) and its facts into *row
 * (when not NULL). PORTAL_ERR_NOT_FOUND when absent, withdrawn or not
 * visible; PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY.
 */
portal_result documents_get(db_conn *db, const document_viewer *v, const char *id, char **json,
                            document_row *row);

/*
 * documents_list -- a page of the documents the viewer may see, newest
 * first: f->limit + 1 rows as JSON array text in *json (malloc'd, caller
 * frees) and the count of all matching rows in *total.
 */
portal_result documents_list(db_conn *db, const document_viewer *v, const document_filter *f,
                             char **json, long long *total);

/* Records the user's first download (a later one changes nothing). */
portal_result documents_mark_read(db_conn *db, const char *id, const char *user_id);

/* Withdraws a document (in the caller's transaction) and names its file in
 * blob_id ("" when none) for the caller to delete: PORTAL_ERR_NOT_FOUND
 * when absent or withdrawn already. */
portal_result documents_withdraw(db_conn *db, const char *id, const char *user_id,
                                 char blob_id[PORTAL_ID_LEN]);

#endif
