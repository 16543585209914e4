/* workflows/changes.c: see changes.h. */
#include "workflows/changes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "domain/decimal.h"
#include "store/audit.h"

/* A change after its input rules passed. */
typedef struct {
    rule_change_type type;
    civil_date effective;
    json_t *payload; /* owned */
} change_checked;

/* The salary_change fields, canonical, into payload. */
static void check_salary_change(wf_rules *rules, const wf_change_input *in, json_t *payload)
{
    rule_salary_change parsed;
    rule_report report;
    if (rule_check_salary_change(in->salary, in->parttime_percentage, &parsed, &report) !=
        PORTAL_OK)
        return;
    if (report.outcome != RULE_DIRECT) {
        wf_rules_add_report(rules, &report);
        return;
    }
    char text[DECIMAL_TEXT_SIZE];
    if (parsed.has_salary &&
        decimal_format(parsed.salary, DECIMAL_MONEY_SCALE, text, sizeof text) == PORTAL_OK)
        json_object_set_new(payload, "salary", json_string(text));
    if (parsed.has_parttime_percentage &&
        decimal_format(parsed.parttime_percentage, DECIMAL_PERCENTAGE_SCALE, text, sizeof text) ==
            PORTAL_OK)
        json_object_set_new(payload, "parttime_percentage", json_string(text));
}

/* The type's own fields into c->payload. */
static void check_type_fields(wf_rules *rules, const wf_change_input *in, civil_date today,
                              change_checked *c)
{
    switch (c->type) {
    case RULE_CHANGE_SALARY:
        check_salary_change(rules, in, c->payload);
        break;
    case RULE_CHANGE_PARTNER:
    case RULE_CHANGE_CHILD: {
        const char *key = c->type == RULE_CHANGE_PARTNER ? "partner" : "child";
        json_t *m = NULL;
        if (!in->member)
            wf_rules_add(rules, c->type == RULE_CHANGE_PARTNER ? "/partner" : "/child", "required",
                         "validation_failed", NULL);
        else
            m = wf_family_member(rules, in->member, c->type, today);
        if (m)
            json_object_set_new(c->payload, key, m);
        break;
    }
    case RULE_CHANGE_ADDRESS: {
        json_t *a = NULL;
        if (!in->address)
            wf_rules_add(rules, "/address", "required", "validation_failed", NULL);
        else
            a = wf_address(rules, in->address, "/address");
        if (a)
            json_object_set_new(c->payload, "address", a);
        break;
    }
    case RULE_CHANGE_TERMINATION:
    case RULE_CHANGE_REGISTRATION:
    default:
        break;
    }
}

/* Every input rule of a change at once: type, the type's fields, the
 * effective date. */
static void check_change(wf_rules *rules, const wf_change_input *in, civil_date today,
                         change_checked *c)
{
    if (!in->type || rule_change_type_parse(in->type, &c->type) != PORTAL_OK ||
        c->type == RULE_CHANGE_REGISTRATION) {
        wf_rules_add(rules, "/type", in->type ? "invalid_value" : "required", "validation_failed",
                     NULL);
        return;
    }
    c->payload = json_object();
    check_type_fields(rules, in, today, c);
    if (!in->effective_date || civil_date_parse(in->effective_date, &c->effective) != PORTAL_OK) {
        const rule_definition *rule = rule_find("date_invalid");
        wf_rules_add(rules, "/effective_date", "date_invalid", "validation_failed",
                     rule ? wf_rule_text(rule, rules->lang) : NULL);
    }
}

/* The participant's state in the shape the change rules want. 0 when the
 * stored state cannot be read (no period). */
static int rules_state(const participant_ref *ref, const participant_state *st,
                       rule_participant_state *p)
{
    memset(p, 0, sizeof *p);
    if (!st->has_period || rule_scheme_kind_parse(ref->scheme_kind, &p->scheme_kind) != PORTAL_OK ||
        rule_status_parse(st->status, &p->status) != PORTAL_OK ||
        civil_date_parse(st->employment_start, &p->employment_start) != PORTAL_OK)
        return 0;
    const char *end = st->employment_end[0] ? st->employment_end : NULL;
    if (st->pending_end[0] && (!end || strcmp(st->pending_end, end) < 0))
        end = st->pending_end;
    if (end) {
        p->has_employment_end = true;
        if (civil_date_parse(end, &p->employment_end) != PORTAL_OK)
            return 0;
    }
    return 1;
}

portal_result wf_participant_lock(db_conn *db, const wf_row_options *opts,
                                  const char *participant_id, const char *today,
                                  wf_precondition_fn precondition, void *arg, participant_ref *ref,
                                  participant_state *st, portal_outcome *o)
{
    portal_result rc = participants_ref(db, participant_id, 1, ref);
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_INTERNAL, NULL);
    if (precondition && !precondition(arg, ref->id, ref->version))
        return outcome_fail(o, PORTAL_ERR_PRECONDITION, NULL);
    if (participants_state(db, participant_id, today, st) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    if (st->scheme_locked && !(opts && opts->holds_scheme_lock))
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "scheme_locked_by_batch");
    return PORTAL_OK;
}

/* Writes an accepted change, rebuilds the periods and records the audit
 * event. */
static portal_result change_write(db_conn *db, const portal_actor *actor,
                                  const wf_row_options *opts, const participant_ref *ref,
                                  const wf_change_input *in, const change_checked *c,
                                  const rule_verdict *verdict, wf_change_result *out)
{
    char reasons[128] = "{}";
    if (verdict->outcome == RULE_REVIEW && verdict->rule)
        snprintf(reasons, sizeof reasons, "{%s}", verdict->rule->id);
    snprintf(out->status, sizeof out->status, "%s",
             verdict->outcome == RULE_REVIEW ? "pending_review" : "processed");
    char *payload = json_dumps(c->payload, JSON_COMPACT);
    participant_change_new change = {.participant_id = ref->id,
                                     .scheme_id = ref->scheme_id,
                                     .type = rule_change_type_name(c->type),
                                     .effective_date = in->effective_date,
                                     .status = out->status,
                                     .review_reasons = reasons,
                                     .payload = payload};
    portal_result rc =
        wf_insert_change(db, actor, opts, &change, out->change_id, &out->change_json);
    free(payload);
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, ref->id);
    if (rc != PORTAL_OK)
        return rc;
    json_t *changes = json_object();
    audit_change_str(changes, "change_id", NULL, out->change_id);
    audit_change_str(changes, "type", NULL, change.type);
    audit_change_str(changes, "effective_date", NULL, in->effective_date);
    audit_change_str(changes, "status", NULL, out->status);
    json_t *salary = json_object_get(c->payload, "salary");
    json_t *parttime = json_object_get(c->payload, "parttime_percentage");
    if (salary)
        audit_change(changes, "salary", NULL, salary);
    if (parttime)
        audit_change(changes, "parttime_percentage", NULL, parttime);
    rc = wf_participant_audit(db, actor, opts, "participant.change_registered", ref->id,
                              ref->organisation_id, changes);
    json_decref(changes);
    return rc;
}

/* The change against the participant's state, then the write. */
static portal_result change_apply(db_conn *db, const portal_actor *actor,
                                  const wf_row_options *opts, const wf_change_input *in,
                                  const change_checked *c, civil_date today, const char *today_text,
                                  wf_rules *rules, wf_change_result *out)
{
    portal_outcome *o = rules->o;
    participant_ref ref;
    participant_state st;
    portal_result rc = wf_participant_lock(db, opts, in->participant_id, today_text,
                                           in->precondition, in->precondition_arg, &ref, &st, o);
    if (rc != PORTAL_OK)
        return rc;
    rule_participant_state p;
    rule_verdict verdict;
    if (!rules_state(&ref, &st, &p) ||
        rule_check_change(&p, c->type, today, c->effective, &verdict) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    if (verdict.outcome == RULE_INVALID || verdict.outcome == RULE_CONFLICT) {
        const int family =
            verdict.rule && strcmp(verdict.rule->id, "family_requires_pension_scheme") == 0;
        wf_rules_add_verdict(rules, &verdict, family ? "/type" : "/effective_date");
        return wf_rules_finish(rules);
    }
    snprintf(out->participant_id, sizeof out->participant_id, "%s", ref.id);
    snprintf(out->organisation_id, sizeof out->organisation_id, "%s", ref.organisation_id);
    rc = change_write(db, actor, opts, &ref, in, c, &verdict, out);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result wf_change_submit(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               const wf_change_input *in, wf_change_result *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    outcome_init(o);
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    if (wf_today(opts, &today, today_text) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    participant_ref ref;
    portal_result rc = in->participant_id && uuid_valid(in->participant_id)
                           ? participants_ref(db, in->participant_id, 0, &ref)
                           : PORTAL_ERR_NOT_FOUND;
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_DATABASE, NULL);
    rc = wf_scheme_access(db, actor, ref.scheme_id, "participants.write", o);
    if (rc != PORTAL_OK)
        return rc;
    wf_rules rules;
    wf_rules_init(&rules, o, workflow_lang(actor));
    change_checked c;
    memset(&c, 0, sizeof c);
    check_change(&rules, in, today, &c);
    if (wf_rules_failed(&rules))
        rc = wf_rules_finish(&rules);
    else
        rc = change_apply(db, actor, opts, in, &c, today, today_text, &rules, out);
    json_decref(c.payload);
    if (rc != PORTAL_OK)
        wf_change_result_free(out);
    return rc;
}

/* Why a change cannot be cancelled now: NULL when it can. */
static const char *cancel_refusal(const participant_change_meta *meta, const participant_state *st)
{
    if (strcmp(meta->status, "processed") != 0 && strcmp(meta->status, "pending_review") != 0)
        return "change_not_cancellable";
    if (strcmp(meta->type, "registration") == 0)
        return "change_not_cancellable";
    if (strcmp(meta->type, "termination") == 0)
        return meta->later_registration ? "change_not_cancellable" : NULL;
    if (strcmp(st->status, "dormant") == 0 || strcmp(st->status, "ended") == 0)
        return "participant_dormant";
    return NULL;
}

/* The cancellation itself, with the participant locked. */
static portal_result cancel_apply(db_conn *db, const portal_actor *actor,
                                  const wf_row_options *opts, const wf_cancel_input *in,
                                  const participant_ref *ref, const participant_state *st,
                                  wf_change_result *out, portal_outcome *o)
{
    participant_change_meta meta;
    /* Read again under the participant's lock. */
    if (participant_changes_get(db, in->change_id, &meta, NULL) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    const char *refusal = cancel_refusal(&meta, st);
    if (refusal)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, refusal);
    participant_actor pa;
    wf_participant_actor(actor, opts, &pa);
    int changed = 0;
    portal_result rc = participant_changes_cancel(db, in->change_id, &pa, in->reason, &changed);
    if (rc == PORTAL_OK && !changed)
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "change_not_cancellable");
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, ref->id);
    wf_change_decision d = {.id = in->change_id,
                            .type = meta.type,
                            .from_status = meta.status,
                            .to_status = "cancelled",
                            .reason_key = "cancel_reason",
                            .reason = in->reason,
                            .action = "participant.change_cancelled",
                            .participant_id = ref->id,
                            .organisation_id = ref->organisation_id};
    if (rc == PORTAL_OK)
        rc = wf_change_decision_record(db, actor, &d, out);
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

portal_result wf_change_cancel(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               const wf_cancel_input *in, wf_change_result *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    outcome_init(o);
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    if (wf_today(opts, &today, today_text) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    participant_change_meta meta;
    portal_result rc = wf_change_find(db, in->change_id, &meta, o);
    if (rc != PORTAL_OK)
        return rc;
    rc = wf_scheme_access(db, actor, meta.scheme_id, "participants.write", o);
    if (rc != PORTAL_OK)
        return rc;
    if (!in->reason) {
        outcome_add_error(o, "/reason", "required", NULL);
        return outcome_fail(o, PORTAL_ERR_INVALID, NULL);
    }
    participant_ref ref;
    participant_state st;
    rc = wf_participant_lock(db, opts, meta.participant_id, today_text, in->precondition,
                             in->precondition_arg, &ref, &st, o);
    if (rc == PORTAL_OK)
        rc = cancel_apply(db, actor, opts, in, &ref, &st, out, o);
    if (rc != PORTAL_OK)
        wf_change_result_free(out);
    return rc;
}

portal_result wf_change_decision_record(db_conn *db, const portal_actor *actor,
                                        const wf_change_decision *d, wf_change_result *out)
{
    json_t *changes = json_object();
    audit_change_str(changes, "change_id", NULL, d->id);
    audit_change_str(changes, "type", NULL, d->type);
    audit_change_str(changes, "status", d->from_status, d->to_status);
    if (d->reason_key)
        audit_change_str(changes, d->reason_key, NULL, d->reason);
    portal_result rc = workflow_audit(db, actor, NULL, d->action, "participant", d->participant_id,
                                      d->organisation_id, changes);
    json_decref(changes);
    participant_change_meta meta;
    free(out->change_json);
    out->change_json = NULL;
    if (rc == PORTAL_OK)
        rc = participant_changes_get(db, d->id, &meta, &out->change_json);
    if (rc == PORTAL_OK) {
        snprintf(out->change_id, sizeof out->change_id, "%s", meta.id);
        snprintf(out->participant_id, sizeof out->participant_id, "%s", meta.participant_id);
        snprintf(out->organisation_id, sizeof out->organisation_id, "%s", d->organisation_id);
        snprintf(out->status, sizeof out->status, "%s", meta.status);
    }
    return rc;
}

void wf_change_result_free(wf_change_result *r)
{
    free(r->change_json);
    r->change_json = NULL;
}
