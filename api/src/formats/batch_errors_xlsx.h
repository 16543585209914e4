/*
 * formats/batch_errors_xlsx.h: the errors workbook of a batch
 * (GET /batches/{id}/errors.xlsx): the uploaded rows as they were, with one
 * extra last column "Fout" (Dutch) or "Error" (English) holding the
 * messages of that row. Written with libxlsxwriter in constant-memory mode
 * through a private temporary file (formats/file_sink.h), so 100,000 rows
 * never sit in memory.
 *
 * Every cell is written as text exactly as uploaded (a formula-like text is
 * a string cell, never a formula). The sheet is not protected; the header
 * row is frozen and styled, the error column red. Because
 * formats/sheet_columns.h ignores a "Fout"/"Error" column, the corrected
 * file can be uploaded again as it is.
 *
 * Use: open, one call per row in order, then finish (or discard). Strings
 * passed in are only read during the call.
 */
#ifndef PORTAL_FORMATS_BATCH_ERRORS_XLSX_H
#define PORTAL_FORMATS_BATCH_ERRORS_XLSX_H

#include <stddef.h>

#include "base/result.h"
#include "formats/file_sink.h"

typedef struct batch_errors_xlsx batch_errors_xlsx;

/* Starts the workbook with header[0..n_cols) (the upload's header cells;
 * NULL entries are empty) plus the error column, in lang ("nl" default,
 * "en"). n_cols is at most 16,383. *out is NULL on failure (PORTAL_ERR_IO,
 * PORTAL_ERR_MEMORY, PORTAL_ERR_INVALID for n_cols). */
portal_result batch_errors_xlsx_open(const char *const *header, size_t n_cols, const char *lang,
                                     batch_errors_xlsx **out);

/* Appends one row: cells[0..n_cells) (NULL entries empty; cells past the
 * header's width are dropped) and message (NULL or "" for a row without
 * errors; several messages joined by the caller, e.g. with "; "). */
portal_result batch_errors_xlsx_row(batch_errors_xlsx *x, const char *const *cells, size_t n_cells,
                                    const char *message);

/* Finishes the workbook, copies it into sink and frees x (also on failure). */
portal_result batch_errors_xlsx_finish(batch_errors_xlsx *x, const file_sink *sink);

/* Abandons the workbook and frees x (NULL is fine). */
void batch_errors_xlsx_discard(batch_errors_xlsx *x);

#endif
