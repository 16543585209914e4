/* workflows/reconciliations.c: see reconciliations.h. Owns the helpers every reconciliation use
 * case shares (transaction, audit, access, input checks) and creating, listing and showing a
 * reconciliation. */
#include "workflows/reconciliations.h"
#include "workflows/reconciliations_internal.h"
#include "workflows/reconciliations_prefill.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "auth/access.h"
#include "base/log.h"
#include "base/uuid.h"
#include "domain/bsn.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "domain/wage_caps.h"
#include "formats/recon_specification.h"
#include "store/audit.h"
#include "store/blob_storage.h"
#include "store/documents.h"
#include "store/jobs.h"
#include "store/notifications.h"

/* Opens a transaction unless the caller holds one (*own tells which):
 * a resource that stores an idempotent answer or checks If-Match runs the
 * use case inside its own transaction and commits it itself. */
portal_result recon_begin(db_conn *db, int *own)
{
    *own = !recon_store_in_transaction(db);
    return *own ? db_begin(db) : PORTAL_OK;
}

/* Commits a transaction this use case opened. */
portal_result recon_commit(db_conn *db, int own)
{
    return own ? db_commit(db) : PORTAL_OK;
}

/* Rolls back a transaction this use case opened (the caller's is the
 * caller's to end). */
void recon_abort(db_conn *db, int own)
{
    if (own)
        db_rollback(db);
}

portal_result recon_open_change(db_conn *db, const portal_actor *actor, const char *id,
                                recon_head *h, int *own, portal_outcome *o)
{
    if (recon_begin(db, own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, h, o);
    if (rc == PORTAL_OK)
        rc = recon_require_open(h, o);
    if (rc == PORTAL_OK && o->n_errors)
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc != PORTAL_OK)
        recon_abort(db, *own);
    return rc;
}

portal_result recon_end_change(db_conn *db, int own, portal_result rc, char **json,
                               portal_outcome *o, const char *code)
{
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    recon_abort(db, own);
    if (json) {
        free(*json);
        *json = NULL;
    }
    return outcome_fail(o, rc, code);
}

portal_result recon_touch_audit(db_conn *db, const portal_actor *actor, const char *action,
                                const recon_head *h, json_t *changes)
{
    portal_result rc = changes ? recon_store_touch(db, h->id) : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = recon_audit(db, actor, action, h, changes);
    json_decref(changes);
    return rc;
}

/* Records an audit event in the employer's log (changes borrowed). */
portal_result recon_audit(db_conn *db, const portal_actor *actor, const char *action,
                          const recon_head *h, json_t *changes)
{
    const portal_caller *c = actor ? actor->caller : NULL;
    audit_entry e;
    memset(&e, 0, sizeof e);
    if (c && c->kind == CALLER_SESSION) {
        e.actor_user_id = c->user_id;
        e.actor_label = caller_has_right(c, "staff") ? "staff" : "user";
    } else if (c && c->kind == CALLER_API_TOKEN) {
        e.actor_user_id = c->user_id;
        e.actor_token_id = c->token_id;
        e.actor_label = "api_token";
    } else {
        e.actor_label = "system";
    }
    e.organisation_id = h->organisation_id;
    e.action = action;
    e.target_type = "reconciliation";
    e.target_id = h->id;
    e.request_id = actor ? actor->request_id : NULL;
    e.client_address = actor ? actor->client_address : NULL;
    e.changes = changes;
    return audit_record(db, &e);
}

/* The signed-in user's id, or NULL (API tokens and the system). */
const char *recon_user(const portal_actor *actor)
{
    const portal_caller *c = actor->caller;
    return c && c->kind == CALLER_SESSION ? c->user_id : NULL;
}

/* 1 when the actor is insurer staff (may open and reopen). */
int recon_is_staff(const portal_actor *actor)
{
    return actor->caller && access_can(actor->caller, "schemes.manage");
}

/*
 * recon_access -- loads the head of reconciliation id (locked FOR UPDATE
 * when lock) and checks capability on its scheme: PORTAL_ERR_NOT_FOUND when
 * absent or invisible, PORTAL_ERR_DENIED when visible without it, recorded
 * in o. A NULL caller (a job) passes.
 */
portal_result recon_access(db_conn *db, const portal_actor *actor, const char *id,
                           const char *capability, int lock, recon_head *h, portal_outcome *o)
{
    if (!id || !uuid_valid(id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    portal_result rc = recon_store_head(db, id, lock, h);
    if (rc == PORTAL_OK && actor->caller)
        rc = access_scheme(db, actor->caller, h->scheme_id, "reconciliation.read");
    if (rc == PORTAL_OK && actor->caller && capability)
        rc = access_scheme(db, actor->caller, h->scheme_id, capability);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* 409 reconciliation_submitted unless the reconciliation is open. */
portal_result recon_require_open(const recon_head *h, portal_outcome *o)
{
    return strcmp(h->status, "open") == 0
               ? PORTAL_OK
               : outcome_fail(o, PORTAL_ERR_CONFLICT, "reconciliation_submitted");
}

/* Checks a decimal field: absent and required gives "required", a value
 * that does not parse by spec "invalid_format"; *out gets the value. */
void recon_check_decimal(portal_outcome *o, const char *field, const char *text, int required,
                         const decimal_spec *spec, int64_t *out)
{
    *out = 0;
    if (!text) {
        if (required)
            outcome_add_error(o, field, "required", NULL);
        return;
    }
    if (decimal_parse(text, spec, out) != PORTAL_OK)
        outcome_add_error(o, field, "invalid_format", NULL);
}

/* Checks a date field the same way. */
void recon_check_date(portal_outcome *o, const char *field, const char *text, int required,
                      civil_date *out)
{
    memset(out, 0, sizeof *out);
    if (!text) {
        if (required)
            outcome_add_error(o, field, "required", NULL);
        return;
    }
    if (civil_date_parse(text, out) != PORTAL_OK)
        outcome_add_error(o, field, "date_invalid", NULL);
}

/* The description of a rule in the actor's language. */
const char *recon_rule_text(const portal_actor *actor, const recon_rules_definition *d)
{
    return strcmp(workflow_lang(actor), "en") == 0 ? d->description_en : d->description_nl;
}

/* The JSON Pointer of a problem with employee and report indexes replaced
 * by their ids (l may be NULL for parameter problems only). */
void recon_pointer(const recon_rules_problem *p, const recon_loaded *l, char *out, size_t size)
{
    switch (p->place) {
    case RECON_RULES_AT_EMPLOYEE:
        snprintf(out, size, "/employees/%s/%s",
                 l && p->employee_index < l->n_employees ? l->employee_ids[p->employee_index] : "",
                 p->field);
        break;
    case RECON_RULES_AT_EMPLOYMENT:
        snprintf(out, size, "/employees/%s/employments/%zu/%s",
                 l && p->employee_index < l->n_employees ? l->employee_ids[p->employee_index] : "",
                 p->employment_index, p->field);
        break;
    case RECON_RULES_AT_SICK_REPORT:
        snprintf(out, size, "/sick_reports/%s/%s",
                 l && p->report_index < l->n_reports ? l->report_ids[p->report_index] : "",
                 p->field);
        break;
    case RECON_RULES_AT_PARAMETERS:
    default:
        snprintf(out, size, "/%s", p->field);
        break;
    }
}

/* Checks the create input; fills params for the rules. */
static void recon_check_create(const recon_create_input *in, const recon_scheme_facts *s,
                               recon_rules_parameters *pp, portal_outcome *o)
{
    memset(pp, 0, sizeof *pp);
    civil_date deadline;
    recon_check_date(o, "/deadline", in->deadline, 1, &deadline);
    if (!in->year)
        outcome_add_error(o, "/year", "required", NULL);
    pp->year = in->year;
    recon_check_decimal(o, "/premium_rate", in->premium_rate, 1, &decimal_spec_percentage,
                        &pp->premium_rate);
    recon_check_decimal(o, "/provisional_premium", in->provisional_premium, 1, &decimal_spec_salary,
                        &pp->provisional_premium);
    if (in->wage_cap)
        recon_check_decimal(o, "/wage_cap", in->wage_cap, 1, &decimal_spec_salary, &pp->wage_cap);
    else if (in->year && wage_cap_for_year(in->year, &pp->wage_cap) != PORTAL_OK)
        outcome_add_error(o, "/wage_cap", "wage_cap_unknown", NULL);
    if (civil_date_parse(s->start_date, &pp->policy_start) != PORTAL_OK)
        outcome_add_error(o, "/scheme_id", "policy_start_missing", NULL);
    if (recon_rules_variant_parse(s->variant, &pp->variant) != PORTAL_OK) {
        outcome_add_error(o, "/scheme_id", "scheme_variant_missing", NULL);
        return;
    }
    if (pp->variant != RECON_RULES_STOP_LOSS)
        return;
    recon_check_decimal(o, "/own_risk_percentage", in->own_risk_percentage, 0,
                        &decimal_spec_percentage, &pp->own_risk_percentage);
    pp->has_own_risk_percentage = in->own_risk_percentage != NULL;
    recon_check_decimal(o, "/own_risk_amount", in->own_risk_amount, 0, &decimal_spec_salary,
                        &pp->own_risk_amount);
    pp->has_own_risk_amount = in->own_risk_amount != NULL;
    recon_check_decimal(o, "/continued_pay_percentage", in->continued_pay_percentage, 1,
                        &decimal_spec_percentage, &pp->continued_pay_percentage);
    recon_check_decimal(o, "/maximum_reimbursement", in->maximum_reimbursement, 1,
                        &decimal_spec_salary, &pp->maximum_reimbursement);
}

/* Adds the rules' parameter problems (checked with no employees) to o. */
static portal_result recon_check_parameters(const portal_actor *actor,
                                            const recon_rules_parameters *pp, portal_outcome *o)
{
    recon_rules_problem problems[OUTCOME_MAX_ERRORS];
    size_t found = 0;
    civil_date today;
    if (civil_date_amsterdam_today(time(NULL), &today) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    portal_result rc =
        recon_rules_check(pp, today, NULL, 0, NULL, 0, problems, OUTCOME_MAX_ERRORS, &found);
    if (rc != PORTAL_OK)
        return rc;
    for (size_t i = 0; i < found && i < OUTCOME_MAX_ERRORS; i++) {
        char pointer[RECON_RULES_POINTER_SIZE];
        recon_pointer(&problems[i], NULL, pointer, sizeof pointer);
        outcome_add_error(o, pointer, problems[i].rule->code,
                          recon_rule_text(actor, problems[i].rule));
    }
    return PORTAL_OK;
}

portal_result recon_create(db_conn *db, const portal_actor *actor, const recon_create_input *in,
                           portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (!recon_is_staff(actor))
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    recon_scheme_facts s;
    memset(&s, 0, sizeof s);
    if (!in->scheme_id || !uuid_valid(in->scheme_id)) {
        outcome_add_error(o, "/scheme_id", in->scheme_id ? "invalid_format" : "required", NULL);
    } else {
        portal_result rc = recon_store_scheme(db, in->scheme_id, &s);
        if (rc == PORTAL_ERR_NOT_FOUND)
            outcome_add_error(o, "/scheme_id", "unknown_scheme", NULL);
        else if (rc != PORTAL_OK)
            return outcome_fail(o, rc, NULL);
        else if (strcmp(s.kind, "income") != 0)
            outcome_add_error(o, "/scheme_id", "scheme_not_income", NULL);
    }
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    recon_rules_parameters pp;
    recon_check_create(in, &s, &pp, o);
    if (!o->n_errors) {
        portal_result rc = recon_check_parameters(actor, &pp, o);
        if (rc != PORTAL_OK)
            return outcome_fail(o, rc, NULL);
    }
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    char cap[DECIMAL_TEXT_SIZE];
    if (decimal_format(pp.wage_cap, DECIMAL_MONEY_SCALE, cap, sizeof cap) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    int stop_loss = pp.variant == RECON_RULES_STOP_LOSS;
    recon_new n = {.scheme_id = in->scheme_id,
                   .year = in->year,
                   .deadline = in->deadline,
                   .premium_rate = in->premium_rate,
                   .provisional_premium = in->provisional_premium,
                   .wage_cap = cap,
                   .own_risk_percentage = stop_loss ? in->own_risk_percentage : NULL,
                   .own_risk_amount = stop_loss ? in->own_risk_amount : NULL,
                   .continued_pay_percentage = stop_loss ? in->continued_pay_percentage : NULL,
                   .maximum_reimbursement = stop_loss ? in->maximum_reimbursement : NULL,
                   .evidence_requested = in->evidence_requested,
                   .created_by = recon_user(actor)};
    char id[PORTAL_ID_LEN];
    recon_head h;
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    portal_result rc = recon_store_insert(db, &n, id);
    if (rc == PORTAL_OK)
        rc = recon_store_prefill(db, id);
    if (rc == PORTAL_OK)
        rc = recon_prefill_payroll(db, id);
    if (rc == PORTAL_OK)
        rc = recon_store_head(db, id, 0, &h);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s, s:i, s:s}", "scheme_id", in->scheme_id, "year", in->year,
                                    "deadline", in->deadline);
        rc = changes ? recon_audit(db, actor, "reconciliation.opened", &h, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK) {
        char title[96], link[96];
        snprintf(title, sizeof title, "Naverrekening %d aanleveren", in->year);
        snprintf(link, sizeof link, "/reconciliations/%s", id);
        rc = notify_employer(db, h.organisation_id, "reconciliation.open", title, link);
    }
    if (rc == PORTAL_OK)
        rc = recon_store_json(db, id, json);
    return recon_end_change(db, own, rc, json, o,
                            rc == PORTAL_ERR_CONFLICT ? "reconciliation_exists" : NULL);
}

portal_result recon_list(db_conn *db, const portal_actor *actor, const recon_list_input *in,
                         portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (!actor->caller)
        return outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    civil_date d;
    if (in->status && strcmp(in->status, "open") != 0 && strcmp(in->status, "submitted") != 0 &&
        strcmp(in->status, "processed") != 0)
        outcome_add_error(o, "status", "invalid_value", NULL);
    if (in->deadline_before && civil_date_parse(in->deadline_before, &d) != PORTAL_OK)
        outcome_add_error(o, "deadline_before", "invalid_format", NULL);
    if (in->year && (in->year < RECON_RULES_EARLIEST_YEAR || in->year > RECON_RULES_LATEST_YEAR))
        outcome_add_error(o, "year", "invalid_value", NULL);
    if (o->n_errors)
        return outcome_fail(o, PORTAL_ERR_MALFORMED, "invalid_request");
    recon_list_filter f = {.scheme_ids = in->scheme_ids,
                           .year = in->year,
                           .status = in->status,
                           .deadline_before = in->deadline_before,
                           .after_deadline = in->after_deadline,
                           .after_id = in->after_id,
                           .limit = in->limit};
    portal_result rc = recon_store_list(db, actor->caller, &f, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result recon_show(db_conn *db, const portal_actor *actor, const char *id, portal_outcome *o,
                         char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_head h;
    portal_result rc = recon_access(db, actor, id, NULL, 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_json(db, id, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}
