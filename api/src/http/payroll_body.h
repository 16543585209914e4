/*
 * http/payroll_body.h: reading the body of PUT
 * /api/v1/schemes/{id}/payroll-periods/{period} (DESIGN.md §4.7) into the
 * canonical rows the payroll workflow takes: a JSON array of objects whose
 * values are non-empty strings, keys as in the API with the address
 * flattened (street, house_number, postal_code, city, country).
 *
 * Accepted bodies: application/json {"employments":[…]} (the address as an
 * object), text/csv with the keys as header (comma or semicolon; in a
 * semicolon file decimals may use a decimal comma, dates may be DD-MM-YYYY)
 * up to 1 MiB, or either as the 'file' part of multipart/form-data up to
 * the route's upload limit (large periods).
 */
#ifndef PORTAL_HTTP_PAYROLL_BODY_H
#define PORTAL_HTTP_PAYROLL_BODY_H

#include <jansson.h>
#include <ulfius.h>

#include "http/context.h"

#define PAYROLL_BODY_UPLOAD_MIB 20
#define PAYROLL_BODY_MAX_ROWS 100000

/*
 * http_payroll_body -- reads the body into *rows (kept by ctx: the request
 * frees it). Returns HTTP_GO_ON, or HTTP_ANSWERED after answering 415
 * (another content type), 413 (too large), 400 invalid_request (malformed
 * JSON, no employments array, a value that is not a string, an unknown CSV
 * column, no bsn column, more than PAYROLL_BODY_MAX_ROWS rows; each with
 * the JSON pointer or column) or 422 file_unreadable (a CSV that is not
 * UTF-8 or has broken quotes).
 */
http_step http_payroll_body(const struct _u_request *request, struct _u_response *response,
                            http_ctx *ctx, json_t **rows);

#endif
