/*
 * formats/sheet_row.h: one row of an uploaded spreadsheet, as both the CSV
 * reader (formats/csv_reader.h) and the XLSX reader (formats/xlsx_reader.h)
 * hand it to their caller, so one row handler serves both file kinds.
 *
 * Ownership: a sheet_row and every string it points to belong to the reader
 * and are valid only during the callback; copy what must outlive it.
 * Cell text is NUL-terminated UTF-8 (never NULL; "" for an empty cell) and
 * is never evaluated: a CSV cell "=SUM(A1)" or an XLSX formula arrive as
 * text (XLSX: the cached result the producing program stored, or "").
 */
#ifndef PORTAL_FORMATS_SHEET_ROW_H
#define PORTAL_FORMATS_SHEET_ROW_H

#include <stddef.h>

#include "base/result.h"

typedef enum {
    SHEET_CELL_EMPTY = 0, /* no value */
    SHEET_CELL_TEXT,      /* text (every CSV cell that is not empty) */
    SHEET_CELL_NUMBER,    /* XLSX number, written with a point: "52242.28" */
    SHEET_CELL_DATE,      /* XLSX number with a date style, as "YYYY-MM-DD" */
    SHEET_CELL_BOOL,      /* XLSX boolean: "true" or "false" */
    SHEET_CELL_ERROR      /* XLSX error value such as "#N/A" */
} sheet_cell_kind;

typedef struct {
    const char *text; /* NUL-terminated, never NULL */
    size_t len;       /* strlen(text) */
    sheet_cell_kind kind;
} sheet_cell;

typedef struct {
    unsigned long number;    /* 1-based row number; the header is row 1 */
    const sheet_cell *cells; /* cells[i] is column i (0 = "A") */
    size_t n_cells;          /* columns up to the last non-empty cell */
} sheet_row;

/* Called once per row that has at least one non-empty cell, in file order
 * (the header row included). Returning anything but PORTAL_OK stops the
 * reader, which then returns that value. */
typedef portal_result (*sheet_row_fn)(void *ctx, const sheet_row *row);

#endif
