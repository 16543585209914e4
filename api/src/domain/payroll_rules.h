/*
 * domain/payroll_rules.h: the pure rules of the payroll sync (DESIGN.md
 * §4.7): what a period key means (`2026-11` a calendar month, `2026-P12` the
 * twelfth four-week period), whether a period may be sent today, and what
 * one employment of a period snapshot changes against the participant as
 * valid in that period.
 *
 * No I/O: "today" and the participant's state are passed in, so the unit
 * tests (tests/unit/test_payroll_rules.c) are tables. Every string is
 * borrowed for the call; nothing is allocated.
 */
#ifndef PORTAL_DOMAIN_PAYROLL_RULES_H
#define PORTAL_DOMAIN_PAYROLL_RULES_H

#include <stdbool.h>

#include "base/result.h"
#include "domain/civil_date.h"

#define PAYROLL_PERIOD_KEY_SIZE 9 /* "2026-P12" plus NUL */

/* A parsed period key. */
typedef struct {
    int year;
    int number;       /* month 1..12, or four-week period 1..13 */
    bool four_weekly; /* "YYYY-Pnn" */
    civil_date start; /* first day of the period */
    civil_date end;   /* last day, inclusive */
} payroll_period;

/*
 * payroll_period_parse -- reads "YYYY-MM" (a calendar month) or "YYYY-Pnn"
 * (nn 01..13, a four-week period). Four-week periods follow the ISO weeks
 * of the payroll year: P01 starts on the Monday of ISO week 1, each period
 * is 28 days, and P13 runs on to the Sunday before ISO week 1 of the next
 * year (so in a 53-week year it has 35 days). Years 1950..2199.
 * Returns PORTAL_OK with *out filled, or PORTAL_ERR_INVALID (out untouched).
 */
portal_result payroll_period_parse(const char *text, payroll_period *out);

/* 1 when the period may be sent on `today`: it starts no later than three
 * calendar months after today (the date rule of individual changes,
 * clamped to the month's end); 0 otherwise (effective_date_out_of_range). */
int payroll_period_allowed(const payroll_period *p, civil_date today);

/* One employment of a snapshot as sent (NULL: absent). Only what the
 * comparison reads; the rest is checked by the registration and change
 * rules when they apply. */
typedef struct {
    const char *start_date;
    const char *end_date;
    const char *salary;
    const char *parttime_percentage;
    const char *street;
    const char *house_number;
    const char *postal_code;
    const char *city;
    const char *country; /* NULL or blank: NL */
} payroll_row_facts;

/* The participant with the employment's BSN, as valid on the period's last
 * day (or its first period when it starts later), as known now. */
typedef struct {
    bool found;                      /* false: no participant with the BSN */
    const char *status;              /* pending_review | active | dormant | ended */
    const char *employment_start;    /* YYYY-MM-DD */
    const char *employment_end;      /* NULL: no processed termination */
    const char *pending_end;         /* a termination awaiting review, or NULL */
    const char *salary;              /* a salary change awaiting review wins */
    const char *parttime_percentage; /* likewise */
    const char *street;              /* the address (an address change awaiting review wins) */
    const char *house_number;
    const char *postal_code;
    const char *city;
    const char *country;
} payroll_participant_facts;

/* What an employment changes (bits of payroll_diff.actions). */
enum {
    PAYROLL_REGISTRATION = 1u << 0, /* a new participant */
    PAYROLL_REHIRE = 1u << 1,       /* a new employment of a dormant or ended one */
    PAYROLL_SALARY = 1u << 2,       /* the full-time salary differs */
    PAYROLL_PARTTIME = 1u << 3,     /* the part-time percentage differs */
    PAYROLL_ADDRESS = 1u << 4,      /* the address differs */
    PAYROLL_TERMINATION = 1u << 5   /* the employment ends on end_date */
};

/* The verdict on one employment. */
typedef struct {
    unsigned actions;       /* PAYROLL_* bits; 0 with refusal NULL: unchanged */
    const char *refusal;    /* static stable code when the employment cannot be applied, else NULL:
                               validation_failed (field says which), start_date_mismatch,
                               participant_dormant, termination_already_registered */
    const char *field;      /* the snapshot field a refusal is about, or NULL */
    civil_date change_date; /* effective date of salary, part-time and address changes */
    civil_date end_date;    /* the termination's date (PAYROLL_TERMINATION) */
} payroll_diff;

/*
 * payroll_diff_row -- compares one employment with the participant.
 *
 * No participant (or a dormant or ended one whose employment ended before
 * the row's start date): a registration (re-hire), plus a termination when
 * the row has an end date. Otherwise the row's start date must be the
 * employment's (start_date_mismatch); on a participant whose employment
 * has ended only the same end date is unchanged (none: participant_dormant;
 * another: termination_already_registered); else salary, part-time and
 * address differences become changes dated on the later of the period's
 * first day and the employment's start (none when the row's end date lies
 * before that day), and an end date not yet registered a termination
 * (another one registered: termination_already_registered). Values the
 * rules of a registration or change would refuse count as different, so
 * that rule answers with its own code; only a start or end date that
 * cannot be read is refused here (validation_failed).
 *
 * Returns PORTAL_OK with *out filled; PORTAL_ERR_INVALID when the
 * participant facts themselves cannot be read.
 */
portal_result payroll_diff_row(const payroll_row_facts *row, const payroll_participant_facts *p,
                               const payroll_period *period, payroll_diff *out);

/* The stable names of the action bits in order ("registration",
 * "rehire", "salary_change", "parttime_change", "address_change",
 * "termination"): writes at most max pointers to static strings into
 * names and returns how many. */
int payroll_action_names(unsigned actions, const char **names, int max);

#endif
