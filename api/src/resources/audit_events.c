/* resources/audit_events.c: see audit_events.h. */
#include "resources/audit_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "auth/access.h"
#include "http/access_answer.h"
#include "domain/civil_date.h"
#include "domain/instant.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_list.h"
#include "http/response.h"
#include "http/scheme_ids.h"
#include "store/audit_query.h"

#define AUDIT_EVENTS_LIST_TAG "audit_events:-id"

/* Reads ?name= as a timestamp or a date (a date counts from the start of
 * that day, or up to its end when end_of_day) into out as RFC 3339. Returns
 * 0 after recording a field error in p; *set 0 when absent. */
static int time_filter(const struct _u_request *request, http_ctx *ctx, problem *p,
                       const char *name, int end_of_day, char *out, size_t size, int *set)
{
    const char *v = http_param(request, name);
    *set = 0;
    if (!v || !*v)
        return 1;
    civil_date d;
    if (strlen(v) == 10 && civil_date_parse(v, &d) == PORTAL_OK) {
        civil_date next = d;
        if (end_of_day && civil_date_add_days(d, 1, &next) != PORTAL_OK) {
            problem_add(p, ctx->lang, name, "invalid_format", NULL);
            return 0;
        }
        time_t at = instant_start_of_day(next) - (end_of_day ? 1 : 0);
        struct tm utc;
        gmtime_r(&at, &utc);
        strftime(out, size, end_of_day ? "%Y-%m-%dT%H:%M:%S.999999Z" : "%Y-%m-%dT%H:%M:%SZ", &utc);
    } else if (strlen(v) < size && instant_is_rfc3339(v)) {
        snprintf(out, size, "%s", v);
    } else {
        problem_add(p, ctx->lang, name, "invalid_format", NULL);
        return 0;
    }
    *set = 1;
    return 1;
}

/* An optional UUID filter: NULL when absent; records a field error. */
static const char *id_filter(const struct _u_request *request, http_ctx *ctx, problem *p,
                             const char *name)
{
    const char *v = http_param(request, name);
    if (!v || !*v)
        return NULL;
    if (!schemes_id_shaped(v))
        problem_add(p, ctx->lang, name, "invalid_format", NULL);
    return v;
}

/* An optional text filter (at most 200 characters). */
static const char *text_filter(const struct _u_request *request, http_ctx *ctx, problem *p,
                               const char *name)
{
    const char *v = http_param(request, name);
    if (!v || !*v)
        return NULL;
    if (strlen(v) > 200)
        problem_add(p, ctx->lang, name, "too_long", NULL);
    return v;
}

/* Without audit.read_all: answers 403 without audit.read, or for a caller
 * limited to some schemes (the log covers the whole organisation, every
 * scheme: such a caller would read about the others). */
static http_step audit_reader_refused(struct _u_response *response, http_ctx *ctx)
{
    if (!access_can_or_answer(ctx, response, "audit.read"))
        return HTTP_ANSWERED;
    if (ctx->caller.all_schemes)
        return HTTP_GO_ON;
    problem denied;
    problem_init(&denied, 403, "forbidden");
    problem_set_detail(&denied, strcmp(ctx->lang, "en") == 0
                                    ? "The audit log covers every scheme; it is for "
                                      "administrators without a scheme limit."
                                    : "Het auditlog gaat over alle regelingen; het is voor "
                                      "beheerders zonder beperking tot regelingen.");
    problem_send(response, ctx, &denied);
    return HTTP_ANSWERED;
}

/* The event id a cursor's keys start before, into out; answers 400
 * invalid_cursor when they hold none. */
static http_step audit_cursor(struct _u_response *response, http_ctx *ctx, json_t *keys, char *out,
                              size_t size)
{
    json_t *k0 = json_array_get(keys, 0);
    if (!json_is_integer(k0)) {
        http_problem(response, ctx, 400, "invalid_cursor");
        return HTTP_ANSWERED;
    }
    snprintf(out, size, "%" JSON_INTEGER_FORMAT, json_integer_value(k0));
    return HTTP_GO_ON;
}

void audit_events_list_handler(const struct _u_request *request, struct _u_response *response,
                               http_ctx *ctx)
{
    int all = access_can(&ctx->caller, "audit.read_all");
    if (!all && audit_reader_refused(response, ctx) == HTTP_ANSWERED)
        return;
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    audit_query q = {.limit = page.limit};
    problem p;
    problem_init(&p, 400, "invalid_request");
    const char *organisation = id_filter(request, ctx, &p, "organisation_id");
    q.actor_user_id = id_filter(request, ctx, &p, "actor");
    q.target_type = text_filter(request, ctx, &p, "target_type");
    q.target_id = text_filter(request, ctx, &p, "target_id");
    char from[48], to[48];
    int has_from = 0, has_to = 0;
    time_filter(request, ctx, &p, "from", 0, from, sizeof from, &has_from);
    time_filter(request, ctx, &p, "to", 1, to, sizeof to, &has_to);
    if (p.n_errors) {
        problem_send(response, ctx, &p);
        return;
    }
    q.from = has_from ? from : NULL;
    q.to = has_to ? to : NULL;
    /* Outside staff, only the own organisation's events; asking for another
     * organisation finds nothing. */
    int nothing = 0;
    if (all) {
        q.organisation_id = organisation;
    } else {
        if (organisation && strcasecmp(organisation, ctx->caller.organisation_id) != 0)
            nothing = 1;
        q.organisation_id = ctx->caller.organisation_id;
    }
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, &page, AUDIT_EVENTS_LIST_TAG, 1, &keys))
        return;
    http_ctx_keep_json(ctx, keys);
    char before[32];
    if (keys && audit_cursor(response, ctx, keys, before, sizeof before) == HTTP_ANSWERED)
        return;
    q.before_id = keys ? before : NULL;
    if (nothing) {
        http_page_send_text(response, "[]", 2, NULL, -1);
        return;
    }
    db_conn *db = http_require_db(ctx, response);
    char *items = NULL, *next_keys = NULL;
    if (db) {
        portal_result rc = audit_query_list_json(db, &q, &items, &next_keys);
        http_list_send(response, ctx, rc, AUDIT_EVENTS_LIST_TAG, items, next_keys);
    }
    free(items);
    free(next_keys);
}
