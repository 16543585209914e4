/* store/payroll_periods.c: see payroll_periods.h. */
#include "store/payroll_periods.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The snapshot columns in table order (after period_id, revision, seq). */
#define PAYROLL_COLUMNS                                                                            \
    "personnel_number, employment_number, bsn, first_name, initials, surname_prefix, surname,"     \
    " birth_date, gender, street, house_number, postal_code, city, country, start_date,"           \
    " end_date, salary, parttime_percentage, hours, insured_wage"
#define PAYROLL_N_COLUMNS 20

/* The fields the list and the item share (timestamps as the API writes
 * them). */
#define PAYROLL_ITEM_FIELDS                                                                        \
    "'id', pp.id, 'period', pp.period, 'status', pp.status, 'received_at',"                        \
    " to_char(pp.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"               \
    " 'processed_at', to_char(pp.processed_at AT TIME ZONE 'UTC',"                                 \
    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'revision', pp.revision, 'employments', pp.employments,"  \
    " 'accepted', pp.accepted, 'unchanged', pp.unchanged, 'rejected', pp.rejected"

struct payroll_loaded {
    PGresult *res;
};

/* Fills a head from a row of id, scheme_id, organisation_id, period,
 * period_start, period_end, status, lang, revision; takes res. */
static portal_result payroll_head_of(PGresult *res, payroll_head *out)
{
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) < 1) {
        PQclear(res);
        return PORTAL_ERR_NOT_FOUND;
    }
    memset(out, 0, sizeof *out);
    db_copy_value(out->id, sizeof out->id, res, 0, 0);
    db_copy_value(out->scheme_id, sizeof out->scheme_id, res, 0, 1);
    db_copy_value(out->organisation_id, sizeof out->organisation_id, res, 0, 2);
    db_copy_value(out->period, sizeof out->period, res, 0, 3);
    db_copy_value(out->period_start, sizeof out->period_start, res, 0, 4);
    db_copy_value(out->period_end, sizeof out->period_end, res, 0, 5);
    db_copy_value(out->status, sizeof out->status, res, 0, 6);
    db_copy_value(out->lang, sizeof out->lang, res, 0, 7);
    out->revision = atoi(PQgetvalue(res, 0, 8));
    out->same_body = PQnfields(res) > 9 && strcmp(PQgetvalue(res, 0, 9), "t") == 0;
    PQclear(res);
    return PORTAL_OK;
}

#define PAYROLL_HEAD_SELECT                                                                        \
    "SELECT pp.id, pp.scheme_id, s.organisation_id, pp.period, pp.period_start::text,"             \
    " pp.period_end::text, pp.status, pp.lang, pp.revision"

portal_result payroll_store_lock(db_conn *db, const payroll_key *k, payroll_head *out)
{
    char year[16];
    snprintf(year, sizeof year, "%d", k->year);
    const char *p[] = {k->scheme_id, k->period, year, k->period_start, k->period_end, k->body_hash};
    portal_result rc = db_exec(
        db,
        "INSERT INTO payroll_periods (scheme_id, period, year, period_start, period_end,"
        " body_hash, revision, status) VALUES ($1::uuid, $2, $3::int, $4::date, $5::date, $6, 0,"
        " 'processing') ON CONFLICT (scheme_id, period) DO NOTHING",
        6, p);
    if (rc != PORTAL_OK)
        return rc;
    const char *q[] = {k->scheme_id, k->period, k->body_hash};
    return payroll_head_of(db_query(db,
                                    PAYROLL_HEAD_SELECT ", pp.body_hash = $3"
                                                        " FROM payroll_periods pp JOIN schemes s"
                                                        " ON s.id = pp.scheme_id"
                                                        " WHERE pp.scheme_id = $1::uuid AND"
                                                        " pp.period = $2 FOR UPDATE OF pp",
                                    3, q),
                           out);
}

portal_result payroll_store_head(db_conn *db, const char *scheme_id, const char *period,
                                 const char *id, int lock, payroll_head *out)
{
    if (id) {
        const char *p[] = {id};
        return payroll_head_of(db_query(db,
                                        lock ? PAYROLL_HEAD_SELECT
                                            " FROM payroll_periods pp JOIN schemes s ON s.id ="
                                            " pp.scheme_id WHERE pp.id = $1::uuid FOR UPDATE OF pp"
                                             : PAYROLL_HEAD_SELECT
                                            " FROM payroll_periods pp JOIN schemes s ON s.id ="
                                            " pp.scheme_id WHERE pp.id = $1::uuid",
                                        1, p),
                               out);
    }
    const char *p[] = {scheme_id, period};
    return payroll_head_of(
        db_query(db,
                 lock ? PAYROLL_HEAD_SELECT " FROM payroll_periods pp JOIN schemes s ON s.id ="
                                            " pp.scheme_id WHERE pp.scheme_id = $1::uuid AND"
                                            " pp.period = $2 AND pp.revision > 0 FOR UPDATE OF pp"
                      : PAYROLL_HEAD_SELECT " FROM payroll_periods pp JOIN schemes s ON s.id ="
                                            " pp.scheme_id WHERE pp.scheme_id = $1::uuid AND"
                                            " pp.period = $2 AND pp.revision > 0",
                 2, p),
        out);
}

portal_result payroll_store_revision(db_conn *db, const char *id, const char *body_hash,
                                     const payroll_sender *sender, const char *rows_json, int n,
                                     int *revision)
{
    char count[16];
    snprintf(count, sizeof count, "%d", n);
    const char *p[] = {id,
                       body_hash,
                       count,
                       sender->user_id,
                       sender->token_id,
                       sender->lang ? sender->lang : "nl"};
    PGresult *res = db_query(
        db,
        "UPDATE payroll_periods SET revision = revision + 1, body_hash = $2, status = 'processing',"
        " employments = $3::int, accepted = 0, unchanged = 0, rejected = 0, received_at = now(),"
        " processed_at = NULL, received_by = $4::uuid, received_by_token = $5::uuid, lang = $6"
        " WHERE id = $1::uuid RETURNING revision",
        6, p);
    if (!res || PQntuples(res) != 1) {
        if (res)
            PQclear(res);
        return PORTAL_ERR_DATABASE;
    }
    *revision = atoi(PQgetvalue(res, 0, 0));
    char rev[16];
    snprintf(rev, sizeof rev, "%d", *revision);
    PQclear(res);
    const char *d[] = {id, rev};
    portal_result rc = db_exec(db,
                               "DELETE FROM payroll_period_rows WHERE period_id = $1::uuid"
                               " AND revision < $2::int - 1",
                               2, d);
    if (rc == PORTAL_OK)
        rc = db_exec(db,
                     "DELETE FROM payroll_feedback WHERE period_id = $1::uuid"
                     " AND revision < $2::int - 1",
                     2, d);
    if (rc != PORTAL_OK)
        return rc;
    const char *r[] = {id, rev, rows_json};
    return db_exec(db,
                   "INSERT INTO payroll_period_rows (period_id, revision, seq, " PAYROLL_COLUMNS
                   ") SELECT $1::uuid, $2::int, t.ord::int, x.* FROM"
                   " json_array_elements($3::json) WITH ORDINALITY t(e, ord),"
                   " json_to_record(t.e) AS x(personnel_number text, employment_number text,"
                   " bsn text, first_name text, initials text, surname_prefix text,"
                   " surname text, birth_date text, gender text, street text,"
                   " house_number text, postal_code text, city text, country text,"
                   " start_date text, end_date text, salary text, parttime_percentage text,"
                   " hours text, insured_wage text)",
                   3, r);
}

/* The participant as valid on the period's last day: the period valid
 * then, else the first one (starting later). Pending changes win: the
 * latest salary change and address change awaiting review dated by then,
 * and the earliest termination awaiting review. */
#define PAYROLL_LOAD_SQL                                                                           \
    "SELECT r.seq, r.personnel_number, r.employment_number, r.bsn, r.first_name, r.initials,"      \
    " r.surname_prefix, r.surname, r.birth_date, r.gender, r.street, r.house_number,"              \
    " r.postal_code, r.city, r.country, r.start_date, r.end_date, r.salary,"                       \
    " r.parttime_percentage, r.hours, r.insured_wage, p.id, st.status, st.employment_start::text," \
    " st.employment_end::text, pe.pending_end::text,"                                              \
    " coalesce(ps.payload->>'salary', st.salary::text),"                                           \
    " coalesce(ps.payload->>'parttime_percentage', st.parttime_percentage::text),"                 \
    " coalesce(pa.address, st.address)->>'street', coalesce(pa.address, "                          \
    "st.address)->>'house_number',"                                                                \
    " coalesce(pa.address, st.address)->>'postal_code', coalesce(pa.address, "                     \
    "st.address)->>'city',"                                                                        \
    " coalesce(pa.address, st.address)->>'country',"                                               \
    " r.seq <> min(r.seq) OVER (PARTITION BY r.bsn),"                                              \
    " coalesce(prev.same, false)"                                                                  \
    " FROM payroll_period_rows r JOIN payroll_periods pp ON pp.id = r.period_id"                   \
    " LEFT JOIN LATERAL (SELECT q.id FROM participants q WHERE q.scheme_id = pp.scheme_id"         \
    " AND q.bsn = r.bsn AND q.rejected_at IS NULL LIMIT 1) p ON true"                              \
    " LEFT JOIN LATERAL (SELECT x.status, x.employment_start, x.employment_end, x.salary,"         \
    " x.parttime_percentage, x.address FROM participant_periods x WHERE x.participant_id = p.id"   \
    " AND x.superseded_at IS NULL ORDER BY lower(x.valid) <= pp.period_end DESC,"                  \
    " CASE WHEN lower(x.valid) <= pp.period_end THEN lower(x.valid) END DESC NULLS LAST,"          \
    " lower(x.valid) LIMIT 1) st ON true"                                                          \
    " LEFT JOIN LATERAL (SELECT c.payload FROM participant_changes c WHERE c.participant_id ="     \
    " p.id AND c.type = 'salary_change' AND c.status = 'pending_review' AND c.effective_date <="   \
    " pp.period_end ORDER BY c.effective_date DESC, c.seq DESC LIMIT 1) ps ON true"                \
    " LEFT JOIN LATERAL (SELECT c.payload->'address' AS address FROM participant_changes c"        \
    " WHERE c.participant_id = p.id AND c.type = 'address_change' AND c.status ="                  \
    " 'pending_review' AND c.effective_date <= pp.period_end ORDER BY c.effective_date DESC,"      \
    " c.seq DESC LIMIT 1) pa ON true"                                                              \
    " LEFT JOIN LATERAL (SELECT min(c.effective_date) AS pending_end FROM participant_changes c"   \
    " WHERE c.participant_id = p.id AND c.type = 'termination' AND c.status = 'pending_review')"   \
    " pe ON true"                                                                                  \
    " LEFT JOIN LATERAL (SELECT true AS same FROM payroll_period_rows o JOIN payroll_feedback f"   \
    " ON f.period_id = o.period_id AND f.revision = o.revision AND f.seq = o.seq"                  \
    " WHERE o.period_id = r.period_id AND o.revision = r.revision - 1 AND o.bsn = r.bsn"           \
    " AND f.result <> 'rejected' AND (o." PAYROLL_SAME_COLUMNS ") LIMIT 1) prev ON true"           \
    " WHERE r.period_id = $1::uuid AND r.revision = $2::int ORDER BY r.seq"

#define PAYROLL_SAME_COLUMNS                                                                       \
    "personnel_number, o.employment_number, o.first_name, o.initials, o.surname_prefix,"           \
    " o.surname, o.birth_date, o.gender, o.street, o.house_number, o.postal_code, o.city,"         \
    " o.country, o.start_date, o.end_date, o.salary, o.parttime_percentage, o.hours,"              \
    " o.insured_wage) IS NOT DISTINCT FROM (r.personnel_number, r.employment_number,"              \
    " r.first_name, r.initials, r.surname_prefix, r.surname, r.birth_date, r.gender, r.street,"    \
    " r.house_number, r.postal_code, r.city, r.country, r.start_date, r.end_date, r.salary,"       \
    " r.parttime_percentage, r.hours, r.insured_wage"

portal_result payroll_store_load(db_conn *db, const char *id, int revision, payroll_loaded **out)
{
    *out = NULL;
    char rev[16];
    snprintf(rev, sizeof rev, "%d", revision);
    const char *p[] = {id, rev};
    /* Right after a large period commits, the statistics still describe
     * the scheme before it (a few participants, no rows of this period),
     * and the planner would join 10,000 rows to a whole read of
     * participants per row. Every lookup is a lateral index probe per
     * row (participants_scheme_bsn, the participant's periods and
     * changes, the previous revision's row), and the planner is held to
     * nested loops over index scans whatever the statistics say: n
     * probes, never n x n. JIT does not pay here either. The settings
     * end with the statement. */
    if (db_exec_script(db, "SET LOCAL enable_seqscan = off; SET LOCAL enable_material = off;"
                           " SET LOCAL enable_mergejoin = off; SET LOCAL enable_hashjoin = off;"
                           " SET LOCAL jit = off") != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    PGresult *res = db_query(db, PAYROLL_LOAD_SQL, 2, p);
    if (db_exec_script(db, "RESET enable_seqscan; RESET enable_material; RESET enable_mergejoin;"
                           " RESET enable_hashjoin; RESET jit") != PORTAL_OK) {
        if (res)
            PQclear(res);
        return PORTAL_ERR_DATABASE;
    }
    if (!res)
        return PORTAL_ERR_DATABASE;
    payroll_loaded *l = malloc(sizeof *l);
    if (!l) {
        PQclear(res);
        return PORTAL_ERR_MEMORY;
    }
    l->res = res;
    *out = l;
    return PORTAL_OK;
}

int payroll_loaded_count(const payroll_loaded *l)
{
    return l ? PQntuples(l->res) : 0;
}

/* Column c of row i, NULL when SQL NULL. */
static const char *payroll_value(const payroll_loaded *l, int i, int c)
{
    return PQgetisnull(l->res, i, c) ? NULL : PQgetvalue(l->res, i, c);
}

void payroll_loaded_row(const payroll_loaded *l, int i, payroll_row *out)
{
    memset(out, 0, sizeof *out);
    out->seq = atoi(PQgetvalue(l->res, i, 0));
    const char **row_fields[PAYROLL_N_COLUMNS] = {&out->personnel_number,
                                                  &out->employment_number,
                                                  &out->bsn,
                                                  &out->first_name,
                                                  &out->initials,
                                                  &out->surname_prefix,
                                                  &out->surname,
                                                  &out->birth_date,
                                                  &out->gender,
                                                  &out->street,
                                                  &out->house_number,
                                                  &out->postal_code,
                                                  &out->city,
                                                  &out->country,
                                                  &out->start_date,
                                                  &out->end_date,
                                                  &out->salary,
                                                  &out->parttime_percentage,
                                                  &out->hours,
                                                  &out->insured_wage};
    for (int c = 0; c < PAYROLL_N_COLUMNS; c++)
        *row_fields[c] = payroll_value(l, i, 1 + c);
    const char **p_fields[] = {
        &out->participant_id,        &out->p_status,      &out->p_employment_start,
        &out->p_employment_end,      &out->p_pending_end, &out->p_salary,
        &out->p_parttime_percentage, &out->p_street,      &out->p_house_number,
        &out->p_postal_code,         &out->p_city,        &out->p_country};
    int base = 1 + PAYROLL_N_COLUMNS;
    for (size_t c = 0; c < sizeof p_fields / sizeof p_fields[0]; c++)
        *p_fields[c] = payroll_value(l, i, base + (int)c);
    base += (int)(sizeof p_fields / sizeof p_fields[0]);
    out->duplicate = strcmp(PQgetvalue(l->res, i, base), "t") == 0;
    out->same_as_before = strcmp(PQgetvalue(l->res, i, base + 1), "t") == 0;
}

void payroll_loaded_free(payroll_loaded *l)
{
    if (!l)
        return;
    PQclear(l->res);
    free(l);
}

/* Copies column col of row 0 into out; returns 1 when it was not NULL. */
static int payroll_copy_set(char *out, size_t size, PGresult *res, int col)
{
    db_copy_value(out, size, res, 0, col);
    return !PQgetisnull(res, 0, col);
}

portal_result payroll_store_next_row(db_conn *db, const char *scheme_id, const char *bsn,
                                     const char *after_day, payroll_next_row *out)
{
    memset(out, 0, sizeof *out);
    const char *p[] = {scheme_id, after_day, bsn};
    PGresult *res = db_query(
        db,
        "SELECT pp.period, r.salary, r.parttime_percentage, r.street, r.house_number,"
        " r.postal_code, r.city, r.country FROM payroll_periods pp JOIN payroll_period_rows r"
        " ON r.period_id = pp.id AND r.revision = pp.revision JOIN payroll_feedback f"
        " ON f.period_id = pp.id AND f.revision = pp.revision AND f.seq = r.seq"
        " AND f.result <> 'rejected' WHERE pp.scheme_id = $1::uuid AND pp.period_start >"
        " $2::date AND pp.status = 'processed' AND r.bsn = $3 ORDER BY pp.period_start LIMIT 1",
        3, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1) {
        out->found = 1;
        db_copy_value(out->period, sizeof out->period, res, 0, 0);
        out->has_salary = payroll_copy_set(out->salary, sizeof out->salary, res, 1);
        out->has_parttime =
            payroll_copy_set(out->parttime_percentage, sizeof out->parttime_percentage, res, 2);
        out->has_address = payroll_copy_set(out->street, sizeof out->street, res, 3);
        out->has_address |= payroll_copy_set(out->house_number, sizeof out->house_number, res, 4);
        out->has_address |= payroll_copy_set(out->postal_code, sizeof out->postal_code, res, 5);
        out->has_address |= payroll_copy_set(out->city, sizeof out->city, res, 6);
        db_copy_value(out->country, sizeof out->country, res, 0, 7);
    }
    PQclear(res);
    return PORTAL_OK;
}

/* NULL for NULL or "". */
static const char *payroll_or_null(const char *s)
{
    return s && *s ? s : NULL;
}

/* Runs one of the set-based apply statements (sql: $1 scheme, $2 rows,
 * $3..$9 who records it) and copies its one text answer into *applied. */
static portal_result payroll_apply_statement(db_conn *db, const char *sql, const char *scheme_id,
                                             const payroll_recorder *who, const char *rows_json,
                                             char **applied)
{
    const char *p[] = {scheme_id,
                       rows_json,
                       who->kind,
                       payroll_or_null(who->user_id),
                       payroll_or_null(who->token_id),
                       payroll_or_null(who->label),
                       who->audit_label,
                       payroll_or_null(who->request_id),
                       payroll_or_null(who->client_address)};
    portal_result rc = db_query_text_required(db, sql, 9, p, applied);
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_ERR_DATABASE : rc;
}

portal_result payroll_store_salary_apply(db_conn *db, const char *scheme_id,
                                         const payroll_recorder *who, const char *rows_json,
                                         char **applied)
{
    return payroll_apply_statement(
        db,
        "SELECT coalesce(json_agg(a.participant_id), '[]')::text FROM"
        " portal_payroll_salary_apply($1::uuid, $2::jsonb, $3, $4::uuid, $5::uuid, $6,"
        " $7, $8, $9) a",
        scheme_id, who, rows_json, applied);
}

portal_result payroll_store_registration_apply(db_conn *db, const char *scheme_id,
                                               const payroll_recorder *who, const char *rows_json,
                                               char **applied)
{
    return payroll_apply_statement(
        db,
        "SELECT coalesce(json_object_agg(a.row_key, a.participant_id) FILTER (WHERE"
        " a.skip IS NULL), '{}')::text FROM portal_registration_apply($1::uuid,"
        " $2::jsonb, $3, $4::uuid, $5::uuid, NULL, $6, NULL, $7, $8, $9, true) a",
        scheme_id, who, rows_json, applied);
}

portal_result payroll_store_has_later(db_conn *db, const char *scheme_id, const char *after_day,
                                      int *later)
{
    const char *p[] = {scheme_id, after_day};
    PGresult *res = db_query(db,
                             "SELECT EXISTS (SELECT 1 FROM payroll_periods WHERE scheme_id ="
                             " $1::uuid AND period_start > $2::date AND status = 'processed')",
                             2, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *later = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return PORTAL_OK;
}

portal_result payroll_store_finish(db_conn *db, const char *id, int revision,
                                   const char *feedback_json)
{
    char rev[16];
    snprintf(rev, sizeof rev, "%d", revision);
    const char *p[] = {id, rev, feedback_json};
    portal_result rc = db_exec(
        db,
        "INSERT INTO payroll_feedback (period_id, revision, seq, personnel_number,"
        " employment_number, name, participant_id, result, changes, code, message)"
        " SELECT $1::uuid, $2::int, x.seq, x.personnel_number, x.employment_number, x.name,"
        " x.participant_id, x.result, ARRAY(SELECT json_array_elements_text(coalesce(x.changes,"
        " '[]'::json))), x.code, x.message FROM json_to_recordset($3::json) AS x(seq int,"
        " personnel_number text, employment_number text, name text, participant_id uuid,"
        " result text, changes json, code text, message text)",
        3, p);
    if (rc != PORTAL_OK)
        return rc;
    return db_exec(db,
                   "UPDATE payroll_periods pp SET status = 'processed', processed_at = now(),"
                   " accepted = c.accepted, unchanged = c.unchanged, rejected = c.rejected"
                   " FROM (SELECT count(*) FILTER (WHERE result = 'accepted') AS accepted,"
                   " count(*) FILTER (WHERE result = 'unchanged') AS unchanged,"
                   " count(*) FILTER (WHERE result = 'rejected') AS rejected"
                   " FROM payroll_feedback WHERE period_id = $1::uuid AND revision = $2::int) c"
                   " WHERE pp.id = $1::uuid",
                   2, p);
}

portal_result payroll_store_fail(db_conn *db, const char *id)
{
    const char *p[] = {id};
    return db_exec(db,
                   "UPDATE payroll_periods SET status = 'failed', processed_at = now()"
                   " WHERE id = $1::uuid AND status = 'processing'",
                   1, p);
}

portal_result payroll_store_list_json(db_conn *db, const char *scheme_id, const char *after_period,
                                      int limit, char **rows)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {scheme_id, after_period, lim};
    portal_result rc = db_query_text_required(
        db,
        "SELECT coalesce(json_agg(j ORDER BY k DESC), '[]')::text FROM ("
        "SELECT pp.period AS k, json_build_object(" PAYROLL_ITEM_FIELDS ") AS j"
        " FROM payroll_periods pp WHERE pp.scheme_id = $1::uuid AND pp.revision > 0"
        " AND ($2::text IS NULL OR pp.period < $2) ORDER BY pp.period DESC"
        " LIMIT $3::int) x",
        3, p, rows);
    return rc;
}

portal_result payroll_store_item_json(db_conn *db, const char *id, int after_seq, int limit,
                                      char **json)
{
    char after[16], lim[16];
    snprintf(after, sizeof after, "%d", after_seq);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {id, after, lim};
    return db_query_text_required(
        db,
        "SELECT (json_build_object(" PAYROLL_ITEM_FIELDS
        ", 'scheme_id', pp.scheme_id, 'period_start', pp.period_start,"
        " 'period_end', pp.period_end)::jsonb || (SELECT jsonb_build_object('feedback',"
        " coalesce(jsonb_agg(jsonb_build_object('seq', f.seq, 'personnel_number',"
        " f.personnel_number, 'employment_number', f.employment_number, 'name', f.name,"
        " 'participant_id', f.participant_id, 'result', f.result, 'changes',"
        " to_jsonb(f.changes), 'code', f.code, 'message', f.message) ORDER BY f.seq)"
        " FILTER (WHERE f.n <= $3::int), '[]'::jsonb), 'feedback_more',"
        " count(*) > $3::int) FROM (SELECT g.*, row_number() OVER (ORDER BY g.seq) AS n"
        " FROM payroll_feedback g WHERE g.period_id = pp.id AND g.revision ="
        " pp.revision AND g.seq > $2::int ORDER BY g.seq LIMIT $3::int + 1) f))::text"
        " FROM payroll_periods pp WHERE pp.id = $1::uuid",
        3, p, json);
}

/* The latest revision's rows of the year's periods that were not refused,
 * newest period first within each BSN. */
#define PAYROLL_YEAR_FROM                                                                          \
    " FROM reconciliations rc JOIN payroll_periods pp ON pp.scheme_id = rc.scheme_id"              \
    " AND pp.year = rc.year AND pp.status = 'processed'"                                           \
    " JOIN payroll_period_rows r ON r.period_id = pp.id AND r.revision = pp.revision"              \
    " JOIN payroll_feedback f ON f.period_id = pp.id AND f.revision = pp.revision"                 \
    " AND f.seq = r.seq AND f.result <> 'rejected'"
#define PAYROLL_YEAR_WHERE " WHERE rc.id = $1::uuid"
#define PAYROLL_YEAR_ROWS PAYROLL_YEAR_FROM PAYROLL_YEAR_WHERE

portal_result payroll_store_prefill_reconciliation(db_conn *db, const char *id, long *rows)
{
    *rows = 0;
    const char *p[] = {id};
    portal_result rc = db_exec(
        db,
        "INSERT INTO reconciliation_employees (reconciliation_id, participant_id, first_name,"
        " initials, surname_prefix, surname, display_name, birth_date, gender, bsn, left_service)"
        " SELECT DISTINCT ON (r.bsn) rc.id, p.id, r.first_name, coalesce(r.initials, ''),"
        " r.surname_prefix, r.surname, r.surname || ', ' || coalesce(r.initials, '') ||"
        " coalesce(' ' || r.surname_prefix, ''), r.birth_date::date, r.gender, r.bsn,"
        " r.end_date IS NOT NULL" PAYROLL_YEAR_FROM
        " LEFT JOIN participants p ON p.scheme_id = rc.scheme_id AND p.bsn = r.bsn"
        " AND p.rejected_at IS NULL" PAYROLL_YEAR_WHERE
        " AND r.surname IS NOT NULL AND r.gender IN ('male', 'female', 'unknown')"
        " AND r.birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
        " AND NOT EXISTS (SELECT 1 FROM reconciliation_employees e WHERE e.reconciliation_id ="
        " rc.id AND e.bsn = r.bsn) ORDER BY r.bsn, pp.period_end DESC",
        1, p);
    if (rc == PORTAL_OK)
        rc = db_exec(
            db,
            "INSERT INTO reconciliation_employments (employee_id, position, start_date, end_date,"
            " fixed_term) SELECT e.id, (row_number() OVER (PARTITION BY e.id ORDER BY"
            " m.start_date) - 1)::smallint, m.start_date, m.end_date, false FROM"
            " reconciliation_employees e JOIN (SELECT r.bsn, r.start_date::date AS start_date,"
            " max(r.end_date::date) AS end_date" PAYROLL_YEAR_ROWS
            " GROUP BY r.bsn, r.start_date) m ON m.bsn = e.bsn WHERE e.reconciliation_id ="
            " $1::uuid AND NOT EXISTS (SELECT 1 FROM reconciliation_employments x WHERE"
            " x.employee_id = e.id)",
            1, p);
    if (rc != PORTAL_OK)
        return rc;
    PGresult *res = db_query(
        db,
        "UPDATE reconciliation_employees e SET insured_wage = w.total FROM (SELECT r.bsn,"
        " sum(r.insured_wage::numeric(14,2)) AS total" PAYROLL_YEAR_ROWS
        " AND r.insured_wage IS NOT NULL GROUP BY r.bsn) w WHERE e.reconciliation_id = $1::uuid"
        " AND e.bsn = w.bsn AND e.insured_wage IS NULL",
        1, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *rows = atol(PQcmdTuples(res));
    PQclear(res);
    return PORTAL_OK;
}
