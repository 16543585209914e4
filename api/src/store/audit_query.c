/* store/audit_query.c: see audit_query.h. */
#include "store/audit_query.h"

#include <stdio.h>

#include "store/page_json.h"

portal_result audit_query_list_json(db_conn *db, const audit_query *q, char **items,
                                    char **next_keys)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", q->limit + 1);
    const char *params[] = {q->organisation_id,
                            q->actor_user_id,
                            q->target_type,
                            q->target_id,
                            q->from,
                            q->to,
                            q->before_id,
                            lim};
    PGresult *res = db_query(
        db,
        "SELECT json_build_object('id', e.id,"
        " 'occurred_at', to_char(e.occurred_at AT TIME ZONE 'UTC',"
        "   'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
        " 'actor', json_build_object('user_id', e.actor_user_id, 'token_id', e.actor_token_id,"
        "   'label', e.actor_label),"
        " 'organisation_id', e.organisation_id, 'action', e.action,"
        " 'target_type', e.target_type, 'target_id', e.target_id,"
        " 'request_id', e.request_id, 'client_address', e.client_address,"
        " 'changes', e.changes)::text, json_build_array(e.id)::text"
        " FROM audit_events e"
        " WHERE ($1::uuid IS NULL OR e.organisation_id = $1::uuid)"
        " AND ($2::uuid IS NULL OR e.actor_user_id = $2::uuid)"
        " AND ($3::text IS NULL OR e.target_type = $3)"
        " AND ($4::text IS NULL OR e.target_id = $4)"
        " AND ($5::timestamptz IS NULL OR e.occurred_at >= $5::timestamptz)"
        " AND ($6::timestamptz IS NULL OR e.occurred_at <= $6::timestamptz)"
        " AND ($7::bigint IS NULL OR e.id < $7::bigint)"
        " ORDER BY e.id DESC LIMIT $8::int",
        8, params);
    return page_json_collect(res, q->limit, items, next_keys);
}
