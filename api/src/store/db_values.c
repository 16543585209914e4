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

portal_result db_query_text_required(db_conn *c, const char *sql, int nparams,
                                     const char *const *params, char **out)
{
    portal_result rc = db_query_text(c, sql, nparams, params, out);
    return rc == PORTAL_OK && !*out ? PORTAL_ERR_NOT_FOUND : rc;
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

portal_result db_insert_id(db_conn *c, const char *sql, int nparams, const char *const *params,
                           char *out, size_t size)
{
    portal_result rc = db_query_copy(c, sql, nparams, params, out, size);
    return rc == PORTAL_ERR_DATABASE && db_is_unique_violation(c) ? PORTAL_ERR_CONFLICT : rc;
}

portal_result db_exec_one(db_conn *c, const char *sql, int nparams, const char *const *params,
                          portal_result missing)
{
    long long affected = 0;
    if (db_exec_count(c, sql, nparams, params, &affected) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    return affected == 1 ? PORTAL_OK : missing;
}

portal_result db_exec_changed(db_conn *c, const char *sql, int nparams, const char *const *params,
                              int *changed)
{
    long long affected = 0;
    portal_result rc = db_exec_count(c, sql, nparams, params, &affected);
    *changed = affected == 1;
    return rc;
}

portal_result db_query_row(db_conn *c, const char *sql, int nparams, const char *const *params,
                           portal_result missing, PGresult **res)
{
    *res = db_query(c, sql, nparams, params);
    if (!*res)
        return PORTAL_ERR_DATABASE;
    if (PQntuples(*res) != 1) {
        PQclear(*res);
        *res = NULL;
        return missing;
    }
    return PORTAL_OK;
}

portal_result db_query_found(db_conn *c, const char *sql, int nparams, const char *const *params,
                             int *found)
{
    *found = 0;
    PGresult *res = db_query(c, sql, nparams, params);
    if (!res)
        return PORTAL_ERR_DATABASE;
    *found = PQntuples(res) == 1;
    PQclear(res);
    return PORTAL_OK;
}

portal_result db_query_flag(db_conn *c, const char *sql, int nparams, const char *const *params,
                            int *flag)
{
    char v[8];
    portal_result rc = db_query_copy(c, sql, nparams, params, v, sizeof v);
    *flag = v[0] == 't';
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_OK : rc;
}

portal_result db_query_long(db_conn *c, const char *sql, int nparams, const char *const *params,
                            long long *out)
{
    char v[32];
    portal_result rc = db_query_copy(c, sql, nparams, params, v, sizeof v);
    *out = strtoll(v, NULL, 10);
    return rc == PORTAL_ERR_NOT_FOUND ? PORTAL_OK : rc;
}

portal_result db_query_int(db_conn *c, const char *sql, int nparams, const char *const *params,
                           int *out)
{
    long long n = 0;
    portal_result rc = db_query_long(c, sql, nparams, params, &n);
    *out = (int)n;
    return rc;
}

portal_result db_exec_id(db_conn *c, const char *sql, long long id)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", id);
    const char *params[] = {text};
    return db_exec(c, sql, 1, params);
}

void db_copy_value(char *out, size_t size, const PGresult *res, int row, int col)
{
    snprintf(out, size, "%s", PQgetvalue(res, row, col));
}

char *db_dup_value(const PGresult *res, int row, int col, int *ok)
{
    if (PQgetisnull(res, row, col))
        return NULL;
    char *s = strdup(PQgetvalue(res, row, col));
    if (!s)
        *ok = 0;
    return s;
}

portal_result db_chunk_write(db_conn *c, const char *sql, const char *id, int seq, const char *data,
                             size_t len)
{
    char seqs[16];
    snprintf(seqs, sizeof seqs, "%d", seq);
    const char *values[] = {id, seqs, data};
    const int lengths[] = {0, 0, (int)len};
    const int formats[] = {0, 0, 1};
    PGresult *res = PQexecParams(db_pg(c), sql, 3, NULL, values, lengths, formats, 0);
    portal_result rc =
        res && PQresultStatus(res) == PGRES_COMMAND_OK ? PORTAL_OK : PORTAL_ERR_DATABASE;
    PQclear(res);
    return rc;
}

portal_result db_chunk_read(db_conn *c, const char *sql, const char *id, int seq, char **data,
                            size_t *len)
{
    char seqs[16];
    snprintf(seqs, sizeof seqs, "%d", seq);
    const char *values[] = {id, seqs};
    *data = NULL;
    *len = 0;
    PGresult *res = PQexecParams(db_pg(c), sql, 2, NULL, values, NULL, NULL, 1);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        return PORTAL_ERR_DATABASE;
    }
    portal_result rc = PORTAL_ERR_NOT_FOUND;
    if (PQntuples(res) == 1) {
        size_t n = (size_t)PQgetlength(res, 0, 0);
        *data = malloc(n ? n : 1);
        rc = *data ? PORTAL_OK : PORTAL_ERR_MEMORY;
        if (*data) {
            memcpy(*data, PQgetvalue(res, 0, 0), n);
            *len = n;
        }
    }
    PQclear(res);
    return rc;
}
