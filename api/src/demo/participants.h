/*
 * demo/participants.h: realistic demo participants for `portal-api
 * seed-demo` and for benchmarks at scale.
 *
 * Fills a scheme with participants drawn deterministically from `seed`:
 * Dutch first names and surnames with tussenvoegsels, addresses with Dutch
 * postal codes, BSNs from bsn_from_seed that pass the 11-proef, salaries and
 * part-time percentages, about one in seven dormant (pension) or ended
 * (income), partners and children in pension schemes, retroactive and
 * future-dated salary changes, and exactly one registration waiting for
 * review per scheme (its start date lies more than three months back).
 *
 * Every fact goes through the registration and change workflows
 * (workflows/participants.h, workflows/changes.h) as the system, registered
 * by kind "batch" with the label "Demo-gegevens", each as if submitted on
 * its effective date (a future one today), so the demo history obeys the
 * same rules and leaves the same history and audit rows as the API.
 */
#ifndef PORTAL_DEMO_PARTICIPANTS_H
#define PORTAL_DEMO_PARTICIPANTS_H

#include "store/db.h"

#define DEMO_PARTICIPANTS_MAX 200000 /* participants one call adds at most */

/* Adds participants to the scheme until it has `count` (so running seed-demo
 * twice adds nothing), in the caller's open transaction (the caller commits
 * or rolls back). PORTAL_ERR_NOT_FOUND for an unknown scheme,
 * PORTAL_ERR_INVALID for a count outside 0..DEMO_PARTICIPANTS_MAX or a drawn
 * fact a rule refuses, PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE. */
portal_result demo_participants_seed(db_conn *db, const char *scheme_id, int count, unsigned seed);

#endif
