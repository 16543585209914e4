/*
 * store/reconciliation_wages.h: the SQL of a wage file applied to a
 * reconciliation: which BSNs of the file are no employees of it, and
 * setting every wage of the file in one statement.
 *
 * The caller passes the BSNs and wages as PostgreSQL array literals it
 * built from checked values (nine digits; canonical decimals), so nothing
 * needs quoting. Runs in the caller's open transaction. Failures:
 * PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY.
 */
#ifndef PORTAL_STORE_RECONCILIATION_WAGES_H
#define PORTAL_STORE_RECONCILIATION_WAGES_H

#include "store/db.h"

/* The BSNs of the array literal bsns ("{...}") that are no employee of
 * reconciliation id, as a malloc'd array literal in *unknown (caller
 * frees; "{}" when all are known). */
portal_result recon_store_wages_unknown(db_conn *db, const char *id, const char *bsns,
                                        char **unknown);

/* Sets the insured wage of each employee whose BSN is bsns[i] to wages[i]
 * (array literals of equal length); *updated gets the rows changed. */
portal_result recon_store_wages_apply(db_conn *db, const char *id, const char *bsns,
                                      const char *wages, long long *updated);

#endif
