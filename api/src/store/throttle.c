/* store/throttle.c: see throttle.h. */
#include "store/throttle.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/throttle_rules.h"

static void user_key(const char *username, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "user:");
    for (const char *p = username; *p && o + 1 < size; p++)
        out[o++] = (char)tolower((unsigned char)*p);
    out[o] = '\0';
}

portal_result throttle_retry_after(db_conn *db, const char *username, const char *address,
                                   long *retry_after)
{
    char ukey[200], akey[80];
    user_key(username, ukey, sizeof ukey);
    snprintf(akey, sizeof akey, "addr:%s", address);
    const char *params[] = {ukey, akey};
    PGresult *res = db_query(db,
                             "SELECT key, failures,"
                             " (extract(epoch FROM window_start) * 1000)::bigint,"
                             " (extract(epoch FROM last_failure_at) * 1000)::bigint,"
                             " (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
                             " FROM login_throttle WHERE key IN ($1, $2)",
                             2, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    long wait = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        int failures = atoi(PQgetvalue(res, i, 1));
        long long window = atoll(PQgetvalue(res, i, 2));
        long long last = atoll(PQgetvalue(res, i, 3));
        long long now = atoll(PQgetvalue(res, i, 4));
        long w = strncmp(PQgetvalue(res, i, 0), "user:", 5) == 0
                     ? throttle_user_retry_after(failures, last, now)
                     : throttle_addr_retry_after(failures, window, now);
        if (w > wait)
            wait = w;
    }
    PQclear(res);
    *retry_after = wait;
    return PORTAL_OK;
}

portal_result throttle_record_failure(db_conn *db, const char *username, const char *address)
{
    char ukey[200], akey[80];
    user_key(username, ukey, sizeof ukey);
    snprintf(akey, sizeof akey, "addr:%s", address);
    const char *up[] = {ukey};
    const char *ap[] = {akey};
    /* Per username: forget failures after 12 quiet hours. */
    portal_result rc = db_exec(
        db,
        "INSERT INTO login_throttle (key, failures) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN login_throttle.last_failure_at < now() - interval '12 hours'"
        "   THEN 1 ELSE login_throttle.failures + 1 END,"
        " last_failure_at = now()",
        1, up);
    if (rc != PORTAL_OK)
        return rc;
    /* Per address: a fixed 15-minute window. */
    return db_exec(
        db,
        "INSERT INTO login_throttle (key, failures) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN login_throttle.window_start < now() - interval"
        "   '15 minutes' THEN 1 ELSE login_throttle.failures + 1 END,"
        " window_start = CASE WHEN login_throttle.window_start < now() - interval"
        "   '15 minutes' THEN now() ELSE login_throttle.window_start END,"
        " last_failure_at = now()",
        1, ap);
}

portal_result throttle_clear_user(db_conn *db, const char *username)
{
    char ukey[200];
    user_key(username, ukey, sizeof ukey);
    const char *params[] = {ukey};
    return db_exec(db, "DELETE FROM login_throttle WHERE key = $1", 1, params);
}
