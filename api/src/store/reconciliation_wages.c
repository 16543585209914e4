/* store/reconciliation_wages.c: see reconciliation_wages.h. */
#include "store/reconciliation_wages.h"

#include <stdlib.h>
#include <string.h>

portal_result recon_store_wages_unknown(db_conn *db, const char *id, const char *bsns,
                                        char **unknown)
{
    *unknown = NULL;
    const char *p[] = {id, bsns};
    PGresult *res = db_query(db,
                             "SELECT coalesce(array_agg(b), '{}')::text FROM unnest($2::text[]) b"
                             " WHERE NOT EXISTS (SELECT 1 FROM reconciliation_employees e"
                             " WHERE e.reconciliation_id = $1::uuid AND e.bsn = b)",
                             2, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *unknown = strdup(PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "{}");
    PQclear(res);
    return *unknown ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

portal_result recon_store_wages_apply(db_conn *db, const char *id, const char *bsns,
                                      const char *wages, long long *updated)
{
    *updated = 0;
    const char *p[] = {id, bsns, wages};
    PGresult *res =
        db_query(db,
                 "WITH u AS (UPDATE reconciliation_employees e SET insured_wage = w.wage"
                 " FROM unnest($2::text[], $3::numeric[]) AS w (bsn, wage)"
                 " WHERE e.reconciliation_id = $1::uuid AND e.bsn = w.bsn"
                 " RETURNING 1) SELECT count(*) FROM u",
                 3, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(res) == 1)
        *updated = atoll(PQgetvalue(res, 0, 0));
    PQclear(res);
    return PORTAL_OK;
}
