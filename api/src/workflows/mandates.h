/*
 * workflows/mandates.h: an employer grants an intermediary office a mandate
 * on some of its schemes (DESIGN.md §4.5): read, or read_write. The rules on
 * the request (the office exists, the schemes are the employer's and within
 * the caller's scope) are checked by the caller first.
 */
#ifndef PORTAL_WORKFLOWS_MANDATES_H
#define PORTAL_WORKFLOWS_MANDATES_H

#include "store/mandates.h"
#include "store/schemes.h"
#include "workflows/workflow.h"

#define MANDATE_MAX_SCHEMES SCHEMES_MAX_IDS

typedef struct {
    const char *intermediary_id; /* a UUID (any case) */
    const char *access;          /* read | read_write */
    int n_schemes;               /* 1..MANDATE_MAX_SCHEMES */
    char (*scheme_ids)[PORTAL_ID_LEN];
} mandate_input;

typedef struct {
    char id[PORTAL_ID_LEN];
    char *json; /* the new mandate (malloc'd; the caller frees it) */
    mandate_meta meta;
} mandate_granted;

/* Grants the mandate for the actor's organisation in the caller's open
 * transaction and audits mandate.created. PORTAL_OK with *out; otherwise o
 * (out->json is NULL). */
PORTAL_MUST_USE portal_result mandate_grant(const portal_actor *actor, db_conn *db,
                                            const mandate_input *in, mandate_granted *out,
                                            portal_outcome *o);

#endif
