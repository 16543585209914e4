/*
 * store/db_values.h: the shapes most store functions end in, written once:
 * a query whose answer is one row or one value (text, usually JSON built by
 * PostgreSQL, a number or a yes/no), and a statement whose answer is how
 * many rows it changed. All run through db_query (prepared once per
 * connection) and follow its failure rules.
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

/* Like db_query_text, but the value must be there: no row and an SQL NULL
 * are both PORTAL_ERR_NOT_FOUND (*out NULL). */
portal_result db_query_text_required(db_conn *c, const char *sql, int nparams,
                                     const char *const *params, char **out);

/* Runs sql and copies the first column of its first row into out (size
 * bytes, the caller's; cut to fit, "" for an SQL NULL). out is "" on every
 * failure: PORTAL_ERR_NOT_FOUND when there is no row, PORTAL_ERR_DATABASE. */
portal_result db_query_copy(db_conn *c, const char *sql, int nparams, const char *const *params,
                            char *out, size_t size);

/* Runs a statement and puts the number of rows it inserted, updated or
 * deleted into *affected (0 on failure). PORTAL_ERR_DATABASE on failure. */
portal_result db_exec_count(db_conn *c, const char *sql, int nparams, const char *const *params,
                            long long *affected);

/* Runs an INSERT ... RETURNING id and copies the new row's id into out
 * (size bytes, the caller's; "" on failure): PORTAL_ERR_CONFLICT when the
 * row breaks a unique constraint, PORTAL_ERR_DATABASE for any other
 * failure (logged by db_query). */
portal_result db_insert_id(db_conn *c, const char *sql, int nparams, const char *const *params,
                           char *out, size_t size);

/* Runs a statement that must change exactly one row: PORTAL_OK when it
 * did, `missing` when it changed none or more, PORTAL_ERR_DATABASE when it
 * failed (logged by db_query). */
portal_result db_exec_one(db_conn *c, const char *sql, int nparams, const char *const *params,
                          portal_result missing);

/* Runs a statement and sets *changed to 1 when it changed exactly one row,
 * else 0 (also on failure). PORTAL_OK, or PORTAL_ERR_DATABASE. */
portal_result db_exec_changed(db_conn *c, const char *sql, int nparams, const char *const *params,
                              int *changed);

/* Runs sql and hands its answer to the caller when it is exactly one row:
 * PORTAL_OK with *res set (the caller PQclear()s it). Otherwise *res is
 * NULL: `missing` when there was no row or more than one,
 * PORTAL_ERR_DATABASE when the query failed (logged by db_query). */
portal_result db_query_row(db_conn *c, const char *sql, int nparams, const char *const *params,
                           portal_result missing, PGresult **res);

/* Runs sql and sets *found to 1 when its answer is exactly one row, else 0
 * (also on failure). PORTAL_OK, or PORTAL_ERR_DATABASE. */
portal_result db_query_found(db_conn *c, const char *sql, int nparams, const char *const *params,
                             int *found);

/* Runs sql and sets *flag to 1 when the first column of its first row is
 * true, else 0 (no row, NULL, false, failure). PORTAL_OK, or
 * PORTAL_ERR_DATABASE. */
portal_result db_query_flag(db_conn *c, const char *sql, int nparams, const char *const *params,
                            int *flag);

/* Runs sql and reads the first column of its first row as a whole number
 * into *out (0 when there is no row, for an SQL NULL and on failure).
 * PORTAL_OK, or PORTAL_ERR_DATABASE. db_query_int is the same for an int. */
portal_result db_query_long(db_conn *c, const char *sql, int nparams, const char *const *params,
                            long long *out);
portal_result db_query_int(db_conn *c, const char *sql, int nparams, const char *const *params,
                           int *out);

/* Runs a statement whose one parameter is the whole number id (a job or
 * message id), formatted here. Same result as db_exec. */
portal_result db_exec_id(db_conn *c, const char *sql, long long id);

/* Copies column col of row `row` of res into out (size bytes, the
 * caller's; cut to fit, "" for an SQL NULL). */
void db_copy_value(char *out, size_t size, const PGresult *res, int row, int col);

/* Duplicates column col of row `row` of res (malloc'd, the caller frees),
 * or NULL for an SQL NULL; clears *ok when memory runs out. */
char *db_dup_value(const PGresult *res, int row, int col, int *ok);

/* Chunked bytes (exports, blobs): sql takes $1 the owner's id, $2 the
 * chunk's number and, for a write, $3 the bytes (bytea, sent as binary).
 * db_chunk_write runs the INSERT of len bytes at data (borrowed);
 * PORTAL_ERR_DATABASE on failure. db_chunk_read runs the SELECT of the
 * chunk's bytes and copies them into *data (malloc'd, the caller frees; at
 * least one byte allocated) and *len: PORTAL_ERR_NOT_FOUND without exactly
 * one row, PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY (*data NULL and *len 0
 * on every failure). Both run outside db_query's prepared statements. */
portal_result db_chunk_write(db_conn *c, const char *sql, const char *id, int seq, const char *data,
                             size_t len);
portal_result db_chunk_read(db_conn *c, const char *sql, const char *id, int seq, char **data,
                            size_t *len);

#endif
