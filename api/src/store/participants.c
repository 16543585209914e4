/* store/participants.c: see participants.h. */
#include "store/participants.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/access.h"
#include "store/page_json.h"
#include "store/participants_sql.h"

static void copy_text(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

/* ---- identity, state and locks ---- */

#define REF_COLUMNS                                                                                \
    "SELECT p.id, p.scheme_id, s.organisation_id, s.kind, p.participant_number, p.version,"        \
    " p.rejected_at IS NOT NULL FROM participants p JOIN schemes s ON s.id = p.scheme_id"          \
    " WHERE p.id = $1::uuid"

portal_result participants_ref(db_conn *db, const char *id, int lock, participant_ref *out)
{
    const char *params[] = {id};
    PGresult *res;
    portal_result rc =
        db_query_row(db, lock ? REF_COLUMNS " FOR UPDATE OF p FOR KEY SHARE OF s" : REF_COLUMNS, 1,
                     params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    memset(out, 0, sizeof *out);
    copy_text(out->id, sizeof out->id, PQgetvalue(res, 0, 0));
    copy_text(out->scheme_id, sizeof out->scheme_id, PQgetvalue(res, 0, 1));
    copy_text(out->organisation_id, sizeof out->organisation_id, PQgetvalue(res, 0, 2));
    copy_text(out->scheme_kind, sizeof out->scheme_kind, PQgetvalue(res, 0, 3));
    copy_text(out->participant_number, sizeof out->participant_number, PQgetvalue(res, 0, 4));
    out->version = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
    out->rejected = PQgetvalue(res, 0, 6)[0] == 't';
    PQclear(res);
    return PORTAL_OK;
}

/* The period valid on $2, or the first one when the participant starts
 * later. Used as a LATERAL subquery on participants p. */
#define PERIOD_AS_OF                                                                               \
    "(SELECT * FROM participant_periods x WHERE x.participant_id = p.id"                           \
    " AND x.superseded_at IS NULL AND (x.valid @> $2::date"                                        \
    " OR (x.first_period AND lower(x.valid) > $2::date)) ORDER BY lower(x.valid) LIMIT 1)"

/* clang-format off */
portal_result participants_state(db_conn *db, const char *id, const char *day,
                                 participant_state *out)
{
    const char *params[] = {id, day};
    PGresult *res = db_query(
        db,
        "SELECT pp.participant_id IS NOT NULL, coalesce(pp.status, ''),"
        " coalesce(" PSQL_DATE("pp.employment_start") ", ''),"
        " coalesce(" PSQL_DATE("pp.employment_end") ", ''),"
        " coalesce((SELECT " PSQL_DATE("min(c.effective_date)") " FROM participant_changes c"
        "   WHERE c.participant_id = p.id AND c.type = 'termination'"
        "   AND c.status = 'pending_review' AND c.effective_date >= pp.employment_start), ''),"
        " EXISTS (SELECT 1 FROM scheme_locks l WHERE l.scheme_id = p.scheme_id)"
        " FROM participants p LEFT JOIN LATERAL " PERIOD_AS_OF " pp ON true"
        " WHERE p.id = $1::uuid",
        2, params);
    /* clang-format on */
    if (!res)
        return PORTAL_ERR_DATABASE;
    memset(out, 0, sizeof *out);
    if (PQntuples(res) == 1) {
        out->has_period = PQgetvalue(res, 0, 0)[0] == 't';
        copy_text(out->status, sizeof out->status, PQgetvalue(res, 0, 1));
        copy_text(out->employment_start, sizeof out->employment_start, PQgetvalue(res, 0, 2));
        copy_text(out->employment_end, sizeof out->employment_end, PQgetvalue(res, 0, 3));
        copy_text(out->pending_end, sizeof out->pending_end, PQgetvalue(res, 0, 4));
        out->scheme_locked = PQgetvalue(res, 0, 5)[0] == 't';
    }
    PQclear(res);
    return PORTAL_OK;
}

portal_result participants_scheme_locked(db_conn *db, const char *scheme_id, int *locked)
{
    const char *params[] = {scheme_id};
    *locked = 0;
    if (db_exec(db, "SELECT 1 FROM schemes WHERE id = $1::uuid FOR KEY SHARE", 1, params) !=
        PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return db_query_flag(db,
                         "SELECT EXISTS (SELECT 1 FROM scheme_locks WHERE scheme_id = $1::uuid)", 1,
                         params, locked);
}

portal_result participants_lock_bsn(db_conn *db, const char *scheme_id, const char *bsn)
{
    const char *params[] = {scheme_id, bsn};
    return db_exec(db, "SELECT pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))", 2,
                   params);
}

portal_result participants_find_by_bsn(db_conn *db, const char *scheme_id, const char *bsn,
                                       const char *day, participant_ref *ref,
                                       participant_state *state)
{
    const char *params[] = {scheme_id, bsn};
    PGresult *res;
    portal_result rc =
        db_query_row(db,
                     "SELECT id FROM participants WHERE scheme_id = $1::uuid AND bsn = $2"
                     " AND rejected_at IS NULL",
                     2, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    char id[PORTAL_ID_LEN];
    copy_text(id, sizeof id, PQgetvalue(res, 0, 0));
    PQclear(res);
    rc = participants_ref(db, id, 1, ref);
    if (rc == PORTAL_OK)
        rc = participants_state(db, id, day, state);
    return rc;
}

portal_result participants_number_taken(db_conn *db, const char *scheme_id, const char *number,
                                        int *taken)
{
    const char *params[] = {scheme_id, number};
    *taken = 0;
    return db_query_flag(db,
                         "SELECT EXISTS (SELECT 1 FROM participants WHERE scheme_id = $1::uuid"
                         " AND participant_number = $2 AND rejected_at IS NULL)",
                         2, params, taken);
}

portal_result participants_insert(db_conn *db, const char *scheme_id, const char *number,
                                  const char *bsn, char out_id[PORTAL_ID_LEN],
                                  char out_number[PARTICIPANTS_NUMBER_SIZE])
{
    const char *params[] = {scheme_id, number, bsn};
    PGresult *res = db_query(
        db,
        "INSERT INTO participants (scheme_id, participant_number, bsn)"
        " VALUES ($1::uuid, coalesce($2::text, portal_next_participant_number($1::uuid)), $3)"
        " RETURNING id, participant_number",
        3, params);
    if (!res)
        return db_is_unique_violation(db) ? PORTAL_ERR_CONFLICT : PORTAL_ERR_DATABASE;
    copy_text(out_id, PORTAL_ID_LEN, PQgetvalue(res, 0, 0));
    copy_text(out_number, PARTICIPANTS_NUMBER_SIZE, PQgetvalue(res, 0, 1));
    PQclear(res);
    return PORTAL_OK;
}

portal_result participants_rebuild(db_conn *db, const char *id)
{
    const char *params[] = {id};
    return db_exec(db, "SELECT portal_participant_rebuild($1::uuid)", 1, params);
}

portal_result participants_mark_rejected(db_conn *db, const char *id)
{
    const char *params[] = {id};
    return db_exec(db,
                   "UPDATE participants SET rejected_at = clock_timestamp()"
                   " WHERE id = $1::uuid AND rejected_at IS NULL",
                   1, params);
}

/* ---- the detail ---- */

/* clang-format off */
portal_result participants_detail_json(db_conn *db, const char *id, const char *as_of,
                                       int full_bsn, char **json, long long *version)
{
    const char *params[] = {id, as_of, full_bsn ? "true" : "false"};
    *json = NULL;
    PGresult *res = db_query(
        db,
        "SELECT json_build_object('id', p.id, 'scheme_id', p.scheme_id,"
        " 'scheme', json_build_object('id', s.id, 'name', s.name, 'number', s.number,"
        "   'kind', s.kind),"
        " 'participant_number', p.participant_number, 'status', pp.status,"
        " 'as_of', " PSQL_DATE("$2::date") ", 'display_name', pp.display_name,"
        " 'person', json_build_object('first_name', pp.first_name, 'initials', pp.initials,"
        "   'surname_prefix', pp.surname_prefix, 'surname', pp.surname,"
        "   'birth_date', " PSQL_DATE("pp.birth_date") ", 'gender', pp.gender,"
        "   'bsn', CASE WHEN $3::boolean THEN p.bsn ELSE portal_mask_bsn(p.bsn) END,"
        "   'email', pp.email, 'address', pp.address),"
        " 'employment', json_build_object('start_date', " PSQL_DATE("pp.employment_start") ","
        "   'end_date', " PSQL_DATE("pp.employment_end") ", 'salary', pp.salary::text,"
        "   'parttime_percentage', pp.parttime_percentage::text),"
        " 'coverages', s.coverages,"
        " 'partner', portal_family_member(pp.partner, $3::boolean),"
        " 'children', coalesce((SELECT jsonb_agg(portal_family_member(e.member, $3::boolean)"
        "   ORDER BY e.ord) FROM jsonb_array_elements(pp.children) WITH ORDINALITY"
        "   AS e (member, ord)), '[]'::jsonb),"
        " 'valid_from', " PSQL_DATE("lower(pp.valid)") ","
        " 'valid_until', " PSQL_DATE("upper(pp.valid) - 1") ","
        " 'registered_at', " PSQL_TS("p.created_at") ","
        " 'links', json_build_object('changes', '/api/v1/participants/' || p.id || '/changes')"
        ")::text, p.version"
        " FROM participants p JOIN schemes s ON s.id = p.scheme_id"
        " JOIN LATERAL " PERIOD_AS_OF " pp ON true WHERE p.id = $1::uuid",
        3, params);
    /* clang-format on */
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) != 1) {
        PQclear(res);
        return PORTAL_ERR_NOT_FOUND;
    }
    int ok = 1;
    *json = db_dup_value(res, 0, 0, &ok);
    *version = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
    PQclear(res);
    return ok && *json ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

/* ---- the list ---- */

/*
 * One statement per sort key, direction, filter family and first or next
 * page (constant texts, prepared once): the verdict CTE resolves access; then
 *   plain:  one LATERAL keyset scan per readable scheme on that scheme's
 *           index for the key (scheme_id, key, participant_id);
 *   status: the same on (scheme_id, status, key, participant_id), so a rare
 *           status costs what a page costs; that index leaves active periods
 *           out (migration 0024), so status=active runs the plain text with
 *           $10 as its filter: active periods are most of a scheme;
 *   search: one trigram-index scan over the readable schemes for the longest
 *           search word ($15, LIKE-escaped), every word then checked, sorted.
 * The rows are merged and cut to the page. Parameters: $1..$8 as
 * PSQL_VERDICT_CTE, $9 today, $10 status, $11 search words, $12/$13 the last
 * key and id seen, $14 the page size plus one, $15 (search only) the word.
 */
/* clang-format off */
#define PLIST_COLUMNS(KEY, KEYTEXT)                                                                \
    " SELECT pp.participant_id, pp.scheme_id, pp.participant_number, pp.display_name,"             \
    "   pp.employment_start, pp.employment_end, pp.salary, pp.parttime_percentage, pp.status, "    \
    KEY " AS k, "                                                                                  \
    KEYTEXT " AS kt"

/* AFTER: PLIST_FIRST or PLIST_NEXT(KEY, CAST, CMP). Separate texts for the
 * first and the next pages let a cached generic plan use the keyset as an
 * index condition (an "$12 IS NULL OR ..." would hide it from the planner). */
#define PLIST_FILTERS(AFTER)                                                                       \
    "   AND pp.superseded_at IS NULL"                                                              \
    "   AND (pp.valid @> $9::date OR (pp.first_period AND lower(pp.valid) > $9::date))"            \
    "   AND ($11::text IS NULL OR NOT EXISTS (SELECT 1 FROM"                                       \
    "     regexp_split_to_table(lower($11::text), '\\s+') AS w (word)"                            \
    "     WHERE w.word <> '' AND position(w.word IN pp.search) = 0))" AFTER

#define PLIST_FIRST "   AND $12::text IS NULL AND $13::uuid IS NULL"
#define PLIST_NEXT(KEY, CAST, CMP)                                                                 \
    "   AND (" KEY ", pp.participant_id) " CMP " ($12::text" CAST ", $13::uuid)"

#define PLIST_OUTPUT                                                                               \
    " SELECT (SELECT v FROM verdict),"                                                             \
    " (SELECT coalesce(json_agg(json_build_object('id', participant_id, 'scheme_id', scheme_id,"   \
    "   'participant_number', participant_number, 'display_name', display_name,"                   \
    "   'employment_start', to_char(employment_start, 'YYYY-MM-DD'),"                              \
    "   'salary', CASE WHEN rx THEN NULL ELSE salary::text END, 'parttime_percentage',"            \
    "   CASE WHEN rx THEN NULL ELSE parttime_percentage::text END, 'status', status) ORDER BY rn)" \
    "   FILTER (WHERE rn < $14::int), '[]')::text FROM"                                            \
    /* Former participants past the scheme's limit: only the allowed fields, */                    \
    /* except for insurer staff (migration 0013). The rule is inlined and */                       \
    /* its AND stops at status and end: the months' sub-select (a probe on */                      \
    /* the schemes' key) runs only for a dormant or ended row (0027). */                           \
    "   (SELECT page.*, $2 <> 'insurer' AND portal_participant_restricted_by(status,"              \
    "   employment_end, (SELECT s.former_participant_months FROM schemes s"                        \
    "   WHERE s.id = page.scheme_id)) AS rx FROM page) page),"                                     \
    " (SELECT json_build_array(kt, participant_id)::text FROM page WHERE rn = $14::int - 1"        \
    "   AND EXISTS (SELECT 1 FROM page WHERE rn = $14::int))"

/* A page over the readable schemes: BODY, a sub-select LATERAL to scheme
 * sc.id, gives that scheme's first rows in the page's order (columns as
 * PLIST_COLUMNS); they are merged and cut to the page. */
#define PLIST_OVER_SCHEMES(BODY, DIR)                                                              \
    PSQL_VERDICT_CTE ","                                                                           \
    " page AS (SELECT x.*, row_number() OVER (ORDER BY x.k " DIR ", x.participant_id " DIR        \
    ") AS rn FROM verdict CROSS JOIN LATERAL unnest(verdict.ids) AS sc (id) CROSS JOIN LATERAL ("  \
    BODY ") x"                                                                                     \
    " WHERE verdict.v = 'ok' ORDER BY x.k " DIR ", x.participant_id " DIR " LIMIT $14::int)"       \
    PLIST_OUTPUT

/* Scheme sc.id's rows that meet COND (and the filters and AFTER), the first
 * page's worth in ORDER. */
#define PLIST_SCHEME_ROWS(KEY, KEYTEXT, COND, AFTER, ORDER)                                        \
    PLIST_COLUMNS(KEY, KEYTEXT) " FROM participant_periods pp"                                     \
    "  WHERE pp.scheme_id = sc.id " COND PLIST_FILTERS(AFTER)                                      \
    "  ORDER BY " ORDER " LIMIT $14::int"

/* Plain and status: STATUS is the status condition (PLIST_PLAIN_STATUS
 * leaves $10 as a filter that is always true when NULL). */
#define PLIST_PER_SCHEME(KEY, KEYTEXT, AFTER, DIR, STATUS)                                         \
    PLIST_OVER_SCHEMES(PLIST_SCHEME_ROWS(KEY, KEYTEXT, STATUS, AFTER,                              \
                                         KEY " " DIR ", pp.participant_id " DIR),                  \
                       DIR)

#define PLIST_SEARCH(KEY, KEYTEXT, AFTER, DIR, UNUSED_STATUS)                                      \
    PSQL_VERDICT_CTE ","                                                                           \
    " page AS (SELECT x.*, row_number() OVER (ORDER BY x.k " DIR ", x.participant_id " DIR        \
    ") AS rn FROM (" PLIST_COLUMNS(KEY, KEYTEXT) " FROM verdict, participant_periods pp"           \
    "  WHERE verdict.v = 'ok' AND pp.scheme_id = ANY (verdict.ids)"                                \
    "   AND pp.search LIKE '%' || lower($15::text) || '%'"                                         \
    "   AND ($10::text IS NULL OR pp.status = $10::text)" PLIST_FILTERS(AFTER)                      \
    "  ORDER BY " KEY " " DIR ", pp.participant_id " DIR " LIMIT $14::int) x)"                     \
    PLIST_OUTPUT

#define PLIST_PLAIN_STATUS "AND ($10::text IS NULL OR pp.status = $10::text)"
/* "<> 'active'" proves the partial status indexes for a generic plan. */
#define PLIST_BY_STATUS "AND pp.status = $10::text AND pp.status <> 'active'"

/* One family: [filter][desc][next page]. */
#define PLIST_PAGES(MAKE, KEY, KEYTEXT, CAST, CMP, DIR, STATUS)                                    \
    {MAKE(KEY, KEYTEXT, PLIST_FIRST, DIR, STATUS),                                                 \
     MAKE(KEY, KEYTEXT, PLIST_NEXT(KEY, CAST, CMP), DIR, STATUS)}

#define PLIST_FAMILY(KEY, KEYTEXT, CAST)                                                           \
    {PLIST_PAGES(PLIST_PER_SCHEME, KEY, KEYTEXT, CAST, ">", "ASC", PLIST_PLAIN_STATUS),           \
     PLIST_PAGES(PLIST_PER_SCHEME, KEY, KEYTEXT, CAST, "<", "DESC", PLIST_PLAIN_STATUS)},          \
    {PLIST_PAGES(PLIST_PER_SCHEME, KEY, KEYTEXT, CAST, ">", "ASC", PLIST_BY_STATUS),              \
     PLIST_PAGES(PLIST_PER_SCHEME, KEY, KEYTEXT, CAST, "<", "DESC", PLIST_BY_STATUS)},             \
    {PLIST_PAGES(PLIST_SEARCH, KEY, KEYTEXT, CAST, ">", "ASC", ""),                               \
     PLIST_PAGES(PLIST_SEARCH, KEY, KEYTEXT, CAST, "<", "DESC", "")}

enum { PLIST_PLAIN = 0, PLIST_STATUS, PLIST_QUERY, PLIST_FAMILIES };

/* [sort][family][desc][next page] */
static const char *const plist_sql[4][PLIST_FAMILIES][2][2] = {
    {PLIST_FAMILY("pp.sort_name", "pp.sort_name", "")},
    {PLIST_FAMILY("pp.number_key", "pp.number_key", "")},
    {PLIST_FAMILY("pp.employment_start", "to_char(pp.employment_start, 'YYYY-MM-DD')", "::date")},
    {PLIST_FAMILY("pp.salary", "pp.salary::text", "::numeric")},
};

/*
 * Salary for callers without the full view (all but insurer staff): a former
 * participant past the scheme's limit has no salary they may see, so it must
 * not place that participant among the others either. Such a participant
 * sorts as unknown, after every known salary in both directions (the key
 * becomes a sentinel outside any salary: 10^12 ascending, -1 descending),
 * the unknown ones among themselves by id.
 *
 * The plain and status pages split each scheme in two: the known salaries
 * on the salary index ("known", the rule as a filter), and the unknown ones
 * (former participants only, found by the status or former index) only when
 * the known ones of that scheme do not fill the page: they sort after every
 * known salary, so until the list's last pages that part is a one-time
 * filter that never runs. Without the split the key was an expression and
 * every page sorted the whole scheme. A search sorts its matches anyway and
 * keeps the expression.
 */
#define PLIST_RESTRICTED "portal_participant_restricted(pp.scheme_id, pp.status, pp.employment_end)"
#define PLIST_SALARY_KEY(SENTINEL) "(CASE WHEN " PLIST_RESTRICTED " THEN " SENTINEL " ELSE pp.salary END)"
#define PLIST_SALARY_PAGES(MAKE, SENTINEL, CMP, DIR, STATUS)                                      \
    PLIST_PAGES(MAKE, PLIST_SALARY_KEY(SENTINEL), PLIST_SALARY_KEY(SENTINEL) "::text",             \
                "::numeric", CMP, DIR, STATUS)
#define PLIST_SALARY_SENTINEL_ASC "1000000000000::numeric"
#define PLIST_SALARY_SENTINEL_DESC "-1::numeric"

#define PLIST_SALARY_PER_SCHEME(SENTINEL, AFTER_KNOWN, AFTER_UNKNOWN, DIR, STATUS)                 \
    PLIST_OVER_SCHEMES(                                                                            \
        " WITH known AS MATERIALIZED ("                                                            \
        PLIST_SCHEME_ROWS("pp.salary", "pp.salary::text",                                          \
                          STATUS "   AND " PLIST_RESTRICTED " IS NOT TRUE", AFTER_KNOWN,           \
                          "pp.salary " DIR ", pp.participant_id " DIR) ")"                         \
        " SELECT * FROM known UNION ALL SELECT * FROM ("                                           \
        PLIST_SCHEME_ROWS(SENTINEL, "(" SENTINEL ")::text",                                        \
                          STATUS "   AND pp.status IN ('dormant', 'ended')"                        \
                          " AND pp.employment_end IS NOT NULL AND " PLIST_RESTRICTED,              \
                          AFTER_UNKNOWN, "pp.participant_id " DIR) ") unknown"                     \
        "  WHERE (SELECT count(*) FROM known) < $14::int",                                         \
        DIR)
#define PLIST_SALARY_SPLIT_PAGES(SENTINEL, CMP, DIR, STATUS)                                      \
    {PLIST_SALARY_PER_SCHEME(SENTINEL, PLIST_FIRST, PLIST_FIRST, DIR, STATUS),                     \
     PLIST_SALARY_PER_SCHEME(SENTINEL, PLIST_NEXT("pp.salary", "::numeric", CMP),                  \
                             PLIST_NEXT(SENTINEL, "::numeric", CMP), DIR, STATUS)}

/* [family][desc][next page] */
static const char *const plist_salary_limited_sql[PLIST_FAMILIES][2][2] = {
    {PLIST_SALARY_SPLIT_PAGES(PLIST_SALARY_SENTINEL_ASC, ">", "ASC", PLIST_PLAIN_STATUS),
     PLIST_SALARY_SPLIT_PAGES(PLIST_SALARY_SENTINEL_DESC, "<", "DESC", PLIST_PLAIN_STATUS)},
    {PLIST_SALARY_SPLIT_PAGES(PLIST_SALARY_SENTINEL_ASC, ">", "ASC", PLIST_BY_STATUS),
     PLIST_SALARY_SPLIT_PAGES(PLIST_SALARY_SENTINEL_DESC, "<", "DESC", PLIST_BY_STATUS)},
    {PLIST_SALARY_PAGES(PLIST_SEARCH, PLIST_SALARY_SENTINEL_ASC, ">", "ASC", ""),
     PLIST_SALARY_PAGES(PLIST_SEARCH, PLIST_SALARY_SENTINEL_DESC, "<", "DESC", "")},
};
/* clang-format on */

/* The longest word of a search (at most size - 1 bytes), with LIKE's
 * special characters escaped: the trigram index narrows by it. */
static void plist_like_word(const char *q, char *out, size_t size)
{
    const char *best = q, *p = q;
    size_t best_len = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if ((size_t)(p - start) > best_len) {
            best = start;
            best_len = (size_t)(p - start);
        }
    }
    size_t at = 0;
    for (size_t i = 0; i < best_len && at + 2 < size; i++) {
        char c = best[i];
        if (c == '%' || c == '_' || c == '\\')
            out[at++] = '\\';
        out[at++] = c;
    }
    out[at] = '\0';
}

portal_result participants_list_json(db_conn *db, const participants_list_query *q,
                                     participants_list_verdict *verdict, char **items,
                                     char **next_keys)
{
    *items = NULL;
    *next_keys = NULL;
    *verdict = PARTICIPANTS_LIST_NOT_FOUND;
    if ((int)q->sort < 0 || (int)q->sort > 3)
        return PORTAL_ERR_INTERNAL;
    const int family = q->q                                            ? PLIST_QUERY
                       : q->status && strcmp(q->status, "active") != 0 ? PLIST_STATUS
                                                                       : PLIST_PLAIN;
    char word[256] = "";
    if (q->q)
        plist_like_word(q->q, word, sizeof word);
    access_visibility vis;
    char count[16], lim[16];
    access_visibility_of(q->caller, &vis);
    snprintf(count, sizeof count, "%d", q->n_schemes);
    snprintf(lim, sizeof lim, "%d", q->limit + 1);
    const char *params[] = {vis.param[0],
                            vis.param[1],
                            vis.param[2],
                            vis.param[3],
                            vis.param[4],
                            q->scheme_ids,
                            count,
                            "participants.read",
                            q->today,
                            q->status,
                            q->q,
                            q->after_key,
                            q->after_key ? q->after_id : NULL,
                            lim,
                            word};
    const int limited =
        q->sort == PARTICIPANTS_SORT_SALARY && strcmp(q->caller->organisation_kind, "insurer") != 0;
    const int desc = q->desc ? 1 : 0, next = q->after_key ? 1 : 0;
    const char *sql = limited ? plist_salary_limited_sql[family][desc][next]
                              : plist_sql[q->sort][family][desc][next];
    /* Planning the plain and status pages costs more than running them, and
     * one generic plan fits every value; a search's plan depends on its word. */
    PGresult *res = family == PLIST_QUERY ? db_query(db, sql, 15, params)
                                          : db_query_generic(db, sql, 14, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    const char *v = PQgetvalue(res, 0, 0);
    if (strcmp(v, "ok") != 0) {
        *verdict =
            strcmp(v, "forbidden") == 0 ? PARTICIPANTS_LIST_FORBIDDEN : PARTICIPANTS_LIST_NOT_FOUND;
        PQclear(res);
        return PORTAL_OK;
    }
    *verdict = PARTICIPANTS_LIST_OK;
    return page_json_take(res, 1, items, next_keys);
}
