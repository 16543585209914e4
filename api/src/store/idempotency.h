/*
 * store/idempotency.h: the SQL behind Idempotency-Key (table
 * idempotency_keys, migration 0001). The HTTP side is http/idempotency.h.
 *
 * A key is claimed inside the caller's transaction: the insert holds the
 * unique index entry until that transaction ends, so a concurrent request
 * with the same caller and key waits and then sees the stored answer (or
 * claims the key itself when the first transaction rolled back). Keys live
 * STORE_IDEMPOTENCY_TTL_HOURS; an older row may be claimed afresh even
 * before the cleanup job purges it.
 */
#ifndef PORTAL_STORE_IDEMPOTENCY_H
#define PORTAL_STORE_IDEMPOTENCY_H

#include "store/db.h"

#define STORE_IDEMPOTENCY_TTL_HOURS 24
#define STORE_IDEMPOTENCY_HASH_LEN 64            /* hex SHA-256 */
#define STORE_IDEMPOTENCY_MAX_BODY (1024 * 1024) /* stored answer body */
#define STORE_IDEMPOTENCY_MAX_LOCATION 2048

typedef struct {
    char request_hash[STORE_IDEMPOTENCY_HASH_LEN + 1];
    int has_answer;      /* 1 once store_idempotency_save ran and committed */
    int status_code;     /* valid when has_answer */
    char *response_body; /* malloc'd (owned by the row) or NULL */
    char *location;      /* malloc'd (owned by the row) or NULL */
} store_idempotency_row;

/* Claims (caller, key) for request_hash in the caller's open transaction.
 * PORTAL_OK with *claimed = 1 when this transaction now holds the key (a new
 * row, or an expired one taken over), *claimed = 0 when a live row exists
 * (read it with store_idempotency_get). PORTAL_ERR_INVALID for empty
 * arguments; PORTAL_ERR_DATABASE on error (the transaction is then aborted). */
portal_result store_idempotency_claim(db_conn *db, const char *caller, const char *key,
                                      const char *request_hash, int *claimed);

/* Reads the row of (caller, key) into *out (which the caller releases with
 * store_idempotency_row_free, also after an error). PORTAL_ERR_NOT_FOUND
 * when there is none, PORTAL_ERR_TOO_LARGE when the stored body or location
 * passes the caps, PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result store_idempotency_get(db_conn *db, const char *caller, const char *key,
                                    store_idempotency_row *out);

/* Frees the strings of a row and zeroes it; safe on a zeroed row. */
void store_idempotency_row_free(store_idempotency_row *row);

/* Stores the answer (status 100..599, body text or NULL, Location or NULL)
 * on the row claimed in this transaction. PORTAL_ERR_NOT_FOUND when there is
 * no such row, PORTAL_ERR_INVALID for a bad status, PORTAL_ERR_TOO_LARGE past
 * the caps, PORTAL_ERR_DATABASE on error. */
portal_result store_idempotency_save(db_conn *db, const char *caller, const char *key, int status,
                                     const char *body, const char *location);

/* Deletes keys created more than `hours` (>= 1) hours ago, on its own or in
 * the caller's transaction; *deleted (may be NULL) gets the row count.
 * PORTAL_ERR_INVALID for hours < 1, PORTAL_ERR_DATABASE on error. */
portal_result store_idempotency_purge_older_than(db_conn *db, int hours, long long *deleted);

#endif
