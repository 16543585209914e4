/* workflows/batch_check.c: see batch_check.h. Owns the check state, the index of the scheme's
 * participants, the error list with its messages and the header row. */
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

static uint64_t seen_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The row that had key before, or 0 after recording it for row. -1 on
 * memory. */
int batch_check_seen(seen_set *s, const char *key, int row)
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
portal_result batch_check_index_people(batch_check *c)
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
batch_person *batch_check_find_person(batch_check *c, const char *key, int by_bsn)
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
void batch_check_add_error(batch_check *c, int row, int key, const char *code, const char *rule_id)
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

void batch_check_add_rule_error(batch_check *c, int row, int key, const rule_definition *rule)
{
    batch_check_add_error(c, row, key, rule_code(rule), rule->id);
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
void batch_check_read_header(batch_check *c, const sheet_row *row)
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
        batch_check_add_error(c, (int)row->number, (int)map.missing[i], "column_missing", NULL);
    size_t n_keys;
    const char *const *keys = batch_check_columns(c->kind, &n_keys);
    for (size_t i = 0; i < map.n_duplicate && i < SHEET_MAX_REPORTED; i++) {
        size_t at = map.duplicate[i];
        long k =
            at < row->n_cells ? sheet_columns_find(t, row->cells[at].text, row->cells[at].len) : -1;
        batch_check_add_error(c, (int)row->number, NO_COL, "column_duplicate", NULL);
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
        batch_check_add_error(c, 1, c->kind == BATCH_KIND_SALARY_CHANGE ? SC_NUMBER : NP_BSN,
                              "column_missing", NULL);
    else if (c->header_ok && c->counts.rows == 0)
        batch_check_add_error(c, 2, NO_COL, "no_rows", NULL);
}

/* ---- cells ---- */
