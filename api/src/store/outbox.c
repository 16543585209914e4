/* store/outbox.c: see outbox.h. */
#include "store/outbox.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

portal_result outbox_mail(db_conn *db, const char *to, const mail_text *text)
{
    const char *params[] = {to, text->subject, text->body};
    return db_exec(db, "SELECT portal_enqueue_mail($1, $2, $3)", 3, params);
}

portal_result outbox_sms(db_conn *db, const char *to_number, const char *text)
{
    const char *params[] = {to_number, text};
    return db_exec(db, "SELECT portal_enqueue_sms($1, $2)", 2, params);
}

void outbox_message_free(outbox_message *m)
{
    free(m->to);
    free(m->subject);
    free(m->body);
    memset(m, 0, sizeof *m);
}

/* Runs a one-row SELECT of (to, [subject,] body) for id and copies the
 * columns into *out (malloc'd); with_subject says whether the middle column
 * is there. */
static portal_result outbox_pending(db_conn *db, const char *sql, int with_subject, long long id,
                                    outbox_message *out, int *found)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", id);
    const char *params[] = {ids};
    memset(out, 0, sizeof *out);
    *found = 0;
    PGresult *res = db_query(db, sql, 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_OK;
    if (PQntuples(res) == 1) {
        out->to = strdup(PQgetvalue(res, 0, 0));
        out->subject = with_subject ? strdup(PQgetvalue(res, 0, 1)) : NULL;
        out->body = strdup(PQgetvalue(res, 0, with_subject ? 2 : 1));
        if (!out->to || !out->body || (with_subject && !out->subject)) {
            outbox_message_free(out);
            rc = PORTAL_ERR_MEMORY;
        } else {
            *found = 1;
        }
    }
    PQclear(res);
    return rc;
}

portal_result outbox_mail_pending(db_conn *db, long long id, outbox_message *out, int *found)
{
    return outbox_pending(db,
                          "SELECT to_address, subject, body_text FROM mail_outbox"
                          " WHERE id = $1 AND status = 'pending'",
                          1, id, out, found);
}

portal_result outbox_sms_pending(db_conn *db, long long id, outbox_message *out, int *found)
{
    return outbox_pending(db,
                          "SELECT to_number, body_text FROM sms_outbox"
                          " WHERE id = $1 AND status = 'pending'",
                          0, id, out, found);
}

portal_result outbox_mail_sent(db_conn *db, long long id)
{
    return db_exec_id(db,
                      "UPDATE mail_outbox SET status = 'sent', sent_at = now(), body_text = NULL"
                      " WHERE id = $1",
                      id);
}

portal_result outbox_sms_sent(db_conn *db, long long id)
{
    return db_exec_id(db,
                      "UPDATE sms_outbox SET status = 'sent', sent_at = now(), body_text = NULL"
                      " WHERE id = $1",
                      id);
}
