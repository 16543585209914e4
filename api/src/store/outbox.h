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

#endif
