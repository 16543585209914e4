/* workflows/participants.c: see participants.h. */
#include "workflows/participants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "domain/decimal.h"
#include "domain/participant_format.h"
#include "store/audit.h"
#include "store/participant_changes.h"

/* A registration after its rules passed. */
typedef struct {
    const wf_registration_input *in;
    rule_registration parsed;
    rule_report report;
    char initials[PARTICIPANT_INITIALS_SIZE];
    char display[PARTICIPANT_DISPLAY_NAME_SIZE];
    json_t *address; /* owned, normalised, or NULL */
} registration;

/* Copies s without surrounding spaces into out (NULL when s is NULL). */
static const char *trimmed(const char *s, char *out, size_t size)
{
    if (!s)
        return NULL;
    json_t *t = wf_trimmed(s);
    snprintf(out, size, "%s", json_string_value(t) ? json_string_value(t) : "");
    json_decref(t);
    return out;
}

/* The name rules: initials from the first name or as given, e-mail, the
 * display name. Adds what breaks them to rules. */
static void registration_names(wf_rules *rules, registration *r)
{
    const wf_registration_input *in = r->in;
    const char *first_name = participant_present(in->first_name),
               *given_initials = participant_present(in->initials);
    char first[512], given[128];
    if (!first_name && !given_initials)
        wf_rules_add(rules, "/person/initials", "required", "validation_failed", NULL);
    else if (participant_format_initials(trimmed(given_initials, given, sizeof given),
                                         trimmed(first_name, first, sizeof first), r->initials,
                                         sizeof r->initials) != PORTAL_OK)
        wf_rules_add(rules, given_initials ? "/person/initials" : "/person/first_name",
                     "invalid_format", "validation_failed", NULL);
    char email[PARTICIPANT_EMAIL_MAX + 1];
    if (participant_present(in->email) &&
        !participant_email_is_valid(trimmed(in->email, email, sizeof email)))
        wf_rules_add(rules, "/person/email", "invalid_email", "validation_failed", NULL);
}

/* Every rule of a registration at once, in the order the fields are
 * reported: address, number, names, the registration rules, the display
 * name. */
static void registration_check(wf_rules *rules, registration *r, civil_date today)
{
    const wf_registration_input *in = r->in;
    if (in->address)
        r->address = wf_address(rules, in->address, "/person/address");
    const char *number = participant_present(in->participant_number);
    if (number && !participant_number_is_valid(number))
        wf_rules_add(rules, "/participant_number", "invalid_format", "validation_failed", NULL);
    registration_names(rules, r);
    rule_registration_input rin = {.birth_date = in->birth_date,
                                   .gender = in->gender,
                                   .bsn = in->bsn,
                                   .start_date = in->start_date,
                                   .salary = in->salary,
                                   .parttime_percentage = in->parttime_percentage};
    if (rule_check_registration(&rin, today, &r->parsed, &r->report) != PORTAL_OK)
        wf_rules_add(rules, "/employment/start_date", "invalid_date", "validation_failed", NULL);
    else
        wf_rules_add_report(rules, &r->report);
    if (!in->surname)
        wf_rules_add(rules, "/person/surname", "required", "validation_failed", NULL);
    char surname[512], prefix[128];
    if (!wf_rules_failed(rules) &&
        participant_format_display_name(
            trimmed(in->surname, surname, sizeof surname), r->initials,
            trimmed(participant_present(in->surname_prefix), prefix, sizeof prefix), r->display,
            sizeof r->display) != PORTAL_OK)
        wf_rules_add(rules, "/person/surname", "too_long", "validation_failed", NULL);
}

/* The registration's payload as stored with the change (no BSN: that lives
 * on the participant). Returns malloc'd JSON text or NULL. */
static char *registration_payload(const registration *r)
{
    const wf_registration_input *in = r->in;
    char salary[DECIMAL_TEXT_SIZE], parttime[DECIMAL_TEXT_SIZE];
    if (decimal_format(r->parsed.salary, DECIMAL_MONEY_SCALE, salary, sizeof salary) != PORTAL_OK ||
        decimal_format(r->parsed.parttime_percentage, DECIMAL_PERCENTAGE_SCALE, parttime,
                       sizeof parttime) != PORTAL_OK)
        return NULL;
    json_t *person = json_object();
    if (participant_present(in->first_name))
        json_object_set_new(person, "first_name", wf_trimmed(in->first_name));
    json_object_set_new(person, "initials", json_string(r->initials));
    if (participant_present(in->surname_prefix))
        json_object_set_new(person, "surname_prefix", wf_trimmed(in->surname_prefix));
    json_object_set_new(person, "surname", wf_trimmed(in->surname));
    json_object_set_new(person, "birth_date", json_string(in->birth_date));
    json_object_set_new(person, "gender", json_string(rule_gender_name(r->parsed.gender)));
    if (participant_present(in->email))
        json_object_set_new(person, "email", wf_trimmed(in->email));
    if (r->address)
        json_object_set(person, "address", r->address);
    json_t *payload = json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}", "display_name", r->display,
                                "person", person, "employment", "start_date", in->start_date,
                                "salary", salary, "parttime_percentage", parttime);
    char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
    json_decref(payload);
    return text;
}

/* The review reasons of a report as a text[] literal of rule ids. */
static void review_reasons(const rule_report *report, char *out, size_t size)
{
    size_t at = (size_t)snprintf(out, size, "{");
    for (size_t i = 0; i < report->count && at < size; i++)
        if (report->findings[i].rule->outcome == RULE_REVIEW)
            at += (size_t)snprintf(out + at, size - at, "%s%s", at > 1 ? "," : "",
                                   report->findings[i].rule->id);
    if (at < size)
        snprintf(out + at, size - at, "}");
}

/* Finds the participant the registration is for: an existing one with the
 * BSN that may be re-hired (out->rehired), or a new row. Fills
 * out->participant_id or the outcome. */
static portal_result registration_participant(db_conn *db, const wf_registration_input *in,
                                              const char *number, wf_registration_result *out,
                                              portal_outcome *o)
{
    participant_ref ref;
    participant_state st;
    portal_result rc = participants_lock_bsn(db, in->scheme_id, in->bsn);
    if (rc == PORTAL_OK)
        rc = participants_find_by_bsn(db, in->scheme_id, in->bsn, in->start_date, &ref, &st);
    if (rc == PORTAL_OK) {
        /* Still (or by then) employed: the BSN exists. Dormant or ended on
         * the new start date: a new employment on the same participant. */
        if (strcmp(st.status, "dormant") != 0 && strcmp(st.status, "ended") != 0)
            return outcome_fail(o, PORTAL_ERR_CONFLICT, "participant_exists");
        if (number && strcmp(number, ref.participant_number) != 0) {
            outcome_add_error(o, "/participant_number", "invalid_value", NULL);
            return outcome_fail(o, PORTAL_ERR_INVALID, "validation_failed");
        }
        out->rehired = 1;
        snprintf(out->participant_id, sizeof out->participant_id, "%s", ref.id);
        return PORTAL_OK;
    }
    if (rc != PORTAL_ERR_NOT_FOUND)
        return outcome_fail(o, rc, NULL);
    int taken = 0;
    rc = number ? participants_number_taken(db, in->scheme_id, number, &taken) : PORTAL_OK;
    if (rc == PORTAL_OK && taken) {
        outcome_add_error(o, "/participant_number", "not_unique", NULL);
        return outcome_fail(o, PORTAL_ERR_CONFLICT, "conflict");
    }
    if (rc == PORTAL_OK)
        rc = participants_insert(db, in->scheme_id, number, in->bsn, out->participant_id,
                                 out->participant_number);
    if (rc == PORTAL_ERR_CONFLICT)
        return outcome_fail(o, rc, "participant_exists");
    return rc == PORTAL_OK ? PORTAL_OK : outcome_fail(o, rc, NULL);
}

/* Writes the registration change, rebuilds the periods and records the
 * audit event. */
static portal_result registration_write(db_conn *db, const portal_actor *actor,
                                        const wf_row_options *opts, const registration *r,
                                        wf_registration_result *out)
{
    char *payload = registration_payload(r);
    char reasons[512];
    review_reasons(&r->report, reasons, sizeof reasons);
    snprintf(out->status, sizeof out->status, "%s",
             r->report.outcome == RULE_REVIEW ? "pending_review" : "processed");
    participant_change_new change = {.participant_id = out->participant_id,
                                     .scheme_id = r->in->scheme_id,
                                     .type = "registration",
                                     .effective_date = r->in->start_date,
                                     .status = out->status,
                                     .review_reasons = reasons,
                                     .payload = payload};
    portal_result rc =
        wf_insert_change(db, actor, opts, &change, out->change_id, &out->change_json);
    free(payload);
    participant_ref ref;
    if (rc == PORTAL_OK)
        rc = participants_rebuild(db, out->participant_id);
    if (rc == PORTAL_OK)
        rc = participants_ref(db, out->participant_id, 0, &ref);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(out->participant_number, sizeof out->participant_number, "%s", ref.participant_number);
    snprintf(out->organisation_id, sizeof out->organisation_id, "%s", ref.organisation_id);
    json_t *changes = json_object();
    audit_change_str(changes, "participant_number", NULL, ref.participant_number);
    audit_change_str(changes, "start_date", NULL, r->in->start_date);
    audit_change_str(changes, "status", NULL, out->status);
    audit_change_str(changes, "change_id", NULL, out->change_id);
    rc = wf_participant_audit(db, actor, opts,
                              out->rehired ? "participant.rehired" : "participant.registered",
                              out->participant_id, ref.organisation_id, changes);
    json_decref(changes);
    return rc;
}

portal_result wf_participant_register(db_conn *db, const portal_actor *actor,
                                      const wf_row_options *opts, const wf_registration_input *in,
                                      wf_registration_result *out, portal_outcome *o)
{
    memset(out, 0, sizeof *out);
    outcome_init(o);
    if (!in->scheme_id || !uuid_valid(in->scheme_id))
        return outcome_fail(o, PORTAL_ERR_NOT_FOUND, NULL);
    civil_date today;
    char today_text[CIVIL_DATE_TEXT_SIZE];
    if (wf_today(opts, &today, today_text) != PORTAL_OK)
        return outcome_fail(o, PORTAL_ERR_INTERNAL, NULL);
    portal_result rc = wf_scheme_access(db, actor, in->scheme_id, "participants.write", o);
    if (rc != PORTAL_OK)
        return rc;
    wf_rules rules;
    wf_rules_init(&rules, o, workflow_lang(actor));
    registration r;
    memset(&r, 0, sizeof r);
    r.in = in;
    registration_check(&rules, &r, today);
    if (wf_rules_failed(&rules)) {
        json_decref(r.address);
        return wf_rules_finish(&rules);
    }
    int locked = 0;
    rc = opts && opts->holds_scheme_lock ? PORTAL_OK
                                         : participants_scheme_locked(db, in->scheme_id, &locked);
    if (rc == PORTAL_OK && locked)
        rc = outcome_fail(o, PORTAL_ERR_CONFLICT, "scheme_locked_by_batch");
    else if (rc != PORTAL_OK)
        rc = outcome_fail(o, rc, NULL);
    if (rc == PORTAL_OK)
        rc = registration_participant(db, in, participant_present(in->participant_number), out, o);
    if (rc == PORTAL_OK && (rc = registration_write(db, actor, opts, &r, out)) != PORTAL_OK)
        outcome_fail(o, rc, NULL);
    json_decref(r.address);
    if (rc != PORTAL_OK)
        wf_registration_result_free(out);
    return rc;
}

char *wf_registration_direct_payload(const wf_registration_input *in, civil_date today)
{
    portal_outcome o;
    wf_rules rules;
    wf_rules_init(&rules, &o, "nl");
    registration r;
    memset(&r, 0, sizeof r);
    r.in = in;
    registration_check(&rules, &r, today);
    char *payload = NULL;
    if (!wf_rules_failed(&rules) && r.report.outcome == RULE_DIRECT &&
        !participant_present(in->participant_number))
        payload = registration_payload(&r);
    json_decref(r.address);
    return payload;
}

void wf_registration_result_free(wf_registration_result *r)
{
    free(r->change_json);
    r->change_json = NULL;
}
