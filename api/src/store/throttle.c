/* store/throttle.c: see throttle.h. */
#include "store/throttle.h"
#include "store/db_values.h"

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

/* 'known:<lower-case username>|': the start of every known-client key. */
static void known_prefix(const char *username, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "known:");
    for (const char *p = username; *p && o + 2 < size; p++)
        out[o++] = (char)tolower((unsigned char)*p);
    out[o++] = '|';
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
    PGresult *res;
    portal_result rc = db_query_row(
        db,
        "INSERT INTO login_throttle (key, failures) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN login_throttle.window_start < now() - $2::int * interval '1 second'"
        "   THEN 1 ELSE login_throttle.failures + 1 END,"
        " window_start = CASE WHEN login_throttle.window_start < now() - $2::int * interval"
        "   '1 second' THEN now() ELSE login_throttle.window_start END,"
        " last_failure_at = now()"
        " RETURNING failures, greatest(1, ceil(extract(epoch FROM login_throttle.window_start"
        "   + $2::int * interval '1 second' - now())))::bigint",
        2, params, PORTAL_ERR_DATABASE, &res);
    if (rc != PORTAL_OK)
        return rc;
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

portal_result throttle_clear_user(db_conn *db, const char *username, int *cleared)
{
    char ukey[200], kprefix[200];
    user_key(username, ukey, sizeof ukey);
    known_prefix(username, kprefix, sizeof kprefix);
    const char *params[] = {ukey, kprefix};
    PGresult *res = db_query(db,
                             "DELETE FROM login_throttle WHERE key = $1"
                             " OR left(key, length($2)) = $2 RETURNING 1",
                             2, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (cleared)
        *cleared = PQntuples(res) > 0;
    PQclear(res);
    return PORTAL_OK;
}

/* The counter of the username's failures: 'user:<name>', or for a known
 * client 'known:<name>|<client>' ('|' is in no username a user can have). */
static void username_counter(const char *username, const char *address, int known, char *out,
                             size_t size)
{
    if (!known) {
        user_key(username, out, size);
        return;
    }
    char prefix[200], client[INET6_ADDRSTRLEN + 4];
    known_prefix(username, prefix, sizeof prefix);
    client_of(address, client, sizeof client);
    snprintf(out, size, "%s%s", prefix, client);
}

/* Runs a reserving upsert (params: key, then the rule's numbers); 1 in
 * *reserved with the new count when the row was allowed to count. */
static portal_result reserve_key(db_conn *db, const char *sql, const char *const *params,
                                 int nparams, int *reserved, int *count)
{
    PGresult *res = db_query(db, sql, nparams, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *reserved = PQntuples(res) == 1;
    *count = *reserved ? atoi(PQgetvalue(res, 0, 0)) : 0;
    PQclear(res);
    return PORTAL_OK;
}

/* The username rule of domain/throttle_rules.c, evaluated on the locked row
 * by ON CONFLICT ... WHERE: after $2 free failures each attempt waits
 * 2^(failures-$2) seconds (at most $3) after the last one; $4 quiet seconds
 * forget them. */
static const char RESERVE_USER_SQL[] =
    "INSERT INTO login_throttle AS t (key, failures) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN t.last_failure_at < now() - $4::int * interval '1 second'"
    "   THEN 1 ELSE t.failures + 1 END,"
    " previous_failure_at = t.last_failure_at, last_failure_at = now()"
    " WHERE t.failures < $2::int OR t.last_failure_at < now() - $4::int * interval '1 second'"
    "   OR t.last_failure_at + least(power(2, t.failures - $2::int), $3::int)"
    "      * interval '1 second' <= now()"
    " RETURNING failures";

/* The address rule: $3 failures in a fixed window of $2 seconds block it. */
static const char RESERVE_ADDR_SQL[] =
    "INSERT INTO login_throttle AS t (key, failures) VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN t.window_start < now() - $2::int * interval '1 second'"
    "   THEN 1 ELSE t.failures + 1 END,"
    " window_start = CASE WHEN t.window_start < now() - $2::int * interval '1 second'"
    "   THEN now() ELSE t.window_start END,"
    " last_failure_at = now()"
    " WHERE t.failures < $3::int OR t.window_start < now() - $2::int * interval '1 second'"
    " RETURNING failures";

static portal_result release_key(db_conn *db, const char *key)
{
    const char *params[] = {key};
    return db_exec(db,
                   "UPDATE login_throttle SET failures = greatest(failures - 1, 0),"
                   " last_failure_at = coalesce(previous_failure_at, last_failure_at),"
                   " previous_failure_at = NULL WHERE key = $1",
                   1, params);
}

/* The wait a denied key must keep: what throttle_check says, at least 1. */
static long denied_wait(db_conn *db, const char *key)
{
    const char *params[] = {key};
    PGresult *res = db_query(db,
                             "SELECT failures,"
                             " (extract(epoch FROM window_start) * 1000)::bigint,"
                             " (extract(epoch FROM last_failure_at) * 1000)::bigint,"
                             " (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
                             " FROM login_throttle WHERE key = $1",
                             1, params);
    long wait = 0;
    if (res && PQntuples(res) == 1) {
        int failures = atoi(PQgetvalue(res, 0, 0));
        long long window = atoll(PQgetvalue(res, 0, 1));
        long long last = atoll(PQgetvalue(res, 0, 2));
        long long now = atoll(PQgetvalue(res, 0, 3));
        wait = strncmp(key, "addr:", 5) == 0 ? throttle_addr_retry_after(failures, window, now)
                                             : throttle_user_retry_after(failures, last, now);
    }
    if (res)
        PQclear(res);
    return wait > 0 ? wait : 1;
}

/* For a known client: its own counter ($1) keeps the username rule above,
 * and the username's failures from elsewhere ($5, 'user:<name>') hold it
 * back by at most the first wait: they count as no more than $2, measured
 * from their last failure. The INSERT's own WHERE applies the second part
 * to a known client without a row yet. */
static const char RESERVE_KNOWN_SQL[] =
    "WITH f AS (SELECT 1 FROM login_throttle WHERE key = $5"
    "   AND failures >= $2::int AND last_failure_at >= now() - $4::int * interval '1 second'"
    "   AND last_failure_at + least(power(2, least(failures, $2::int) - $2::int), $3::int)"
    "     * interval '1 second' > now())"
    " INSERT INTO login_throttle AS t (key, failures)"
    " SELECT $1, 1 WHERE NOT EXISTS (SELECT 1 FROM f)"
    " ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN t.last_failure_at < now() - $4::int * interval '1 second'"
    "   THEN 1 ELSE t.failures + 1 END,"
    " previous_failure_at = t.last_failure_at, last_failure_at = now()"
    " WHERE NOT EXISTS (SELECT 1 FROM f)"
    "   AND (t.failures < $2::int OR t.last_failure_at < now() - $4::int * interval '1 second'"
    "   OR t.last_failure_at + least(power(2, t.failures - $2::int), $3::int)"
    "      * interval '1 second' <= now())"
    " RETURNING failures";

/* The wait of a denied known client: both counters, as the rule above. */
static long denied_known_wait(db_conn *db, const char *key, const char *user_key_text)
{
    const char *params[] = {key, user_key_text};
    PGresult *res = db_query(db,
                             "SELECT key, failures,"
                             " (extract(epoch FROM last_failure_at) * 1000)::bigint,"
                             " (extract(epoch FROM clock_timestamp()) * 1000)::bigint"
                             " FROM login_throttle WHERE key IN ($1, $2)",
                             2, params);
    int own = 0, foreign = 0;
    long long own_last = 0, foreign_last = 0, now = 0;
    for (int i = 0; res && i < PQntuples(res); i++) {
        int n = atoi(PQgetvalue(res, i, 1));
        long long at = atoll(PQgetvalue(res, i, 2));
        now = atoll(PQgetvalue(res, i, 3));
        if (strcmp(PQgetvalue(res, i, 0), key) == 0) {
            own = n;
            own_last = at;
        } else {
            foreign = n;
            foreign_last = at;
        }
    }
    if (res)
        PQclear(res);
    long wait = throttle_known_retry_after(own, own_last, foreign, foreign_last, now);
    return wait > 0 ? wait : 1;
}

portal_result throttle_reserve(db_conn *db, const char *username, const char *address, int known,
                               int *failures, long *retry_after)
{
    char ukey[300], plain[200], akey[80], free_n[16], max_wait[16], reset[16], window[16],
        addr_max[16];
    username_counter(username, address, known, ukey, sizeof ukey);
    user_key(username, plain, sizeof plain);
    addr_key(address, akey, sizeof akey);
    snprintf(free_n, sizeof free_n, "%d", THROTTLE_FREE_FAILURES);
    snprintf(max_wait, sizeof max_wait, "%d", THROTTLE_MAX_WAIT);
    snprintf(reset, sizeof reset, "%d", THROTTLE_USER_RESET);
    snprintf(window, sizeof window, "%d", THROTTLE_ADDR_WINDOW);
    snprintf(addr_max, sizeof addr_max, "%d", THROTTLE_ADDR_MAX_FAILURES);
    *failures = 0;
    *retry_after = 0;
    const char *up[] = {ukey, free_n, max_wait, reset, plain};
    int reserved = 0, count = 0;
    portal_result rc = reserve_key(db, known ? RESERVE_KNOWN_SQL : RESERVE_USER_SQL, up,
                                   known ? 5 : 4, &reserved, &count);
    if (rc != PORTAL_OK)
        return rc;
    if (!reserved) {
        *retry_after = known ? denied_known_wait(db, ukey, plain) : denied_wait(db, ukey);
        return PORTAL_ERR_DENIED;
    }
    const char *ap[] = {akey, window, addr_max};
    int addr_reserved = 0, addr_count = 0;
    rc = reserve_key(db, RESERVE_ADDR_SQL, ap, 3, &addr_reserved, &addr_count);
    if (rc != PORTAL_OK || !addr_reserved) {
        release_key(db, ukey); /* the address refused: the username gets its try back */
        if (rc != PORTAL_OK)
            return rc;
        *retry_after = denied_wait(db, akey);
        return PORTAL_ERR_DENIED;
    }
    *failures = count;
    return PORTAL_OK;
}

portal_result throttle_release(db_conn *db, const char *username, const char *address, int known)
{
    char ukey[300], akey[80];
    username_counter(username, address, known, ukey, sizeof ukey);
    addr_key(address, akey, sizeof akey);
    portal_result rc = release_key(db, ukey);
    portal_result rc2 = release_key(db, akey);
    return rc != PORTAL_OK ? rc : rc2;
}

/* The SHA-256 (hex) of address's client. */
static void client_hash(const char *address, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
    char client[INET6_ADDRSTRLEN + 4];
    client_of(address, client, sizeof client);
    crypto_sha256_hex(client, out);
}

portal_result throttle_client_known(db_conn *db, const char *user_id, const char *address,
                                    int *known)
{
    char hash[CRYPTO_SHA256_HEX_LEN + 1], days[16];
    client_hash(address, hash);
    snprintf(days, sizeof days, "%d", THROTTLE_KNOWN_CLIENT_DAYS);
    const char *params[] = {user_id, hash, days};
    *known = 0;
    return db_query_found(db,
                          "SELECT 1 FROM signin_known_clients WHERE user_id = $1"
                          " AND client_hash = $2"
                          " AND last_success_at > now() - $3::int * interval '1 day'",
                          3, params, known);
}

portal_result throttle_remember_client(db_conn *db, const char *user_id, const char *address)
{
    char hash[CRYPTO_SHA256_HEX_LEN + 1], keep[16];
    client_hash(address, hash);
    snprintf(keep, sizeof keep, "%d", THROTTLE_KNOWN_CLIENTS_MAX);
    const char *params[] = {user_id, hash};
    portal_result rc = db_exec(db,
                               "INSERT INTO signin_known_clients (user_id, client_hash)"
                               " VALUES ($1, $2) ON CONFLICT (user_id, client_hash)"
                               " DO UPDATE SET last_success_at = now()",
                               2, params);
    if (rc != PORTAL_OK)
        return rc;
    const char *trim[] = {user_id, keep};
    return db_exec(db,
                   "DELETE FROM signin_known_clients WHERE user_id = $1 AND client_hash NOT IN"
                   " (SELECT client_hash FROM signin_known_clients WHERE user_id = $1"
                   "  ORDER BY last_success_at DESC LIMIT $2::int)",
                   2, trim);
}

portal_result throttle_unlock_create(db_conn *db, const char *user_id, const char *token_hash)
{
    char ttl[16];
    snprintf(ttl, sizeof ttl, "%d", THROTTLE_UNLOCK_TTL);
    const char *params[] = {user_id, token_hash, ttl};
    portal_result rc = db_exec(
        db, "UPDATE signin_unlocks SET used_at = now() WHERE user_id = $1 AND used_at IS NULL", 1,
        params);
    if (rc != PORTAL_OK)
        return rc;
    return db_exec(db,
                   "INSERT INTO signin_unlocks (user_id, token_hash, expires_at)"
                   " VALUES ($1, $2, now() + $3::int * interval '1 second')",
                   3, params);
}

portal_result throttle_unlock_consume(db_conn *db, const char *token_hash,
                                      char user_id[PORTAL_ID_LEN])
{
    const char *params[] = {token_hash};
    portal_result rc = db_query_copy(db,
                                     "UPDATE signin_unlocks s SET used_at = now() FROM users u"
                                     " WHERE s.token_hash = $1 AND s.used_at IS NULL"
                                     " AND s.expires_at > now() AND u.id = s.user_id"
                                     " AND u.deleted_at IS NULL AND u.status = 'active'"
                                     " RETURNING s.user_id",
                                     1, params, user_id, PORTAL_ID_LEN);
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_ERR_EXPIRED : rc;
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

portal_result throttle_purge_signin_records(db_conn *db, long long *unlocks, long long *clients)
{
    char days[16];
    snprintf(days, sizeof days, "%d", THROTTLE_SIGNIN_RECORD_DAYS);
    const char *params[] = {days};
    portal_result rc = PORTAL_OK;
    *unlocks = 0;
    *clients = 0;
    PGresult *res = db_query(db,
                             "DELETE FROM signin_unlocks"
                             " WHERE expires_at < now() - make_interval(days => $1::int)",
                             1, params);
    if (res) {
        *unlocks = atoll(PQcmdTuples(res));
        PQclear(res);
    } else {
        rc = PORTAL_ERR_DATABASE;
    }
    res = db_query(db,
                   "DELETE FROM signin_known_clients"
                   " WHERE last_success_at < now() - make_interval(days => $1::int)",
                   1, params);
    if (res) {
        *clients = atoll(PQcmdTuples(res));
        PQclear(res);
    } else {
        rc = PORTAL_ERR_DATABASE;
    }
    return rc;
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
    case THROTTLE_MSG_UNLOCK_LINK:
        return "unlock_link";
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
