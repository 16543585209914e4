/*
 * formats/batch_templates.h: the downloadable templates for collective
 * changes (DESIGN §4.4), as XLSX (libxlsxwriter) and CSV.
 *
 * Salary change XLSX: one sheet, row 1 the labels (Dutch or English),
 * from row 2 one participant per row; columns A-E (number, name, birth
 * date, salary, part-time percentage) are locked and F-G (new salary, new
 * part-time percentage) are the only unlocked cells of the protected sheet
 * (no password: protection guides, it does not secure). F must be a decimal
 * >= 0, G a decimal 0-100 (data validation); money shows as #,##0.00,
 * percentages as 0.00, dates as dd-mm-yyyy; the header row is frozen.
 *
 * New participants XLSX: the same header style, row 2 an example row
 * (which the upload ignores when left untouched), date validation on the
 * birth and start dates, a male/female/unknown list on gender, decimals on
 * salary and percentage, text format on number, BSN, house number and postal
 * code (leading zeros survive). Not protected.
 *
 * Both carry the workbook-level defined name portal_template, e.g.
 * "salary_change/1" (sheet_template_name + "/" + SHEET_TEMPLATE_VERSION),
 * which formats/xlsx_reader.h reports as xlsx_info.template_tag.
 *
 * CSV forms: header row of keys, comma-separated, CRLF, UTF-8 without BOM,
 * formula-like text neutralised (formats/csv.h).
 *
 * Values come as the strings PostgreSQL gives (decimals with a point, dates
 * YYYY-MM-DD); NULL is empty; a value that does not parse as its column's
 * kind is written as text. Rows and their strings are the caller's and are
 * only read during the call. Output goes to a file_sink (see
 * formats/file_sink.h for the temporary file the XLSX passes through).
 * Failure: PORTAL_ERR_IO (temporary file or libxlsxwriter), PORTAL_ERR_MEMORY,
 * PORTAL_ERR_TOO_LARGE (sink buffer cap, or more rows than a sheet holds).
 */
#ifndef PORTAL_FORMATS_BATCH_TEMPLATES_H
#define PORTAL_FORMATS_BATCH_TEMPLATES_H

#include <stddef.h>

#include "base/result.h"
#include "formats/file_sink.h"

typedef struct {
    const char *participant_number;
    const char *display_name;
    const char *birth_date;          /* YYYY-MM-DD */
    const char *salary;              /* decimal with a point */
    const char *parttime_percentage; /* decimal 0..100 */
} batch_salary_row;

/* The 17 new-participant columns, in template order. */
typedef struct {
    const char *participant_number, *first_name, *initials, *surname_prefix, *surname;
    const char *birth_date, *gender, *bsn, *email, *street, *house_number, *postal_code;
    const char *city, *country, *start_date, *salary, *parttime_percentage;
} batch_new_participant_row;

/* The built-in example row (static): a made-up person with a valid test
 * BSN. Compare an uploaded row 2 with it to see if it was left untouched. */
const batch_new_participant_row *batch_template_example(void);

/* Writes the salary-change workbook for rows[0..n) in lang ("nl" default,
 * "en") to sink. */
portal_result batch_template_salary_xlsx(const batch_salary_row *rows, size_t n, const char *lang,
                                         const file_sink *sink);

/* Writes the new-participants workbook with example as row 2 (NULL: the
 * built-in example) to sink. */
portal_result batch_template_new_participants_xlsx(const batch_new_participant_row *example,
                                                   const char *lang, const file_sink *sink);

/* The CSV form of the salary-change template (keys header, then rows; the
 * new_* columns empty). */
portal_result batch_template_salary_csv(const batch_salary_row *rows, size_t n,
                                        const file_sink *sink);

/* The CSV form of the new-participants template: keys header and the
 * example row (NULL: the built-in one). */
portal_result batch_template_new_participants_csv(const batch_new_participant_row *example,
                                                  const file_sink *sink);

#endif
