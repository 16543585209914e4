/* store/schemes.c: see schemes.h. */
#include "store/schemes.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/access.h"
#include "store/page_json.h"

/* A scheme as the API shows it (s: schemes, o: its organisation). */
#define SCHEME_JSON                                                                                \
    "json_build_object('id', s.id, 'organisation_id', s.organisation_id,"                          \
    " 'organisation', json_build_object('id', o.id, 'name', o.name),"                              \
    " 'name', s.name, 'number', s.number, 'kind', s.kind,"                                         \
    " 'start_date', to_char(s.start_date, 'YYYY-MM-DD'), 'coverages', s.coverages,"                \
    " 'premium', s.premium, 'variant', s.variant, 'insured_wage_type', s.insured_wage_type,"       \
    " 'created_at', to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
    " 'updated_at', to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

portal_result schemes_employer_exists(db_conn *db, const char *id, int *is_employer)
{
    const char *params[] = {id};
    *is_employer = 0;
    return db_query_found(db,
                          "SELECT 1 FROM organisations WHERE id = $1::uuid AND kind = 'employer'"
                          " AND deleted_at IS NULL",
                          1, params, is_employer);
}

portal_result schemes_create(db_conn *db, const scheme_fields *f, char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {f->organisation_id,  f->name,      f->number,  f->kind,
                            f->start_date,       f->coverages, f->premium, f->variant,
                            f->insured_wage_type};
    return db_insert_id(db,
                        "INSERT INTO schemes (organisation_id, name, number, kind, start_date,"
                        " coverages, premium, variant, insured_wage_type)"
                        " VALUES ($1::uuid, $2, $3, $4, $5::date, coalesce($6::jsonb, '[]'),"
                        " coalesce($7::jsonb, '{}'), $8, $9) RETURNING id",
                        9, params, out_id, PORTAL_ID_LEN);
}

portal_result schemes_update(db_conn *db, const char *id, const scheme_fields *f)
{
    const char *params[] = {id,
                            f->name,
                            f->number,
                            f->start_date,
                            f->coverages,
                            f->premium,
                            f->set_variant ? "true" : "false",
                            f->variant,
                            f->set_wage_type ? "true" : "false",
                            f->insured_wage_type};
    portal_result rc = db_exec_one(
        db,
        "UPDATE schemes SET name = coalesce($2, name), number = coalesce($3, number),"
        " start_date = coalesce($4::date, start_date),"
        " coverages = coalesce($5::jsonb, coverages), premium = coalesce($6::jsonb, premium),"
        " variant = CASE WHEN $7::boolean THEN $8 ELSE variant END,"
        " insured_wage_type = CASE WHEN $9::boolean THEN $10 ELSE insured_wage_type END,"
        " updated_at = now(), version = version + 1"
        " WHERE id = $1::uuid",
        10, params, PORTAL_ERR_NOT_FOUND);
    return rc == PORTAL_ERR_DATABASE && db_is_unique_violation(db) ? PORTAL_ERR_CONFLICT : rc;
}

portal_result schemes_get_json(db_conn *db, const char *id, int lock, char **json,
                               char version[SCHEMES_VERSION_LEN])
{
    const char *params[] = {id};
    *json = NULL;
    PGresult *res =
        lock ? db_query(db,
                        "SELECT " SCHEME_JSON "::text, s.id || ':' || s.version"
                        " FROM schemes s JOIN organisations o ON o.id = s.organisation_id"
                        " WHERE s.id = $1::uuid FOR UPDATE OF s",
                        1, params)
             : db_query(db,
                        "SELECT " SCHEME_JSON "::text, s.id || ':' || s.version"
                        " FROM schemes s JOIN organisations o ON o.id = s.organisation_id"
                        " WHERE s.id = $1::uuid",
                        1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PORTAL_ERR_NOT_FOUND;
    }
    *json = strdup(PQgetvalue(res, 0, 0));
    snprintf(version, SCHEMES_VERSION_LEN, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return *json ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result schemes_list_json(db_conn *db, const portal_caller *caller, const char *capability,
                                const scheme_list_query *q, char **items, char **next_keys)
{
    access_visibility vis;
    char lim[16];
    access_visibility_of(caller, &vis);
    snprintf(lim, sizeof lim, "%d", q->limit + 1);
    const char *params[] = {
        vis.param[0],       vis.param[1], vis.param[2],  vis.param[3], vis.param[4], capability,
        q->organisation_id, q->kind,      q->after_name, q->after_id,  lim};
    PGresult *res =
        db_query(db,
                 "SELECT " SCHEME_JSON "::text, json_build_array(s.name, s.id)::text"
                 " FROM portal_visible_schemes($1::uuid, $2, $3::text[], $4::boolean, $5::uuid[]) v"
                 " JOIN schemes s ON s.id = v.scheme_id"
                 " JOIN organisations o ON o.id = s.organisation_id"
                 " WHERE EXISTS (SELECT 1 FROM rights r WHERE r.organisation_kind = v.rights_kind"
                 "   AND r.id = ANY (v.rights) AND $6 = ANY (r.capabilities))"
                 " AND ($7::uuid IS NULL OR s.organisation_id = $7::uuid)"
                 " AND ($8::text IS NULL OR s.kind = $8)"
                 " AND ($9::text IS NULL OR (s.name, s.id) > ($9, $10::uuid))"
                 " ORDER BY s.name, s.id LIMIT $11::int",
                 11, params);
    return page_json_collect(res, q->limit, items, next_keys);
}

portal_result schemes_classify(db_conn *db, const portal_caller *caller,
                               const char (*ids)[PORTAL_ID_LEN], int n, scheme_visibility *out)
{
    if (n < 0 || n > SCHEMES_MAX_IDS)
        return PORTAL_ERR_TOO_LARGE;
    if (n == 0)
        return PORTAL_OK;
    access_visibility vis;
    access_visibility_of(caller, &vis);
    buf idlit;
    buf_init(&idlit, (size_t)SCHEMES_MAX_IDS * (PORTAL_ID_LEN + 1) + 4);
    portal_result rc = buf_append_str(&idlit, "{");
    for (int i = 0; rc == PORTAL_OK && i < n; i++)
        rc = buf_printf(&idlit, "%s%s", i ? "," : "", ids[i]);
    if (rc == PORTAL_OK)
        rc = buf_append_str(&idlit, "}");
    if (rc != PORTAL_OK) {
        buf_free(&idlit);
        return rc;
    }
    const char *params[] = {vis.param[0], vis.param[1], vis.param[2],
                            vis.param[3], vis.param[4], idlit.data};
    PGresult *res = db_query(
        db,
        "SELECT CASE WHEN i.id IN (SELECT scheme_id FROM portal_visible_schemes($1::uuid, $2,"
        "   $3::text[], $4::boolean, $5::uuid[])) THEN 2"
        " WHEN i.id IN (SELECT scheme_id FROM portal_visible_schemes($1::uuid, $2, $3::text[],"
        "   true, '{}'::uuid[])) THEN 1 ELSE 0 END"
        " FROM unnest($6::uuid[]) WITH ORDINALITY AS i (id, ord) ORDER BY i.ord",
        6, params);
    buf_free(&idlit);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) != n) {
        PQclear(res);
        return PORTAL_ERR_INTERNAL;
    }
    for (int i = 0; i < n; i++) {
        int v = atoi(PQgetvalue(res, i, 0));
        out[i] = v == 2 ? SCHEME_IN_SCOPE : v == 1 ? SCHEME_OUT_OF_SCOPE : SCHEME_UNKNOWN;
    }
    PQclear(res);
    return PORTAL_OK;
}
