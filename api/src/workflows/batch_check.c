/* workflows/batch_check.c: see batch_check.h. */
#include "workflows/batch_check.h"

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

#define BATCH_CELL_MAX 512 /* bytes of one cell we look at */
#define NO_COL (-1)

/* ---- columns ---- */

enum {
    SC_NUMBER = 0,
    SC_NAME,
    SC_BIRTH_DATE,
    SC_SALARY,
    SC_PARTTIME,
    SC_NEW_SALARY,
    SC_NEW_PARTTIME,
    SC_COUNT
};

enum {
    NP_NUMBER = 0,
    NP_FIRST_NAME,
    NP_INITIALS,
    NP_PREFIX,
    NP_SURNAME,
    NP_BIRTH_DATE,
    NP_GENDER,
    NP_BSN,
    NP_EMAIL,
    NP_STREET,
    NP_HOUSE_NUMBER,
    NP_POSTAL_CODE,
    NP_CITY,
    NP_COUNTRY,
    NP_START_DATE,
    NP_SALARY,
    NP_PARTTIME,
    NP_COUNT
};

static const char *const salary_columns[SC_COUNT] = {
    "participant_number", "display_name",           "birth_date", "salary", "parttime_percentage",
    "new_salary",         "new_parttime_percentage"};

static const char *const new_columns[NP_COUNT] = {"participant_number",
                                                  "first_name",
                                                  "initials",
                                                  "surname_prefix",
                                                  "surname",
                                                  "birth_date",
                                                  "gender",
                                                  "bsn",
                                                  "email",
                                                  "street",
                                                  "house_number",
                                                  "postal_code",
                                                  "city",
                                                  "country",
                                                  "start_date",
                                                  "salary",
                                                  "parttime_percentage"};

const char *const *batch_check_columns(batch_kind kind, size_t *count)
{
    if (kind == BATCH_KIND_SALARY_CHANGE) {
        *count = SC_COUNT;
        return salary_columns;
    }
    *count = NP_COUNT;
    return new_columns;
}

void batch_check_col_letter(size_t col_index, char out[4])
{
    if (col_index < 26) {
        out[0] = (char)('A' + col_index);
        out[1] = '\0';
    } else if (col_index < 26 * 27) {
        out[0] = (char)('A' + col_index / 26 - 1);
        out[1] = (char)('A' + col_index % 26);
        out[2] = '\0';
    } else {
        out[0] = '\0';
    }
}

/* ---- the participant index ---- */

typedef struct {
    char id[PORTAL_ID_LEN];
    char number[BATCHES_NUMBER_SIZE];
    char bsn[16];
    int has_period;
    rule_participant_status status;
    civil_date start;
    int has_end;
    civil_date end;
    int has_values; /* salary and part-time on the effective date */
    int64_t salary;
    int64_t parttime;
    int seen_row; /* the file row that named it, 0 when none yet */
} batch_person;

/* A set of short keys (BSNs, numbers) seen in the file, with their row. */
typedef struct {
    char key[24];
    int row;
} seen_slot;

typedef struct {
    seen_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t used;
} seen_set;

struct batch_check {
    batch_kind kind;
    rule_scheme_kind scheme_kind;
    civil_date today;
    civil_date effective;
    batch_row_sink sink;
    void *sink_ctx;

    batch_person *people;
    size_t n_people, cap_people;
    size_t *by_number; /* indexes into people, sorted by number */
    size_t *by_bsn;    /* sorted by BSN */
    int indexed;

    int header_seen;
    int header_ok;
    int col[NP_COUNT]; /* file column of each key, NO_COL when absent */

    seen_set seen_bsn, seen_number;

    batch_check_counts counts;
    batch_check_error *errors;
    size_t n_errors, cap_errors;
};

static uint64_t seen_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The row that had key before, or 0 after recording it for row. -1 on
 * memory. */
static int seen_check(seen_set *s, const char *key, int row)
{
    if (s->used * 2 >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        seen_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i].row)
                continue;
            size_t j = (size_t)seen_hash(s->slots[i].key) & (cap - 1);
            while (slots[j].row)
                j = (j + 1) & (cap - 1);
            slots[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t j = (size_t)seen_hash(key) & (s->cap - 1);
    while (s->slots[j].row) {
        if (strcmp(s->slots[j].key, key) == 0)
            return s->slots[j].row;
        j = (j + 1) & (s->cap - 1);
    }
    snprintf(s->slots[j].key, sizeof s->slots[j].key, "%s", key);
    s->slots[j].row = row;
    s->used++;
    return 0;
}

portal_result batch_check_new(batch_kind kind, rule_scheme_kind scheme_kind, civil_date today,
                              civil_date effective, batch_row_sink sink, void *sink_ctx,
                              batch_check **out)
{
    batch_check *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return PORTAL_ERR_MEMORY;
    c->kind = kind;
    c->scheme_kind = scheme_kind;
    c->today = today;
    c->effective = effective;
    c->sink = sink;
    c->sink_ctx = sink_ctx;
    for (size_t i = 0; i < NP_COUNT; i++)
        c->col[i] = NO_COL;
    *out = c;
    return PORTAL_OK;
}

void batch_check_free(batch_check *c)
{
    if (!c)
        return;
    free(c->people);
    free(c->by_number);
    free(c->by_bsn);
    free(c->seen_bsn.slots);
    free(c->seen_number.slots);
    free(c->errors);
    free(c);
}

static int parse_amount(const char *text, const decimal_spec *spec, int64_t *out)
{
    return text && text[0] && decimal_parse(text, spec, out) == PORTAL_OK;
}

portal_result batch_check_add_participant(void *ctx, const batch_participant *p)
{
    batch_check *c = ctx;
    if (c->n_people == c->cap_people) {
        size_t cap = c->cap_people ? c->cap_people * 2 : 1024;
        batch_person *people = realloc(c->people, cap * sizeof *people);
        if (!people)
            return PORTAL_ERR_MEMORY;
        c->people = people;
        c->cap_people = cap;
    }
    batch_person *b = &c->people[c->n_people];
    memset(b, 0, sizeof *b);
    snprintf(b->id, sizeof b->id, "%s", p->id);
    snprintf(b->number, sizeof b->number, "%s", p->number);
    snprintf(b->bsn, sizeof b->bsn, "%s", p->bsn);
    b->has_period = p->status[0] && rule_status_parse(p->status, &b->status) == PORTAL_OK &&
                    civil_date_parse(p->employment_start, &b->start) == PORTAL_OK;
    const char *end = p->employment_end[0] ? p->employment_end : NULL;
    if (p->pending_end[0] && (!end || strcmp(p->pending_end, end) < 0))
        end = p->pending_end;
    if (end && civil_date_parse(end, &b->end) == PORTAL_OK)
        b->has_end = 1;
    b->has_values = parse_amount(p->salary, &decimal_spec_salary, &b->salary) &&
                    parse_amount(p->parttime, &decimal_spec_percentage, &b->parttime);
    c->n_people++;
    c->indexed = 0;
    return PORTAL_OK;
}

/* The array being sorted (qsort has no context argument). */
static _Thread_local const batch_person *sort_base;

static int by_number_cmp(const void *a, const void *b)
{
    return strcmp(sort_base[*(const size_t *)a].number, sort_base[*(const size_t *)b].number);
}

static int by_bsn_cmp(const void *a, const void *b)
{
    return strcmp(sort_base[*(const size_t *)a].bsn, sort_base[*(const size_t *)b].bsn);
}

/* Builds the two sorted indexes (once, before the first data row). */
static portal_result index_people(batch_check *c)
{
    if (c->indexed)
        return PORTAL_OK;
    free(c->by_number);
    free(c->by_bsn);
    size_t n = c->n_people ? c->n_people : 1;
    c->by_number = malloc(n * sizeof(size_t));
    c->by_bsn = malloc(n * sizeof(size_t));
    if (!c->by_number || !c->by_bsn)
        return PORTAL_ERR_MEMORY;
    for (size_t i = 0; i < c->n_people; i++)
        c->by_number[i] = c->by_bsn[i] = i;
    sort_base = c->people;
    qsort(c->by_number, c->n_people, sizeof(size_t), by_number_cmp);
    qsort(c->by_bsn, c->n_people, sizeof(size_t), by_bsn_cmp);
    sort_base = NULL;
    c->indexed = 1;
    return PORTAL_OK;
}

/* The participant with this number (by_bsn = 0) or BSN (1), or NULL. */
static batch_person *find_person(batch_check *c, const char *key, int by_bsn)
{
    size_t lo = 0, hi = c->n_people;
    const size_t *idx = by_bsn ? c->by_bsn : c->by_number;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        batch_person *p = &c->people[idx[mid]];
        int cmp = strcmp(by_bsn ? p->bsn : p->number, key);
        if (cmp == 0)
            return p;
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- errors and their messages ---- */

typedef struct {
    const char *code;
    const char *nl;
    const char *en;
} batch_message;

static const batch_message batch_messages[] = {
    {"required", "Dit veld is verplicht.", "This field is required."},
    {"unknown_participant", "Er is geen deelnemer met dit deelnemernummer in deze regeling.",
     "There is no participant with this number in this scheme."},
    {"duplicate_in_file", "Deze waarde staat al op een eerdere regel van het bestand.",
     "This value already appears on an earlier row of the file."},
    {"no_change", "Deze regel wijzigt niets: de nieuwe waarden zijn gelijk aan de huidige.",
     "This row changes nothing: the new values equal the current ones."},
    {"column_missing", "Deze kolom ontbreekt in de kopregel van het bestand.",
     "This column is missing from the file's header row."},
    {"column_duplicate", "Deze kolom staat twee keer in de kopregel van het bestand.",
     "This column appears twice in the file's header row."},
    {"invalid_format", "Deze waarde heeft niet de juiste vorm.",
     "This value does not have the right format."},
    {"invalid_email", "Dit is geen geldig e-mailadres.", "This is not a valid e-mail address."},
    {"participant_exists", "Deze persoon is al actief deelnemer in deze regeling.",
     "This person is already an active participant in this scheme."},
    {"not_unique", "Dit deelnemernummer is al in gebruik in deze regeling.",
     "This participant number is already in use in this scheme."},
    {"participant_number_mismatch",
     "Deze persoon is eerder deelnemer geweest met een ander deelnemernummer.",
     "This person took part before under another participant number."},
    {"no_rows", "Het bestand bevat geen regels met wijzigingen.",
     "The file holds no rows with changes."},
};

const char *batch_check_message(const char *code, const char *rule_id, const char *lang)
{
    int en = lang && strcmp(lang, "en") == 0;
    if (rule_id && rule_id[0]) {
        const rule_definition *rule = rule_find(rule_id);
        if (rule)
            return en ? rule->description_en : rule->description_nl;
    }
    for (size_t i = 0; i < sizeof batch_messages / sizeof batch_messages[0]; i++)
        if (code && strcmp(batch_messages[i].code, code) == 0)
            return en ? batch_messages[i].en : batch_messages[i].nl;
    return en ? "This value breaks a rule." : "Deze waarde voldoet niet aan de regels.";
}

/* The code a row error shows for a refusing rule: the code the individual
 * endpoint answers for it (required, invalid_bsn, participant_dormant ...),
 * or the rule id where that code is only validation_failed. */
static const char *rule_code(const rule_definition *rule)
{
    if (strcmp(rule->id, "field_required") == 0)
        return "required";
    if (rule->code && strcmp(rule->code, "validation_failed") != 0)
        return rule->code;
    return rule->id;
}

/* Records an error at row, key index `key` of the kind's columns. */
static void add_error(batch_check *c, int row, int key, const char *code, const char *rule_id)
{
    c->counts.errors++;
    if (c->n_errors >= BATCH_CHECK_MAX_ERRORS)
        return;
    if (c->n_errors == c->cap_errors) {
        size_t cap = c->cap_errors ? c->cap_errors * 2 : 256;
        batch_check_error *e = realloc(c->errors, cap * sizeof *e);
        if (!e)
            return; /* counted, not kept */
        c->errors = e;
        c->cap_errors = cap;
    }
    size_t n_keys;
    const char *const *keys = batch_check_columns(c->kind, &n_keys);
    batch_check_error *e = &c->errors[c->n_errors++];
    e->row = row;
    e->col[0] = '\0';
    if (key >= 0 && c->col[key] != NO_COL)
        batch_check_col_letter((size_t)c->col[key], e->col);
    e->field = key >= 0 && (size_t)key < n_keys ? keys[key] : "";
    e->code = code;
    e->rule_id = rule_id;
}

static void add_rule_error(batch_check *c, int row, int key, const rule_definition *rule)
{
    add_error(c, row, key, rule_code(rule), rule->id);
}

void batch_check_get_counts(const batch_check *c, batch_check_counts *out)
{
    *out = c->counts;
}

const batch_check_error *batch_check_errors(const batch_check *c, size_t *n)
{
    *n = c->n_errors;
    return c->errors;
}

/* ---- the header ---- */

/* Maps the header row with formats/sheet_columns.h: keys or Dutch or
 * English labels, any order; a missing required column is an error on
 * row 1, a column named twice too; unknown columns are ignored. */
static void read_header(batch_check *c, const sheet_row *row)
{
    c->header_seen = 1;
    sheet_header_map map;
    sheet_template t = c->kind == BATCH_KIND_SALARY_CHANGE ? SHEET_TEMPLATE_SALARY_CHANGE
                                                           : SHEET_TEMPLATE_NEW_PARTICIPANTS;
    (void)sheet_columns_map(t, row, &map);
    for (size_t i = 0; i < map.n_fields && i < NP_COUNT; i++)
        c->col[i] = map.column_of[i] >= 0 ? (int)map.column_of[i] : NO_COL;
    c->header_ok = map.n_missing == 0;
    for (size_t i = 0; i < map.n_missing; i++)
        add_error(c, (int)row->number, (int)map.missing[i], "column_missing", NULL);
    size_t n_keys;
    const char *const *keys = batch_check_columns(c->kind, &n_keys);
    for (size_t i = 0; i < map.n_duplicate && i < SHEET_MAX_REPORTED; i++) {
        size_t at = map.duplicate[i];
        long k =
            at < row->n_cells ? sheet_columns_find(t, row->cells[at].text, row->cells[at].len) : -1;
        add_error(c, (int)row->number, NO_COL, "column_duplicate", NULL);
        if (c->n_errors > 0 && c->errors[c->n_errors - 1].row == (int)row->number) {
            batch_check_error *e = &c->errors[c->n_errors - 1];
            batch_check_col_letter(at, e->col);
            e->field = k >= 0 && (size_t)k < n_keys ? keys[k] : "";
        }
        c->header_ok = 0;
    }
}

void batch_check_finish(batch_check *c)
{
    if (!c->header_seen)
        add_error(c, 1, c->kind == BATCH_KIND_SALARY_CHANGE ? SC_NUMBER : NP_BSN, "column_missing",
                  NULL);
    else if (c->header_ok && c->counts.rows == 0)
        add_error(c, 2, NO_COL, "no_rows", NULL);
}

/* ---- cells ---- */

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
        add_error(c, r, SC_NUMBER, "required", "field_required");
    } else if (!(p = find_person(c, number, 0))) {
        add_error(c, r, SC_NUMBER, "unknown_participant", NULL);
    } else if (p->seen_row) {
        add_error(c, r, SC_NUMBER, "duplicate_in_file", NULL);
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
        add_rule_error(c, r, key, f->rule);
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
            add_error(c, r, SC_NUMBER, "unknown_participant", NULL);
        } else if (rule_check_change(&st, RULE_CHANGE_SALARY, c->today, c->effective, &v) !=
                   PORTAL_OK) {
            return PORTAL_ERR_INTERNAL;
        } else if (v.outcome == RULE_INVALID || v.outcome == RULE_CONFLICT) {
            add_rule_error(c, r, SC_NUMBER, v.rule);
        } else if (v.outcome == RULE_REVIEW) {
            review = v.rule;
        }
        if (report.outcome == RULE_DIRECT && p->has_values &&
            (!parsed.has_salary || parsed.salary == p->salary) &&
            (!parsed.has_parttime_percentage || parsed.parttime_percentage == p->parttime))
            add_error(c, r, parsed.has_salary ? SC_NEW_SALARY : SC_NEW_PARTTIME, "no_change", NULL);
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
        add_rule_error(c, r, key, f->rule);
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
        add_error(c, r, NP_NUMBER, "invalid_format", NULL);
    if (!first && !initials)
        add_error(c, r, NP_INITIALS, "required", "field_required");
    else if (participant_format_initials(initials, first, v->initials, sizeof v->initials) !=
             PORTAL_OK)
        add_error(c, r, initials ? NP_INITIALS : NP_FIRST_NAME, "invalid_format", NULL);
    if (!surname)
        add_error(c, r, NP_SURNAME, "required", "field_required");
    else if (participant_format_display_name(surname, v->initials, prefix, v->display,
                                             sizeof v->display) != PORTAL_OK)
        add_error(c, r, NP_SURNAME, "invalid_format", NULL);
    if (email && !participant_email_is_valid(email))
        add_error(c, r, NP_EMAIL, "invalid_email", NULL);
    int has_address = street || house || postal || city;
    if (!country)
        country = "NL";
    if (has_address) {
        if (!street)
            add_error(c, r, NP_STREET, "required", "field_required");
        if (!house)
            add_error(c, r, NP_HOUSE_NUMBER, "required", "field_required");
        if (!city)
            add_error(c, r, NP_CITY, "required", "field_required");
        if (!participant_country_is_valid(country))
            add_error(c, r, NP_COUNTRY, "invalid_format", NULL);
        else if (!postal)
            add_error(c, r, NP_POSTAL_CODE, "required", "field_required");
        else if (participant_postal_code_normalize(country, postal, v->postal_norm,
                                                   sizeof v->postal_norm) != PORTAL_OK)
            add_error(c, r, NP_POSTAL_CODE, "invalid_format", NULL);
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
        int dup = seen_check(&c->seen_bsn, bsn, r);
        if (dup < 0) {
            free(v);
            return PORTAL_ERR_MEMORY;
        }
        if (dup > 0)
            add_error(c, r, NP_BSN, "duplicate_in_file", NULL);
        known = find_person(c, bsn, 1);
        if (known && known->has_period && known->status != RULE_STATUS_DORMANT &&
            known->status != RULE_STATUS_ENDED) {
            add_error(c, r, NP_BSN, "participant_exists", NULL);
            known = NULL;
        } else if (known && number && strcmp(known->number, number) != 0) {
            add_error(c, r, NP_NUMBER, "participant_number_mismatch", NULL);
        }
    }
    if (number && participant_number_is_valid(number)) {
        int dup = seen_check(&c->seen_number, number, r);
        if (dup < 0) {
            free(v);
            return PORTAL_ERR_MEMORY;
        }
        batch_person *holder = find_person(c, number, 0);
        if (dup > 0)
            add_error(c, r, NP_NUMBER, "duplicate_in_file", NULL);
        else if (holder && holder != known)
            add_error(c, r, NP_NUMBER, "not_unique", NULL);
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
            read_header(c, row);
        return PORTAL_OK;
    }
    if (!c->header_ok)
        return PORTAL_OK;
    portal_result rc = index_people(c);
    if (rc != PORTAL_OK)
        return rc;
    return c->kind == BATCH_KIND_SALARY_CHANGE ? salary_row(c, row) : new_participant_row(c, row);
}

void batch_check_set_sink(batch_check *c, batch_row_sink sink, void *sink_ctx)
{
    c->sink = sink;
    c->sink_ctx = sink_ctx;
}
