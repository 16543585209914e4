/*
 * workflows/participants.h: registering a participant (seed 001 §4.2), a
 * first employment or a re-hire of a dormant or ended participant of the
 * same scheme (same BSN: a new employment on the same participant).
 *
 * Called by POST /api/v1/participants, by the demo seeder and by background
 * jobs (a collective change registering one row at a time).
 */
#ifndef PORTAL_WORKFLOWS_PARTICIPANTS_H
#define PORTAL_WORKFLOWS_PARTICIPANTS_H

#include "workflows/participant_rules.h"

/* A registration as given: strings as they came (NULL when absent), fields
 * named by their JSON pointer in the request body. */
typedef struct {
    const char *scheme_id;                    /* /scheme_id */
    const char *participant_number;           /* /participant_number; NULL: the next free one */
    const char *first_name;                   /* /person/first_name; it or initials required */
    const char *initials;                     /* /person/initials */
    const char *surname_prefix;               /* /person/surname_prefix */
    const char *surname;                      /* /person/surname */
    const char *birth_date;                   /* /person/birth_date, YYYY-MM-DD */
    const char *gender;                       /* /person/gender: male|female|unknown */
    const char *bsn;                          /* /person/bsn */
    const char *email;                        /* /person/email */
    const participant_address_input *address; /* /person/address; NULL: none */
    const char *start_date;                   /* /employment/start_date */
    const char *salary;                       /* /employment/salary, "52242.28" */
    const char *parttime_percentage;          /* /employment/parttime_percentage */
} wf_registration_input;

/* What a registration wrote. change_json is malloc'd (the caller frees it
 * with wf_registration_result_free). */
typedef struct {
    char participant_id[PORTAL_ID_LEN];
    char participant_number[PARTICIPANTS_NUMBER_SIZE];
    char organisation_id[PORTAL_ID_LEN];
    char change_id[PORTAL_ID_LEN];
    char status[16];   /* processed | pending_review */
    int rehired;       /* 1: a new employment of an existing participant */
    char *change_json; /* the registration change as stored (review reasons as rule ids) */
} wf_registration_result;

/*
 * wf_participant_register -- registers a participant, in the caller's
 * transaction.
 *
 * db must have a transaction open (a web request's, or a batch job's that
 * applies many rows); this function never begins, commits or rolls back. On
 * failure the caller rolls back (a unique violation aborts the transaction;
 * a job that wants to go on with the next row wraps each row in a
 * SAVEPOINT).
 *
 * actor: who asks (actor->caller NULL: the system, no access check; else
 * participants.write on in->scheme_id). opts: today, batch_id, the scheme
 * lock and label (participant_rules.h); NULL for a single request now.
 *
 * In order: access (PORTAL_ERR_NOT_FOUND/DENIED), every rule at once
 * (PORTAL_ERR_INVALID with field errors: required, invalid_format,
 * invalid_email, invalid_bsn, effective_date_out_of_range, gender_invalid,
 * ...), the scheme's batch lock (PORTAL_ERR_CONFLICT
 * scheme_locked_by_batch, unless opts->holds_scheme_lock), the BSN in the
 * scheme (PORTAL_ERR_CONFLICT participant_exists while employed;
 * PORTAL_ERR_INVALID invalid_value on /participant_number when a re-hire
 * names another number), the number (PORTAL_ERR_CONFLICT conflict with
 * not_unique on /participant_number). Then it writes the participant (or
 * the new employment), the registration change (pending_review when a
 * review rule applies), the rebuilt periods and the audit event
 * participant.registered or participant.rehired.
 *
 * Returns PORTAL_OK with *out filled, or the failure (also in o->rc, with
 * o->code and o->errors); PORTAL_ERR_DATABASE / PORTAL_ERR_MEMORY for the
 * store. Borrows actor, opts and in.
 */
PORTAL_MUST_USE portal_result wf_participant_register(db_conn *db, const portal_actor *actor,
                                                      const wf_row_options *opts,
                                                      const wf_registration_input *in,
                                                      wf_registration_result *out,
                                                      portal_outcome *o);

/*
 * wf_registration_direct_payload -- the registration change's payload (JSON
 * text, malloc'd, the caller frees) that wf_participant_register would
 * store for in, when every rule of the registration passes as of today and
 * none sends it to review, and in names no participant number; NULL else
 * (the use case then answers for the row) or when memory ran out. Checks
 * the rules only: neither access, the scheme lock nor the BSN in the
 * scheme. Borrows in.
 */
char *wf_registration_direct_payload(const wf_registration_input *in, civil_date today);

/* Frees what a registration result owns (safe on a zeroed result). */
void wf_registration_result_free(wf_registration_result *r);

#endif
