/*
 * store/reconciliation_duplicates.h: the SQL of likely duplicate employees
 * in a reconciliation (seed 002 §16, migration 0017): the pairs with the
 * same BSN or the same name (surname with prefix and initials, letters and
 * digits only, case ignored) and birth date, the pairs the employer
 * declared distinct, and merging one employee into another.
 *
 * Access decisions are the caller's (workflows/reconciliation_duplicates.c).
 * Every function runs in the caller's transaction when one is open.
 * Failures: PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY, PORTAL_ERR_NOT_FOUND and
 * PORTAL_ERR_TOO_LARGE as each says.
 */
#ifndef PORTAL_STORE_RECONCILIATION_DUPLICATES_H
#define PORTAL_STORE_RECONCILIATION_DUPLICATES_H

#include <stddef.h>

#include "base/caller.h"
#include "store/db.h"

#define RECON_DUPLICATES_LISTED 500 /* pairs in one list answer */

/* One likely pair, in order of entry (first entered first). */
typedef struct {
    char first_id[PORTAL_ID_LEN];
    char second_id[PORTAL_ID_LEN];
    int same_bsn; /* else same name and birth date */
} recon_duplicate_pair;

/* The pairs of reconciliation id not dismissed as JSON object text
 * {"items": [{"reason", "employees": [a, b]}], "total": n} (at most
 * RECON_DUPLICATES_LISTED items; BSNs in full when full_bsn). */
portal_result recon_store_duplicates_json(db_conn *db, const char *id, int full_bsn, char **json);

/* The first max pairs not dismissed into out, their count in *n and the
 * number of all of them in *total. */
portal_result recon_store_duplicate_pairs(db_conn *db, const char *id, recon_duplicate_pair *out,
                                          size_t max, size_t *n, size_t *total);

/* *is_pair = 1 when employees a and b of reconciliation id are a likely
 * pair (dismissed or not); 0 otherwise, also when either is not one of its
 * employees. */
portal_result recon_store_duplicate_is_pair(db_conn *db, const char *id, const char *a,
                                            const char *b, int *is_pair);

/* Records that a and b are two people (kept once; repeating is no error). */
portal_result recon_store_duplicate_dismiss(db_conn *db, const char *id, const char *a,
                                            const char *b, const char *user_id);

/*
 * recon_store_merge -- moves employee `other` into `keep`: the employments
 * of both, an identical one kept once, in order of start (more than
 * RECON_STORE_MAX_EMPLOYMENTS: PORTAL_ERR_TOO_LARGE and nothing changed);
 * the insured wage becomes the sum (NULL when neither has one); the sick
 * reports move; the participant link is kept, else taken over; left_service
 * stays only when both had left; then `other` is deleted.
 */
portal_result recon_store_merge(db_conn *db, const char *keep, const char *other);

#endif
