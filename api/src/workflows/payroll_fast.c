/* workflows/payroll_fast.c: see payroll_internal.h. */
#include "workflows/payroll_internal.h"

#include <stdlib.h>
#include <string.h>

#include "domain/decimal.h"
#include "domain/participant_rules.h"

struct payroll_fast {
    const portal_actor *actor;
    const wf_row_options *opts;
    const payroll_head *head;
    civil_date today;
    json_t *rows; /* [{participant_id, effective_date, payload}] */
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
    if (!f->rows) {
        free(f);
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

int payroll_fast_take(payroll_fast *f, const payroll_row *r, const payroll_diff *d)
{
    const unsigned values = PAYROLL_SALARY | PAYROLL_PARTTIME;
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
    json_t *row = json_pack("{s:s, s:s, s:o}", "participant_id", r->participant_id,
                            "effective_date", day, "payload", payload);
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

portal_result payroll_fast_run(payroll_fast *f, db_conn *db, json_t **applied)
{
    *applied = NULL;
    if (!f || json_array_size(f->rows) == 0) {
        *applied = json_array();
        return *applied ? PORTAL_OK : PORTAL_ERR_MEMORY;
    }
    participant_actor pa;
    wf_participant_actor(f->actor, f->opts, &pa);
    payroll_recorder who = {.kind = pa.kind,
                            .user_id = pa.user_id,
                            .token_id = pa.token_id,
                            .label = pa.label,
                            .audit_label = payroll_fast_audit_label(f->actor),
                            .request_id = f->actor ? f->actor->request_id : NULL,
                            .client_address = f->actor ? f->actor->client_address : NULL};
    char *rows = json_dumps(f->rows, JSON_COMPACT), *ids = NULL;
    if (!rows)
        return PORTAL_ERR_MEMORY;
    portal_result rc = payroll_store_salary_apply(db, f->head->scheme_id, &who, rows, &ids);
    free(rows);
    if (rc == PORTAL_OK) {
        *applied = json_loads(ids, 0, NULL);
        rc = json_is_array(*applied) ? PORTAL_OK : PORTAL_ERR_MEMORY;
    }
    free(ids);
    return rc;
}

void payroll_fast_free(payroll_fast *f)
{
    if (!f)
        return;
    json_decref(f->rows);
    free(f);
}
