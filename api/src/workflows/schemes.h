/*
 * workflows/schemes.h: insurer staff create and change an employer's
 * pension and income schemes (DESIGN.md §4.2/§4.3). Every rule on the
 * fields is checked at once (validation_failed with each field error);
 * the scheme number is unique (conflict on /number); each change that
 * alters something is audited with what differs. Who may do it is the
 * caller's check.
 */
#ifndef PORTAL_WORKFLOWS_SCHEMES_H
#define PORTAL_WORKFLOWS_SCHEMES_H

#include <jansson.h>

#include "store/schemes.h"
#include "workflows/workflow.h"

/* What a POST or PATCH body says. Strings borrow from the body. */
typedef struct {
    const char *organisation_id, *kind, *name, *number, *start_date, *variant, *wage_type;
    int has_organisation_id, has_kind, has_name, has_number, has_start_date;
    int has_variant, has_wage_type;
    json_t *coverages; /* owned, normalised; NULL when not given */
    json_t *premium;   /* owned reference; NULL when not given */
} scheme_input;

/* Releases what a scheme_input owns (coverages, premium). */
void scheme_input_free(scheme_input *s);

/* The scheme kinds, NULL-terminated, and a membership test. */
extern const char *const SCHEME_KINDS[];
int scheme_one_of(const char *v, const char *const *allowed);

/* Creates the scheme in the caller's open transaction. PORTAL_OK with id,
 * *json (malloc'd; the caller frees it) and version; otherwise o. */
PORTAL_MUST_USE portal_result scheme_create(const portal_actor *actor, db_conn *db,
                                            const scheme_input *s, char id[PORTAL_ID_LEN],
                                            char **json, char version[SCHEMES_VERSION_LEN],
                                            portal_outcome *o);

/* Changes scheme id, whose locked JSON the caller read into current (and
 * *json, version), in the caller's open transaction; stores and audits
 * only when something differs, then reads *json and version again.
 * PORTAL_OK; otherwise o. */
PORTAL_MUST_USE portal_result scheme_change(const portal_actor *actor, db_conn *db, const char *id,
                                            const scheme_input *s, const json_t *current,
                                            char **json, char version[SCHEMES_VERSION_LEN],
                                            portal_outcome *o);

#endif
