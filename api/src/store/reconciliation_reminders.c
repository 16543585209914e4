/* store/reconciliation_reminders.c: see reconciliation_reminders.h. */
#include "store/reconciliation_reminders.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

portal_result recon_store_reminders_due(db_conn *db, const char *today, int max_days,
                                        const recon_reminder_due *after, recon_reminder_due *out,
                                        size_t max, size_t *n)
{
    *n = 0;
    char days[16], lim[16];
    snprintf(days, sizeof days, "%d", max_days);
    snprintf(lim, sizeof lim, "%zu", max);
    const char *p[] = {today, days, lim, after ? after->deadline : NULL, after ? after->id : NULL};
    PGresult *res =
        db_query(db,
                 "SELECT r.id, s.organisation_id, r.deadline::text, r.year,"
                 " r.deadline - $1::date, s.name, o.name, coalesce(o.notification_email, ''), s.id"
                 " FROM reconciliations r JOIN schemes s ON s.id = r.scheme_id"
                 " JOIN organisations o ON o.id = s.organisation_id"
                 " WHERE r.status = 'open' AND r.deadline >= $1::date"
                 " AND r.deadline <= $1::date + $2::int"
                 " AND ($4::date IS NULL OR (r.deadline, r.id) > ($4::date, $5::uuid))"
                 " ORDER BY r.deadline, r.id LIMIT $3::int",
                 5, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; i < PQntuples(res) && *n < max; i++) {
        recon_reminder_due *d = &out[(*n)++];
        db_copy_value(d->id, sizeof d->id, res, i, 0);
        db_copy_value(d->organisation_id, sizeof d->organisation_id, res, i, 1);
        db_copy_value(d->deadline, sizeof d->deadline, res, i, 2);
        d->year = atoi(PQgetvalue(res, i, 3));
        d->days_left = atoi(PQgetvalue(res, i, 4));
        db_copy_value(d->scheme_name, sizeof d->scheme_name, res, i, 5);
        db_copy_value(d->organisation_name, sizeof d->organisation_name, res, i, 6);
        db_copy_value(d->notification_email, sizeof d->notification_email, res, i, 7);
        db_copy_value(d->scheme_id, sizeof d->scheme_id, res, i, 8);
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_reminder_claim(db_conn *db, const char *id, int days_before,
                                         const char *deadline, int *claimed)
{
    *claimed = 0;
    char d[16];
    snprintf(d, sizeof d, "%d", days_before);
    const char *p[] = {id, d, deadline};
    return db_query_found(db,
                          "INSERT INTO reconciliation_reminders (reconciliation_id, days_before,"
                          " deadline) VALUES ($1::uuid, $2::int, $3::date)"
                          " ON CONFLICT (reconciliation_id, days_before) DO UPDATE"
                          " SET deadline = excluded.deadline, sent_at = now()"
                          " WHERE reconciliation_reminders.deadline < excluded.deadline"
                          " RETURNING 1",
                          3, p, claimed);
}

portal_result recon_store_reminder_recipients(db_conn *db, const char *organisation_id,
                                              const char *scheme_id, recon_reminder_recipient *out,
                                              size_t max, size_t *n)
{
    *n = 0;
    char lim[16];
    snprintf(lim, sizeof lim, "%zu", max);
    const char *p[] = {organisation_id, lim, scheme_id};
    PGresult *res = db_query(db,
                             "SELECT u.email, u.first_name, u.language FROM users u"
                             " JOIN organisations o ON o.id = u.organisation_id"
                             " WHERE u.organisation_id = $1::uuid AND u.status = 'active'"
                             " AND u.deleted_at IS NULL"
                             " AND (u.scheme_ids IS NULL OR $3::uuid = ANY (u.scheme_ids)) AND "
                             "EXISTS (SELECT 1 FROM user_rights ur"
                             " JOIN rights g ON g.organisation_kind = o.kind AND g.id = ur.right_id"
                             " WHERE ur.user_id = u.id AND 'reconciliation' = ANY (g.capabilities))"
                             " ORDER BY u.email LIMIT $2::int",
                             3, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; i < PQntuples(res) && *n < max; i++) {
        recon_reminder_recipient *r = &out[(*n)++];
        db_copy_value(r->email, sizeof r->email, res, i, 0);
        db_copy_value(r->first_name, sizeof r->first_name, res, i, 1);
        db_copy_value(r->language, sizeof r->language, res, i, 2);
    }
    PQclear(res);
    return PORTAL_OK;
}
