/* workflows/reconciliations.c: see reconciliations.h. */
#include "workflows/reconciliations.h"

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
static portal_result recon_begin(db_conn *db, int *own)
{
    *own = !recon_store_in_transaction(db);
    return *own ? db_begin(db) : PORTAL_OK;
}

/* Commits a transaction this use case opened. */
static portal_result recon_commit(db_conn *db, int own)
{
    return own ? db_commit(db) : PORTAL_OK;
}

/* Rolls back a transaction this use case opened (the caller's is the
 * caller's to end). */
static void recon_abort(db_conn *db, int own)
{
    if (own)
        db_rollback(db);
}

/* Records an audit event in the employer's log (changes borrowed). */
static portal_result recon_audit(db_conn *db, const portal_actor *actor, const char *action,
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
static const char *recon_user(const portal_actor *actor)
{
    const portal_caller *c = actor->caller;
    return c && c->kind == CALLER_SESSION ? c->user_id : NULL;
}

/* 1 when the actor is insurer staff (may open and reopen). */
static int recon_is_staff(const portal_actor *actor)
{
    return actor->caller && access_can(actor->caller, "schemes.manage");
}

/*
 * recon_access -- loads the head of reconciliation id (locked FOR UPDATE
 * when lock) and checks capability on its scheme: PORTAL_ERR_NOT_FOUND when
 * absent or invisible, PORTAL_ERR_DENIED when visible without it, recorded
 * in o. A NULL caller (a job) passes.
 */
static portal_result recon_access(db_conn *db, const portal_actor *actor, const char *id,
                                  const char *capability, int lock, recon_head *h,
                                  portal_outcome *o)
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
static portal_result recon_require_open(const recon_head *h, portal_outcome *o)
{
    return strcmp(h->status, "open") == 0
               ? PORTAL_OK
               : outcome_fail(o, PORTAL_ERR_CONFLICT, "reconciliation_submitted");
}

/* Checks a decimal field: absent and required gives "required", a value
 * that does not parse by spec "invalid_format"; *out gets the value. */
static void recon_check_decimal(portal_outcome *o, const char *field, const char *text,
                                int required, const decimal_spec *spec, int64_t *out)
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
static void recon_check_date(portal_outcome *o, const char *field, const char *text, int required,
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
static const char *recon_rule_text(const portal_actor *actor, const recon_rules_definition *d)
{
    return strcmp(workflow_lang(actor), "en") == 0 ? d->description_en : d->description_nl;
}

/* The JSON Pointer of a problem with employee and report indexes replaced
 * by their ids (l may be NULL for parameter problems only). */
static void recon_pointer(const recon_rules_problem *p, const recon_loaded *l, char *out,
                          size_t size)
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
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, rc == PORTAL_ERR_CONFLICT ? "reconciliation_exists" : NULL);
    }
    return PORTAL_OK;
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

/* 1 when the actor sees BSNs in full on the scheme. */
static int recon_full_bsn(db_conn *db, const portal_actor *actor, const recon_head *h)
{
    return !actor->caller ||
           access_scheme(db, actor->caller, h->scheme_id, "participants.bsn") == PORTAL_OK;
}

portal_result recon_employees(db_conn *db, const portal_actor *actor, const char *id,
                              long long after_seq, int limit, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "participants.read", 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_employees_json(db, id, recon_full_bsn(db, actor, &h), after_seq, limit, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Checks the employments and wage of an employee input into o. */
static void recon_check_employee_facts(const recon_employee_input *in, portal_outcome *o)
{
    int64_t wage;
    if (in->has_insured_wage && in->insured_wage)
        recon_check_decimal(o, "/insured_wage", in->insured_wage, 0, &decimal_spec_salary, &wage);
    if (!in->has_employments)
        return;
    if (in->n_employments > RECON_STORE_MAX_EMPLOYMENTS) {
        outcome_add_error(o, "/employments", "too_many_employments", NULL);
        return;
    }
    for (size_t i = 0; i < in->n_employments; i++) {
        char field[64];
        civil_date d;
        snprintf(field, sizeof field, "/employments/%zu/start_date", i);
        recon_check_date(o, field, in->employments[i].start_date, 1, &d);
        snprintf(field, sizeof field, "/employments/%zu/end_date", i);
        recon_check_date(o, field, in->employments[i].end_date, 0, &d);
    }
}

/* Checks a person added by hand into o. */
static void recon_check_person(const recon_person *p, portal_outcome *o)
{
    civil_date d;
    if (!p->initials)
        outcome_add_error(o, "/person/initials", "required", NULL);
    if (!p->surname)
        outcome_add_error(o, "/person/surname", "required", NULL);
    recon_check_date(o, "/person/birth_date", p->birth_date, 1, &d);
    if (!p->gender)
        outcome_add_error(o, "/person/gender", "required", NULL);
    else if (strcmp(p->gender, "male") != 0 && strcmp(p->gender, "female") != 0 &&
             strcmp(p->gender, "unknown") != 0)
        outcome_add_error(o, "/person/gender", "invalid_value", NULL);
    if (!p->bsn)
        outcome_add_error(o, "/person/bsn", "required", NULL);
    else if (!bsn_is_valid(p->bsn))
        outcome_add_error(o, "/person/bsn", "invalid_bsn", NULL);
}

/* Ends an edit: bumps the version, audits, answers the employee. */
static portal_result recon_finish_employee_edit(db_conn *db, int own, const portal_actor *actor,
                                                const recon_head *h, const char *action,
                                                const char *employee_id, char **json)
{
    portal_result rc = recon_store_touch(db, h->id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s}", "employee_id", employee_id);
        rc = changes ? recon_audit(db, actor, action, h, changes) : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = recon_store_employee_json(db, h->id, employee_id, recon_full_bsn(db, actor, h), json);
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    return rc;
}

portal_result recon_employee_add(db_conn *db, const portal_actor *actor, const char *id,
                                 const recon_employee_input *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_check_person(&in->person, o);
    recon_check_employee_facts(in, o);
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, &h, o);
    if (rc == PORTAL_OK)
        rc = recon_require_open(&h, o);
    if (rc == PORTAL_OK && o->n_errors)
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    recon_person p = in->person;
    p.insured_wage = in->has_insured_wage ? in->insured_wage : NULL;
    char emp[PORTAL_ID_LEN];
    rc = recon_store_employee_insert(db, id, &p, emp);
    if (rc == PORTAL_OK && in->has_employments)
        rc = recon_store_employments_replace(db, emp, in->employments, in->n_employments);
    if (rc == PORTAL_OK)
        rc = recon_finish_employee_edit(db, own, actor, &h, "reconciliation.employee_added", emp,
                                        json);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, rc == PORTAL_ERR_CONFLICT ? "employee_exists" : NULL);
    }
    return PORTAL_OK;
}

portal_result recon_employee_update(db_conn *db, const portal_actor *actor, const char *id,
                                    const char *employee_id, const recon_employee_input *in,
                                    portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_check_employee_facts(in, o);
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    char *current = NULL;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, &h, o);
    if (rc == PORTAL_OK) {
        rc = employee_id && uuid_valid(employee_id)
                 ? recon_store_employee_json(db, id, employee_id, 0, &current)
                 : PORTAL_ERR_NOT_FOUND;
        free(current);
        if (rc != PORTAL_OK)
            outcome_fail(o, rc, NULL);
    }
    if (rc == PORTAL_OK)
        rc = recon_require_open(&h, o);
    if (rc == PORTAL_OK && o->n_errors)
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    if (in->has_insured_wage)
        rc = recon_store_employee_set_wage(db, employee_id, in->insured_wage);
    if (rc == PORTAL_OK && in->has_employments)
        rc = recon_store_employments_replace(db, employee_id, in->employments, in->n_employments);
    if (rc == PORTAL_OK)
        rc = recon_finish_employee_edit(db, own, actor, &h, "reconciliation.employee_changed",
                                        employee_id, json);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}

portal_result recon_sick_reports(db_conn *db, const portal_actor *actor, const char *id,
                                 portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "participants.read", 0, &h, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = recon_store_sick_reports_json(db, id, json);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Checks a sick report's fields into o. */
static void recon_check_report(const recon_sick_report_new *in, portal_outcome *o)
{
    civil_date d;
    int64_t pct;
    if (!in->employee_id)
        outcome_add_error(o, "/employee_id", "required", NULL);
    else if (!uuid_valid(in->employee_id))
        outcome_add_error(o, "/employee_id", "sick_report_employee_unknown", NULL);
    recon_check_date(o, "/first_sick_day", in->first_sick_day, 1, &d);
    recon_check_date(o, "/report_date", in->report_date, 1, &d);
    recon_check_date(o, "/recovery_date", in->recovery_date, 0, &d);
    int before = o->n_errors;
    recon_check_decimal(o, "/ao_percentage", in->ao_percentage, 1, &decimal_spec_percentage, &pct);
    if (in->ao_percentage && o->n_errors == before &&
        (pct < 1 || pct > DECIMAL_PERCENT_ONE_HUNDRED))
        outcome_add_error(o, "/ao_percentage", "ao_percentage_invalid", NULL);
    recon_check_decimal(o, "/atw_percentage", in->atw_percentage, 0, &decimal_spec_percentage,
                        &pct);
    if (in->atw_percentage && pct > DECIMAL_PERCENT_ONE_HUNDRED)
        outcome_add_error(o, "/atw_percentage", "atw_percentage_invalid", NULL);
}

portal_result recon_sick_report_add(db_conn *db, const portal_actor *actor, const char *id,
                                    const recon_sick_report_new *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, &h, o);
    if (rc == PORTAL_OK)
        rc = recon_require_open(&h, o);
    if (rc == PORTAL_OK && strcmp(h.variant, "stop_loss") != 0)
        rc = outcome_fail(o, PORTAL_ERR_CONFLICT, "sick_reports_closed");
    if (rc == PORTAL_OK) {
        recon_check_report(in, o);
        if (o->n_errors)
            rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    recon_sick_report_new r = *in;
    r.created_by = recon_user(actor);
    rc = recon_store_sick_report_insert(db, id, &r, json);
    if (rc == PORTAL_ERR_NOT_FOUND) {
        recon_abort(db, own);
        outcome_add_error(o, "/employee_id", "sick_report_employee_unknown", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    if (rc == PORTAL_OK)
        rc = recon_store_touch(db, id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s}", "employee_id", in->employee_id);
        rc = changes ? recon_audit(db, actor, "reconciliation.sick_report_added", &h, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}

/* Copies the file (from its start) into a new blob in the open
 * transaction; sha_hex (65 bytes, may be NULL) gets its SHA-256. */
static portal_result recon_store_file(db_conn *db, FILE *f, char blob_id[PORTAL_ID_LEN],
                                      long long *size, char *sha_hex)
{
    blob_writer *w = NULL;
    portal_result rc = blob_create(db, &w);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(blob_id, PORTAL_ID_LEN, "%s", blob_writer_id(w));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    char *block = malloc(64 * 1024);
    if (!md || !block || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
        fseek(f, 0, SEEK_SET) != 0)
        rc = block ? PORTAL_ERR_INTERNAL : PORTAL_ERR_MEMORY;
    size_t got;
    while (rc == PORTAL_OK && (got = fread(block, 1, 64 * 1024, f)) > 0) {
        rc = EVP_DigestUpdate(md, block, got) == 1 ? PORTAL_OK : PORTAL_ERR_INTERNAL;
        if (rc == PORTAL_OK)
            rc = blob_write(w, block, got);
    }
    if (rc == PORTAL_OK && ferror(f))
        rc = PORTAL_ERR_IO;
    free(block);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    if (rc == PORTAL_OK && EVP_DigestFinal_ex(md, digest, &dlen) != 1)
        rc = PORTAL_ERR_INTERNAL;
    EVP_MD_CTX_free(md);
    if (rc != PORTAL_OK) {
        blob_writer_free(w);
        return rc;
    }
    for (unsigned int i = 0; sha_hex && i < dlen && i < 32; i++)
        snprintf(sha_hex + 2 * i, 3, "%02x", digest[i]);
    return blob_finish(w, size);
}

/* A file name safe to show and to send back: letters, digits, '.', '-',
 * '_' and spaces, at most 120 bytes; "bestand" when nothing is left. */
static void recon_safe_name(const char *name, char *out, size_t size)
{
    size_t at = 0;
    for (const char *s = name ? name : ""; *s && at + 1 < size && at < 120; s++) {
        char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '-' || c == '_' || c == ' ')
            out[at++] = c;
    }
    out[at] = 0;
    if (!at)
        snprintf(out, size, "bestand");
}

portal_result recon_evidence_add(db_conn *db, const portal_actor *actor, const char *id,
                                 const recon_evidence_input *in, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    if (!in->kind)
        outcome_add_error(o, "/kind", "required", NULL);
    else if (strcmp(in->kind, "payroll_summary") != 0 && strcmp(in->kind, "absence_report") != 0)
        outcome_add_error(o, "/kind", "invalid_value", NULL);
    if (!in->checklist_confirmed || strcmp(in->checklist_confirmed, "true") != 0)
        outcome_add_error(o, "/checklist_confirmed", "checklist_not_confirmed", NULL);
    if (in->size > RECON_UPLOAD_MAX)
        return outcome_fail(o, PORTAL_ERR_TOO_LARGE, NULL);
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, &h, o);
    if (rc == PORTAL_OK)
        rc = recon_require_open(&h, o);
    if (rc == PORTAL_OK && o->n_errors)
        rc = outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    char blob_id[PORTAL_ID_LEN], name[128];
    long long size = 0;
    recon_safe_name(in->file_name, name, sizeof name);
    rc = recon_store_file(db, in->file, blob_id, &size, NULL);
    if (rc == PORTAL_OK && size > RECON_UPLOAD_MAX)
        rc = PORTAL_ERR_TOO_LARGE;
    if (rc == PORTAL_OK)
        rc = recon_store_evidence_insert(db, id, in->kind, blob_id, name, in->content_type, size,
                                         recon_user(actor), json);
    if (rc == PORTAL_OK)
        rc = recon_store_touch(db, id);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s, s:I}", "kind", in->kind, "size", (json_int_t)size);
        rc = changes ? recon_audit(db, actor, "reconciliation.evidence_added", &h, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}

/* Runs the completeness checks over l: with problems fills o (first
 * OUTCOME_MAX_ERRORS) and *problems (all, capped) and returns
 * PORTAL_ERR_INVALID; PORTAL_OK when complete. */
static portal_result recon_check_all(const portal_actor *actor, const recon_loaded *l,
                                     portal_outcome *o, json_t **problems)
{
    civil_date today;
    if (civil_date_amsterdam_today(time(NULL), &today) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    size_t found = 0;
    portal_result rc = recon_rules_check(&l->params, today, l->employees, l->n_employees,
                                         l->reports, l->n_reports, NULL, 0, &found);
    if (rc != PORTAL_OK || found == 0)
        return rc;
    size_t cap = found > RECON_MAX_LISTED_PROBLEMS ? RECON_MAX_LISTED_PROBLEMS : found;
    recon_rules_problem *list = calloc(cap, sizeof *list);
    json_t *all = json_array();
    if (!list || !all) {
        free(list);
        json_decref(all);
        return PORTAL_ERR_MEMORY;
    }
    rc = recon_rules_check(&l->params, today, l->employees, l->n_employees, l->reports,
                           l->n_reports, list, cap, &found);
    /* found was set by recon_rules_check above. */
    // cppcheck-suppress knownConditionTrueFalse
    for (size_t i = 0; rc == PORTAL_OK && i < cap; i++) {
        char pointer[160];
        recon_pointer(&list[i], l, pointer, sizeof pointer);
        const char *text = recon_rule_text(actor, list[i].rule);
        if (i < OUTCOME_MAX_ERRORS)
            outcome_add_error(o, pointer, list[i].rule->code, text);
        if (json_array_append_new(all, json_pack("{s:s, s:s, s:s}", "field", pointer, "code",
                                                 list[i].rule->code, "message", text)) != 0)
            rc = PORTAL_ERR_MEMORY;
    }
    free(list);
    if (rc != PORTAL_OK) {
        json_decref(all);
        return rc;
    }
    *problems = all;
    char detail[160];
    snprintf(detail, sizeof detail,
             strcmp(workflow_lang(actor), "en") == 0
                 ? "The reconciliation is not complete: %zu problem(s) to solve."
                 : "De naverrekening is niet compleet: %zu punt(en) op te lossen.",
             found);
    outcome_set_detail(o, detail);
    return PORTAL_ERR_INVALID;
}

portal_result recon_submit(db_conn *db, const portal_actor *actor, const char *id,
                           portal_outcome *o, char **json, json_t **problems)
{
    outcome_init(o);
    *json = NULL;
    *problems = NULL;
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, "reconciliation", 1, &h, o);
    if (rc == PORTAL_OK)
        rc = recon_require_open(&h, o);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    recon_loaded l;
    rc = recon_store_load(db, id, &l);
    if (rc == PORTAL_OK) {
        rc = recon_check_all(actor, &l, o, problems);
        if (rc == PORTAL_ERR_INVALID) {
            recon_loaded_free(&l);
            recon_abort(db, own);
            return outcome_fail(o, rc, "reconciliation_incomplete");
        }
    }
    recon_loaded_free(&l);
    int version = 0;
    if (rc == PORTAL_OK)
        rc = recon_store_submit(db, id, recon_user(actor), &version);
    if (rc == PORTAL_OK) {
        char payload[128];
        snprintf(payload, sizeof payload, "{\"reconciliation_id\":\"%s\",\"version\":%d}", id,
                 version);
        rc = jobs_enqueue(db, RECON_JOB_KIND, payload);
    }
    if (rc == PORTAL_OK)
        rc = recon_audit(db, actor, "reconciliation.submitted", &h, NULL);
    if (rc == PORTAL_OK)
        rc = recon_store_json(db, id, json);
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, rc == PORTAL_ERR_CONFLICT ? "reconciliation_submitted" : NULL);
    }
    return PORTAL_OK;
}

portal_result recon_reopen(db_conn *db, const portal_actor *actor, const char *id,
                           const char *reason, portal_outcome *o, char **json)
{
    outcome_init(o);
    *json = NULL;
    int own = 0;
    if (recon_begin(db, &own) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_DATABASE, NULL);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, NULL, 1, &h, o);
    if (rc == PORTAL_OK && !recon_is_staff(actor))
        rc = outcome_fail(o, PORTAL_ERR_DENIED, NULL);
    if (rc == PORTAL_OK && strcmp(h.status, "open") == 0)
        rc = outcome_fail(o, PORTAL_ERR_CONFLICT, "reconciliation_open");
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        return rc;
    }
    rc = recon_store_reopen(db, id, recon_user(actor), reason);
    if (rc == PORTAL_OK) {
        json_t *changes = json_pack("{s:s, s:s}", "status", h.status, "reason", reason);
        rc = changes ? recon_audit(db, actor, "reconciliation.reopened", &h, changes)
                     : PORTAL_ERR_MEMORY;
        json_decref(changes);
    }
    if (rc == PORTAL_OK) {
        char title[96], link[96];
        snprintf(title, sizeof title, "Naverrekening %d opnieuw aanleveren", h.year);
        snprintf(link, sizeof link, "/reconciliations/%s", id);
        rc = notify_employer(db, h.organisation_id, "reconciliation.reopened", title, link);
    }
    if (rc == PORTAL_OK)
        rc = recon_store_json(db, id, json);
    if (rc == PORTAL_OK)
        rc = recon_commit(db, own);
    if (rc != PORTAL_OK) {
        recon_abort(db, own);
        free(*json);
        *json = NULL;
        return outcome_fail(o, rc, NULL);
    }
    return PORTAL_OK;
}

/* Where both specification files are written while the lines stream. */
typedef struct {
    recon_spec_pdf *pdf;
    xlsx_export *xlsx;
} recon_spec_sinks;

/* Writes one line into both files. */
static portal_result recon_spec_sink(void *closure, const recon_line_row *row)
{
    recon_spec_sinks *s = closure;
    recon_spec_line line = {row->display_name, row->birth_date,  row->days,   row->insured_wage,
                            row->prorated_cap, row->capped_wage, row->premium};
    portal_result rc = recon_spec_pdf_line(s->pdf, &line);
    return rc == PORTAL_OK ? recon_spec_xlsx_line(s->xlsx, &line) : rc;
}

/* A string member of obj, or NULL for null or absent. */
static const char *recon_member(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Fills the specification's first page from the reconciliation's JSON
 * (borrowed: h points into it). */
static void recon_spec_header_of(const json_t *rec, recon_spec_header *h)
{
    const json_t *r = json_object_get(rec, "result");
    memset(h, 0, sizeof *h);
    h->lang = "nl";
    h->organisation_name = recon_member(rec, "organisation_name");
    h->scheme_number = recon_member(rec, "scheme_number");
    h->scheme_name = recon_member(rec, "scheme_name");
    h->year = (int)json_integer_value(json_object_get(rec, "year"));
    h->variant = recon_member(rec, "variant");
    h->policy_start = recon_member(rec, "policy_start");
    h->premium_rate = recon_member(rec, "premium_rate");
    h->provisional_premium = recon_member(rec, "provisional_premium");
    h->wage_cap = recon_member(rec, "wage_cap");
    h->own_risk_percentage = recon_member(rec, "own_risk_percentage");
    h->own_risk_amount = recon_member(rec, "own_risk_amount");
    h->continued_pay_percentage = recon_member(rec, "continued_pay_percentage");
    h->maximum_reimbursement = recon_member(rec, "maximum_reimbursement");
    h->capped_wage_total = recon_member(r, "capped_wage_total");
    h->definitive_premium = recon_member(r, "definitive_premium");
    h->settlement = recon_member(r, "settlement");
    h->own_risk = recon_member(r, "own_risk");
    h->sick_pay_cost = recon_member(r, "sick_pay_cost");
    h->reimbursement = recon_member(r, "reimbursement");
    h->employee_count = (long long)json_integer_value(json_object_get(rec, "employee_count"));
}

/* Stores one finished file as a reconciliation_specification document. */
static portal_result recon_spec_document(db_conn *db, const recon_head *h, const json_t *rec,
                                         FILE *f, const char *content_type, const char *ext)
{
    char blob_id[PORTAL_ID_LEN], sha[65] = "", title[160], name[160],
                                 today_text[CIVIL_DATE_TEXT_SIZE];
    long long size = 0;
    civil_date today;
    if (civil_date_amsterdam_today(time(NULL), &today) != PORTAL_OK ||
        civil_date_format(today, today_text, sizeof today_text) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    const char *number = recon_member(rec, "scheme_number");
    snprintf(title, sizeof title, "Specificatie naverrekening %d %s (%s)", h->year,
             number ? number : "", strcmp(ext, "pdf") == 0 ? "PDF" : "Excel");
    snprintf(name, sizeof name, "specificatie-naverrekening-%d.%s", h->year, ext);
    portal_result rc = recon_store_file(db, f, blob_id, &size, sha);
    document_new d = {.organisation_id = h->organisation_id,
                      .scheme_id = h->scheme_id,
                      .kind = "reconciliation_specification",
                      .title = title,
                      .document_date = today_text,
                      .amount = recon_member(json_object_get(rec, "result"), "settlement"),
                      .file_name = name,
                      .content_type = content_type,
                      .size = size,
                      .sha256 = sha,
                      .blob_id = blob_id,
                      .created_by = NULL};
    if (rc == PORTAL_OK) {
        char doc_id[PORTAL_ID_LEN];
        rc = documents_insert(db, &d, doc_id);
    }
    return rc;
}

/*
 * recon_publish_specification -- in the processing transaction: writes the
 * specification as PDF (a temporary file) and XLSX (a temporary file in
 * constant-memory mode) from one pass over the lines, then stores both as
 * documents of kind reconciliation_specification on the scheme. The
 * temporary files are removed whatever happens.
 */
static portal_result recon_publish_specification(db_conn *db, const recon_head *h)
{
    char *text = NULL;
    portal_result rc = recon_store_json(db, h->id, &text);
    json_t *rec = rc == PORTAL_OK ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (rc == PORTAL_OK && !rec)
        rc = PORTAL_ERR_INTERNAL;
    recon_spec_header hdr;
    if (rec)
        recon_spec_header_of(rec, &hdr);
    FILE *pdf_file = rc == PORTAL_OK ? tmpfile() : NULL;
    char xlsx_path[] = "/tmp/portal-spec-XXXXXX";
    int fd = rc == PORTAL_OK ? mkstemp(xlsx_path) : -1;
    if (fd >= 0)
        close(fd);
    if (rc == PORTAL_OK && (!pdf_file || fd < 0))
        rc = PORTAL_ERR_IO;
    recon_spec_sinks sinks = {NULL, NULL};
    if (rc == PORTAL_OK)
        rc = recon_spec_pdf_open(pdf_file, &hdr, &sinks.pdf);
    if (rc == PORTAL_OK)
        rc = recon_spec_xlsx_open(xlsx_path, "nl", &sinks.xlsx);
    if (rc == PORTAL_OK)
        rc = recon_store_each_line(db, h->id, recon_spec_sink, &sinks);
    portal_result closed = recon_spec_pdf_close(sinks.pdf);
    if (rc == PORTAL_OK)
        rc = closed;
    closed = sinks.xlsx ? recon_spec_xlsx_close(sinks.xlsx) : PORTAL_OK;
    if (rc == PORTAL_OK)
        rc = closed;
    if (rc == PORTAL_OK && fflush(pdf_file) != 0)
        rc = PORTAL_ERR_IO;
    if (rc == PORTAL_OK)
        rc = recon_spec_document(db, h, rec, pdf_file, "application/pdf", "pdf");
    FILE *xlsx_file = rc == PORTAL_OK ? fopen(xlsx_path, "rb") : NULL;
    if (rc == PORTAL_OK && !xlsx_file)
        rc = PORTAL_ERR_IO;
    if (rc == PORTAL_OK)
        rc = recon_spec_document(
            db, h, rec, xlsx_file,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
    if (xlsx_file)
        fclose(xlsx_file);
    if (fd >= 0)
        unlink(xlsx_path);
    if (pdf_file)
        fclose(pdf_file);
    json_decref(rec);
    return rc;
}

/* Milliseconds from a to b. */
static double recon_ms(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

/* Computes l and writes the result inside the open transaction. */
static portal_result recon_compute_and_write(db_conn *db, const char *id, int version,
                                             const recon_loaded *l)
{
    recon_rules_employee_line *lines = calloc(l->n_employees ? l->n_employees : 1, sizeof *lines);
    recon_rules_report_line *report_lines =
        calloc(l->n_reports ? l->n_reports : 1, sizeof *report_lines);
    recon_rules_totals totals;
    portal_result rc = lines && report_lines ? PORTAL_OK : PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = recon_rules_compute(&l->params, l->employees, l->n_employees, l->reports, l->n_reports,
                                 lines, report_lines, &totals);
    if (rc == PORTAL_OK)
        rc = recon_store_write_result(db, id, version, l, lines, report_lines, &totals);
    free(lines);
    free(report_lines);
    return rc;
}

portal_result recon_lock_version(db_conn *db, const portal_actor *actor, const char *id,
                                 const char *capability, portal_outcome *o, int *version)
{
    outcome_init(o);
    recon_head h;
    portal_result rc = recon_access(db, actor, id, capability, 1, &h, o);
    if (rc == PORTAL_OK)
        *version = h.version;
    return rc;
}

portal_result recon_process(db_conn *db, const char *id, int version)
{
    if (!id || !uuid_valid(id))
        return PORTAL_ERR_INVALID;
    if (db_begin(db) != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    recon_head h;
    portal_result rc = recon_store_head(db, id, 1, &h);
    if (rc == PORTAL_ERR_NOT_FOUND ||
        (rc == PORTAL_OK && (strcmp(h.status, "submitted") != 0 || h.version != version))) {
        /* Reopened or processed since: this job has nothing left to do. */
        db_rollback(db);
        return PORTAL_OK;
    }
    recon_loaded l;
    memset(&l, 0, sizeof l);
    struct timespec t0, t1, t2;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (rc == PORTAL_OK)
        rc = recon_store_load(db, id, &l);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == PORTAL_OK)
        rc = recon_compute_and_write(db, id, version, &l);
    clock_gettime(CLOCK_MONOTONIC, &t2);
    size_t employees = l.n_employees;
    recon_loaded_free(&l);
    portal_actor system = {.caller = NULL, .lang = "nl", .client_address = "", .request_id = ""};
    struct timespec t3;
    if (rc == PORTAL_OK)
        rc = recon_publish_specification(db, &h);
    clock_gettime(CLOCK_MONOTONIC, &t3);
    if (rc == PORTAL_OK)
        rc = recon_audit(db, &system, "reconciliation.processed", &h, NULL);
    if (rc == PORTAL_OK) {
        char title[96], link[96];
        snprintf(title, sizeof title, "Naverrekening %d verwerkt", h.year);
        snprintf(link, sizeof link, "/reconciliations/%s", id);
        rc = notify_employer(db, h.organisation_id, "reconciliation.processed", title, link);
    }
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        log_warning("event=reconciliation_failed reconciliation=%s error=%s", id,
                    portal_result_name(rc));
        return rc;
    }
    log_info("event=reconciliation_processed reconciliation=%s employees=%zu load_ms=%.1f"
             " compute_write_ms=%.1f specification_ms=%.1f",
             id, employees, recon_ms(t0, t1), recon_ms(t1, t2), recon_ms(t2, t3));
    return PORTAL_OK;
}
