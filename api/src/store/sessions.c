/* store/sessions.c: see sessions.h. */
#include "store/sessions.h"
#include "store/db_values.h"

#include "store/pg_array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

portal_result sessions_create(db_conn *db, const char *user_id, const char *client_address,
                              const char *csrf_hash, char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {user_id, client_address, csrf_hash};
    return db_query_copy(db,
                         "INSERT INTO sessions (user_id, client_address, csrf_hash,"
                         " expires_at) VALUES ($1, $2, $3, now() + interval '12 hours')"
                         " RETURNING id",
                         3, params, out_id, PORTAL_ID_LEN);
}

portal_result sessions_add_refresh(db_conn *db, const char *session_id, const char *token_hash)
{
    const char *params[] = {session_id, token_hash};
    return db_exec(db,
                   "INSERT INTO refresh_tokens (token_hash, session_id, expires_at)"
                   " SELECT $2, id, least(expires_at, now() + interval '12 hours')"
                   " FROM sessions WHERE id = $1",
                   2, params);
}

portal_result sessions_use_refresh(db_conn *db, const char *token_hash,
                                   char session_id[PORTAL_ID_LEN], char user_id[PORTAL_ID_LEN],
                                   char csrf_hash[72])
{
    const char *params[] = {token_hash};
    /* Lock the token row: of many concurrent uses exactly one sees it unused. */
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT r.session_id, s.user_id, CASE WHEN r.used_at IS NULL THEN 'f'"
                     " WHEN r.used_at > now() - interval '5 seconds' THEN 'r' ELSE 't' END,"
                     " r.expires_at > now() AND s.ended_at IS NULL"
                     " AND s.expires_at > now(), coalesce(s.csrf_hash, '')"
                     " FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id"
                     " WHERE r.token_hash = $1 FOR UPDATE OF r",
                     1, params, PORTAL_ERR_EXPIRED, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(session_id, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 0));
    snprintf(user_id, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 1));
    snprintf(csrf_hash, 72, "%s", PQgetvalue(res, 0, 4));
    char used = PQgetvalue(res, 0, 2)[0];
    int live = PQgetvalue(res, 0, 3)[0] == 't';
    PQclear(res);
    /* Used a moment ago: most likely two tabs refreshing at once, not a
     * stolen token; refuse this one without ending the session. */
    if (used == 'r')
        return PORTAL_ERR_EXPIRED;
    if (used == 't') {
        sessions_end(db, session_id, "refresh_token_reused");
        return PORTAL_ERR_CONFLICT;
    }
    if (!live)
        return PORTAL_ERR_EXPIRED;
    return db_exec(db, "UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1", 1,
                   params);
}

portal_result sessions_expire_refresh(db_conn *db, const char *session_id)
{
    const char *params[] = {session_id};
    return db_exec(db,
                   "UPDATE refresh_tokens SET expires_at = least(expires_at, now())"
                   " WHERE session_id = $1::uuid AND used_at IS NULL",
                   1, params);
}

portal_result sessions_set_csrf(db_conn *db, const char *session_id, const char *csrf_hash)
{
    const char *params[] = {session_id, csrf_hash};
    return db_exec(db, "UPDATE sessions SET csrf_hash = $2 WHERE id = $1", 2, params);
}

portal_result sessions_end(db_conn *db, const char *session_id, const char *reason)
{
    const char *params[] = {session_id, reason};
    return db_exec(db,
                   "UPDATE sessions SET ended_at = now(), end_reason = $2"
                   " WHERE id = $1 AND ended_at IS NULL",
                   2, params);
}

portal_result sessions_end_all(db_conn *db, const char *user_id, const char *keep,
                               const char *reason)
{
    const char *params[] = {user_id, keep, reason};
    return db_exec(db,
                   "UPDATE sessions SET ended_at = now(), end_reason = $3"
                   " WHERE user_id = $1 AND ended_at IS NULL"
                   " AND ($2::uuid IS NULL OR id <> $2::uuid)",
                   3, params);
}

/* What a caller is made of, hashed: organisation and its kind, scheme scope
 * and rights. A cached caller is current while this stamp is unchanged. */
#define SESSIONS_STAMP                                                                             \
    "md5(u.organisation_id::text || '|' || o.kind::text || '|' ||"                                 \
    " coalesce(u.scheme_ids::text, 'all') || '|' || coalesce((SELECT array_agg(right_id ORDER BY"  \
    " right_id) FROM user_rights WHERE user_id = u.id)::text, '{}'))"
#define SESSIONS_LIVE                                                                              \
    " FROM sessions s JOIN users u ON u.id = s.user_id"                                            \
    " JOIN organisations o ON o.id = u.organisation_id"                                            \
    " WHERE s.id = $1 AND s.user_id = $2 AND s.ended_at IS NULL AND s.expires_at > now()"          \
    " AND u.status = 'active' AND u.deleted_at IS NULL"                                            \
    " AND (u.expires_at IS NULL OR u.expires_at > now())"

portal_result sessions_load_caller(db_conn *db, const char *session_id, const char *user_id,
                                   portal_caller *out)
{
    char stamp[SESSIONS_STAMP_LEN];
    return sessions_load_caller_stamped(db, session_id, user_id, out, stamp);
}

portal_result sessions_load_caller_stamped(db_conn *db, const char *session_id, const char *user_id,
                                           portal_caller *out, char stamp[SESSIONS_STAMP_LEN])
{
    const char *params[] = {session_id, user_id};
    PGresult *res;
    portal_result rc = db_query_row(
        db,
        "SELECT u.organisation_id, o.kind, u.scheme_ids IS NULL, coalesce(u.scheme_ids::text,"
        " '{}'), coalesce((SELECT array_agg(right_id ORDER BY right_id) FROM user_rights"
        " WHERE user_id = u.id)::text, '{}'), " SESSIONS_STAMP SESSIONS_LIVE,
        2, params, PORTAL_ERR_DENIED, &res);
    if (rc != PORTAL_OK)
        return rc;
    memset(out, 0, sizeof *out);
    out->kind = CALLER_SESSION;
    snprintf(out->user_id, sizeof out->user_id, "%s", user_id);
    snprintf(out->session_id, sizeof out->session_id, "%s", session_id);
    snprintf(out->organisation_id, sizeof out->organisation_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->organisation_kind, sizeof out->organisation_kind, "%s", PQgetvalue(res, 0, 1));
    out->all_schemes = PQgetvalue(res, 0, 2)[0] == 't';
    out->n_schemes = pg_array_split(PQgetvalue(res, 0, 3), &out->scheme_ids[0][0], PORTAL_ID_LEN,
                                    CALLER_MAX_SCOPE);
    out->n_rights = pg_array_split(PQgetvalue(res, 0, 4), &out->rights[0][0], CALLER_RIGHT_LEN,
                                   CALLER_MAX_RIGHTS);
    snprintf(stamp, SESSIONS_STAMP_LEN, "%s", PQgetvalue(res, 0, 5));
    PQclear(res);
    return PORTAL_OK;
}

/* Passes (one row) while the session is live and the caller's stamp
 * unchanged; otherwise reads a setting that does not exist, which raises
 * (SQLSTATE 42704) and so stops the statements sent after it. */
static const char SESSIONS_GUARD_SQL[] =
    "SELECT CASE WHEN EXISTS (SELECT 1" SESSIONS_LIVE " AND " SESSIONS_STAMP " = $3)"
    " THEN true ELSE current_setting('portal.session_not_live')::boolean END";

portal_result sessions_guard_arm(db_conn *db, const char *session_id, const char *user_id,
                                 const char *stamp)
{
    const char *params[] = {session_id, user_id, stamp};
    return db_guard_arm(db, SESSIONS_GUARD_SQL, 3, params);
}

portal_result challenges_create(db_conn *db, const char *user_id, const char *pending_secret,
                                char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {user_id, pending_secret};
    return db_query_copy(db,
                         "INSERT INTO mfa_challenges (user_id, pending_secret, expires_at)"
                         " VALUES ($1, $2, now() + interval '5 minutes') RETURNING id",
                         2, params, out_id, PORTAL_ID_LEN);
}

portal_result challenges_get(db_conn *db, const char *id, challenge_row *out)
{
    const char *params[] = {id};
    PGresult *res;
    portal_result rc = db_query_row(db,
                                    "SELECT user_id, coalesce(pending_secret, ''), attempts,"
                                    " used_at IS NULL AND expires_at > now() AND attempts < 5"
                                    " FROM mfa_challenges WHERE id = $1 FOR UPDATE",
                                    1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(out->user_id, sizeof out->user_id, "%s", PQgetvalue(res, 0, 0));
    snprintf(out->pending_secret, sizeof out->pending_secret, "%s", PQgetvalue(res, 0, 1));
    out->attempts = atoi(PQgetvalue(res, 0, 2));
    out->usable = PQgetvalue(res, 0, 3)[0] == 't';
    PQclear(res);
    return PORTAL_OK;
}

portal_result challenges_fail(db_conn *db, const char *id, int *attempts)
{
    const char *params[] = {id};
    return db_query_int(db,
                        "UPDATE mfa_challenges SET attempts = attempts + 1 WHERE id = $1"
                        " RETURNING attempts",
                        1, params, attempts);
}

portal_result challenges_use(db_conn *db, const char *id)
{
    const char *params[] = {id};
    return db_exec(db, "UPDATE mfa_challenges SET used_at = now() WHERE id = $1", 1, params);
}
