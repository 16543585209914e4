/* jobs/notification_job.c: see notification_job.h. */
#include "jobs/notification_job.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/log.h"
#include "formats/notification_mail.h"
#include "store/notifications.h"
#include "store/outbox.h"

/* Takes the items and queues the mail inside the open transaction. */
static portal_result notification_digest(db_conn *db, const portal_config *cfg,
                                         const char *organisation_id)
{
    notification_item *items = calloc(NOTIFY_DIGEST_MAX, sizeof *items);
    notification_line *lines = calloc(NOTIFY_DIGEST_MAX, sizeof *lines);
    mail_text *mail = calloc(1, sizeof *mail);
    char to[320], name[400];
    int n = 0, total = 0;
    portal_result rc = items && lines && mail ? PORTAL_OK : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = notifications_take(db, organisation_id, items, NOTIFY_DIGEST_MAX, &n, &total, to,
                                sizeof to, name, sizeof name);
    if (rc == PORTAL_OK && total > 0 && !to[0])
        log_info("event=notification_digest_dropped organisation=%s items=%d reason=no_address",
                 organisation_id, total);
    if (rc == PORTAL_OK && n > 0 && to[0]) {
        for (int i = 0; i < n; i++)
            lines[i] = (notification_line){items[i].kind, items[i].title, items[i].link};
        rc = notification_digest_mail(name, lines, n, total, cfg ? cfg->public_url : "", mail);
        if (rc == PORTAL_OK)
            rc = outbox_mail(db, to, mail);
        if (rc == PORTAL_OK)
            log_info("event=notification_digest organisation=%s items=%d", organisation_id, total);
    }
    free(items);
    free(lines);
    free(mail);
    return rc;
}

portal_result notification_job_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    json_t *root = json_loads(payload ? payload : "", 0, NULL);
    const char *org = json_string_value(json_object_get(root, "organisation_id"));
    if (!org) {
        json_decref(root);
        return PORTAL_ERR_INVALID;
    }
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = notification_digest(db, cfg, org);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK)
        db_rollback(db);
    json_decref(root);
    return rc;
}
