/* resources/reconciliations.c: see reconciliations.h. */
#include "resources/reconciliations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "formats/content_kind.h"
#include "http/call.h"
#include "http/etag.h"
#include "http/idempotency.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/query_ids.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/response.h"
#include "http/upload.h"
#include "workflows/reconciliations.h"

#define RECON_TEXT_MAX 200 /* characters of a name or decimal field */

/* The reconciliation's ETag (from "version" in its JSON text) into out;
 * out, or NULL when the text has no version. */
static const char *recon_etag(const char *json, char out[HTTP_ETAG_LEN])
{
    json_t *doc = json_loads(json, 0, NULL);
    json_t *version = json_object_get(doc, "version");
    const char *etag = NULL;
    if (json_is_integer(version)) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)json_integer_value(version));
        http_etag_from_version(v, out);
        etag = out;
    }
    json_decref(doc);
    return etag;
}

/* The If-Match check of a change to reconciliation {id} of request: the
 * capability its lock checks (NULL: staff's own). Borrowed. */
typedef struct {
    const struct _u_request *request;
    const char *capability;
} recon_match;

/* http_call_check (arg: recon_match): when If-Match is sent, locks the
 * reconciliation and compares its ETag; HTTP_ANSWERED after answering
 * 404/403/412. */
static http_step recon_if_match(http_ctx *ctx, struct _u_response *response, db_conn *db, void *arg)
{
    const recon_match *m = arg;
    if (!http_header(m->request, "If-Match"))
        return HTTP_GO_ON;
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    int version = 0;
    if (recon_lock_version(db, &actor, http_param(m->request, "id"), m->capability, &o, &version) !=
        PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return HTTP_ANSWERED;
    }
    char v[24], etag[HTTP_ETAG_LEN];
    snprintf(v, sizeof v, "%d", version);
    http_etag_from_version(v, etag);
    return http_if_match(m->request, ctx, response, etag) ? HTTP_GO_ON : HTTP_ANSWERED;
}

/* Begins a change to reconciliation {id}: http_call_begin_write with the
 * If-Match check for capability. HTTP_GO_ON with the transaction open. */
static http_step recon_begin_change(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx, const char *capability, http_call *c,
                                    http_idempotency *idem)
{
    recon_match m = {.request = request, .capability = capability};
    return http_call_begin_write(request, response, ctx, recon_if_match, &m, c, idem);
}

/* Ends a change to a reconciliation (http_call_finish_write) answering json
 * with status 200 and the reconciliation's ETag. Takes json. */
static void recon_finish_change(struct _u_response *response, http_ctx *ctx, http_call *c,
                                const http_idempotency *idem, portal_result rc, char *json)
{
    char etag[HTTP_ETAG_LEN];
    const char *e = rc == PORTAL_OK && json ? recon_etag(json, etag) : NULL;
    http_call_finish_write(response, ctx, c, idem, rc, 200, json, NULL, e);
}

/* Reads "evidence_requested" (an array of evidence kinds, each at most once)
 * into out as a text[] literal ("" when absent or empty); an unknown kind
 * records invalid_value. out (size bytes, at least 48) is the caller's. */
static void recon_read_evidence_requested(input *in, const json_t *body, char *out, size_t size)
{
    out[0] = 0;
    const json_t *list = input_array(in, body, "", "evidence_requested", INPUT_OPTIONAL, 2);
    int payroll = 0, absence = 0;
    for (size_t i = 0; list && i < json_array_size(list); i++) {
        const char *kind = json_string_value(json_array_get(list, i));
        char at[24];
        snprintf(at, sizeof at, "%zu", i);
        if (kind && strcmp(kind, "payroll_summary") == 0)
            payroll = 1;
        else if (kind && strcmp(kind, "absence_report") == 0)
            absence = 1;
        else
            input_error(in, "/evidence_requested", at, "invalid_value");
    }
    if (payroll || absence)
        snprintf(out, size, "{%s%s%s}", payroll ? "payroll_summary" : "",
                 payroll && absence ? "," : "", absence ? "absence_report" : "");
}

/* Reads the create body (borrowed strings into recon_create_input). */
static void recon_read_create(input *in, const json_t *body, void *out)
{
    recon_create_input *c = out;
    c->scheme_id = input_string(in, body, "", "scheme_id", INPUT_REQUIRED, 64);
    const json_t *year = json_object_get(body, "year");
    if (!year || json_is_null(year))
        input_error(in, "", "year", "required");
    else if (!json_is_integer(year) || json_integer_value(year) < 1 ||
             json_integer_value(year) > 9999)
        input_error(in, "", "year", "invalid_type");
    else
        c->year = (int)json_integer_value(year);
    c->deadline = input_string(in, body, "", "deadline", INPUT_REQUIRED, 16);
    c->premium_rate = input_string(in, body, "", "premium_rate", INPUT_REQUIRED, 32);
    c->provisional_premium = input_string(in, body, "", "provisional_premium", INPUT_REQUIRED, 32);
    c->wage_cap = input_string(in, body, "", "wage_cap", INPUT_OPTIONAL, 32);
    c->own_risk_percentage = input_string(in, body, "", "own_risk_percentage", INPUT_OPTIONAL, 32);
    c->own_risk_amount = input_string(in, body, "", "own_risk_amount", INPUT_OPTIONAL, 32);
    c->continued_pay_percentage =
        input_string(in, body, "", "continued_pay_percentage", INPUT_OPTIONAL, 32);
    c->maximum_reimbursement =
        input_string(in, body, "", "maximum_reimbursement", INPUT_OPTIONAL, 32);
    recon_read_evidence_requested(in, body, c->evidence_requested, sizeof c->evidence_requested);
}

void reconciliations_create_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx)
{
    recon_create_input in;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_body_write(request, response, ctx, recon_read_create, &in, sizeof in, &c,
                                   &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc = recon_create(c.db, &c.actor, &in, &c.o, &json);
    http_call_finish_created(response, ctx, &c, &idem, rc, json, "/api/v1/reconciliations/");
}

/* Parses the year filter text into *out. Returns 1, or answers 400 for
 * anything but a year 1..9999 and returns 0. */
static int recon_query_year(struct _u_response *response, http_ctx *ctx, const char *year, int *out)
{
    char *end = NULL;
    long y = strtol(year, &end, 10);
    if (!end || *end || y < 1 || y > 9999) {
        http_field_problem(response, ctx, 400, "invalid_request", "year", "invalid_format", NULL);
        return 0;
    }
    *out = (int)y;
    return 1;
}

void reconciliations_list_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    char year_v[HTTP_QUERY_VALUE_LEN], status_v[HTTP_QUERY_VALUE_LEN],
        before_v[HTTP_QUERY_VALUE_LEN];
    const char *year, *status, *before;
    if (!http_query_one(request, ctx, response, "year", year_v, &year) ||
        !http_query_one(request, ctx, response, "status", status_v, &status) ||
        !http_query_one(request, ctx, response, "deadline_before", before_v, &before))
        return;
    int year_n = 0;
    if (year && !recon_query_year(response, ctx, year, &year_n))
        return;
    char literal[HTTP_QUERY_IDS_LITERAL];
    int n_schemes = 0;
    if (!http_query_ids(request, ctx, response, "scheme_id", literal, &n_schemes))
        return;
    json_t *keys = NULL;
    if (!http_page_cursor_keys_shaped(ctx, response, &page, "reconciliations:deadline", "su",
                                      &keys))
        return;
    http_ctx_keep_json(ctx, keys);
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    recon_list_input in = {.scheme_ids = n_schemes ? literal : NULL,
                           .year = year_n,
                           .status = status,
                           .deadline_before = before,
                           .after_deadline =
                               keys ? json_string_value(json_array_get(keys, 0)) : NULL,
                           .after_id = keys ? json_string_value(json_array_get(keys, 1)) : NULL,
                           .limit = page.limit};
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *rows = NULL;
    if (recon_list(db, &actor, &in, &o, &rows) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    http_ctx_keep(ctx, rows);
    static const char *const key_fields[] = {"deadline", "id", NULL};
    http_page_send_rows(response, ctx, &page, rows, "reconciliations:deadline", key_fields);
}

void reconciliations_get_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    const char *json = http_call_show(request, response, ctx, "id", recon_show);
    char etag[HTTP_ETAG_LEN];
    if (json && recon_etag(json, etag))
        http_set_etag(response, etag);
}

void reconciliations_employees_handler(const struct _u_request *request,
                                       struct _u_response *response, http_ctx *ctx)
{
    http_page page;
    if (!http_page_params(request, ctx, response, &page))
        return;
    json_t *keys = NULL;
    if (!http_page_cursor_keys_shaped(ctx, response, &page, "reconciliation_employees:seq", "i",
                                      &keys))
        return;
    long long after = keys ? (long long)json_integer_value(json_array_get(keys, 0)) : 0;
    json_decref(keys);
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    char *rows = NULL;
    if (recon_employees(c.db, &c.actor, http_param(request, "id"), after, page.limit, &c.o,
                        &rows) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &c.o);
        return;
    }
    http_ctx_keep(ctx, rows);
    static const char *const key_fields[] = {"seq", NULL};
    http_page_send_rows(response, ctx, &page, rows, "reconciliation_employees:seq", key_fields);
}

/* An employee body as read: the workflow's input plus room for the
 * employments it points to (one spare to tell "too many"). */
typedef struct {
    recon_employee_input in;
    recon_employment_text employments[RECON_STORE_MAX_EMPLOYMENTS + 1];
} recon_employee_body;

/* Reads "employments" and "insured_wage" of an employee body. */
static void recon_read_employee_facts(input *in, const json_t *body, recon_employee_body *b)
{
    const json_t *wage = json_object_get(body, "insured_wage");
    if (wage) {
        b->in.has_insured_wage = 1;
        if (!json_is_null(wage))
            b->in.insured_wage = input_string(in, body, "", "insured_wage", INPUT_OPTIONAL, 32);
    }
    const json_t *list = input_array(in, body, "", "employments", INPUT_OPTIONAL, 0);
    if (!list)
        return;
    b->in.has_employments = 1;
    size_t n = json_array_size(list);
    b->in.n_employments = n > RECON_STORE_MAX_EMPLOYMENTS ? RECON_STORE_MAX_EMPLOYMENTS + 1 : n;
    b->in.employments = b->employments;
    for (size_t i = 0; i < n && i < RECON_STORE_MAX_EMPLOYMENTS; i++) {
        const json_t *e = json_array_get(list, i);
        char parent[48];
        snprintf(parent, sizeof parent, "/employments/%zu", i);
        if (!json_is_object(e)) {
            input_error(in, "/employments", parent + strlen("/employments/"), "invalid_type");
            continue;
        }
        b->employments[i].start_date =
            input_string(in, e, parent, "start_date", INPUT_REQUIRED, 16);
        b->employments[i].end_date = input_string(in, e, parent, "end_date", INPUT_OPTIONAL, 16);
        b->employments[i].fixed_term = input_bool(in, e, parent, "fixed_term", 0);
    }
}

/* Reads the "person" object (the general data) of an employee body into b;
 * required: it must be there (creation), else it may be left out (a change).
 * Strings stay owned by body. */
static void recon_read_person(input *in, const json_t *body, recon_employee_body *b, int required)
{
    const json_t *person = input_object(in, body, "", "person", required);
    if (!person)
        return;
    b->in.has_person = 1;
    recon_person *p = &b->in.person;
    p->first_name = input_string(in, person, "/person", "first_name", INPUT_OPTIONAL, 100);
    p->initials = input_string(in, person, "/person", "initials", INPUT_REQUIRED, 20);
    p->surname_prefix = input_string(in, person, "/person", "surname_prefix", INPUT_OPTIONAL, 20);
    p->surname = input_string(in, person, "/person", "surname", INPUT_REQUIRED, 100);
    p->birth_date = input_string(in, person, "/person", "birth_date", INPUT_REQUIRED, 16);
    p->gender = input_string(in, person, "/person", "gender", INPUT_REQUIRED, 16);
    p->bsn = input_string(in, person, "/person", "bsn", INPUT_REQUIRED, 16);
}

/* Reads the body of a new employee. */
static void recon_read_new_employee(input *in, const json_t *body, void *out)
{
    recon_employee_body *b = out;
    recon_read_person(in, body, b, INPUT_REQUIRED);
    recon_read_employee_facts(in, body, b);
}

/* Reads the body of an employee change: the person (general data, whole)
 * when sent, the employments and the wage. */
static void recon_read_employee_change(input *in, const json_t *body, void *out)
{
    recon_read_person(in, body, out, INPUT_OPTIONAL);
    recon_read_employee_facts(in, body, out);
}

void reconciliations_employee_create_handler(const struct _u_request *request,
                                             struct _u_response *response, http_ctx *ctx)
{
    recon_employee_body *b = http_call_alloc(ctx, response, sizeof *b);
    if (!b)
        return;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_body_write(request, response, ctx, recon_read_new_employee, b, sizeof *b,
                                   &c, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        recon_employee_add(c.db, &c.actor, http_param(request, "id"), &b->in, &c.o, &json);
    http_call_finish_write(response, ctx, &c, &idem, rc, 201, json, NULL, NULL);
}

void reconciliations_employee_patch_handler(const struct _u_request *request,
                                            struct _u_response *response, http_ctx *ctx)
{
    recon_employee_body *b = http_call_alloc(ctx, response, sizeof *b);
    if (!b || !http_body_read(ctx, request, response, recon_read_employee_change, b, sizeof *b))
        return;
    http_call c;
    http_idempotency idem;
    if (recon_begin_change(request, response, ctx, "reconciliation", &c, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        recon_employee_update(c.db, &c.actor, http_param(request, "id"),
                              http_param(request, "employee_id"), &b->in, &c.o, &json);
    http_call_finish_write(response, ctx, &c, &idem, rc, 200, json, NULL, NULL);
}

void reconciliations_sick_reports_handler(const struct _u_request *request,
                                          struct _u_response *response, http_ctx *ctx)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    char *rows = NULL;
    if (http_call_failed(response, ctx,
                         recon_sick_reports(c.db, &c.actor, http_param(request, "id"), &c.o, &rows),
                         &c.o))
        return;
    http_ctx_keep(ctx, rows);
    http_page_send_text(response, rows, strlen(rows), NULL, -1);
}

/* Reads a sick report body. */
static void recon_read_report(input *in, const json_t *body, void *out)
{
    recon_sick_report_new *r = out;
    r->employee_id = input_string(in, body, "", "employee_id", INPUT_REQUIRED, 64);
    r->first_sick_day = input_string(in, body, "", "first_sick_day", INPUT_REQUIRED, 16);
    r->report_date = input_string(in, body, "", "report_date", INPUT_REQUIRED, 16);
    r->recovery_date = input_string(in, body, "", "recovery_date", INPUT_OPTIONAL, 16);
    r->ao_percentage = input_string(in, body, "", "ao_percentage", INPUT_REQUIRED, 16);
    r->atw_percentage = input_string(in, body, "", "atw_percentage", INPUT_OPTIONAL, 16);
}

void reconciliations_sick_report_create_handler(const struct _u_request *request,
                                                struct _u_response *response, http_ctx *ctx)
{
    recon_sick_report_new in;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_body_write(request, response, ctx, recon_read_report, &in, sizeof in, &c,
                                   &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        recon_sick_report_add(c.db, &c.actor, http_param(request, "id"), &in, &c.o, &json);
    http_call_finish_write(response, ctx, &c, &idem, rc, 201, json, NULL, NULL);
}

void reconciliations_submit_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx)
{
    http_call c;
    http_idempotency idem;
    if (recon_begin_change(request, response, ctx, "reconciliation", &c, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    json_t *problems = NULL;
    portal_result rc =
        recon_submit(c.db, &c.actor, http_param(request, "id"), &c.o, &json, &problems);
    if (rc != PORTAL_OK && problems) {
        db_rollback(c.db);
        /* Every problem, not only the first OUTCOME_MAX_ERRORS of c.o. */
        if (!http_problem_list(response, ctx, "reconciliation_incomplete", c.o.detail, problems,
                               json_array_size(problems)))
            http_answer_outcome(response, ctx, &c.o);
        json_decref(problems);
        free(json);
        return;
    }
    recon_finish_change(response, ctx, &c, &idem, rc, json);
}

void reconciliations_reopen_handler(const struct _u_request *request, struct _u_response *response,
                                    http_ctx *ctx)
{
    const char *reason = http_body_string(ctx, request, response, "reason", RECON_REASON_MAX);
    if (!reason)
        return;
    http_call c;
    http_idempotency idem;
    if (recon_begin_change(request, response, ctx, NULL, &c, &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc = recon_reopen(c.db, &c.actor, http_param(request, "id"), reason, &c.o, &json);
    recon_finish_change(response, ctx, &c, &idem, rc, json);
}
