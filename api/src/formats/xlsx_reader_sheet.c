/* formats/xlsx_reader_sheet.c: the streaming of the worksheet of an XLSX
 * file for formats/xlsx_reader.c: collects each row's cells within the
 * caps, turns their text into values (shared strings, numbers, dates by
 * style) and hands each finished row to the caller's callback. See
 * xlsx_reader_internal.h. */
#include "formats/xlsx_reader_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/civil_date.h"

/* ---- worksheet */

/* Column index of a reference like "AB12" (0 = A); -1 when it has none. */
static long xlsx_ref_column(const char *ref)
{
    long col = 0;
    int n = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
        col = col * 26 + (*ref - 'A' + 1);
    if (n == 0 || n == 4 || *ref < '0' || *ref > '9')
        return -1;
    return col - 1;
}

/* Appends to the current row's text, within the cell cap. */
void xlsx_row_append(xlsx_reader *x, const char *s, size_t len)
{
    if (x->row_text.len - x->cell_start + len > x->lim.max_cell_bytes) {
        xlsx_fail(x, XLSX_REASON_CELL_TOO_LONG, PORTAL_ERR_TOO_LARGE);
        return;
    }
    portal_result rc = buf_append(&x->row_text, s, len);
    if (rc == PORTAL_ERR_TOO_LARGE) /* a row repeating its cells */
        xlsx_fail(x, XLSX_REASON_TOO_MANY_COLUMNS, PORTAL_ERR_TOO_LARGE);
    else if (rc != PORTAL_OK)
        xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
}

/* Replaces the current cell's collected text by s. */
static void xlsx_cell_set(xlsx_reader *x, const char *s, size_t len)
{
    x->row_text.len = x->cell_start;
    xlsx_row_append(x, s, len);
}

void xlsx_sheet_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "row") == 0) {
        const char *r = xlsx_attr(atts, "r");
        unsigned long n = r ? strtoul(r, NULL, 10) : 0;
        x->row_number = n > x->row_number ? n : x->row_number + 1;
        x->in_row = 1;
        x->next_col = 0;
        x->n_pending = 0;
        x->row_text.len = 0;
    } else if (x->in_row && strcmp(el, "c") == 0) {
        const char *r = xlsx_attr(atts, "r"), *t = xlsx_attr(atts, "t"), *s = xlsx_attr(atts, "s");
        long col = r ? xlsx_ref_column(r) : -1;
        x->cell_col = col >= 0 ? (size_t)col : x->next_col;
        x->next_col = x->cell_col + 1;
        xlsx_copy(x->cell_type, sizeof x->cell_type, t ? t : "n");
        x->cell_style = s ? strtol(s, NULL, 10) : 0;
        x->cell_has_value = 0;
        x->cell_start = x->row_text.len;
        x->in_cell = 1;
    } else if (x->in_cell && strcmp(el, "v") == 0) {
        x->in_v = 1;
        x->cell_has_value = 1;
    } else if (x->in_cell && strcmp(el, "is") == 0) {
        x->in_is = 1;
        x->cell_has_value = 1;
    } else if (x->in_is && strcmp(el, "rPh") == 0) {
        x->in_rph = 1;
    } else if (x->in_is && !x->in_rph && strcmp(el, "t") == 0) {
        x->in_t = 1;
    }
}

/* Writes a number the way a spreadsheet shows it: 15 significant digits. */
static void xlsx_cell_number(xlsx_reader *x, double v)
{
    char tmp[40];
    if (v == 0)
        v = 0; /* no "-0" */
    int n = snprintf(tmp, sizeof tmp, "%.15g", v);
    xlsx_cell_set(x, tmp, (size_t)n);
}

/* Turns a serial day number into a date; 0 when it is not a usable date. */
static int xlsx_serial_date(xlsx_reader *x, double v)
{
    if (!(v >= 0 && v < 2958466))
        return 0;
    int64_t serial = (int64_t)floor(v), days;
    if (x->info->date1904)
        days = serial - 24107;
    else if (serial == 60)
        return 0; /* 29 February 1900, which Excel believes in */
    else
        days = serial < 60 ? serial - 25568 : serial - 25569;
    civil_date d;
    char text[CIVIL_DATE_TEXT_SIZE];
    if (civil_date_from_days(days, &d) != PORTAL_OK ||
        civil_date_format(d, text, sizeof text) != PORTAL_OK)
        return 0;
    xlsx_cell_set(x, text, CIVIL_DATE_TEXT_LEN);
    return 1;
}

/* Turns the collected text of the finished cell into its value. */
static sheet_cell_kind xlsx_cell_value(xlsx_reader *x)
{
    char *text = x->row_text.data ? x->row_text.data + x->cell_start : NULL;
    size_t len = x->row_text.len - x->cell_start;
    const char *t = x->cell_type;
    if (!x->cell_has_value || len == 0) {
        x->row_text.len = x->cell_start;
        return SHEET_CELL_EMPTY;
    }
    if (buf_append(&x->row_text, "", 1) != PORTAL_OK) { /* NUL for strtod */
        xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
        return SHEET_CELL_EMPTY;
    }
    x->row_text.len--;
    text = x->row_text.data + x->cell_start;
    if (strcmp(t, "s") == 0) {
        char *end;
        unsigned long i = strtoul(text, &end, 10);
        if (*end || i >= x->n_sst) {
            xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
            return SHEET_CELL_EMPTY;
        }
        const char *s = x->sst_text.data + x->sst_off[i];
        size_t slen = strlen(s);
        xlsx_cell_set(x, s, slen);
        return slen ? SHEET_CELL_TEXT : SHEET_CELL_EMPTY;
    }
    if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0)
        return SHEET_CELL_TEXT;
    if (strcmp(t, "b") == 0) {
        int yes = strcmp(text, "1") == 0 || strcmp(text, "true") == 0;
        xlsx_cell_set(x, yes ? "true" : "false", yes ? 4 : 5);
        return SHEET_CELL_BOOL;
    }
    if (strcmp(t, "e") == 0)
        return SHEET_CELL_ERROR;
    if (strcmp(t, "d") == 0) {
        civil_date d;
        if (len >= CIVIL_DATE_TEXT_LEN &&
            civil_date_parse_n(text, CIVIL_DATE_TEXT_LEN, &d) == PORTAL_OK) {
            x->row_text.len = x->cell_start + CIVIL_DATE_TEXT_LEN;
            return SHEET_CELL_DATE;
        }
        return SHEET_CELL_TEXT;
    }
    /* A number (t="n" or none). */
    char *end;
    if (strspn(text, "0123456789+-.eE") != len) /* no hex, "inf" or "nan" */
        return SHEET_CELL_TEXT;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v))
        return SHEET_CELL_TEXT;
    if (x->cell_style >= 0 && (size_t)x->cell_style < x->n_xf && x->xf_date[x->cell_style] &&
        xlsx_serial_date(x, v))
        return SHEET_CELL_DATE;
    xlsx_cell_number(x, v);
    return SHEET_CELL_NUMBER;
}

/* Reports the finished row: cells by column, missing ones empty. */
static void xlsx_row_end(xlsx_reader *x)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n_pending; i++)
        if (x->pending[i].col + 1 > n)
            n = x->pending[i].col + 1;
    if (n == 0)
        return; /* rows with only formatting, or none at all, are not rows */
    if (x->row_number > x->lim.max_rows) {
        xlsx_fail(x, XLSX_REASON_TOO_MANY_ROWS, PORTAL_ERR_TOO_LARGE);
        return;
    }
    static const char empty[] = "";
    for (size_t i = 0; i < n; i++)
        x->cells[i] = (sheet_cell){.text = empty, .len = 0, .kind = SHEET_CELL_EMPTY};
    for (size_t i = 0; i < x->n_pending; i++) {
        xlsx_pending_cell *p = &x->pending[i];
        x->cells[p->col] =
            (sheet_cell){.text = x->row_text.data + p->off, .len = p->len, .kind = p->kind};
    }
    sheet_row row = {.number = x->row_number, .cells = x->cells, .n_cells = n};
    portal_result rc = x->fn(x->ctx, &row);
    if (rc)
        xlsx_fail(x, XLSX_REASON_CALLBACK, rc);
}

void xlsx_sheet_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "t") == 0) {
        x->in_t = 0;
    } else if (strcmp(el, "rPh") == 0) {
        x->in_rph = 0;
    } else if (strcmp(el, "v") == 0) {
        x->in_v = 0;
    } else if (strcmp(el, "is") == 0) {
        x->in_is = 0;
    } else if (strcmp(el, "c") == 0 && x->in_cell) {
        x->in_cell = 0;
        sheet_cell_kind kind = xlsx_cell_value(x);
        if (x->rc)
            return;
        if (kind == SHEET_CELL_EMPTY) {
            x->row_text.len = x->cell_start;
            return;
        }
        if (x->cell_col >= x->lim.max_columns) {
            xlsx_fail(x, XLSX_REASON_TOO_MANY_COLUMNS, PORTAL_ERR_TOO_LARGE);
            return;
        }
        size_t len = x->row_text.len - x->cell_start;
        if (buf_append(&x->row_text, "", 1) != PORTAL_OK) { /* keeps the NUL */
            xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
            return;
        }
        /* A column given twice keeps its last value. */
        for (size_t i = 0; i < x->n_pending; i++)
            if (x->pending[i].col == x->cell_col)
                x->pending[i] = x->pending[--x->n_pending];
        x->pending[x->n_pending++] =
            (xlsx_pending_cell){.col = x->cell_col, .off = x->cell_start, .len = len, .kind = kind};
    } else if (strcmp(el, "row") == 0 && x->in_row) {
        x->in_row = 0;
        xlsx_row_end(x);
    }
}
