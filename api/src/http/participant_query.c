/* http/participant_query.c: see participant_query.h. */
#include "http/participant_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/uuid.h"
#include "domain/participant_rules.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "store/participants.h"

void pquery_today(civil_date *today, char text[CIVIL_DATE_TEXT_SIZE])
{
    civil_date d = {2000, 1, 1};
    (void)civil_date_amsterdam_today(time(NULL), &d);
    *today = d;
    (void)civil_date_format(d, text, CIVIL_DATE_TEXT_SIZE);
}

void pquery_etag(const char *participant_id, long long version, char etag[HTTP_ETAG_LEN])
{
    char v[96];
    snprintf(v, sizeof v, "participant:%s:%lld", participant_id, version);
    http_etag_from_version(v, etag);
}

int pquery_if_match(void *arg, const char *participant_id, long long version)
{
    char etag[HTTP_ETAG_LEN];
    pquery_etag(participant_id, version, etag);
    return http_etag_matches((const char *)arg, etag);
}

int pquery_key_is_date(const char *s)
{
    civil_date d;
    return s && civil_date_parse(s, &d) == PORTAL_OK;
}

int pquery_key_is_timestamp(const char *s)
{
    /* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" as the store writes it. */
    if (!s || strlen(s) != 27 || s[10] != 'T' || s[19] != '.' || s[26] != 'Z')
        return 0;
    char date[CIVIL_DATE_TEXT_SIZE];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!pquery_key_is_date(date))
        return 0;
    static const int digits[] = {11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25};
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
        if (s[digits[i]] < '0' || s[digits[i]] > '9')
            return 0;
    return s[13] == ':' && s[16] == ':';
}

int pquery_key_is_digits(const char *s)
{
    if (!s || !*s || strlen(s) > 18)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The distinct ids as a uuid[] literal into lit (n * 37 + 4 bytes); 0 when
 * one is not UUID-shaped. */
static int pquery_literal(char (*ids)[HTTP_QUERY_VALUE_LEN], int n, char *lit, int *distinct)
{
    size_t at = 0;
    lit[at++] = '{';
    *distinct = 0;
    for (int i = 0; i < n; i++) {
        if (!uuid_valid(ids[i]))
            return 0;
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = strcasecmp(ids[k], ids[i]) == 0;
        if (seen)
            continue;
        if ((*distinct)++)
            lit[at++] = ',';
        memcpy(lit + at, ids[i], 36);
        at += 36;
    }
    lit[at++] = '}';
    lit[at] = '\0';
    return 1;
}

http_step pquery_scheme_ids(const struct _u_request *request, http_ctx *ctx,
                            struct _u_response *response, const char **literal, int *count)
{
    *literal = NULL;
    *count = 0;
    char(*ids)[HTTP_QUERY_VALUE_LEN] =
        http_ctx_keep(ctx, calloc(PARTICIPANTS_MAX_SCHEMES, HTTP_QUERY_VALUE_LEN));
    if (!ids) {
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
        return HTTP_ANSWERED;
    }
    int n = 0;
    if (!http_query_values_param(request, ctx, response, "scheme_id", ids, PARTICIPANTS_MAX_SCHEMES,
                                 &n))
        return HTTP_ANSWERED;
    if (n == 0)
        return HTTP_GO_ON;
    char *lit = http_ctx_keep(ctx, malloc((size_t)n * (PORTAL_ID_LEN + 1) + 4));
    if (!lit) {
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
        return HTTP_ANSWERED;
    }
    if (!pquery_literal(ids, n, lit, count)) {
        http_answer_result(response, ctx, PORTAL_ERR_NOT_FOUND);
        return HTTP_ANSWERED;
    }
    *literal = lit;
    return HTTP_GO_ON;
}

http_step pquery_type_filter(const struct _u_request *request, struct _u_response *response,
                             http_ctx *ctx, const char **type)
{
    *type = participant_present(http_param(request, "type"));
    rule_change_type parsed;
    if (*type && rule_change_type_parse(*type, &parsed) != PORTAL_OK) {
        http_field_problem(response, ctx, 400, "invalid_request", "type", "invalid_value", NULL);
        return HTTP_ANSWERED;
    }
    return HTTP_GO_ON;
}

/* Replaces one change's review_reasons ids by {id, message}. */
static void pquery_expand_one(json_t *change, const char *lang)
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
        const char *text = !rule                     ? ""
                           : strcmp(lang, "en") == 0 ? rule->description_en
                                                     : rule->description_nl;
        json_array_append_new(out, json_pack("{s:s, s:s}", "id", id ? id : "", "message", text));
    }
    json_object_set_new(change, "review_reasons", out);
}

char *pquery_expand_reasons(const char *json_text, const char *lang)
{
    json_t *v = json_loads(json_text ? json_text : "null", 0, NULL);
    if (!v)
        return NULL;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) pquery_expand_one(item, lang);
    } else if (json_is_object(v)) {
        pquery_expand_one(v, lang);
    }
    char *text = json_dumps(v, JSON_COMPACT);
    json_decref(v);
    return text;
}

void pquery_send_change(struct _u_response *response, http_ctx *ctx, unsigned status,
                        const char *json)
{
    char *text = http_ctx_keep(ctx, pquery_expand_reasons(json, ctx->lang));
    if (!text) {
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
        return;
    }
    http_send_json_text(response, status, text, strlen(text));
}

void pquery_send_page(struct _u_response *response, http_ctx *ctx, portal_result rc,
                      const char *tag, const char *items, const char *next_keys)
{
    if (rc != PORTAL_OK) {
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
        return;
    }
    char *text = http_ctx_keep(ctx, pquery_expand_reasons(items, ctx->lang));
    char *next =
        text && next_keys ? http_ctx_keep(ctx, http_cursor_encode_text(tag, next_keys)) : NULL;
    if (!text)
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
    else
        http_page_send_text(response, text, strlen(text), next, -1);
}

void pquery_finish_change(struct _u_response *response, http_ctx *ctx, db_conn *db,
                          const http_idempotency *idem, unsigned status, const char *json,
                          const char *location)
{
    char *text = http_ctx_keep(ctx, pquery_expand_reasons(json, ctx->lang));
    http_item_answer a = {.status = status, .json = text, .location = location, .etag = NULL};
    if (http_item_finish(response, db, idem, text ? PORTAL_OK : PORTAL_ERR_MEMORY, &a) != PORTAL_OK)
        http_answer_result(response, ctx, PORTAL_ERR_INTERNAL);
}
