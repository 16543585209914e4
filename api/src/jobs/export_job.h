/*
 * jobs/export_job.h: the 'export' job: builds an export's file from the
 * as-of query (SQL function portal_export_rows, migration 0005) and stores
 * it in export_chunks. Both formats are written from one cursor over the
 * query, its parameters bound: CSV (RFC 4180, CRLF) in chunks as it goes,
 * XLSX with libxlsxwriter in constant-memory mode. Neither holds all rows in
 * memory.
 */
#ifndef PORTAL_JOBS_EXPORT_JOB_H
#define PORTAL_JOBS_EXPORT_JOB_H

#include "base/config.h"
#include "store/db.h"

/* Runs an export job with payload {"export_id":"…"}. On a failure that a
 * retry cannot mend the export is marked failed and PORTAL_OK returned. */
portal_result export_job_run(db_conn *db, const portal_config *cfg, const char *payload);

/* Called when the export job's last attempt has failed: marks the export
 * failed so its history shows it and nobody waits for it. Changes nothing
 * when the payload names no pending export. */
void export_job_give_up(db_conn *db, const portal_config *cfg, const char *payload);

#endif
