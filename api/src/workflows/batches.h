/*
 * workflows/batches.h: the use cases of collective changes (DESIGN.md §4.4,
 * seed 001 §4.4): upload and check a file, submit it, discard it, and
 * process a submitted batch in the background.
 *
 * Upload: the caller has read the body and knows the file's format
 * (formats/sniff.h); the workflow checks access (capability batches on the
 * scheme), the effective date's window, refuses the same file while an
 * earlier upload of it is unfinished (409 batch_duplicate_file, the
 * earlier batch in subject_id), loads the scheme's participants once,
 * streams the file through the CSV or XLSX reader into the row checks
 * (workflows/batch_check.h), keeps the rows that passed (COPY) and every
 * error, stores the file, and audits the upload. With submit it also
 * queues a batch without errors.
 *
 * Submit: a valid batch (or an invalid one with skip_invalid_rows) becomes
 * queued: the scheme is locked for individual changes (scheme_locks) and
 * the job 'batch' is queued, in one transaction. Discard: a batch that is
 * not submitted becomes discarded.
 *
 * Processing (batch_process, run by jobs/batch_job.c): chunks of rows,
 * each applied and committed together with the batch's cursor, so a crash
 * at any point resumes where the last commit ended and every row is
 * applied exactly once; at the end the lock is released, the uploader gets
 * a mail (counts and a link, no personal data) and the end is audited.
 *
 * Upload, submit and discard run in the caller's open transaction; the
 * caller commits when PORTAL_OK (and rolls back otherwise). batch_process
 * manages its own transactions.
 */
#ifndef PORTAL_WORKFLOWS_BATCHES_H
#define PORTAL_WORKFLOWS_BATCHES_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/config.h"
#include "workflows/workflow.h"

#define BATCH_MAX_FILE_BYTES (20u * 1024u * 1024u) /* DESIGN.md §4 uploads */
#define BATCH_CHUNK_ROWS 2000                      /* rows per processing transaction */

typedef enum { BATCH_FILE_CSV = 0, BATCH_FILE_XLSX } batch_file_format;

typedef struct {
    const char *scheme_id;
    const char *kind;           /* salary_change | new_participants */
    const char *effective_date; /* required for salary_change */
    const char *file_name;      /* may be NULL */
    batch_file_format format;
    const void *data; /* the whole file, borrowed (a raw body), or NULL with file */
    FILE *file;       /* or the spooled file, borrowed: read from it, never held whole */
    size_t len;       /* the file's size either way */
    int submit;       /* queue at once when there are no errors */
} batch_upload_input;

/* Checks and stores an upload (see above). On PORTAL_OK *json is the
 * batch (malloc'd) and id its id. Fails with the outcome filled:
 * not_found / forbidden, validation_failed (fields),
 * effective_date_out_of_range, file_unreadable (detail says what to do),
 * batch_duplicate_file (409, subject_id the earlier batch). */
PORTAL_MUST_USE portal_result batch_upload(db_conn *db, const portal_actor *actor,
                                           const batch_upload_input *in, portal_outcome *o,
                                           char **json, char id[PORTAL_ID_LEN]);

/* Loads a batch the actor may see (capability batches on its scheme):
 * meta fields as in store/batches.h are not exposed; *json the batch.
 * PORTAL_ERR_NOT_FOUND (also across organisations), PORTAL_ERR_DENIED. */
PORTAL_MUST_USE portal_result batch_get(db_conn *db, const portal_actor *actor, const char *id,
                                        portal_outcome *o, char **json);

/* Submits a batch (see above): 409 batch_has_errors when it has errors and
 * skip_invalid_rows is 0, 409 batch_not_submittable when it is not valid or
 * invalid (already queued, processed, discarded). *json the batch after. */
PORTAL_MUST_USE portal_result batch_submit(db_conn *db, const portal_actor *actor, const char *id,
                                           int skip_invalid_rows, portal_outcome *o, char **json);

/* Discards a batch that was not submitted (409 batch_not_discardable
 * otherwise). *json the batch after. */
PORTAL_MUST_USE portal_result batch_discard(db_conn *db, const portal_actor *actor, const char *id,
                                            portal_outcome *o, char **json);

/* One page of a batch's errors after sequence number after_seq: *items a
 * JSON array of {row, column, field, code, message} in the actor's
 * language (caller json_decrefs), *last_seq the last item's sequence and
 * *more 1 when more follow. */
PORTAL_MUST_USE portal_result batch_errors_page(db_conn *db, const portal_actor *actor,
                                                const char *id, int after_seq, int limit,
                                                portal_outcome *o, json_t **items, int *last_seq,
                                                int *more);

/* Bytes a generated template or errors file may take in memory. */
#define BATCH_MAX_OUTPUT_BYTES (48u * 1024u * 1024u)

/* The template of kind (salary_change | new_participants) for a scheme the
 * actor may use for batches, as XLSX (xlsx = 1, labels in the actor's
 * language) or CSV, appended to out (caller-owned buffer with its cap).
 * The salary-change template lists the participants active on
 * effective_date (required, "YYYY-MM-DD"). PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_DENIED, PORTAL_ERR_MALFORMED (effective_date missing or no
 * date), PORTAL_ERR_DATABASE, PORTAL_ERR_IO. */
PORTAL_MUST_USE portal_result batch_template(db_conn *db, const portal_actor *actor,
                                             const char *scheme_id, const char *kind,
                                             const char *effective_date, int xlsx, buf *out,
                                             portal_outcome *o);

/* The errors file of a batch: the uploaded rows as they were with an error
 * column (the messages of each row in the actor's language), as XLSX into
 * out. PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DENIED, PORTAL_ERR_DATABASE,
 * PORTAL_ERR_IO. */
PORTAL_MUST_USE portal_result batch_errors_file(db_conn *db, const portal_actor *actor,
                                                const char *id, buf *out, portal_outcome *o);

/* Processes a queued batch (the job): see above. PORTAL_OK when the batch
 * is done (or was not queued); another result makes the job retry later
 * and resume from the cursor. */
PORTAL_MUST_USE portal_result batch_process(db_conn *db, const portal_config *cfg,
                                            const char *batch_id);

/* Ends a batch whose job gave up: failed, lock released, mail. */
void batch_give_up(db_conn *db, const portal_config *cfg, const char *batch_id);

#endif
