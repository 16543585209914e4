/* workflows/batch_check_internal.h: the check state and helpers that batch_check.c and
 * batch_check_rows.c share; not for use outside them. */
#ifndef PORTAL_WORKFLOWS_BATCH_CHECK_INTERNAL_H
#define PORTAL_WORKFLOWS_BATCH_CHECK_INTERNAL_H

#include "workflows/batch_check.h"

#include <stdint.h>

#include "formats/sheet_columns.h"

#define BATCH_CELL_MAX 512 /* bytes of one cell we look at */
#define NO_COL (-1)

/* ---- columns ---- */

enum {
    SC_NUMBER = 0,
    SC_NAME,
    SC_BIRTH_DATE,
    SC_SALARY,
    SC_PARTTIME,
    SC_NEW_SALARY,
    SC_NEW_PARTTIME,
    SC_COUNT
};

enum {
    NP_NUMBER = 0,
    NP_FIRST_NAME,
    NP_INITIALS,
    NP_PREFIX,
    NP_SURNAME,
    NP_BIRTH_DATE,
    NP_GENDER,
    NP_BSN,
    NP_EMAIL,
    NP_STREET,
    NP_HOUSE_NUMBER,
    NP_POSTAL_CODE,
    NP_CITY,
    NP_COUNTRY,
    NP_START_DATE,
    NP_SALARY,
    NP_PARTTIME,
    NP_COUNT
};

/* ---- the participant index ---- */

typedef struct {
    char id[PORTAL_ID_LEN];
    char number[BATCHES_NUMBER_SIZE];
    char bsn[16];
    int has_period;
    rule_participant_status status;
    civil_date start;
    int has_end;
    civil_date end;
    int has_values; /* salary and part-time on the effective date */
    int64_t salary;
    int64_t parttime;
    int seen_row; /* the file row that named it, 0 when none yet */
} batch_person;

/* A set of short keys (BSNs, numbers) seen in the file, with their row. */
typedef struct {
    char key[24];
    int row;
} seen_slot;

typedef struct {
    seen_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t used;
} seen_set;

struct batch_check {
    batch_kind kind;
    rule_scheme_kind scheme_kind;
    civil_date today;
    civil_date effective;
    batch_row_sink sink;
    void *sink_ctx;

    batch_person *people;
    size_t n_people, cap_people;
    size_t *by_number; /* indexes into people, sorted by number */
    size_t *by_bsn;    /* sorted by BSN */
    int indexed;

    int header_seen;
    int header_ok;
    int col[NP_COUNT]; /* file column of each key, NO_COL when absent */

    seen_set seen_bsn, seen_number;

    batch_check_counts counts;
    batch_check_error *errors;
    size_t n_errors, cap_errors;
};

/* The row that had key before, or 0 after recording it for row. -1 on
 * memory. */
int batch_check_seen(seen_set *s, const char *key, int row);

/* Builds the two sorted indexes (once, before the first data row). */
portal_result batch_check_index_people(batch_check *c);

/* The participant with this number (by_bsn = 0) or BSN (1), or NULL. */
batch_person *batch_check_find_person(batch_check *c, const char *key, int by_bsn);

/* Records an error at row, key index `key` of the kind's columns. */
void batch_check_add_error(batch_check *c, int row, int key, const char *code, const char *rule_id);

void batch_check_add_rule_error(batch_check *c, int row, int key, const rule_definition *rule);

/* Maps the header row with formats/sheet_columns.h: keys or Dutch or
 * English labels, any order; a missing required column is an error on
 * row 1, a column named twice too; unknown columns are ignored. */
void batch_check_read_header(batch_check *c, const sheet_row *row);

#endif
