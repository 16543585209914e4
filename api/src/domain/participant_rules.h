/*
 * domain/participant_rules.h: the pure rules for registering participants and
 * for changes on them (DESIGN.md §4.3, seed 001 §4).
 *
 * Owns: the rule table (id, outcome, error code, Dutch and English
 * description) that the README and the API name when a rule refuses a request
 * or sends it to review; the effective-date window; registration and change
 * checks; the status a termination leads to; and the names of the enums as
 * they appear in JSON. Never reads the clock: "today" is always passed in (the
 * HTTP layer takes it from civil_date_amsterdam_today). No allocation, no I/O;
 * every string handed out is static.
 *
 * How a result maps to HTTP: RULE_DIRECT -> processed / active,
 * RULE_REVIEW -> pending_review, RULE_INVALID -> 422, RULE_CONFLICT -> 409,
 * each refusal with the stable `code` of the rule that decided.
 *
 * Decisions where the sources are silent (listed in the README):
 * - "More than three months back" is strict: a date on today minus three
 *   calendar months (day clamped to the month's end) is still processed
 *   directly; the day before needs review. "At most three months ahead" is
 *   inclusive: today plus three months (clamped) is allowed, the next day is
 *   out of range. Dates before 1950-01-01 are out of range as absurd.
 * - Ages are whole years on the start date (civil_date_years_between; born on
 *   29 February turns a year older on 1 March in non-leap years). Younger
 *   than 13 is refused as an implausible birth date (Dutch law forbids work
 *   below 13); 13 and 14 need review; 15 up to 66 are direct; 67 and older
 *   need review. Turning 15 on the start date is direct, turning 67 on it
 *   needs review.
 * - A birth date in the future or after the start date is refused.
 * - Salary 0.00 is accepted; amounts carry at most two decimals and twelve
 *   integer digits (numeric(14,2)); part-time is 0.001..100.000 with at most
 *   three decimals. Surplus decimals are refused, never rounded.
 * - Changes are allowed on `active` and `pending_review` participants;
 *   `dormant`/`ended` answer 409 participant_dormant, `rejected` 409
 *   participant_rejected. A change dated after a registered employment end is
 *   409 participant_dormant; one dated before the employment start is 422
 *   effective_date_out_of_range (a termination on the start date itself is
 *   allowed). A second termination while one is registered is 409
 *   termination_already_registered: cancel the first one.
 */
#ifndef PORTAL_DOMAIN_PARTICIPANT_RULES_H
#define PORTAL_DOMAIN_PARTICIPANT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"
#include "domain/civil_date.h"

#define RULE_MAX_FINDINGS 16              /* findings kept per report */
#define RULE_EARLIEST_EFFECTIVE_YEAR 1950 /* dates before 1 January are out of range */
#define RULE_WINDOW_MONTHS 3              /* months ahead allowed / back without review */
#define RULE_MIN_PLAUSIBLE_AGE 13         /* younger on the start date: refused */
#define RULE_REVIEW_BELOW_AGE 15          /* younger on the start date: review */
#define RULE_REVIEW_FROM_AGE 67           /* this age or older on the start date: review */
#define RULE_PARTTIME_MIN INT64_C(1)      /* 0.001 at scale 3 */
#define RULE_PARTTIME_MAX INT64_C(100000) /* 100.000 at scale 3 */

typedef enum {
    RULE_DIRECT = 0, /* allowed and processed at once */
    RULE_REVIEW,     /* allowed, waits for the insurer: pending_review */
    RULE_INVALID,    /* refused, the request breaks a rule: 422 */
    RULE_CONFLICT    /* refused, conflicts with the participant's state: 409 */
} rule_outcome;

typedef enum { RULE_SCHEME_PENSION = 0, RULE_SCHEME_INCOME } rule_scheme_kind;

typedef enum {
    RULE_STATUS_PENDING_REVIEW = 0,
    RULE_STATUS_ACTIVE,
    RULE_STATUS_REJECTED,
    RULE_STATUS_DORMANT, /* slaper: left service in a pension scheme */
    RULE_STATUS_ENDED    /* left service in an income scheme */
} rule_participant_status;

typedef enum { RULE_GENDER_MALE = 0, RULE_GENDER_FEMALE, RULE_GENDER_UNKNOWN } rule_gender;

typedef enum {
    RULE_RELATIONSHIP_MARRIED = 0,
    RULE_RELATIONSHIP_REGISTERED_PARTNERSHIP,
    RULE_RELATIONSHIP_COHABITING
} rule_relationship;

typedef enum {
    RULE_CHANGE_REGISTRATION = 0,
    RULE_CHANGE_SALARY,      /* "salary_change" */
    RULE_CHANGE_TERMINATION, /* "termination" */
    RULE_CHANGE_PARTNER,     /* "partner_registration" */
    RULE_CHANGE_CHILD,       /* "child_registration" */
    RULE_CHANGE_ADDRESS      /* "address_change" */
} rule_change_type;

/* One row of the rule table. All strings are static. */
typedef struct {
    const char *id;             /* stable snake_case id, e.g. "age_67_or_over" */
    rule_outcome outcome;       /* what breaking the rule leads to */
    const char *code;           /* API error code when refused; NULL for review rules */
    const char *description_nl; /* user-facing, Dutch */
    const char *description_en; /* user-facing, English */
} rule_definition;

/* The verdict of a single-rule check. */
typedef struct {
    rule_outcome outcome;
    const char *code;            /* rule->code; NULL when allowed */
    const rule_definition *rule; /* the deciding rule; NULL when RULE_DIRECT */
} rule_verdict;

typedef struct {
    const rule_definition *rule;
    const char *field; /* static JSON Pointer into the request body, "/person/bsn" */
} rule_finding;

/* Every rule a request broke or that sends it to review, in check order. */
typedef struct {
    rule_outcome outcome; /* the most severe finding (CONFLICT > INVALID > REVIEW);
                             RULE_DIRECT when there is none */
    size_t count;         /* findings kept, at most RULE_MAX_FINDINGS */
    rule_finding findings[RULE_MAX_FINDINGS];
} rule_report;

/* Registration fields as strings from the request (NULL when absent). */
typedef struct {
    const char *birth_date;          /* /person/birth_date, "YYYY-MM-DD" */
    const char *gender;              /* /person/gender, male|female|unknown */
    const char *bsn;                 /* /person/bsn */
    const char *start_date;          /* /employment/start_date */
    const char *salary;              /* /employment/salary, "52242.28" */
    const char *parttime_percentage; /* /employment/parttime_percentage, "100.000" */
} rule_registration_input;

/* The same fields parsed. */
typedef struct {
    civil_date birth_date;
    civil_date start_date;
    rule_gender gender;
    int64_t salary;              /* scale 2: cents */
    int64_t parttime_percentage; /* scale 3: 100.000% is 100000 */
} rule_registration;

/* Fields of a salary_change (NULL when absent; at least one is needed). */
typedef struct {
    bool has_salary;
    int64_t salary; /* scale 2 */
    bool has_parttime_percentage;
    int64_t parttime_percentage; /* scale 3 */
} rule_salary_change;

/* Partner or child fields as strings (NULL when absent). */
typedef struct {
    const char *birth_date;
    const char *bsn;
    const char *relationship; /* partner only: married|registered_partnership|cohabiting */
} rule_family_input;

typedef struct {
    civil_date birth_date;
    rule_relationship relationship; /* RULE_RELATIONSHIP_MARRIED for a child; unused */
} rule_family_member;

/* What a participant's current state contributes to change checks. */
typedef struct {
    rule_scheme_kind scheme_kind;
    rule_participant_status status;
    civil_date employment_start;
    bool has_employment_end; /* a termination is registered (possibly in the future) */
    civil_date employment_end;
} rule_participant_state;

/* The whole rule table (static, never NULL) and its length in *count. */
const rule_definition *rule_definitions(size_t *count);

/* The rule with this id, or NULL when there is none. */
const rule_definition *rule_find(const char *id);

/* The API error code of a report: NULL when it is not a refusal; the code of
 * the refusing findings when they all share one ("invalid_bsn"); otherwise
 * "validation_failed" (422) or the first conflict's code (409). */
const char *rule_report_code(const rule_report *report);

/* The window for an effective or start date, seen from `today`: after today +
 * 3 months (clamped) or before 1950-01-01 -> RULE_INVALID
 * effective_date_out_of_range; before today - 3 months (clamped) -> RULE_REVIEW;
 * else RULE_DIRECT. Returns PORTAL_ERR_INVALID for an invalid date or today,
 * or a NULL out, leaving *out untouched. */
portal_result rule_effective_date_window(civil_date today, civil_date date, rule_verdict *out);

/* Checks a registration (every field, all findings collected) and fills
 * *report. When report->outcome is RULE_DIRECT or RULE_REVIEW, *parsed holds
 * the parsed fields; otherwise *parsed is unspecified. Returns PORTAL_OK when
 * the checks ran (the verdict is in the report) and PORTAL_ERR_INVALID for
 * NULL pointers or an invalid today, leaving both outputs untouched
 * (PORTAL_ERR_INTERNAL would mean a bug in the window check). */
portal_result rule_check_registration(const rule_registration_input *in, civil_date today,
                                      rule_registration *parsed, rule_report *report);

/* Whether a change of `type` dated `effective_date` may be made on a
 * participant in state *p, first refusal wins, in this order: status
 * dormant/ended (409 participant_dormant) or rejected (409
 * participant_rejected); partner/child on an income scheme (422
 * validation_failed); a second termination (409
 * termination_already_registered); dated after the employment end (409
 * participant_dormant); before the employment start (422
 * effective_date_out_of_range); then the date window (422 or review).
 * Returns PORTAL_ERR_INVALID for NULL pointers or invalid dates, leaving *out
 * untouched. */
portal_result rule_check_change(const rule_participant_state *p, rule_change_type type,
                                civil_date today, civil_date effective_date, rule_verdict *out);

/* Checks the fields of a salary_change (salary and/or parttime_percentage,
 * each may be NULL but not both), fields "/salary" and
 * "/parttime_percentage". *parsed is valid when report->outcome is
 * RULE_DIRECT. Returns PORTAL_ERR_INVALID only for NULL out pointers, leaving
 * them untouched. */
portal_result rule_check_salary_change(const char *salary, const char *parttime_percentage,
                                       rule_salary_change *parsed, rule_report *report);

/* Checks a partner (type RULE_CHANGE_PARTNER, fields under "/partner") or
 * child (RULE_CHANGE_CHILD, under "/child"): birth date a real date not after
 * today, BSN passing the 11-proef, and for a partner a known relationship.
 * *parsed is valid when report->outcome is RULE_DIRECT. Returns
 * PORTAL_ERR_INVALID for another type, NULL pointers or an invalid today,
 * leaving the outputs untouched. */
portal_result rule_check_family_member(rule_change_type type, const rule_family_input *in,
                                       civil_date today, rule_family_member *parsed,
                                       rule_report *report);

/* The status after a termination dated `termination_date`: dormant in a
 * pension scheme, ended in an income scheme, effective the day after.
 * Returns PORTAL_ERR_INVALID for an invalid date (or 2200-12-31), an unknown
 * kind or NULL outputs, leaving them untouched. */
portal_result rule_status_after_termination(rule_scheme_kind kind, civil_date termination_date,
                                            rule_participant_status *status,
                                            civil_date *effective_from);

/* JSON names and their parsers. Each *_name returns a static string ("dormant")
 * or NULL for a value outside the enum. Each *_parse accepts exactly those
 * names (case-sensitive) and returns PORTAL_ERR_INVALID for anything else or
 * NULL, leaving *out untouched. */
const char *rule_status_name(rule_participant_status status);
portal_result rule_status_parse(const char *text, rule_participant_status *out);
const char *rule_scheme_kind_name(rule_scheme_kind kind);
portal_result rule_scheme_kind_parse(const char *text, rule_scheme_kind *out);
const char *rule_gender_name(rule_gender gender);
portal_result rule_gender_parse(const char *text, rule_gender *out);
const char *rule_relationship_name(rule_relationship relationship);
portal_result rule_relationship_parse(const char *text, rule_relationship *out);
const char *rule_change_type_name(rule_change_type type);
portal_result rule_change_type_parse(const char *text, rule_change_type *out);

#endif
