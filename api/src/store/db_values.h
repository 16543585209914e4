/*
 * store/db_values.h: the two shapes most store functions end in, written
 * once: a query whose answer is one text value (usually JSON built by
 * PostgreSQL), and a statement whose answer is how many rows it changed.
 * Both run through db_query (prepared once per connection) and follow its
 * failure rules.
 */
#ifndef PORTAL_STORE_DB_VALUES_H
#define PORTAL_STORE_DB_VALUES_H

#include <stddef.h>

#include "base/result.h"
#include "store/db.h"

/* Runs sql and copies the first column of its first row into *out
 * (malloc'd, the caller frees; NULL for an SQL NULL). *out is NULL on every
 * failure: PORTAL_ERR_NOT_FOUND when there is no row, PORTAL_ERR_DATABASE
 * (logged by db_query), PORTAL_ERR_MEMORY. */
portal_result db_query_text(db_conn *c, const char *sql, int nparams, const char *const *params,
                            char **out);

/* Runs sql and copies the first column of its first row into out (size
 * bytes, the caller's; cut to fit, "" for an SQL NULL). out is "" on every
 * failure: PORTAL_ERR_NOT_FOUND when there is no row, PORTAL_ERR_DATABASE. */
portal_result db_query_copy(db_conn *c, const char *sql, int nparams, const char *const *params,
                            char *out, size_t size);

/* Runs a statement and puts the number of rows it inserted, updated or
 * deleted into *affected (0 on failure). PORTAL_ERR_DATABASE on failure. */
portal_result db_exec_count(db_conn *c, const char *sql, int nparams, const char *const *params,
                            long long *affected);

#endif
