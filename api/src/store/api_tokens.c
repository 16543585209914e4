/* store/api_tokens.c: see api_tokens.h. */
#include "store/api_tokens.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/page_json.h"
#include "store/pg_array.h"

portal_result api_tokens_authenticate(db_conn *db, const char *token_hash, portal_caller *out)
{
    const char *params[] = {token_hash};
    /* last_used_at is written at most once a minute to keep reads cheap. */
    PGresult *res;
    portal_result rc = db_query_row(
        db,
        "WITH t AS (SELECT a.id, a.created_by, a.organisation_id, o.kind,"
        /* Never more than the creator holds now: the token's rights that the
         * creator still has (all of them while the creator may grant every
         * right), within the creator's current schemes. */
        "  (CASE WHEN EXISTS (SELECT 1 FROM user_rights ur JOIN rights r ON r.id = ur.right_id"
        "      AND r.organisation_kind = o.kind WHERE ur.user_id = u.id"
        "      AND 'rights.grant_all' = ANY (r.capabilities)) THEN a.rights"
        "    ELSE ARRAY(SELECT x FROM unnest(a.rights) x WHERE EXISTS (SELECT 1 FROM user_rights ur"
        "      WHERE ur.user_id = u.id AND ur.right_id = x)) END)::text AS r,"
        "  sc.ids IS NULL AS all_schemes, coalesce(sc.ids::text, '{}') AS s, a.last_used_at"
        "  FROM api_tokens a JOIN users u ON u.id = a.created_by"
        "  JOIN organisations o ON o.id = a.organisation_id"
        "  CROSS JOIN LATERAL (SELECT CASE WHEN u.scheme_ids IS NULL THEN a.scheme_ids"
        "    WHEN a.scheme_ids IS NULL THEN u.scheme_ids"
        "    ELSE ARRAY(SELECT x FROM unnest(a.scheme_ids) x WHERE x = ANY (u.scheme_ids)) END"
        "    AS ids) sc"
        "  WHERE a.token_hash = $1 AND a.revoked_at IS NULL AND a.expires_at > now()"
        "  AND u.deleted_at IS NULL AND u.status = 'active'"
        "  AND (u.expires_at IS NULL OR u.expires_at > now())),"
        " touch AS (UPDATE api_tokens SET last_used_at = now() WHERE id = (SELECT id FROM t"
        "  WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))"
        " SELECT id, created_by, organisation_id, kind, r, all_schemes, s FROM t",
        1, params, PORTAL_ERR_DENIED, &res);
    if (rc != PORTAL_OK)
        return rc;
    memset(out, 0, sizeof *out);
    out->kind = CALLER_API_TOKEN;
    snprintf(out->token_id, sizeof out->token_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->user_id, sizeof out->user_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->organisation_id, sizeof out->organisation_id, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->organisation_kind, sizeof out->organisation_kind, "%s", PQgetvalue(res, 0, 3));
    out->n_rights = pg_array_split(PQgetvalue(res, 0, 4), &out->rights[0][0], CALLER_RIGHT_LEN,
                                   CALLER_MAX_RIGHTS);
    out->all_schemes = PQgetvalue(res, 0, 5)[0] == 't';
    out->n_schemes = pg_array_split(PQgetvalue(res, 0, 6), &out->scheme_ids[0][0], PORTAL_ID_LEN,
                                    CALLER_MAX_SCOPE);
    PQclear(res);
    return PORTAL_OK;
}

/* A token as the API shows it (a: api_tokens, u: its creator). */
#define API_TOKEN_JSON                                                                             \
    "json_build_object('id', a.id, 'name', a.name, 'prefix', a.prefix,"                            \
    " 'created_by', json_build_object('id', u.id, 'name', u.first_name || ' ' || u.last_name),"    \
    " 'created_at', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
    " 'last_used_at', to_char(a.last_used_at AT TIME ZONE 'UTC',"                                  \
    "   'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"                                                        \
    " 'expires_at', to_char(a.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
    " 'rights', to_json(a.rights), 'scheme_ids', to_json(a.scheme_ids),"                           \
    " 'revoked_at', to_char(a.revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"   \
    " 'status', CASE WHEN a.revoked_at IS NOT NULL THEN 'revoked'"                                 \
    "   WHEN a.expires_at <= now() THEN 'expired' ELSE 'active' END)"

portal_result api_tokens_create(db_conn *db, const api_token_new *t, char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {t->organisation_id, t->created_by, t->name,       t->prefix,
                            t->token_hash,      t->rights,     t->scheme_ids, t->expires_at};
    return db_query_copy(db,
                         "INSERT INTO api_tokens (organisation_id, created_by, name, prefix,"
                         " token_hash, rights, scheme_ids, expires_at)"
                         " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::text[], $7::uuid[],"
                         " $8::timestamptz) RETURNING id",
                         8, params, out_id, PORTAL_ID_LEN);
}

/* One token ($1) of organisation $2 within the schemes $3: its JSON and
 * version. */
#define API_TOKEN_ONE                                                                              \
    "SELECT " API_TOKEN_JSON "::text, a.id || ':' || coalesce(a.revoked_at::text, '')"             \
    " FROM api_tokens a JOIN users u ON u.id = a.created_by"                                       \
    " WHERE a.id = $1::uuid AND a.organisation_id = $2::uuid"                                      \
    " AND ($3::uuid[] IS NULL OR a.scheme_ids <@ $3::uuid[])"

portal_result api_tokens_get_json(db_conn *db, const char *id, const char *organisation_id,
                                  const char *within, int lock, char **json,
                                  char version[API_TOKENS_VERSION_LEN])
{
    const char *params[] = {id, organisation_id, within};
    if (json)
        *json = NULL;
    PGresult *res;
    portal_result rc = db_query_row(db, lock ? API_TOKEN_ONE " FOR UPDATE OF a" : API_TOKEN_ONE, 3,
                                    params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(version, API_TOKENS_VERSION_LEN, "%s", PQgetvalue(res, 0, 1));
    int ok = 1;
    if (json)
        *json = db_dup_value(res, 0, 0, &ok);
    PQclear(res);
    return ok ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result api_tokens_revoke(db_conn *db, const char *id, int *changed)
{
    const char *params[] = {id};
    return db_exec_changed(db,
                           "UPDATE api_tokens SET revoked_at = now()"
                           " WHERE id = $1::uuid AND revoked_at IS NULL",
                           1, params, changed);
}

portal_result api_tokens_list_json(db_conn *db, const char *organisation_id, const char *within,
                                   const char *after_created, const char *after_id, int limit,
                                   char **items, char **next_keys)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {organisation_id, after_created, after_id, lim, within};
    PGresult *res = db_query(
        db,
        "SELECT " API_TOKEN_JSON "::text,"
        " json_build_array((extract(epoch FROM a.created_at) * 1000000)::bigint, a.id)::text"
        " FROM api_tokens a JOIN users u ON u.id = a.created_by"
        " WHERE a.organisation_id = $1::uuid AND ($5::uuid[] IS NULL OR a.scheme_ids <@ $5::uuid[])"
        " AND ($2::bigint IS NULL OR ((extract(epoch FROM a.created_at) * 1000000)::bigint, a.id)"
        "   < ($2::bigint, $3::uuid))"
        " ORDER BY a.created_at DESC, a.id DESC LIMIT $4::int",
        5, params);
    return page_json_collect(res, limit, items, next_keys);
}
