/*
 * jobs/sms_delivery.h: the 'sms' job: posts one sms_outbox row as JSON
 * {"to","message"} to the gateway at PORTAL_SMS_URL, or, when none is set,
 * writes it as a text file into PORTAL_SMS_DIR for developers.
 */
#ifndef PORTAL_JOBS_SMS_DELIVERY_H
#define PORTAL_JOBS_SMS_DELIVERY_H

#include "base/config.h"
#include "store/db.h"

/* Runs an sms job with payload {"sms_id":N}. PORTAL_OK when delivered (or
 * delivered before); an error leaves it pending for a retry. */
portal_result sms_delivery_run(db_conn *db, const portal_config *cfg, const char *payload);

#endif
