/*
 * formats/recon_specification.h: the specification of a processed
 * reconciliation (seed 002 §22: "de berekening van de definitieve premie"
 * and "het overzicht met de lonen en premie per werknemer") as PDF (cairo
 * and pango) and XLSX (libxlsxwriter through formats/xlsx_export.h).
 *
 * Both are written line by line: the PDF surface writes each finished page
 * to the caller's FILE and keeps one text layout for every cell; the XLSX
 * goes through the constant-memory workbook. So 10,000 employees cost no
 * more memory than ten. Figures come in as the decimal strings PostgreSQL
 * gives ("41000.00"); the PDF shows them in the reader's language
 * ("41.000,00" in Dutch, "41,000.00" in English). No I/O besides the
 * caller's file; no clock.
 */
#ifndef PORTAL_FORMATS_RECON_SPECIFICATION_H
#define PORTAL_FORMATS_RECON_SPECIFICATION_H

#include <stdio.h>

#include "base/result.h"
#include "formats/xlsx_export.h"

/* What the first page states (strings borrowed; NULL: not applicable). */
typedef struct {
    const char *lang; /* "nl" or "en" */
    const char *organisation_name;
    const char *scheme_number;
    const char *scheme_name;
    int year;
    const char *variant; /* stop_loss | no_claim */
    const char *policy_start;
    const char *premium_rate;
    const char *provisional_premium;
    const char *wage_cap;
    const char *own_risk_percentage;
    const char *own_risk_amount;
    const char *continued_pay_percentage;
    const char *maximum_reimbursement;
    const char *capped_wage_total;
    const char *definitive_premium;
    const char *settlement;
    const char *own_risk;      /* stop-loss only */
    const char *sick_pay_cost; /* stop-loss only */
    const char *reimbursement; /* stop-loss only */
    long long employee_count;
} recon_spec_header;

/* One employee's line (strings borrowed). */
typedef struct {
    const char *display_name;
    const char *birth_date;
    const char *days;
    const char *insured_wage;
    const char *prorated_cap;
    const char *capped_wage;
    const char *premium;
} recon_spec_line;

typedef struct recon_spec_pdf recon_spec_pdf;

/* Starts the PDF on out (borrowed; written as pages finish) with the
 * calculation page and the table heading. *pdf is NULL on failure
 * (PORTAL_ERR_MEMORY, PORTAL_ERR_IO). */
portal_result recon_spec_pdf_open(FILE *out, const recon_spec_header *h, recon_spec_pdf **pdf);

/* Adds one table row, starting a new page when the page is full. */
portal_result recon_spec_pdf_line(recon_spec_pdf *pdf, const recon_spec_line *line);

/* Finishes the document and frees pdf (also after an error). PORTAL_ERR_IO
 * when cairo reports a write error. */
portal_result recon_spec_pdf_close(recon_spec_pdf *pdf);

/* Starts the XLSX at path (one sheet of lines with keys and titles).
 * *x is NULL on failure. */
portal_result recon_spec_xlsx_open(const char *path, const char *lang, xlsx_export **x);

/* Adds one row. */
portal_result recon_spec_xlsx_line(xlsx_export *x, const recon_spec_line *line);

/* Finishes the workbook and frees x. */
portal_result recon_spec_xlsx_close(xlsx_export *x);

/* money as text for people: "-819.28" gives "-819,28" (nl) or "-819.28"
 * (en), thousands grouped ("41.000,00" / "41,000.00"). NULL or "" gives
 * "-". Always NUL-terminates out (size >= 2). */
void recon_spec_amount(const char *money, const char *lang, char *out, size_t size);

/* Releases the font configuration (at shutdown, after every document is
 * finished: no PDF may be open). */
void recon_spec_shutdown(void);

#endif
