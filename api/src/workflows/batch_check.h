/*
 * workflows/batch_check.h: checking the rows of an uploaded collective
 * change (DESIGN.md §4.4) with the rules of an individual change, while
 * the file streams through the CSV or XLSX reader (formats/sheet_row.h).
 *
 * Owns: the participant index of the scheme (loaded once, before the
 * rows), finding the columns from the header row, the checks of each row
 * (the same domain rule functions the individual workflow calls: the
 * effective-date window, dormant participants, the employment start,
 * the BSN 11-proef, ages, salary and part-time syntax; plus unknown
 * participant numbers, duplicates inside the file and a row that changes
 * nothing), the normalised change of every row that passed (handed to a
 * sink as it is found, so nothing accumulates), and every error with its
 * spreadsheet row and column (kept in memory, capped).
 *
 * No I/O and no clock: today is passed in. One batch_check per upload,
 * used by one thread. Every error's strings are static.
 *
 * Decisions: a salary-change row whose new salary and new part-time are
 * both empty changes nothing by design of the template ("empty =
 * unchanged") and is skipped without counting; a row that gives values
 * equal to the current ones is an error no_change. In a new-participants
 * file the untouched example row (row 2 of the template) is skipped.
 * Decimal commas are accepted in every text cell ("52242,28").
 */
#ifndef PORTAL_WORKFLOWS_BATCH_CHECK_H
#define PORTAL_WORKFLOWS_BATCH_CHECK_H

#include <stddef.h>

#include "base/result.h"
#include "domain/civil_date.h"
#include "domain/participant_rules.h"
#include "formats/sheet_row.h"
#include "store/batches.h"

typedef enum { BATCH_KIND_SALARY_CHANGE = 0, BATCH_KIND_NEW_PARTICIPANTS } batch_kind;

/* Errors kept per batch (every error is counted; the first these many are
 * stored and shown). */
#define BATCH_CHECK_MAX_ERRORS 100000

typedef struct {
    int row;             /* spreadsheet row, header = 1 */
    char col[4];         /* "F"; "" when the column is missing */
    const char *field;   /* column key, static */
    const char *code;    /* stable code, static */
    const char *rule_id; /* the rule whose text is the message, or NULL */
} batch_check_error;

/* Where the kept rows go, one call per row (borrowed for the call). */
typedef portal_result (*batch_row_sink)(void *ctx, const batch_row_new *row);

typedef struct batch_check batch_check;

/* The column keys of a kind in template order (A, B, ...), and how many. */
const char *const *batch_check_columns(batch_kind kind, size_t *count);

/* A new checker. effective is the batch date for salary changes (ignored
 * for new participants). *out NULL on PORTAL_ERR_MEMORY. */
portal_result batch_check_new(batch_kind kind, rule_scheme_kind scheme_kind, civil_date today,
                              civil_date effective, batch_row_sink sink, void *sink_ctx,
                              batch_check **out);

/* Sets where kept rows go from now on. */
void batch_check_set_sink(batch_check *c, batch_row_sink sink, void *sink_ctx);

/* Adds one participant of the scheme to the index (a batch_participant_fn:
 * ctx is the batch_check). */
portal_result batch_check_add_participant(void *ctx, const batch_participant *p);

/* Checks one row (a sheet_row_fn: ctx is the batch_check). Row 1 is the
 * header. Returns PORTAL_OK for any row content; other results only for
 * memory or a failing sink. */
portal_result batch_check_row(void *ctx, const sheet_row *row);

/* Ends the file: a missing header row is an error on row 1. */
void batch_check_finish(batch_check *c);

typedef struct {
    int rows;        /* data rows that ask for a change */
    int valid_rows;  /* of which kept */
    int review_rows; /* of which will wait for review */
    int errors;      /* every error found (also past the cap) */
} batch_check_counts;

void batch_check_get_counts(const batch_check *c, batch_check_counts *out);

/* The stored errors in row order (borrowed from c). */
const batch_check_error *batch_check_errors(const batch_check *c, size_t *n);

/* The message of an error code or rule in "nl" or "en" (static). */
const char *batch_check_message(const char *code, const char *rule_id, const char *lang);

/* The column letter of a 0-based index ("A", "AA") into out (4 bytes). */
void batch_check_col_letter(size_t col_index, char out[4]);

void batch_check_free(batch_check *c);

#endif
