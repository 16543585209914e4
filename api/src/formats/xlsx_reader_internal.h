/* formats/xlsx_reader_internal.h: what the parts of the XLSX reader share,
 * not for callers outside formats/xlsx_reader*.c (they use xlsx_reader.h).
 * xlsx_reader.c holds the entry points and the walk to the sheet;
 * xlsx_reader_zip.c the zip guards, the part streaming and the helpers
 * below; xlsx_reader_parts.c the relationships, workbook, styles and shared
 * strings; xlsx_reader_sheet.c the worksheet. */
#ifndef PORTAL_FORMATS_XLSX_READER_INTERNAL_H
#define PORTAL_FORMATS_XLSX_READER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <expat.h>
#include <zip.h>

#include "base/buf.h"
#include "formats/xlsx_reader.h"

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

/* The state of one read: the limits, the caller's callback and info, the
 * tables of the parts read so far and the row being collected. Lives on
 * the stack of xlsx_run, which allocates and frees every table. */
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

/* ---- helpers (xlsx_reader_zip.c) ---- */

/* Records the first failure and stops the parser, if one runs. */
void xlsx_fail(xlsx_reader *x, xlsx_reason reason, portal_result rc);

/* The local part of an expat namespace-qualified name. */
const char *xlsx_local(const char *name);

/* The value of attribute `local` (any namespace), or NULL. */
const char *xlsx_attr(const char **atts, const char *local);

/* Copies src into dst[size], truncating; always NUL-terminated. */
void xlsx_copy(char *dst, size_t size, const char *src);

/* ---- zip guards and streaming (xlsx_reader_zip.c) ---- */

/* Checks every entry's header: count, encryption, declared size, ratio.
 * Failures go to xlsx_fail. */
void xlsx_check_entries(xlsx_reader *x);

/* Streams one part through expat as `kind`. A missing part is
 * XLSX_REASON_MISSING_PART when required, else quietly skipped. Failures
 * go to xlsx_fail; does nothing once one is recorded. */
void xlsx_parse_part(xlsx_reader *x, const char *name, xlsx_part_kind kind, int required);

/* ---- parts before the sheet (xlsx_reader_parts.c): expat handlers ---- */

void xlsx_rels_start(xlsx_reader *x, const char *el, const char **atts);
void xlsx_workbook_start(xlsx_reader *x, const char *el, const char **atts);
void xlsx_workbook_end(xlsx_reader *x, const char *el);
void xlsx_styles_start(xlsx_reader *x, const char *el, const char **atts);
void xlsx_styles_end(xlsx_reader *x, const char *el);
void xlsx_sst_start(xlsx_reader *x, const char *el);
void xlsx_sst_end(xlsx_reader *x, const char *el);

/* ---- the worksheet (xlsx_reader_sheet.c): expat handlers ---- */

/* Appends to the current row's text, within the cell cap. */
void xlsx_row_append(xlsx_reader *x, const char *s, size_t len);
void xlsx_sheet_start(xlsx_reader *x, const char *el, const char **atts);
void xlsx_sheet_end(xlsx_reader *x, const char *el);

#endif
