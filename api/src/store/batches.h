/*
 * store/batches.h: the SQL of collective changes (tables batches,
 * batch_files, batch_rows and batch_errors, migration 0014, plus the
 * scheme_locks rows of 0004).
 *
 * Owns: creating a batch and keeping its file, loading a scheme's
 * participants once for the checks (a cursor, a page at a time), writing
 * the kept rows and the errors with COPY, the batch as JSON (built by
 * PostgreSQL), the list, the error pages, submit (scheme lock + job),
 * discard, processing in chunks (SQL function portal_batch_apply) and the
 * end of a batch (lock released), and housekeeping of dead locks.
 *
 * Strings handed back are malloc'd (the caller frees); ids must be
 * UUID-shaped (callers check). Every function runs in db's current
 * transaction when one is open.
 */
#ifndef PORTAL_STORE_BATCHES_H
#define PORTAL_STORE_BATCHES_H

#include <stdio.h>

#include "base/caller.h"
#include "formats/batch_templates.h"
#include "store/db.h"

#define BATCHES_FILE_CHUNK (1024 * 1024)
#define BATCHES_STATUS_SIZE 16
#define BATCHES_KIND_SIZE 20
#define BATCHES_DATE_SIZE 11
#define BATCHES_NUMBER_SIZE 32
#define BATCHES_SHA_SIZE 65

/* A new batch. Every pointer is borrowed; NULL ids are SQL NULL. */
typedef struct {
    const char *organisation_id; /* the scheme's employer */
    const char *scheme_id;
    const char *kind;           /* salary_change | new_participants */
    const char *effective_date; /* salary_change only, else NULL */
    const char *file_name;      /* may be NULL */
    const char *file_format;    /* csv | xlsx */
    const char *file_sha256;    /* 64 hex */
    long long file_bytes;
    const char *language; /* nl | en: of the completion mail */
    const char *created_by;
    const char *created_by_token;
    const char *created_by_kind; /* user | api_token */
    const char *created_by_name;
} batch_new;

/* What the workflows need of a batch besides its JSON. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char scheme_id[PORTAL_ID_LEN];
    char kind[BATCHES_KIND_SIZE];
    char status[BATCHES_STATUS_SIZE];
    char effective_date[BATCHES_DATE_SIZE]; /* "" for new participants */
    char file_format[8];
    char language[4];
    char created_by[PORTAL_ID_LEN]; /* "" when none */
    int row_count, valid_row_count, error_count, review_row_count;
    int applied_row_count, skipped_row_count;
    int skip_invalid_rows;
    int next_row;
    int max_row; /* the highest kept row number, 0 when none */
} batch_meta;

/* The id of an unfinished batch (validating .. processing) of the same
 * scheme, kind and file, in *found (1) and id; *found = 0 when none. */
portal_result batches_find_open(db_conn *db, const char *scheme_id, const char *kind,
                                const char *sha256, char id[PORTAL_ID_LEN], int *found);

/* The scheme's employer and kind (pension | income). PORTAL_ERR_NOT_FOUND. */
portal_result batches_scheme(db_conn *db, const char *scheme_id,
                             char organisation_id[PORTAL_ID_LEN], char kind[16]);

/* Inserts a batch in status validating; its id into id. */
portal_result batches_create(db_conn *db, const batch_new *b, char id[PORTAL_ID_LEN]);

/* Stores the file data[0..len) in BATCHES_FILE_CHUNK pieces. */
portal_result batches_store_file(db_conn *db, const char *id, const void *data, size_t len);

/* As batches_store_file, reading an open file (the upload's spool) from its
 * start one piece at a time; f stays the caller's. PORTAL_ERR_IO when it
 * cannot be read. */
portal_result batches_store_stream(db_conn *db, const char *id, FILE *f);

/* The stored file as one malloc'd buffer (*data, *len; caller frees).
 * PORTAL_ERR_NOT_FOUND when none is kept. */
portal_result batches_read_file(db_conn *db, const char *id, char **data, size_t *len);

/* One participant of a scheme as the checks see it: identity, its state as
 * of today (status, employment start, end or pending termination) and its
 * salary and part-time on the batch's effective date (NULL-like "" when it
 * has no period then). Strings are NUL-terminated copies. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char number[BATCHES_NUMBER_SIZE];
    char bsn[16];
    char status[BATCHES_STATUS_SIZE]; /* as of today, "" without a period */
    char employment_start[BATCHES_DATE_SIZE];
    char employment_end[BATCHES_DATE_SIZE]; /* processed termination or "" */
    char pending_end[BATCHES_DATE_SIZE];    /* earliest termination awaiting review or "" */
    char salary[24];                        /* on the effective date, or "" */
    char parttime[16];
} batch_participant;

/* Called once per participant; anything but PORTAL_OK stops the walk. */
typedef portal_result (*batch_participant_fn)(void *ctx, const batch_participant *p);

/* Every participant of scheme_id that was not rejected, state as of today
 * (effective_date NULL: salary and part-time left ""), read through a
 * cursor a page at a time in the caller's open transaction (the cursor is
 * closed at the end). */
portal_result batches_each_participant(db_conn *db, const char *scheme_id, const char *today,
                                       const char *effective_date, batch_participant_fn fn,
                                       void *ctx);

/* A kept row, ready to apply. Pointers borrowed; NULLs are SQL NULL. */
typedef struct {
    int row_number;
    const char *participant_id;     /* salary change, re-hire */
    const char *participant_number; /* new participants: given or NULL */
    const char *bsn;                /* new participants */
    const char *effective_date;
    const char *status;         /* processed | pending_review */
    const char *review_reasons; /* text[] literal */
    const char *payload;        /* JSON text */
} batch_row_new;

/* An error of a row. Pointers borrowed. */
typedef struct {
    int row_number;
    const char *col;   /* "F" */
    const char *field; /* "new_salary" */
    const char *code;
    const char *rule_id; /* may be NULL */
} batch_error_new;

/* A COPY of rows or errors into one batch, buffered and sent in pieces. */
typedef struct batches_copy batches_copy;

/* Starts COPY into batch_rows (rows = 1) or batch_errors (rows = 0) on db
 * (inside the caller's transaction). *out NULL on failure. */
portal_result batches_copy_begin(db_conn *db, const char *batch_id, int rows, batches_copy **out);

/* Adds one row / error to the copy. */
portal_result batches_copy_row(batches_copy *c, const batch_row_new *r);
portal_result batches_copy_error(batches_copy *c, const batch_error_new *e);

/* Ends the copy (ok = 0 aborts it) and frees c. Returns the first failure. */
portal_result batches_copy_end(batches_copy *c, int ok);

/* Records the outcome of the checks: counts and status invalid (errors) or
 * valid. */
portal_result batches_finish_validation(db_conn *db, const char *id, int row_count, int valid_rows,
                                        int error_count, int review_rows);

/* The batch's meta and, when json is not NULL, its JSON text.
 * PORTAL_ERR_NOT_FOUND. */
portal_result batches_get(db_conn *db, const char *id, batch_meta *meta, char **json);

/* Locks the batch row FOR UPDATE and fills meta. PORTAL_ERR_NOT_FOUND. */
portal_result batches_lock(db_conn *db, const char *id, batch_meta *meta);

/* A page of batches the caller may see with capability batches, newest
 * first: scheme_id and status filters may be NULL; after_created/after_id
 * the keyset (NULL for page 1). JSON array text of up to limit rows. */
portal_result batches_list(db_conn *db, const portal_caller *caller, const char *scheme_id,
                           const char *status, const char *after_created, const char *after_id,
                           int limit, char **json);

/* One error of a batch. */
typedef struct {
    int seq;
    int row_number;
    char col[8];
    char field[40];
    char code[48];
    char rule_id[64];
} batch_error_row;

/* Up to max errors with seq > after_seq, in order, into out (*n). */
portal_result batches_errors(db_conn *db, const char *id, int after_seq, int max,
                             batch_error_row *out, int *n);

/* Queues a valid (or, with skip, invalid) batch: takes the scheme row FOR
 * UPDATE, writes the scheme lock, status queued, queues the job
 * 'batch'. The caller holds the batch row (batches_lock). */
portal_result batches_queue(db_conn *db, const batch_meta *b, int skip_invalid_rows);

/* Marks the batch discarded (kept files and rows go). */
portal_result batches_discard(db_conn *db, const char *id);

/* Marks a queued batch processing (started_at). */
portal_result batches_start(db_conn *db, const char *id);

/* Applies kept rows from..to not yet applied and moves next_row past
 * them (portal_batch_apply); *applied counts the rows applied. */
portal_result batches_apply_chunk(db_conn *db, const char *id, int from, int to, int *applied);

/* Ends a batch: status processed or failed (reason for operators, may be
 * NULL), finished_at, and the scheme lock removed. */
portal_result batches_end(db_conn *db, const char *id, const char *status, const char *reason);

/* Removes scheme locks whose batch is not queued or processing, or whose
 * job no longer runs or waits, and marks such batches failed. *n counts
 * the locks removed. */
portal_result batches_release_dead_locks(db_conn *db, long long *n);

/* The uploader's e-mail address and first name for the completion mail;
 * "" when the batch was made without a user or the user is gone. */
portal_result batches_uploader(db_conn *db, const char *id, char *email, size_t email_size,
                               char *first_name, size_t name_size);

/* Hands the participants of scheme_id active (or awaiting review) on
 * `date`, by participant number, to fn as one array (borrowed for the
 * call; strings point into the query result). fn's result is returned. */
typedef portal_result (*batch_template_fn)(void *ctx, const batch_salary_row *rows, size_t n);
portal_result batches_template_rows(db_conn *db, const char *scheme_id, const char *date,
                                    batch_template_fn fn, void *ctx);

#endif
