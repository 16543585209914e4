/* store/idempotency.c: see idempotency.h. */
#include "store/idempotency.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nonempty(const char *s)
{
    return s && *s;
}

portal_result store_idempotency_claim(db_conn *db, const char *caller, const char *key,
                                      const char *request_hash, int *claimed)
{
    *claimed = 0;
    if (!nonempty(caller) || !nonempty(key) || !nonempty(request_hash))
        return PORTAL_ERR_INVALID;
    char ttl[16];
    snprintf(ttl, sizeof ttl, "%d", STORE_IDEMPOTENCY_TTL_HOURS);
    const char *params[] = {caller, key, request_hash, ttl};
    /* A live row is left alone (no RETURNING row); an expired one is taken
     * over as if it were new. Either way the row stays locked by this
     * transaction until it ends. */
    return db_query_found(db,
                          "INSERT INTO idempotency_keys (caller, key, request_hash)"
                          " VALUES ($1, $2, $3)"
                          " ON CONFLICT (caller, key) DO UPDATE"
                          " SET request_hash = EXCLUDED.request_hash, status_code = NULL,"
                          " response_body = NULL, location = NULL, created_at = now()"
                          " WHERE idempotency_keys.created_at"
                          " < now() - make_interval(hours => $4::int)"
                          " RETURNING 1",
                          4, params, claimed);
}

void store_idempotency_row_free(store_idempotency_row *row)
{
    free(row->response_body);
    free(row->location);
    memset(row, 0, sizeof *row);
}

static portal_result copy_column(PGresult *res, int col, size_t cap, char **out)
{
    *out = NULL;
    if (PQgetisnull(res, 0, col))
        return PORTAL_OK;
    int len = PQgetlength(res, 0, col);
    if (len < 0 || (size_t)len > cap)
        return PORTAL_ERR_TOO_LARGE;
    *out = malloc((size_t)len + 1);
    if (!*out)
        return PORTAL_ERR_MEMORY;
    memcpy(*out, PQgetvalue(res, 0, col), (size_t)len);
    (*out)[len] = '\0';
    return PORTAL_OK;
}

portal_result store_idempotency_get(db_conn *db, const char *caller, const char *key,
                                    store_idempotency_row *out)
{
    memset(out, 0, sizeof *out);
    if (!nonempty(caller) || !nonempty(key))
        return PORTAL_ERR_INVALID;
    const char *params[] = {caller, key};
    PGresult *res;
    portal_result rc = db_query_row(db,
                                    "SELECT request_hash, status_code, response_body, location"
                                    " FROM idempotency_keys WHERE caller = $1 AND key = $2",
                                    2, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(out->request_hash, sizeof out->request_hash, "%s", PQgetvalue(res, 0, 0));
    out->has_answer = !PQgetisnull(res, 0, 1);
    out->status_code = out->has_answer ? atoi(PQgetvalue(res, 0, 1)) : 0;
    rc = copy_column(res, 2, STORE_IDEMPOTENCY_MAX_BODY, &out->response_body);
    if (rc == PORTAL_OK)
        rc = copy_column(res, 3, STORE_IDEMPOTENCY_MAX_LOCATION, &out->location);
    PQclear(res);
    return rc;
}

portal_result store_idempotency_save(db_conn *db, const char *caller, const char *key, int status,
                                     const char *body, const char *location)
{
    if (!nonempty(caller) || !nonempty(key) || status < 100 || status > 599)
        return PORTAL_ERR_INVALID;
    if ((body && strlen(body) > STORE_IDEMPOTENCY_MAX_BODY) ||
        (location && strlen(location) > STORE_IDEMPOTENCY_MAX_LOCATION))
        return PORTAL_ERR_TOO_LARGE;
    char status_text[16];
    snprintf(status_text, sizeof status_text, "%d", status);
    const char *params[] = {caller, key, status_text, body, location};
    return db_exec_one(db,
                       "UPDATE idempotency_keys"
                       " SET status_code = $3::int, response_body = $4, location = $5"
                       " WHERE caller = $1 AND key = $2",
                       5, params, PORTAL_ERR_NOT_FOUND);
}

portal_result store_idempotency_purge_older_than(db_conn *db, int hours, long long *deleted)
{
    if (deleted)
        *deleted = 0;
    if (hours < 1)
        return PORTAL_ERR_INVALID;
    char hours_text[16];
    snprintf(hours_text, sizeof hours_text, "%d", hours);
    const char *params[] = {hours_text};
    PGresult *res = db_query(db,
                             "DELETE FROM idempotency_keys"
                             " WHERE created_at < now() - make_interval(hours => $1::int)",
                             1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (deleted)
        *deleted = atoll(PQcmdTuples(res));
    PQclear(res);
    return PORTAL_OK;
}
