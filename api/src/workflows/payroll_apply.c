/* workflows/payroll_apply.c: wf_payroll_apply (see payroll_periods.h): one
 * employment at a time, each inside a savepoint, through the registration
 * and change use cases; the feedback collected and written at the end. */
#include "workflows/payroll_periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/decimal.h"
#include "domain/payroll_rules.h"
#include "workflows/changes.h"
#include "workflows/participants.h"
#include "workflows/payroll_internal.h"

/* One employment's answer while it is worked out. */
typedef struct {
    const char *result; /* accepted | unchanged | rejected */
    const char *code;   /* rejected: the stable code */
    char message[704];  /* a field (128) and a message or detail (512) */
    unsigned actions;
    int pending_review; /* a change waits for the insurer's review */
    int later_periods;  /* the scheme has processed periods after this one */
    int fast;           /* taken by the set-based path (payroll_fast.c) */
    char participant_id[PORTAL_ID_LEN];
} payroll_answer;

/* The message of a refusal written here, in lang. */
static const char *payroll_text(const char *code, const char *lang)
{
    static const struct {
        const char *code, *nl, *en;
    } texts[] = {
        {"duplicate_in_file", "Dit BSN staat al op een eerdere regel van deze periode.",
         "This BSN is already on an earlier row of this period."},
        {"start_date_mismatch",
         "De begindatum verschilt van het geregistreerde dienstverband; corrigeer de begindatum.",
         "The start date differs from the registered employment; correct the start date."},
        {"participant_dormant",
         "Het dienstverband is al beëindigd; meld een einddatum of een nieuw dienstverband.",
         "The employment has already ended; send its end date or a new employment."},
        {"termination_already_registered",
         "Er is al een andere einddatum geregistreerd; annuleer die eerst.",
         "Another end date is already registered; cancel it first."},
        {"validation_failed", "Deze waarde is ongeldig.", "This value is invalid."},
        {"pending_review", "Verwerkt; wacht op beoordeling door de verzekeraar.",
         "Processed; awaiting review by the insurer."},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].code, code) == 0)
            return lang && strcmp(lang, "en") == 0 ? texts[i].en : texts[i].nl;
    return code;
}

/* Refuses the employment with code; field (a snapshot key) names the
 * value, message NULL: the text of the code. */
static void payroll_refuse(payroll_answer *a, const char *code, const char *field,
                           const char *message, const char *lang)
{
    a->result = "rejected";
    a->code = code;
    a->actions = 0;
    snprintf(a->message, sizeof a->message, "%s%s%s", field ? field : "", field ? ": " : "",
             message ? message : payroll_text(code, lang));
}

/* Refuses with what a use case answered: its problem code (the same an
 * individual request would get) and its first field error. */
static void payroll_refuse_outcome(payroll_answer *a, const portal_outcome *o, const char *lang)
{
    const char *code = o->code[0]                     ? o->code
                       : o->rc == PORTAL_ERR_CONFLICT ? "conflict"
                                                      : "validation_failed";
    /* A field error with a code of its own that the API also uses as a
     * problem code (invalid_bsn, effective_date_out_of_range) wins over
     * the shared validation_failed. */
    int at = 0;
    for (int i = 0; strcmp(code, "validation_failed") == 0 && i < o->n_errors; i++)
        if (strcmp(o->errors[i].code, "invalid_bsn") == 0 ||
            strcmp(o->errors[i].code, "effective_date_out_of_range") == 0) {
            code = o->errors[i].code;
            at = i;
        }
    if (o->n_errors) {
        const outcome_error *e = &o->errors[at];
        payroll_refuse(a, code, e->field[0] ? e->field : NULL, e->message[0] ? e->message : e->code,
                       lang);
    } else {
        payroll_refuse(a, code, NULL, o->detail[0] ? o->detail : NULL, lang);
    }
}

/* The row's own values no use case checks: a BSN at all, the period's
 * insured wage and hours. 1 when they pass. */
static int payroll_row_values(const payroll_row *r, payroll_answer *a, const char *lang)
{
    int64_t v;
    static const decimal_spec hours = {2, 4, false};
    if (!r->bsn || !r->bsn[0]) {
        payroll_refuse(a, "validation_failed", "bsn", "required", lang);
        return 0;
    }
    if (r->insured_wage && decimal_parse(r->insured_wage, &decimal_spec_salary, &v) != PORTAL_OK) {
        payroll_refuse(a, "validation_failed", "insured_wage", NULL, lang);
        return 0;
    }
    if (r->hours && decimal_parse(r->hours, &hours, &v) != PORTAL_OK) {
        payroll_refuse(a, "validation_failed", "hours", NULL, lang);
        return 0;
    }
    return 1;
}

/* Registers (or re-hires) the employment. */
static portal_result payroll_register(db_conn *db, const portal_actor *actor,
                                      const wf_row_options *opts, const payroll_head *head,
                                      const payroll_row *r, payroll_answer *a, portal_outcome *o)
{
    participant_address_input addr;
    wf_registration_input in;
    payroll_registration_input(head, r, &addr, &in);
    wf_registration_result res;
    portal_result rc = wf_participant_register(db, actor, opts, &in, &res, o);
    if (rc == PORTAL_OK) {
        snprintf(a->participant_id, sizeof a->participant_id, "%s", res.participant_id);
        a->pending_review |= strcmp(res.status, "pending_review") == 0;
    }
    wf_registration_result_free(&res);
    return rc;
}

/* Submits one change of type on the participant. */
static portal_result payroll_change(db_conn *db, const portal_actor *actor,
                                    const wf_row_options *opts, const payroll_row *r,
                                    const char *type, civil_date date, unsigned actions,
                                    payroll_answer *a, portal_outcome *o)
{
    char day[CIVIL_DATE_TEXT_SIZE];
    if (civil_date_format(date, day, sizeof day) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    participant_address_input addr = {r->street, r->house_number, r->postal_code, r->city,
                                      r->country};
    wf_change_input in = {.participant_id = a->participant_id,
                          .type = type,
                          .effective_date = day,
                          .salary = actions & PAYROLL_SALARY ? r->salary : NULL,
                          .parttime_percentage =
                              actions & PAYROLL_PARTTIME ? r->parttime_percentage : NULL,
                          .address = &addr};
    wf_change_result res;
    portal_result rc = wf_change_submit(db, actor, opts, &in, &res, o);
    if (rc == PORTAL_OK)
        a->pending_review |= strcmp(res.status, "pending_review") == 0;
    wf_change_result_free(&res);
    return rc;
}

/* Applies the actions of d in order: registration, salary and part-time,
 * address, termination. Stops at the first refusal (o filled). */
static portal_result payroll_actions(db_conn *db, const portal_actor *actor,
                                     const wf_row_options *opts, const payroll_head *head,
                                     const payroll_row *r, const payroll_diff *d, payroll_answer *a,
                                     portal_outcome *o)
{
    portal_result rc = PORTAL_OK;
    if (d->actions & (PAYROLL_REGISTRATION | PAYROLL_REHIRE))
        rc = payroll_register(db, actor, opts, head, r, a, o);
    if (rc == PORTAL_OK && d->actions & (PAYROLL_SALARY | PAYROLL_PARTTIME))
        rc = payroll_change(db, actor, opts, r, "salary_change", d->change_date, d->actions, a, o);
    if (rc == PORTAL_OK && d->actions & PAYROLL_ADDRESS)
        rc = payroll_change(db, actor, opts, r, "address_change", d->change_date, d->actions, a, o);
    if (rc == PORTAL_OK && d->actions & PAYROLL_TERMINATION)
        rc = payroll_change(db, actor, opts, r, "termination", d->end_date, d->actions, a, o);
    return rc;
}

/* A value change derived from a period received after a later one holds
 * only until that later period: when the employment's row there says
 * otherwise, its values are registered again from that period's start
 * (periods may arrive out of order, or an earlier one be corrected). */
static portal_result payroll_restore_next(db_conn *db, const portal_actor *actor,
                                          const wf_row_options *opts, const payroll_head *head,
                                          const payroll_period *period, const payroll_row *r,
                                          payroll_answer *a, portal_outcome *o)
{
    char end[CIVIL_DATE_TEXT_SIZE];
    payroll_next_row nx;
    payroll_period np;
    if (civil_date_format(period->end, end, sizeof end) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    portal_result rc = payroll_store_next_row(db, head->scheme_id, r->bsn, end, &nx);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc, NULL);
    if (!nx.found || payroll_period_parse(nx.period, &np) != PORTAL_OK)
        return PORTAL_OK;
    payroll_row later = *r;
    later.end_date = NULL;
    later.salary = nx.has_salary ? nx.salary : NULL;
    later.parttime_percentage = nx.has_parttime ? nx.parttime_percentage : NULL;
    if (nx.has_address) {
        later.street = nx.street, later.house_number = nx.house_number;
        later.postal_code = nx.postal_code, later.city = nx.city;
        later.country = nx.country[0] ? nx.country : NULL;
    }
    payroll_row_facts lf = {later.start_date,
                            NULL,
                            later.salary,
                            later.parttime_percentage,
                            nx.has_address ? later.street : NULL,
                            later.house_number,
                            later.postal_code,
                            later.city,
                            later.country};
    payroll_participant_facts now = {true,
                                     "active",
                                     r->start_date,
                                     NULL,
                                     NULL,
                                     r->salary ? r->salary : later.salary,
                                     r->parttime_percentage ? r->parttime_percentage
                                                            : later.parttime_percentage,
                                     r->street,
                                     r->house_number,
                                     r->postal_code,
                                     r->city,
                                     r->country};
    payroll_diff d;
    if (payroll_diff_row(&lf, &now, &np, &d) != PORTAL_OK || d.refusal)
        return PORTAL_OK;
    d.actions &= PAYROLL_SALARY | PAYROLL_PARTTIME | PAYROLL_ADDRESS;
    if (d.actions & (PAYROLL_SALARY | PAYROLL_PARTTIME))
        rc = payroll_change(db, actor, opts, &later, "salary_change", d.change_date, d.actions, a,
                            o);
    if (rc == PORTAL_OK && d.actions & PAYROLL_ADDRESS)
        rc = payroll_change(db, actor, opts, &later, "address_change", d.change_date, d.actions, a,
                            o);
    if (rc == PORTAL_OK)
        a->actions |= d.actions;
    return rc;
}

/* Works out one employment: the rules of the snapshot, the comparison,
 * and the use cases inside a savepoint. Returns PORTAL_OK with *a filled
 * (a refusal included), or a store failure that ends the whole period. */
static portal_result payroll_one(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                                 const payroll_head *head, const payroll_period *period,
                                 payroll_fast *fast, const payroll_row *r, payroll_answer *a)
{
    const char *lang = workflow_lang(actor);
    a->result = "unchanged";
    if (r->participant_id)
        snprintf(a->participant_id, sizeof a->participant_id, "%s", r->participant_id);
    if (r->duplicate) {
        payroll_refuse(a, "duplicate_in_file", "bsn", NULL, lang);
        return PORTAL_OK;
    }
    if (!payroll_row_values(r, a, lang) || r->same_as_before)
        return PORTAL_OK;
    payroll_row_facts row = {r->start_date,          r->end_date, r->salary,
                             r->parttime_percentage, r->street,   r->house_number,
                             r->postal_code,         r->city,     r->country};
    payroll_participant_facts p = {
        r->participant_id != NULL, r->p_status,      r->p_employment_start,
        r->p_employment_end,       r->p_pending_end, r->p_salary,
        r->p_parttime_percentage,  r->p_street,      r->p_house_number,
        r->p_postal_code,          r->p_city,        r->p_country};
    payroll_diff d;
    if (payroll_diff_row(&row, &p, period, &d) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    if (d.refusal) {
        payroll_refuse(a, d.refusal, d.field, NULL, lang);
        return PORTAL_OK;
    }
    if (!d.actions)
        return PORTAL_OK;
    if (payroll_fast_take(fast, r, &d)) {
        a->result = "accepted";
        a->actions = d.actions;
        a->fast = 1;
        return PORTAL_OK;
    }
    portal_outcome o;
    outcome_init(&o);
    if (db_exec_script(db, "SAVEPOINT payroll_row") != PORTAL_OK)
        return PORTAL_ERR_DATABASE;
    portal_result rc = payroll_actions(db, actor, opts, head, r, &d, a, &o);
    if (rc == PORTAL_OK && a->later_periods)
        rc = payroll_restore_next(db, actor, opts, head, period, r, a, &o);
    if (rc == PORTAL_ERR_DATABASE || rc == PORTAL_ERR_MEMORY || rc == PORTAL_ERR_INTERNAL)
        return rc;
    if (rc != PORTAL_OK) {
        payroll_refuse_outcome(a, &o, lang);
        return db_exec_script(db, "ROLLBACK TO SAVEPOINT payroll_row");
    }
    a->result = "accepted";
    a->actions |= d.actions;
    if (a->pending_review)
        snprintf(a->message, sizeof a->message, "%s", payroll_text("pending_review", lang));
    return db_exec_script(db, "RELEASE SAVEPOINT payroll_row");
}

/* "J. de Vries": how the employment names the person in the feedback. */
static json_t *payroll_name(const payroll_row *r)
{
    char name[256];
    snprintf(name, sizeof name, "%s%s%s%s%s", r->initials ? r->initials : "",
             r->initials ? " " : "", r->surname_prefix ? r->surname_prefix : "",
             r->surname_prefix ? " " : "", r->surname ? r->surname : "");
    return json_string(name);
}

/* The feedback object of one employment. */
static json_t *payroll_feedback(const payroll_row *r, const payroll_answer *a)
{
    json_t *changes = json_array();
    const char *names[8];
    int n = payroll_action_names(a->actions, names, 8);
    for (int i = 0; i < n; i++)
        json_array_append_new(changes, json_string(names[i]));
    return json_pack(
        "{s:i, s:s?, s:s?, s:o, s:s?, s:s, s:o, s:s?, s:s?}", "seq", r->seq, "personnel_number",
        r->personnel_number, "employment_number", r->employment_number, "name", payroll_name(r),
        "participant_id", a->participant_id[0] ? a->participant_id : NULL, "result", a->result,
        "changes", changes, "code", a->code, "message", a->message[0] ? a->message : NULL);
}

/* The employments the set-based path took: those applied get their
 * participant (a registration learns it only now); the others (a BSN
 * registered meanwhile, a participant no longer active on the date when
 * locked) go through the use cases one by one, their feedback replaced. */
static portal_result payroll_fast_rest(db_conn *db, const portal_actor *actor,
                                       const wf_row_options *opts, const payroll_head *head,
                                       const payroll_period *period, const payroll_loaded *l,
                                       const char *taken, json_t *applied, json_t *feedback)
{
    portal_result rc = PORTAL_OK;
    int n = payroll_loaded_count(l);
    for (int i = 0; rc == PORTAL_OK && i < n; i++) {
        if (!taken[i])
            continue;
        payroll_row r;
        payroll_loaded_row(l, i, &r);
        char seq[16];
        snprintf(seq, sizeof seq, "%d", r.seq);
        json_t *pid = json_object_get(applied, seq);
        if (json_is_string(pid)) {
            if (json_object_set(json_array_get(feedback, (size_t)i), "participant_id", pid) != 0)
                rc = PORTAL_ERR_MEMORY;
            continue;
        }
        payroll_answer a;
        memset(&a, 0, sizeof a);
        rc = payroll_one(db, actor, opts, head, period, NULL, &r, &a);
        json_t *f = rc == PORTAL_OK ? payroll_feedback(&r, &a) : NULL;
        if (rc == PORTAL_OK && (!f || json_array_set_new(feedback, (size_t)i, f) != 0))
            rc = PORTAL_ERR_MEMORY;
    }
    return rc;
}

/* Every employment of the loaded revision into feedback (in body order),
 * the set-based ones applied at the end. */
static portal_result payroll_all(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                                 const payroll_head *head, const payroll_period *period,
                                 const payroll_loaded *l, int later, json_t *feedback)
{
    int n = payroll_loaded_count(l);
    char *taken = calloc((size_t)n + 1, 1);
    payroll_fast *fast = payroll_fast_new(db, actor, opts, head, later);
    portal_result rc = taken ? PORTAL_OK : PORTAL_ERR_MEMORY;
    for (int i = 0; rc == PORTAL_OK && i < n; i++) {
        payroll_row r;
        payroll_loaded_row(l, i, &r);
        payroll_answer a;
        memset(&a, 0, sizeof a);
        a.later_periods = later;
        rc = payroll_one(db, actor, opts, head, period, fast, &r, &a);
        taken[i] = (char)a.fast;
        json_t *f = rc == PORTAL_OK ? payroll_feedback(&r, &a) : NULL;
        if (rc == PORTAL_OK && (!f || json_array_append_new(feedback, f) != 0))
            rc = PORTAL_ERR_MEMORY;
    }
    json_t *applied = NULL;
    if (rc == PORTAL_OK)
        rc = payroll_fast_run(fast, db, &applied);
    if (rc == PORTAL_OK)
        rc = payroll_fast_rest(db, actor, opts, head, period, l, taken, applied, feedback);
    json_decref(applied);
    payroll_fast_free(fast);
    free(taken);
    return rc;
}

portal_result wf_payroll_apply(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               const payroll_head *head, int revision)
{
    payroll_period period;
    if (payroll_period_parse(head->period, &period) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    payroll_loaded *l = NULL;
    int later = 0;
    portal_result rc = payroll_store_has_later(db, head->scheme_id, head->period_end, &later);
    if (rc == PORTAL_OK)
        rc = payroll_store_load(db, head->id, revision, &l);
    json_t *feedback = json_array();
    if (rc == PORTAL_OK)
        rc = feedback ? payroll_all(db, actor, opts, head, &period, l, later, feedback)
                      : PORTAL_ERR_MEMORY;
    payroll_loaded_free(l);
    char *text = rc == PORTAL_OK ? json_dumps(feedback, JSON_COMPACT) : NULL;
    json_decref(feedback);
    if (rc == PORTAL_OK && !text)
        rc = PORTAL_ERR_MEMORY;
    if (rc == PORTAL_OK)
        rc = payroll_store_finish(db, head->id, revision, text);
    free(text);
    return rc;
}
