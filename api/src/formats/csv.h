/*
 * formats/csv.h: RFC 4180 CSV for software: comma separated, CRLF line ends,
 * fields quoted when they hold a comma, quote, CR or LF, UTF-8 as given.
 *
 * Text cells that a spreadsheet would run as a formula (starting with = + -
 * @, a tab or a carriage return) are neutralised with a leading apostrophe,
 * so a hostile name like "=HYPERLINK(...)" stays text when someone opens the
 * file in Excel. Numbers and dates are written as they are.
 */
#ifndef PORTAL_FORMATS_CSV_H
#define PORTAL_FORMATS_CSV_H

#include "base/buf.h"

/* 1 when a text value must be neutralised against formula injection. */
int csv_is_formula_like(const char *value);

/* Appends one field (with its separator unless first) to out. is_text
 * fields are neutralised when formula-like; NULL is an empty field. */
portal_result csv_append_field(buf *out, const char *value, int first, int is_text);

/* Ends the row (CRLF). */
portal_result csv_end_row(buf *out);

#endif
