/* store/participants_demo.c: see participants_demo.h. */
#include "store/participants_demo.h"
#include "store/db_values.h"

#include <stdlib.h>
#include <string.h>

portal_result participants_demo_scheme_get(db_conn *db, const char *scheme_id,
                                           participants_demo_scheme *out)
{
    memset(out, 0, sizeof *out);
    const char *params[] = {scheme_id};
    PGresult *res =
        db_query(db,
                 "SELECT s.kind, (SELECT count(*) FROM participants p WHERE p.scheme_id = s.id),"
                 " EXISTS (SELECT 1 FROM participant_changes c WHERE c.scheme_id = s.id"
                 "   AND c.status = 'pending_review')"
                 " FROM schemes s WHERE s.id = $1::uuid",
                 1, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_ERR_NOT_FOUND;
    if (PQntuples(res) == 1) {
        out->pension = strcmp(PQgetvalue(res, 0, 0), "pension") == 0;
        out->existing = atoi(PQgetvalue(res, 0, 1));
        out->pending_review = PQgetvalue(res, 0, 2)[0] == 't';
        rc = PORTAL_OK;
    }
    PQclear(res);
    return rc;
}

portal_result participants_demo_bsn_taken(db_conn *db, const char *scheme_id, const char *bsn,
                                          int *taken)
{
    const char *params[] = {scheme_id, bsn};
    return db_query_flag(db,
                         "SELECT EXISTS (SELECT 1 FROM participants WHERE scheme_id ="
                         " $1::uuid AND bsn = $2 AND rejected_at IS NULL)",
                         2, params, taken);
}
