/*
 * store/outbox.h: queues mail and SMS in the caller's transaction, so that a
 * message is sent exactly when the change that causes it commits.
 */
#ifndef PORTAL_STORE_OUTBOX_H
#define PORTAL_STORE_OUTBOX_H

#include "formats/mail_templates.h"
#include "store/db.h"

/* Queues a mail (and its delivery job). */
portal_result outbox_mail(db_conn *db, const char *to, const mail_text *text);

/* Queues an SMS (and its delivery job). */
portal_result outbox_sms(db_conn *db, const char *to_number, const char *text);

/* A pending mail or SMS as the delivery job reads it; every text is
 * malloc'd and freed with outbox_message_free. */
typedef struct {
    char *to;      /* mail: the To: header value; SMS: the number */
    char *subject; /* mail only (NULL for SMS) */
    char *body;
} outbox_message;

/* Reads pending mail `id` (or SMS with outbox_sms_pending) into *out.
 * PORTAL_OK with *found = 0 when it is gone or already sent;
 * PORTAL_ERR_DATABASE or PORTAL_ERR_MEMORY otherwise (out left empty). */
portal_result outbox_mail_pending(db_conn *db, long long id, outbox_message *out, int *found);
portal_result outbox_sms_pending(db_conn *db, long long id, outbox_message *out, int *found);

/* Marks a mail or SMS sent and drops its text. PORTAL_ERR_DATABASE. */
portal_result outbox_mail_sent(db_conn *db, long long id);
portal_result outbox_sms_sent(db_conn *db, long long id);

/* Frees the texts of m (safe on an empty or freed one). */
void outbox_message_free(outbox_message *m);

#endif
