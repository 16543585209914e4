/* demo/demo.c: see demo.h. */
#include "demo/demo.h"

#include "demo/participants.h"

portal_result demo_seed_all(db_conn *db, const char *password_hash, demo_result *out)
{
    portal_result rc = demo_seed(db, password_hash, out);
    if (rc == PORTAL_OK && out->created)
        rc = demo_participants_seed(db, out->pension_scheme_id, DEMO_PENSION_PARTICIPANTS, 2001);
    if (rc == PORTAL_OK && out->created)
        rc = demo_participants_seed(db, out->income_scheme_id, DEMO_INCOME_PARTICIPANTS, 3001);
    return rc;
}
