/*
 * workflows/reconciliations.h: the use cases of the year-end reconciliation
 * (naverrekening) of an income scheme (DESIGN.md §4.6, seed 002): staff open
 * one, the employer fills in employees, wages, employments, sick reports and
 * evidence, hands it in, a job computes it, staff reopen it.
 *
 * Rights, on the reconciliation's scheme (auth/access.h): reading needs
 * reconciliation.read (hr, hr_read, finance, user_management, staff; offices
 * by their mandate as hr or hr_read); the employee and sick-report lists
 * also participants.read (finance sees the reconciliation and its result,
 * not the people), full BSNs participants.bsn; editing and handing in need
 * reconciliation (hr, user_management, staff, offices with a read-write
 * mandate); opening and reopening are staff's (schemes.manage). A
 * reconciliation of a scheme the caller cannot see is "not found".
 *
 * The arithmetic and the completeness checks are domain/reconciliation_rules.h
 * and domain/wage_caps.h; nothing here computes money. Every function fills
 * a portal_outcome and returns its result; JSON answers are malloc'd text
 * the caller frees.
 */
#ifndef PORTAL_WORKFLOWS_RECONCILIATIONS_H
#define PORTAL_WORKFLOWS_RECONCILIATIONS_H

#include <stdio.h>

#include <jansson.h>

#include "store/reconciliations.h"
#include "workflows/workflow.h"

#define RECON_UPLOAD_MAX (20LL * 1024 * 1024) /* evidence files, DESIGN.md §4 */
#define RECON_MAX_LISTED_PROBLEMS 10000       /* problems named in one 422 answer */
#define RECON_REASON_MAX 500                  /* characters of a reopen reason */
#define RECON_JOB_KIND "reconciliation"

/* What staff send to open a reconciliation (strings borrowed; NULL absent). */
typedef struct {
    const char *scheme_id;
    int year; /* 0: absent */
    const char *deadline;
    const char *premium_rate;
    const char *provisional_premium;
    const char *wage_cap;
    const char *own_risk_percentage;
    const char *own_risk_amount;
    const char *continued_pay_percentage;
    const char *maximum_reimbursement;
    /* The evidence kinds asked for, as a text[] literal; "" asks none. */
    char evidence_requested[48];
} recon_create_input;

/* An employee added or changed. For a change: has_person tells the general
 * data (person, all of it) was sent, has_insured_wage that the wage was sent
 * (insured_wage NULL then clears it), has_employments that the employments
 * are replaced. */
typedef struct {
    int has_person;
    recon_person person;
    int has_insured_wage;
    const char *insured_wage;
    int has_employments;
    size_t n_employments;
    const recon_employment_text *employments;
} recon_employee_input;

/* List filters (strings borrowed; NULL or 0: none). */
typedef struct {
    const char *scheme_ids; /* uuid[] literal */
    int year;
    const char *status;
    const char *deadline_before;
    const char *after_deadline;
    const char *after_id;
    int limit;
} recon_list_input;

/* An evidence file (spooled by the caller; content checked by its bytes). */
typedef struct {
    const char *kind;
    const char *checklist_confirmed; /* the form value, must be "true" */
    const char *file_name;
    const char *content_type;
    FILE *file;
    long long size;
} recon_evidence_input;

/* Staff open a reconciliation: 201 body in *json. PORTAL_ERR_DENIED (not
 * staff), PORTAL_ERR_INVALID (every broken rule), PORTAL_ERR_CONFLICT
 * reconciliation_exists. Its own transaction; notifies the employer. */
PORTAL_MUST_USE portal_result recon_create(db_conn *db, const portal_actor *actor,
                                           const recon_create_input *in, portal_outcome *o,
                                           char **json);

/* The visible reconciliations matching the filters (limit + 1 rows). */
PORTAL_MUST_USE portal_result recon_list(db_conn *db, const portal_actor *actor,
                                         const recon_list_input *in, portal_outcome *o,
                                         char **json);

/* One reconciliation (with result once processed). */
PORTAL_MUST_USE portal_result recon_show(db_conn *db, const portal_actor *actor, const char *id,
                                         portal_outcome *o, char **json);

/* A page of its employees after seq after_seq (limit + 1 rows). */
PORTAL_MUST_USE portal_result recon_employees(db_conn *db, const portal_actor *actor,
                                              const char *id, long long after_seq, int limit,
                                              portal_outcome *o, char **json);

/* Adds an employee (409 reconciliation_submitted unless open; 409
 * employee_exists for a BSN reported already). */
PORTAL_MUST_USE portal_result recon_employee_add(db_conn *db, const portal_actor *actor,
                                                 const char *id, const recon_employee_input *in,
                                                 portal_outcome *o, char **json);

/* Changes an employee's general data (person) and/or wage and/or replaces
 * their employments. */
PORTAL_MUST_USE portal_result recon_employee_update(db_conn *db, const portal_actor *actor,
                                                    const char *id, const char *employee_id,
                                                    const recon_employee_input *in,
                                                    portal_outcome *o, char **json);

/* The sick reports. */
PORTAL_MUST_USE portal_result recon_sick_reports(db_conn *db, const portal_actor *actor,
                                                 const char *id, portal_outcome *o, char **json);

/* Adds a sick report (stop_loss only: 409 sick_reports_closed otherwise). */
PORTAL_MUST_USE portal_result recon_sick_report_add(db_conn *db, const portal_actor *actor,
                                                    const char *id, const recon_sick_report_new *in,
                                                    portal_outcome *o, char **json);

/* Stores an evidence file with its kind and confirmed checklist. */
PORTAL_MUST_USE portal_result recon_evidence_add(db_conn *db, const portal_actor *actor,
                                                 const char *id, const recon_evidence_input *in,
                                                 portal_outcome *o, char **json);

/* An evidence file to read back, for anyone who may read the
 * reconciliation (PORTAL_ERR_NOT_FOUND also for another reconciliation's
 * file or a malformed id). */
PORTAL_MUST_USE portal_result recon_evidence_open(db_conn *db, const portal_actor *actor,
                                                  const char *id, const char *evidence_id,
                                                  portal_outcome *o, recon_evidence_file *out);

/*
 * recon_submit -- hands the reconciliation in: runs every completeness check
 * (recon_rules_check); with problems PORTAL_ERR_INVALID
 * reconciliation_incomplete, the first OUTCOME_MAX_ERRORS in o and all of
 * them (at most RECON_MAX_LISTED_PROBLEMS, pointers naming employee and
 * sick-report ids) as a JSON array in *problems (caller decrefs). Otherwise
 * status submitted and a processing job queued, in one transaction.
 */
PORTAL_MUST_USE portal_result recon_submit(db_conn *db, const portal_actor *actor, const char *id,
                                           portal_outcome *o, char **json, json_t **problems);

/* Staff reopen a submitted or processed reconciliation with a reason. */
PORTAL_MUST_USE portal_result recon_reopen(db_conn *db, const portal_actor *actor, const char *id,
                                           const char *reason, portal_outcome *o, char **json);

/*
 * recon_lock_version -- for a caller about to change reconciliation id in
 * its own open transaction: checks the actor's capability on it (NULL:
 * reading only) like every use case (PORTAL_ERR_NOT_FOUND, _DENIED in o),
 * locks it until the transaction ends and gives its version (the ETag's
 * source) in *version.
 */
PORTAL_MUST_USE portal_result recon_lock_version(db_conn *db, const portal_actor *actor,
                                                 const char *id, const char *capability,
                                                 portal_outcome *o, int *version);

/*
 * recon_process -- the job's use case: computes a submitted reconciliation
 * (still at `version`; otherwise nothing happens and PORTAL_OK) with
 * recon_rules_compute, writes lines and result and sets it processed, in its
 * own transaction. PORTAL_ERR_DATABASE (retried) or the rules' refusal.
 */
PORTAL_MUST_USE portal_result recon_process(db_conn *db, const char *id, int version);

#endif
