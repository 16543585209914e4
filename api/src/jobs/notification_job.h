/*
 * jobs/notification_job.h: the 'notification_digest' job: everything queued
 * for one organisation by notify_employer (store/notifications.h) since the
 * last digest goes out as one mail to its notification address.
 */
#ifndef PORTAL_JOBS_NOTIFICATION_JOB_H
#define PORTAL_JOBS_NOTIFICATION_JOB_H

#include "base/config.h"
#include "store/db.h"

/* Runs one digest (payload {"organisation_id": "..."}) in its own
 * transaction: takes the pending items, queues the mail (formats/
 * notification_mail.h) through the outbox, commits. An organisation without
 * a notification address has its items dropped unsent (logged).
 * PORTAL_ERR_INVALID for a bad payload; PORTAL_ERR_DATABASE (retried). */
portal_result notification_job_run(db_conn *db, const portal_config *cfg, const char *payload);

#endif
