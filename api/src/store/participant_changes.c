/* store/participant_changes.c: see participant_changes.h. (clang-format is
 * off below: it would reflow the SQL built from participants_sql.h macros.) */
#include "store/participant_changes.h"
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/access.h"
#include "store/page_json.h"
#include "store/participants_sql.h"

/* clang-format off */


static void copy_text(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

static int affected(PGresult *res)
{
    return atoi(PQcmdTuples(res));
}

portal_result participant_changes_insert(db_conn *db, const participant_change_new *c,
                                         char out_id[PORTAL_ID_LEN], char **answer)
{
    *answer = NULL;
    const char *params[] = {c->participant_id, c->scheme_id,      c->type,
                            c->effective_date, c->actor.kind,     c->actor.user_id,
                            c->actor.token_id, c->actor.batch_id, c->actor.label,
                            c->status,         c->review_reasons, c->payload};
    PGresult *res = db_query(
        db,
        "INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,"
        " registered_at, registered_by_kind, registered_by_user_id, registered_by_token_id,"
        " registered_by_batch_id, registered_by_label, status, review_reasons, payload)"
        " VALUES ($1::uuid, $2::uuid, $3, $4::date, clock_timestamp(), $5, $6::uuid, $7::uuid,"
        " $8::uuid, " PSQL_ACTOR_LABEL("$9", "$6", "$7") ", $10, $11::text[], $12::jsonb)"
        " RETURNING id, json_build_object('id', id, 'participant_id', participant_id,"
        " 'type', type, 'effective_date', " PSQL_DATE("effective_date") ","
        " 'registered_at', " PSQL_TS("registered_at") ", 'status', status,"
        " 'review_reasons', to_json(review_reasons))::text",
        12, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    copy_text(out_id, PORTAL_ID_LEN, PQgetvalue(res, 0, 0));
    int ok = 1;
    *answer = db_dup_value(res, 0, 1, &ok);
    PQclear(res);
    return ok && *answer ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result participant_changes_get(db_conn *db, const char *id, participant_change_meta *meta,
                                      char **json)
{
    const char *params[] = {id};
    if (json)
        *json = NULL;
    PGresult *res;
    portal_result rc = db_query_row(
        db,
        "SELECT c.id, c.participant_id, c.scheme_id, c.type, c.status,"
        " " PSQL_DATE("c.effective_date") ","
        " c.type = 'registration' AND NOT EXISTS (SELECT 1 FROM participant_changes r"
        "   WHERE r.participant_id = c.participant_id AND r.type = 'registration'"
        "   AND (r.registered_at, r.seq) < (c.registered_at, c.seq)),"
        " EXISTS (SELECT 1 FROM participant_changes r WHERE r.participant_id = c.participant_id"
        "   AND r.type = 'registration' AND r.status IN ('processed', 'pending_review')"
        "   AND r.effective_date > c.effective_date),"
        " " PSQL_CHANGE_JSON_WITH(PSQL_CHANGE_PARTICIPANT) "::text"
        " FROM participant_changes c WHERE c.id = $1::uuid",
        1, params, PORTAL_ERR_NOT_FOUND, &res);
    if (rc != PORTAL_OK)
        return rc;
    memset(meta, 0, sizeof *meta);
    copy_text(meta->id, sizeof meta->id, PQgetvalue(res, 0, 0));
    copy_text(meta->participant_id, sizeof meta->participant_id, PQgetvalue(res, 0, 1));
    copy_text(meta->scheme_id, sizeof meta->scheme_id, PQgetvalue(res, 0, 2));
    copy_text(meta->type, sizeof meta->type, PQgetvalue(res, 0, 3));
    copy_text(meta->status, sizeof meta->status, PQgetvalue(res, 0, 4));
    copy_text(meta->effective_date, sizeof meta->effective_date, PQgetvalue(res, 0, 5));
    meta->initial_registration = PQgetvalue(res, 0, 6)[0] == 't';
    meta->later_registration = PQgetvalue(res, 0, 7)[0] == 't';
    int ok = 1;
    if (json)
        *json = db_dup_value(res, 0, 8, &ok);
    PQclear(res);
    return ok ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

/* The page of a change list as two columns: the JSON array of the first
 * lim - 1 rows of `page` (numbered rn) and the keys of the last of them
 * when a further row exists. `lim` names the parameter holding limit + 1. */
#define PAGE_OUTPUT(json, keys, lim)                                                               \
    " SELECT (SELECT coalesce(json_agg(" json " ORDER BY c.rn) FILTER (WHERE c.rn < " lim          \
    "::int), '[]')::text FROM page c),"                                                            \
    " (SELECT " keys "::text FROM page c WHERE c.rn = " lim "::int - 1"                            \
    "   AND EXISTS (SELECT 1 FROM page WHERE rn = " lim "::int))"

#define NEWEST_FIRST "effective_date DESC, registered_at DESC, seq DESC"
#define CHANGE_KEYS                                                                                \
    "json_build_array(" PSQL_DATE("c.effective_date") ", " PSQL_TS("c.registered_at") ","          \
    " c.seq::text)"

portal_result participant_changes_history_json(db_conn *db, const char *participant_id,
                                               const participant_change_after *after, int limit,
                                               char **items, char **next_keys)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {participant_id, after->effective_date, after->registered_at,
                            after->seq, lim};
    *items = *next_keys = NULL;
    PGresult *res = db_query(
        db,
        "WITH rows AS (SELECT c.* FROM participant_changes c WHERE c.participant_id = $1::uuid"
        "  AND ($2::date IS NULL OR (c.effective_date, c.registered_at, c.seq)"
        "   < ($2::date, $3::timestamptz, $4::bigint))"
        "  ORDER BY c." NEWEST_FIRST " LIMIT $5::int),"
        " page AS (SELECT r.*, row_number() OVER (ORDER BY r." NEWEST_FIRST ") AS rn FROM rows r)"
        PAGE_OUTPUT(PSQL_CHANGE_JSON, CHANGE_KEYS, "$5"),
        5, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    return page_json_take(res, 0, items, next_keys);
}

portal_result participant_changes_submitted_json(db_conn *db,
                                                 const participant_changes_submitted_query *q,
                                                 participants_list_verdict *verdict, char **items,
                                                 char **next_keys)
{
    *items = *next_keys = NULL;
    *verdict = PARTICIPANTS_LIST_NOT_FOUND;
    access_visibility vis;
    char count[16], lim[16];
    access_visibility_of(q->caller, &vis);
    snprintf(count, sizeof count, "%d", q->n_schemes);
    snprintf(lim, sizeof lim, "%d", q->limit + 1);
    const char *params[] = {vis.param[0], vis.param[1], vis.param[2], vis.param[3], vis.param[4],
                            q->scheme_ids,
                            count,
                            "participants.read",
                            q->after.effective_date,
                            q->after.registered_at,
                            q->after.seq,
                            q->status,
                            q->type,
                            lim};
    PGresult *res = db_query(
        db,
        PSQL_VERDICT_CTE ","
        " rows AS (SELECT x.* FROM verdict CROSS JOIN LATERAL unnest(verdict.ids) AS sc (id)"
        " CROSS JOIN LATERAL (SELECT c.* FROM participant_changes c WHERE c.scheme_id = sc.id"
        "  AND ($9::date IS NULL OR (c.effective_date, c.registered_at, c.seq)"
        "   < ($9::date, $10::timestamptz, $11::bigint))"
        "  AND NOT EXISTS (SELECT 1 FROM participant_changes l"
        "   WHERE l.participant_id = c.participant_id"
        "   AND (l.effective_date, l.registered_at, l.seq) > (c.effective_date, c.registered_at,"
        "   c.seq))"
        "  AND ($12::text IS NULL OR c.status = $12::text)"
        "  AND ($13::text IS NULL OR c.type = $13::text)"
        "  ORDER BY c." NEWEST_FIRST " LIMIT $14::int) x"
        " WHERE verdict.v = 'ok' ORDER BY x." NEWEST_FIRST " LIMIT $14::int),"
        " page AS (SELECT r.*, row_number() OVER (ORDER BY r." NEWEST_FIRST ") AS rn FROM rows r)"
        " SELECT (SELECT v FROM verdict), i.*, k.* FROM"
        " (SELECT coalesce(json_agg(" PSQL_CHANGE_JSON_WITH(PSQL_CHANGE_PARTICIPANT)
        "  ORDER BY c.rn) FILTER (WHERE c.rn < $14::int), '[]')::text FROM page c) i,"
        " (SELECT (SELECT " CHANGE_KEYS "::text FROM page c WHERE c.rn = $14::int - 1"
        "   AND EXISTS (SELECT 1 FROM page WHERE rn = $14::int))) k",
        14, params);
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

portal_result participant_changes_cancel(db_conn *db, const char *id,
                                         const participant_actor *actor, const char *reason,
                                         int *changed)
{
    const char *params[] = {id, actor->kind, actor->user_id, actor->token_id, actor->label,
                            reason};
    *changed = 0;
    PGresult *res = db_query(
        db,
        "UPDATE participant_changes SET status = 'cancelled', cancelled_at = clock_timestamp(),"
        " cancelled_by_kind = $2, cancelled_by_user_id = $3::uuid,"
        " cancelled_by_token_id = $4::uuid,"
        " cancelled_by_label = " PSQL_ACTOR_LABEL("$5", "$3", "$4") ", cancel_reason = $6"
        " WHERE id = $1::uuid AND status IN ('processed', 'pending_review')",
        6, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *changed = affected(res);
    PQclear(res);
    return PORTAL_OK;
}

portal_result participant_changes_decide(db_conn *db, const char *id, int approve,
                                         const char *decided_by, const char *reason, int *changed)
{
    const char *params[] = {id, approve ? "true" : "false", decided_by, reason};
    *changed = 0;
    PGresult *res = db_query(
        db,
        "UPDATE participant_changes SET status = CASE WHEN $2::boolean THEN 'processed'"
        " ELSE 'rejected' END, decided_at = clock_timestamp(), decided_by_user_id = $3::uuid,"
        " decided_by_label = " PSQL_ACTOR_LABEL("NULL", "$3", "NULL") ","
        " rejection_reason = CASE WHEN $2::boolean THEN NULL ELSE $4::text END"
        " WHERE id = $1::uuid AND status = 'pending_review'",
        4, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *changed = affected(res);
    PQclear(res);
    return PORTAL_OK;
}

#define REVIEW_EXTRA                                                                               \
    ", 'participant', json_build_object('id', c.participant_id, 'participant_number',"             \
    " p.participant_number, 'display_name', (SELECT x.display_name FROM participant_periods x"     \
    " WHERE x.participant_id = c.participant_id AND x.superseded_at IS NULL"                       \
    " ORDER BY lower(x.valid) DESC LIMIT 1)),"                                                     \
    " 'scheme', json_build_object('id', s.id, 'name', s.name, 'number', s.number,"                 \
    " 'kind', s.kind),"                                                                            \
    " 'organisation', json_build_object('id', o.id, 'name', o.name)"

portal_result participant_changes_reviews_json(db_conn *db, const char *scheme_ids,
                                               const char *type, const char *after_registered_at,
                                               const char *after_seq, int limit, char **items,
                                               char **next_keys)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit + 1);
    const char *params[] = {scheme_ids, type, after_registered_at,
                            after_registered_at ? after_seq : NULL, lim};
    *items = *next_keys = NULL;
    PGresult *res = db_query(
        db,
        "WITH rows AS (SELECT c.* FROM participant_changes c WHERE c.status = 'pending_review'"
        "  AND ($1::uuid[] IS NULL OR c.scheme_id = ANY ($1::uuid[]))"
        "  AND ($2::text IS NULL OR c.type = $2::text)"
        "  AND ($3::timestamptz IS NULL"
        "   OR (c.registered_at, c.seq) > ($3::timestamptz, $4::bigint))"
        "  ORDER BY c.registered_at, c.seq LIMIT $5::int),"
        " page AS (SELECT r.*, row_number() OVER (ORDER BY r.registered_at, r.seq) AS rn"
        "  FROM rows r)"
        " SELECT (SELECT coalesce(json_agg(" PSQL_CHANGE_JSON_WITH(REVIEW_EXTRA)
        "  ORDER BY c.rn) FILTER (WHERE c.rn < $5::int), '[]')::text FROM page c"
        "  JOIN participants p ON p.id = c.participant_id JOIN schemes s ON s.id = c.scheme_id"
        "  JOIN organisations o ON o.id = s.organisation_id),"
        " (SELECT json_build_array(" PSQL_TS("c.registered_at") ", c.seq::text)::text"
        "  FROM page c WHERE c.rn = $5::int - 1"
        "  AND EXISTS (SELECT 1 FROM page WHERE rn = $5::int))",
        5, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    return page_json_take(res, 0, items, next_keys);
}

/* clang-format on */
