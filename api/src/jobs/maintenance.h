/*
 * jobs/maintenance.h: the housekeeping every instance's workers do every
 * MAINTENANCE_INTERVAL seconds (and `portal-api maintenance` does once):
 *   - exports past their expiry become 'expired' and their files are deleted;
 *   - idempotency keys older than MAINTENANCE_IDEMPOTENCY_HOURS are dropped
 *     (a retry later than that is a new request);
 *   - sign-in and message counters idle for longer than any of their windows
 *     are dropped;
 *   - sign-in unlock links expired, and known clients unseen, for more than
 *     THROTTLE_SIGNIN_RECORD_DAYS (30) days are dropped;
 *   - reminder mails go out before reconciliation deadlines
 *     (workflows/reconciliation_reminders.h), with the days configured by
 *     maintenance_configure.
 * Every step is idempotent, so instances running it at the same time only
 * repeat each other's work.
 */
#ifndef PORTAL_JOBS_MAINTENANCE_H
#define PORTAL_JOBS_MAINTENANCE_H

#include <time.h>

#include "base/config.h"
#include "store/db.h"

#define MAINTENANCE_INTERVAL 600
#define MAINTENANCE_IDEMPOTENCY_HOURS 24

typedef struct {
    long long exports_expired;
    long long idempotency_keys;
    long long throttle_counters;
    long long signin_unlocks;
    long long signin_known_clients;
    long long batch_locks; /* scheme locks whose batch died */
    long long reconciliation_reminders;
} maintenance_counts;

/* Copies what the steps need from the configuration (the reminder days and
 * the portal's address); call once before maintenance_run, before any
 * worker starts. Without it no reminders are sent. */
void maintenance_configure(const portal_config *cfg);

/* Runs every step on db (outside a transaction), each on its own; fills
 * *counts (may be NULL) with what each removed. Returns the first failure
 * after trying every step. */
portal_result maintenance_run(db_conn *db, maintenance_counts *counts);

/* 1 for exactly one caller once MAINTENANCE_INTERVAL seconds have passed
 * since the last time it answered 1 (the first call answers 1); 0 else.
 * Thread-safe. */
int maintenance_due(time_t now);

#endif
