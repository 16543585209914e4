/*
 * workflows/participant_rules.h: what the participant use cases share
 * (registration, changes, cancellation, review decisions): the rule report
 * collected on a portal_outcome with JSON-pointer fields and stable codes,
 * address and family-member checks on plain strings, the options a
 * background job passes for one row, and the actor as the store records it.
 *
 * No I/O here except reading the clock for "today" when a caller gives none.
 */
#ifndef PORTAL_WORKFLOWS_PARTICIPANT_RULES_H
#define PORTAL_WORKFLOWS_PARTICIPANT_RULES_H

#include <jansson.h>

#include "domain/civil_date.h"
#include "domain/participant_input.h"
#include "domain/participant_rules.h"
#include "store/participant_changes.h"
#include "store/participants.h"
#include "workflows/workflow.h"

/*
 * How one row is applied, for callers that are not a single web request.
 * Every pointer is borrowed for the call; a zeroed struct (or NULL) means
 * "a single request now":
 *   today              "YYYY-MM-DD" the rules count from (a batch passes the
 *                      day it started, so 100,000 rows share one day); NULL:
 *                      today in Europe/Amsterdam.
 *   batch_id           the batch the change belongs to: recorded on the
 *                      change (actor kind "batch") and in the audit; NULL:
 *                      none.
 *   holds_scheme_lock  1 when the caller is the batch holding the scheme's
 *                      lock (batches.status = processing): the use case then
 *                      does not refuse with scheme_locked_by_batch.
 *   label              the name recorded as who registered the change (the
 *                      batch's file, "Demo-gegevens"); NULL: the user's or
 *                      token's name.
 */
typedef struct {
    const char *today;
    const char *batch_id;
    int holds_scheme_lock;
    const char *label;
} wf_row_options;

/* Rule breaks collected into one outcome: every field error at once, the
 * problem code they share (validation_failed when they differ), a conflict
 * rule's code winning and making the result PORTAL_ERR_CONFLICT. */
typedef struct {
    portal_outcome *o; /* borrowed */
    const char *lang;
    char code[48]; /* "" while empty */
    int mixed;
    int conflict;
} wf_rules;

/* Starts collecting into o (cleared) with messages in lang. */
void wf_rules_init(wf_rules *r, portal_outcome *o, const char *lang);

/* Adds a field error (message NULL: the catalogue's text for field_code)
 * with the problem code it implies. */
void wf_rules_add(wf_rules *r, const char *field, const char *field_code, const char *problem_code,
                  const char *message);

/* Adds every refusing finding of report: field code the rule's API code
 * (invalid_bsn, effective_date_out_of_range), for validation_failed rules
 * the rule id (gender_invalid ...), "required" for field_required; message
 * the rule's description. */
void wf_rules_add_report(wf_rules *r, const rule_report *report);

/* Adds one field error for a refusing verdict at field (a JSON pointer). */
void wf_rules_add_verdict(wf_rules *r, const rule_verdict *verdict, const char *field);

/* 1 when any error was added. */
int wf_rules_failed(const wf_rules *r);

/* Sets the outcome's result (PORTAL_ERR_INVALID, or PORTAL_ERR_CONFLICT for
 * a conflict rule) and code; returns the result. Call only when failed. */
portal_result wf_rules_finish(wf_rules *r);

/* The rule's description in lang ("en" or else Dutch). */
const char *wf_rule_text(const rule_definition *rule, const char *lang);

/* s without surrounding spaces as a new JSON string (NULL when s is). */
json_t *wf_trimmed(const char *s);

/* Checks an address at pointer parent ("/person/address"): required
 * fields, country (default NL) and postal code. Returns a new normalised
 * object, or NULL after adding the errors to r. */
json_t *wf_address(wf_rules *r, const participant_address_input *a, const char *parent);

/* Checks a partner (RULE_CHANGE_PARTNER, "/partner") or child ("/child")
 * with rule_check_family_member as of today. Returns a new normalised
 * object, or NULL after adding the errors to r (or out of memory). */
json_t *wf_family_member(wf_rules *r, const participant_family_input *m, rule_change_type type,
                         civil_date today);

/* The day the rules count from: opts->today when given and valid, else
 * today in Europe/Amsterdam. PORTAL_ERR_INVALID for a malformed opts->today. */
portal_result wf_today(const wf_row_options *opts, civil_date *today,
                       char text[CIVIL_DATE_TEXT_SIZE]);

/* The actor as the store records it on a change: "batch" with a batch id,
 * "api_token" for a token, "staff" for the insurer's users, "user" else;
 * the system itself (no caller) is recorded as "batch" without a user.
 * Pointers borrow from actor and opts. */
void wf_participant_actor(const portal_actor *actor, const wf_row_options *opts,
                          participant_actor *out);

/* Inserts change (its payload NULL: out of memory) as the actor records it
 * (wf_participant_actor), writing its id and stored JSON (malloc'd) like
 * participant_changes_insert. Fills change->actor. */
PORTAL_MUST_USE portal_result wf_insert_change(db_conn *db, const portal_actor *actor,
                                               const wf_row_options *opts,
                                               participant_change_new *change,
                                               char out_id[PORTAL_ID_LEN], char **json);

/* Records action on a participant (workflow_audit), adding the batch id
 * to changes and "batch" as label when opts names a batch. */
PORTAL_MUST_USE portal_result wf_participant_audit(db_conn *db, const portal_actor *actor,
                                                   const wf_row_options *opts, const char *action,
                                                   const char *participant_id,
                                                   const char *organisation_id, json_t *changes);

/* Checks capability on scheme_id for the actor's caller (none: the system,
 * always allowed). Fills o and returns PORTAL_ERR_NOT_FOUND (invisible),
 * PORTAL_ERR_DENIED or PORTAL_ERR_DATABASE, else PORTAL_OK. */
portal_result wf_scheme_access(db_conn *db, const portal_actor *actor, const char *scheme_id,
                               const char *capability, portal_outcome *o);

/* Reads the change id (not locked) into *meta. Fills o and returns
 * PORTAL_ERR_NOT_FOUND (no such change, or id is not a UUID) or
 * PORTAL_ERR_DATABASE, else PORTAL_OK. */
portal_result wf_change_find(db_conn *db, const char *id, participant_change_meta *meta,
                             portal_outcome *o);

#endif
