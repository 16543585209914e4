/* store/organisations.c: see organisations.h. */
#include "store/organisations.h"
#include "store/db_values.h"

#include "base/uuid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The organisation's JSON, shared by reads. */
#define ORG_JSON                                                                                   \
    "json_build_object('id', o.id, 'kind', o.kind, 'name', o.name,"                                \
    " 'registration_number', o.registration_number, 'postal_address', o.postal_address,"           \
    " 'visiting_address', o.visiting_address, 'contact_person', o.contact_person,"                 \
    " 'notification_email', o.notification_email,"                                                 \
    " 'advisor', (SELECT json_build_object('id', a.id, 'name', a.name, 'registration_number',"     \
    "   a.registration_number, 'postal_address', a.postal_address, 'visiting_address',"            \
    "   a.visiting_address, 'email', a.notification_email, 'contact_person',"                      \
    "   a.contact_person) FROM organisations a WHERE a.id = o.advisor_id),"                        \
    " 'licences', CASE WHEN o.kind = 'intermediary' THEN to_json(coalesce(o.licences,"             \
    "   '{}')) END,"                                                                               \
    " 'created_at', to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
    " 'updated_at', to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

portal_result organisations_create(db_conn *db, const organisation_fields *f,
                                   char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {f->kind,
                            f->name,
                            f->registration_number,
                            f->postal_address,
                            f->visiting_address,
                            f->contact_person,
                            f->notification_email,
                            f->advisor_id && *f->advisor_id ? f->advisor_id : NULL,
                            f->licences};
    return db_query_copy(db,
                         "INSERT INTO organisations (kind, name, registration_number,"
                         " postal_address, visiting_address, contact_person,"
                         " notification_email, advisor_id, licences)"
                         " VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8::uuid,"
                         " $9::text[]) RETURNING id",
                         9, params, out_id, PORTAL_ID_LEN);
}

portal_result organisations_update(db_conn *db, const char *id, const organisation_fields *f)
{
    const char *params[] = {id,
                            f->name,
                            f->registration_number,
                            f->postal_address,
                            f->visiting_address,
                            f->contact_person,
                            f->notification_email,
                            f->advisor_id,
                            f->licences};
    return db_exec_one(
        db,
        "UPDATE organisations SET name = coalesce($2, name),"
        " registration_number = coalesce($3, registration_number),"
        " postal_address = coalesce($4::jsonb, postal_address),"
        " visiting_address = coalesce($5::jsonb, visiting_address),"
        " contact_person = coalesce($6::jsonb, contact_person),"
        " notification_email = coalesce($7, notification_email),"
        " advisor_id = CASE WHEN $8::text IS NULL THEN advisor_id WHEN $8 = '' THEN NULL"
        "   ELSE $8::uuid END,"
        " licences = coalesce($9::text[], licences),"
        " updated_at = now(), version = version + 1"
        " WHERE id = $1::uuid AND deleted_at IS NULL",
        9, params, PORTAL_ERR_NOT_FOUND);
}

portal_result organisations_get_json(db_conn *db, const char *id, char **json, int *version)
{
    const char *params[] = {id};
    *json = NULL;
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    PGresult *res;
    portal_result rc = db_query_row(
        db,
        "SELECT (" ORG_JSON "::jsonb || jsonb_build_object('administrators',"
        " coalesce((SELECT jsonb_agg(jsonb_build_object('id', u.id, 'first_name', u.first_name,"
        "  'last_name', u.last_name, 'email', u.email) ORDER BY u.last_name, u.first_name)"
        "  FROM users u JOIN user_rights r ON r.user_id = u.id AND r.right_id = 'user_management'"
        "  WHERE u.organisation_id = o.id AND u.deleted_at IS NULL AND u.status = 'active'),"
        "  '[]'::jsonb)))::text, o.version"
        " FROM organisations o WHERE o.id = $1::uuid AND o.deleted_at IS NULL",
        1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    *json = strdup(PQgetvalue(res, 0, 0));
    if (version)
        *version = atoi(PQgetvalue(res, 0, 1));
    PQclear(res);
    return *json ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result organisations_kind(db_conn *db, const char *id, char kind[16])
{
    if (!uuid_valid(id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {id};
    return db_query_copy(
        db, "SELECT kind FROM organisations WHERE id = $1::uuid AND deleted_at IS NULL", 1, params,
        kind, 16);
}

portal_result organisations_licences(db_conn *db, const char *id, char *out, size_t size)
{
    const char *params[] = {id};
    return db_query_copy(
        db, "SELECT coalesce(licences, '{}')::text FROM organisations WHERE id = $1::uuid", 1,
        params, out, size);
}

portal_result organisations_list_json(db_conn *db, const char *kind, const char *q,
                                      const char *after_name, const char *after_id, int limit,
                                      char **json)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {kind, q, after_name, after_id, lim};
    *json = NULL;
    return db_query_text(db,
                         "SELECT coalesce(json_agg(j ORDER BY n, i), '[]')::text FROM ("
                         " SELECT " ORG_JSON
                         " AS j, lower(o.name) AS n, o.id AS i FROM organisations o"
                         " WHERE o.deleted_at IS NULL AND o.kind <> 'insurer'"
                         " AND ($1::text IS NULL OR o.kind = $1)"
                         " AND ($2::text IS NULL OR o.name ILIKE '%' || $2 || '%'"
                         "   OR o.registration_number = $2)"
                         " AND ($3::text IS NULL OR (lower(o.name), o.id) > (lower($3), $4::uuid))"
                         " ORDER BY lower(o.name), o.id LIMIT $5::int) page",
                         5, params, json);
}

portal_result organisations_has_administrator(db_conn *db, const char *id, int *has)
{
    const char *params[] = {id};
    return db_query_flag(db,
                         "SELECT EXISTS (SELECT 1 FROM users u JOIN user_rights r"
                         " ON r.user_id = u.id AND r.right_id = 'user_management'"
                         " WHERE u.organisation_id = $1::uuid AND u.deleted_at IS NULL"
                         " AND u.status IN ('invited', 'active'))",
                         1, params, has);
}
