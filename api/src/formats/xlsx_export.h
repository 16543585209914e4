/*
 * formats/xlsx_export.h: spreadsheets for people, written with libxlsxwriter
 * in constant-memory mode (each row goes to a temporary file as it is
 * written, so a 100,000-row export never sits in memory).
 *
 * Row 1 holds the column keys (the same literal names as the CSV), row 2 the
 * Dutch or English titles; both are styled and frozen. Cells are real
 * numbers and dates with Dutch-style formats; text that a spreadsheet would
 * run as a formula is neutralised with a leading apostrophe, as in CSV.
 */
#ifndef PORTAL_FORMATS_XLSX_EXPORT_H
#define PORTAL_FORMATS_XLSX_EXPORT_H

#include "base/result.h"

typedef enum { XLSX_TEXT, XLSX_DATE, XLSX_MONEY, XLSX_PERCENT, XLSX_INTEGER } xlsx_kind;

typedef struct {
    const char *key;
    const char *title_nl;
    const char *title_en;
    xlsx_kind kind;
    double width; /* in characters */
} xlsx_column;

typedef struct xlsx_export xlsx_export;

/* Starts a workbook at path (one sheet) with the header rows. cols must
 * outlive the export. *out is NULL on failure. */
portal_result xlsx_export_open(const char *path, const char *sheet_name, const xlsx_column *cols,
                               int n_cols, const char *lang, xlsx_export **out);

/* Writes one data row; values[i] is the text of column i as PostgreSQL
 * gives it (decimal strings, YYYY-MM-DD dates), NULL or "" for empty.
 * A value that does not parse as its kind is written as text. */
portal_result xlsx_export_row(xlsx_export *x, const char *const *values);

/* Finishes the file and frees x (also after an error). */
portal_result xlsx_export_close(xlsx_export *x);

#endif
