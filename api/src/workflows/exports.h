/*
 * workflows/exports.h: requesting an export of participant data (DESIGN.md
 * §4.6): the request is recorded and a background job writes the file.
 */
#ifndef PORTAL_WORKFLOWS_EXPORTS_H
#define PORTAL_WORKFLOWS_EXPORTS_H

#include <jansson.h>

#include "store/exports.h"
#include "workflows/workflow.h"

#define WF_EXPORT_MAX_SCHEMES 32

/* An export request as given. scheme_ids: n_schemes strings (an id that is
 * not UUID-shaped counts as a scheme the caller cannot see). */
typedef struct {
    const char *const *scheme_ids;
    int n_schemes;
    const char *as_of;  /* /as_of, YYYY-MM-DD */
    const char *format; /* /format: csv (NULL) or xlsx */
} wf_export_input;

/* The export as created: its id and JSON text (malloc'd, wf_export_result_free). */
typedef struct {
    char id[PORTAL_ID_LEN];
    char *json;
} wf_export_result;

/*
 * wf_export_request -- records an export request and queues the job that
 * writes the file, in the caller's transaction (it never begins or ends
 * one).
 *
 * Every input rule at once (PORTAL_ERR_INVALID: /as_of invalid_date,
 * /format invalid_value, /scheme_ids too_short), then the exports
 * capability on every scheme (PORTAL_ERR_NOT_FOUND for any invisible one,
 * PORTAL_ERR_DENIED). Full BSNs only when the caller may see them on every
 * scheme. Records export.created for the caller's organisation and, for an
 * office acting under a mandate, for every employer whose schemes it
 * covers. Needs a caller (the system cannot ask for an export:
 * PORTAL_ERR_DENIED).
 */
PORTAL_MUST_USE portal_result wf_export_request(db_conn *db, const portal_actor *actor,
                                                const wf_export_input *in, wf_export_result *out,
                                                portal_outcome *o);

/* Records action on export id (scheme_ids: its uuid[] literal) for the
 * caller's organisation and, when an office acts under a mandate, for
 * every employer whose schemes it covers. Returns the first failure. */
PORTAL_MUST_USE portal_result wf_export_audit(db_conn *db, const portal_actor *actor,
                                              const char *action, const char *id,
                                              const char *scheme_ids, json_t *changes);

/* Frees what an export result owns (safe on a zeroed result). */
void wf_export_result_free(wf_export_result *r);

#endif
