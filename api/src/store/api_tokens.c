/* store/api_tokens.c: see api_tokens.h. */
#include "store/api_tokens.h"

#include <stdio.h>
#include <string.h>

/* Splits "{a,b}" into fixed-size rows. */
static int split(const char *text, char *out, size_t item, int max)
{
    int n = 0;
    const char *p = text;
    if (*p++ != '{')
        return 0;
    while (*p && *p != '}' && n < max) {
        size_t len = strcspn(p, ",}");
        if (len > 0 && len < item) {
            memcpy(out + (size_t)n * item, p, len);
            out[(size_t)n * item + len] = '\0';
            n++;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

portal_result api_tokens_authenticate(db_conn *db, const char *token_hash, portal_caller *out)
{
    const char *params[] = {token_hash};
    /* last_used_at is written at most once a minute to keep reads cheap. */
    PGresult *res = db_query(
        db,
        "WITH t AS (SELECT a.id, a.created_by, a.organisation_id, o.kind, a.rights::text AS r,"
        "  a.scheme_ids IS NULL AS all_schemes, coalesce(a.scheme_ids::text, '{}') AS s,"
        "  a.last_used_at"
        "  FROM api_tokens a JOIN users u ON u.id = a.created_by"
        "  JOIN organisations o ON o.id = a.organisation_id"
        "  WHERE a.token_hash = $1 AND a.revoked_at IS NULL AND a.expires_at > now()"
        "  AND u.deleted_at IS NULL AND u.status = 'active'"
        "  AND (u.expires_at IS NULL OR u.expires_at > now())),"
        " touch AS (UPDATE api_tokens SET last_used_at = now() WHERE id = (SELECT id FROM t"
        "  WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))"
        " SELECT id, created_by, organisation_id, kind, r, all_schemes, s FROM t",
        1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PORTAL_ERR_DENIED;
    }
    memset(out, 0, sizeof *out);
    out->kind = CALLER_API_TOKEN;
    snprintf(out->token_id, sizeof out->token_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->user_id, sizeof out->user_id, "%s", PQgetvalue(res, 0, 1));
    snprintf(out->organisation_id, sizeof out->organisation_id, "%s", PQgetvalue(res, 0, 2));
    snprintf(out->organisation_kind, sizeof out->organisation_kind, "%s", PQgetvalue(res, 0, 3));
    out->n_rights =
        split(PQgetvalue(res, 0, 4), &out->rights[0][0], CALLER_RIGHT_LEN, CALLER_MAX_RIGHTS);
    out->all_schemes = PQgetvalue(res, 0, 5)[0] == 't';
    out->n_schemes =
        split(PQgetvalue(res, 0, 6), &out->scheme_ids[0][0], PORTAL_ID_LEN, CALLER_MAX_SCOPE);
    PQclear(res);
    return PORTAL_OK;
}
