/* store/credentials.c: see credentials.h. */
#include "store/credentials.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

portal_result invitations_create(db_conn *db, const char *user_id, const char *token_hash)
{
    const char *params[] = {user_id, token_hash};
    if (db_exec(db,
                "UPDATE invitations SET revoked_at = now() WHERE user_id = $1"
                " AND used_at IS NULL AND revoked_at IS NULL",
                1, params) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return db_exec(db,
                   "INSERT INTO invitations (user_id, token_hash, expires_at)"
                   " VALUES ($1, $2, now() + interval '7 days')",
                   2, params);
}

portal_result invitations_find(db_conn *db, const char *token_hash, char user_id[PORTAL_ID_LEN],
                               char invitation_id[PORTAL_ID_LEN])
{
    const char *params[] = {token_hash};
    PGresult *res = db_query(db,
                             "SELECT i.user_id, i.id FROM invitations i"
                             " JOIN users u ON u.id = i.user_id"
                             " WHERE i.token_hash = $1 AND i.used_at IS NULL"
                             " AND i.revoked_at IS NULL AND i.expires_at > now()"
                             " AND u.status = 'invited' AND u.deleted_at IS NULL",
                             1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_ERR_EXPIRED;
    if (PQntuples(res) == 1) {
        snprintf(user_id, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 0));
        snprintf(invitation_id, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 1));
        rc = PORTAL_OK;
    }
    PQclear(res);
    return rc;
}

portal_result invitations_use(db_conn *db, const char *invitation_id)
{
    const char *params[] = {invitation_id};
    return db_exec(db, "UPDATE invitations SET used_at = now() WHERE id = $1", 1, params);
}

portal_result codes_create(db_conn *db, const char *user_id, const char *purpose,
                           const char *invitation_id, const char *code_hash, const char *new_email)
{
    const char *params[] = {user_id, purpose, invitation_id, code_hash, new_email};
    if (db_exec(db,
                "UPDATE verification_codes SET revoked_at = now() WHERE user_id = $1"
                " AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL",
                2, params) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return db_exec(db,
                   "INSERT INTO verification_codes (user_id, purpose, invitation_id, code_hash,"
                   " new_email, expires_at) VALUES ($1, $2, $3, $4, $5,"
                   " now() + interval '10 minutes')",
                   5, params);
}

portal_result codes_check(db_conn *db, const char *user_id, const char *purpose,
                          const char *code_hash, char code_id[PORTAL_ID_LEN], char new_email[320])
{
    const char *params[] = {user_id, purpose};
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT id, code_hash, coalesce(new_email, '') FROM verification_codes"
                     " WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL"
                     " AND revoked_at IS NULL AND expires_at > now() AND attempts < 5"
                     " ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
                     2, params, PORTAL_ERR_EXPIRED, &res);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(code_id, PORTAL_ID_LEN, "%s", PQgetvalue(res, 0, 0));
    if (new_email)
        snprintf(new_email, 320, "%s", PQgetvalue(res, 0, 2));
    int match = strlen(PQgetvalue(res, 0, 1)) == strlen(code_hash) &&
                strcmp(PQgetvalue(res, 0, 1), code_hash) == 0;
    PQclear(res);
    if (match)
        return PORTAL_OK;
    const char *idp[] = {code_id};
    if (db_exec(db, "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1", 1,
                idp) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return PORTAL_ERR_DENIED;
}

portal_result codes_count_try(db_conn *db, const char *code_id)
{
    const char *params[] = {code_id};
    return db_exec(db, "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1", 1,
                   params);
}

portal_result codes_use(db_conn *db, const char *code_id)
{
    const char *params[] = {code_id};
    return db_exec(db, "UPDATE verification_codes SET used_at = now() WHERE id = $1", 1, params);
}

portal_result resets_create(db_conn *db, const char *user_id, const char *token_hash)
{
    const char *params[] = {user_id, token_hash};
    if (db_exec(db,
                "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL",
                1, params) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return db_exec(db,
                   "INSERT INTO password_resets (user_id, token_hash, expires_at)"
                   " SELECT id, $2, now() + interval '1 hour' FROM users WHERE id = $1::uuid",
                   2, params);
}

portal_result resets_consume(db_conn *db, const char *token_hash, char user_id[PORTAL_ID_LEN])
{
    const char *params[] = {token_hash};
    portal_result rc = db_query_copy(db,
                                     "UPDATE password_resets r SET used_at = now() FROM users u"
                                     " WHERE r.token_hash = $1 AND r.used_at IS NULL"
                                     " AND r.expires_at > now() AND u.id = r.user_id"
                                     " AND u.deleted_at IS NULL AND u.status = 'active'"
                                     " RETURNING r.user_id",
                                     1, params, user_id, PORTAL_ID_LEN);
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_ERR_EXPIRED : rc;
}

portal_result recovery_codes_replace(db_conn *db, const char *user_id, char hashes[][65], int count)
{
    const char *params[] = {user_id};
    if (db_exec(db, "DELETE FROM recovery_codes WHERE user_id = $1", 1, params) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; i < count; i++) {
        const char *p[] = {user_id, hashes[i]};
        if (db_exec(db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", 2, p) !=
            PORTAL_OK)
            return PORTAL_ERR_DATABASE;
    }
    return PORTAL_OK;
}

portal_result recovery_codes_use(db_conn *db, const char *user_id, const char *code_hash)
{
    const char *params[] = {user_id, code_hash};
    return db_exec_one(db,
                       "UPDATE recovery_codes SET used_at = now() WHERE user_id = $1"
                       " AND code_hash = $2 AND used_at IS NULL",
                       2, params, PORTAL_ERR_DENIED);
}
