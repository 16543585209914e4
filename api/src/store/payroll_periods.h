/*
 * store/payroll_periods.h: the SQL of the payroll sync (tables
 * payroll_periods, payroll_period_rows and payroll_feedback, migration
 * 0016): a period locked for a new revision, its snapshot rows stored in
 * one statement, the rows read back with the participant as valid in the
 * period in one statement, the feedback written in one statement, the list
 * and the period as JSON built by PostgreSQL, and the naverrekening's
 * pre-fill from the year's snapshots.
 *
 * Every function runs in the caller's transaction when one is open; JSON
 * text handed back is malloc'd (the caller frees). Ids must be UUID-shaped
 * (the workflow checks first). BSNs are parameters only; nothing here logs.
 */
#ifndef PORTAL_STORE_PAYROLL_PERIODS_H
#define PORTAL_STORE_PAYROLL_PERIODS_H

#include "base/caller.h"
#include "store/db.h"

#define PAYROLL_STATUS_SIZE 16

/* A period's head. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char scheme_id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char period[12];
    char period_start[11];
    char period_end[11];
    char status[PAYROLL_STATUS_SIZE]; /* processing | processed | failed */
    char lang[4];
    int revision;  /* 0: created just now, no rows yet */
    int same_body; /* payroll_store_lock only: the stored hash is the one given */
} payroll_head;

/* What a new period needs. */
typedef struct {
    const char *scheme_id;
    const char *period; /* the key as sent */
    int year;
    const char *period_start; /* YYYY-MM-DD */
    const char *period_end;
    const char *body_hash;
} payroll_key;

/* Creates the period when it does not exist yet (revision 0, processing)
 * and locks its row FOR UPDATE, so resends of one period serialise.
 * *out->same_body tells whether the stored hash is k->body_hash.
 * PORTAL_ERR_DATABASE. */
portal_result payroll_store_lock(db_conn *db, const payroll_key *k, payroll_head *out);

/* The period of a scheme by key (NULL id: by key) or by id (key NULL).
 * lock = 1 takes the row FOR UPDATE. PORTAL_ERR_NOT_FOUND,
 * PORTAL_ERR_DATABASE. */
portal_result payroll_store_head(db_conn *db, const char *scheme_id, const char *period,
                                 const char *id, int lock, payroll_head *out);

/* Who sent a revision (both NULL: the system). */
typedef struct {
    const char *user_id;
    const char *token_id;
    const char *lang;
} payroll_sender;

/* Starts the next revision of a locked period: revision + 1, the new hash,
 * status processing, n employments, counts zero, the sender; drops the
 * rows and feedback older than the previous revision; stores the rows of
 * rows_json (a JSON array of objects of strings, keys as in the API, the
 * address flattened) numbered from 1. *revision is the new one.
 * PORTAL_ERR_DATABASE. */
portal_result payroll_store_revision(db_conn *db, const char *id, const char *body_hash,
                                     const payroll_sender *sender, const char *rows_json, int n,
                                     int *revision);

/* The rows of a revision with their participants, read in one statement
 * (opaque; payroll_loaded_* read it). */
typedef struct payroll_loaded payroll_loaded;

/* One loaded row: every pointer borrows from the payroll_loaded, NULL for
 * an absent value. */
typedef struct {
    int seq;
    const char *personnel_number, *employment_number, *bsn, *first_name, *initials, *surname_prefix,
        *surname, *birth_date, *gender, *street, *house_number, *postal_code, *city, *country,
        *start_date, *end_date, *salary, *parttime_percentage, *hours, *insured_wage;
    /* the participant with the BSN in the scheme, as valid on the period's
     * last day (its first period when it starts later), as known now */
    const char *participant_id; /* NULL: none */
    const char *p_status, *p_employment_start, *p_employment_end, *p_pending_end, *p_salary,
        *p_parttime_percentage, *p_street, *p_house_number, *p_postal_code, *p_city, *p_country;
    int duplicate;      /* an earlier row of the body has the same BSN */
    int same_as_before; /* the previous revision had this row unchanged and it was not refused */
} payroll_row;

/* Loads revision of period id. PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY. */
portal_result payroll_store_load(db_conn *db, const char *id, int revision, payroll_loaded **out);

/* Number of rows loaded. */
int payroll_loaded_count(const payroll_loaded *l);

/* Row i (0-based) into *out. */
void payroll_loaded_row(const payroll_loaded *l, int i, payroll_row *out);

/* Frees l (NULL is fine). */
void payroll_loaded_free(payroll_loaded *l);

/* The employment's row in the next later period of the scheme already
 * processed (latest revision, not refused), found by BSN. */
typedef struct {
    int found;
    char period[12];
    char salary[32];
    char parttime_percentage[32];
    char street[256];
    char house_number[64];
    char postal_code[32];
    char city[256];
    char country[8];
    int has_salary, has_parttime, has_address;
} payroll_next_row;

/* The row of bsn in the first period of scheme_id starting after
 * after_day ("YYYY-MM-DD"); out->found 0 when there is none.
 * PORTAL_ERR_DATABASE. */
portal_result payroll_store_next_row(db_conn *db, const char *scheme_id, const char *bsn,
                                     const char *after_day, payroll_next_row *out);

/* Who a set-based salary apply records (every pointer borrowed; NULL or
 * "" for none): as participant_actor records a change, and the audit
 * event's label, request id and client address. */
typedef struct {
    const char *kind; /* user | api_token | staff | batch */
    const char *user_id;
    const char *token_id;
    const char *label; /* NULL: the token's or user's name */
    const char *audit_label;
    const char *request_id;
    const char *client_address;
} payroll_recorder;

/* Applies the salary and part-time changes of rows_json ([{participant_id,
 * effective_date, payload}], one per participant, each already decided
 * direct) set-based (portal_payroll_salary_apply, migration 0016) and
 * writes into *applied (malloc'd) the JSON array text of the participant
 * ids applied; the others were no longer active on their date.
 * PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY. */
portal_result payroll_store_salary_apply(db_conn *db, const char *scheme_id,
                                         const payroll_recorder *who, const char *rows_json,
                                         char **applied);

/* Registers the employments of rows_json ([{row_key, bsn, effective_date,
 * status, review_reasons, payload}], BSNs new to the scheme, payloads as
 * the registration use case stores them) set-based
 * (portal_registration_apply, migration 0021), taking each BSN's advisory
 * lock as the use case does, and writes into *applied (malloc'd) the JSON
 * object text {row_key: participant id} of those registered; the others'
 * BSN was registered meanwhile. PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY. */
portal_result payroll_store_registration_apply(db_conn *db, const char *scheme_id,
                                               const payroll_recorder *who, const char *rows_json,
                                               char **applied);

/* The shape of the two set-based applies above. */
typedef portal_result (*payroll_store_apply_fn)(db_conn *db, const char *scheme_id,
                                                const payroll_recorder *who, const char *rows_json,
                                                char **applied);

/* Whether the scheme has a processed period starting after after_day (so
 * that payroll_store_next_row can find anything). PORTAL_ERR_DATABASE. */
portal_result payroll_store_has_later(db_conn *db, const char *scheme_id, const char *after_day,
                                      int *later);

/* Writes the feedback of a revision in one statement: feedback_json is a
 * JSON array of {seq, personnel_number, employment_number, name,
 * participant_id, result, changes: [..], code, message}; then sets the
 * counts, the status (processed) and processed_at. PORTAL_ERR_DATABASE. */
portal_result payroll_store_finish(db_conn *db, const char *id, int revision,
                                   const char *feedback_json);

/* Marks the period failed (a job gave up). PORTAL_ERR_DATABASE. */
portal_result payroll_store_fail(db_conn *db, const char *id);

/* A page of a scheme's periods, newest key first, after (period, id) when
 * after_period is given: JSON array text of at most limit rows {id,
 * period, status, received_at, processed_at, revision, employments,
 * accepted, unchanged, rejected}. PORTAL_ERR_DATABASE. */
portal_result payroll_store_list_json(db_conn *db, const char *scheme_id, const char *after_period,
                                      int limit, char **rows);

/* The period as JSON text: the list's fields, scheme_id, period_start,
 * period_end and "feedback": at most limit rows of the latest revision
 * after seq after_seq, in body order, each {seq, personnel_number,
 * employment_number, name, participant_id, result, changes, code,
 * message}; plus "feedback_more": true when rows follow.
 * PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DATABASE. */
portal_result payroll_store_item_json(db_conn *db, const char *id, int after_seq, int limit,
                                      char **json);

/* The naverrekening's pre-fill from the year's snapshots of its scheme
 * (the latest revision of each period of reconciliation id's year, rows
 * not refused): employees not yet present (by BSN) are added with the
 * person of their latest snapshot, an employee without employments gets
 * those of the snapshots, and every employee still without an insured
 * wage gets the sum of the period wages. *rows is how many employees got
 * a wage (0: no snapshots). PORTAL_ERR_DATABASE. */
portal_result payroll_store_prefill_reconciliation(db_conn *db, const char *id, long *rows);

#endif
