/* workflows/payroll_fast.c: see payroll_internal.h. */
#include "workflows/payroll_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/decimal.h"
#include "domain/participant_rules.h"
#include "workflows/participants.h"

struct payroll_fast {
    const portal_actor *actor;
    const wf_row_options *opts;
    const payroll_head *head;
    civil_date today;
    json_t *rows; /* [{participant_id, effective_date, payload, seq}] */
    json_t *regs; /* [{row_key (the seq), bsn, effective_date, status, payload}] */
};

payroll_fast *payroll_fast_new(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               const payroll_head *head, int later_periods)
{
    portal_outcome o;
    outcome_init(&o);
    int locked = 1;
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    if (later_periods || wf_today(opts, &today, today_text) != PORTAL_OK ||
        wf_scheme_access(db, actor, head->scheme_id, "participants.write", &o) != PORTAL_OK ||
        participants_scheme_locked(db, head->scheme_id, &locked) != PORTAL_OK || locked)
        return NULL;
    payroll_fast *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->actor = actor;
    f->opts = opts;
    f->head = head;
    f->today = today;
    f->rows = json_array();
    f->regs = json_array();
    if (!f->rows || !f->regs) {
        payroll_fast_free(f);
        return NULL;
    }
    return f;
}

/* The participant as the change rules see it; 0 when it cannot be read. */
static int payroll_fast_state(const payroll_row *r, rule_participant_state *p)
{
    memset(p, 0, sizeof *p);
    p->scheme_kind = RULE_SCHEME_PENSION; /* salary changes do not depend on it */
    if (!r->p_status || rule_status_parse(r->p_status, &p->status) != PORTAL_OK ||
        !r->p_employment_start ||
        civil_date_parse(r->p_employment_start, &p->employment_start) != PORTAL_OK)
        return 0;
    const char *end = r->p_employment_end;
    if (r->p_pending_end && (!end || strcmp(r->p_pending_end, end) < 0))
        end = r->p_pending_end;
    if (end) {
        p->has_employment_end = true;
        if (civil_date_parse(end, &p->employment_end) != PORTAL_OK)
            return 0;
    }
    return 1;
}

/* The change's payload as wf_change_submit stores it, or NULL when the
 * values break a rule (the use case then answers with its code). */
static json_t *payroll_fast_payload(const payroll_row *r, unsigned actions)
{
    rule_salary_change parsed;
    rule_report report;
    const char *salary = actions & PAYROLL_SALARY ? r->salary : NULL;
    const char *parttime = actions & PAYROLL_PARTTIME ? r->parttime_percentage : NULL;
    if (rule_check_salary_change(salary, parttime, &parsed, &report) != PORTAL_OK ||
        report.outcome != RULE_DIRECT)
        return NULL;
    json_t *payload = json_object();
    char text[DECIMAL_TEXT_SIZE];
    if (parsed.has_salary &&
        decimal_format(parsed.salary, DECIMAL_MONEY_SCALE, text, sizeof text) == PORTAL_OK)
        json_object_set_new(payload, "salary", json_string(text));
    if (parsed.has_parttime_percentage &&
        decimal_format(parsed.parttime_percentage, DECIMAL_PERCENTAGE_SCALE, text, sizeof text) ==
            PORTAL_OK)
        json_object_set_new(payload, "parttime_percentage", json_string(text));
    return payload;
}

void payroll_registration_input(const payroll_head *head, const payroll_row *r,
                                participant_address_input *addr, wf_registration_input *in)
{
    *addr = (participant_address_input){r->street, r->house_number, r->postal_code, r->city,
                                        r->country};
    int has_address = r->street || r->house_number || r->postal_code || r->city;
    *in = (wf_registration_input){.scheme_id = head->scheme_id,
                                  .first_name = r->first_name,
                                  .initials = r->initials,
                                  .surname_prefix = r->surname_prefix,
                                  .surname = r->surname,
                                  .birth_date = r->birth_date,
                                  .gender = r->gender,
                                  .bsn = r->bsn,
                                  .address = has_address ? addr : NULL,
                                  .start_date = r->start_date,
                                  .salary = r->salary,
                                  .parttime_percentage = r->parttime_percentage};
}

/* Takes a registration of a BSN new to the scheme that the registration
 * rules process at once: 1, else 0 (the use case answers for it). */
static int payroll_fast_register(payroll_fast *f, const payroll_row *r)
{
    participant_address_input addr;
    wf_registration_input in;
    payroll_registration_input(f->head, r, &addr, &in);
    char *text = wf_registration_direct_payload(&in, f->today);
    json_t *payload = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    if (!payload)
        return 0;
    json_t *row = json_pack("{s:i, s:s, s:s, s:s, s:[], s:o}", "row_key", r->seq, "bsn", r->bsn,
                            "effective_date", r->start_date, "status", "processed",
                            "review_reasons", "payload", payload);
    return row && json_array_append_new(f->regs, row) == 0;
}

int payroll_fast_take(payroll_fast *f, const payroll_row *r, const payroll_diff *d)
{
    const unsigned values = PAYROLL_SALARY | PAYROLL_PARTTIME;
    if (f && !r->participant_id && d->actions == PAYROLL_REGISTRATION && r->bsn && r->start_date)
        return payroll_fast_register(f, r);
    if (!f || !r->participant_id || !d->actions || (d->actions & ~values))
        return 0;
    rule_participant_state p;
    rule_verdict verdict;
    if (!payroll_fast_state(r, &p) ||
        rule_check_change(&p, RULE_CHANGE_SALARY, f->today, d->change_date, &verdict) !=
            PORTAL_OK ||
        verdict.outcome != RULE_DIRECT)
        return 0;
    char day[CIVIL_DATE_TEXT_SIZE];
    json_t *payload = payroll_fast_payload(r, d->actions);
    if (!payload || civil_date_format(d->change_date, day, sizeof day) != PORTAL_OK) {
        json_decref(payload);
        return 0;
    }
    json_t *row = json_pack("{s:s, s:s, s:o, s:i}", "participant_id", r->participant_id,
                            "effective_date", day, "payload", payload, "seq", r->seq);
    return row && json_array_append_new(f->rows, row) == 0;
}

/* The audit label workflow_audit records for the actor. */
static const char *payroll_fast_audit_label(const portal_actor *actor)
{
    const portal_caller *c = actor ? actor->caller : NULL;
    if (!c)
        return "system";
    if (c->kind == CALLER_API_TOKEN)
        return "api_token";
    return caller_has_right(c, "staff") ? "staff" : "user";
}

/* Adds to applied ({seq: participant id}) the salary rows whose
 * participants ids (a JSON array text) names. */
static portal_result payroll_fast_salary_seqs(const payroll_fast *f, const char *ids,
                                              json_t *applied)
{
    json_t *done = json_loads(ids, 0, NULL), *by_id = json_object();
    portal_result rc = json_is_array(done) && by_id ? PORTAL_OK : PORTAL_ERR_MEMORY;
    size_t i;
    json_t *v;
    json_array_foreach(done, i, v)
    {
        if (rc == PORTAL_OK && json_is_string(v) &&
            json_object_set(by_id, json_string_value(v), json_true()) != 0)
            rc = PORTAL_ERR_MEMORY;
    }
    json_array_foreach(f->rows, i, v)
    {
        const char *pid = json_string_value(json_object_get(v, "participant_id"));
        char seq[16];
        snprintf(seq, sizeof seq, "%lld", (long long)json_integer_value(json_object_get(v, "seq")));
        if (rc == PORTAL_OK && pid && json_object_get(by_id, pid) &&
            json_object_set_new(applied, seq, json_string(pid)) != 0)
            rc = PORTAL_ERR_MEMORY;
    }
    json_decref(done);
    json_decref(by_id);
    return rc;
}

/* Runs one set-based apply of rows (as JSON text) through fn. */
static portal_result payroll_fast_call(db_conn *db, const char *scheme_id,
                                       const payroll_recorder *who, const json_t *rows,
                                       payroll_store_apply_fn fn, char **out)
{
    *out = NULL;
    char *text = json_dumps(rows, JSON_COMPACT);
    if (!text)
        return PORTAL_ERR_MEMORY;
    portal_result rc = fn(db, scheme_id, who, text, out);
    free(text);
    return rc;
}

portal_result payroll_fast_run(payroll_fast *f, db_conn *db, json_t **applied)
{
    *applied = json_object();
    if (!*applied)
        return PORTAL_ERR_MEMORY;
    if (!f)
        return PORTAL_OK;
    participant_actor pa;
    wf_participant_actor(f->actor, f->opts, &pa);
    payroll_recorder who = {.kind = pa.kind,
                            .user_id = pa.user_id,
                            .token_id = pa.token_id,
                            .label = pa.label,
                            .audit_label = payroll_fast_audit_label(f->actor),
                            .request_id = f->actor ? f->actor->request_id : NULL,
                            .client_address = f->actor ? f->actor->client_address : NULL};
    char *out = NULL;
    portal_result rc = PORTAL_OK;
    if (json_array_size(f->regs) > 0) {
        rc = payroll_fast_call(db, f->head->scheme_id, &who, f->regs,
                               payroll_store_registration_apply, &out);
        json_t *regs = rc == PORTAL_OK ? json_loads(out, 0, NULL) : NULL;
        if (rc == PORTAL_OK && (!json_is_object(regs) || json_object_update(*applied, regs) != 0))
            rc = PORTAL_ERR_MEMORY;
        json_decref(regs);
        free(out);
        out = NULL;
    }
    if (rc == PORTAL_OK && json_array_size(f->rows) > 0) {
        rc = payroll_fast_call(db, f->head->scheme_id, &who, f->rows, payroll_store_salary_apply,
                               &out);
        if (rc == PORTAL_OK)
            rc = payroll_fast_salary_seqs(f, out, *applied);
        free(out);
    }
    return rc;
}

void payroll_fast_free(payroll_fast *f)
{
    if (!f)
        return;
    json_decref(f->rows);
    json_decref(f->regs);
    free(f);
}
