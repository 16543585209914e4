/* workflows/reconciliation_duplicates.c: see reconciliation_duplicates.h. */
#include "workflows/reconciliation_duplicates.h"

#include <stdlib.h>
#include <string.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "store/reconciliation_duplicates.h"
#include "workflows/reconciliations.h"
#include "workflows/reconciliations_internal.h"

#define RECON_DUP_CHECKED 1000 /* pairs named at hand-in (the rest only counted) */

/* 1 when the actor sees BSNs in full on the scheme. */
static int recon_dup_full_bsn(db_conn *db, const portal_actor *actor, const recon_head *h)
{
    return !actor->caller ||
           access_scheme(db, actor->caller, h->scheme_id, "participants.bsn") == PORTAL_OK;
}

portal_result recon_duplicates(db_conn *db, const portal_actor *actor, const char *id,
                               portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "participants.read", 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_duplicates_json(db, id, recon_dup_full_bsn(db, actor, &h), json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Checks the two employee ids of a pair into o (fields as named). */
static void recon_dup_check_ids(const char *a, const char *a_field, const char *b,
                                const char *b_field, portal_outcome *o)
{
    if (!a)
        outcome_add_error(o, a_field, "required", NULL);
    else if (!uuid_valid(a))
        outcome_add_error(o, a_field, "invalid_format", NULL);
    if (!b)
        outcome_add_error(o, b_field, "required", NULL);
    else if (!uuid_valid(b))
        outcome_add_error(o, b_field, "invalid_format", NULL);
    if (!o->n_errors && strcmp(a, b) == 0)
        outcome_add_error(o, b_field, "same_employee", NULL);
}

/* Opens (or joins) the transaction, checks access, openness and that a and
 * b are a listed pair. PORTAL_OK with the head in *h and the transaction
 * open; otherwise rolled back and o filled. */
static portal_result recon_dup_begin(db_conn *db, const portal_actor *actor, const char *id,
                                     const char *a, const char *b, const char *field, int *own,
                                     recon_head *h, portal_outcome *o)
{
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (recon_begin(db, own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    int pair = 0;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, h, o);
    if (rc == PORTAL_OK)
        rc = recon_require_open(h, o);
    if (rc == PORTAL_OK) {
        rc = recon_store_duplicate_is_pair(db, id, a, b, &pair);
        if (rc != PORTAL_OK)
            outcome_fail(o, rc, NULL);
    }
    if (rc == PORTAL_OK && !pair) {
        outcome_add_error(o, field, "not_a_duplicate", NULL);
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    if (rc != PORTAL_OK)
        recon_abort(db, *own);
    return rc;
}

portal_result recon_duplicates_merge(db_conn *db, const portal_actor *actor, const char *id,
                                     const char *keep_id, const char *merge_id, portal_outcome *o,
                                     char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_dup_check_ids(keep_id, "/keep_employee_id", merge_id, "/merge_employee_id", o);
    int own = 0;
    recon_head h;
    portal_result rc =
        recon_dup_begin(db, actor, id, keep_id, merge_id, "/merge_employee_id", &own, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_merge(db, keep_id, merge_id);
    if (rc == PORTAL_ERR_TOO_LARGE) {
        recon_abort(db, own);
        outcome_add_error(o, "/merge_employee_id", "too_many_employments", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    if (rc == PORTAL_OK)
        rc = recon_touch_audit(
            db, actor, "reconciliation.employees_merged", &h,
            json_pack("{s:s, s:s}", "kept_employee_id", keep_id, "merged_employee_id", merge_id));
    if (rc == PORTAL_OK)
        rc = recon_store_employee_json(db, id, keep_id, recon_dup_full_bsn(db, actor, &h), json);
    return recon_end_change(db, own, rc, json, o, NULL);
}

portal_result recon_duplicates_dismiss(db_conn *db, const portal_actor *actor, const char *id,
                                       const char *a, const char *b, portal_outcome *o)
{
    outcome_init(o);
    recon_dup_check_ids(a, "/employee_ids/0", b, "/employee_ids/1", o);
    int own = 0;
    recon_head h;
    portal_result rc = recon_dup_begin(db, actor, id, a, b, "/employee_ids", &own, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_duplicate_dismiss(db, id, a, b, recon_user(actor));
    if (rc == PORTAL_OK)
        rc = recon_touch_audit(db, actor, "reconciliation.duplicate_dismissed", &h,
                               json_pack("{s:[s,s]}", "employee_ids", a, b));
    return recon_end_change(db, own, rc, NULL, o, NULL);
}

portal_result recon_duplicates_problems(db_conn *db, const portal_actor *actor, const char *id,
                                        size_t room, portal_outcome *o, json_t **all, size_t *count)
{
    *count = 0;
    recon_duplicate_pair *pairs = calloc(RECON_DUP_CHECKED, sizeof *pairs);
    if (!pairs)
        return PORTAL_ERR_MEMORY;
    size_t n = 0, total = 0;
    portal_result rc = recon_store_duplicate_pairs(db, id, pairs, RECON_DUP_CHECKED, &n, &total);
    if (rc == PORTAL_OK && n && !*all && !(*all = json_array()))
        rc = PORTAL_ERR_MEMORY;
    int en = strcmp(workflow_lang(actor), "en") == 0;
    const char *text = en ? "This employee may be the same person as another employee (same "
                            "BSN, or same name and birth date): merge them, or confirm they "
                            "are two people."
                          : "Deze werknemer is mogelijk dezelfde persoon als een andere "
                            "werknemer (zelfde BSN, of zelfde naam en geboortedatum): voeg ze "
                            "samen, of bevestig dat het twee personen zijn.";
    for (size_t i = 0; rc == PORTAL_OK && i < n && i < room; i++) {
        char pointer[128];
        snprintf(pointer, sizeof pointer, "/employees/%s/duplicate_of", pairs[i].second_id);
        if (o->n_errors < OUTCOME_MAX_ERRORS)
            outcome_add_error(o, pointer, "likely_duplicate", text);
        if (json_array_append_new(*all, json_pack("{s:s, s:s, s:s, s:s}", "field", pointer, "code",
                                                  "likely_duplicate", "message", text,
                                                  "duplicate_of", pairs[i].first_id)) != 0)
            rc = PORTAL_ERR_MEMORY;
    }
    free(pairs);
    if (rc == PORTAL_OK)
        *count = total;
    return rc;
}
