/* store/db_values.c: see db_values.h. */
#include "store/db_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

portal_result db_query_text(db_conn *c, const char *sql, int nparams, const char *const *params,
                            char **out)
{
    *out = NULL;
    PGresult *res = db_query(c, sql, nparams, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_ERR_NOT_FOUND;
    if (PQntuples(res) > 0 && PQnfields(res) > 0) {
        rc = PORTAL_OK;
        if (!PQgetisnull(res, 0, 0)) {
            *out = strdup(PQgetvalue(res, 0, 0));
            rc = *out ? PORTAL_OK : PORTAL_ERR_MEMORY;
        }
    }
    PQclear(res);
    return rc;
}

portal_result db_query_copy(db_conn *c, const char *sql, int nparams, const char *const *params,
                            char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    PGresult *res = db_query(c, sql, nparams, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    portal_result rc = PORTAL_ERR_NOT_FOUND;
    if (PQntuples(res) > 0 && PQnfields(res) > 0) {
        snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
        rc = PORTAL_OK;
    }
    PQclear(res);
    return rc;
}

portal_result db_exec_count(db_conn *c, const char *sql, int nparams, const char *const *params,
                            long long *affected)
{
    *affected = 0;
    PGresult *res = db_query(c, sql, nparams, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *affected = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return PORTAL_OK;
}
