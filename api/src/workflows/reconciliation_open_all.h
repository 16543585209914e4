/*
 * workflows/reconciliation_open_all.h: staff open the reconciliations of a
 * year for every income scheme at once, each exactly as recon_create opens
 * one (pre-fill, audit, the employer's notification mail queued).
 *
 * The body's parameters apply to every scheme; `overrides` give a scheme
 * its own (its premium rate and provisional premium, typically). Skipped,
 * and named with the reason: a scheme that has that year's reconciliation
 * already (exists), whose policy starts after the year (not_started), or
 * without a variant (variant_missing). All or nothing: when any scheme's
 * parameters are wrong, nothing is opened and every problem is named under
 * /schemes/<scheme_id>/...
 */
#ifndef PORTAL_WORKFLOWS_RECONCILIATION_OPEN_ALL_H
#define PORTAL_WORKFLOWS_RECONCILIATION_OPEN_ALL_H

#include <stddef.h>

#include "workflows/reconciliations.h"

#define RECON_OPEN_ALL_MAX_SCHEMES 5000
#define RECON_OPEN_ALL_MAX_OVERRIDES 1000

/* The common parameters (scheme_id unused) and the per-scheme ones (each
 * with its scheme_id; NULL members take the common value). Borrowed. */
typedef struct {
    recon_create_input common;
    size_t n_overrides;
    const recon_create_input *overrides;
} recon_open_all_input;

/*
 * recon_open_all -- opens them in one transaction (the caller's when it
 * holds one). PORTAL_OK with *json {"year", "opened": [reconciliation...],
 * "skipped": [{"scheme_id", "reason"}]} (malloc'd). PORTAL_ERR_DENIED (not
 * staff), PORTAL_ERR_INVALID (year or deadline missing, an override for a
 * scheme not opened: /overrides/<i>/scheme_id not_opened, or any scheme's
 * parameters), PORTAL_ERR_TOO_LARGE past RECON_OPEN_ALL_MAX_SCHEMES,
 * PORTAL_ERR_CONFLICT reconciliation_exists when one was opened meanwhile.
 */
PORTAL_MUST_USE portal_result recon_open_all(db_conn *db, const portal_actor *actor,
                                             const recon_open_all_input *in, portal_outcome *o,
                                             char **json);

#endif
