/*
 * store/participants_demo.h: the two queries the demo participant generator
 * (demo/participants.c) needs besides the workflows: how far a scheme is
 * filled, and whether a drawn BSN is free. Both run in the caller's
 * transaction when one is open; the BSN is only a parameter.
 */
#ifndef PORTAL_STORE_PARTICIPANTS_DEMO_H
#define PORTAL_STORE_PARTICIPANTS_DEMO_H

#include "store/db.h"

/* What the generator needs to know of a scheme. */
typedef struct {
    int pension;        /* a pension scheme (else income) */
    int existing;       /* participants it has */
    int pending_review; /* a change of it waits for review */
} participants_demo_scheme;

/* Reads the scheme. PORTAL_ERR_NOT_FOUND, PORTAL_ERR_DATABASE. */
portal_result participants_demo_scheme_get(db_conn *db, const char *scheme_id,
                                           participants_demo_scheme *out);

/* *taken = 1 when a participant of the scheme (not rejected) has the BSN.
 * PORTAL_ERR_DATABASE. */
portal_result participants_demo_bsn_taken(db_conn *db, const char *scheme_id, const char *bsn,
                                          int *taken);

#endif
