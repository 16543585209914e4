/*
 * store/reconciliation_reminders.h: the SQL of the reminder mails before a
 * reconciliation's deadline (migration 0017): which open reconciliations
 * are due within a number of days, claiming one reminder exactly once, and
 * who receives it.
 *
 * Runs in the caller's transaction when one is open. Failures:
 * PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY.
 */
#ifndef PORTAL_STORE_RECONCILIATION_REMINDERS_H
#define PORTAL_STORE_RECONCILIATION_REMINDERS_H

#include <stddef.h>

#include "base/caller.h"
#include "store/db.h"

#define RECON_REMINDERS_BATCH 500 /* reconciliations looked at per round */

/* An open reconciliation whose deadline is near. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char scheme_id[PORTAL_ID_LEN];
    char deadline[12]; /* YYYY-MM-DD */
    int year;
    int days_left;
    char scheme_name[200];
    char organisation_name[200];
    char notification_email[320]; /* "" when none */
} recon_reminder_due;

/* Someone who receives a reminder. */
typedef struct {
    char email[320];
    char first_name[128];
    char language[4];
} recon_reminder_recipient;

/* The open reconciliations with a deadline from today (YYYY-MM-DD) to
 * today + max_days, in order of deadline and id after `after` (NULL: from
 * the first), at most max, into out (caller-owned) and *n. */
portal_result recon_store_reminders_due(db_conn *db, const char *today, int max_days,
                                        const recon_reminder_due *after, recon_reminder_due *out,
                                        size_t max, size_t *n);

/* Records the reminder days_before for the reconciliation's deadline;
 * *claimed = 1 when this call recorded it, 0 when it was sent before for
 * this deadline or a later one (so a deadline moved later arms it again,
 * one moved earlier does not). */
portal_result recon_store_reminder_claim(db_conn *db, const char *id, int days_before,
                                         const char *deadline, int *claimed);

/* The active users of the organisation with a right that edits and hands
 * in reconciliations and access to the scheme (all schemes, or this one
 * among theirs), at most max, into out (caller-owned) and *n. */
portal_result recon_store_reminder_recipients(db_conn *db, const char *organisation_id,
                                              const char *scheme_id, recon_reminder_recipient *out,
                                              size_t max, size_t *n);

#endif
