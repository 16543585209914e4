/*
 * store/participants_demo.h: realistic demo participants for `portal-api
 * seed-demo` and for benchmarks at scale (issue 5 "Demo data").
 *
 * Fills a scheme with participants drawn deterministically from `seed`:
 * Dutch first names and surnames with tussenvoegsels, addresses with Dutch
 * postal codes, BSNs from bsn_from_seed that pass the 11-proef, salaries and
 * part-time percentages, about one in seven dormant (pension) or ended
 * (income), partners and children in pension schemes, retroactive and
 * future-dated salary changes, and exactly one registration waiting for
 * review per scheme (its start date lies more than three months back). Every
 * fact goes through the same tables and rebuild as the API, registered by
 * kind "batch" with the label "Demo-gegevens", with dates relative to today
 * in Europe/Amsterdam.
 */
#ifndef PORTAL_STORE_PARTICIPANTS_DEMO_H
#define PORTAL_STORE_PARTICIPANTS_DEMO_H

#include "store/db.h"

#define PARTICIPANTS_DEMO_MAX 200000 /* participants one call adds at most */

/* Adds participants to the scheme until it has `count` (so running seed-demo
 * twice adds nothing): inside the caller's transaction when one is open
 * (the caller then commits or rolls back), else in one of its own. The scheme
 * must exist (in that transaction); scheme_id must be UUID-shaped.
 * PORTAL_ERR_NOT_FOUND for an unknown scheme, PORTAL_ERR_INVALID for a count
 * outside 0..PARTICIPANTS_DEMO_MAX, PORTAL_ERR_MEMORY, PORTAL_ERR_DATABASE
 * (with its own transaction nothing is kept then). */
portal_result participants_seed_demo(db_conn *db, const char *scheme_id, int count, unsigned seed);

#endif
