/* base/outcome.c: see outcome.h. */
#include "base/outcome.h"

#include <stdio.h>
#include <string.h>

void outcome_init(portal_outcome *o)
{
    memset(o, 0, sizeof *o);
}

portal_result outcome_fail(portal_outcome *o, portal_result rc, const char *code)
{
    o->rc = rc;
    snprintf(o->code, sizeof o->code, "%s", code ? code : "");
    return rc;
}

void outcome_add_error(portal_outcome *o, const char *field, const char *code, const char *message)
{
    if (o->n_errors >= OUTCOME_MAX_ERRORS)
        return;
    outcome_error *e = &o->errors[o->n_errors++];
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    snprintf(e->message, sizeof e->message, "%s", message ? message : "");
}

void outcome_set_detail(portal_outcome *o, const char *detail)
{
    snprintf(o->detail, sizeof o->detail, "%s", detail ? detail : "");
}
