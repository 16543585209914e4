/* workflows/batch_check_rows.c: the checks of one data row: a salary change or a new participant,
 * cell by cell, handing each good row to the sink. */
#include "workflows/batch_check.h"
#include "workflows/batch_check_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "domain/bsn.h"
#include "domain/decimal.h"
#include "domain/participant_format.h"
#include "formats/batch_templates.h"
#include "formats/csv_reader.h"
#include "formats/sheet_columns.h"

/* The trimmed text of key's cell into out (size bytes); NULL when the
 * column is absent or the cell empty. Overlong text is cut (and then fails
 * its rule). */
static const char *cell(const batch_check *c, const sheet_row *row, int key, char *out, size_t size)
{
    int i = c->col[key];
    if (i == NO_COL || (size_t)i >= row->n_cells)
        return NULL;
    const char *t = row->cells[i].text;
    size_t n = row->cells[i].len;
    while (n > 0 && (*t == ' ' || *t == '\t')) {
        t++;
        n--;
    }
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    if (n == 0)
        return NULL;
    if (n >= size)
        n = size - 1;
    memcpy(out, t, n);
    out[n] = '\0';
    return out;
}

/* A decimal cell with a decimal comma turned into a point (in place). */
static const char *decimal_cell(const char *text, char *out, size_t size)
{
    if (!text)
        return NULL;
    if (!strchr(text, ','))
        return text;
    if (csv_decimal_comma_to_point(text, strlen(text), out, size) != PORTAL_OK)
        return text; /* left as written: the rule refuses it */
    return out;
}

/* A date cell (YYYY-MM-DD, DD-MM-YYYY) as "YYYY-MM-DD" in out; the text as
 * written when it is no date (the rule then refuses it). */
static const char *date_cell(const char *text, char out[CIVIL_DATE_TEXT_SIZE])
{
    civil_date d;
    if (text && csv_parse_date(text, strlen(text), &d) == PORTAL_OK &&
        civil_date_format(d, out, CIVIL_DATE_TEXT_SIZE) == PORTAL_OK)
        return out;
    return text;
}

static const char *review_literal(const rule_definition *rule, char *out, size_t size)
{
    if (rule)
        snprintf(out, size, "{%s}", rule->id);
    else
        snprintf(out, size, "{}");
    return out;
}

/* ---- salary change rows ---- */

static portal_result salary_row(batch_check *c, const sheet_row *row)
{
    char number_buf[64], sal_buf[64], pt_buf[64], sal_conv[64], pt_conv[64];
    const char *number = cell(c, row, SC_NUMBER, number_buf, sizeof number_buf);
    const char *sal = cell(c, row, SC_NEW_SALARY, sal_buf, sizeof sal_buf);
    const char *pt = cell(c, row, SC_NEW_PARTTIME, pt_buf, sizeof pt_buf);
    if (!sal && !pt)
        return PORTAL_OK; /* empty = unchanged */
    int r = (int)row->number;
    c->counts.rows++;
    size_t before = (size_t)c->counts.errors;
    batch_person *p = NULL;
    if (!number) {
        batch_check_add_error(c, r, SC_NUMBER, "required", "field_required");
    } else if (!(p = batch_check_find_person(c, number, 0))) {
        batch_check_add_error(c, r, SC_NUMBER, "unknown_participant", NULL);
    } else if (p->seen_row) {
        batch_check_add_error(c, r, SC_NUMBER, "duplicate_in_file", NULL);
        p = NULL;
    } else {
        p->seen_row = r;
    }
    sal = decimal_cell(sal, sal_conv, sizeof sal_conv);
    pt = decimal_cell(pt, pt_conv, sizeof pt_conv);
    rule_salary_change parsed;
    rule_report report;
    if (rule_check_salary_change(sal, pt, &parsed, &report) != PORTAL_OK)
        return PORTAL_ERR_INTERNAL;
    for (size_t i = 0; i < report.count; i++) {
        const rule_finding *f = &report.findings[i];
        if (f->rule->outcome < RULE_INVALID)
            continue;
        int key = f->field && strstr(f->field, "parttime") ? SC_NEW_PARTTIME : SC_NEW_SALARY;
        batch_check_add_rule_error(c, r, key, f->rule);
    }
    const rule_definition *review = NULL;
    if (p) {
        rule_participant_state st = {.scheme_kind = c->scheme_kind,
                                     .status = p->status,
                                     .employment_start = p->start,
                                     .has_employment_end = p->has_end != 0,
                                     .employment_end = p->end};
        rule_verdict v;
        if (!p->has_period) {
            batch_check_add_error(c, r, SC_NUMBER, "unknown_participant", NULL);
        } else if (rule_check_change(&st, RULE_CHANGE_SALARY, c->today, c->effective, &v) !=
                   PORTAL_OK) {
            return PORTAL_ERR_INTERNAL;
        } else if (v.outcome == RULE_INVALID || v.outcome == RULE_CONFLICT) {
            batch_check_add_rule_error(c, r, SC_NUMBER, v.rule);
        } else if (v.outcome == RULE_REVIEW) {
            review = v.rule;
        }
        if (report.outcome == RULE_DIRECT && p->has_values &&
            (!parsed.has_salary || parsed.salary == p->salary) &&
            (!parsed.has_parttime_percentage || parsed.parttime_percentage == p->parttime))
            batch_check_add_error(c, r, parsed.has_salary ? SC_NEW_SALARY : SC_NEW_PARTTIME,
                                  "no_change", NULL);
    }
    if ((size_t)c->counts.errors != before || !p)
        return PORTAL_OK;
    char payload[128], s_text[DECIMAL_TEXT_SIZE], p_text[DECIMAL_TEXT_SIZE], eff[16], reasons[96];
    size_t at = (size_t)snprintf(payload, sizeof payload, "{");
    if (parsed.has_salary &&
        decimal_format(parsed.salary, DECIMAL_MONEY_SCALE, s_text, sizeof s_text) == PORTAL_OK)
        at += (size_t)snprintf(payload + at, sizeof payload - at, "\"salary\":\"%s\"", s_text);
    if (parsed.has_parttime_percentage &&
        decimal_format(parsed.parttime_percentage, DECIMAL_PERCENTAGE_SCALE, p_text,
                       sizeof p_text) == PORTAL_OK)
        at +=
            (size_t)snprintf(payload + at, sizeof payload - at, "%s\"parttime_percentage\":\"%s\"",
                             parsed.has_salary ? "," : "", p_text);
    snprintf(payload + at, sizeof payload - at, "}");
    civil_date_format(c->effective, eff, sizeof eff);
    batch_row_new out = {.row_number = r,
                         .participant_id = p->id,
                         .effective_date = eff,
                         .status = review ? "pending_review" : "processed",
                         .review_reasons = review_literal(review, reasons, sizeof reasons),
                         .payload = payload};
    c->counts.valid_rows++;
    if (review)
        c->counts.review_rows++;
    return c->sink ? c->sink(c->sink_ctx, &out) : PORTAL_OK;
}

/* ---- new participant rows ---- */

/* The gender as the API names it (also Dutch words and M/V), or the text. */
static const char *gender_cell(const char *text)
{
    if (!text)
        return NULL;
    static const struct {
        const char *in;
        const char *out;
    } names[] = {{"male", "male"}, {"female", "female"}, {"unknown", "unknown"},
                 {"man", "male"},  {"vrouw", "female"},  {"onbekend", "unknown"},
                 {"m", "male"},    {"v", "female"},      {"f", "female"},
                 {"x", "unknown"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(text, names[i].in) == 0)
            return names[i].out;
    return text;
}

/* Adds the refusing findings of a registration report at their columns. */
static void registration_findings(batch_check *c, int r, const rule_report *report)
{
    for (size_t i = 0; i < report->count; i++) {
        const rule_finding *f = &report->findings[i];
        if (f->rule->outcome < RULE_INVALID)
            continue;
        const char *field = f->field ? f->field : "";
        int key = NP_START_DATE;
        if (strstr(field, "birth_date"))
            key = NP_BIRTH_DATE;
        else if (strstr(field, "gender"))
            key = NP_GENDER;
        else if (strstr(field, "bsn"))
            key = NP_BSN;
        else if (strstr(field, "parttime"))
            key = NP_PARTTIME;
        else if (strstr(field, "salary"))
            key = NP_SALARY;
        batch_check_add_rule_error(c, r, key, f->rule);
    }
}

/* The review reasons of a report as a text[] literal. */
static void report_reasons(const rule_report *report, char *out, size_t size)
{
    size_t at = (size_t)snprintf(out, size, "{");
    for (size_t i = 0; i < report->count && at < size; i++)
        if (report->findings[i].rule->outcome == RULE_REVIEW)
            at += (size_t)snprintf(out + at, size - at, "%s%s", at > 1 ? "," : "",
                                   report->findings[i].rule->id);
    if (at < size)
        snprintf(out + at, size - at, "}");
}

/* Whether key's cell of row holds exactly text (dates compared as dates). */
static int cell_is(const batch_check *c, const sheet_row *row, int key, const char *text)
{
    char text_buf[128], iso[CIVIL_DATE_TEXT_SIZE];
    const char *v = cell(c, row, key, text_buf, sizeof text_buf);
    if (!v || !text)
        return !v && (!text || !text[0]);
    if (key == NP_BIRTH_DATE || key == NP_START_DATE)
        v = date_cell(v, iso);
    return strcmp(v, text) == 0;
}

/* Whether a row is the template's example row (row 2) left as it is: the
 * example person's BSN, names and birth date (formats/batch_templates.h). */
static int example_row(const batch_check *c, const sheet_row *row)
{
    const batch_new_participant_row *ex = batch_template_example();
    return row->number == 2 && cell_is(c, row, NP_BSN, ex->bsn) &&
           cell_is(c, row, NP_SURNAME, ex->surname) &&
           cell_is(c, row, NP_FIRST_NAME, ex->first_name) &&
           cell_is(c, row, NP_BIRTH_DATE, ex->birth_date);
}

typedef struct {
    char number[64], first[256], initials_in[64], prefix[64], surname[256], birth[32];
    char birth_iso[CIVIL_DATE_TEXT_SIZE], gender[32], bsn[32], email[PARTICIPANT_EMAIL_MAX + 1];
    char street[256], house[64], postal[64], city[128], country[16], start[32];
    char start_iso[CIVIL_DATE_TEXT_SIZE], salary[64], salary_conv[64], parttime[64];
    char parttime_conv[64], initials[PARTICIPANT_INITIALS_SIZE];
    char display[PARTICIPANT_DISPLAY_NAME_SIZE], postal_norm[PARTICIPANT_POSTAL_CODE_SIZE];
    char bsn_norm[BSN_SIZE];
} np_cells;

/* The registration payload as the individual registration stores it. */
static char *registration_payload(const np_cells *v, const char *first, const char *prefix,
                                  const char *email, int has_address, const char *country,
                                  const rule_registration *parsed)
{
    char salary[DECIMAL_TEXT_SIZE], parttime[DECIMAL_TEXT_SIZE];
    if (decimal_format(parsed->salary, DECIMAL_MONEY_SCALE, salary, sizeof salary) != PORTAL_OK ||
        decimal_format(parsed->parttime_percentage, DECIMAL_PERCENTAGE_SCALE, parttime,
                       sizeof parttime) != PORTAL_OK)
        return NULL;
    json_t *person = json_object();
    if (!person)
        return NULL;
    if (first)
        json_object_set_new(person, "first_name", json_string(first));
    json_object_set_new(person, "initials", json_string(v->initials));
    if (prefix)
        json_object_set_new(person, "surname_prefix", json_string(prefix));
    json_object_set_new(person, "surname", json_string(v->surname));
    json_object_set_new(person, "birth_date", json_string(v->birth_iso));
    json_object_set_new(person, "gender", json_string(rule_gender_name(parsed->gender)));
    if (email)
        json_object_set_new(person, "email", json_string(email));
    if (has_address)
        json_object_set_new(person, "address",
                            json_pack("{s:s, s:s, s:s, s:s, s:s}", "street", v->street,
                                      "house_number", v->house, "postal_code", v->postal_norm,
                                      "city", v->city, "country", country));
    json_t *payload = json_pack("{s:s, s:o, s:{s:s, s:s, s:s}}", "display_name", v->display,
                                "person", person, "employment", "start_date", v->start_iso,
                                "salary", salary, "parttime_percentage", parttime);
    char *text = payload ? json_dumps(payload, JSON_COMPACT) : NULL;
    json_decref(payload);
    return text;
}

static portal_result new_participant_row(batch_check *c, const sheet_row *row)
{
    if (example_row(c, row))
        return PORTAL_OK;
    np_cells *v = calloc(1, sizeof *v);
    if (!v)
        return PORTAL_ERR_MEMORY;
    int r = (int)row->number;
    c->counts.rows++;
    long before = c->counts.errors;
    const char *number = cell(c, row, NP_NUMBER, v->number, sizeof v->number);
    const char *first = cell(c, row, NP_FIRST_NAME, v->first, sizeof v->first);
    const char *initials = cell(c, row, NP_INITIALS, v->initials_in, sizeof v->initials_in);
    const char *prefix = cell(c, row, NP_PREFIX, v->prefix, sizeof v->prefix);
    const char *surname = cell(c, row, NP_SURNAME, v->surname, sizeof v->surname);
    const char *email = cell(c, row, NP_EMAIL, v->email, sizeof v->email);
    const char *street = cell(c, row, NP_STREET, v->street, sizeof v->street);
    const char *house = cell(c, row, NP_HOUSE_NUMBER, v->house, sizeof v->house);
    const char *postal = cell(c, row, NP_POSTAL_CODE, v->postal, sizeof v->postal);
    const char *city = cell(c, row, NP_CITY, v->city, sizeof v->city);
    const char *country = cell(c, row, NP_COUNTRY, v->country, sizeof v->country);
    const char *bsn = cell(c, row, NP_BSN, v->bsn, sizeof v->bsn);
    if (bsn && bsn_normalize(bsn, v->bsn_norm) == PORTAL_OK)
        bsn = v->bsn_norm;
    rule_registration_input in = {
        .birth_date =
            date_cell(cell(c, row, NP_BIRTH_DATE, v->birth, sizeof v->birth), v->birth_iso),
        .gender = gender_cell(cell(c, row, NP_GENDER, v->gender, sizeof v->gender)),
        .bsn = bsn,
        .start_date =
            date_cell(cell(c, row, NP_START_DATE, v->start, sizeof v->start), v->start_iso),
        .salary = decimal_cell(cell(c, row, NP_SALARY, v->salary, sizeof v->salary), v->salary_conv,
                               sizeof v->salary_conv),
        .parttime_percentage =
            decimal_cell(cell(c, row, NP_PARTTIME, v->parttime, sizeof v->parttime),
                         v->parttime_conv, sizeof v->parttime_conv)};
    if (in.birth_date && in.birth_date != v->birth_iso)
        snprintf(v->birth_iso, sizeof v->birth_iso, "%.10s", in.birth_date);
    if (in.start_date && in.start_date != v->start_iso)
        snprintf(v->start_iso, sizeof v->start_iso, "%.10s", in.start_date);

    if (number && !participant_number_is_valid(number))
        batch_check_add_error(c, r, NP_NUMBER, "invalid_format", NULL);
    if (!first && !initials)
        batch_check_add_error(c, r, NP_INITIALS, "required", "field_required");
    else if (participant_format_initials(initials, first, v->initials, sizeof v->initials) !=
             PORTAL_OK)
        batch_check_add_error(c, r, initials ? NP_INITIALS : NP_FIRST_NAME, "invalid_format", NULL);
    if (!surname)
        batch_check_add_error(c, r, NP_SURNAME, "required", "field_required");
    else if (participant_format_display_name(surname, v->initials, prefix, v->display,
                                             sizeof v->display) != PORTAL_OK)
        batch_check_add_error(c, r, NP_SURNAME, "invalid_format", NULL);
    if (email && !participant_email_is_valid(email))
        batch_check_add_error(c, r, NP_EMAIL, "invalid_email", NULL);
    int has_address = street || house || postal || city;
    if (!country)
        country = "NL";
    if (has_address) {
        if (!street)
            batch_check_add_error(c, r, NP_STREET, "required", "field_required");
        if (!house)
            batch_check_add_error(c, r, NP_HOUSE_NUMBER, "required", "field_required");
        if (!city)
            batch_check_add_error(c, r, NP_CITY, "required", "field_required");
        if (!participant_country_is_valid(country))
            batch_check_add_error(c, r, NP_COUNTRY, "invalid_format", NULL);
        else if (!postal)
            batch_check_add_error(c, r, NP_POSTAL_CODE, "required", "field_required");
        else if (participant_postal_code_normalize(country, postal, v->postal_norm,
                                                   sizeof v->postal_norm) != PORTAL_OK)
            batch_check_add_error(c, r, NP_POSTAL_CODE, "invalid_format", NULL);
    }
    rule_registration parsed;
    rule_report report;
    if (rule_check_registration(&in, c->today, &parsed, &report) != PORTAL_OK) {
        free(v);
        return PORTAL_ERR_INTERNAL;
    }
    registration_findings(c, r, &report);

    /* The scheme and the file: known BSN (re-hire or exists), numbers. */
    batch_person *known = NULL;
    if (bsn && bsn_is_valid(bsn)) {
        int dup = batch_check_seen(&c->seen_bsn, bsn, r);
        if (dup < 0) {
            free(v);
            return PORTAL_ERR_MEMORY;
        }
        if (dup > 0)
            batch_check_add_error(c, r, NP_BSN, "duplicate_in_file", NULL);
        known = batch_check_find_person(c, bsn, 1);
        if (known && known->has_period && known->status != RULE_STATUS_DORMANT &&
            known->status != RULE_STATUS_ENDED) {
            batch_check_add_error(c, r, NP_BSN, "participant_exists", NULL);
            known = NULL;
        } else if (known && number && strcmp(known->number, number) != 0) {
            batch_check_add_error(c, r, NP_NUMBER, "participant_number_mismatch", NULL);
        }
    }
    if (number && participant_number_is_valid(number)) {
        int dup = batch_check_seen(&c->seen_number, number, r);
        if (dup < 0) {
            free(v);
            return PORTAL_ERR_MEMORY;
        }
        batch_person *holder = batch_check_find_person(c, number, 0);
        if (dup > 0)
            batch_check_add_error(c, r, NP_NUMBER, "duplicate_in_file", NULL);
        else if (holder && holder != known)
            batch_check_add_error(c, r, NP_NUMBER, "not_unique", NULL);
    }
    portal_result rc = PORTAL_OK;
    if (c->counts.errors == before && report.outcome <= RULE_REVIEW) {
        char *payload =
            registration_payload(v, first, prefix, email, has_address, country, &parsed);
        char reasons[256];
        report_reasons(&report, reasons, sizeof reasons);
        if (!payload) {
            rc = PORTAL_ERR_MEMORY;
        } else {
            batch_row_new out = {.row_number = r,
                                 .participant_id = known ? known->id : NULL,
                                 .participant_number = known ? known->number : number,
                                 .bsn = bsn,
                                 .effective_date = v->start_iso,
                                 .status =
                                     report.outcome == RULE_REVIEW ? "pending_review" : "processed",
                                 .review_reasons = reasons,
                                 .payload = payload};
            c->counts.valid_rows++;
            if (report.outcome == RULE_REVIEW)
                c->counts.review_rows++;
            rc = c->sink ? c->sink(c->sink_ctx, &out) : PORTAL_OK;
            free(payload);
        }
    }
    free(v);
    return rc;
}

portal_result batch_check_row(void *ctx, const sheet_row *row)
{
    batch_check *c = ctx;
    if (row->number == 1 || !c->header_seen) {
        if (!c->header_seen)
            batch_check_read_header(c, row);
        return PORTAL_OK;
    }
    if (!c->header_ok)
        return PORTAL_OK;
    portal_result rc = batch_check_index_people(c);
    if (rc != PORTAL_OK)
        return rc;
    return c->kind == BATCH_KIND_SALARY_CHANGE ? salary_row(c, row) : new_participant_row(c, row);
}

void batch_check_set_sink(batch_check *c, batch_row_sink sink, void *sink_ctx)
{
    c->sink = sink;
    c->sink_ctx = sink_ctx;
}
