/*
 * domain/throttle_rules.h: how long a login must wait after failures
 * (DESIGN.md §4, after Keycloak's brute-force detection).
 *
 * Per username (existing or not): five failures are free, then each further
 * attempt waits 1 s, 2 s, 4 s, ... up to 15 minutes after the last failure;
 * twelve quiet hours forget them. Per client address: 100 failures in a
 * 15-minute window block that address until the window ends. Successful
 * logins never count. Times are milliseconds since the epoch; waits are
 * answered in whole seconds, rounded up (for Retry-After).
 */
#ifndef PORTAL_DOMAIN_THROTTLE_RULES_H
#define PORTAL_DOMAIN_THROTTLE_RULES_H

#define THROTTLE_FREE_FAILURES 5
#define THROTTLE_MAX_WAIT 900     /* 15 minutes */
#define THROTTLE_USER_RESET 43200 /* 12 hours */
#define THROTTLE_ADDR_WINDOW 900  /* 15 minutes */
#define THROTTLE_ADDR_MAX_FAILURES 100

/* The wait after `failures` failures of one username (0 for the first five). */
long throttle_user_wait(int failures);

/* Seconds the username must still wait at `now`, 0 when it may try. */
long throttle_user_retry_after(int failures, long long last_failure_ms, long long now_ms);

/* Seconds a client known to the user (one it signed in from) must still wait
 * at `now`: its own failures follow the username rule, and the username's
 * failures from elsewhere (`foreign`) hold it back by at most the first
 * wait after their last one, so a client with many failures does not lock
 * the user out of a known client. */
long throttle_known_retry_after(int own, long long own_last_ms, int foreign,
                                long long foreign_last_ms, long long now_ms);

/* Seconds the client address must still wait at `now`, 0 when it may try. */
long throttle_addr_retry_after(int failures, long long window_start_ms, long long now_ms);

#endif
