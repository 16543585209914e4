/* workflows/reconciliation_reminders.c: see reconciliation_reminders.h. */
#include "workflows/reconciliation_reminders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "domain/civil_date.h"
#include "formats/mail_templates.h"
#include "store/outbox.h"
#include "store/reconciliation_reminders.h"
#include "workflows/reconciliations_internal.h"

#define RECON_REMINDER_RECIPIENTS 200 /* users mailed per reconciliation */

/* The setting that applies with days_left to go: the smallest not below
 * it, or -1 when none does. */
static int recon_reminder_applies(const recon_reminder_settings *s, int days_left)
{
    int best = -1;
    for (size_t i = 0; i < s->n_days; i++)
        if (s->days[i] >= days_left && (best < 0 || s->days[i] < best))
            best = s->days[i];
    return best;
}

/* Queues the mails of one reminder in the open transaction; *count gets
 * how many. */
static portal_result recon_reminder_mails(db_conn *db, const recon_reminder_settings *s,
                                          const recon_reminder_due *d, int *count)
{
    *count = 0;
    recon_reminder_recipient *to = calloc(RECON_REMINDER_RECIPIENTS, sizeof *to);
    if (!to)
        return PORTAL_ERR_MEMORY;
    size_t n = 0;
    char link[700];
    snprintf(link, sizeof link, "%s/reconciliations/%s", s->public_url ? s->public_url : "", d->id);
    portal_result rc = recon_store_reminder_recipients(db, d->organisation_id, d->scheme_id, to,
                                                       RECON_REMINDER_RECIPIENTS, &n);
    mail_text text;
    for (size_t i = 0; rc == PORTAL_OK && i <= n; i++) {
        const char *address = i < n ? to[i].email : d->notification_email;
        if (!address[0])
            continue;
        rc = mail_reconciliation_reminder(i < n ? to[i].language : "nl",
                                          i < n ? to[i].first_name : d->organisation_name, d->year,
                                          d->scheme_name, d->deadline, d->days_left, link, &text);
        if (rc == PORTAL_OK)
            rc = outbox_mail(db, address, &text);
        if (rc == PORTAL_OK)
            (*count)++;
    }
    free(to);
    return rc;
}

/* Sends the reminder of one reconciliation, when one applies and was not
 * sent, in its own transaction. *sent is 1 when it went. */
static portal_result recon_reminder_one(db_conn *db, const recon_reminder_settings *s,
                                        const recon_reminder_due *d, int *sent)
{
    *sent = 0;
    int days_before = recon_reminder_applies(s, d->days_left);
    if (days_before < 0)
        return PORTAL_OK;
    int claimed = 0, mails = 0;
    portal_result rc = db_begin(db);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_reminder_claim(db, d->id, days_before, d->deadline, &claimed);
    if (rc == PORTAL_OK && claimed)
        rc = recon_reminder_mails(db, s, d, &mails);
    if (rc == PORTAL_OK && claimed) {
        recon_head h;
        memset(&h, 0, sizeof h);
        snprintf(h.id, sizeof h.id, "%s", d->id);
        snprintf(h.organisation_id, sizeof h.organisation_id, "%s", d->organisation_id);
        portal_actor system = {.caller = NULL, .client_address = "", .request_id = ""};
        json_t *changes = json_pack("{s:i, s:s, s:i}", "days_before", days_before, "deadline",
                                    d->deadline, "mails", mails);
        rc = changes ? recon_audit(db, &system, "reconciliation.reminder_sent", &h, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        return rc;
    }
    *sent = claimed;
    return PORTAL_OK;
}

portal_result recon_send_reminders(db_conn *db, const recon_reminder_settings *s, time_t now,
                                   long long *sent)
{
    long long count = 0;
    int max_days = -1;
    for (size_t i = 0; i < s->n_days; i++)
        if (s->days[i] > max_days)
            max_days = s->days[i];
    civil_date today;
    char today_text[16];
    if (max_days < 0 || civil_date_amsterdam_today(now, &today) != PORTAL_OK ||
        civil_date_format(today, today_text, sizeof today_text) != PORTAL_OK) {
        if (sent)
            *sent = 0;
        return max_days < 0 ? PORTAL_OK : PORTAL_ERR_INTERNAL;
    }
    recon_reminder_due *due = calloc(RECON_REMINDERS_BATCH, sizeof *due);
    recon_reminder_due after;
    if (!due)
        return PORTAL_ERR_MEMORY;
    portal_result first = PORTAL_OK;
    size_t n = 0;
    int paging = 0;
    do {
        portal_result rc = recon_store_reminders_due(
            db, today_text, max_days, paging ? &after : NULL, due, RECON_REMINDERS_BATCH, &n);
        for (size_t i = 0; rc == PORTAL_OK && i < n; i++) {
            int one = 0;
            portal_result r = recon_reminder_one(db, s, &due[i], &one);
            if (r != PORTAL_OK && first == PORTAL_OK)
                first = r;
            count += one;
        }
        if (rc != PORTAL_OK) {
            first = first == PORTAL_OK ? rc : first;
            break;
        }
        if (n)
            after = due[n - 1];
        paging = 1;
    } while (n == RECON_REMINDERS_BATCH);
    free(due);
    if (count)
        log_info("event=reconciliation_reminders sent=%lld", count);
    if (sent)
        *sent = count;
    return first;
}
