/*
 * store/audit_query.h: reading the audit trail (table audit_events,
 * migration 0001; writing is store/audit.h).
 *
 * Owns the one list query of GET /api/v1/audit-events: filters, newest
 * first by id, keyset-paged, each event rendered as JSON text by PostgreSQL
 * with `changes` passed through as stored (already redacted when written).
 * Which organisations a caller may read is the resource's business.
 */
#ifndef PORTAL_STORE_AUDIT_QUERY_H
#define PORTAL_STORE_AUDIT_QUERY_H

#include "store/db.h"

/* Filters (NULL = none). Ids are UUID-shaped; from/to RFC 3339 timestamps,
 * both inclusive; before_id the last id of the previous page (decimal). */
typedef struct {
    const char *organisation_id;
    const char *actor_user_id;
    const char *target_type;
    const char *target_id;
    const char *from;
    const char *to;
    const char *before_id;
    int limit;
} audit_query;

/* A page of events: *items a JSON array text of at most q->limit events
 * {id, occurred_at, actor {user_id, token_id, label}, organisation_id,
 * action, target_type, target_id, request_id, client_address, changes},
 * *next_keys the JSON array text [id] of the last one when more follow, else
 * NULL. Both malloc'd (the caller frees). PORTAL_ERR_MEMORY,
 * PORTAL_ERR_DATABASE. */
portal_result audit_query_list_json(db_conn *db, const audit_query *q, char **items,
                                    char **next_keys);

#endif
