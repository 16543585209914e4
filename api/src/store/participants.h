/*
 * store/participants.h: participants of a scheme and their effective-dated
 * state (tables participants and participant_periods, migration 0004; the
 * top of that file explains the design).
 *
 * Owns the SQL of: locking a participant for a change, its state for the
 * change rules, the scheme's batch lock, registration (identity row, number,
 * BSN lookup for re-hire), the rebuild of its periods after every change,
 * the detail as JSON (BSNs masked unless asked for in full) and the list
 * page as JSON built by PostgreSQL. The changes themselves are in
 * store/participant_changes.h. Every function runs in the caller's
 * transaction when one is open; strings handed back are malloc'd (the
 * caller frees); ids must be UUID-shaped (the resource checks with
 * uuid_valid first). BSNs pass through here as parameters only; nothing in
 * this module logs.
 */
#ifndef PORTAL_STORE_PARTICIPANTS_H
#define PORTAL_STORE_PARTICIPANTS_H

#include "base/caller.h"
#include "store/db.h"

#define PARTICIPANTS_NUMBER_SIZE 32 /* a participant number plus NUL (20 characters at most) */
#define PARTICIPANTS_STATUS_SIZE 16
#define PARTICIPANTS_DATE_SIZE 11   /* "YYYY-MM-DD" plus NUL */
#define PARTICIPANTS_MAX_SCHEMES 64 /* scheme ids one list request may name */

/* Who registers, cancels or decides. Every pointer is borrowed. */
typedef struct {
    const char *kind;     /* "user" | "api_token" | "staff" | "batch" */
    const char *user_id;  /* the acting user (an API token's creator); NULL for a batch */
    const char *token_id; /* the API token, for kind api_token; else NULL */
    const char *batch_id; /* the batch, for kind batch; may be NULL */
    const char *label;    /* the name to record; NULL: the token's or user's name */
} participant_actor;

/* A participant's identity and version (its ETag). */
typedef struct {
    char id[PORTAL_ID_LEN];
    char scheme_id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN]; /* the scheme's employer */
    char scheme_kind[16];                /* pension | income */
    char participant_number[PARTICIPANTS_NUMBER_SIZE];
    long long version;
    int rejected; /* its first registration was rejected */
} participant_ref;

/* What the change rules need of a participant, as of a day. */
typedef struct {
    int has_period;                                /* 0: no period at all (never registered) */
    char status[PARTICIPANTS_STATUS_SIZE];         /* as of the day, or of the first period */
    char employment_start[PARTICIPANTS_DATE_SIZE]; /* of that period's employment */
    char employment_end[PARTICIPANTS_DATE_SIZE];   /* "" when no processed termination */
    char pending_end[PARTICIPANTS_DATE_SIZE];      /* earliest termination awaiting review, or "" */
    int scheme_locked;                             /* a batch of the scheme is processing */
} participant_state;

/* The participant's identity. lock = 1 (inside a transaction) takes the
 * participant row FOR UPDATE and its scheme row FOR KEY SHARE, so changes to
 * one participant serialise and a batch lock cannot be set underneath.
 * PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DATABASE. */
portal_result participants_ref(db_conn *db, const char *id, int lock, participant_ref *out);

/* The participant's state as of `day` ("YYYY-MM-DD"): the period valid that
 * day, or the first period when the participant starts later; plus pending
 * terminations and the scheme's batch lock. Read after participants_ref with
 * lock = 1 so it sees every committed change. PORTAL_ERR_DATABASE. */
portal_result participants_state(db_conn *db, const char *id, const char *day,
                                 participant_state *out);

/* Whether a batch of the scheme is processing, after taking the scheme row
 * FOR KEY SHARE (see the migration). PORTAL_ERR_DATABASE. */
portal_result participants_scheme_locked(db_conn *db, const char *scheme_id, int *locked);

/* Serialises registrations of one BSN in one scheme until the transaction
 * ends (an advisory lock on a hash; the BSN is only a parameter).
 * PORTAL_ERR_DATABASE. */
portal_result participants_lock_bsn(db_conn *db, const char *scheme_id, const char *bsn);

/* The participant of the scheme with this BSN (rejected registrations do not
 * count), with its state as of `day` in *state. PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_DATABASE. */
portal_result participants_find_by_bsn(db_conn *db, const char *scheme_id, const char *bsn,
                                       const char *day, participant_ref *ref,
                                       participant_state *state);

/* Whether the number is in use in the scheme. PORTAL_ERR_DATABASE. */
portal_result participants_number_taken(db_conn *db, const char *scheme_id, const char *number,
                                        int *taken);

/* Inserts a participant; number NULL takes the scheme's next free number.
 * Writes the id and the number. PORTAL_ERR_CONFLICT on a unique violation
 * (number or BSN taken; the transaction is then aborted), PORTAL_ERR_DATABASE. */
portal_result participants_insert(db_conn *db, const char *scheme_id, const char *number,
                                  const char *bsn, char out_id[PORTAL_ID_LEN],
                                  char out_number[PARTICIPANTS_NUMBER_SIZE]);

/* Re-derives the participant's periods from its changes and bumps its
 * version (portal_participant_rebuild). PORTAL_ERR_DATABASE. */
portal_result participants_rebuild(db_conn *db, const char *id);

/* Marks the participant's first registration as rejected (its number and
 * BSN become free). PORTAL_ERR_DATABASE. */
portal_result participants_mark_rejected(db_conn *db, const char *id);

/* The participant as JSON text as of `as_of` ("YYYY-MM-DD"; the first period
 * when the participant starts later): id, scheme_id, scheme {id, name,
 * number, kind}, participant_number, status, as_of, display_name, person
 * {first_name, initials, surname_prefix, surname, birth_date, gender, bsn,
 * email, address}, employment {start_date, end_date, salary,
 * parttime_percentage}, coverages (the scheme's), partner (or null),
 * children, registered_at, links {changes}. BSNs (the participant's, the
 * partner's and the children's) in full when full_bsn, else "*****6782".
 * *version is the ETag's version. PORTAL_ERR_NOT_FOUND, PORTAL_ERR_MEMORY,
 * PORTAL_ERR_DATABASE. */
portal_result participants_detail_json(db_conn *db, const char *id, const char *as_of, int full_bsn,
                                       char **json, long long *version);

/* Sort keys of the list. */
typedef enum {
    PARTICIPANTS_SORT_NAME = 0,
    PARTICIPANTS_SORT_NUMBER,
    PARTICIPANTS_SORT_START_DATE,
    PARTICIPANTS_SORT_SALARY
} participants_sort;

/* A list request. scheme_ids is a uuid[] literal of distinct ids (NULL: every
 * scheme the caller may read), n_schemes how many. */
typedef struct {
    const portal_caller *caller;
    const char *scheme_ids;
    int n_schemes;
    const char *today;  /* "YYYY-MM-DD", Europe/Amsterdam */
    const char *status; /* NULL or a status name */
    const char *q;      /* NULL or search words (name or number) */
    participants_sort sort;
    int desc;
    const char *after_key; /* keyset: the previous page's last key and id, or NULL */
    const char *after_id;
    int limit;
} participants_list_query;

/* Outcome of the access part of a list. */
typedef enum {
    PARTICIPANTS_LIST_OK = 0,
    PARTICIPANTS_LIST_NOT_FOUND, /* a named scheme is not visible: 404 */
    PARTICIPANTS_LIST_FORBIDDEN  /* visible without participants.read: 403 */
} participants_list_verdict;

/* One page of participants as valid on q->today, in one statement that also
 * resolves access (portal_visible_schemes and the rights catalogue, so scope
 * and mandates apply): *items a JSON array text of rows {id, scheme_id,
 * participant_number, display_name, employment_start, salary,
 * parttime_percentage, status}, *next_keys the JSON array text [key, id] of
 * the last row when more follow, else NULL. Both NULL unless the verdict is
 * OK. PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result participants_list_json(db_conn *db, const participants_list_query *q,
                                     participants_list_verdict *verdict, char **items,
                                     char **next_keys);

#endif
