/* store/outbox.c: see outbox.h. */
#include "store/outbox.h"

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
