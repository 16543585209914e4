/* store/account_care.c: see account_care.h. */
#include "store/account_care.h"
#include "store/db_values.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "store/pg_array.h"
#include "store/throttle.h"

portal_result care_user_get(db_conn *db, const char *id, care_user *out)
{
    memset(out, 0, sizeof *out);
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {id};
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT u.id, u.organisation_id, u.first_name, u.last_name, u.email,"
                     " coalesce(u.username, ''), u.language, u.status, u.expires_at IS NOT NULL,"
                     " EXISTS (SELECT 1 FROM user_rights r WHERE r.user_id = u.id"
                     "   AND r.right_id IN ('user_management', 'staff')),"
                     " u.scheme_ids IS NULL, coalesce(u.scheme_ids::text, '{}')"
                     " FROM users u WHERE u.id = $1::uuid AND u.deleted_at IS NULL",
                     1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(out->id, sizeof out->id, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->organisation_id, sizeof out->organisation_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->first_name, sizeof out->first_name, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->last_name, sizeof out->last_name, "%s", PQgetvalue(res, 0, 3));
    snprintf(out->email, sizeof out->email, "%s", PQgetvalue(res, 0, 4));
    snprintf(out->username, sizeof out->username, "%s", PQgetvalue(res, 0, 5));
    snprintf(out->language, sizeof out->language, "%s", PQgetvalue(res, 0, 6));
    snprintf(out->status, sizeof out->status, "%s", PQgetvalue(res, 0, 7));
    out->external = PQgetvalue(res, 0, 8)[0] == 't';
    out->administrator = PQgetvalue(res, 0, 9)[0] == 't';
    out->all_schemes = PQgetvalue(res, 0, 10)[0] == 't';
    out->n_schemes = pg_array_split(PQgetvalue(res, 0, 11), &out->scheme_ids[0][0], PORTAL_ID_LEN,
                                    CALLER_MAX_SCOPE);
    PQclear(res);
    return PORTAL_OK;
}

portal_result care_organisation_name(db_conn *db, const char *id, char *out, size_t size)
{
    out[0] = '\0';
    if (!uuid_valid(id))
        return PORTAL_OK;
    const char *params[] = {id};
    PGresult *res = db_query(db, "SELECT name FROM organisations WHERE id = $1::uuid", 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1)
        snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return PORTAL_OK;
}

portal_result care_reset_second_factor(db_conn *db, const char *user_id)
{
    const char *params[] = {user_id};
    portal_result rc = db_exec(db,
                               "UPDATE users SET totp_secret = NULL, totp_last_counter = NULL,"
                               " mfa_enrolled_at = NULL, updated_at = now(), version = version + 1"
                               " WHERE id = $1::uuid",
                               1, params);
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "UPDATE sessions SET ended_at = now(), end_reason = 'second_factor_reset'"
                     " WHERE user_id = $1::uuid AND ended_at IS NULL",
                     1, params);
    return rc;
}

portal_result care_release_throttle(db_conn *db, const char *username, int *released)
{
    *released = 0;
    return throttle_clear_user(db, username, released);
}

portal_result care_main_administrator(db_conn *db, const char *organisation_id,
                                      char out[PORTAL_ID_LEN])
{
    out[0] = '\0';
    if (!uuid_valid(organisation_id))
        return PORTAL_OK;
    const char *params[] = {organisation_id};
    return db_query_copy(db, "SELECT coalesce(portal_main_administrator($1::uuid)::text, '')", 1,
                         params, out, PORTAL_ID_LEN);
}

portal_result care_set_main_administrator(db_conn *db, const char *organisation_id,
                                          const char *user_id)
{
    const char *params[] = {organisation_id, user_id};
    return db_exec(db,
                   "UPDATE organisations SET main_administrator_id = $2::uuid, updated_at = now(),"
                   " version = version + 1 WHERE id = $1::uuid",
                   2, params);
}

portal_result care_set_responsible(db_conn *db, const char *user_id, const char *responsible_id)
{
    const char *params[] = {user_id, responsible_id};
    return db_exec(db,
                   "UPDATE users SET responsible_user_id = $2::uuid, updated_at = now(),"
                   " version = version + 1 WHERE id = $1::uuid",
                   2, params);
}

/* The responsibility object of user u (functions of migration 0013). */
#define CARE_JSON                                                                                  \
    "json_build_object('user_id', u.id, 'name', u.first_name || ' ' || u.last_name,"               \
    " 'external', u.expires_at IS NOT NULL, 'expires_at', to_char(u.expires_at AT TIME ZONE"       \
    " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'invited_by',"                                     \
    " portal_user_ref(portal_user_inviter(u.id)), 'responsible',"                                  \
    " portal_user_ref(portal_user_responsible(u.id)), 'main_administrator',"                       \
    " portal_user_ref(portal_main_administrator(u.organisation_id)))"

portal_result care_responsibility(db_conn *db, const char *user_id, char **json)
{
    *json = NULL;
    if (!uuid_valid(user_id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {user_id};
    return db_query_text(db,
                         "SELECT " CARE_JSON "::text FROM users u WHERE u.id = $1::uuid"
                         " AND u.deleted_at IS NULL",
                         1, params, json);
}

portal_result care_external_users(db_conn *db, const char *organisation_id, char **json)
{
    *json = NULL;
    if (!uuid_valid(organisation_id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {organisation_id};
    return db_query_text(db,
                         "SELECT coalesce(json_agg(j ORDER BY n, i), '[]')::text FROM ("
                         " SELECT " CARE_JSON " AS j, lower(u.last_name || ' ' || u.first_name)"
                         " AS n, u.id AS i FROM users u WHERE u.organisation_id = $1::uuid"
                         " AND u.deleted_at IS NULL AND u.expires_at IS NOT NULL"
                         " ORDER BY 2, 3 LIMIT 500) x",
                         1, params, json);
}
