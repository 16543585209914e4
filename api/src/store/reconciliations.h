/*
 * store/reconciliations.h: all SQL of the year-end reconciliation
 * (naverrekening, migration 0015, DESIGN.md §4.6).
 *
 * Owns: the reconciliation rows and their employees, employments, sick
 * reports, evidence and computed lines; the pre-fill from participants;
 * JSON built by PostgreSQL for every answer; loading a whole reconciliation
 * into the domain structs of domain/reconciliation_rules.h (one query for
 * every employee with their employments, one for the sick reports) and
 * writing the computed lines back with one set-based statement per table.
 * Access decisions are the caller's (workflows/reconciliations.c); these
 * functions only read and write. Every function runs in the caller's
 * transaction when one is open. Failures: PORTAL_ERR_NOT_FOUND for an
 * absent row, PORTAL_ERR_CONFLICT for a unique violation,
 * PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY, PORTAL_ERR_TOO_LARGE past a cap.
 */
#ifndef PORTAL_STORE_RECONCILIATIONS_H
#define PORTAL_STORE_RECONCILIATIONS_H

#include <stddef.h>

#include "base/caller.h"
#include "domain/reconciliation_rules.h"
#include "store/db.h"

#define RECON_STORE_MAX_EMPLOYMENTS 32

/* The facts of a reconciliation every use case looks at first. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char scheme_id[PORTAL_ID_LEN];
    char organisation_id[PORTAL_ID_LEN];
    char status[16]; /* open | submitted | processed */
    char variant[16];
    int year;
    int version;
} recon_head;

/* What an income scheme contributes: kind, variant and policy start. */
typedef struct {
    char organisation_id[PORTAL_ID_LEN];
    char kind[16];
    char variant[16];    /* "" when not set */
    char start_date[12]; /* YYYY-MM-DD */
} recon_scheme_facts;

/* A new reconciliation (decimal strings as given, NULL: absent). */
typedef struct {
    const char *scheme_id;
    int year;
    const char *deadline;
    const char *premium_rate;
    const char *provisional_premium;
    const char *wage_cap;
    const char *own_risk_percentage;
    const char *own_risk_amount;
    const char *continued_pay_percentage;
    const char *maximum_reimbursement;
    const char *created_by;         /* user id or NULL */
    const char *evidence_requested; /* text[] literal of evidence kinds; NULL or "": none */
} recon_new;

/* A person added by hand (strings borrowed; NULL: absent). */
typedef struct {
    const char *first_name;
    const char *initials;
    const char *surname_prefix;
    const char *surname;
    const char *birth_date;
    const char *gender;
    const char *bsn;
    const char *insured_wage;
} recon_person;

/* One employment as text (start and end YYYY-MM-DD; end NULL: open). */
typedef struct {
    const char *start_date;
    const char *end_date;
    int fixed_term;
} recon_employment_text;

/* A new sick report (strings borrowed; recovery_date NULL: still sick). */
typedef struct {
    const char *employee_id;
    const char *first_sick_day;
    const char *report_date;
    const char *recovery_date;
    const char *ao_percentage;
    const char *atw_percentage;
    const char *created_by;
} recon_sick_report_new;

/* Filters of the reconciliation list (NULL or 0: none). */
typedef struct {
    const char *scheme_ids; /* uuid[] literal */
    int year;
    const char *status;
    const char *deadline_before; /* deadline strictly before this date */
    const char *after_deadline;  /* keyset: (deadline, id) of the last row seen */
    const char *after_id;
    int limit;
} recon_list_filter;

/* A whole reconciliation loaded for the rules: params, employees (with
 * employments pointing into `employments`), sick reports, and the ids the
 * arrays' indexes stand for. Owned by the caller: recon_loaded_free. */
typedef struct {
    recon_rules_parameters params;
    size_t n_employees;
    recon_rules_employee *employees;
    char (*employee_ids)[PORTAL_ID_LEN];
    recon_rules_employment *employments;
    size_t n_reports;
    recon_rules_sick_report *reports;
    char (*report_ids)[PORTAL_ID_LEN];
} recon_loaded;

/* 1 when db has a transaction open (the caller's), 0 when idle. */
int recon_store_in_transaction(db_conn *db);

/* The scheme's facts. PORTAL_ERR_NOT_FOUND for an unknown scheme. */
portal_result recon_store_scheme(db_conn *db, const char *scheme_id, recon_scheme_facts *out);

/* Inserts the reconciliation; out_id gets its id. PORTAL_ERR_CONFLICT when
 * the scheme has one for that year already. */
portal_result recon_store_insert(db_conn *db, const recon_new *n, char out_id[PORTAL_ID_LEN]);

/* Pre-fills the employees and employments from the scheme's participants
 * employed at any time in the year (their current history), as two
 * set-based statements. */
portal_result recon_store_prefill(db_conn *db, const char *id);

/* The head of reconciliation id; lock: FOR UPDATE. PORTAL_ERR_NOT_FOUND. */
portal_result recon_store_head(db_conn *db, const char *id, int lock, recon_head *out);

/* The reconciliation as JSON text (malloc'd into *json, caller frees), with
 * its result once processed. */
portal_result recon_store_json(db_conn *db, const char *id, char **json);

/* A page of reconciliations visible to the caller with reconciliation.read
 * (limit + 1 rows, ordered by deadline, id) as JSON array text in *json. */
portal_result recon_store_list(db_conn *db, const portal_caller *caller, const recon_list_filter *f,
                               char **json);

/* A page of employees (after seq `after_seq`, 0: from the start; limit + 1
 * rows) as JSON array text; BSNs in full when full_bsn, else masked. */
portal_result recon_store_employees_json(db_conn *db, const char *id, int full_bsn,
                                         long long after_seq, int limit, char **json);

/* One employee of reconciliation id as JSON text. PORTAL_ERR_NOT_FOUND
 * when the employee is not one of that reconciliation. */
portal_result recon_store_employee_json(db_conn *db, const char *id, const char *employee_id,
                                        int full_bsn, char **json);

/* Inserts an employee. PORTAL_ERR_CONFLICT when the BSN is reported already. */
portal_result recon_store_employee_insert(db_conn *db, const char *id, const recon_person *p,
                                          char out_id[PORTAL_ID_LEN]);

/* Replaces an employee's general data (names, birth date, gender, BSN) by
 * p's, display name recomputed; p->insured_wage is not used.
 * PORTAL_ERR_CONFLICT when the BSN is reported already for another. */
portal_result recon_store_employee_set_person(db_conn *db, const char *employee_id,
                                              const recon_person *p);

/* The evidence kinds asked for on reconciliation id that have no upload:
 * *payroll and *absence set to 1 for each such kind, else 0. */
portal_result recon_store_evidence_missing(db_conn *db, const char *id, int *payroll, int *absence);

/* Sets (or with NULL clears) an employee's insured wage. */
portal_result recon_store_employee_set_wage(db_conn *db, const char *employee_id, const char *wage);

/* Replaces an employee's employments by the n given, in order. */
portal_result recon_store_employments_replace(db_conn *db, const char *employee_id,
                                              const recon_employment_text *e, size_t n);

/* The sick reports (in order of entry) as JSON array text. */
portal_result recon_store_sick_reports_json(db_conn *db, const char *id, char **json);

/* Inserts a sick report of an employee of reconciliation id and answers it
 * as JSON text. PORTAL_ERR_NOT_FOUND when the employee is not one of it. */
portal_result recon_store_sick_report_insert(db_conn *db, const char *id,
                                             const recon_sick_report_new *r, char **json);

/* Records an evidence file (already stored as blob_id) and answers it as
 * JSON text. */
portal_result recon_store_evidence_insert(db_conn *db, const char *id, const char *kind,
                                          const char *blob_id, const char *file_name,
                                          const char *content_type, long long size,
                                          const char *created_by, char **json);

/* An evidence file as stored (for reading it back). */
typedef struct {
    char blob_id[PORTAL_ID_LEN];
    char file_name[128];
    char content_type[128];
    long long size;
} recon_evidence_file;

/* Evidence file evidence_id of reconciliation id into *out.
 * PORTAL_ERR_NOT_FOUND when it is not one of that reconciliation's. */
portal_result recon_store_evidence_get(db_conn *db, const char *id, const char *evidence_id,
                                       recon_evidence_file *out);

/* Bumps the version (an edit happened). */
portal_result recon_store_touch(db_conn *db, const char *id);

/* open -> submitted by user (NULL: none); the version is bumped and its
 * new value written into *version. */
portal_result recon_store_submit(db_conn *db, const char *id, const char *user_id, int *version);

/* Back to open with the reason: result, lines and report costs cleared. */
portal_result recon_store_reopen(db_conn *db, const char *id, const char *user_id,
                                 const char *reason);

/* Loads everything the rules need into *out (zeroed first), inside the
 * caller's open transaction (it turns JIT off for the rest of it). Money
 * and percentages are parsed with domain/decimal.h; a stored value that
 * does not parse is PORTAL_ERR_INTERNAL. */
portal_result recon_store_load(db_conn *db, const char *id, recon_loaded *out);

/* Frees what recon_store_load allocated; safe on a zeroed struct. */
void recon_loaded_free(recon_loaded *l);

/*
 * recon_store_write_result -- writes the computed lines (one per employee of
 * l, one statement), the report costs (one statement) and the totals, and
 * sets status processed, all only while the reconciliation is still
 * submitted at `version` (else PORTAL_ERR_CONFLICT and nothing written).
 */
portal_result recon_store_write_result(db_conn *db, const char *id, int version,
                                       const recon_loaded *l,
                                       const recon_rules_employee_line *lines,
                                       const recon_rules_report_line *report_lines,
                                       const recon_rules_totals *totals);

/* One line of the specification as PostgreSQL gives it (borrowed for the
 * callback only). */
typedef struct {
    const char *display_name;
    const char *birth_date;
    const char *days;
    const char *insured_wage;
    const char *prorated_cap;
    const char *capped_wage;
    const char *premium;
} recon_line_row;

#define RECON_STORE_FETCH 1000 /* lines read from the cursor at a time */

/*
 * recon_store_each_line -- every employee with their computed line, in
 * order of entry, through a cursor inside the caller's open transaction
 * (RECON_STORE_FETCH rows at a time, never the whole result in memory);
 * calls fn for each and stops at its first failure, which it returns.
 */
portal_result recon_store_each_line(db_conn *db, const char *id,
                                    portal_result (*fn)(void *closure, const recon_line_row *row),
                                    void *closure);

#endif
