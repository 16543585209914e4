/*
 * workflows/reconciliations_prefill.h: the naverrekening's pre-fill from
 * the payroll sync (DESIGN.md §4.6, §4.7). When a reconciliation is opened
 * and its scheme's payroll software sent periods of that year, the
 * employees, their employments and their insured wages (the sum of the
 * year's period wages) come from those snapshots, so a syncing employer
 * only checks and hands in.
 */
#ifndef PORTAL_WORKFLOWS_RECONCILIATIONS_PREFILL_H
#define PORTAL_WORKFLOWS_RECONCILIATIONS_PREFILL_H

#include "store/db.h"

/*
 * recon_prefill_payroll -- runs in the caller's transaction, after the
 * pre-fill from participants (store/reconciliations.h recon_store_prefill)
 * of reconciliation id: adds the employees only the snapshots know, gives
 * employments to employees without any, and sets every insured wage still
 * empty from the year's snapshots (payroll_store_prefill_reconciliation).
 * Without snapshots it changes nothing. PORTAL_ERR_DATABASE: the caller
 * rolls back.
 */
PORTAL_MUST_USE portal_result recon_prefill_payroll(db_conn *db, const char *id);

#endif
