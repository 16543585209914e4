/* workflows/reconciliations_prefill.c: see reconciliations_prefill.h. */
#include "workflows/reconciliations_prefill.h"

#include "base/log.h"
#include "store/payroll_periods.h"

portal_result recon_prefill_payroll(db_conn *db, const char *id)
{
    long rows = 0;
    portal_result rc = payroll_store_prefill_reconciliation(db, id, &rows);
    if (rc == PORTAL_OK && rows > 0)
        log_info("event=reconciliation_prefilled_from_payroll reconciliation=%s employees=%ld", id,
                 rows);
    return rc;
}
