/* store/reconciliations.c: see reconciliations.h. Owns the SQL of creating, showing, listing and
 * filling in a reconciliation and of submitting and reopening it. */
#include "store/reconciliations.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/decimal.h"
#include "store/access.h"
#include "store/reconciliations_sql.h"

/* The JSON of one reconciliation r joined with its scheme s and the
 * scheme's organisation o. */
#define RECON_JSON                                                                                 \
    "json_build_object('id', r.id, 'scheme_id', r.scheme_id, 'scheme_number', s.number,"           \
    " 'scheme_name', s.name, 'organisation_id', s.organisation_id, 'organisation_name', o.name,"   \
    " 'year', r.year, 'status', r.status, 'variant', s.variant, 'policy_start', s.start_date,"     \
    " 'insured_wage_type', s.insured_wage_type, 'deadline', r.deadline,"                           \
    " 'premium_rate', r.premium_rate::text, 'provisional_premium', r.provisional_premium::text,"   \
    " 'wage_cap', r.wage_cap::text, 'own_risk_percentage', r.own_risk_percentage::text,"           \
    " 'own_risk_amount', r.own_risk_amount::text,"                                                 \
    " 'continued_pay_percentage', r.continued_pay_percentage::text,"                               \
    " 'maximum_reimbursement', r.maximum_reimbursement::text, 'reopen_reason', r.reopen_reason,"   \
    " 'submitted_at', to_char(r.submitted_at AT TIME ZONE 'UTC', "                                 \
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"                                                           \
    " 'processed_at', to_char(r.processed_at AT TIME ZONE 'UTC', "                                 \
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"                                                           \
    " 'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "  \
    "'version', r.version, 'evidence_requested', to_json(r.evidence_requested),"                   \
    " 'result', CASE WHEN "                                                                        \
    "r.status = 'processed' THEN "                                                                 \
    "json_build_object("                                                                           \
    " 'capped_wage_total', "                                                                       \
    "r.capped_wage_total::text,"                                                                   \
    " 'definitive_premium', "                                                                      \
    "r.definitive_premium::text,"                                                                  \
    " 'provisional_premium', "                                                                     \
    "r.result_provisional::text, "                                                                 \
    "'settlement', "                                                                               \
    "r.settlement::text,"                                                                          \
    " 'own_risk', "                                                                                \
    "r.result_own_risk::text, "                                                                    \
    "'sick_pay_cost', "                                                                            \
    "r.sick_pay_cost::text,"                                                                       \
    " 'reimbursement', "                                                                           \
    "r.reimbursement::text) END)"

#define RECON_FROM                                                                                 \
    " FROM reconciliations r JOIN schemes s ON s.id = r.scheme_id"                                 \
    " JOIN organisations o ON o.id = s.organisation_id"

#define RECON_REPORT_JSON                                                                          \
    "json_build_object('id', k.id, 'employee_id', k.employee_id, 'first_sick_day',"                \
    " k.first_sick_day, 'report_date', k.report_date, 'recovery_date', k.recovery_date,"           \
    " 'ao_percentage', k.ao_percentage::text, 'atw_percentage', k.atw_percentage::text,"           \
    " 'sick_days', k.sick_days, 'daily_wage', k.daily_wage::text, 'cost', k.cost::text,"           \
    " 'created_at', "                                                                              \
    "to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"                   \
    ")"

int recon_store_in_transaction(db_conn *db)
{
    return PQtransactionStatus(db_pg(db)) != PQTRANS_IDLE;
}

portal_result recon_store_scheme(db_conn *db, const char *scheme_id, recon_scheme_facts *out)
{
    const char *p[] = {scheme_id};
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT organisation_id, kind, coalesce(variant, ''), start_date::text"
                     " FROM schemes WHERE id = $1::uuid",
                     1, p, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    db_copy_value(out->organisation_id, sizeof out->organisation_id, res, 0, 0);
    db_copy_value(out->kind, sizeof out->kind, res, 0, 1);
    db_copy_value(out->variant, sizeof out->variant, res, 0, 2);
    db_copy_value(out->start_date, sizeof out->start_date, res, 0, 3);
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_insert(db_conn *db, const recon_new *n, char out_id[PORTAL_ID_LEN])
{
    char year[16];
    snprintf(year, sizeof year, "%d", n->year);
    const char *p[] = {n->scheme_id,
                       year,
                       n->deadline,
                       n->premium_rate,
                       n->provisional_premium,
                       n->wage_cap,
                       n->own_risk_percentage,
                       n->own_risk_amount,
                       n->continued_pay_percentage,
                       n->maximum_reimbursement,
                       n->created_by,
                       n->evidence_requested};
    return db_insert_id(
        db,
        "INSERT INTO reconciliations (scheme_id, year, deadline, premium_rate, provisional_premium,"
        " wage_cap, own_risk_percentage, own_risk_amount, continued_pay_percentage,"
        " maximum_reimbursement, created_by, evidence_requested) VALUES ($1::uuid, $2::int,"
        " $3::date, $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9::numeric,"
        " $10::numeric, $11::uuid, coalesce(nullif($12, '')::text[], '{}')) RETURNING id",
        12, p, out_id, PORTAL_ID_LEN);
}

/* The current periods of participant `pid` whose employment touches year
 * `yr` (used twice below). */
#define RECON_PERIODS_IN_YEAR(pid, yr)                                                             \
    " FROM participant_periods pp WHERE pp.participant_id = " pid                                  \
    " AND pp.superseded_at IS NULL AND pp.status IN ('active', 'dormant', 'ended')"                \
    " AND pp.employment_start <= make_date(" yr ", 12, 31)"                                        \
    " AND (pp.employment_end IS NULL OR pp.employment_end >= make_date(" yr ", 1, 1))"

portal_result recon_store_prefill(db_conn *db, const char *id)
{
    const char *p[] = {id};
    portal_result rc = db_exec(
        db,
        "INSERT INTO reconciliation_employees (reconciliation_id, participant_id, first_name,"
        " initials, surname_prefix, surname, display_name, birth_date, gender, bsn, left_service)"
        " SELECT r.id, p.id, last.first_name, last.initials, last.surname_prefix, last.surname,"
        " last.display_name, last.birth_date, last.gender, p.bsn,"
        " last.employment_end IS NOT NULL"
        " FROM reconciliations r JOIN participants p ON p.scheme_id = r.scheme_id"
        " AND p.rejected_at IS NULL"
        " JOIN LATERAL (SELECT pp.*" RECON_PERIODS_IN_YEAR(
            "p.id",
            "r.year") " ORDER BY lower(pp.valid) DESC LIMIT 1) last ON true"
                      " WHERE r.id = $1::uuid ORDER BY last.sort_name, p.participant_number",
        1, p);
    if (rc != PORTAL_OK)
        return rc;
    return db_exec(
        db,
        "INSERT INTO reconciliation_employments (employee_id, position, start_date, end_date,"
        " fixed_term)"
        " SELECT employee_id, (n - 1)::smallint, employment_start, employment_end, false FROM ("
        " SELECT e.id AS employee_id, m.employment_start, m.employment_end,"
        " row_number() OVER (PARTITION BY e.id ORDER BY m.employment_start) AS n"
        " FROM reconciliation_employees e JOIN reconciliations r ON r.id = e.reconciliation_id"
        " JOIN LATERAL (SELECT pp.employment_start, max(pp.employment_end) AS "
        "employment_end" RECON_PERIODS_IN_YEAR(
            "e.participant_id", "r.year") " GROUP BY pp.employment_start) m ON true"
                                          " WHERE e.reconciliation_id = $1::uuid) x WHERE n <= 32",
        1, p);
}

/* The head of reconciliation $1 (one row: it is the key). */
#define RECON_HEAD                                                                                 \
    "SELECT r.id, r.scheme_id, s.organisation_id, r.status, coalesce(s.variant, ''), r.year,"      \
    " r.version FROM reconciliations r JOIN schemes s ON s.id = r.scheme_id WHERE r.id = $1::uuid"

portal_result recon_store_head(db_conn *db, const char *id, int lock, recon_head *out)
{
    const char *p[] = {id};
    PGresult *res;
    portal_result rc = db_query_row(db, lock ? RECON_HEAD " FOR UPDATE OF r" : RECON_HEAD, 1, p,
                                    PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    db_copy_value(out->id, sizeof out->id, res, 0, 0);
    db_copy_value(out->scheme_id, sizeof out->scheme_id, res, 0, 1);
    db_copy_value(out->organisation_id, sizeof out->organisation_id, res, 0, 2);
    db_copy_value(out->status, sizeof out->status, res, 0, 3);
    db_copy_value(out->variant, sizeof out->variant, res, 0, 4);
    out->year = atoi(PQgetvalue(res, 0, 5));
    out->version = atoi(PQgetvalue(res, 0, 6));
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_json(db_conn *db, const char *id, char **json)
{
    const char *p[] = {id};
    return db_query_text_required(
        db,
        "SELECT (" RECON_JSON
        "::jsonb || jsonb_build_object('employee_count', (SELECT count(*) FROM"
        " reconciliation_employees x WHERE x.reconciliation_id = r.id),"
        " 'evidence', coalesce((SELECT jsonb_agg(jsonb_build_object('id', v.id, 'kind',"
        " v.kind, 'file_name', v.file_name, 'content_type', v.content_type, 'size',"
        " v.size, 'checklist_confirmed', v.checklist_confirmed, 'created_at', "
        "to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        ") ORDER BY v.created_at) FROM reconciliation_evidence v"
        " WHERE v.reconciliation_id = r.id), "
        "'[]'::jsonb)))::text" RECON_FROM " WHERE r.id = $1::uuid",
        1, p, json);
}

portal_result recon_store_list(db_conn *db, const portal_caller *caller, const recon_list_filter *f,
                               char **json)
{
    access_visibility vis;
    access_visibility_of(caller, &vis);
    char year[16], limit[16];
    snprintf(year, sizeof year, "%d", f->year);
    snprintf(limit, sizeof limit, "%d", f->limit + 1);
    const char *p[] = {vis.param[0],       vis.param[1],      vis.param[2],          vis.param[3],
                       vis.param[4],       f->scheme_ids,     f->year ? year : NULL, f->status,
                       f->deadline_before, f->after_deadline, f->after_id,           limit};
    return db_query_text_required(
        db,
        "SELECT coalesce(json_agg(j ORDER BY d, i), '[]'::json)::text FROM ("
        " SELECT " RECON_JSON " AS j, r.deadline AS d, r.id AS i" RECON_FROM
        " JOIN portal_visible_schemes($1::uuid, $2, $3::text[], $4::boolean,"
        " $5::uuid[]) v ON v.scheme_id = r.scheme_id"
        " WHERE EXISTS (SELECT 1 FROM rights g WHERE g.organisation_kind = v.rights_kind"
        " AND g.id = ANY (v.rights) AND 'reconciliation.read' = ANY (g.capabilities))"
        " AND ($6::uuid[] IS NULL OR r.scheme_id = ANY ($6::uuid[]))"
        " AND ($7::int IS NULL OR r.year = $7::int)"
        " AND ($8::text IS NULL OR r.status = $8::text)"
        " AND ($9::date IS NULL OR r.deadline < $9::date)"
        " AND ($10::date IS NULL OR (r.deadline, r.id) > ($10::date, $11::uuid))"
        " ORDER BY r.deadline, r.id LIMIT $12::int) page",
        12, p, json);
}

portal_result recon_store_employees_json(db_conn *db, const char *id, int full_bsn,
                                         long long after_seq, int limit, char **json)
{
    char after[32], lim[16];
    snprintf(after, sizeof after, "%lld", after_seq);
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *p[] = {id, full_bsn ? "true" : "false", after, lim};
    return db_query_text_required(
        db,
        "SELECT coalesce(json_agg(j ORDER BY q), '[]'::json)::text FROM ("
        " SELECT " RECON_EMPLOYEE_JSON " AS j, e.seq AS q"
        " FROM reconciliation_employees e WHERE e.reconciliation_id = $1::uuid"
        " AND e.seq > $3::bigint ORDER BY e.seq LIMIT $4::int) page",
        4, p, json);
}

portal_result recon_store_employee_json(db_conn *db, const char *id, const char *employee_id,
                                        int full_bsn, char **json)
{
    const char *p[] = {id, full_bsn ? "true" : "false", employee_id};
    return db_query_text_required(db,
                                  "SELECT " RECON_EMPLOYEE_JSON "::text"
                                  " FROM reconciliation_employees e WHERE e.reconciliation_id ="
                                  " $1::uuid AND e.id = $3::uuid",
                                  3, p, json);
}

portal_result recon_store_employee_insert(db_conn *db, const char *id, const recon_person *p,
                                          char out_id[PORTAL_ID_LEN])
{
    const char *params[] = {
        id,        p->first_name, p->initials,    p->surname_prefix, p->surname, p->birth_date,
        p->gender, p->bsn,        p->insured_wage};
    return db_insert_id(
        db,
        "INSERT INTO reconciliation_employees (reconciliation_id, first_name, initials,"
        " surname_prefix, surname, display_name, birth_date, gender, bsn, insured_wage)"
        " VALUES ($1::uuid, $2, $3, $4, $5, $5 || ', ' || $3 || coalesce(', ' || $4, ''),"
        " $6::date, $7, $8, $9::numeric) RETURNING id",
        9, params, out_id, PORTAL_ID_LEN);
}

portal_result recon_store_employee_set_person(db_conn *db, const char *employee_id,
                                              const recon_person *p)
{
    const char *params[] = {employee_id, p->first_name, p->initials, p->surname_prefix,
                            p->surname,  p->birth_date, p->gender,   p->bsn};
    portal_result rc = db_exec(db,
                               "UPDATE reconciliation_employees SET first_name = $2, initials = $3,"
                               " surname_prefix = $4, surname = $5,"
                               " display_name = $5 || ', ' || $3 || coalesce(', ' || $4, ''),"
                               " birth_date = $6::date, gender = $7, bsn = $8"
                               " WHERE id = $1::uuid RETURNING id",
                               8, params);
    return rc != PORTAL_OK && db_is_unique_violation(db) ? PORTAL_ERR_CONFLICT : rc;
}

portal_result recon_store_evidence_missing(db_conn *db, const char *id, int *payroll, int *absence)
{
    *payroll = *absence = 0;
    const char *p[] = {id};
    PGresult *res = db_query(db,
                             "SELECT k FROM reconciliations r, unnest(r.evidence_requested) k"
                             " WHERE r.id = $1::uuid AND NOT EXISTS (SELECT 1 FROM"
                             " reconciliation_evidence v WHERE v.reconciliation_id = r.id"
                             " AND v.kind = k)",
                             1, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    for (int i = 0; i < PQntuples(res); i++) {
        if (strcmp(PQgetvalue(res, i, 0), "payroll_summary") == 0)
            *payroll = 1;
        else if (strcmp(PQgetvalue(res, i, 0), "absence_report") == 0)
            *absence = 1;
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_employee_set_wage(db_conn *db, const char *employee_id, const char *wage)
{
    const char *p[] = {employee_id, wage};
    return db_exec(db,
                   "UPDATE reconciliation_employees SET insured_wage = $2::numeric"
                   " WHERE id = $1::uuid",
                   2, p);
}

portal_result recon_store_employments_replace(db_conn *db, const char *employee_id,
                                              const recon_employment_text *e, size_t n)
{
    const char *p[] = {employee_id};
    portal_result rc =
        db_exec(db, "DELETE FROM reconciliation_employments WHERE employee_id = $1::uuid", 1, p);
    for (size_t i = 0; rc == PORTAL_OK && i < n && i < RECON_STORE_MAX_EMPLOYMENTS; i++) {
        char pos[8];
        snprintf(pos, sizeof pos, "%zu", i);
        const char *q[] = {employee_id, pos, e[i].start_date, e[i].end_date,
                           e[i].fixed_term ? "true" : "false"};
        rc = db_exec(db,
                     "INSERT INTO reconciliation_employments (employee_id, position, start_date,"
                     " end_date, fixed_term) VALUES ($1::uuid, $2::smallint, $3::date, $4::date,"
                     " $5::boolean)",
                     5, q);
    }
    return rc;
}

portal_result recon_store_sick_reports_json(db_conn *db, const char *id, char **json)
{
    const char *p[] = {id};
    return db_query_text_required(db,
                                  "SELECT coalesce(json_agg(" RECON_REPORT_JSON
                                  " ORDER BY k.seq), '[]'::json)::text"
                                  " FROM reconciliation_sick_reports k"
                                  " WHERE k.reconciliation_id = $1::uuid",
                                  1, p, json);
}

portal_result recon_store_sick_report_insert(db_conn *db, const char *id,
                                             const recon_sick_report_new *r, char **json)
{
    const char *p[] = {id,
                       r->employee_id,
                       r->first_sick_day,
                       r->report_date,
                       r->recovery_date,
                       r->ao_percentage,
                       r->atw_percentage ? r->atw_percentage : "0",
                       r->created_by};
    return db_query_text_required(
        db,
        "WITH k AS (INSERT INTO reconciliation_sick_reports (reconciliation_id,"
        " employee_id, first_sick_day, report_date, recovery_date, ao_percentage,"
        " atw_percentage, created_by) SELECT $1::uuid, e.id, $3::date, $4::date,"
        " $5::date, $6::numeric, $7::numeric, $8::uuid FROM reconciliation_employees e"
        " WHERE e.id = $2::uuid AND e.reconciliation_id = $1::uuid RETURNING *)"
        " SELECT " RECON_REPORT_JSON "::text FROM k",
        8, p, json);
}

portal_result recon_store_evidence_insert(db_conn *db, const char *id, const char *kind,
                                          const char *blob_id, const char *file_name,
                                          const char *content_type, long long size,
                                          const char *created_by, char **json)
{
    char sz[32];
    snprintf(sz, sizeof sz, "%lld", size);
    const char *p[] = {id, kind, blob_id, file_name, content_type, sz, created_by};
    return db_query_text_required(
        db,
        "WITH v AS (INSERT INTO reconciliation_evidence (reconciliation_id, kind,"
        " blob_id, file_name, content_type, size, checklist_confirmed, created_by)"
        " VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6::bigint, true, $7::uuid)"
        " RETURNING *) SELECT json_build_object('id', v.id, 'reconciliation_id',"
        " v.reconciliation_id, 'kind', v.kind, 'file_name', v.file_name, 'content_type',"
        " v.content_type, 'size', v.size, 'checklist_confirmed', v.checklist_confirmed,"
        " 'created_at', "
        "to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        ")::text FROM v",
        7, p, json);
}

portal_result recon_store_evidence_get(db_conn *db, const char *id, const char *evidence_id,
                                       recon_evidence_file *out)
{
    memset(out, 0, sizeof *out);
    const char *p[] = {id, evidence_id};
    PGresult *res;
    portal_result rc = db_query_row(db,
                                    "SELECT blob_id, file_name, content_type, size"
                                    " FROM reconciliation_evidence"
                                    " WHERE reconciliation_id = $1::uuid AND id = $2::uuid",
                                    2, p, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    db_copy_value(out->blob_id, sizeof out->blob_id, res, 0, 0);
    db_copy_value(out->file_name, sizeof out->file_name, res, 0, 1);
    db_copy_value(out->content_type, sizeof out->content_type, res, 0, 2);
    out->size = atoll(PQgetvalue(res, 0, 3));
    PQclear(res);
    return PORTAL_OK;
}

portal_result recon_store_touch(db_conn *db, const char *id)
{
    const char *p[] = {id};
    return db_exec(db,
                   "UPDATE reconciliations SET version = version + 1, updated_at = now()"
                   " WHERE id = $1::uuid",
                   1, p);
}

portal_result recon_store_submit(db_conn *db, const char *id, const char *user_id, int *version)
{
    const char *p[] = {id, user_id};
    PGresult *res = db_query(db,
                             "UPDATE reconciliations SET status = 'submitted', submitted_at ="
                             " now(), submitted_by = $2::uuid, version = version + 1,"
                             " updated_at = now() WHERE id = $1::uuid AND status = 'open'"
                             " RETURNING version",
                             2, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PQntuples(res) == 1 ? PORTAL_OK : PORTAL_ERR_CONFLICT;
    if (rc == PORTAL_OK)
        *version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    return rc;
}

portal_result recon_store_reopen(db_conn *db, const char *id, const char *user_id,
                                 const char *reason)
{
    const char *p[] = {id, user_id, reason};
    portal_result rc = db_exec(
        db,
        "UPDATE reconciliations SET status = 'open', reopen_reason = $3, reopened_at = now(),"
        " reopened_by = $2::uuid, submitted_at = NULL, submitted_by = NULL, processed_at = NULL,"
        " capped_wage_total = NULL, definitive_premium = NULL, result_provisional = NULL,"
        " settlement = NULL, result_own_risk = NULL, sick_pay_cost = NULL, reimbursement = NULL,"
        " version = version + 1, updated_at = now() WHERE id = $1::uuid",
        3, p);
    if (rc == PORTAL_OK)
        rc = db_exec(db, "DELETE FROM reconciliation_lines WHERE reconciliation_id = $1::uuid", 1,
                     p);
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "UPDATE reconciliation_sick_reports SET sick_days = NULL, daily_wage = NULL,"
                     " cost = NULL WHERE reconciliation_id = $1::uuid",
                     1, p);
    return rc;
}
