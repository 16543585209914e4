/* store/retention.c: see retention.h. */
#include "store/retention.h"
#include "store/db_values.h"

#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"

/* Runs sql, whose one value is the reduced form of *json or NULL when
 * nothing is to be reduced; a reduced form replaces *json (the old one is
 * freed). *json stays as it was on failure: PORTAL_ERR_DATABASE,
 * PORTAL_ERR_MEMORY. */
static portal_result retention_replace(db_conn *db, const char *sql, int nparams,
                                       const char *const *params, char **json)
{
    char *reduced = NULL;
    portal_result rc = db_query_text(db, sql, nparams, params, &reduced);
    if (rc == PORTAL_OK && reduced) {
        free(*json);
        *json = reduced;
    }
    return rc;
}

portal_result retention_reduce_detail(db_conn *db, const char *participant_id, char **json)
{
    if (!uuid_valid(participant_id) || !*json)
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {participant_id, *json};
    return retention_replace(db,
                             "SELECT CASE WHEN portal_participant_restricted_now($1::uuid)"
                             " THEN portal_participant_reduced($2::jsonb)::text END",
                             2, params, json);
}

/* clang-format off */
portal_result retention_reduce_changes(db_conn *db, char **json)
{
    if (!*json)
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {*json};
    /* The change's data keeps what the reduced detail keeps: a registration's
     * display name and dates of employment; every other kind, nothing. */
    return retention_replace(
        db,
        "WITH x AS (SELECT a.e, a.n FROM json_array_elements(CASE WHEN json_typeof($1::json) ="
        "   'array' THEN $1::json ELSE json_build_array($1::json) END) WITH ORDINALITY AS a (e, n)),"
        " r AS (SELECT x.n, portal_participant_restricted_now((x.e ->> 'participant_id')::uuid)"
        "   AS rx, x.e FROM x),"
        " y AS (SELECT r.n, r.rx, CASE WHEN r.rx THEN (jsonb_set(r.e::jsonb, '{data}',"
        "   CASE WHEN r.e ->> 'type' = 'registration' THEN jsonb_build_object('display_name',"
        "   r.e #> '{data,display_name}', 'employment', jsonb_build_object('start_date',"
        "   r.e #> '{data,employment,start_date}', 'end_date', r.e #> '{data,employment,end_date}'))"
        "   ELSE '{}'::jsonb END) || '{\"restricted\": true}'::jsonb)::json ELSE r.e END AS e"
        "   FROM r)"
        " SELECT CASE WHEN NOT coalesce(bool_or(y.rx), false) THEN NULL"
        "   WHEN json_typeof($1::json) = 'array' THEN coalesce(json_agg(y.e ORDER BY y.n), '[]')::text"
        "   ELSE (array_agg(y.e::text))[1] END FROM y",
        1, params, json);
    /* clang-format on */
}

/* The participants that can qualify at all: those with a current period
 * that is dormant or ended and has an end date (only such a period can be
 * the latest one either statement acts on). Read from the partial index
 * participant_periods_former (migration 0023), a few per cent of the current
 * periods, instead of every participant's. */
#define RETENTION_FORMER                                                                           \
    "SELECT f.participant_id FROM participant_periods f WHERE f.superseded_at IS NULL"             \
    " AND f.status IN ('dormant', 'ended') AND f.employment_end IS NOT NULL"

/* Retention runs in every instance's maintenance (every
 * MAINTENANCE_INTERVAL): it must cost one pass over the current periods, not
 * a lookup per participant. Each participant's latest period (the one
 * holding today, else the one that starts last: portal_participant_latest)
 * comes from one DISTINCT ON over the current periods of the participants
 * still to check (a sort of about two rows a participant); a per-row
 * portal_participant_restricted_now() was ten times the work (6.5 s against
 * 0.6 s at 100,000 participants, every ten minutes on each instance). */
portal_result retention_run(db_conn *db, long long *limited, long long *pseudonymised)
{
    *limited = *pseudonymised = 0;
    PGresult *res = db_query(
        db,
        "WITH latest AS (SELECT DISTINCT ON (pp.participant_id) pp.participant_id,"
        "   pp.scheme_id, pp.status, pp.employment_end FROM participant_periods pp"
        "   JOIN participants p ON p.id = pp.participant_id"
        "   WHERE pp.superseded_at IS NULL AND p.retention_limited_at IS NULL"
        "   AND p.rejected_at IS NULL AND pp.participant_id IN (" RETENTION_FORMER ")"
        "   ORDER BY pp.participant_id, pp.valid @> current_date DESC, lower(pp.valid) DESC),"
        " lim AS (UPDATE participants p SET retention_limited_at = now()"
        "   FROM latest l JOIN schemes ls ON ls.id = l.scheme_id"
        "   WHERE p.id = l.participant_id AND p.retention_limited_at IS NULL"
        "   AND l.status IN ('dormant', 'ended') AND l.employment_end IS NOT NULL"
        "   AND l.employment_end + make_interval(months => ls.former_participant_months)"
        "   < current_date RETURNING p.id, p.scheme_id),"
        " ev AS (INSERT INTO audit_events (actor_label, organisation_id, action, target_type,"
        " target_id, changes) SELECT 'system', s.organisation_id, 'participant.retention_limited',"
        " 'participant', lim.id::text, jsonb_build_object('former_participant_months',"
        " s.former_participant_months) FROM lim JOIN schemes s ON s.id = lim.scheme_id"
        " RETURNING 1) SELECT count(*) FROM ev",
        0, NULL);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *limited = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    /* Past the legal period, never with a change waiting for review. */
    res = db_query(
        db,
        "WITH latest AS (SELECT DISTINCT ON (pp.participant_id) pp.participant_id, pp.status,"
        "   pp.employment_end FROM participant_periods pp"
        "   JOIN participants p ON p.id = pp.participant_id"
        "   JOIN schemes s ON s.id = p.scheme_id"
        "   WHERE pp.superseded_at IS NULL AND s.pseudonymise_after_months IS NOT NULL"
        "   AND p.pseudonymised_at IS NULL AND p.rejected_at IS NULL"
        "   AND pp.participant_id IN (" RETENTION_FORMER ")"
        "   ORDER BY pp.participant_id, pp.valid @> current_date DESC, lower(pp.valid) DESC),"
        " due AS (SELECT p.id, p.scheme_id FROM participants p"
        " JOIN schemes s ON s.id = p.scheme_id JOIN latest l ON l.participant_id = p.id"
        " WHERE s.pseudonymise_after_months IS NOT NULL AND p.pseudonymised_at IS NULL"
        " AND p.rejected_at IS NULL AND l.status IN ('dormant', 'ended')"
        " AND l.employment_end + make_interval(months => s.pseudonymise_after_months) < "
        "current_date"
        " AND NOT EXISTS (SELECT 1 FROM participant_changes c WHERE c.participant_id = p.id"
        "   AND c.status = 'pending_review') FOR UPDATE OF p),"
        " per AS (UPDATE participant_periods pp SET email = NULL, address = NULL,"
        "   first_name = NULL, partner = NULL, children = '[]'::jsonb"
        "   WHERE pp.participant_id IN (SELECT id FROM due) RETURNING 1),"
        " chg AS (UPDATE participant_changes c SET payload = (c.payload - 'address' - 'partner'"
        "   - 'child' - 'email' - 'first_name') || CASE WHEN c.payload ? 'person' THEN"
        "   jsonb_build_object('person', (c.payload -> 'person') - 'email' - 'address'"
        "   - 'first_name') ELSE '{}'::jsonb END"
        "   WHERE c.participant_id IN (SELECT id FROM due) RETURNING 1),"
        " mark AS (UPDATE participants p SET pseudonymised_at = now()"
        "   WHERE p.id IN (SELECT id FROM due) RETURNING p.id, p.scheme_id),"
        " ev AS (INSERT INTO audit_events (actor_label, organisation_id, action, target_type,"
        "   target_id) SELECT 'system', s.organisation_id, 'participant.pseudonymised',"
        "   'participant', mark.id::text FROM mark JOIN schemes s ON s.id = mark.scheme_id"
        "   RETURNING 1)"
        " SELECT (SELECT count(*) FROM ev), (SELECT count(*) FROM per), (SELECT count(*) FROM chg)",
        0, NULL);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *pseudonymised = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return PORTAL_OK;
}

portal_result retention_scheme_get(db_conn *db, const char *scheme_id, char **json)
{
    *json = NULL;
    if (!uuid_valid(scheme_id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {scheme_id};
    return db_query_text(db,
                         "SELECT json_build_object('scheme_id', id, 'former_participant_months',"
                         " former_participant_months, 'pseudonymise_after_months',"
                         " pseudonymise_after_months)::text FROM schemes WHERE id = $1::uuid",
                         1, params, json);
}

portal_result retention_scheme_set(db_conn *db, const char *scheme_id, const char *months,
                                   const char *pseudonymise)
{
    if (!uuid_valid(scheme_id))
        return PORTAL_ERR_NOT_FOUND;
    const char *params[] = {scheme_id, months, pseudonymise};
    PGresult *res =
        db_query(db,
                 "UPDATE schemes SET former_participant_months = $2::int,"
                 " pseudonymise_after_months = $3::int, updated_at = now(), version = version + 1"
                 " WHERE id = $1::uuid RETURNING id",
                 3, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PQntuples(res) == 1 ? PORTAL_OK : PORTAL_ERR_NOT_FOUND;
    PQclear(res);
    return rc;
}
