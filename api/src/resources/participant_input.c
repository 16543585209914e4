/* resources/participant_input.c: see participant_input.h. */
#include "resources/participant_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/uuid.h"
#include "domain/participant_format.h"
#include "http/pagination.h"

void pinput_today(civil_date *today, char text[CIVIL_DATE_TEXT_SIZE])
{
    civil_date d = {2000, 1, 1};
    (void)civil_date_amsterdam_today(time(NULL), &d);
    *today = d;
    (void)civil_date_format(d, text, CIVIL_DATE_TEXT_SIZE);
}

void pinput_actor(const http_ctx *ctx, participant_actor *out)
{
    memset(out, 0, sizeof *out);
    out->user_id = ctx->caller.user_id[0] ? ctx->caller.user_id : NULL;
    if (ctx->caller.kind == CALLER_API_TOKEN) {
        out->kind = "api_token";
        out->token_id = ctx->caller.token_id;
    } else if (strcmp(ctx->caller.organisation_kind, "insurer") == 0) {
        out->kind = "staff";
    } else {
        out->kind = "user";
    }
}

void pinput_etag(const char *participant_id, long long version, char etag[HTTP_ETAG_LEN])
{
    char v[96];
    snprintf(v, sizeof v, "participant:%s:%lld", participant_id, version);
    http_etag_from_version(v, etag);
}

const char *pinput_present(const char *s)
{
    if (!s)
        return NULL;
    for (const char *p = s; *p; p++)
        if (*p != ' ' && *p != '\t')
            return s;
    return NULL;
}

json_t *pinput_trimmed(const char *s)
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

/* The field code of a refusing rule (see the header). */
static const char *pinput_field_code(const rule_definition *rule)
{
    if (strcmp(rule->id, "field_required") == 0)
        return "required";
    if (rule->code && strcmp(rule->code, "validation_failed") != 0)
        return rule->code;
    return rule->id;
}

static const char *pinput_rule_text(const rule_definition *rule, const char *lang)
{
    return strcmp(lang, "en") == 0 ? rule->description_en : rule->description_nl;
}

void prules_init(prules *r)
{
    memset(r, 0, sizeof *r);
    problem_init(&r->p, 422, "validation_failed");
}

void prules_add(prules *r, const char *lang, const char *field, const char *field_code,
                const char *problem_code, const char *message)
{
    problem_add(&r->p, lang, field, field_code, message);
    if (r->conflict)
        return;
    if (!r->code[0])
        snprintf(r->code, sizeof r->code, "%s", problem_code);
    else if (strcmp(r->code, problem_code) != 0)
        r->mixed = 1;
}

/* Adds a refusing rule as a field error. */
static void prules_add_rule(prules *r, const char *lang, const rule_definition *rule,
                            const char *field)
{
    if (rule->outcome == RULE_CONFLICT && !r->conflict) {
        r->conflict = 1;
        r->mixed = 0;
        snprintf(r->code, sizeof r->code, "%s", rule->code);
    }
    prules_add(r, lang, field, pinput_field_code(rule),
               rule->code ? rule->code : "validation_failed", pinput_rule_text(rule, lang));
}

void prules_add_report(prules *r, const char *lang, const rule_report *report)
{
    for (size_t i = 0; i < report->count; i++)
        if (report->findings[i].rule->outcome >= RULE_INVALID)
            prules_add_rule(r, lang, report->findings[i].rule, report->findings[i].field);
}

void prules_add_verdict(prules *r, const char *lang, const rule_verdict *verdict, const char *field)
{
    if (verdict->rule && verdict->outcome >= RULE_INVALID)
        prules_add_rule(r, lang, verdict->rule, field);
}

int prules_failed(const prules *r)
{
    return r->p.n_errors > 0;
}

void prules_send(prules *r, struct _u_response *response, const http_ctx *ctx)
{
    r->p.status = r->conflict ? 409 : 422;
    snprintf(r->p.code, sizeof r->p.code, "%s",
             r->mixed || !r->code[0] ? "validation_failed" : r->code);
    problem_send(response, ctx, &r->p);
}

json_t *pinput_address(input *in, prules *rules, const json_t *obj, const char *parent,
                       int required)
{
    char at[96];
    const char *slash = strrchr(parent, '/');
    snprintf(at, sizeof at, "%.*s", (int)(slash ? slash - parent : 0), parent);
    json_t *a = input_object(in, obj, at, slash ? slash + 1 : parent, required);
    if (!a)
        return NULL;
    const char *street = input_string(in, a, parent, "street", INPUT_REQUIRED, 200);
    const char *house = input_string(in, a, parent, "house_number", INPUT_REQUIRED, 20);
    const char *postal = input_string(in, a, parent, "postal_code", INPUT_REQUIRED, 16);
    const char *city = input_string(in, a, parent, "city", INPUT_REQUIRED, 100);
    const char *country = pinput_present(input_string(in, a, parent, "country", INPUT_OPTIONAL, 8));
    if (input_failed(in))
        return NULL;
    if (!country)
        country = "NL";
    char pointer[128];
    if (!participant_country_is_valid(country)) {
        input_pointer(parent, "country", pointer, sizeof pointer);
        prules_add(rules, in->lang, pointer, "invalid_format", "validation_failed", NULL);
        return NULL;
    }
    char normalised[PARTICIPANT_POSTAL_CODE_SIZE];
    if (participant_postal_code_normalize(country, postal, normalised, sizeof normalised) !=
        PORTAL_OK) {
        input_pointer(parent, "postal_code", pointer, sizeof pointer);
        prules_add(rules, in->lang, pointer, "invalid_format", "validation_failed", NULL);
        return NULL;
    }
    json_t *out = json_object();
    json_object_set_new(out, "street", pinput_trimmed(street));
    json_object_set_new(out, "house_number", pinput_trimmed(house));
    json_object_set_new(out, "postal_code", json_string(normalised));
    json_object_set_new(out, "city", pinput_trimmed(city));
    json_object_set_new(out, "country", json_string(country));
    return out;
}

json_t *pinput_family_member(input *in, prules *rules, const json_t *body, rule_change_type type,
                             civil_date today)
{
    const int partner = type == RULE_CHANGE_PARTNER;
    const char *key = partner ? "partner" : "child";
    const char *parent = partner ? "/partner" : "/child";
    json_t *m = input_object(in, body, "", key, INPUT_REQUIRED);
    if (!m)
        return NULL;
    const char *first =
        input_string(in, m, parent, "first_name", INPUT_REQUIRED, PARTICIPANT_NAME_MAX);
    const char *prefix = pinput_present(
        input_string(in, m, parent, "surname_prefix", INPUT_OPTIONAL, PARTICIPANT_PREFIX_MAX));
    const char *surname =
        input_string(in, m, parent, "surname", INPUT_REQUIRED, PARTICIPANT_NAME_MAX);
    rule_family_input fi = {
        .birth_date = input_string(in, m, parent, "birth_date", INPUT_REQUIRED, 32),
        .bsn = input_string(in, m, parent, "bsn", INPUT_REQUIRED, 32),
        .relationship =
            partner ? input_string(in, m, parent, "relationship", INPUT_REQUIRED, 32) : NULL,
    };
    if (input_failed(in))
        return NULL;
    rule_family_member parsed;
    rule_report report;
    if (rule_check_family_member(type, &fi, today, &parsed, &report) != PORTAL_OK)
        return NULL;
    if (report.outcome != RULE_DIRECT) {
        prules_add_report(rules, in->lang, &report);
        return NULL;
    }
    json_t *out = json_object();
    json_object_set_new(out, "first_name", pinput_trimmed(first));
    if (prefix)
        json_object_set_new(out, "surname_prefix", pinput_trimmed(prefix));
    json_object_set_new(out, "surname", pinput_trimmed(surname));
    json_object_set_new(out, "birth_date", json_string(fi.birth_date));
    json_object_set_new(out, "bsn", json_string(fi.bsn));
    if (partner)
        json_object_set_new(out, "relationship",
                            json_string(rule_relationship_name(parsed.relationship)));
    return out;
}

/* Replaces one change's review_reasons ids by {id, message}. */
static void pinput_expand_one(json_t *change, const char *lang)
{
    json_t *ids = json_object_get(change, "review_reasons");
    if (!json_is_array(ids))
        return;
    json_t *out = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        const char *id = json_string_value(v);
        const rule_definition *rule = id ? rule_find(id) : NULL;
        json_array_append_new(out, json_pack("{s:s, s:s}", "id", id ? id : "", "message",
                                             rule ? pinput_rule_text(rule, lang) : ""));
    }
    json_object_set_new(change, "review_reasons", out);
}

char *pinput_expand_reasons(const char *json_text, const char *lang)
{
    json_t *v = json_loads(json_text ? json_text : "null", 0, NULL);
    if (!v)
        return NULL;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) pinput_expand_one(item, lang);
    } else if (json_is_object(v)) {
        pinput_expand_one(v, lang);
    }
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    return text;
}

int pinput_key_is_date(const char *s)
{
    civil_date d;
    return s && civil_date_parse(s, &d) == PORTAL_OK;
}

int pinput_key_is_timestamp(const char *s)
{
    /* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" as the store writes it. */
    if (!s || strlen(s) != 27 || s[10] != 'T' || s[19] != '.' || s[26] != 'Z')
        return 0;
    char date[CIVIL_DATE_TEXT_SIZE];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!pinput_key_is_date(date))
        return 0;
    static const int digits[] = {11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25};
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
        if (s[digits[i]] < '0' || s[digits[i]] > '9')
            return 0;
    return s[13] == ':' && s[16] == ':';
}

int pinput_key_is_digits(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

int pinput_scheme_ids(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                      char **literal, int *count)
{
    char(*ids)[HTTP_QUERY_VALUE_LEN] = calloc(PARTICIPANTS_MAX_SCHEMES, HTTP_QUERY_VALUE_LEN);
    *literal = NULL;
    *count = 0;
    if (!ids) {
        http_problem(response, ctx, 500, "internal_error");
        return 0;
    }
    int n = 0;
    if (!http_query_values_param(request, ctx, response, "scheme_id", ids, PARTICIPANTS_MAX_SCHEMES,
                                 &n)) {
        free(ids);
        return 0;
    }
    if (n == 0) {
        free(ids);
        return 1;
    }
    char *lit = malloc((size_t)n * (PORTAL_ID_LEN + 1) + 4);
    if (!lit) {
        free(ids);
        http_problem(response, ctx, 500, "internal_error");
        return 0;
    }
    size_t at = 0;
    lit[at++] = '{';
    int distinct = 0;
    for (int i = 0; i < n; i++) {
        if (!uuid_valid(ids[i])) {
            free(ids);
            free(lit);
            http_problem(response, ctx, 404, "not_found");
            return 0;
        }
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = strcasecmp(ids[k], ids[i]) == 0;
        if (seen)
            continue;
        if (distinct++)
            lit[at++] = ',';
        memcpy(lit + at, ids[i], 36);
        at += 36;
    }
    lit[at++] = '}';
    lit[at] = '\0';
    free(ids);
    *literal = lit;
    *count = distinct;
    return 1;
}
