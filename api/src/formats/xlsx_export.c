/* formats/xlsx_export.c: see xlsx_export.h. */
#include "formats/xlsx_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "formats/csv.h"

#define XLSX_MAX_ROWS 1048575u

struct xlsx_export {
    lxw_workbook *book;
    lxw_worksheet *sheet;
    lxw_format *fmt_key, *fmt_title, *fmt_date, *fmt_money, *fmt_percent;
    const xlsx_column *cols;
    int n_cols;
    lxw_row_t next_row;
    int failed;
};

portal_result xlsx_export_open(const char *path, const char *sheet_name, const xlsx_column *cols,
                               int n_cols, const char *lang, xlsx_export **out)
{
    *out = NULL;
    xlsx_export *x = calloc(1, sizeof *x);
    if (!x)
        return PORTAL_ERR_MEMORY;
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = 0};
    x->book = workbook_new_opt(path, &opts);
    if (!x->book) {
        free(x);
        return PORTAL_ERR_IO;
    }
    x->sheet = workbook_add_worksheet(x->book, sheet_name);
    x->cols = cols;
    x->n_cols = n_cols;
    x->fmt_key = workbook_add_format(x->book);
    format_set_font_color(x->fmt_key, 0x595959);
    format_set_italic(x->fmt_key);
    format_set_bg_color(x->fmt_key, 0xE7ECF5);
    x->fmt_title = workbook_add_format(x->book);
    format_set_bold(x->fmt_title);
    format_set_font_color(x->fmt_title, 0xFFFFFF);
    format_set_bg_color(x->fmt_title, 0x003781);
    format_set_bottom(x->fmt_title, LXW_BORDER_THIN);
    x->fmt_date = workbook_add_format(x->book);
    format_set_num_format(x->fmt_date, "dd-mm-yyyy");
    x->fmt_money = workbook_add_format(x->book);
    format_set_num_format(x->fmt_money, "#,##0.00");
    x->fmt_percent = workbook_add_format(x->book);
    format_set_num_format(x->fmt_percent, "0.000");
    int en = lang && strcmp(lang, "en") == 0;
    /* Constant-memory mode flushes a row once the next one is started:
     * write each row whole, in order. */
    for (int i = 0; i < n_cols; i++)
        worksheet_set_column(x->sheet, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
    for (int i = 0; i < n_cols; i++)
        worksheet_write_string(x->sheet, 0, (lxw_col_t)i, cols[i].key, x->fmt_key);
    for (int i = 0; i < n_cols; i++)
        worksheet_write_string(x->sheet, 1, (lxw_col_t)i, en ? cols[i].title_en : cols[i].title_nl,
                               x->fmt_title);
    worksheet_freeze_panes(x->sheet, 2, 0);
    x->next_row = 2;
    *out = x;
    return PORTAL_OK;
}

/* Parses YYYY-MM-DD into an lxw_datetime; 0 when it is not a date. */
static int parse_date(const char *v, lxw_datetime *out)
{
    int y, m, d;
    char tail;
    if (sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || strlen(v) != 10)
        return 0;
    memset(out, 0, sizeof *out);
    out->year = y;
    out->month = m;
    out->day = d;
    return 1;
}

/* Parses a plain decimal number; 0 when it is something else. */
static int parse_number(const char *v, double *out)
{
    char *end = NULL;
    if (!*v || strspn(v, "-0123456789.") != strlen(v))
        return 0;
    *out = strtod(v, &end);
    return end && *end == '\0';
}

static lxw_error write_text(xlsx_export *x, lxw_col_t c, const char *v)
{
    if (!csv_is_formula_like(v))
        return worksheet_write_string(x->sheet, x->next_row, c, v, NULL);
    size_t n = strlen(v);
    char *safe = malloc(n + 2);
    if (!safe)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    safe[0] = '\'';
    memcpy(safe + 1, v, n + 1);
    lxw_error e = worksheet_write_string(x->sheet, x->next_row, c, safe, NULL);
    free(safe);
    return e;
}

portal_result xlsx_export_row(xlsx_export *x, const char *const *values)
{
    if (x->failed || x->next_row > XLSX_MAX_ROWS)
        return PORTAL_ERR_TOO_LARGE;
    for (int i = 0; i < x->n_cols; i++) {
        const char *v = values[i];
        lxw_col_t c = (lxw_col_t)i;
        if (!v || !*v)
            continue;
        lxw_error e;
        lxw_datetime dt;
        double num;
        switch (x->cols[i].kind) {
        case XLSX_DATE:
            e = parse_date(v, &dt)
                    ? worksheet_write_datetime(x->sheet, x->next_row, c, &dt, x->fmt_date)
                    : write_text(x, c, v);
            break;
        case XLSX_MONEY:
        case XLSX_PERCENT:
        case XLSX_INTEGER:
            e = parse_number(v, &num)
                    ? worksheet_write_number(x->sheet, x->next_row, c, num,
                                             x->cols[i].kind == XLSX_MONEY     ? x->fmt_money
                                             : x->cols[i].kind == XLSX_PERCENT ? x->fmt_percent
                                                                               : NULL)
                    : write_text(x, c, v);
            break;
        case XLSX_TEXT:
        default:
            e = write_text(x, c, v);
            break;
        }
        if (e != LXW_NO_ERROR) {
            x->failed = 1;
            return PORTAL_ERR_IO;
        }
    }
    x->next_row++;
    return PORTAL_OK;
}

portal_result xlsx_export_close(xlsx_export *x)
{
    if (!x)
        return PORTAL_ERR_INVALID;
    lxw_error e = workbook_close(x->book);
    int failed = x->failed;
    free(x);
    return e == LXW_NO_ERROR && !failed ? PORTAL_OK : PORTAL_ERR_IO;
}
