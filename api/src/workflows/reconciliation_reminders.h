/*
 * workflows/reconciliation_reminders.h: the reminder mails a set number of
 * days before a reconciliation's deadline (PORTAL_RECONCILIATION_REMINDER_DAYS,
 * 14 and 3 by default), sent by the housekeeping (jobs/maintenance.c).
 *
 * For each open reconciliation whose deadline is at most the largest
 * setting away (and not past), the reminder that applies is the smallest
 * setting not below the days left: so at 14 days the 14-day reminder goes,
 * at 3 the 3-day one, and a reconciliation opened 10 days before its
 * deadline gets the 14-day one at once. Each reminder goes once per
 * deadline (migration 0017: extending the deadline arms them again), in one
 * transaction with its mails (store/outbox.h), to every active user of the
 * employer with a right that edits and hands in reconciliations (in their
 * language) and to the organisation's notification address (in Dutch).
 * Handed-in reconciliations get none.
 */
#ifndef PORTAL_WORKFLOWS_RECONCILIATION_REMINDERS_H
#define PORTAL_WORKFLOWS_RECONCILIATION_REMINDERS_H

#include <stddef.h>
#include <time.h>

#include "store/db.h"

/* What the reminders need from the configuration (borrowed). */
typedef struct {
    const int *days; /* days before the deadline, any order */
    size_t n_days;
    const char *public_url; /* the portal's address, for the link */
} recon_reminder_settings;

/* Sends the reminders due at `now` on db (outside a transaction); *sent
 * (may be NULL) gets the number of reminders (not mails) sent. Each
 * reconciliation in its own transaction; returns the first failure after
 * trying them all. */
portal_result recon_send_reminders(db_conn *db, const recon_reminder_settings *s, time_t now,
                                   long long *sent);

#endif
