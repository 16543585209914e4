/*
 * domain/participant_rules.c: the rule table and the registration and change
 * checks for participants. See participant_rules.h for the contract and the
 * decisions behind the thresholds; the enum names and their parsers are in
 * participant_rule_names.c. Standard C only; never reads the clock.
 */
#include "domain/participant_rules.h"

#include <string.h>

#include "domain/bsn.h"
#include "domain/decimal.h"

/* Indexes into rule_table; the table's order is the order the README lists. */
enum {
    RULE_ID_FIELD_REQUIRED = 0,
    RULE_ID_DATE_INVALID,
    RULE_ID_BSN_INVALID,
    RULE_ID_GENDER_INVALID,
    RULE_ID_SALARY_INVALID,
    RULE_ID_PARTTIME_INVALID,
    RULE_ID_SALARY_CHANGE_EMPTY,
    RULE_ID_BIRTH_DATE_IMPLAUSIBLE,
    RULE_ID_FAMILY_BIRTH_DATE_IN_FUTURE,
    RULE_ID_RELATIONSHIP_INVALID,
    RULE_ID_DATE_TOO_FAR_AHEAD,
    RULE_ID_DATE_TOO_EARLY,
    RULE_ID_BEFORE_EMPLOYMENT_START,
    RULE_ID_FAMILY_REQUIRES_PENSION,
    RULE_ID_PARTICIPANT_NOT_ACTIVE,
    RULE_ID_PARTICIPANT_REJECTED,
    RULE_ID_AFTER_EMPLOYMENT_END,
    RULE_ID_TERMINATION_REGISTERED,
    RULE_ID_DATE_MORE_THAN_THREE_MONTHS_BACK,
    RULE_ID_AGE_UNDER_15,
    RULE_ID_AGE_67_OR_OVER,
    RULE_ID_COUNT
};

static const rule_definition rule_table[RULE_ID_COUNT] = {
    [RULE_ID_FIELD_REQUIRED] = {"field_required", RULE_INVALID, "validation_failed",
                                "Dit veld is verplicht.", "This field is required."},
    [RULE_ID_DATE_INVALID] = {"date_invalid", RULE_INVALID, "validation_failed",
                              "Vul een bestaande datum in als JJJJ-MM-DD, tussen 1900 en 2200.",
                              "Enter an existing date as YYYY-MM-DD, between 1900 and 2200."},
    [RULE_ID_BSN_INVALID] = {"bsn_invalid", RULE_INVALID, "invalid_bsn",
                             "Het BSN moet uit 9 cijfers bestaan en voldoen aan de elfproef.",
                             "The BSN must be 9 digits and pass the eleven test (elfproef)."},
    [RULE_ID_GENDER_INVALID] = {"gender_invalid", RULE_INVALID, "validation_failed",
                                "Geslacht moet male, female of unknown zijn.",
                                "Gender must be male, female or unknown."},
    [RULE_ID_SALARY_INVALID] = {"salary_invalid", RULE_INVALID, "validation_failed",
                                "Het salaris moet een bedrag van 0 of meer zijn met hoogstens "
                                "twee decimalen en twaalf cijfers voor de punt, zoals 52242.28.",
                                "The salary must be an amount of 0 or more with at most two "
                                "decimals and twelve digits before the point, such as 52242.28."},
    [RULE_ID_PARTTIME_INVALID] = {"parttime_percentage_invalid", RULE_INVALID, "validation_failed",
                                  "Het parttimepercentage moet tussen 0.001 en 100.000 liggen, "
                                  "met hoogstens drie decimalen.",
                                  "The part-time percentage must lie between 0.001 and 100.000, "
                                  "with at most three decimals."},
    [RULE_ID_SALARY_CHANGE_EMPTY] = {"salary_change_empty", RULE_INVALID, "validation_failed",
                                     "Geef een nieuw salaris en/of parttimepercentage op.",
                                     "Give a new salary and/or part-time percentage."},
    [RULE_ID_BIRTH_DATE_IMPLAUSIBLE] = {"birth_date_implausible", RULE_INVALID, "validation_failed",
                                        "De geboortedatum kan niet kloppen: deze ligt in de "
                                        "toekomst of na de ingangsdatum, of de deelnemer is op "
                                        "de ingangsdatum jonger dan 13 jaar.",
                                        "The birth date cannot be right: it lies in the future "
                                        "or after the start date, or the participant is younger "
                                        "than 13 on the start date."},
    [RULE_ID_FAMILY_BIRTH_DATE_IN_FUTURE] = {"family_birth_date_in_future", RULE_INVALID,
                                             "validation_failed",
                                             "De geboortedatum ligt in de toekomst.",
                                             "The birth date lies in the future."},
    [RULE_ID_RELATIONSHIP_INVALID] = {"relationship_invalid", RULE_INVALID, "validation_failed",
                                      "De relatie moet married, registered_partnership of "
                                      "cohabiting zijn.",
                                      "The relationship must be married, registered_partnership "
                                      "or cohabiting."},
    [RULE_ID_DATE_TOO_FAR_AHEAD] = {"effective_date_too_far_ahead", RULE_INVALID,
                                    "effective_date_out_of_range",
                                    "De datum mag hoogstens drie maanden in de toekomst liggen.",
                                    "The date may lie at most three months in the future."},
    [RULE_ID_DATE_TOO_EARLY] = {"effective_date_before_1950", RULE_INVALID,
                                "effective_date_out_of_range",
                                "De datum mag niet vóór 1 januari 1950 liggen.",
                                "The date may not lie before 1 January 1950."},
    [RULE_ID_BEFORE_EMPLOYMENT_START] = {"before_employment_start", RULE_INVALID,
                                         "effective_date_out_of_range",
                                         "De wijzigingsdatum ligt vóór de datum in dienst.",
                                         "The effective date lies before the employment start."},
    [RULE_ID_FAMILY_REQUIRES_PENSION] = {"family_requires_pension_scheme", RULE_INVALID,
                                         "validation_failed",
                                         "Een partner of kind aanmelden kan alleen bij een "
                                         "pensioenregeling.",
                                         "A partner or child can only be registered in a "
                                         "pension scheme."},
    [RULE_ID_PARTICIPANT_NOT_ACTIVE] = {"participant_not_active", RULE_CONFLICT,
                                        "participant_dormant",
                                        "Op een deelnemer met de status slaper of beëindigd kunt "
                                        "u geen wijzigingen doorvoeren.",
                                        "A participant who is dormant or ended cannot be "
                                        "changed."},
    [RULE_ID_PARTICIPANT_REJECTED] = {"participant_rejected", RULE_CONFLICT, "participant_rejected",
                                      "De aanmelding van deze deelnemer is afgewezen; wijzigingen "
                                      "zijn niet mogelijk.",
                                      "This participant's registration was rejected; changes are "
                                      "not possible."},
    [RULE_ID_AFTER_EMPLOYMENT_END] = {"after_employment_end", RULE_CONFLICT, "participant_dormant",
                                      "De wijzigingsdatum ligt na de datum uit dienst.",
                                      "The effective date lies after the end of employment."},
    [RULE_ID_TERMINATION_REGISTERED] = {"termination_already_registered", RULE_CONFLICT,
                                        "termination_already_registered",
                                        "Er is al een uitdiensttreding doorgegeven. Trek die "
                                        "eerst in als de datum niet klopt.",
                                        "A termination is already registered. Cancel it first if "
                                        "its date is wrong."},
    [RULE_ID_DATE_MORE_THAN_THREE_MONTHS_BACK] = {"effective_date_more_than_three_months_back",
                                                  RULE_REVIEW, NULL,
                                                  "De datum ligt meer dan drie maanden in het "
                                                  "verleden; de verzekeraar controleert dit eerst.",
                                                  "The date lies more than three months in the "
                                                  "past; the insurer checks this first."},
    [RULE_ID_AGE_UNDER_15] = {"age_under_15", RULE_REVIEW, NULL,
                              "De deelnemer is op de ingangsdatum jonger dan 15 jaar; de "
                              "verzekeraar controleert dit eerst.",
                              "The participant is younger than 15 on the start date; the insurer "
                              "checks this first."},
    [RULE_ID_AGE_67_OR_OVER] = {"age_67_or_over", RULE_REVIEW, NULL,
                                "De deelnemer is op de ingangsdatum 67 jaar of ouder; de "
                                "verzekeraar controleert dit eerst.",
                                "The participant is 67 or older on the start date; the insurer "
                                "checks this first."},
};

/* ---- small helpers ---- */

static void rule_report_init(rule_report *report)
{
    memset(report, 0, sizeof(*report));
    report->outcome = RULE_DIRECT;
}

/* Records a finding; the outcome keeps the most severe one even when the
 * findings array is full. */
static void rule_report_add(rule_report *report, const rule_definition *rule, const char *field)
{
    if (report->count < RULE_MAX_FINDINGS) {
        report->findings[report->count].rule = rule;
        report->findings[report->count].field = field;
        report->count++;
    }
    if (rule->outcome > report->outcome) {
        report->outcome = rule->outcome;
    }
}

static void rule_verdict_set(rule_verdict *out, size_t rule_id)
{
    out->rule = &rule_table[rule_id];
    out->outcome = out->rule->outcome;
    out->code = out->rule->code;
}

static void rule_verdict_direct(rule_verdict *out)
{
    out->outcome = RULE_DIRECT;
    out->code = NULL;
    out->rule = NULL;
}

/* Parses a required date field: NULL when it parsed into *out, else the rule
 * it breaks (field_required or date_invalid). */
static const rule_definition *rule_date_problem(const char *text, civil_date *out)
{
    if (text == NULL) {
        return &rule_table[RULE_ID_FIELD_REQUIRED];
    }
    if (civil_date_parse(text, out) != PORTAL_OK) {
        return &rule_table[RULE_ID_DATE_INVALID];
    }
    return NULL;
}

static void rule_check_bsn_field(rule_report *report, const char *text, const char *field)
{
    if (text == NULL) {
        rule_report_add(report, &rule_table[RULE_ID_FIELD_REQUIRED], field);
    } else if (!bsn_is_valid(text)) {
        rule_report_add(report, &rule_table[RULE_ID_BSN_INVALID], field);
    }
}

static bool rule_parse_salary(const char *text, int64_t *out)
{
    return decimal_parse(text, &decimal_spec_salary, out) == PORTAL_OK;
}

static bool rule_parse_parttime(const char *text, int64_t *out)
{
    int64_t value = 0;
    if (decimal_parse(text, &decimal_spec_percentage, &value) != PORTAL_OK ||
        value < RULE_PARTTIME_MIN || value > RULE_PARTTIME_MAX) {
        return false;
    }
    *out = value;
    return true;
}

/* ---- the rule table ---- */

const rule_definition *rule_definitions(size_t *count)
{
    if (count != NULL) {
        *count = RULE_ID_COUNT;
    }
    return rule_table;
}

const rule_definition *rule_find(const char *id)
{
    if (id == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < RULE_ID_COUNT; i++) {
        if (strcmp(rule_table[i].id, id) == 0) {
            return &rule_table[i];
        }
    }
    return NULL;
}

const char *rule_report_code(const rule_report *report)
{
    if (report == NULL || report->outcome < RULE_INVALID) {
        return NULL;
    }
    const char *code = NULL;
    for (size_t i = 0; i < report->count; i++) {
        const rule_definition *rule = report->findings[i].rule;
        if (rule->outcome != report->outcome) {
            continue;
        }
        if (report->outcome == RULE_CONFLICT) {
            return rule->code;
        }
        if (code == NULL) {
            code = rule->code;
        } else if (strcmp(code, rule->code) != 0) {
            return "validation_failed";
        }
    }
    return code != NULL ? code : "validation_failed";
}

/* ---- the date window ---- */

portal_result rule_effective_date_window(civil_date today, civil_date date, rule_verdict *out)
{
    if (out == NULL || !civil_date_is_valid(today) || !civil_date_is_valid(date)) {
        return PORTAL_ERR_INVALID;
    }
    const civil_date earliest = {RULE_EARLIEST_EFFECTIVE_YEAR, 1, 1};
    /* Near the ends of the supported range the bound is the range itself. */
    civil_date latest = {CIVIL_DATE_MAX_YEAR, 12, 31};
    civil_date review_before = {CIVIL_DATE_MIN_YEAR, 1, 1};
    (void)civil_date_add_months(today, RULE_WINDOW_MONTHS, &latest);
    (void)civil_date_add_months(today, -RULE_WINDOW_MONTHS, &review_before);

    if (civil_date_compare(date, latest) > 0) {
        rule_verdict_set(out, RULE_ID_DATE_TOO_FAR_AHEAD);
    } else if (civil_date_compare(date, earliest) < 0) {
        rule_verdict_set(out, RULE_ID_DATE_TOO_EARLY);
    } else if (civil_date_compare(date, review_before) < 0) {
        rule_verdict_set(out, RULE_ID_DATE_MORE_THAN_THREE_MONTHS_BACK);
    } else {
        rule_verdict_direct(out);
    }
    return PORTAL_OK;
}

/* ---- registration ---- */

/* The birth-date and age rules, once both dates parsed. */
static void rule_check_age(rule_report *report, civil_date birth, civil_date start,
                           civil_date today)
{
    static const char field[] = "/person/birth_date";
    int age = 0;
    if (civil_date_compare(birth, today) > 0 ||
        civil_date_years_between(birth, start, &age) != PORTAL_OK || age < RULE_MIN_PLAUSIBLE_AGE) {
        rule_report_add(report, &rule_table[RULE_ID_BIRTH_DATE_IMPLAUSIBLE], field);
    } else if (age < RULE_REVIEW_BELOW_AGE) {
        rule_report_add(report, &rule_table[RULE_ID_AGE_UNDER_15], field);
    } else if (age >= RULE_REVIEW_FROM_AGE) {
        rule_report_add(report, &rule_table[RULE_ID_AGE_67_OR_OVER], field);
    }
}

portal_result rule_check_registration(const rule_registration_input *in, civil_date today,
                                      rule_registration *parsed, rule_report *report)
{
    if (in == NULL || parsed == NULL || report == NULL || !civil_date_is_valid(today)) {
        return PORTAL_ERR_INVALID;
    }
    rule_registration result;
    memset(&result, 0, sizeof(result));
    rule_report_init(report);

    /* The start date is parsed first because the age rules need it, but the
     * findings follow the order of the request body. */
    static const char birth_field[] = "/person/birth_date";
    static const char start_field[] = "/employment/start_date";
    const rule_definition *start_problem = rule_date_problem(in->start_date, &result.start_date);
    const rule_definition *birth_problem = rule_date_problem(in->birth_date, &result.birth_date);

    if (birth_problem != NULL) {
        rule_report_add(report, birth_problem, birth_field);
    } else if (start_problem == NULL) {
        rule_check_age(report, result.birth_date, result.start_date, today);
    } else if (civil_date_compare(result.birth_date, today) > 0) {
        rule_report_add(report, &rule_table[RULE_ID_BIRTH_DATE_IMPLAUSIBLE], birth_field);
    }

    rule_gender gender = (rule_gender)0;
    if (in->gender == NULL) {
        rule_report_add(report, &rule_table[RULE_ID_FIELD_REQUIRED], "/person/gender");
    } else if (rule_gender_parse(in->gender, &gender) != PORTAL_OK) {
        rule_report_add(report, &rule_table[RULE_ID_GENDER_INVALID], "/person/gender");
    }
    result.gender = gender;

    rule_check_bsn_field(report, in->bsn, "/person/bsn");

    if (start_problem != NULL) {
        rule_report_add(report, start_problem, start_field);
    } else {
        rule_verdict window;
        if (rule_effective_date_window(today, result.start_date, &window) != PORTAL_OK) {
            return PORTAL_ERR_INTERNAL;
        }
        if (window.rule != NULL) {
            rule_report_add(report, window.rule, start_field);
        }
    }

    if (in->salary == NULL) {
        rule_report_add(report, &rule_table[RULE_ID_FIELD_REQUIRED], "/employment/salary");
    } else if (!rule_parse_salary(in->salary, &result.salary)) {
        rule_report_add(report, &rule_table[RULE_ID_SALARY_INVALID], "/employment/salary");
    }

    if (in->parttime_percentage == NULL) {
        rule_report_add(report, &rule_table[RULE_ID_FIELD_REQUIRED],
                        "/employment/parttime_percentage");
    } else if (!rule_parse_parttime(in->parttime_percentage, &result.parttime_percentage)) {
        rule_report_add(report, &rule_table[RULE_ID_PARTTIME_INVALID],
                        "/employment/parttime_percentage");
    }

    if (report->outcome <= RULE_REVIEW) {
        *parsed = result;
    }
    return PORTAL_OK;
}

/* ---- changes ---- */

portal_result rule_check_change(const rule_participant_state *p, rule_change_type type,
                                civil_date today, civil_date effective_date, rule_verdict *out)
{
    if (p == NULL || out == NULL || !civil_date_is_valid(today) ||
        !civil_date_is_valid(effective_date) || !civil_date_is_valid(p->employment_start) ||
        (p->has_employment_end && !civil_date_is_valid(p->employment_end))) {
        return PORTAL_ERR_INVALID;
    }
    switch (type) {
    case RULE_CHANGE_SALARY:
    case RULE_CHANGE_TERMINATION:
    case RULE_CHANGE_PARTNER:
    case RULE_CHANGE_CHILD:
    case RULE_CHANGE_ADDRESS:
        break;
    case RULE_CHANGE_REGISTRATION:
    default:
        return PORTAL_ERR_INVALID;
    }
    switch (p->status) {
    case RULE_STATUS_ACTIVE:
    case RULE_STATUS_PENDING_REVIEW:
        break;
    case RULE_STATUS_DORMANT:
    case RULE_STATUS_ENDED:
        rule_verdict_set(out, RULE_ID_PARTICIPANT_NOT_ACTIVE);
        return PORTAL_OK;
    case RULE_STATUS_REJECTED:
        rule_verdict_set(out, RULE_ID_PARTICIPANT_REJECTED);
        return PORTAL_OK;
    default:
        return PORTAL_ERR_INVALID;
    }
    if ((type == RULE_CHANGE_PARTNER || type == RULE_CHANGE_CHILD) &&
        p->scheme_kind != RULE_SCHEME_PENSION) {
        rule_verdict_set(out, RULE_ID_FAMILY_REQUIRES_PENSION);
        return PORTAL_OK;
    }
    if (type == RULE_CHANGE_TERMINATION && p->has_employment_end) {
        rule_verdict_set(out, RULE_ID_TERMINATION_REGISTERED);
        return PORTAL_OK;
    }
    if (p->has_employment_end && civil_date_compare(effective_date, p->employment_end) > 0) {
        rule_verdict_set(out, RULE_ID_AFTER_EMPLOYMENT_END);
        return PORTAL_OK;
    }
    if (civil_date_compare(effective_date, p->employment_start) < 0) {
        rule_verdict_set(out, RULE_ID_BEFORE_EMPLOYMENT_START);
        return PORTAL_OK;
    }
    return rule_effective_date_window(today, effective_date, out);
}

portal_result rule_check_salary_change(const char *salary, const char *parttime_percentage,
                                       rule_salary_change *parsed, rule_report *report)
{
    if (parsed == NULL || report == NULL) {
        return PORTAL_ERR_INVALID;
    }
    rule_salary_change result;
    memset(&result, 0, sizeof(result));
    rule_report_init(report);
    if (salary == NULL && parttime_percentage == NULL) {
        rule_report_add(report, &rule_table[RULE_ID_SALARY_CHANGE_EMPTY], "/salary");
    }
    if (salary != NULL) {
        result.has_salary = true;
        if (!rule_parse_salary(salary, &result.salary)) {
            rule_report_add(report, &rule_table[RULE_ID_SALARY_INVALID], "/salary");
        }
    }
    if (parttime_percentage != NULL) {
        result.has_parttime_percentage = true;
        if (!rule_parse_parttime(parttime_percentage, &result.parttime_percentage)) {
            rule_report_add(report, &rule_table[RULE_ID_PARTTIME_INVALID], "/parttime_percentage");
        }
    }
    if (report->outcome == RULE_DIRECT) {
        *parsed = result;
    }
    return PORTAL_OK;
}

portal_result rule_check_family_member(rule_change_type type, const rule_family_input *in,
                                       civil_date today, rule_family_member *parsed,
                                       rule_report *report)
{
    static const char *const partner_fields[3] = {"/partner/birth_date", "/partner/bsn",
                                                  "/partner/relationship"};
    static const char *const child_fields[3] = {"/child/birth_date", "/child/bsn", NULL};
    if ((type != RULE_CHANGE_PARTNER && type != RULE_CHANGE_CHILD) || in == NULL ||
        parsed == NULL || report == NULL || !civil_date_is_valid(today)) {
        return PORTAL_ERR_INVALID;
    }
    const char *const *fields = type == RULE_CHANGE_PARTNER ? partner_fields : child_fields;
    rule_family_member result;
    memset(&result, 0, sizeof(result));
    rule_report_init(report);

    const rule_definition *birth_problem = rule_date_problem(in->birth_date, &result.birth_date);
    if (birth_problem != NULL) {
        rule_report_add(report, birth_problem, fields[0]);
    } else if (civil_date_compare(result.birth_date, today) > 0) {
        rule_report_add(report, &rule_table[RULE_ID_FAMILY_BIRTH_DATE_IN_FUTURE], fields[0]);
    }
    rule_check_bsn_field(report, in->bsn, fields[1]);
    if (type == RULE_CHANGE_PARTNER) {
        rule_relationship relationship = (rule_relationship)0;
        if (in->relationship == NULL) {
            rule_report_add(report, &rule_table[RULE_ID_FIELD_REQUIRED], fields[2]);
        } else if (rule_relationship_parse(in->relationship, &relationship) != PORTAL_OK) {
            rule_report_add(report, &rule_table[RULE_ID_RELATIONSHIP_INVALID], fields[2]);
        }
        result.relationship = relationship;
    }
    if (report->outcome == RULE_DIRECT) {
        *parsed = result;
    }
    return PORTAL_OK;
}

portal_result rule_status_after_termination(rule_scheme_kind kind, civil_date termination_date,
                                            rule_participant_status *status,
                                            civil_date *effective_from)
{
    if (status == NULL || effective_from == NULL) {
        return PORTAL_ERR_INVALID;
    }
    rule_participant_status next;
    switch (kind) {
    case RULE_SCHEME_PENSION:
        next = RULE_STATUS_DORMANT;
        break;
    case RULE_SCHEME_INCOME:
        next = RULE_STATUS_ENDED;
        break;
    default:
        return PORTAL_ERR_INVALID;
    }
    civil_date from;
    if (civil_date_add_days(termination_date, 1, &from) != PORTAL_OK) {
        return PORTAL_ERR_INVALID;
    }
    *status = next;
    *effective_from = from;
    return PORTAL_OK;
}
