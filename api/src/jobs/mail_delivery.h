/*
 * jobs/mail_delivery.h: the 'mail' job: delivers one mail_outbox row over
 * SMTP (PORTAL_SMTP_URL, with libcurl) or, when no SMTP server is set,
 * writes it as an .eml file into PORTAL_MAIL_DIR for developers to read.
 */
#ifndef PORTAL_JOBS_MAIL_DELIVERY_H
#define PORTAL_JOBS_MAIL_DELIVERY_H

#include "base/config.h"
#include "store/db.h"

/* Runs a mail job with payload {"mail_id":N}. PORTAL_OK when delivered (or
 * already delivered); an error leaves the mail pending for a retry. */
portal_result mail_delivery_run(db_conn *db, const portal_config *cfg, const char *payload);

/* libcurl's CURLOPT_USE_SSL level for PORTAL_SMTP_TLS: required is
 * CURLUSESSL_ALL (no STARTTLS, no mail: links never travel in the clear),
 * opportunistic CURLUSESSL_TRY, off CURLUSESSL_NONE. */
long mail_delivery_use_ssl(config_smtp_tls tls);

/* Sends an already built message. Exposed for the SMS/other jobs' reuse. */
portal_result mail_delivery_send(const portal_config *cfg, const char *to_address,
                                 const char *message, long long mail_id);

#endif
