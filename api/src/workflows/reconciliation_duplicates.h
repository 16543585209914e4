/*
 * workflows/reconciliation_duplicates.h: likely duplicate employees in a
 * reconciliation (seed 002 §16): the employer sees the pairs with the same
 * BSN or the same name and birth date, and either merges them (one employee
 * kept, the other's employments, wage and sick reports moved to it) or
 * declares them two people. Hand-in (recon_submit) refuses while a pair is
 * left unresolved.
 *
 * Rights as workflows/reconciliations.h: listing needs reconciliation.read
 * and participants.read, merging and dismissing reconciliation on the
 * scheme; both only while the reconciliation is open (409
 * reconciliation_submitted). Every function fills a portal_outcome; JSON
 * answers are malloc'd text the caller frees.
 */
#ifndef PORTAL_WORKFLOWS_RECONCILIATION_DUPLICATES_H
#define PORTAL_WORKFLOWS_RECONCILIATION_DUPLICATES_H

#include <jansson.h>

#include "workflows/workflow.h"

/* The unresolved pairs: {"items": [{"reason", "employees": [a, b]}],
 * "total"}; reason same_bsn or same_name_and_birth_date. */
PORTAL_MUST_USE portal_result recon_duplicates(db_conn *db, const portal_actor *actor,
                                               const char *id, portal_outcome *o, char **json);

/*
 * recon_duplicates_merge -- merges employee merge_id into keep_id (both of
 * reconciliation id and a listed pair, dismissed or not) and answers the
 * kept employee. PORTAL_ERR_INVALID with /keep_employee_id or
 * /merge_employee_id required, invalid_format, same_employee or
 * not_a_duplicate (also for an employee of another reconciliation), or
 * too_many_employments; the usual 404/403/409 otherwise. Audited.
 */
PORTAL_MUST_USE portal_result recon_duplicates_merge(db_conn *db, const portal_actor *actor,
                                                     const char *id, const char *keep_id,
                                                     const char *merge_id, portal_outcome *o,
                                                     char **json);

/* Declares the pair (a, b) two people: it is no longer listed and no
 * longer blocks hand-in. Errors as recon_duplicates_merge on
 * /employee_ids. Audited. */
PORTAL_MUST_USE portal_result recon_duplicates_dismiss(db_conn *db, const portal_actor *actor,
                                                       const char *id, const char *a, const char *b,
                                                       portal_outcome *o);

/*
 * recon_duplicates_problems -- for hand-in, inside the caller's
 * transaction: appends one problem per unresolved pair to *all (created
 * when NULL; at most `room` of them) as {"field":
 * "/employees/<second>/duplicate_of", "code": "likely_duplicate",
 * "message", "duplicate_of": <first>}, adds them to o while it has room,
 * and gives the number of pairs in *count.
 */
PORTAL_MUST_USE portal_result recon_duplicates_problems(db_conn *db, const portal_actor *actor,
                                                        const char *id, size_t room,
                                                        portal_outcome *o, json_t **all,
                                                        size_t *count);

#endif
