/* store/users.c: see users.h. */
#include "store/users.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns users_fill reads, in its order: the profile, the credentials
 * (columns 12-14) and the state. */
#define USER_PROFILE_COLUMNS                                                                       \
    "u.id, u.organisation_id, o.kind, o.name, u.first_name, u.last_name, u.email,"                 \
    " coalesce(u.mobile, ''), coalesce(u.username, ''), u.status, u.language, u.theme,"
#define USER_STATE_COLUMNS                                                                         \
    " u.mfa_enrolled_at IS NOT NULL, (u.expires_at IS NOT NULL AND u.expires_at <= now())"
#define USER_COLUMNS                                                                               \
    USER_PROFILE_COLUMNS " coalesce(u.password_hash, ''), coalesce(u.totp_secret, ''),"            \
                         " coalesce(u.totp_last_counter, -1)," USER_STATE_COLUMNS

#define USER_FILL_COLUMNS 17 /* what users_fill reads; more may follow */

/* Runs sql (one of the USER_COLUMNS selects, its one parameter `param`)
 * and fills *out from its one row. With `rest`, the result is handed to the
 * caller (who PQclears it) for the columns after USER_FILL_COLUMNS.
 * PORTAL_ERR_NOT_FOUND without exactly one row, PORTAL_ERR_DATABASE. */
static portal_result users_fill(db_conn *db, const char *sql, const char *param, user_row *out,
                                PGresult **rest)
{
    const char *params[] = {param};
    PGresult *res;
    portal_result rc = db_query_row(db, sql, 1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    db_copy_value(out->id, sizeof out->id, res, 0, 0);
    db_copy_value(out->organisation_id, sizeof out->organisation_id, res, 0, 1);
    db_copy_value(out->organisation_kind, sizeof out->organisation_kind, res, 0, 2);
    db_copy_value(out->organisation_name, sizeof out->organisation_name, res, 0, 3);
    db_copy_value(out->first_name, sizeof out->first_name, res, 0, 4);
    db_copy_value(out->last_name, sizeof out->last_name, res, 0, 5);
    db_copy_value(out->email, sizeof out->email, res, 0, 6);
    db_copy_value(out->mobile, sizeof out->mobile, res, 0, 7);
    db_copy_value(out->username, sizeof out->username, res, 0, 8);
    db_copy_value(out->status, sizeof out->status, res, 0, 9);
    db_copy_value(out->language, sizeof out->language, res, 0, 10);
    db_copy_value(out->theme, sizeof out->theme, res, 0, 11);
    db_copy_value(out->password_hash, sizeof out->password_hash, res, 0, 12);
    db_copy_value(out->totp_secret, sizeof out->totp_secret, res, 0, 13);
    out->totp_last_counter = atoll(PQgetvalue(res, 0, 14));
    out->mfa_enrolled = PQgetvalue(res, 0, 15)[0] == 't';
    out->expired = PQgetvalue(res, 0, 16)[0] == 't';
    if (rest)
        *rest = res;
    else
        PQclear(res);
    return PORTAL_OK;
}

portal_result users_find_by_username(db_conn *db, const char *username, user_row *out)
{
    return users_fill(db,
                      "SELECT " USER_COLUMNS " FROM users u"
                      " JOIN organisations o ON o.id = u.organisation_id"
                      " WHERE lower(u.username) = lower($1) AND u.deleted_at IS NULL"
                      " AND u.status IN ('active', 'locked')",
                      username, out, NULL);
}

portal_result users_get(db_conn *db, const char *id, user_row *out)
{
    return users_fill(db,
                      "SELECT " USER_COLUMNS " FROM users u"
                      " JOIN organisations o ON o.id = u.organisation_id"
                      " WHERE u.id = $1 AND u.deleted_at IS NULL",
                      id, out, NULL);
}

/* One statement for GET /me: no credentials (their columns come back
 * empty), and the unused recovery codes counted beside the row, through
 * recovery_codes' primary key (user_id, code_hash). */
portal_result users_profile(db_conn *db, const char *id, user_row *out, int *recovery_codes_left)
{
    PGresult *res = NULL;
    *recovery_codes_left = 0;
    portal_result rc = users_fill(
        db,
        "SELECT " USER_PROFILE_COLUMNS " '', '', -1," USER_STATE_COLUMNS ","
        " (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL)"
        " FROM users u JOIN organisations o ON o.id = u.organisation_id"
        " WHERE u.id = $1 AND u.deleted_at IS NULL",
        id, out, &res);
    if (rc != PORTAL_OK)
        return rc;
    *recovery_codes_left = atoi(PQgetvalue(res, 0, USER_FILL_COLUMNS));
    PQclear(res);
    return PORTAL_OK;
}

portal_result users_set_totp(db_conn *db, const char *id, const char *secret, long long counter)
{
    char c[24];
    snprintf(c, sizeof c, "%lld", counter);
    const char *params[] = {id, secret, c};
    return db_exec(db,
                   "UPDATE users SET totp_secret = $2, totp_last_counter = $3,"
                   " mfa_enrolled_at = now(), updated_at = now(), version = version + 1"
                   " WHERE id = $1",
                   3, params);
}

portal_result users_seal_totp_secrets(db_conn *db, users_secret_sealer seal, int *sealed,
                                      int *failed)
{
    *sealed = 0;
    *failed = 0;
    PGresult *res = db_query(db,
                             "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL"
                             " AND totp_secret <> '' AND totp_secret NOT LIKE 'v1:%'",
                             0, NULL);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_OK;
    for (int i = 0; rc == PORTAL_OK && i < PQntuples(res); i++) {
        char out[sizeof((user_row *)0)->totp_secret];
        const char *id = PQgetvalue(res, i, 0);
        const char *plain = PQgetvalue(res, i, 1);
        if (seal(id, plain, out, sizeof out) != PORTAL_OK) {
            (*failed)++;
            continue;
        }
        const char *params[] = {id, out, plain};
        PGresult *up = db_query(db,
                                "UPDATE users SET totp_secret = $2 WHERE id = $1"
                                " AND totp_secret = $3",
                                3, params);
        if (!up)
            rc = PORTAL_ERR_DATABASE;
        else if (atoi(PQcmdTuples(up)) == 1)
            (*sealed)++;
        PQclear(up);
        memset(out, 0, sizeof out);
    }
    PQclear(res);
    return rc;
}

portal_result users_accept_totp_counter(db_conn *db, const char *id, long long counter)
{
    char c[24];
    snprintf(c, sizeof c, "%lld", counter);
    const char *params[] = {id, c};
    return db_exec_one(db,
                       "UPDATE users SET totp_last_counter = $2 WHERE id = $1"
                       " AND (totp_last_counter IS NULL OR totp_last_counter < $2)",
                       2, params, PORTAL_ERR_CONFLICT);
}

portal_result users_set_password(db_conn *db, const char *id, const char *password_hash)
{
    const char *params[] = {id, password_hash};
    return db_exec(db,
                   "UPDATE users SET password_hash = $2, updated_at = now(),"
                   " version = version + 1 WHERE id = $1",
                   2, params);
}

portal_result users_activate(db_conn *db, const char *id, const char *username,
                             const char *password_hash)
{
    const char *params[] = {id, username, password_hash};
    portal_result rc = db_exec(db,
                               "UPDATE users SET username = $2, password_hash = $3,"
                               " status = 'active', updated_at = now(), version = version + 1"
                               " WHERE id = $1 AND status = 'invited' AND deleted_at IS NULL",
                               3, params);
    if (rc != PORTAL_OK && db_is_unique_violation(db))
        return PORTAL_ERR_CONFLICT;
    return rc;
}

portal_result users_create(db_conn *db, const char *organisation_id, const char *first_name,
                           const char *last_name, const char *email, const char *mobile,
                           const char *const *rights, char out_id[USER_ID_LEN])
{
    const char *params[] = {organisation_id, first_name, last_name, email,
                            mobile && *mobile ? mobile : NULL};
    if (db_query_copy(db,
                      "INSERT INTO users (organisation_id, first_name, last_name, email,"
                      " mobile) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                      5, params, out_id, USER_ID_LEN) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; rights && rights[i]; i++) {
        const char *rp[] = {out_id, rights[i]};
        if (db_exec(db, "INSERT INTO user_rights (user_id, right_id) VALUES ($1, $2)", 2, rp) !=
            PORTAL_OK)
            return PORTAL_ERR_DATABASE;
    }
    return PORTAL_OK;
}

portal_result organisations_ensure_insurer(db_conn *db, const char *name, char out_id[USER_ID_LEN])
{
    const char *params[] = {name};
    portal_result rc = db_query_copy(db,
                                     "WITH ins AS (INSERT INTO organisations (kind, name)"
                                     " VALUES ('insurer', $1) ON CONFLICT ((kind))"
                                     " WHERE kind = 'insurer' DO NOTHING RETURNING id)"
                                     " SELECT id FROM ins UNION ALL"
                                     " SELECT id FROM organisations WHERE kind = 'insurer' LIMIT 1",
                                     1, params, out_id, USER_ID_LEN);
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_ERR_INTERNAL : rc;
}

portal_result users_usernames_by_email(db_conn *db, const char *email, char (*names)[72], int max,
                                       int *count, char language[4])
{
    const char *params[] = {email};
    *count = 0;
    PGresult *res = db_query(db,
                             "SELECT username, language FROM users WHERE lower(email) = lower($1)"
                             " AND deleted_at IS NULL AND status = 'active'"
                             " AND username IS NOT NULL ORDER BY username LIMIT 20",
                             1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; i < PQntuples(res) && i < max; i++) {
        snprintf(names[i], 72, "%s", PQgetvalue(res, i, 0));
        (*count)++;
    }
    if (PQntuples(res) > 0)
        snprintf(language, 4, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);
    return PORTAL_OK;
}

portal_result users_update_profile(db_conn *db, const char *id, const char *first_name,
                                   const char *last_name, const char *language, const char *theme)
{
    const char *params[] = {id, first_name, last_name, language, theme};
    return db_exec(db,
                   "UPDATE users SET first_name = coalesce($2, first_name),"
                   " last_name = coalesce($3, last_name), language = coalesce($4, language),"
                   " theme = coalesce($5, theme), updated_at = now(), version = version + 1"
                   " WHERE id = $1",
                   5, params);
}

portal_result users_set_pending_email(db_conn *db, const char *id, const char *email)
{
    const char *params[] = {id, email};
    return db_exec(db, "UPDATE users SET pending_email = $2 WHERE id = $1", 2, params);
}

portal_result users_set_email(db_conn *db, const char *id, const char *email)
{
    const char *params[] = {id, email};
    return db_exec(db,
                   "UPDATE users SET email = $2, pending_email = NULL, updated_at = now(),"
                   " version = version + 1 WHERE id = $1",
                   2, params);
}
