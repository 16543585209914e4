/* domain/payroll_rules.c: see payroll_rules.h. */
#include "domain/payroll_rules.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "domain/decimal.h"

/* 1 when s[0..n) are all digits. */
static int payroll_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The Monday of ISO week 1 of year (the week holding 4 January), as days
 * since the epoch civil_date_to_days counts from. */
static portal_result payroll_iso_week1(int year, int64_t *out)
{
    civil_date jan4 = {year, 1, 4};
    int64_t days;
    if (civil_date_to_days(jan4, &days) != PORTAL_OK)
        return PORTAL_ERR_INVALID;
    /* 1970-01-01 (day 0) was a Thursday: weekday 0 = Monday. */
    int64_t weekday = ((days % 7) + 7 + 3) % 7;
    *out = days - weekday;
    return PORTAL_OK;
}

/* Fills the start and end of a four-week period. */
static portal_result payroll_four_weekly(payroll_period *p)
{
    int64_t week1, next_week1;
    if (payroll_iso_week1(p->year, &week1) != PORTAL_OK ||
        payroll_iso_week1(p->year + 1, &next_week1) != PORTAL_OK)
        return PORTAL_ERR_INVALID;
    int64_t start = week1 + 28 * (int64_t)(p->number - 1);
    int64_t end = p->number == 13 ? next_week1 - 1 : start + 27;
    if (civil_date_from_days(start, &p->start) != PORTAL_OK ||
        civil_date_from_days(end, &p->end) != PORTAL_OK)
        return PORTAL_ERR_INVALID;
    return PORTAL_OK;
}

portal_result payroll_period_parse(const char *text, payroll_period *out)
{
    if (!text)
        return PORTAL_ERR_INVALID;
    size_t len = strlen(text);
    payroll_period p;
    memset(&p, 0, sizeof p);
    if (len < 7 || len > 8 || !payroll_digits(text, 4) || text[4] != '-')
        return PORTAL_ERR_INVALID;
    p.year =
        (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    const char *n = text + 5;
    if (len == 8 && n[0] == 'P' && payroll_digits(n + 1, 2)) {
        p.four_weekly = true;
        p.number = (n[1] - '0') * 10 + (n[2] - '0');
    } else if (len == 7 && payroll_digits(n, 2)) {
        p.number = (n[0] - '0') * 10 + (n[1] - '0');
    } else {
        return PORTAL_ERR_INVALID;
    }
    if (p.year < 1950 || p.year > 2199 || p.number < 1 || p.number > (p.four_weekly ? 13 : 12))
        return PORTAL_ERR_INVALID;
    if (p.four_weekly) {
        if (payroll_four_weekly(&p) != PORTAL_OK)
            return PORTAL_ERR_INVALID;
    } else {
        p.start = (civil_date){p.year, p.number, 1};
        p.end = (civil_date){p.year, p.number, civil_date_days_in_month(p.year, p.number)};
    }
    *out = p;
    return PORTAL_OK;
}

int payroll_period_allowed(const payroll_period *p, civil_date today)
{
    civil_date latest;
    if (civil_date_add_months(today, 3, &latest) != PORTAL_OK)
        return 0;
    return civil_date_compare(p->start, latest) <= 0;
}

/* s without surrounding blanks: *len set, NULL for NULL or blank. */
static const char *payroll_trim(const char *s, size_t *len)
{
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return n ? s : NULL;
}

/* 1 when two texts are equal after trimming; with compact, ignoring spaces
 * and case (postal codes: "3011 aa" is "3011AA"). Blank equals NULL;
 * fallback stands in for a blank value (country: "NL"). */
static int payroll_same_text(const char *a, const char *b, int compact, const char *fallback)
{
    size_t la = 0, lb = 0;
    const char *ta = payroll_trim(a, &la), *tb = payroll_trim(b, &lb);
    if (!ta && fallback)
        ta = fallback, la = strlen(fallback);
    if (!tb && fallback)
        tb = fallback, lb = strlen(fallback);
    if (!ta || !tb)
        return !ta && !tb;
    size_t i = 0, j = 0;
    while (i < la || j < lb) {
        if (compact && i < la && ta[i] == ' ') {
            i++;
            continue;
        }
        if (compact && j < lb && tb[j] == ' ') {
            j++;
            continue;
        }
        if (i >= la || j >= lb)
            return 0;
        int ca = (unsigned char)ta[i++], cb = (unsigned char)tb[j++];
        if (compact ? toupper(ca) != toupper(cb) : ca != cb)
            return 0;
    }
    return 1;
}

/* 1 when the decimal texts are the same number at scale; a text that
 * cannot be read never equals anything. */
static int payroll_same_number(const char *a, const char *b, const decimal_spec *spec)
{
    int64_t x, y;
    size_t la = 0, lb = 0;
    const char *ta = payroll_trim(a, &la), *tb = payroll_trim(b, &lb);
    if (!ta || !tb || decimal_parse_n(ta, la, spec, &x) != PORTAL_OK ||
        decimal_parse_n(tb, lb, spec, &y) != PORTAL_OK)
        return 0;
    return x == y;
}

/* A date field of the row: 1 with *d when present and readable, 0 when
 * absent, -1 when it cannot be read. */
static int payroll_row_date(const char *text, civil_date *d)
{
    size_t n = 0;
    const char *t = payroll_trim(text, &n);
    if (!t)
        return 0;
    return civil_date_parse_n(t, n, d) == PORTAL_OK ? 1 : -1;
}

/* 1 when the row names an address at all. */
static int payroll_row_has_address(const payroll_row_facts *r)
{
    size_t n;
    return payroll_trim(r->street, &n) || payroll_trim(r->house_number, &n) ||
           payroll_trim(r->postal_code, &n) || payroll_trim(r->city, &n);
}

/* The salary, part-time and address differences of an employment that
 * goes on, dated on the later of the period start and the employment
 * start. */
static void payroll_diff_values(const payroll_row_facts *row, const payroll_participant_facts *p,
                                const payroll_period *period, civil_date start, int has_end,
                                civil_date end, payroll_diff *out)
{
    out->change_date = civil_date_compare(period->start, start) > 0 ? period->start : start;
    if (has_end && civil_date_compare(end, out->change_date) < 0)
        return;
    if (row->salary && !payroll_same_number(row->salary, p->salary, &decimal_spec_salary))
        out->actions |= PAYROLL_SALARY;
    if (row->parttime_percentage &&
        !payroll_same_number(row->parttime_percentage, p->parttime_percentage,
                             &decimal_spec_percentage))
        out->actions |= PAYROLL_PARTTIME;
    if (payroll_row_has_address(row) &&
        !(payroll_same_text(row->street, p->street, 0, NULL) &&
          payroll_same_text(row->house_number, p->house_number, 1, NULL) &&
          payroll_same_text(row->postal_code, p->postal_code, 1, NULL) &&
          payroll_same_text(row->city, p->city, 0, NULL) &&
          payroll_same_text(row->country, p->country, 1, "NL")))
        out->actions |= PAYROLL_ADDRESS;
}

/* The end date of an employment the participant still has. */
static void payroll_diff_end(const payroll_participant_facts *p, civil_date end, payroll_diff *out)
{
    civil_date known;
    const char *registered = p->employment_end ? p->employment_end : p->pending_end;
    if (!registered) {
        out->actions |= PAYROLL_TERMINATION;
        out->end_date = end;
    } else if (civil_date_parse(registered, &known) != PORTAL_OK ||
               civil_date_compare(known, end) != 0) {
        out->refusal = "termination_already_registered";
        out->field = "end_date";
    }
}

portal_result payroll_diff_row(const payroll_row_facts *row, const payroll_participant_facts *p,
                               const payroll_period *period, payroll_diff *out)
{
    memset(out, 0, sizeof *out);
    civil_date start, end, p_start, p_end;
    int has_start = payroll_row_date(row->start_date, &start);
    int has_end = payroll_row_date(row->end_date, &end);
    int ended = 0;
    if (p->found) {
        if (!p->status || civil_date_parse(p->employment_start, &p_start) != PORTAL_OK ||
            (p->employment_end && civil_date_parse(p->employment_end, &p_end) != PORTAL_OK))
            return PORTAL_ERR_INVALID;
        ended = strcmp(p->status, "dormant") == 0 || strcmp(p->status, "ended") == 0;
    }
    if (has_start < 0 || has_end < 0 ||
        (has_start && has_end && civil_date_compare(end, start) < 0)) {
        out->refusal = "validation_failed";
        out->field = has_start < 0 ? "start_date" : "end_date";
        return PORTAL_OK;
    }
    /* A new participant, or a new employment after the last one ended: the
     * registration rules check every field (a missing start date too). */
    if (!p->found ||
        (ended && p->employment_end && has_start > 0 && civil_date_compare(start, p_end) > 0)) {
        out->actions = p->found ? PAYROLL_REHIRE : PAYROLL_REGISTRATION;
        if (has_end > 0) {
            out->actions |= PAYROLL_TERMINATION;
            out->end_date = end;
        }
        return PORTAL_OK;
    }
    if (has_start == 0 || civil_date_compare(start, p_start) != 0) {
        out->refusal = has_start == 0 ? "validation_failed" : "start_date_mismatch";
        out->field = "start_date";
        return PORTAL_OK;
    }
    if (ended) {
        if (!has_end) {
            out->refusal = "participant_dormant";
            out->field = "end_date";
        } else if (!p->employment_end || civil_date_compare(end, p_end) != 0) {
            out->refusal = "termination_already_registered";
            out->field = "end_date";
        }
        return PORTAL_OK;
    }
    payroll_diff_values(row, p, period, start, has_end > 0, end, out);
    if (has_end > 0)
        payroll_diff_end(p, end, out);
    if (out->refusal)
        out->actions = 0;
    return PORTAL_OK;
}

int payroll_action_names(unsigned actions, const char **names, int max)
{
    static const struct {
        unsigned bit;
        const char *name;
    } table[] = {{PAYROLL_REGISTRATION, "registration"}, {PAYROLL_REHIRE, "rehire"},
                 {PAYROLL_SALARY, "salary_change"},      {PAYROLL_PARTTIME, "parttime_change"},
                 {PAYROLL_ADDRESS, "address_change"},    {PAYROLL_TERMINATION, "termination"}};
    int n = 0;
    for (size_t i = 0; i < sizeof table / sizeof table[0] && n < max; i++)
        if (actions & table[i].bit)
            names[n++] = table[i].name;
    return n;
}
