/*
 * formats/csv_reader.h: a streaming RFC 4180 reader for uploaded CSV files.
 *
 * The body is fed in chunks of any size (a chunk may end anywhere, even
 * inside a quoted field or a UTF-8 sequence), so a 20 MiB upload never has
 * to be whole in memory; the reader keeps one row (bounded by the caps).
 *
 * - Separator ';' or ',': decided from the header line (the first record),
 *   whichever occurs more often outside quotes (',' on a tie or when
 *   neither occurs).
 * - UTF-8 with or without a byte order mark. Bytes that are not UTF-8
 *   (typically Windows-1252 from "CSV (comma delimited)" in Excel) stop the
 *   reader with CSV_REASON_NOT_UTF8, so the API can say "save as CSV UTF-8";
 *   a NUL byte stops it with CSV_REASON_BINARY.
 * - Quoted fields may hold separators, doubled quotes and line breaks. A
 *   quote inside an unquoted field is kept as a character; text after a
 *   closing quote (`"ab"c`) is CSV_REASON_MALFORMED, as is a quote left open
 *   at the end. Line ends CRLF, LF or a lone CR.
 * - Cells are text as written: "=SUM(A1)" stays the text "=SUM(A1)".
 * - Each record goes to the callback as a sheet_row (formats/sheet_row.h),
 *   numbered from 1 (the header); records whose cells are all empty are
 *   counted but not reported.
 *
 * Failure: csv_reader_feed and csv_reader_finish return PORTAL_ERR_INVALID
 * (not UTF-8, NUL byte, malformed quotes), PORTAL_ERR_TOO_LARGE (a cap),
 * PORTAL_ERR_MEMORY, or whatever the callback returned; csv_reader_reason
 * then says which, and csv_reader_row the record where it happened. After a
 * failure further feeds return the same result.
 */
#ifndef PORTAL_FORMATS_CSV_READER_H
#define PORTAL_FORMATS_CSV_READER_H

#include <stddef.h>
#include <stdio.h>

#include "base/result.h"
#include "domain/civil_date.h"
#include "formats/sheet_row.h"

typedef enum {
    CSV_REASON_NONE = 0,
    CSV_REASON_NOT_UTF8,         /* bytes that are not UTF-8: "save as CSV UTF-8" */
    CSV_REASON_BINARY,           /* a NUL byte: not a text file */
    CSV_REASON_MALFORMED,        /* text after a closing quote, or an unclosed quote */
    CSV_REASON_FIELD_TOO_LONG,   /* a cell longer than max_field_bytes */
    CSV_REASON_TOO_MANY_COLUMNS, /* a record with more than max_columns cells */
    CSV_REASON_TOO_MANY_ROWS,    /* more than max_rows records */
    CSV_REASON_CALLBACK,         /* the row callback stopped the reader */
    CSV_REASON_MEMORY            /* allocation failed */
} csv_reason;

/* Caps; a zero member takes the default shown. */
typedef struct {
    size_t max_field_bytes; /* 4096 */
    size_t max_columns;     /* 64 */
    unsigned long max_rows; /* 1,048,576 records, the header included */
} csv_limits;

typedef struct csv_reader csv_reader;

/* Creates a reader that reports rows to fn(ctx, row). limits may be NULL
 * (defaults). *out is NULL on failure (PORTAL_ERR_MEMORY). The caller frees
 * it with csv_reader_free. */
portal_result csv_reader_new(const csv_limits *limits, sheet_row_fn fn, void *ctx,
                             csv_reader **out);

/* Feeds the next len bytes (data may be NULL when len is 0). */
portal_result csv_reader_feed(csv_reader *r, const void *data, size_t len);

/* Ends the input: reports the last record (which needs no line end). */
portal_result csv_reader_finish(csv_reader *r);

/* Why the last call failed (CSV_REASON_NONE when it did not). */
csv_reason csv_reader_reason(const csv_reader *r);

/* The record number (1 = header) being read when the reader failed, or the
 * number of records read so far. */
unsigned long csv_reader_row(const csv_reader *r);

/* The separator in use: ';' or ',', or 0 while the header line is open. */
char csv_reader_separator(const csv_reader *r);

/* Frees r (NULL is fine). */
void csv_reader_free(csv_reader *r);

/* A static lower-case name of the reason for logs ("not_utf8"). */
const char *csv_reason_name(csv_reason reason);

/* The problem for a failed read: 422 with *code "file_unreadable" for
 * every reason but NONE, CALLBACK and MEMORY, which are no fault of the
 * file (0, *code NULL: the caller answers as it would for its own error). */
int csv_reason_problem(csv_reason reason, const char **code);

/* A static sentence for the problem's detail saying what to do, Dutch by
 * default, English for lang "en" (NOT_UTF8: "save as CSV UTF-8"). */
const char *csv_reason_detail(csv_reason reason, const char *lang);

/* Convenience: reads a whole buffer (feed + finish). *reason and *row may
 * be NULL. Same results as feeding. */
portal_result csv_read_buffer(const void *data, size_t len, const csv_limits *limits,
                              sheet_row_fn fn, void *ctx, csv_reason *reason, unsigned long *row);

/* Convenience: reads an open file from its start (the upload's spool) in
 * blocks of CSV_STREAM_BLOCK bytes, so no more than one block and one row
 * are in memory. f stays the caller's. Same results as feeding, plus
 * PORTAL_ERR_IO (reason NONE) when the file cannot be read. */
#define CSV_STREAM_BLOCK 65536
portal_result csv_read_stream(FILE *f, const csv_limits *limits, sheet_row_fn fn, void *ctx,
                              csv_reason *reason, unsigned long *row);

/* Turns a decimal written with a decimal comma into one with a point, for
 * cells of a ';'-separated file: "52242,28" -> "52242.28", "52.242,28" ->
 * "52242.28" (points as thousands separators, in groups of three, only
 * when there is a comma). Text without a comma is copied as it is. Writes a
 * NUL-terminated result into out (caller-owned, size bytes). Returns
 * PORTAL_ERR_INVALID for more than one comma or misplaced thousands
 * points, PORTAL_ERR_TOO_LARGE when out is too small; out is then "". It
 * does not check that the rest is a number: domain/decimal.h does. */
portal_result csv_decimal_comma_to_point(const char *text, size_t len, char *out, size_t size);

/* Parses a date cell written as YYYY-MM-DD or DD-MM-YYYY (also D-M-YYYY and
 * with '/' instead of '-'), surrounding spaces ignored. Returns
 * PORTAL_ERR_INVALID for any other shape or a date that does not exist;
 * *out is left untouched then. */
portal_result csv_parse_date(const char *text, size_t len, civil_date *out);

#endif
