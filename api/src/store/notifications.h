/*
 * store/notifications.h: the queue of what is new for an employer
 * (migration 0012, table employer_notifications). Any use case that asks
 * something of the employer (a published document, a batch result that
 * needs attention, a reconciliation to hand in) calls notify_employer in
 * its own transaction; a 'notification_digest' job, queued once per
 * organisation and due NOTIFY_BATCH_SECONDS after the first item, gathers
 * everything queued by then into one mail to the organisation's
 * notification address (jobs/notification_job.c).
 */
#ifndef PORTAL_STORE_NOTIFICATIONS_H
#define PORTAL_STORE_NOTIFICATIONS_H

#include "base/caller.h"
#include "store/db.h"

#define NOTIFY_BATCH_SECONDS 60
#define NOTIFY_TITLE_MAX 200
#define NOTIFY_LINK_MAX 200
#define NOTIFY_DIGEST_MAX 50 /* items named in one mail; the rest are counted */

typedef struct {
    char kind[48];
    char title[NOTIFY_TITLE_MAX * 4 + 1];
    char link[NOTIFY_LINK_MAX + 1];
} notification_item;

/*
 * notify_employer -- queues one item for organisation_id in db's current
 * transaction, and the digest job when none is pending for it yet. kind is
 * a stable name ("document.invoice"), title a short text without personal
 * data (truncated to NOTIFY_TITLE_MAX characters), link a path in the web
 * app ("/documents/financial"). PORTAL_ERR_INVALID for a missing argument,
 * PORTAL_ERR_DATABASE.
 */
portal_result notify_employer(db_conn *db, const char *organisation_id, const char *kind,
                              const char *title, const char *link);

/*
 * notifications_take -- in the caller's transaction: marks every pending
 * item of the organisation sent and copies at most max of them (oldest
 * first) into items; *n gets how many were copied, *total how many were
 * pending. to gets the organisation's notification address ("" when none,
 * the items are then dropped unsent) and name its name. PORTAL_ERR_DATABASE.
 */
portal_result notifications_take(db_conn *db, const char *organisation_id, notification_item *items,
                                 int max, int *n, int *total, char *to, size_t to_size, char *name,
                                 size_t name_size);

#endif
