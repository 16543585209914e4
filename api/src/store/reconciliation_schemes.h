/*
 * store/reconciliation_schemes.h: the income schemes staff open a year's
 * reconciliations for in one call, with what decides whether each gets one.
 * Runs in the caller's transaction. Failures: PORTAL_ERR_DATABASE,
 * PORTAL_ERR_MEMORY, PORTAL_ERR_TOO_LARGE (more schemes than max).
 */
#ifndef PORTAL_STORE_RECONCILIATION_SCHEMES_H
#define PORTAL_STORE_RECONCILIATION_SCHEMES_H

#include <stddef.h>

#include "base/caller.h"
#include "store/db.h"

/* One income scheme as the bulk opening sees it. */
typedef struct {
    char id[PORTAL_ID_LEN];
    char variant[16]; /* "" when not set */
    int started;      /* the policy started on or before 31 December of the year */
    int has_for_year; /* a reconciliation of that year exists */
} recon_scheme_of_year;

/* Every income scheme (in order of number) into a malloc'd array *out
 * (caller frees) with its count in *n; at most max. */
portal_result recon_store_income_schemes(db_conn *db, int year, size_t max,
                                         recon_scheme_of_year **out, size_t *n);

#endif
