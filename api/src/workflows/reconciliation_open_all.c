/* workflows/reconciliation_open_all.c: see reconciliation_open_all.h. */
#include "workflows/reconciliation_open_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/reconciliation_schemes.h"
#include "workflows/reconciliations_internal.h"

/* The override for scheme_id, or NULL. */
static const recon_create_input *recon_all_override(const recon_open_all_input *in,
                                                    const char *scheme_id, size_t *index)
{
    for (size_t i = 0; i < in->n_overrides; i++)
        if (in->overrides[i].scheme_id && strcmp(in->overrides[i].scheme_id, scheme_id) == 0) {
            *index = i;
            return &in->overrides[i];
        }
    return NULL;
}

/* The parameters for one scheme: the common ones with the override's on
 * top. */
static recon_create_input recon_all_params(const recon_open_all_input *in,
                                           const recon_create_input *over, const char *scheme_id)
{
    recon_create_input c = in->common;
    c.scheme_id = scheme_id;
    if (!over)
        return c;
#define RECON_ALL_TAKE(member)                                                                     \
    if (over->member)                                                                              \
    c.member = over->member
    RECON_ALL_TAKE(premium_rate);
    RECON_ALL_TAKE(provisional_premium);
    RECON_ALL_TAKE(wage_cap);
    RECON_ALL_TAKE(own_risk_percentage);
    RECON_ALL_TAKE(own_risk_amount);
    RECON_ALL_TAKE(continued_pay_percentage);
    RECON_ALL_TAKE(maximum_reimbursement);
    RECON_ALL_TAKE(deadline);
#undef RECON_ALL_TAKE
    return c;
}

/* Why a scheme is skipped, or NULL when it is opened. */
static const char *recon_all_skip(const recon_scheme_of_year *s)
{
    if (s->has_for_year)
        return "exists";
    if (!s->started)
        return "not_started";
    if (!s->variant[0])
        return "variant_missing";
    return NULL;
}

/* Opens one scheme's reconciliation into opened; its parameter problems
 * go to o under /schemes/<id>. PORTAL_OK also when only problems were
 * found (o->n_errors tells). */
static portal_result recon_all_open_one(db_conn *db, const portal_actor *actor,
                                        const recon_create_input *c, json_t *opened,
                                        portal_outcome *o)
{
    portal_outcome one;
    char *json = NULL;
    portal_result rc = recon_create(db, actor, c, &one, &json);
    if (rc == PORTAL_ERR_INVALID) {
        for (int i = 0; i < one.n_errors; i++) {
            char field[160];
            snprintf(field, sizeof field, "/schemes/%s%s", c->scheme_id, one.errors[i].field);
            outcome_add_error(o, field, one.errors[i].code,
                              one.errors[i].message[0] ? one.errors[i].message : NULL);
        }
        if (!one.n_errors)
            outcome_add_error(o, "/schemes", "invalid_value", NULL);
        return PORTAL_OK;
    }
    if (rc != PORTAL_OK) {
        *o = one;
        return rc;
    }
    json_t *doc = json_loads(json, 0, NULL);
    free(json);
    return doc && json_array_append_new(opened, doc) == 0 ? PORTAL_OK : PORTAL_ERR_MEMORY;
}

/* Opens every scheme of the list that is not skipped; fills the answer. */
static portal_result recon_all_each(db_conn *db, const portal_actor *actor,
                                    const recon_open_all_input *in, const recon_scheme_of_year *s,
                                    size_t n, json_t *answer, portal_outcome *o)
{
    json_t *opened = json_object_get(answer, "opened");
    json_t *skipped = json_object_get(answer, "skipped");
    char *used = calloc(in->n_overrides + 1, 1);
    if (!used)
        return PORTAL_ERR_MEMORY;
    portal_result rc = PORTAL_OK;
    for (size_t i = 0; rc == PORTAL_OK && i < n; i++) {
        size_t at = 0;
        const recon_create_input *over = recon_all_override(in, s[i].id, &at);
        const char *reason = recon_all_skip(&s[i]);
        if (reason) {
            rc = json_array_append_new(
                     skipped, json_pack("{s:s, s:s}", "scheme_id", s[i].id, "reason", reason)) == 0
                     ? PORTAL_OK
                     : PORTAL_ERR_MEMORY;
            continue;
        }
        if (over)
            used[at] = 1;
        recon_create_input c = recon_all_params(in, over, s[i].id);
        rc = recon_all_open_one(db, actor, &c, opened, o);
    }
    for (size_t i = 0; rc == PORTAL_OK && i < in->n_overrides; i++)
        if (!used[i]) {
            char field[48];
            snprintf(field, sizeof field, "/overrides/%zu/scheme_id", i);
            outcome_add_error(o, field, "not_opened", NULL);
        }
    free(used);
    return rc;
}

portal_result recon_open_all(db_conn *db, const portal_actor *actor, const recon_open_all_input *in,
                             portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (!recon_is_staff(actor))
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    if (!in->common.year)
        outcome_add_error(o, "/year", "required", NULL);
    if (!in->common.deadline)
        outcome_add_error(o, "/deadline", "required", NULL);
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_scheme_of_year *schemes = NULL;
    size_t n = 0;
    json_t *answer = json_pack("{s:i, s:[], s:[]}", "year", in->common.year, "opened", "skipped");
    portal_result rc = answer ? recon_store_income_schemes(db, in->common.year,
                                                           RECON_OPEN_ALL_MAX_SCHEMES, &schemes, &n)
                              : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = recon_all_each(db, actor, in, schemes, n, answer, o);
    free(schemes);
    if (rc == PORTAL_OK && o->n_errors)
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc == PORTAL_OK && !(*json = json_dumps(answer, JSON_COMPACT)))
        rc = PORTAL_ERR_MEMORY;
    json_decref(answer);
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return o->rc != PORTAL_OK ? o->rc : outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}
