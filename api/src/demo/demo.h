/*
 * demo/demo.h: the demo data of `portal-api seed-demo` (README "Demo
 * accounts"): the organisations, schemes, mandate and accounts
 * (store/demo.h writes those rows) and, the first time, realistic
 * participants in both demo schemes (demo/participants.h, through the
 * registration and change workflows). Running it twice changes nothing.
 */
#ifndef PORTAL_DEMO_DEMO_H
#define PORTAL_DEMO_DEMO_H

#include "store/demo.h"

#define DEMO_PENSION_PARTICIPANTS 120
#define DEMO_INCOME_PARTICIPANTS 60

/* Seeds everything in the caller's open transaction (the caller commits
 * or rolls back); password_hash is the accounts' argon2id hash. Returns the
 * first failure: PORTAL_ERR_DATABASE, PORTAL_ERR_MEMORY, or
 * PORTAL_ERR_INVALID / PORTAL_ERR_CONFLICT when a drawn participant fact
 * breaks a rule (a defect of the generator). */
portal_result demo_seed_all(db_conn *db, const char *password_hash, demo_result *out);

#endif
