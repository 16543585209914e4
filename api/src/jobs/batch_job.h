/*
 * jobs/batch_job.h: the 'batch' job: processes a submitted collective change
 * (workflows/batches.h batch_process) in committed chunks with a resumable
 * cursor, so a worker that dies mid-batch leaves the rest to the next claim
 * of the job and no row is applied twice or by halves.
 */
#ifndef PORTAL_JOBS_BATCH_JOB_H
#define PORTAL_JOBS_BATCH_JOB_H

#include "base/config.h"
#include "store/db.h"

/* Runs the job with payload {"batch_id":"…"}; PORTAL_OK when the batch is
 * done (or not queued); another result retries later from the cursor.
 * PORTAL_ERR_INVALID for a payload without a batch id. */
portal_result batch_job_run(db_conn *db, const portal_config *cfg, const char *payload);

/* Called after the last attempt failed: the batch becomes failed, its
 * scheme lock goes and the uploader gets a mail. */
void batch_job_give_up(db_conn *db, const portal_config *cfg, const char *payload);

#endif
