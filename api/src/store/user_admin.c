/* store/user_admin.c: see user_admin.h. */
#include "store/user_admin.h"
#include "store/db_values.h"

#include "store/pg_array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_JSON                                                                                  \
    "json_build_object('id', u.id, 'organisation_id', u.organisation_id, 'first_name',"            \
    " u.first_name, 'last_name', u.last_name, 'email', u.email, 'mobile', u.mobile,"               \
    " 'username', u.username, 'status', u.status, 'rights', coalesce((SELECT"                      \
    " json_agg(r.right_id ORDER BY r.right_id) FROM user_rights r WHERE r.user_id = u.id),"        \
    " '[]'), 'scheme_ids', to_json(u.scheme_ids), 'expires_at', to_char(u.expires_at AT TIME"      \
    " ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'created_at', to_char(u.created_at AT"        \
    " TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'updated_at', to_char(u.updated_at"      \
    " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

static void split_rights(const char *text, rights_set *out)
{
    char ids[RIGHTS_SET_MAX][RIGHTS_ID_SIZE];
    int n = pg_array_split(text, &ids[0][0], RIGHTS_ID_SIZE, RIGHTS_SET_MAX);
    rights_set_init(out);
    for (int i = 0; i < n; i++)
        rights_set_add(out, ids[i]);
}

portal_result user_admin_get(db_conn *db, const char *id, char **json, user_admin_row *row)
{
    const char *params[] = {id};
    *json = NULL;
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT " USER_JSON "::text, u.organisation_id, u.status, u.version,"
                     " coalesce((SELECT array_agg(right_id) FROM user_rights"
                     " WHERE user_id = u.id), '{}')::text,"
                     " u.scheme_ids IS NULL, coalesce(u.scheme_ids::text, '{}')"
                     " FROM users u WHERE u.id = $1::uuid AND u.deleted_at IS NULL",
                     1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    snprintf(row->id, sizeof row->id, "%s", id);
    snprintf(row->organisation_id, sizeof row->organisation_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(row->status, sizeof row->status, "%s", PQgetvalue(res, 0, 2));
    row->version = atoi(PQgetvalue(res, 0, 3));
    split_rights(PQgetvalue(res, 0, 4), &row->rights);
    row->all_schemes = PQgetvalue(res, 0, 5)[0] == 't';
    row->n_schemes = pg_array_split(PQgetvalue(res, 0, 6), &row->scheme_ids[0][0], PORTAL_ID_LEN,
                                    CALLER_MAX_SCOPE);
    PQclear(res);
    return *json ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result user_admin_list(db_conn *db, const char *organisation_id, const char *q,
                              const char *after_last, const char *after_first, const char *after_id,
                              int limit, const char *within, char **json)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {organisation_id, q, after_last, after_first, after_id, lim, within};
    *json = NULL;
    return db_query_text(
        db,
        "SELECT coalesce(json_agg(j ORDER BY l, f, i), '[]')::text FROM ("
        " SELECT " USER_JSON " AS j, lower(u.last_name) AS l, lower(u.first_name) AS f,"
        " u.id AS i FROM users u WHERE u.deleted_at IS NULL"
        " AND ($1::uuid IS NULL OR u.organisation_id = $1::uuid)"
        " AND ($2::text IS NULL OR u.first_name ILIKE '%' || $2 || '%'"
        "   OR u.last_name ILIKE '%' || $2 || '%'"
        "   OR (u.first_name || ' ' || u.last_name) ILIKE '%' || $2 || '%')"
        " AND ($3::text IS NULL OR (lower(u.last_name), lower(u.first_name), u.id)"
        "   > (lower($3), lower($4), $5::uuid))"
        " AND ($7::uuid[] IS NULL OR u.scheme_ids <@ $7::uuid[])"
        " ORDER BY lower(u.last_name), lower(u.first_name), u.id LIMIT $6::int) page",
        7, params, json);
}

portal_result user_admin_set_rights(db_conn *db, const char *id, const rights_set *rights)
{
    const char *params[] = {id};
    if (db_exec(db, "DELETE FROM user_rights WHERE user_id = $1::uuid", 1, params) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    for (size_t i = 0; i < rights->count; i++) {
        const char *p[] = {id, rights->ids[i]};
        if (db_exec(db, "INSERT INTO user_rights (user_id, right_id) VALUES ($1::uuid, $2)", 2,
                    p) != PORTAL_OK)
            return PORTAL_ERR_DATABASE;
    }
    return db_exec(db, "UPDATE users SET updated_at = now(), version = version + 1 WHERE id = $1",
                   1, params);
}

portal_result user_admin_update(db_conn *db, const char *id, const char *first_name,
                                const char *last_name, const char *mobile, int set_scope,
                                const char *scope_literal, int set_expiry, const char *expires_at)
{
    const char *params[] = {id,
                            first_name,
                            last_name,
                            mobile,
                            set_scope ? "t" : "f",
                            scope_literal,
                            set_expiry ? "t" : "f",
                            expires_at};
    return db_exec(db,
                   "UPDATE users SET first_name = coalesce($2, first_name),"
                   " last_name = coalesce($3, last_name), mobile = coalesce($4, mobile),"
                   " scheme_ids = CASE WHEN $5::boolean THEN $6::uuid[] ELSE scheme_ids END,"
                   " expires_at = CASE WHEN $7::boolean THEN $8::timestamptz ELSE expires_at END,"
                   " updated_at = now(), version = version + 1 WHERE id = $1::uuid",
                   8, params);
}

portal_result user_admin_set_status(db_conn *db, const char *id, const char *status)
{
    const char *params[] = {id, status};
    portal_result rc = db_exec_one(db,
                                   "UPDATE users SET status = $2, updated_at = now(),"
                                   " version = version + 1 WHERE id = $1::uuid"
                                   " AND status IN ('active', 'locked') AND deleted_at IS NULL",
                                   2, params, PORTAL_ERR_CONFLICT);
    if (rc != PORTAL_OK || strcmp(status, "locked") != 0)
        return rc;
    const char *p1[] = {id};
    return db_exec(db,
                   "UPDATE sessions SET ended_at = now(), end_reason = 'user_locked'"
                   " WHERE user_id = $1::uuid AND ended_at IS NULL",
                   1, p1);
}

portal_result user_admin_delete(db_conn *db, const char *id)
{
    const char *params[] = {id};
    if (db_exec(db,
                "UPDATE users SET deleted_at = now(), updated_at = now(), version = version + 1"
                " WHERE id = $1::uuid AND deleted_at IS NULL",
                1, params) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return db_exec(db,
                   "UPDATE sessions SET ended_at = now(), end_reason = 'user_deleted'"
                   " WHERE user_id = $1::uuid AND ended_at IS NULL",
                   1, params);
}

portal_result user_admin_other_admins(db_conn *db, const char *organisation_id,
                                      const char *except_id, int *count)
{
    const char *params[] = {organisation_id, except_id};
    return db_query_int(db,
                        "SELECT count(*) FROM users u JOIN user_rights r ON r.user_id = u.id"
                        " AND r.right_id = 'user_management'"
                        " WHERE u.organisation_id = $1::uuid AND u.id <> $2::uuid"
                        " AND u.deleted_at IS NULL AND u.status = 'active'"
                        " AND (u.expires_at IS NULL OR u.expires_at > now())",
                        2, params, count);
}

portal_result user_admin_schemes_in_org(db_conn *db, const char *organisation_id,
                                        const char *scope_literal, int *count)
{
    const char *params[] = {organisation_id, scope_literal};
    return db_query_int(db,
                        "SELECT count(*) FROM schemes WHERE organisation_id = $1::uuid"
                        " AND id = ANY ($2::uuid[])",
                        2, params, count);
}
