/*
 * store/participant_changes.h: the changes registered on participants (table
 * participant_changes, migration 0004): registrations, salary and part-time
 * changes, terminations, partners, children and addresses, with who
 * registered them and when, and what became of them (processed,
 * pending_review, rejected, cancelled).
 *
 * Owns the SQL of: inserting a change, one change with its meta, a
 * participant's history, the submitted-changes list (seed 001 §4.5: the
 * latest change per participant by effective date, ties by registration
 * time, newest first), cancelling, review decisions and the review queue.
 * Rows are never deleted and their facts never edited: cancelling and
 * deciding only move the status on (with time, actor and reason). After any
 * of these the caller rebuilds the participant's periods
 * (participants_rebuild) in the same transaction. JSON is built by
 * PostgreSQL; partner and child BSNs in it are always masked. Strings handed
 * back are malloc'd (the caller frees); ids must be UUID-shaped.
 */
#ifndef PORTAL_STORE_PARTICIPANT_CHANGES_H
#define PORTAL_STORE_PARTICIPANT_CHANGES_H

#include "store/participants.h"

/* A change to insert. Every pointer is borrowed. */
typedef struct {
    const char *participant_id;
    const char *scheme_id;
    const char *type;           /* registration | salary_change | ... */
    const char *effective_date; /* "YYYY-MM-DD" */
    const char *status;         /* processed | pending_review */
    const char *review_reasons; /* text[] literal of rule ids, "{}" when none */
    const char *payload;        /* JSON object text */
    participant_actor actor;
} participant_change_new;

/* Inserts a change (registered now, after the caller's participant lock)
 * and writes its id and the creation answer as JSON text (*answer: id,
 * participant_id, type, effective_date, registered_at, status,
 * review_reasons). PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result participant_changes_insert(db_conn *db, const participant_change_new *c,
                                         char out_id[PORTAL_ID_LEN], char **answer);

/* What the resources need to know of one change. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char participant_id[PORTAL_ID_LEN];
    char scheme_id[PORTAL_ID_LEN];
    char type[32];
    char status[PARTICIPANTS_STATUS_SIZE];
    char effective_date[PARTICIPANTS_DATE_SIZE];
    int initial_registration; /* the participant's first registration */
    int later_registration;   /* a (re-hire) registration dated after this change exists */
} participant_change_meta;

/* One change: its meta and, when json is not NULL, its JSON text (the
 * history entry plus participant_number and display_name).
 * PORTAL_ERR_NOT_FOUND, PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result participant_changes_get(db_conn *db, const char *id, participant_change_meta *meta,
                                      char **json);

/* Keyset position in a change list: the last row's effective date,
 * registration time (RFC 3339, microseconds) and sequence number; all NULL
 * for the first page. */
typedef struct {
    const char *effective_date;
    const char *registered_at;
    const char *seq;
} participant_change_after;

/* A page of one participant's changes, newest effective date first, ties by
 * registration time (newest first): *items a JSON array text, *next_keys the
 * JSON array text [effective_date, registered_at, seq] of the last row when
 * more follow, else NULL. PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result participant_changes_history_json(db_conn *db, const char *participant_id,
                                               const participant_change_after *after, int limit,
                                               char **items, char **next_keys);

/* A submitted-changes request: scheme_ids a uuid[] literal of distinct ids
 * (NULL: every scheme the caller may read), n_schemes how many. */
typedef struct {
    const portal_caller *caller;
    const char *scheme_ids;
    int n_schemes;
    const char *status; /* NULL or a change status */
    const char *type;   /* NULL or a change type */
    participant_change_after after;
    int limit;
} participant_changes_submitted_query;

/* The latest change of every participant of the readable schemes (by
 * effective date, then registration time), newest first, as a page like
 * participant_changes_history_json whose rows also carry participant_number
 * and display_name; status and type filter those latest changes. Access is
 * resolved in the same statement (*verdict as for participants_list_json);
 * items and keys are NULL unless it is OK. PORTAL_ERR_MEMORY,
 * PORTAL_ERR_DATABASE. */
portal_result participant_changes_submitted_json(db_conn *db,
                                                 const participant_changes_submitted_query *q,
                                                 participants_list_verdict *verdict, char **items,
                                                 char **next_keys);

/* Cancels a processed or pending change: status cancelled, with the time,
 * actor and reason. *changed is 0 when it was in neither state.
 * PORTAL_ERR_DATABASE. */
portal_result participant_changes_cancel(db_conn *db, const char *id,
                                         const participant_actor *actor, const char *reason,
                                         int *changed);

/* Decides a pending change: processed (approve = 1) or rejected with the
 * reason, by the staff user decided_by. *changed is 0 when it was not
 * pending. PORTAL_ERR_DATABASE. */
portal_result participant_changes_decide(db_conn *db, const char *id, int approve,
                                         const char *decided_by, const char *reason, int *changed);

/* A page of the review queue (changes pending review), oldest registration
 * first, optionally limited to the schemes in scheme_ids (uuid[] literal)
 * and one type: rows are the history entry plus participant {id,
 * participant_number, display_name}, scheme {id, name, number, kind} and
 * organisation {id, name}; *next_keys the JSON array text [registered_at,
 * seq] of the last row when more follow. after_registered_at/after_seq NULL
 * for the first page. PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result participant_changes_reviews_json(db_conn *db, const char *scheme_ids,
                                               const char *type, const char *after_registered_at,
                                               const char *after_seq, int limit, char **items,
                                               char **next_keys);

#endif
