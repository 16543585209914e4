/* store/reconciliation_schemes.c: see reconciliation_schemes.h. */
#include "store/reconciliation_schemes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

portal_result recon_store_income_schemes(db_conn *db, int year, size_t max,
                                         recon_scheme_of_year **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *p[] = {y};
    PGresult *res = db_query(db,
                             "SELECT s.id, coalesce(s.variant, ''),"
                             " s.start_date <= make_date($1::int, 12, 31),"
                             " EXISTS (SELECT 1 FROM reconciliations r WHERE r.scheme_id = s.id"
                             " AND r.year = $1::int)"
                             " FROM schemes s JOIN organisations o ON o.id = s.organisation_id"
                             " WHERE s.kind = 'income' AND o.kind = 'employer'"
                             " ORDER BY s.number FOR SHARE OF s",
                             1, p);
    if (!res)
        return PORTAL_ERR_DATABASE;
    size_t rows = (size_t)PQntuples(res);
    if (rows > max) {
        PQclear(res);
        return PORTAL_ERR_TOO_LARGE;
    }
    recon_scheme_of_year *list = calloc(rows ? rows : 1, sizeof *list);
    if (!list) {
        PQclear(res);
        return PORTAL_ERR_MEMORY;
    }
    for (size_t i = 0; i < rows; i++) {
        snprintf(list[i].id, sizeof list[i].id, "%s", PQgetvalue(res, (int)i, 0));
        snprintf(list[i].variant, sizeof list[i].variant, "%s", PQgetvalue(res, (int)i, 1));
        list[i].started = PQgetvalue(res, (int)i, 2)[0] == 't';
        list[i].has_for_year = PQgetvalue(res, (int)i, 3)[0] == 't';
    }
    PQclear(res);
    *out = list;
    *n = rows;
    return PORTAL_OK;
}
