/*
 * formats/sheet_columns.h: the columns of the two batch templates (DESIGN
 * §4.4) and how an uploaded header row maps onto them.
 *
 * The template order is fixed (A, B, ...); an uploaded file may put them in
 * any order and name each by its key ("new_salary"), its Dutch label
 * ("Nieuw salaris") or its English label ("New salary"), compared without
 * regard to case, spaces, underscores and hyphens. A column headed "Fout" or
 * "Error" (the errors file of formats/batch_errors_xlsx.h, uploaded again
 * after correcting it) is ignored, as are columns without a header.
 * Pure functions, no allocation.
 */
#ifndef PORTAL_FORMATS_SHEET_COLUMNS_H
#define PORTAL_FORMATS_SHEET_COLUMNS_H

#include <stddef.h>

#include "base/result.h"
#include "formats/sheet_row.h"

typedef enum { SHEET_TEMPLATE_SALARY_CHANGE = 0, SHEET_TEMPLATE_NEW_PARTICIPANTS } sheet_template;

typedef enum {
    SHEET_VALUE_TEXT,
    SHEET_VALUE_DATE,    /* YYYY-MM-DD */
    SHEET_VALUE_MONEY,   /* decimal, two places */
    SHEET_VALUE_PERCENT, /* decimal 0..100 */
    SHEET_VALUE_GENDER   /* male | female | unknown */
} sheet_value_kind;

typedef struct {
    const char *key;      /* the literal name: "new_salary" */
    const char *label_nl; /* "Nieuw salaris" */
    const char *label_en; /* "New salary" */
    sheet_value_kind kind;
    int required; /* the column must be present in an upload */
    int editable; /* salary change: the columns the employer fills in (F, G) */
    double width; /* in characters, for the template */
} sheet_column_def;

#define SHEET_MAX_FIELDS 17   /* the widest template */
#define SHEET_MAX_REPORTED 16 /* unknown or duplicate columns reported at most */

/* The columns of template t in template order; *n gets their count.
 * Static storage. */
const sheet_column_def *sheet_template_columns(sheet_template t, size_t *n);

/* The template's name in the portal_template tag: "salary_change" or
 * "new_participants"; its version is SHEET_TEMPLATE_VERSION. */
const char *sheet_template_name(sheet_template t);
#define SHEET_TEMPLATE_VERSION 1

typedef struct {
    size_t n_fields;                  /* the template's column count */
    long column_of[SHEET_MAX_FIELDS]; /* field i -> file column index, -1 when absent */
    size_t missing[SHEET_MAX_FIELDS]; /* required fields not found (field indexes) */
    size_t n_missing;
    size_t unknown[SHEET_MAX_REPORTED];   /* file columns whose header is no field */
    size_t n_unknown;                     /* may pass SHEET_MAX_REPORTED: only that many listed */
    size_t duplicate[SHEET_MAX_REPORTED]; /* file columns naming a field found before */
    size_t n_duplicate;                   /* idem */
} sheet_header_map;

/* Maps the header row (row 1 of the upload) onto template t. Fills *out in
 * every case. Returns PORTAL_OK when every required field was found and no
 * column is unknown or duplicate, else PORTAL_ERR_INVALID (the lists say
 * what is wrong; the caller reports each, with sheet_column_letter). */
portal_result sheet_columns_map(sheet_template t, const sheet_row *header, sheet_header_map *out);

/* The field index in template t whose key or label matches text[0..len),
 * or -1. */
long sheet_columns_find(sheet_template t, const char *text, size_t len);

/* The spreadsheet letters of a 0-based column index into out (caller-owned,
 * size bytes, 4 is enough up to Excel's XFD): 0 -> "A", 26 -> "AA".
 * Returns PORTAL_ERR_TOO_LARGE when out is too small (out is then ""). */
portal_result sheet_column_letter(size_t index, char *out, size_t size);

#endif
