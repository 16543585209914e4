/* store/throttle.c: see throttle.h. */
#include "store/throttle.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "domain/throttle_rules.h"

/* The client a counter counts: an IPv4 address as it is, an IPv6 address as
 * its /64 (one subscriber usually holds a whole /64, so counting single
 * addresses would give one client billions of counters). */
static void client_of(const char *address, char *out, size_t size)
{
    struct in6_addr a6;
    if (strchr(address, ':') && inet_pton(AF_INET6, address, &a6) == 1) {
        memset(&a6.s6_addr[8], 0, 8);
        char text[INET6_ADDRSTRLEN];
        if (inet_ntop(AF_INET6, &a6, text, sizeof text)) {
            snprintf(out, size, "%s/64", text);
            return;
        }
    }
    snprintf(out, size, "%s", address);
}

static void addr_key(const char *address, char *out, size_t size)
{
    char client[INET6_ADDRSTRLEN + 4];
    client_of(address, client, sizeof client);
    snprintf(out, size, "addr:%s", client);
}

static void user_key(const char *username, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "user:");
    for (const char *p = username; *p && o + 1 < size; p++)
        out[o++] = (char)tolower((unsigned char)*p);
    out[o] = '\0';
}

portal_result throttle_check(db_conn *db, const char *username, const char *address,
                             long *retry_after)
{
    char ukey[200], akey[80];
    user_key(username, ukey, sizeof ukey);
    addr_key(address, akey, sizeof akey);
    const char *params[] = {ukey, akey};
    *retry_after = 0;
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
    return wait > 0 ? PORTAL_ERR_DENIED : PORTAL_OK;
}

/* Adds one to a counter with a fixed window of `window` seconds (a counter
 * whose window has passed starts again at one). Sets *count to the new count
 * and *left to the seconds until its window ends (at least 1). */
static portal_result window_count(db_conn *db, const char *key, int window, int *count, long *left)
{
    char secs[16];
    snprintf(secs, sizeof secs, "%d", window);
    const char *params[] = {key, secs};
    PGresult *res = db_query(
        db,
        "INSERT INTO login_throttle (key, failures) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN login_throttle.window_start < now() - $2::int * interval '1 second'"
        "   THEN 1 ELSE login_throttle.failures + 1 END,"
        " window_start = CASE WHEN login_throttle.window_start < now() - $2::int * interval"
        "   '1 second' THEN now() ELSE login_throttle.window_start END,"
        " last_failure_at = now()"
        " RETURNING failures, greatest(1, ceil(extract(epoch FROM login_throttle.window_start"
        "   + $2::int * interval '1 second' - now())))::bigint",
        2, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PORTAL_ERR_DATABASE;
    }
    *count = atoi(PQgetvalue(res, 0, 0));
    *left = atol(PQgetvalue(res, 0, 1));
    PQclear(res);
    return PORTAL_OK;
}

portal_result throttle_record_failure(db_conn *db, const char *username, const char *address)
{
    char ukey[200], akey[80];
    user_key(username, ukey, sizeof ukey);
    addr_key(address, akey, sizeof akey);
    const char *up[] = {ukey};
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
    /* Per address: a fixed window. */
    int count;
    long left;
    return window_count(db, akey, THROTTLE_ADDR_WINDOW, &count, &left);
}

portal_result throttle_clear_user(db_conn *db, const char *username)
{
    char ukey[200];
    user_key(username, ukey, sizeof ukey);
    const char *params[] = {ukey};
    return db_exec(db, "DELETE FROM login_throttle WHERE key = $1", 1, params);
}

portal_result throttle_purge_idle(db_conn *db, long long *deleted)
{
    /* The longest memory a counter has: a user's failures reset after
     * THROTTLE_USER_RESET; every window is shorter. */
    char secs[24];
    snprintf(secs, sizeof secs, "%d", THROTTLE_USER_RESET);
    const char *params[] = {secs};
    *deleted = 0;
    PGresult *res =
        db_query(db,
                 "DELETE FROM login_throttle WHERE greatest(window_start, last_failure_at)"
                 " < now() - $1::int * interval '1 second'",
                 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *deleted = atoll(PQcmdTuples(res));
    PQclear(res);
    return PORTAL_OK;
}

const char *throttle_message_name(throttle_message kind)
{
    switch (kind) {
    case THROTTLE_MSG_PASSWORD_RESET:
        return "password_reset";
    case THROTTLE_MSG_USERNAME_REMINDER:
        return "username_reminder";
    case THROTTLE_MSG_ACTIVATION_CODE:
        return "activation_code";
    case THROTTLE_MSG_EMAIL_CHANGE_CODE:
        return "email_change_code";
    }
    return "message";
}

/* 'msg:' and the SHA-256 (hex) of "<scope>:<lower-case value>". */
static void message_key(const char *scope, const char *value, char out[CRYPTO_SHA256_HEX_LEN + 5])
{
    char text[512];
    size_t o = (size_t)snprintf(text, sizeof text, "%s:", scope);
    for (const char *p = value; *p && o + 1 < sizeof text; p++)
        text[o++] = (char)tolower((unsigned char)*p);
    text[o] = '\0';
    char hex[CRYPTO_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(text, hex);
    snprintf(out, CRYPTO_SHA256_HEX_LEN + 5, "msg:%s", hex);
}

static portal_result message_limit(db_conn *db, const char *scope, const char *value, int limit,
                                   long *retry_after)
{
    char key[CRYPTO_SHA256_HEX_LEN + 5];
    message_key(scope, value, key);
    int count = 0;
    long left = 0;
    *retry_after = 0;
    portal_result rc = window_count(db, key, THROTTLE_MESSAGE_WINDOW, &count, &left);
    if (rc != PORTAL_OK)
        return rc;
    if (count <= limit)
        return PORTAL_OK;
    *retry_after = left;
    return PORTAL_ERR_DENIED;
}

portal_result throttle_count_message(db_conn *db, throttle_message kind, const char *target,
                                     long *retry_after)
{
    return message_limit(db, throttle_message_name(kind), target, THROTTLE_MESSAGES_PER_TARGET,
                         retry_after);
}

portal_result throttle_count_message_request(db_conn *db, const char *address, long *retry_after)
{
    char client[INET6_ADDRSTRLEN + 4];
    client_of(address, client, sizeof client);
    return message_limit(db, "address", client, THROTTLE_MESSAGES_PER_ADDRESS, retry_after);
}
