/* store/reconciliations_compute.c: the SQL of the processing job: loading a reconciliation for the
 * computation, writing its result and lines, and reading the lines back for the specification. */
#include "store/reconciliations.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/decimal.h"
#include "store/access.h"

/* Parses a stored decimal (NULL or "" gives 0 and *present = 0). */
static portal_result recon_decimal(PGresult *res, int row, int col, const decimal_spec *spec,
                                   int64_t *out, bool *present)
{
    *out = 0;
    if (present)
        *present = false;
    if (PQgetisnull(res, row, col))
        return PORTAL_OK;
    if (present)
        *present = true;
    return decimal_parse(PQgetvalue(res, row, col), spec, out) == PORTAL_OK ? PORTAL_OK
                                                                            : PORTAL_ERR_INTERNAL;
}

/* Loads the parameters of reconciliation id into l->params. */
static portal_result recon_load_params(db_conn *db, const char *id, recon_loaded *l)
{
    const char *p[] = {id};
    PGresult *res;
    portal_result rc = db_query_row(
        db,
        "SELECT r.year, s.start_date::text, coalesce(s.variant, 'no_claim'), r.premium_rate::text,"
        " r.provisional_premium::text, r.wage_cap::text, r.own_risk_amount::text,"
        " r.own_risk_percentage::text, r.continued_pay_percentage::text,"
        " r.maximum_reimbursement::text FROM reconciliations r"
        " JOIN schemes s ON s.id = r.scheme_id WHERE r.id = $1::uuid",
        1, p, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    recon_rules_parameters *pp = &l->params;
    pp->year = atoi(PQgetvalue(res, 0, 0));
    rc = civil_date_parse(PQgetvalue(res, 0, 1), &pp->policy_start) == PORTAL_OK
             ? PORTAL_OK
             : PORTAL_ERR_INTERNAL;
    if (rc == PORTAL_OK &&
        recon_rules_variant_parse(PQgetvalue(res, 0, 2), &pp->variant) != PORTAL_OK)
        rc = PORTAL_ERR_INTERNAL;
    if (rc == PORTAL_OK)
        rc = recon_decimal(res, 0, 3, &decimal_spec_percentage, &pp->premium_rate, NULL);
    if (rc == PORTAL_OK)
        rc = recon_decimal(res, 0, 4, &decimal_spec_salary, &pp->provisional_premium, NULL);
    if (rc == PORTAL_OK)
        rc = recon_decimal(res, 0, 5, &decimal_spec_salary, &pp->wage_cap, NULL);
    if (rc == PORTAL_OK)
        rc = recon_decimal(res, 0, 6, &decimal_spec_salary, &pp->own_risk_amount,
                           &pp->has_own_risk_amount);
    if (rc == PORTAL_OK)
        rc = recon_decimal(res, 0, 7, &decimal_spec_percentage, &pp->own_risk_percentage,
                           &pp->has_own_risk_percentage);
    if (rc == PORTAL_OK)
        rc =
            recon_decimal(res, 0, 8, &decimal_spec_percentage, &pp->continued_pay_percentage, NULL);
    if (rc == PORTAL_OK)
        rc = recon_decimal(res, 0, 9, &decimal_spec_salary, &pp->maximum_reimbursement, NULL);
    PQclear(res);
    return rc;
}

/* Parses "start,end,fixed;start,end,fixed" into employments (at most max);
 * *n gets how many. PORTAL_ERR_INTERNAL on text the query cannot give. */
static portal_result recon_parse_employments(const char *text, recon_rules_employment *out,
                                             size_t max, size_t *n)
{
    *n = 0;
    const char *s = text;
    while (*s) {
        if (*n >= max)
            return PORTAL_ERR_INTERNAL;
        recon_rules_employment *e = &out[*n];
        memset(e, 0, sizeof *e);
        if (civil_date_parse_n(s, CIVIL_DATE_TEXT_LEN, &e->start_date) != PORTAL_OK ||
            s[CIVIL_DATE_TEXT_LEN] != ',')
            return PORTAL_ERR_INTERNAL;
        s += CIVIL_DATE_TEXT_LEN + 1;
        if (*s != ',') {
            if (civil_date_parse_n(s, CIVIL_DATE_TEXT_LEN, &e->end_date) != PORTAL_OK)
                return PORTAL_ERR_INTERNAL;
            e->has_end_date = true;
            s += CIVIL_DATE_TEXT_LEN;
        }
        if (*s != ',' || (s[1] != '0' && s[1] != '1'))
            return PORTAL_ERR_INTERNAL;
        e->fixed_term = s[1] == '1';
        s += 2;
        (*n)++;
        if (*s == ';')
            s++;
        else if (*s)
            return PORTAL_ERR_INTERNAL;
    }
    return PORTAL_OK;
}

/* Loads every employee with their employments (one query). */
static portal_result recon_load_employees(db_conn *db, const char *id, recon_loaded *l)
{
    const char *p[] = {id};
    PGresult *res = db_query(
        db,
        "SELECT e.id, e.insured_wage::text, e.left_service, coalesce(string_agg(m.start_date::text"
        " || ',' || coalesce(m.end_date::text, '') || ',' || CASE WHEN m.fixed_term THEN '1'"
        " ELSE '0' END, ';' ORDER BY m.position), ''), count(m.position)"
        " FROM reconciliation_employees e"
        " LEFT JOIN reconciliation_employments m ON m.employee_id = e.id"
        " WHERE e.reconciliation_id = $1::uuid GROUP BY e.id ORDER BY e.seq",
        1, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    size_t n = (size_t)PQntuples(res), total = 0;
    if (n > RECON_RULES_MAX_EMPLOYEES) {
        PQclear(res);
        return PORTAL_ERR_TOO_LARGE;
    }
    for (size_t i = 0; i < n; i++)
        total += (size_t)atoi(PQgetvalue(res, (int)i, 4));
    l->employees = calloc(n ? n : 1, sizeof *l->employees);
    l->employee_ids = calloc(n ? n : 1, sizeof *l->employee_ids);
    l->employments = calloc(total ? total : 1, sizeof *l->employments);
    portal_result rc =
        l->employees && l->employee_ids && l->employments ? PORTAL_OK : PORTAL_ERR_MEMORY;
    size_t at = 0;
    for (size_t i = 0; rc == PORTAL_OK && i < n; i++) {
        int row = (int)i;
        recon_rules_employee *e = &l->employees[i];
        snprintf(l->employee_ids[i], PORTAL_ID_LEN, "%s", PQgetvalue(res, row, 0));
        rc = recon_decimal(res, row, 1, &decimal_spec_salary, &e->insured_wage,
                           &e->has_insured_wage);
        e->left_service = PQgetvalue(res, row, 2)[0] == 't';
        size_t got = 0;
        if (rc == PORTAL_OK)
            rc = recon_parse_employments(PQgetvalue(res, row, 3), l->employments + at, total - at,
                                         &got);
        e->employments = l->employments + at;
        e->employment_count = got;
        at += got;
    }
    l->n_employees = n;
    PQclear(res);
    return rc;
}

/* Loads the sick reports with the index of their employee. */
static portal_result recon_load_reports(db_conn *db, const char *id, recon_loaded *l)
{
    const char *p[] = {id};
    PGresult *res =
        db_query(db,
                 "SELECT k.id, x.idx, k.first_sick_day::text, k.recovery_date::text,"
                 " k.ao_percentage::text, k.atw_percentage::text FROM reconciliation_sick_reports k"
                 " JOIN (SELECT id, row_number() OVER (ORDER BY seq) - 1 AS idx"
                 " FROM reconciliation_employees WHERE reconciliation_id = $1::uuid) x"
                 " ON x.id = k.employee_id WHERE k.reconciliation_id = $1::uuid ORDER BY k.seq",
                 1, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    size_t n = (size_t)PQntuples(res);
    if (n > RECON_RULES_MAX_SICK_REPORTS) {
        PQclear(res);
        return PORTAL_ERR_TOO_LARGE;
    }
    l->reports = calloc(n ? n : 1, sizeof *l->reports);
    l->report_ids = calloc(n ? n : 1, sizeof *l->report_ids);
    portal_result rc = l->reports && l->report_ids ? PORTAL_OK : PORTAL_ERR_MEMORY;
    for (size_t i = 0; rc == PORTAL_OK && i < n; i++) {
        int row = (int)i;
        recon_rules_sick_report *k = &l->reports[i];
        snprintf(l->report_ids[i], PORTAL_ID_LEN, "%s", PQgetvalue(res, row, 0));
        k->employee_index = (size_t)atol(PQgetvalue(res, row, 1));
        if (civil_date_parse(PQgetvalue(res, row, 2), &k->first_sick_day) != PORTAL_OK)
            rc = PORTAL_ERR_INTERNAL;
        if (rc == PORTAL_OK && !PQgetisnull(res, row, 3)) {
            k->has_recovery_date = true;
            if (civil_date_parse(PQgetvalue(res, row, 3), &k->recovery_date) != PORTAL_OK)
                rc = PORTAL_ERR_INTERNAL;
        }
        if (rc == PORTAL_OK)
            rc = recon_decimal(res, row, 4, &decimal_spec_percentage, &k->ao_percentage, NULL);
        if (rc == PORTAL_OK)
            rc = recon_decimal(res, row, 5, &decimal_spec_percentage, &k->atw_percentage, NULL);
    }
    l->n_reports = n;
    PQclear(res);
    return rc;
}

portal_result recon_store_load(db_conn *db, const char *id, recon_loaded *out)
{
    memset(out, 0, sizeof *out);
    /* Inside the caller's transaction: JIT compiling these one-off scans
     * and writes would cost more than running them. */
    portal_result rc = db_exec_script(db, "SET LOCAL jit = off");
    if (rc == PORTAL_OK)
        rc = recon_load_params(db, id, out);
    if (rc == PORTAL_OK)
        rc = recon_load_employees(db, id, out);
    if (rc == PORTAL_OK)
        rc = recon_load_reports(db, id, out);
    return rc;
}

void recon_loaded_free(recon_loaded *l)
{
    if (!l)
        return;
    free(l->employees);
    free(l->employee_ids);
    free(l->employments);
    free(l->reports);
    free(l->report_ids);
    memset(l, 0, sizeof *l);
}

/* Appends a money value in cents to an array literal. */
static portal_result recon_money(buf *b, int64_t cents, int first)
{
    char text[DECIMAL_TEXT_SIZE];
    if (decimal_format(cents, DECIMAL_MONEY_SCALE, text, sizeof text) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    return buf_printf(b, "%s%s", first ? "" : ",", text);
}

/* Array literals of the line columns: at most this many bytes each. */
#define RECON_ARRAY_MAX ((size_t)64 * 1024 * 1024)

/* Writes the employee lines with one INSERT over unnest(arrays). */
static portal_result recon_write_lines(db_conn *db, const char *id, const recon_loaded *l,
                                       const recon_rules_employee_line *lines)
{
    buf ids, days, caps, capped, premium;
    buf *all[] = {&ids, &days, &caps, &capped, &premium};
    for (size_t i = 0; i < 5; i++) {
        buf_init(all[i], RECON_ARRAY_MAX);
        (void)buf_append_str(all[i], "{");
    }
    portal_result rc = PORTAL_OK;
    for (size_t i = 0; rc == PORTAL_OK && i < l->n_employees; i++) {
        int first = i == 0;
        rc = buf_printf(&ids, "%s%s", first ? "" : ",", l->employee_ids[i]);
        if (rc == PORTAL_OK)
            rc = buf_printf(&days, "%s%lld", first ? "" : ",", (long long)lines[i].days);
        if (rc == PORTAL_OK)
            rc = recon_money(&caps, lines[i].prorated_cap, first);
        if (rc == PORTAL_OK)
            rc = recon_money(&capped, lines[i].capped_wage, first);
        if (rc == PORTAL_OK)
            rc = recon_money(&premium, lines[i].premium, first);
    }
    for (size_t i = 0; rc == PORTAL_OK && i < 5; i++)
        rc = buf_append(all[i], "}", 2);
    if (rc == PORTAL_OK) {
        const char *p[] = {id, ids.data, days.data, caps.data, capped.data, premium.data};
        rc = db_exec(db,
                     "INSERT INTO reconciliation_lines (reconciliation_id, employee_id, days,"
                     " prorated_cap, capped_wage, premium) SELECT $1::uuid, u.* FROM"
                     " unnest($2::uuid[], $3::int[], $4::numeric[], $5::numeric[], $6::numeric[])"
                     " u",
                     6, p);
    }
    for (size_t i = 0; i < 5; i++)
        buf_free(all[i]);
    return rc;
}

/* Writes the report costs with one UPDATE over unnest(arrays). */
static portal_result recon_write_reports(db_conn *db, const char *id, const recon_loaded *l,
                                         const recon_rules_report_line *lines)
{
    if (l->n_reports == 0)
        return PORTAL_OK;
    buf ids, days, daily, cost;
    buf *all[] = {&ids, &days, &daily, &cost};
    for (size_t i = 0; i < 4; i++) {
        buf_init(all[i], RECON_ARRAY_MAX);
        (void)buf_append_str(all[i], "{");
    }
    portal_result rc = PORTAL_OK;
    for (size_t i = 0; rc == PORTAL_OK && i < l->n_reports; i++) {
        int first = i == 0;
        rc = buf_printf(&ids, "%s%s", first ? "" : ",", l->report_ids[i]);
        if (rc == PORTAL_OK)
            rc = buf_printf(&days, "%s%lld", first ? "" : ",", (long long)lines[i].sick_days);
        if (rc == PORTAL_OK)
            rc = recon_money(&daily, lines[i].daily_wage, first);
        if (rc == PORTAL_OK)
            rc = recon_money(&cost, lines[i].cost, first);
    }
    for (size_t i = 0; rc == PORTAL_OK && i < 4; i++)
        rc = buf_append(all[i], "}", 2);
    if (rc == PORTAL_OK) {
        const char *p[] = {id, ids.data, days.data, daily.data, cost.data};
        rc = db_exec(db,
                     "UPDATE reconciliation_sick_reports k SET sick_days = u.d, daily_wage = u.w,"
                     " cost = u.c FROM unnest($2::uuid[], $3::int[], $4::numeric[],"
                     " $5::numeric[]) u (i, d, w, c) WHERE k.id = u.i"
                     " AND k.reconciliation_id = $1::uuid",
                     5, p);
    }
    for (size_t i = 0; i < 4; i++)
        buf_free(all[i]);
    return rc;
}

portal_result recon_store_write_result(db_conn *db, const char *id, int version,
                                       const recon_loaded *l,
                                       const recon_rules_employee_line *lines,
                                       const recon_rules_report_line *report_lines,
                                       const recon_rules_totals *t)
{
    char v[16], total[DECIMAL_TEXT_SIZE], definitive[DECIMAL_TEXT_SIZE],
        provisional[DECIMAL_TEXT_SIZE], settlement[DECIMAL_TEXT_SIZE], own[DECIMAL_TEXT_SIZE],
        sick[DECIMAL_TEXT_SIZE], reimb[DECIMAL_TEXT_SIZE];
    snprintf(v, sizeof v, "%d", version);
    if (decimal_format(t->capped_wage_total, 2, total, sizeof total) != PORTAL_OK ||
        decimal_format(t->definitive_premium, 2, definitive, sizeof definitive) != PORTAL_OK ||
        decimal_format(t->provisional_premium, 2, provisional, sizeof provisional) != PORTAL_OK ||
        decimal_format(t->settlement, 2, settlement, sizeof settlement) != PORTAL_OK ||
        decimal_format(t->own_risk, 2, own, sizeof own) != PORTAL_OK ||
        decimal_format(t->sick_pay_cost, 2, sick, sizeof sick) != PORTAL_OK ||
        decimal_format(t->reimbursement, 2, reimb, sizeof reimb) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    const char *p[] = {id,
                       v,
                       total,
                       definitive,
                       provisional,
                       settlement,
                       t->has_stop_loss ? own : NULL,
                       t->has_stop_loss ? sick : NULL,
                       t->has_stop_loss ? reimb : NULL};
    PGresult *res =
        db_query(db,
                 "UPDATE reconciliations SET status = 'processed', processed_at = now(),"
                 " capped_wage_total = $3::numeric, definitive_premium = $4::numeric,"
                 " result_provisional = $5::numeric, settlement = $6::numeric,"
                 " result_own_risk = $7::numeric, sick_pay_cost = $8::numeric,"
                 " reimbursement = $9::numeric, updated_at = now()"
                 " WHERE id = $1::uuid AND status = 'submitted' AND version = $2::int RETURNING id",
                 9, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    int hit = PQntuples(res) == 1;
    PQclear(res);
    if (!hit)
        return PORTAL_ERR_CONFLICT;
    const char *q[] = {id};
    portal_result rc =
        db_exec(db, "DELETE FROM reconciliation_lines WHERE reconciliation_id = $1::uuid", 1, q);
    if (rc == PORTAL_OK)
        rc = recon_write_lines(db, id, l, lines);
    if (rc == PORTAL_OK)
        rc = recon_write_reports(db, id, l, report_lines);
    return rc;
}

portal_result recon_store_each_line(db_conn *db, const char *id,
                                    portal_result (*fn)(void *closure, const recon_line_row *row),
                                    void *closure)
{
    const char *p[] = {id};
    portal_result rc =
        db_exec(db,
                "DECLARE recon_lines NO SCROLL CURSOR FOR SELECT e.display_name,"
                " e.birth_date::text, l.days::text, e.insured_wage::text, l.prorated_cap::text,"
                " l.capped_wage::text, l.premium::text FROM reconciliation_employees e"
                " JOIN reconciliation_lines l ON l.employee_id = e.id"
                " WHERE e.reconciliation_id = $1::uuid ORDER BY e.seq",
                1, p);
    while (rc == PORTAL_OK) {
        PGresult *res = PQexec(db_pg(db), "FETCH 1000 FROM recon_lines");
        if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
            PQclear(res);
            rc = PORTAL_ERR_DATABASE;
            break;
        }
        int n = PQntuples(res);
        for (int i = 0; rc == PORTAL_OK && i < n; i++) {
            recon_line_row row = {PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                                  PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
                                  PQgetvalue(res, i, 4), PQgetvalue(res, i, 5),
                                  PQgetvalue(res, i, 6)};
            rc = fn(closure, &row);
        }
        PQclear(res);
        if (n < RECON_STORE_FETCH)
            break;
    }
    if (rc == PORTAL_OK)
        rc = db_exec_script(db, "CLOSE recon_lines");
    return rc;
}
