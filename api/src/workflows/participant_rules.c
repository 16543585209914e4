/* workflows/participant_rules.c: see participant_rules.h. */
#include "workflows/participant_rules.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/access.h"
#include "base/uuid.h"
#include "domain/participant_format.h"
#include "store/audit.h"

void wf_rules_init(wf_rules *r, portal_outcome *o, const char *lang)
{
    memset(r, 0, sizeof *r);
    outcome_init(o);
    r->o = o;
    r->lang = lang && strcmp(lang, "en") == 0 ? "en" : "nl";
}

void wf_rules_add(wf_rules *r, const char *field, const char *field_code, const char *problem_code,
                  const char *message)
{
    outcome_add_error(r->o, field, field_code, message);
    if (r->conflict)
        return;
    if (!r->code[0])
        snprintf(r->code, sizeof r->code, "%s", problem_code);
    else if (strcmp(r->code, problem_code) != 0)
        r->mixed = 1;
}

const char *wf_rule_text(const rule_definition *rule, const char *lang)
{
    return lang && strcmp(lang, "en") == 0 ? rule->description_en : rule->description_nl;
}

/* The field code of a refusing rule (see the header). */
static const char *wf_field_code(const rule_definition *rule)
{
    if (strcmp(rule->id, "field_required") == 0)
        return "required";
    if (rule->code && strcmp(rule->code, "validation_failed") != 0)
        return rule->code;
    return rule->id;
}

/* Adds a refusing rule as a field error; a conflict rule's code wins. */
static void wf_rules_add_rule(wf_rules *r, const rule_definition *rule, const char *field)
{
    if (rule->outcome == RULE_CONFLICT && !r->conflict) {
        r->conflict = 1;
        r->mixed = 0;
        snprintf(r->code, sizeof r->code, "%s", rule->code);
    }
    wf_rules_add(r, field, wf_field_code(rule), rule->code ? rule->code : "validation_failed",
                 wf_rule_text(rule, r->lang));
}

void wf_rules_add_report(wf_rules *r, const rule_report *report)
{
    for (size_t i = 0; i < report->count; i++)
        if (report->findings[i].rule->outcome >= RULE_INVALID)
            wf_rules_add_rule(r, report->findings[i].rule, report->findings[i].field);
}

void wf_rules_add_verdict(wf_rules *r, const rule_verdict *verdict, const char *field)
{
    if (verdict->rule && verdict->outcome >= RULE_INVALID)
        wf_rules_add_rule(r, verdict->rule, field);
}

int wf_rules_failed(const wf_rules *r)
{
    return r->o->n_errors > 0;
}

portal_result wf_rules_finish(wf_rules *r)
{
    return outcome_fail(r->o, r->conflict ? PORTAL_ERR_CONFLICT : PORTAL_ERR_INVALID,
                        r->mixed || !r->code[0] ? "validation_failed" : r->code);
}

json_t *wf_trimmed(const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return json_stringn(s, n);
}

/* Adds "required" at parent/key when value is absent; returns 1 if absent. */
static int wf_missing(wf_rules *r, const char *parent, const char *key, const char *value)
{
    if (value)
        return 0;
    char pointer[128];
    snprintf(pointer, sizeof pointer, "%s/%s", parent, key);
    wf_rules_add(r, pointer, "required", "validation_failed", NULL);
    return 1;
}

json_t *wf_address(wf_rules *r, const participant_address_input *a, const char *parent)
{
    int missing = wf_missing(r, parent, "street", a->street);
    missing |= wf_missing(r, parent, "house_number", a->house_number);
    missing |= wf_missing(r, parent, "postal_code", a->postal_code);
    missing |= wf_missing(r, parent, "city", a->city);
    if (missing)
        return NULL;
    const char *country = participant_present(a->country) ? a->country : "NL";
    char pointer[128];
    if (!participant_country_is_valid(country)) {
        snprintf(pointer, sizeof pointer, "%s/country", parent);
        wf_rules_add(r, pointer, "invalid_format", "validation_failed", NULL);
        return NULL;
    }
    char normalised[PARTICIPANT_POSTAL_CODE_SIZE];
    if (participant_postal_code_normalize(country, a->postal_code, normalised, sizeof normalised) !=
        PORTAL_OK) {
        snprintf(pointer, sizeof pointer, "%s/postal_code", parent);
        wf_rules_add(r, pointer, "invalid_format", "validation_failed", NULL);
        return NULL;
    }
    json_t *out = json_object();
    json_object_set_new(out, "street", wf_trimmed(a->street));
    json_object_set_new(out, "house_number", wf_trimmed(a->house_number));
    json_object_set_new(out, "postal_code", json_string(normalised));
    json_object_set_new(out, "city", wf_trimmed(a->city));
    json_object_set_new(out, "country", json_string(country));
    return out;
}

json_t *wf_family_member(wf_rules *r, const participant_family_input *m, rule_change_type type,
                         civil_date today)
{
    const int partner = type == RULE_CHANGE_PARTNER;
    const char *parent = partner ? "/partner" : "/child";
    int missing = wf_missing(r, parent, "first_name", m->first_name);
    missing |= wf_missing(r, parent, "surname", m->surname);
    if (missing)
        return NULL;
    rule_family_input fi = {.birth_date = m->birth_date,
                            .bsn = m->bsn,
                            .relationship = partner ? m->relationship : NULL};
    rule_family_member parsed;
    rule_report report;
    if (rule_check_family_member(type, &fi, today, &parsed, &report) != PORTAL_OK)
        return NULL;
    if (report.outcome != RULE_DIRECT) {
        wf_rules_add_report(r, &report);
        return NULL;
    }
    json_t *out = json_object();
    json_object_set_new(out, "first_name", wf_trimmed(m->first_name));
    if (participant_present(m->surname_prefix))
        json_object_set_new(out, "surname_prefix", wf_trimmed(m->surname_prefix));
    json_object_set_new(out, "surname", wf_trimmed(m->surname));
    json_object_set_new(out, "birth_date", json_string(fi.birth_date));
    json_object_set_new(out, "bsn", json_string(fi.bsn));
    if (partner)
        json_object_set_new(out, "relationship",
                            json_string(rule_relationship_name(parsed.relationship)));
    return out;
}

portal_result wf_today(const wf_row_options *opts, civil_date *today,
                       char text[CIVIL_DATE_TEXT_SIZE])
{
    civil_date d = {2000, 1, 1};
    if (opts && opts->today) {
        if (civil_date_parse(opts->today, &d) != PORTAL_OK)
            return PORTAL_ERR_INVALID;
    } else {
        (void)civil_date_amsterdam_today(time(NULL), &d);
    }
    *today = d;
    return civil_date_format(d, text, CIVIL_DATE_TEXT_SIZE);
}

void wf_participant_actor(const portal_actor *actor, const wf_row_options *opts,
                          participant_actor *out)
{
    memset(out, 0, sizeof *out);
    const portal_caller *c = actor ? actor->caller : NULL;
    out->label = opts ? opts->label : NULL;
    out->user_id = c && c->user_id[0] ? c->user_id : NULL;
    if ((opts && opts->batch_id) || !c) {
        out->kind = "batch";
        out->batch_id = opts ? opts->batch_id : NULL;
    } else if (c->kind == CALLER_API_TOKEN) {
        out->kind = "api_token";
        out->token_id = c->token_id;
    } else if (strcmp(c->organisation_kind, "insurer") == 0) {
        out->kind = "staff";
    } else {
        out->kind = "user";
    }
}

portal_result wf_scheme_access(db_conn *db, const portal_actor *actor, const char *scheme_id,
                               const char *capability, portal_outcome *o)
{
    if (!actor || !actor->caller)
        return PORTAL_OK;
    portal_result rc = access_scheme(db, actor->caller, scheme_id, capability);
    if (rc == PORTAL_OK)
        return PORTAL_OK;
    if (rc != PORTAL_ERR_NOT_FOUND && rc != PORTAL_ERR_DENIED)
        rc = PORTAL_ERR_DATABASE;
    return outcome_fail(o, rc, NULL);
}

portal_result wf_insert_change(db_conn *db, const portal_actor *actor, const wf_row_options *opts,
                               participant_change_new *change, char out_id[PORTAL_ID_LEN],
                               char **json)
{
    wf_participant_actor(actor, opts, &change->actor);
    if (!change->payload)
        return PORTAL_ERR_MEMORY;
    return participant_changes_insert(db, change, out_id, json);
}

portal_result wf_participant_audit(db_conn *db, const portal_actor *actor,
                                   const wf_row_options *opts, const char *action,
                                   const char *participant_id, const char *organisation_id,
                                   json_t *changes)
{
    const char *batch = opts ? opts->batch_id : NULL;
    if (batch)
        audit_change_str(changes, "batch_id", NULL, batch);
    return workflow_audit(db, actor, batch ? "batch" : NULL, action, "participant", participant_id,
                          organisation_id, changes);
}

portal_result wf_change_find(db_conn *db, const char *id, participant_change_meta *meta,
                             portal_outcome *o)
{
    portal_result rc =
        id && uuid_valid(id) ? participant_changes_get(db, id, meta, NULL) : PORTAL_ERR_NOT_FOUND;
    if (rc != PORTAL_OK)
        return outcome_fail(o, rc == PORTAL_ERR_NOT_FOUND ? rc : PORTAL_ERR_DATABASE, NULL);
    return PORTAL_OK;
}
