/*
 * jobs/reconciliation_job.h: the 'reconciliation' job queued when an
 * employer hands a reconciliation in: computes it through the workflow
 * (workflows/reconciliations.h, recon_process).
 */
#ifndef PORTAL_JOBS_RECONCILIATION_JOB_H
#define PORTAL_JOBS_RECONCILIATION_JOB_H

#include "base/config.h"
#include "store/db.h"

/* Runs one job (payload {"reconciliation_id": "...", "version": n}).
 * PORTAL_ERR_INVALID for a bad payload; otherwise recon_process's result
 * (PORTAL_ERR_DATABASE is retried by the worker). */
portal_result reconciliation_job_run(db_conn *db, const portal_config *cfg, const char *payload);

#endif
