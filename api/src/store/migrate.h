/*
 * store/migrate.h: applies db/migrations/NNNN_name.sql in order.
 *
 * Each file runs in its own transaction together with the row that records
 * it in schema_migrations; a session-level advisory lock makes several
 * instances starting at once apply each file exactly once. A failed file is
 * rolled back whole and reported with its name and PostgreSQL's message.
 */
#ifndef PORTAL_STORE_MIGRATE_H
#define PORTAL_STORE_MIGRATE_H

#include "base/result.h"

/* Applies pending migrations from `dir` to the database at `database_url`.
 * Prints progress and errors to stderr. Returns PORTAL_OK when the schema is
 * current; PORTAL_ERR_DATABASE (nothing of the failed file kept) otherwise. */
portal_result migrate_run(const char *database_url, const char *dir);

#endif
