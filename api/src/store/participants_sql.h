/*
 * store/participants_sql.h: SQL fragments shared by the participant store
 * files (participants.c, participant_changes.c). Private to store/: each
 * fragment is a string literal that becomes part of a constant statement.
 * (clang-format is off around SQL built from these macros: it would reflow
 * the concatenated literals beyond reading.)
 */
#ifndef PORTAL_STORE_PARTICIPANTS_SQL_H
#define PORTAL_STORE_PARTICIPANTS_SQL_H

/* clang-format off */

/* RFC 3339 in UTC with microseconds (registration times order changes). */
#define PSQL_TS(col) "to_char((" col ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
#define PSQL_DATE(col) "to_char((" col "), 'YYYY-MM-DD')"

/*
 * The schemes the caller may see, restricted to the ids in $6 (a uuid[]; NULL
 * for every visible scheme), each with `can`: whether the rights that apply
 * give the capability in $8. Parameters $1..$5 are the caller's
 * organisation, kind, rights literal, all-schemes flag and scope literal (as
 * for portal_visible_schemes); $7 is how many distinct ids $6 holds.
 * Then `verdict`: 'not_found' when an asked-for scheme is not visible,
 * 'forbidden' when a visible one lacks the capability (or, with no ids asked
 * for, when schemes are visible but none with it), else 'ok', with `ids` the
 * schemes to read.
 */
#define PSQL_VERDICT_CTE                                                                           \
    "WITH vis AS ("                                                                                \
    " SELECT v.scheme_id, EXISTS (SELECT 1 FROM rights r"                                          \
    "   WHERE r.organisation_kind = v.rights_kind"                                                 \
    "   AND r.id = ANY (v.rights) AND $8::text = ANY (r.capabilities)) AS can"                     \
    " FROM portal_visible_schemes($1::uuid, $2, $3::text[], $4::boolean, $5::uuid[]) v"            \
    " WHERE $6::uuid[] IS NULL OR v.scheme_id = ANY ($6::uuid[])),"                                \
    " verdict AS (SELECT CASE"                                                                     \
    "   WHEN $6::uuid[] IS NOT NULL AND count(*) < $7::int THEN 'not_found'"                       \
    "   WHEN $6::uuid[] IS NOT NULL AND bool_or(NOT can) THEN 'forbidden'"                         \
    "   WHEN $6::uuid[] IS NULL AND count(*) > 0 AND NOT bool_or(can) THEN 'forbidden'"            \
    "   ELSE 'ok' END AS v, coalesce(array_agg(scheme_id) FILTER (WHERE can), '{}') AS ids"        \
    " FROM vis)"

/* The registered_by / cancelled_by object of a change row c. */
#define PSQL_ACTOR(kind, label) "json_build_object('kind', " kind ", 'name', " label ")"

/* One change of participant_changes c as JSON (BSNs in `data` masked), with
 * `extra` more members (a string starting with ", " or ""). */
#define PSQL_CHANGE_JSON_WITH(extra)                                                               \
    "json_build_object('id', c.id, 'participant_id', c.participant_id, 'scheme_id', c.scheme_id,"  \
    " 'type', c.type, 'effective_date', " PSQL_DATE("c.effective_date") ","                        \
    " 'registered_at', " PSQL_TS("c.registered_at") ","                                            \
    " 'registered_by', " PSQL_ACTOR("c.registered_by_kind", "c.registered_by_label") ","           \
    " 'batch_id', c.registered_by_batch_id,"                                                       \
    " 'status', c.status, 'review_reasons', to_json(c.review_reasons),"                            \
    " 'rejection_reason', c.rejection_reason, 'decided_at', " PSQL_TS("c.decided_at") ","          \
    " 'cancelled_at', " PSQL_TS("c.cancelled_at") ", 'cancel_reason', c.cancel_reason,"            \
    " 'cancelled_by', CASE WHEN c.cancelled_at IS NULL THEN NULL ELSE "                            \
    PSQL_ACTOR("c.cancelled_by_kind", "c.cancelled_by_label") " END,"                              \
    " 'data', portal_change_data(c.type, c.payload)" extra ")"

#define PSQL_CHANGE_JSON PSQL_CHANGE_JSON_WITH("")

/* The members participant_number and display_name of change c's participant. */
#define PSQL_CHANGE_PARTICIPANT                                                                    \
    ", 'participant_number', (SELECT p.participant_number FROM participants p"                     \
    "   WHERE p.id = c.participant_id), 'display_name', (SELECT x.display_name"                   \
    "   FROM participant_periods x WHERE x.participant_id = c.participant_id"                      \
    "   AND x.superseded_at IS NULL ORDER BY lower(x.valid) DESC LIMIT 1)"

/* The name an actor is recorded with: $label when given, else the API
 * token's name, else the user's name (with the office for an intermediary's
 * user). Parameters are named by position in the including statement. */
#define PSQL_ACTOR_LABEL(label, user, token)                                                       \
    "coalesce(" label "::text, (SELECT t.name FROM api_tokens t WHERE t.id = " token "::uuid),"    \
    " (SELECT u.first_name || ' ' || u.last_name || CASE WHEN o.kind = 'intermediary'"             \
    "   THEN ' (' || o.name || ')' ELSE '' END FROM users u"                                       \
    "   JOIN organisations o ON o.id = u.organisation_id WHERE u.id = " user "::uuid), '')"

/* clang-format on */

#endif
