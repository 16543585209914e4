/* store/mandates.c: see mandates.h. */
#include "store/mandates.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/page_json.h"

/* A mandate as the API shows it (m: mandates, e: employer, i: intermediary). */
#define MANDATE_JSON                                                                               \
    "json_build_object('id', m.id,"                                                                \
    " 'employer', json_build_object('id', e.id, 'name', e.name),"                                  \
    " 'intermediary', json_build_object('id', i.id, 'name', i.name),"                              \
    " 'access', m.access,"                                                                         \
    " 'scheme_ids', coalesce((SELECT json_agg(ms.scheme_id ORDER BY ms.scheme_id)"                 \
    "   FROM mandate_schemes ms WHERE ms.mandate_id = m.id), '[]'::json),"                         \
    " 'created_at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
    " 'revoked_at', to_char(m.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"

/* Mandate m's schemes lie inside the uuid[] parameter P (NULL: no limit). */
#define MANDATE_WITHIN(P)                                                                          \
    "(" P "::uuid[] IS NULL OR ARRAY(SELECT ms.scheme_id FROM mandate_schemes ms"                  \
    " WHERE ms.mandate_id = m.id) <@ " P "::uuid[])"

#define MANDATE_FROM                                                                               \
    " FROM mandates m JOIN organisations e ON e.id = m.employer_id"                                \
    " JOIN organisations i ON i.id = m.intermediary_id"

portal_result mandates_intermediary_exists(db_conn *db, const char *id, int *exists)
{
    const char *params[] = {id};
    *exists = 0;
    return db_query_found(db,
                          "SELECT 1 FROM organisations WHERE id = $1::uuid"
                          " AND kind = 'intermediary' AND deleted_at IS NULL",
                          1, params, exists);
}

portal_result mandates_create(db_conn *db, const char *employer_id, const char *intermediary_id,
                              const char *access, const char *scheme_ids_literal,
                              const char *created_by, char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {employer_id, intermediary_id, access, scheme_ids_literal,
                            created_by && *created_by ? created_by : NULL};
    portal_result rc = db_query_copy(
        db,
        "WITH m AS (INSERT INTO mandates (employer_id, intermediary_id, access, created_by)"
        "  VALUES ($1::uuid, $2::uuid, $3, $5::uuid) RETURNING id),"
        " s AS (INSERT INTO mandate_schemes (mandate_id, scheme_id)"
        "  SELECT m.id, x FROM m, unnest($4::uuid[]) AS x)"
        " SELECT id FROM m",
        5, params, out_id, PORTAL_ID_LEN);
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_ERR_INTERNAL : rc;
}

/* One mandate ($1): its JSON, parties, state and version; the query goes
 * on with the condition on its schemes. */
#define MANDATE_ONE                                                                                \
    "SELECT " MANDATE_JSON "::text, m.employer_id, m.intermediary_id,"                             \
    " m.revoked_at IS NOT NULL, m.id || ':' || coalesce(m.revoked_at::text, '')" MANDATE_FROM      \
    " WHERE m.id = $1::uuid AND "

portal_result mandates_get_json(db_conn *db, const char *id, const char *within, int lock,
                                char **json, mandate_meta *meta)
{
    const char *params[] = {id, within};
    if (json)
        *json = NULL;
    memset(meta, 0, sizeof *meta);
    PGresult *res;
    portal_result rc = db_query_row(db,
                                    lock ? MANDATE_ONE MANDATE_WITHIN("$2") " FOR UPDATE OF m"
                                         : MANDATE_ONE MANDATE_WITHIN("$2"),
                                    2, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(meta->employer_id, sizeof meta->employer_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(meta->intermediary_id, sizeof meta->intermediary_id, "%s", PQgetvalue(res, 0, 2));
    meta->revoked = PQgetvalue(res, 0, 3)[0] == 't';
    snprintf(meta->version, sizeof meta->version, "%s", PQgetvalue(res, 0, 4));
    int ok = 1;
    if (json)
        *json = db_dup_value(res, 0, 0, &ok);
    PQclear(res);
    return ok ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result mandates_revoke(db_conn *db, const char *id, int *changed)
{
    const char *params[] = {id};
    return db_exec_changed(db,
                           "UPDATE mandates SET revoked_at = now()"
                           " WHERE id = $1::uuid AND revoked_at IS NULL",
                           1, params, changed);
}

portal_result mandates_list_json(db_conn *db, const mandate_list_query *q, char **items,
                                 char **next_keys)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", q->limit + 1);
    const char *params[] = {q->employer_id,   q->intermediary_id, q->status,
                            q->after_created, q->after_id,        lim,
                            q->within};
    PGresult *res = db_query(
        db,
        "SELECT " MANDATE_JSON "::text,"
        " json_build_array((extract(epoch FROM m.created_at) * 1000000)::bigint, "
        "m.id)::text" MANDATE_FROM " WHERE ($1::uuid IS NULL OR m.employer_id = $1::uuid)"
        " AND ($2::uuid IS NULL OR m.intermediary_id = $2::uuid)"
        " AND ($3::text IS NULL OR ($3 = 'active') = (m.revoked_at IS NULL))"
        " AND ($4::bigint IS NULL OR ((extract(epoch FROM m.created_at) * 1000000)::bigint, m.id)"
        "   < ($4::bigint, $5::uuid)) AND " MANDATE_WITHIN(
            "$7") " ORDER BY m.created_at DESC, m.id DESC LIMIT $6::int",
        7, params);
    return page_json_collect(res, q->limit, items, next_keys);
}
