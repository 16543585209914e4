/*
 * store/demo.h: the demo data of `portal-api seed-demo` (README "Demo
 * accounts"): an insurer with a staff user, an employer with a pension and an
 * income scheme and a user per right, and an intermediary office whose
 * administrator acts for the employer under a mandate. Every account is
 * active with the same demo password and enrols its authenticator at the
 * first login. Running it twice changes nothing.
 */
#ifndef PORTAL_STORE_DEMO_H
#define PORTAL_STORE_DEMO_H

#include "base/caller.h"
#include "store/db.h"

#define DEMO_EMPLOYER_KVK "12345678"

typedef struct {
    const char *username;
    const char *first_name;
    const char *last_name;
    const char *email;
    const char *rights; /* PostgreSQL array literal */
} demo_user;

typedef struct {
    char employer_id[PORTAL_ID_LEN];
    char pension_scheme_id[PORTAL_ID_LEN];
    char income_scheme_id[PORTAL_ID_LEN];
    int created; /* 0 when the demo data was there already */
} demo_result;

/* Creates the demo organisations, schemes, mandate and users, the latter
 * with password_hash (argon2id of the demo password). */
portal_result demo_seed(db_conn *db, const char *password_hash, demo_result *out);

/* The demo accounts, NULL-terminated, for the README and the CLI output. */
const demo_user *demo_users(void);

#endif
