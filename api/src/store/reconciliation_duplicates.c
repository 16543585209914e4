/* store/reconciliation_duplicates.c: see reconciliation_duplicates.h. */
#include "store/reconciliation_duplicates.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/reconciliations.h"
#include "store/reconciliations_sql.h"

/* clang-format off */

/* Every likely pair of reconciliation $1 as (a_id, b_id, a_seq, b_seq,
 * reason, dismissed): two equality joins (hashable) rather than one join
 * on a disjunction, so 10,000 employees cost one pass each. */
#define RECON_DUP_PAIRS                                                                            \
    "WITH k AS MATERIALIZED (SELECT e.id, e.seq, e.bsn, e.birth_date,"                             \
    " lower(regexp_replace(coalesce(e.surname_prefix, '') || e.surname || '|' || e.initials,"      \
    " '[^[:alnum:]|]', '', 'g')) AS name_key"                                                      \
    " FROM reconciliation_employees e WHERE e.reconciliation_id = $1::uuid),"                      \
    " p AS (SELECT a.id AS a_id, b.id AS b_id, a.seq AS a_seq, b.seq AS b_seq,"                    \
    " 'same_bsn'::text AS reason FROM k a JOIN k b ON b.bsn = a.bsn AND b.seq > a.seq"             \
    " UNION ALL SELECT a.id, b.id, a.seq, b.seq, 'same_name_and_birth_date' FROM k a"             \
    " JOIN k b ON b.birth_date = a.birth_date AND b.name_key = a.name_key AND b.seq > a.seq"       \
    " AND b.bsn <> a.bsn),"                                                                        \
    " pairs AS (SELECT p.*, EXISTS (SELECT 1 FROM reconciliation_duplicate_dismissals d"          \
    " WHERE d.first_employee_id = least(p.a_id, p.b_id)"                                           \
    " AND d.second_employee_id = greatest(p.a_id, p.b_id)) AS dismissed FROM p)"

/* clang-format on */

portal_result recon_store_duplicates_json(db_conn *db, const char *id, int full_bsn, char **json)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", RECON_DUPLICATES_LISTED);
    const char *p[] = {id, full_bsn ? "true" : "false", lim};
    return db_query_text_required(
        db,
        RECON_DUP_PAIRS
        " SELECT json_build_object('items', coalesce((SELECT json_agg("
        "json_build_object('reason', x.reason, 'employees', json_build_array(x.ja, x.jb))"
        " ORDER BY x.a_seq, x.b_seq) FROM (SELECT q.*, (SELECT " RECON_EMPLOYEE_JSON
        " FROM reconciliation_employees e WHERE e.id = q.a_id) AS ja, "
        "(SELECT " RECON_EMPLOYEE_JSON " FROM reconciliation_employees e WHERE e.id = q.b_id) AS jb"
        " FROM pairs q WHERE NOT q.dismissed ORDER BY q.a_seq, q.b_seq LIMIT $3::int) x),"
        " '[]'::json), 'total', (SELECT count(*) FROM pairs WHERE NOT dismissed))::text",
        3, p, json);
}

portal_result recon_store_duplicate_pairs(db_conn *db, const char *id, recon_duplicate_pair *out,
                                          size_t max, size_t *n, size_t *total)
{
    *n = 0;
    *total = 0;
    const char *p[] = {id};
    PGresult *res = db_query(db,
                             RECON_DUP_PAIRS " SELECT a_id, b_id, reason = 'same_bsn' FROM pairs"
                                             " WHERE NOT dismissed ORDER BY a_seq, b_seq",
                             1, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    int rows = PQntuples(res);
    *total = (size_t)rows;
    for (int i = 0; i < rows && *n < max; i++) {
        recon_duplicate_pair *d = &out[(*n)++];
        snprintf(d->first_id, sizeof d->first_id, "%s", PQgetvalue(res, i, 0));
        snprintf(d->second_id, sizeof d->second_id, "%s", PQgetvalue(res, i, 1));
        d->same_bsn = PQgetvalue(res, i, 2)[0] == 't';
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_duplicate_is_pair(db_conn *db, const char *id, const char *a,
                                            const char *b, int *is_pair)
{
    *is_pair = 0;
    const char *p[] = {id, a, b};
    PGresult *res = db_query(db,
                             RECON_DUP_PAIRS " SELECT count(*) FROM pairs WHERE"
                                             " (a_id = $2::uuid AND b_id = $3::uuid)"
                                             " OR (a_id = $3::uuid AND b_id = $2::uuid)",
                             3, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *is_pair = PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) > 0;
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_duplicate_dismiss(db_conn *db, const char *id, const char *a,
                                            const char *b, const char *user_id)
{
    const char *p[] = {id, a, b, user_id};
    return db_exec(db,
                   "INSERT INTO reconciliation_duplicate_dismissals (reconciliation_id,"
                   " first_employee_id, second_employee_id, created_by) VALUES ($1::uuid,"
                   " least($2::uuid, $3::uuid), greatest($2::uuid, $3::uuid), $4::uuid)"
                   " ON CONFLICT DO NOTHING",
                   4, p);
}

/* Replaces keep's employments by those of both (identical ones once). */
static portal_result recon_merge_employments(db_conn *db, const char *keep, const char *other)
{
    const char *p[] = {keep, other};
    PGresult *res = db_query(db,
                             "SELECT start_date::text, end_date::text, bool_or(fixed_term)"
                             " FROM reconciliation_employments WHERE employee_id IN ($1::uuid,"
                             " $2::uuid) GROUP BY start_date, end_date"
                             " ORDER BY start_date, end_date NULLS LAST",
                             2, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    int rows = PQntuples(res);
    if (rows > RECON_STORE_MAX_EMPLOYMENTS) {
        PQclear(res);
        return PORTAL_ERR_TOO_LARGE;
    }
    recon_employment_text list[RECON_STORE_MAX_EMPLOYMENTS];
    for (int i = 0; i < rows; i++) {
        list[i].start_date = PQgetvalue(res, i, 0);
        list[i].end_date = PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1);
        list[i].fixed_term = PQgetvalue(res, i, 2)[0] == 't';
    }
    portal_result rc = recon_store_employments_replace(db, keep, list, (size_t)rows);
    PQclear(res);
    return rc;
}

portal_result recon_store_merge(db_conn *db, const char *keep, const char *other)
{
    portal_result rc = recon_merge_employments(db, keep, other);
    const char *p[] = {keep, other};
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "UPDATE reconciliation_employees k SET insured_wage = CASE"
                     " WHEN k.insured_wage IS NULL AND o.insured_wage IS NULL THEN NULL"
                     " ELSE coalesce(k.insured_wage, 0) + coalesce(o.insured_wage, 0) END,"
                     " participant_id = coalesce(k.participant_id, o.participant_id),"
                     " left_service = k.left_service AND o.left_service"
                     " FROM reconciliation_employees o WHERE k.id = $1::uuid AND o.id = $2::uuid",
                     2, p);
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "UPDATE reconciliation_sick_reports SET employee_id = $1::uuid"
                     " WHERE employee_id = $2::uuid",
                     2, p);
    if (rc == PORTAL_OK)
        rc = db_exec(db, "DELETE FROM reconciliation_employees WHERE id = $1::uuid", 1, p + 1);
    return rc;
}
