/* store/notifications.c: see notifications.h. */
#include "store/notifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"

portal_result notify_employer(db_conn *db, const char *organisation_id, const char *kind,
                              const char *title, const char *link)
{
    if (!uuid_valid(organisation_id) || !kind || !kind[0] || !title || !link)
        return PORTAL_ERR_INVALID;
    char delay[16];
    snprintf(delay, sizeof delay, "%d", NOTIFY_BATCH_SECONDS);
    const char *params[] = {organisation_id, kind, title, link, delay};
    return db_exec(db,
                   "WITH item AS (INSERT INTO employer_notifications (organisation_id, kind, title,"
                   " link) VALUES ($1::uuid, $2, left($3, 200), left($4, 200)) RETURNING id)"
                   " INSERT INTO jobs (kind, payload, run_at) SELECT 'notification_digest',"
                   " jsonb_build_object('organisation_id', $1::text), now() + $5::int"
                   " * interval '1 second' FROM item WHERE NOT EXISTS (SELECT 1 FROM jobs j"
                   " WHERE j.kind = 'notification_digest' AND j.status = 'pending'"
                   " AND j.payload->>'organisation_id' = $1::text)",
                   5, params);
}

portal_result notifications_take(db_conn *db, const char *organisation_id, notification_item *items,
                                 int max, int *n, int *total, char *to, size_t to_size, char *name,
                                 size_t name_size)
{
    *n = 0;
    *total = 0;
    to[0] = '\0';
    name[0] = '\0';
    if (!uuid_valid(organisation_id))
        return PORTAL_OK;
    const char *params[] = {organisation_id};
    PGresult *res = db_query(db,
                             "SELECT coalesce(notification_email, ''), name FROM organisations"
                             " WHERE id = $1::uuid",
                             1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1) {
        snprintf(to, to_size, "%s", PQgetvalue(res, 0, 0));
        snprintf(name, name_size, "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    res = db_query(db,
                   "WITH taken AS (UPDATE employer_notifications SET sent_at = now()"
                   " WHERE organisation_id = $1::uuid AND sent_at IS NULL"
                   " RETURNING id, kind, title, link)"
                   " SELECT kind, title, link FROM taken ORDER BY id",
                   1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *total = PQntuples(res);
    for (int i = 0; i < *total && *n < max; i++) {
        notification_item *it = &items[(*n)++];
        snprintf(it->kind, sizeof it->kind, "%s", PQgetvalue(res, i, 0));
        snprintf(it->title, sizeof it->title, "%s", PQgetvalue(res, i, 1));
        snprintf(it->link, sizeof it->link, "%s", PQgetvalue(res, i, 2));
    }
    PQclear(res);
    return PORTAL_OK;
}
