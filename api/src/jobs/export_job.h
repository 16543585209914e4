/*
 * jobs/export_job.h: the 'export' job: builds an export's file from the
 * as-of query (SQL function portal_export_rows, migration 0005) and stores
 * it in export_chunks. CSV comes straight from COPY ... TO STDOUT (its line
 * ends turned into CRLF for RFC 4180); XLSX is written from a cursor with
 * libxlsxwriter in constant-memory mode. Neither holds all rows in memory.
 */
#ifndef PORTAL_JOBS_EXPORT_JOB_H
#define PORTAL_JOBS_EXPORT_JOB_H

#include "base/config.h"
#include "store/db.h"

/* Runs an export job with payload {"export_id":"…"}. On a failure that a
 * retry cannot mend the export is marked failed and PORTAL_OK returned. */
portal_result export_job_run(db_conn *db, const portal_config *cfg, const char *payload);

/* Turns LF line ends outside quoted fields into CRLF, across calls (state
 * carries the in-quotes flag). Appends to out; counts finished lines. */
portal_result export_csv_crlf(const char *in, size_t len, int *in_quotes, char *out,
                              size_t out_size, size_t *out_len, long long *lines);

#endif
