/*
 * store/throttle.h: failure counters for logins and second-factor codes, per
 * username and per client address (table login_throttle). The waiting rules
 * are in domain/throttle_rules.h. Counters are written outside the login's
 * own transaction so that a failure is never rolled back with it.
 */
#ifndef PORTAL_STORE_THROTTLE_H
#define PORTAL_STORE_THROTTLE_H

#include "store/db.h"

/* Seconds the username and the address must still wait (the larger of the
 * two), 0 when both may try now. */
portal_result throttle_retry_after(db_conn *db, const char *username, const char *address,
                                   long *retry_after);

/* Counts one failure for both keys. */
portal_result throttle_record_failure(db_conn *db, const char *username, const char *address);

/* Forgets the username's failures after a successful login. */
portal_result throttle_clear_user(db_conn *db, const char *username);

#endif
