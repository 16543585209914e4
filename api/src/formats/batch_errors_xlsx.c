/* formats/batch_errors_xlsx.c: see batch_errors_xlsx.h. */
#include "formats/batch_errors_xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define ERRORS_MAX_COLS 16383u
#define ERRORS_MAX_ROWS 1048575u

struct batch_errors_xlsx {
    lxw_workbook *book;
    lxw_worksheet *sheet;
    lxw_format *header, *error_header, *cell, *error;
    size_t n_cols;
    lxw_row_t next_row;
    int failed;
    char path[256];
};

portal_result batch_errors_xlsx_open(const char *const *header, size_t n_cols, const char *lang,
                                     batch_errors_xlsx **out)
{
    *out = NULL;
    if (n_cols > ERRORS_MAX_COLS)
        return PORTAL_ERR_INVALID;
    batch_errors_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return PORTAL_ERR_MEMORY;
    if (file_sink_temp_path(x->path, sizeof x->path) != PORTAL_OK) {
        free(x);
        return PORTAL_ERR_IO;
    }
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    x->book = workbook_new_opt(x->path, &opts);
    int en = lang && strcmp(lang, "en") == 0;
    x->sheet = x->book ? workbook_add_worksheet(x->book, en ? "Errors" : "Fouten") : NULL;
    if (!x->sheet) {
        batch_errors_xlsx_discard(x);
        return PORTAL_ERR_IO;
    }
    x->n_cols = n_cols;
    x->header = workbook_add_format(x->book);
    format_set_bold(x->header);
    format_set_font_color(x->header, 0xFFFFFF);
    format_set_bg_color(x->header, 0x003781);
    x->error_header = workbook_add_format(x->book);
    format_set_bold(x->error_header);
    format_set_font_color(x->error_header, 0xFFFFFF);
    format_set_bg_color(x->error_header, 0xC00000);
    x->cell = workbook_add_format(x->book);
    format_set_num_format(x->cell, "@");
    x->error = workbook_add_format(x->book);
    format_set_font_color(x->error, 0xC00000);
    format_set_text_wrap(x->error);
    lxw_error e = LXW_NO_ERROR;
    if (n_cols > 0)
        e = worksheet_set_column(x->sheet, 0, (lxw_col_t)(n_cols - 1), 16, NULL);
    if (!e)
        e = worksheet_set_column(x->sheet, (lxw_col_t)n_cols, (lxw_col_t)n_cols, 60, NULL);
    for (size_t i = 0; i < n_cols && !e; i++)
        e = worksheet_write_string(x->sheet, 0, (lxw_col_t)i, header[i] ? header[i] : "",
                                   x->header);
    if (!e)
        e = worksheet_write_string(x->sheet, 0, (lxw_col_t)n_cols, en ? "Error" : "Fout",
                                   x->error_header);
    worksheet_freeze_panes(x->sheet, 1, 0);
    if (e) {
        batch_errors_xlsx_discard(x);
        return PORTAL_ERR_IO;
    }
    x->next_row = 1;
    *out = x;
    return PORTAL_OK;
}

portal_result batch_errors_xlsx_row(batch_errors_xlsx *x, const char *const *cells, size_t n_cells,
                                    const char *message)
{
    if (x->failed)
        return PORTAL_ERR_IO;
    if (x->next_row > ERRORS_MAX_ROWS)
        return PORTAL_ERR_TOO_LARGE;
    lxw_error e = LXW_NO_ERROR;
    size_t n = n_cells < x->n_cols ? n_cells : x->n_cols;
    for (size_t i = 0; i < n && !e; i++)
        if (cells[i] && *cells[i])
            e = worksheet_write_string(x->sheet, x->next_row, (lxw_col_t)i, cells[i], x->cell);
    if (!e && message && *message)
        e = worksheet_write_string(x->sheet, x->next_row, (lxw_col_t)x->n_cols, message, x->error);
    if (e) {
        x->failed = 1;
        return PORTAL_ERR_IO;
    }
    x->next_row++;
    return PORTAL_OK;
}

portal_result batch_errors_xlsx_finish(batch_errors_xlsx *x, const file_sink *sink)
{
    lxw_error e = workbook_close(x->book);
    x->book = NULL;
    portal_result rc =
        e == LXW_NO_ERROR && !x->failed ? file_sink_copy_file(sink, x->path) : PORTAL_ERR_IO;
    if (rc == PORTAL_ERR_IO && (e != LXW_NO_ERROR || x->failed))
        unlink(x->path);
    free(x);
    return rc;
}

void batch_errors_xlsx_discard(batch_errors_xlsx *x)
{
    if (!x)
        return;
    if (x->book)
        workbook_close(x->book);
    unlink(x->path);
    free(x);
}
