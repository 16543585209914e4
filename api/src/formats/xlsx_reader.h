/*
 * formats/xlsx_reader.h: reads the first worksheet of an uploaded XLSX
 * workbook, row by row, without trusting the file.
 *
 * How it reads: the zip is opened with libzip (from memory or a path);
 * _rels/.rels gives the workbook part, the workbook and its rels give the
 * first visible worksheet (never assumed to be sheet1.xml), the shared
 * strings and the styles. Every part streams through expat in 64 KiB chunks
 * from zip_fread; no DOM is built. Memory held: the shared strings (capped),
 * the style table and one row.
 *
 * What a cell becomes (formats/sheet_row.h): shared strings (rich-text runs
 * joined, phonetic runs left out), inline strings and formula string
 * results are TEXT; numbers are NUMBER written with a point and at most 15
 * significant digits ("52242.28", as Excel shows them); a number whose style
 * is a date format (built-in ids 14-22, or a custom format with d or y
 * outside quotes and brackets) is a DATE "YYYY-MM-DD" (serial days, the
 * 1900 leap-year bug and the 1904 system handled; the time of day dropped;
 * serial 60, Excel's 29 February 1900, stays a NUMBER); booleans are BOOL
 * "true"/"false"; error values ERROR. Formulas are never evaluated: the value
 * the producing program cached is used, or the cell is empty. Sparse rows:
 * a cell's column comes from its r="C5" reference. The locale must be "C"
 * for numbers (the portal never calls setlocale).
 *
 * Refused, each with its own reason (and the rows already reported stand):
 * not a zip or a broken/truncated one, an OLE2 file (.xls or a
 * password-protected workbook), too many entries, a part whose declared
 * size, actual size or compression ratio passes its cap (zip bomb; the
 * bytes really read are counted, the header is not trusted), encrypted
 * entries, missing parts, any DOCTYPE or entity declaration (XXE, billion
 * laughs), malformed XML, and the row, column, cell and shared-string caps.
 *
 * A workbook made from the portal's templates (formats/batch_templates.h)
 * carries the defined name portal_template ("salary_change/1"); the reader
 * hands it back in xlsx_info.template_tag so the caller can tell an old or
 * foreign file.
 */
#ifndef PORTAL_FORMATS_XLSX_READER_H
#define PORTAL_FORMATS_XLSX_READER_H

#include <stddef.h>
#include <stdio.h>

#include "base/result.h"
#include "formats/sheet_row.h"

typedef enum {
    XLSX_REASON_NONE = 0,
    XLSX_REASON_BROKEN_ZIP,        /* not a zip, truncated, or an entry cannot be read */
    XLSX_REASON_OLE2,              /* .xls or password-protected (encrypted) workbook */
    XLSX_REASON_TOO_MANY_ENTRIES,  /* more zip entries than max_entries */
    XLSX_REASON_PART_TOO_LARGE,    /* a declared uncompressed size over max_part_bytes */
    XLSX_REASON_READ_TOO_LARGE,    /* bytes actually read over a cap or over the declared size */
    XLSX_REASON_COMPRESSION_RATIO, /* a part expands more than max_ratio times: zip bomb */
    XLSX_REASON_ENCRYPTED_ENTRY,   /* a zip entry is encrypted */
    XLSX_REASON_MISSING_PART,      /* content types, workbook, its rels or the worksheet missing */
    XLSX_REASON_DTD,               /* a DOCTYPE or entity declaration (XXE, billion laughs) */
    XLSX_REASON_XML,               /* malformed XML, or a reference that does not resolve */
    XLSX_REASON_TOO_MANY_ROWS,     /* a row number over max_rows */
    XLSX_REASON_TOO_MANY_COLUMNS,  /* a value in a column past max_columns */
    XLSX_REASON_CELL_TOO_LONG,     /* a cell text over max_cell_bytes */
    XLSX_REASON_TOO_MANY_STRINGS,  /* shared strings over max_shared_bytes */
    XLSX_REASON_CALLBACK,          /* the row callback stopped the reader */
    XLSX_REASON_MEMORY             /* allocation failed */
} xlsx_reason;

/* Caps; a zero member takes the default shown. */
typedef struct {
    size_t max_entries;      /* 1,000 zip entries */
    size_t max_part_bytes;   /* 256 MiB uncompressed per part, declared and read */
    size_t max_total_bytes;  /* 512 MiB uncompressed read over all parts */
    size_t max_ratio;        /* 200: uncompressed / compressed, for parts over 1 MiB */
    size_t max_cell_bytes;   /* 4,096 bytes of text per cell */
    size_t max_columns;      /* 64 columns (A..BL) */
    unsigned long max_rows;  /* 1,048,576 (Excel's own limit) */
    size_t max_shared_bytes; /* 64 MiB of shared string text */
} xlsx_limits;

/* What the reader learnt besides the rows. */
typedef struct {
    xlsx_reason reason;    /* why it failed; XLSX_REASON_NONE on success */
    unsigned long row;     /* the row being read when it failed, else the last row */
    char part[128];        /* the zip part being read when it failed, else "" */
    char sheet_name[128];  /* the worksheet read (truncated to fit) */
    char template_tag[64]; /* defined name portal_template, e.g. "salary_change/1"; "" if none */
    int date1904;          /* 1 when the workbook uses the 1904 date system */
} xlsx_info;

/* Reads the workbook in data[0..len) (caller-owned, unchanged, needed only
 * during the call) and reports each row of its first visible worksheet to
 * fn(ctx, row). limits may be NULL; info may be NULL. Returns PORTAL_OK,
 * PORTAL_ERR_INVALID (unreadable, unsafe or not a workbook),
 * PORTAL_ERR_TOO_LARGE (a cap), PORTAL_ERR_MEMORY, or what the callback
 * returned; info->reason says which. */
portal_result xlsx_read_buffer(const void *data, size_t len, const xlsx_limits *limits,
                               sheet_row_fn fn, void *ctx, xlsx_info *info);

/* As xlsx_read_buffer, for a file on disk (e.g. the upload's temporary
 * file); PORTAL_ERR_IO when it cannot be opened. */
portal_result xlsx_read_file(const char *path, const xlsx_limits *limits, sheet_row_fn fn,
                             void *ctx, xlsx_info *info);

/* As xlsx_read_buffer, for an open file (the upload's spool), read from
 * its start through a descriptor of its own: the sheet is streamed from the
 * file, never held whole. f stays the caller's (its position moves).
 * PORTAL_ERR_IO when it cannot be read. */
portal_result xlsx_read_stream(FILE *f, const xlsx_limits *limits, sheet_row_fn fn, void *ctx,
                               xlsx_info *info);

/* A static lower-case name of the reason for logs ("compression_ratio"). */
const char *xlsx_reason_name(xlsx_reason reason);

/* The problem for a failed read: returns 415 (OLE2: "unsupported_media_type")
 * or 422 ("file_unreadable") with *code set, or 0 for NONE, CALLBACK and
 * MEMORY (no fault of the file; the caller knows what its callback meant). */
int xlsx_reason_problem(xlsx_reason reason, const char **code);

/* A static sentence for the problem's detail saying what to do, Dutch by
 * default, English for lang "en". */
const char *xlsx_reason_detail(xlsx_reason reason, const char *lang);

#endif
