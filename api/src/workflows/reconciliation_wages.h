/*
 * workflows/reconciliation_wages.h: insured wages of a reconciliation
 * uploaded as a file (CSV or XLSX, read by the batch readers), instead of
 * typed per employee.
 *
 * The file has a header row naming a BSN column ("BSN" or
 * "Burgerservicenummer") and a wage column ("Verzekerd loon", "Loon" or
 * "insured_wage"); other columns are ignored. Every following row sets the
 * insured wage of the employee with that BSN (8 digits get a leading zero,
 * as spreadsheets drop it); the wage may be written with a decimal point or
 * a decimal comma. Employees the file does not name keep their wage.
 *
 * All or nothing: every error is named at its row (required,
 * invalid_bsn, invalid_format, duplicate_in_file, employee_unknown, and
 * column_missing on the header) and nothing is applied while any row is
 * wrong, so the employer corrects the file and sends it again; setting a
 * wage by BSN twice changes nothing, so sending the whole file again is
 * safe. Rights and state as an employee change (reconciliation; open).
 */
#ifndef PORTAL_WORKFLOWS_RECONCILIATION_WAGES_H
#define PORTAL_WORKFLOWS_RECONCILIATION_WAGES_H

#include <stddef.h>

#include <jansson.h>

#include "workflows/workflow.h"

#define RECON_WAGE_FILE_MAX_BYTES (20LL * 1024 * 1024) /* as a batch file */
#define RECON_WAGE_FILE_MAX_ROWS 100001UL              /* the header and 100,000 employees */
#define RECON_WAGE_ERRORS_LISTED 1000                  /* errors named in one answer */

/* The uploaded file, whole in memory (borrowed). */
typedef struct {
    const void *data;
    size_t len;
    int xlsx; /* 1: XLSX, 0: CSV (the caller sniffed it) */
} recon_wage_file;

/*
 * recon_wages_upload -- applies the wage file to reconciliation id in one
 * transaction (the caller's when it holds one). PORTAL_OK with *json
 * {"rows": n, "updated": n} (malloc'd). With wrong rows
 * PORTAL_ERR_INVALID "wage_file_invalid", the first errors in o and all of
 * them (at most RECON_WAGE_ERRORS_LISTED; {"row", "column", "field",
 * "code", "message"}) in *errors (caller decrefs) with their number in
 * *error_count; an unreadable file PORTAL_ERR_INVALID "file_unreadable"
 * with a detail; the usual 404/403/409 otherwise.
 */
PORTAL_MUST_USE portal_result recon_wages_upload(db_conn *db, const portal_actor *actor,
                                                 const char *id, const recon_wage_file *in,
                                                 portal_outcome *o, char **json, json_t **errors,
                                                 size_t *error_count);

#endif
