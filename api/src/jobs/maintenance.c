/* jobs/maintenance.c: see maintenance.h. */
#include "jobs/maintenance.h"

#include <stdatomic.h>
#include <stdio.h>

#include "base/interval.h"
#include "base/log.h"
#include "store/batches.h"
#include "store/exports.h"
#include "store/idempotency.h"
#include "store/retention.h"
#include "store/throttle.h"
#include "workflows/reconciliation_reminders.h"

static atomic_llong maintenance_next_at;

/* The reminder settings, copied by maintenance_configure before the workers
 * start and only read afterwards. */
static struct {
    int days[CONFIG_MAX_REMINDERS];
    size_t n_days;
    char public_url[512];
} maintenance_reminders;

void maintenance_configure(const portal_config *cfg)
{
    size_t n = 0;
    for (int i = 0; i < cfg->reconciliation_reminder_count && i < CONFIG_MAX_REMINDERS; i++)
        maintenance_reminders.days[n++] = cfg->reconciliation_reminder_days[i];
    maintenance_reminders.n_days = n;
    snprintf(maintenance_reminders.public_url, sizeof maintenance_reminders.public_url, "%s",
             cfg->public_url);
}

int maintenance_due(time_t now)
{
    return interval_claim(&maintenance_next_at, now, MAINTENANCE_INTERVAL);
}

portal_result maintenance_run(db_conn *db, maintenance_counts *counts)
{
    maintenance_counts c = {0, 0, 0, 0, 0, 0, 0};
    portal_result first = PORTAL_OK, rc;
    rc = exports_expire(db, &c.exports_expired);
    if (first == PORTAL_OK)
        first = rc;
    rc = store_idempotency_purge_older_than(db, MAINTENANCE_IDEMPOTENCY_HOURS, &c.idempotency_keys);
    if (first == PORTAL_OK)
        first = rc;
    rc = throttle_purge_idle(db, &c.throttle_counters);
    if (first == PORTAL_OK)
        first = rc;
    long long limited = 0, pseudonymised = 0;
    rc = retention_run(db, &limited, &pseudonymised);
    if (first == PORTAL_OK)
        first = rc;
    if (limited || pseudonymised)
        log_info("event=retention participants_limited=%lld participants_pseudonymised=%lld",
                 limited, pseudonymised);
    rc = throttle_purge_signin_records(db, &c.signin_unlocks, &c.signin_known_clients);
    if (first == PORTAL_OK)
        first = rc;
    rc = batches_release_dead_locks(db, &c.batch_locks);
    if (first == PORTAL_OK)
        first = rc;
    if (c.batch_locks)
        log_warning("event=batch_locks_released count=%lld", c.batch_locks);
    recon_reminder_settings reminders = {maintenance_reminders.days, maintenance_reminders.n_days,
                                         maintenance_reminders.public_url};
    rc = recon_send_reminders(db, &reminders, time(NULL), &c.reconciliation_reminders);
    if (first == PORTAL_OK)
        first = rc;
    if (c.exports_expired || c.idempotency_keys || c.throttle_counters || c.signin_unlocks ||
        c.signin_known_clients)
        log_info("event=maintenance exports_expired=%lld idempotency_keys=%lld"
                 " throttle_counters=%lld signin_unlocks=%lld signin_known_clients=%lld",
                 c.exports_expired, c.idempotency_keys, c.throttle_counters, c.signin_unlocks,
                 c.signin_known_clients);
    if (first != PORTAL_OK)
        log_warning("event=maintenance_failed error=%s", portal_result_name(first));
    if (counts)
        *counts = c;
    return first;
}
