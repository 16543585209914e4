/* formats/xlsx_reader.c: see xlsx_reader.h. */
#include "formats/xlsx_reader.h"

#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <expat.h>
#include <zip.h>

#include "base/buf.h"
#include "domain/civil_date.h"

#define XLSX_CHUNK 65536
#define XLSX_RATIO_FLOOR (1024u * 1024u) /* small parts may compress well */
#define XLSX_MAX_RELS 256
#define XLSX_MAX_SHEETS 256
#define XLSX_MAX_XFS 16384
#define XLSX_MAX_NUMFMTS 1024
#define XLSX_NAME_MAX 512
#define XLSX_NS_SEP '\x01'

typedef struct {
    char id[64];
    char type[32]; /* the last segment of the Type URI: "worksheet" */
    char target[256];
} xlsx_rel;

typedef struct {
    char rid[64];
    char name[128];
    int hidden;
} xlsx_sheet;

typedef enum {
    XLSX_PART_RELS,
    XLSX_PART_WORKBOOK,
    XLSX_PART_STYLES,
    XLSX_PART_SST,
    XLSX_PART_SHEET
} xlsx_part_kind;

/* One cell of the row being read: its text sits in row_text. */
typedef struct {
    size_t col;
    size_t off, len;
    sheet_cell_kind kind;
} xlsx_pending_cell;

typedef struct {
    xlsx_limits lim;
    xlsx_info *info;
    zip_t *zip;
    size_t total_read;
    sheet_row_fn fn;
    void *ctx;
    portal_result rc;
    XML_Parser parser;
    xlsx_part_kind kind;
    int depth;
    /* rels */
    xlsx_rel *rels;
    size_t n_rels;
    /* workbook */
    xlsx_sheet *sheets;
    size_t n_sheets;
    int in_defined_name;
    buf defined_name;
    /* styles */
    int in_numfmts, in_cellxfs;
    int *custom_fmt_id;
    unsigned char *custom_fmt_date;
    size_t n_custom;
    unsigned char *xf_date;
    size_t n_xf;
    /* shared strings */
    buf sst_text;
    uint32_t *sst_off;
    size_t n_sst, sst_cap;
    int in_si, in_t, in_rph;
    size_t si_start;
    /* sheet */
    int in_row, in_cell, in_v, in_is;
    unsigned long row_number;
    size_t next_col;
    char cell_type[12];
    long cell_style;
    int cell_has_value;
    size_t cell_col, cell_start;
    buf row_text;
    xlsx_pending_cell *pending;
    size_t n_pending;
    sheet_cell *cells;
} xlsx_reader;

/* Records the first failure and stops the parser, if one runs. */
static void xlsx_fail(xlsx_reader *x, xlsx_reason reason, portal_result rc)
{
    if (x->rc == PORTAL_OK) {
        x->rc = rc;
        x->info->reason = reason;
    }
    if (x->parser)
        XML_StopParser(x->parser, XML_FALSE);
}

/* The local part of an expat namespace-qualified name. */
static const char *xlsx_local(const char *name)
{
    const char *sep = strrchr(name, XLSX_NS_SEP);
    return sep ? sep + 1 : name;
}

/* The value of attribute `local` (any namespace), or NULL. */
static const char *xlsx_attr(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(xlsx_local(atts[i]), local) == 0)
            return atts[i + 1];
    return NULL;
}

/* Copies src into dst[size], truncating; always NUL-terminated. */
static void xlsx_copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* ---- security handlers: any DTD or entity declaration stops the parse. */

static void XMLCALL xlsx_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                                 const XML_Char *pubid, int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    xlsx_fail(ud, XLSX_REASON_DTD, PORTAL_ERR_INVALID);
}

static void XMLCALL xlsx_entity_decl(void *ud, const XML_Char *name, int is_param,
                                     const XML_Char *value, int value_len, const XML_Char *base,
                                     const XML_Char *sysid, const XML_Char *pubid,
                                     const XML_Char *notation)
{
    (void)name;
    (void)is_param;
    (void)value;
    (void)value_len;
    (void)base;
    (void)sysid;
    (void)pubid;
    (void)notation;
    xlsx_fail(ud, XLSX_REASON_DTD, PORTAL_ERR_INVALID);
}

static int XMLCALL xlsx_external_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
                                        const XML_Char *sysid, const XML_Char *pubid)
{
    (void)p;
    (void)context;
    (void)base;
    (void)sysid;
    (void)pubid;
    return XML_STATUS_ERROR;
}

/* ---- rels */

static void xlsx_rels_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "Relationship") != 0)
        return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type"),
               *target = xlsx_attr(atts, "Target"), *mode = xlsx_attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    if (x->n_rels >= XLSX_MAX_RELS) {
        xlsx_fail(x, XLSX_REASON_TOO_MANY_ENTRIES, PORTAL_ERR_TOO_LARGE);
        return;
    }
    xlsx_rel *r = &x->rels[x->n_rels++];
    const char *slash = strrchr(type, '/');
    xlsx_copy(r->id, sizeof r->id, id);
    xlsx_copy(r->type, sizeof r->type, slash ? slash + 1 : type);
    xlsx_copy(r->target, sizeof r->target, target);
}

/* ---- workbook */

static void xlsx_workbook_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "sheet") == 0) {
        const char *rid = xlsx_attr(atts, "id"), *name = xlsx_attr(atts, "name"),
                   *state = xlsx_attr(atts, "state");
        if (!rid || x->n_sheets >= XLSX_MAX_SHEETS)
            return;
        xlsx_sheet *s = &x->sheets[x->n_sheets++];
        xlsx_copy(s->rid, sizeof s->rid, rid);
        xlsx_copy(s->name, sizeof s->name, name ? name : "");
        s->hidden = state && strcmp(state, "visible") != 0;
    } else if (strcmp(el, "workbookPr") == 0) {
        const char *d = xlsx_attr(atts, "date1904");
        x->info->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(el, "definedName") == 0) {
        const char *name = xlsx_attr(atts, "name");
        x->in_defined_name = name && strcmp(name, "portal_template") == 0;
        buf_free(&x->defined_name);
    }
}

static void xlsx_workbook_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "definedName") != 0 || !x->in_defined_name)
        return;
    x->in_defined_name = 0;
    /* The value is a formula: a string constant "salary_change/1". */
    const char *v = x->defined_name.data ? x->defined_name.data : "";
    size_t n = x->defined_name.len;
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v++;
        n -= 2;
    }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < sizeof x->info->template_tag; i++) {
        if (v[i] == '"' && i + 1 < n && v[i + 1] == '"')
            i++;
        x->info->template_tag[o++] = v[i];
    }
    x->info->template_tag[o] = '\0';
}

/* ---- styles */

/* 1 when a custom number format code shows a date: d or y outside quoted
 * text, escapes and [brackets] (colours, conditions, elapsed time). */
static int xlsx_format_is_date(const char *code)
{
    int quoted = 0, bracket = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (quoted) {
            quoted = c != '"';
            continue;
        }
        if (bracket) {
            bracket = c != ']';
            continue;
        }
        if (c == '"')
            quoted = 1;
        else if (c == '[')
            bracket = 1;
        else if (c == '\\' || c == '_' || c == '*') {
            if (p[1])
                p++;
        } else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y')
            return 1;
    }
    return 0;
}

static int xlsx_builtin_date(long id)
{
    return id >= 14 && id <= 22;
}

static void xlsx_styles_start(xlsx_reader *x, const char *el, const char **atts)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = 1;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 1;
    else if (x->in_numfmts && strcmp(el, "numFmt") == 0) {
        const char *id = xlsx_attr(atts, "numFmtId"), *code = xlsx_attr(atts, "formatCode");
        if (!id || !code || x->n_custom >= XLSX_MAX_NUMFMTS)
            return;
        x->custom_fmt_id[x->n_custom] = (int)strtol(id, NULL, 10);
        x->custom_fmt_date[x->n_custom++] = (unsigned char)xlsx_format_is_date(code);
    } else if (x->in_cellxfs && strcmp(el, "xf") == 0) {
        if (x->n_xf >= XLSX_MAX_XFS) {
            xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
            return;
        }
        const char *idtext = xlsx_attr(atts, "numFmtId");
        long id = idtext ? strtol(idtext, NULL, 10) : 0;
        int date = xlsx_builtin_date(id);
        for (size_t i = 0; i < x->n_custom; i++)
            if (x->custom_fmt_id[i] == id)
                date = x->custom_fmt_date[i];
        x->xf_date[x->n_xf++] = (unsigned char)date;
    }
}

static void xlsx_styles_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "numFmts") == 0)
        x->in_numfmts = 0;
    else if (strcmp(el, "cellXfs") == 0)
        x->in_cellxfs = 0;
}

/* ---- shared strings */

static void xlsx_sst_start(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "si") == 0) {
        x->in_si = 1;
        x->si_start = x->sst_text.len;
    } else if (x->in_si && strcmp(el, "rPh") == 0)
        x->in_rph = 1;
    else if (x->in_si && !x->in_rph && strcmp(el, "t") == 0)
        x->in_t = 1;
}

static void xlsx_sst_end(xlsx_reader *x, const char *el)
{
    if (strcmp(el, "t") == 0)
        x->in_t = 0;
    else if (strcmp(el, "rPh") == 0)
        x->in_rph = 0;
    else if (strcmp(el, "si") == 0 && x->in_si) {
        x->in_si = 0;
        if (x->sst_text.len - x->si_start > x->lim.max_cell_bytes) {
            xlsx_fail(x, XLSX_REASON_CELL_TOO_LONG, PORTAL_ERR_TOO_LARGE);
            return;
        }
        if (buf_append(&x->sst_text, "", 1) != PORTAL_OK) { /* the NUL */
            xlsx_fail(x, XLSX_REASON_TOO_MANY_STRINGS, PORTAL_ERR_TOO_LARGE);
            return;
        }
        if (x->n_sst == x->sst_cap) {
            size_t cap = x->sst_cap ? 2 * x->sst_cap : 1024;
            uint32_t *p = realloc(x->sst_off, cap * sizeof *p);
            if (!p) {
                xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
                return;
            }
            x->sst_off = p;
            x->sst_cap = cap;
        }
        x->sst_off[x->n_sst++] = (uint32_t)x->si_start;
    }
}

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
static void xlsx_row_append(xlsx_reader *x, const char *s, size_t len)
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

static void xlsx_sheet_start(xlsx_reader *x, const char *el, const char **atts)
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

static void xlsx_sheet_end(xlsx_reader *x, const char *el)
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

/* ---- expat glue */

static void XMLCALL xlsx_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xlsx_reader *x = ud;
    const char *el = xlsx_local(name);
    if (++x->depth > 64) {
        xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
        return;
    }
    switch (x->kind) {
    case XLSX_PART_RELS:
        xlsx_rels_start(x, el, atts);
        break;
    case XLSX_PART_WORKBOOK:
        xlsx_workbook_start(x, el, atts);
        break;
    case XLSX_PART_STYLES:
        xlsx_styles_start(x, el, atts);
        break;
    case XLSX_PART_SST:
        xlsx_sst_start(x, el);
        break;
    case XLSX_PART_SHEET:
        xlsx_sheet_start(x, el, atts);
        break;
    }
}

static void XMLCALL xlsx_end(void *ud, const XML_Char *name)
{
    xlsx_reader *x = ud;
    const char *el = xlsx_local(name);
    x->depth--;
    switch (x->kind) {
    case XLSX_PART_WORKBOOK:
        xlsx_workbook_end(x, el);
        break;
    case XLSX_PART_STYLES:
        xlsx_styles_end(x, el);
        break;
    case XLSX_PART_SST:
        xlsx_sst_end(x, el);
        break;
    case XLSX_PART_SHEET:
        xlsx_sheet_end(x, el);
        break;
    case XLSX_PART_RELS:
        break;
    }
}

static void XMLCALL xlsx_text(void *ud, const XML_Char *s, int len)
{
    xlsx_reader *x = ud;
    if (x->rc || len <= 0)
        return;
    if (x->kind == XLSX_PART_SST && x->in_si && x->in_t && !x->in_rph) {
        if (x->sst_text.len - x->si_start + (size_t)len > x->lim.max_cell_bytes)
            xlsx_fail(x, XLSX_REASON_CELL_TOO_LONG, PORTAL_ERR_TOO_LARGE);
        else if (buf_append(&x->sst_text, s, (size_t)len) != PORTAL_OK)
            xlsx_fail(x, XLSX_REASON_TOO_MANY_STRINGS, PORTAL_ERR_TOO_LARGE);
    } else if (x->kind == XLSX_PART_SHEET && x->in_cell &&
               (x->in_v || (x->in_is && x->in_t && !x->in_rph))) {
        xlsx_row_append(x, s, (size_t)len);
    } else if (x->kind == XLSX_PART_WORKBOOK && x->in_defined_name) {
        if (buf_append(&x->defined_name, s, (size_t)len) != PORTAL_OK)
            xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
    }
}

/* Checks every entry's header: count, encryption, declared size, ratio. */
static void xlsx_check_entries(xlsx_reader *x)
{
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    if (n < 0 || (zip_uint64_t)n > x->lim.max_entries) {
        xlsx_fail(x, XLSX_REASON_TOO_MANY_ENTRIES, PORTAL_ERR_TOO_LARGE);
        return;
    }
    for (zip_int64_t i = 0; i < n && !x->rc; i++) {
        zip_stat_t st;
        if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0) {
            xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
            return;
        }
        if (st.name)
            xlsx_copy(x->info->part, sizeof x->info->part, st.name);
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            xlsx_fail(x, XLSX_REASON_ENCRYPTED_ENTRY, PORTAL_ERR_INVALID);
        else if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_part_bytes)
            xlsx_fail(x, XLSX_REASON_PART_TOO_LARGE, PORTAL_ERR_TOO_LARGE);
        else if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
                 st.size > XLSX_RATIO_FLOOR &&
                 (st.comp_size == 0 || st.size / st.comp_size > x->lim.max_ratio))
            xlsx_fail(x, XLSX_REASON_COMPRESSION_RATIO, PORTAL_ERR_INVALID);
    }
    if (!x->rc)
        x->info->part[0] = '\0';
}

/* Streams one part through expat as `kind`. A missing part is
 * XLSX_REASON_MISSING_PART when required, else quietly skipped. */
static void xlsx_parse_part(xlsx_reader *x, const char *name, xlsx_part_kind kind, int required)
{
    if (x->rc)
        return;
    xlsx_copy(x->info->part, sizeof x->info->part, name);
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(x->zip, name, 0);
    if (idx < 0 || zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
        if (required)
            xlsx_fail(x, XLSX_REASON_MISSING_PART, PORTAL_ERR_INVALID);
        else
            x->info->part[0] = '\0';
        return;
    }
    zip_file_t *f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!f) {
        xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
        return;
    }
    XML_Parser p = XML_ParserCreateNS(NULL, XLSX_NS_SEP);
    char *chunk = malloc(XLSX_CHUNK);
    if (!p || !chunk) {
        if (p)
            XML_ParserFree(p);
        free(chunk);
        zip_fclose(f);
        xlsx_fail(x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
        return;
    }
    x->parser = p;
    x->kind = kind;
    x->depth = 0;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, xlsx_start, xlsx_end);
    XML_SetCharacterDataHandler(p, xlsx_text);
    XML_SetStartDoctypeDeclHandler(p, xlsx_doctype);
    XML_SetEntityDeclHandler(p, xlsx_entity_decl);
    XML_SetExternalEntityRefHandler(p, xlsx_external_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    size_t part_read = 0;
    zip_uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    for (;;) {
        zip_int64_t got = zip_fread(f, chunk, XLSX_CHUNK);
        if (got < 0) {
            xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
            break;
        }
        part_read += (size_t)got;
        x->total_read += (size_t)got;
        if (part_read > x->lim.max_part_bytes || x->total_read > x->lim.max_total_bytes ||
            part_read > declared) {
            xlsx_fail(x, XLSX_REASON_READ_TOO_LARGE, PORTAL_ERR_TOO_LARGE);
            break;
        }
        if (part_read > XLSX_RATIO_FLOOR && (comp == 0 || part_read / comp > x->lim.max_ratio)) {
            xlsx_fail(x, XLSX_REASON_COMPRESSION_RATIO, PORTAL_ERR_INVALID);
            break;
        }
        if (XML_Parse(p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
            if (!x->rc)
                xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
            break;
        }
        if (x->rc || got == 0)
            break;
    }
    if (!x->rc && part_read != declared)
        xlsx_fail(x, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    x->parser = NULL;
    XML_ParserFree(p);
    free(chunk);
    zip_fclose(f);
    if (!x->rc)
        x->info->part[0] = '\0';
}

/* Resolves a relationship target against the part it belongs to (its
 * folder), dropping "." and ".." segments: "worksheets/sheet1.xml" from
 * "xl/workbook.xml" is "xl/worksheets/sheet1.xml". 0 when it does not fit. */
static int xlsx_resolve(const char *base_part, const char *target, char *out, size_t size)
{
    char tmp[2 * XLSX_NAME_MAX];
    size_t n = 0;
    if (target[0] == '/') {
        target++;
    } else {
        const char *slash = strrchr(base_part, '/');
        n = slash ? (size_t)(slash - base_part) + 1 : 0;
        if (n >= sizeof tmp)
            return 0;
        memcpy(tmp, base_part, n);
    }
    size_t tl = strlen(target);
    if (n + tl >= sizeof tmp)
        return 0;
    memcpy(tmp + n, target, tl + 1);
    /* Normalise the segments into out. */
    size_t o = 0;
    const char *p = tmp;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t sl = e ? (size_t)(e - p) : strlen(p);
        if (sl == 0 || (sl == 1 && p[0] == '.')) {
            /* skip */
        } else if (sl == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else {
            if (o + sl + 2 > size)
                return 0;
            memcpy(out + o, p, sl);
            o += sl;
            if (e)
                out[o++] = '/';
        }
        p = e ? e + 1 : p + sl;
    }
    if (o > 0 && out[o - 1] == '/')
        o--;
    out[o] = '\0';
    return o > 0;
}

/* The rels file of a part: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels". */
static int xlsx_rels_name(const char *part, char *out, size_t size)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    int n = snprintf(out, size, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
    return n > 0 && (size_t)n < size;
}

static const xlsx_rel *xlsx_find_rel(const xlsx_reader *x, const char *id, const char *type)
{
    for (size_t i = 0; i < x->n_rels; i++)
        if ((!id || strcmp(x->rels[i].id, id) == 0) &&
            (!type || strcmp(x->rels[i].type, type) == 0))
            return &x->rels[i];
    return NULL;
}

/* Finds and reads the workbook, its styles, shared strings and sheet. */
static void xlsx_read_zip(xlsx_reader *x)
{
    xlsx_check_entries(x);
    if (x->rc)
        return;
    if (zip_name_locate(x->zip, "[Content_Types].xml", 0) < 0) {
        xlsx_copy(x->info->part, sizeof x->info->part, "[Content_Types].xml");
        xlsx_fail(x, XLSX_REASON_MISSING_PART, PORTAL_ERR_INVALID);
        return;
    }
    char workbook[XLSX_NAME_MAX] = "xl/workbook.xml", rels[XLSX_NAME_MAX + 16];
    xlsx_parse_part(x, "_rels/.rels", XLSX_PART_RELS, 0);
    const xlsx_rel *doc = xlsx_find_rel(x, NULL, "officeDocument");
    if (doc && !xlsx_resolve("", doc->target, workbook, sizeof workbook)) {
        xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
        return;
    }
    x->n_rels = 0;
    xlsx_parse_part(x, workbook, XLSX_PART_WORKBOOK, 1);
    if (!xlsx_rels_name(workbook, rels, sizeof rels)) {
        xlsx_fail(x, XLSX_REASON_XML, PORTAL_ERR_INVALID);
        return;
    }
    xlsx_parse_part(x, rels, XLSX_PART_RELS, 1);
    if (x->rc)
        return;
    const xlsx_rel *sheet = NULL;
    for (int pass = 0; pass < 2 && !sheet; pass++)
        for (size_t i = 0; i < x->n_sheets && !sheet; i++) {
            if (pass == 0 && x->sheets[i].hidden)
                continue;
            sheet = xlsx_find_rel(x, x->sheets[i].rid, "worksheet");
            if (sheet)
                xlsx_copy(x->info->sheet_name, sizeof x->info->sheet_name, x->sheets[i].name);
        }
    char part[XLSX_NAME_MAX];
    if (!sheet || !xlsx_resolve(workbook, sheet->target, part, sizeof part)) {
        xlsx_copy(x->info->part, sizeof x->info->part, "worksheet");
        xlsx_fail(x, XLSX_REASON_MISSING_PART, PORTAL_ERR_INVALID);
        return;
    }
    char styles[XLSX_NAME_MAX], strings[XLSX_NAME_MAX];
    const xlsx_rel *st = xlsx_find_rel(x, NULL, "styles");
    const xlsx_rel *ss = xlsx_find_rel(x, NULL, "sharedStrings");
    if (st && xlsx_resolve(workbook, st->target, styles, sizeof styles))
        xlsx_parse_part(x, styles, XLSX_PART_STYLES, 1);
    if (ss && xlsx_resolve(workbook, ss->target, strings, sizeof strings))
        xlsx_parse_part(x, strings, XLSX_PART_SST, 1);
    xlsx_parse_part(x, part, XLSX_PART_SHEET, 1);
}

/* Allocates the reader's tables and runs it over an open zip. */
static portal_result xlsx_run(zip_t *zip, const xlsx_limits *limits, sheet_row_fn fn, void *ctx,
                              xlsx_info *info)
{
    xlsx_reader x;
    memset(&x, 0, sizeof x);
    if (limits)
        x.lim = *limits;
    if (!x.lim.max_entries)
        x.lim.max_entries = 1000;
    if (!x.lim.max_part_bytes)
        x.lim.max_part_bytes = 256u * 1024 * 1024;
    if (!x.lim.max_total_bytes)
        x.lim.max_total_bytes = 512u * 1024 * 1024;
    if (!x.lim.max_ratio)
        x.lim.max_ratio = 200;
    if (!x.lim.max_cell_bytes)
        x.lim.max_cell_bytes = 4096;
    if (!x.lim.max_columns)
        x.lim.max_columns = 64;
    if (!x.lim.max_rows)
        x.lim.max_rows = 1048576;
    if (!x.lim.max_shared_bytes)
        x.lim.max_shared_bytes = 64u * 1024 * 1024;
    if (x.lim.max_shared_bytes > UINT32_MAX)
        x.lim.max_shared_bytes = UINT32_MAX;
    x.info = info;
    x.zip = zip;
    x.fn = fn;
    x.ctx = ctx;
    buf_init(&x.defined_name, 256);
    buf_init(&x.sst_text, x.lim.max_shared_bytes);
    buf_init(&x.row_text, x.lim.max_columns * (x.lim.max_cell_bytes + 1) + 64);
    x.rels = calloc(XLSX_MAX_RELS, sizeof *x.rels);
    x.sheets = calloc(XLSX_MAX_SHEETS, sizeof *x.sheets);
    x.custom_fmt_id = calloc(XLSX_MAX_NUMFMTS, sizeof *x.custom_fmt_id);
    x.custom_fmt_date = calloc(XLSX_MAX_NUMFMTS, 1);
    x.xf_date = calloc(XLSX_MAX_XFS, 1);
    x.pending = calloc(x.lim.max_columns, sizeof *x.pending);
    x.cells = calloc(x.lim.max_columns, sizeof *x.cells);
    if (!x.rels || !x.sheets || !x.custom_fmt_id || !x.custom_fmt_date || !x.xf_date ||
        !x.pending || !x.cells)
        xlsx_fail(&x, XLSX_REASON_MEMORY, PORTAL_ERR_MEMORY);
    else
        xlsx_read_zip(&x);
    info->row = x.row_number;
    buf_free(&x.defined_name);
    buf_free(&x.sst_text);
    buf_free(&x.row_text);
    free(x.sst_off);
    free(x.rels);
    free(x.sheets);
    free(x.custom_fmt_id);
    free(x.custom_fmt_date);
    free(x.xf_date);
    free(x.pending);
    free(x.cells);
    return x.rc;
}

static const unsigned char XLSX_OLE2_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Fills info for a failure before any reading started. */
static portal_result xlsx_refuse(xlsx_info *info, xlsx_reason reason, portal_result rc)
{
    info->reason = reason;
    return rc;
}

portal_result xlsx_read_buffer(const void *data, size_t len, const xlsx_limits *limits,
                               sheet_row_fn fn, void *ctx, xlsx_info *info)
{
    xlsx_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    if (len >= 8 && memcmp(data, XLSX_OLE2_MAGIC, 8) == 0)
        return xlsx_refuse(info, XLSX_REASON_OLE2, PORTAL_ERR_INVALID);
    if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &err);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
    zip_error_fini(&err);
    if (!zip) {
        if (src)
            zip_source_free(src);
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    }
    portal_result rc = xlsx_run(zip, limits, fn, ctx, info);
    zip_discard(zip);
    return rc;
}

portal_result xlsx_read_file(const char *path, const xlsx_limits *limits, sheet_row_fn fn,
                             void *ctx, xlsx_info *info)
{
    xlsx_info scratch;
    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return PORTAL_ERR_IO;
    unsigned char head[8] = {0};
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    if (got == 8 && memcmp(head, XLSX_OLE2_MAGIC, 8) == 0)
        return xlsx_refuse(info, XLSX_REASON_OLE2, PORTAL_ERR_INVALID);
    if (got < 4 || memcmp(head, "PK\x03\x04", 4) != 0)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    int err = 0;
    zip_t *zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!zip)
        return xlsx_refuse(info, XLSX_REASON_BROKEN_ZIP, PORTAL_ERR_INVALID);
    portal_result rc = xlsx_run(zip, limits, fn, ctx, info);
    zip_discard(zip);
    return rc;
}

const char *xlsx_reason_name(xlsx_reason reason)
{
    static const char *const names[] = {"none",
                                        "broken_zip",
                                        "ole2",
                                        "too_many_entries",
                                        "part_too_large",
                                        "read_too_large",
                                        "compression_ratio",
                                        "encrypted_entry",
                                        "missing_part",
                                        "dtd",
                                        "xml",
                                        "too_many_rows",
                                        "too_many_columns",
                                        "cell_too_long",
                                        "too_many_strings",
                                        "callback",
                                        "memory"};
    if ((size_t)reason < sizeof names / sizeof names[0])
        return names[reason];
    return "none";
}

int xlsx_reason_problem(xlsx_reason reason, const char **code)
{
    int status = 422;
    if (reason == XLSX_REASON_NONE || reason == XLSX_REASON_CALLBACK ||
        reason == XLSX_REASON_MEMORY)
        status = 0;
    else if (reason == XLSX_REASON_OLE2)
        status = 415;
    if (code)
        *code = status == 0 ? NULL : status == 415 ? "unsupported_media_type" : "file_unreadable";
    return status;
}

const char *xlsx_reason_detail(xlsx_reason reason, const char *lang)
{
    int en = lang && strcmp(lang, "en") == 0;
    switch (reason) {
    case XLSX_REASON_OLE2:
        return en ? "This is an old (.xls) or password-protected workbook. Save it as an Excel "
                    "workbook (.xlsx) without a password and upload it again."
                  : "Dit is een oude (.xls) of met een wachtwoord beveiligde werkmap. Sla hem op "
                    "als Excel-werkmap (.xlsx) zonder wachtwoord en upload hem opnieuw.";
    case XLSX_REASON_TOO_MANY_ENTRIES:
    case XLSX_REASON_PART_TOO_LARGE:
    case XLSX_REASON_READ_TOO_LARGE:
    case XLSX_REASON_COMPRESSION_RATIO:
        return en ? "The workbook is too large to read safely. Copy the rows into the template "
                    "and upload that."
                  : "De werkmap is te groot om veilig te lezen. Kopieer de rijen naar het "
                    "sjabloon en upload dat.";
    case XLSX_REASON_DTD:
        return en ? "The workbook contains XML declarations that are not allowed. Save it again "
                    "with Excel or LibreOffice."
                  : "De werkmap bevat XML-declaraties die niet zijn toegestaan. Sla hem opnieuw "
                    "op met Excel of LibreOffice.";
    case XLSX_REASON_TOO_MANY_ROWS:
    case XLSX_REASON_TOO_MANY_COLUMNS:
    case XLSX_REASON_CELL_TOO_LONG:
    case XLSX_REASON_TOO_MANY_STRINGS:
        return en ? "The worksheet has too many rows, columns or too long a cell. Use the "
                    "template's columns only."
                  : "Het werkblad heeft te veel rijen of kolommen, of een te lange cel. Gebruik "
                    "alleen de kolommen van het sjabloon.";
    case XLSX_REASON_ENCRYPTED_ENTRY:
    case XLSX_REASON_BROKEN_ZIP:
    case XLSX_REASON_MISSING_PART:
    case XLSX_REASON_XML:
    case XLSX_REASON_NONE:
    case XLSX_REASON_CALLBACK:
    case XLSX_REASON_MEMORY:
    default:
        return en ? "The workbook is damaged or incomplete. Open it in Excel or LibreOffice, save "
                    "it as .xlsx and upload it again."
                  : "De werkmap is beschadigd of onvolledig. Open hem in Excel of LibreOffice, "
                    "sla hem op als .xlsx en upload hem opnieuw.";
    }
}
