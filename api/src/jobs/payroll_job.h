/*
 * jobs/payroll_job.h: the 'payroll_period' job: processes a large payroll
 * period snapshot (workflows/payroll_periods.h wf_payroll_process) that
 * the PUT answered with 202. The whole revision is one transaction, so a
 * worker that dies leaves nothing half applied and the next claim starts
 * it again.
 */
#ifndef PORTAL_JOBS_PAYROLL_JOB_H
#define PORTAL_JOBS_PAYROLL_JOB_H

#include "base/config.h"
#include "store/db.h"

/* Runs the job with payload {"period_id":"…","revision":N}; PORTAL_OK when
 * done (or superseded by a newer revision); another result retries later.
 * PORTAL_ERR_INVALID for a payload without them. */
portal_result payroll_job_run(db_conn *db, const portal_config *cfg, const char *payload);

/* Called after the last attempt failed: the period becomes failed, so the
 * payroll software sees it and may send it again. */
void payroll_job_give_up(db_conn *db, const portal_config *cfg, const char *payload);

#endif
