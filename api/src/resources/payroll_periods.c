/* resources/payroll_periods.c: see payroll_periods.h. */
#include "resources/payroll_periods.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/call.h"
#include "http/outcome.h"
#include "http/pagination.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "workflows/payroll_periods.h"

#define PAYROLL_LIST_TAG "payroll-periods:-period"
#define PAYROLL_FEEDBACK_TAG "payroll-feedback:seq"
#define PAYROLL_FEEDBACK_LIMIT_MAX 1000

/* Turns the item's "feedback_more" into "next_cursor" (the seq of the last
 * feedback row, signed) and sends it with status. */
static void payroll_send_item(struct _u_response *response, http_ctx *ctx, unsigned status,
                              const char *text)
{
    json_t *item = text ? json_loads(text, 0, NULL) : NULL;
    if (!item) {
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    json_t *feedback = json_object_get(item, "feedback");
    char *next = NULL;
    if (json_is_true(json_object_get(item, "feedback_more")) && json_array_size(feedback)) {
        json_t *last = json_array_get(feedback, json_array_size(feedback) - 1);
        json_t *keys = json_pack("[O]", json_object_get(last, "seq"));
        next = http_cursor_encode(PAYROLL_FEEDBACK_TAG, keys);
        json_decref(keys);
    }
    json_object_del(item, "feedback_more");
    json_object_set_new(item, "next_cursor", next ? json_string(next) : json_null());
    free(next);
    http_send_json(response, status, item);
    json_decref(item);
}

void payroll_periods_put_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    json_t *rows = NULL;
    if (http_payroll_body(request, response, ctx, &rows) != HTTP_GO_ON)
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db)
        return;
    portal_actor actor = http_actor(ctx);
    wf_payroll_input in = {.scheme_id = http_param(request, "id"),
                           .period = http_param(request, "period"),
                           .employments = rows};
    wf_payroll_result out;
    portal_outcome o;
    if (wf_payroll_receive(db, &actor, &in, &out, &o) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
        return;
    }
    if (out.http_status == 202) {
        char location[160];
        snprintf(location, sizeof location, "/api/v1/schemes/%s/payroll-periods/%s", in.scheme_id,
                 in.period);
        http_set_header(response, "Location", location);
    }
    payroll_send_item(response, ctx, (unsigned)out.http_status, out.json);
    wf_payroll_result_free(&out);
}

void payroll_periods_list_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    http_page page;
    json_t *keys = NULL;
    if (!http_page_params(request, ctx, response, &page) ||
        !http_page_cursor_keys_shaped(ctx, response, &page, PAYROLL_LIST_TAG, "s", &keys))
        return;
    db_conn *db = http_require_db(ctx, response);
    if (!db) {
        json_decref(keys);
        return;
    }
    portal_actor actor = http_actor(ctx);
    portal_outcome o;
    char *rows = NULL;
    if (wf_payroll_list(db, &actor, http_param(request, "id"),
                        keys ? json_string_value(json_array_get(keys, 0)) : NULL, page.limit + 1,
                        &rows, &o) != PORTAL_OK) {
        http_answer_outcome(response, ctx, &o);
    } else {
        static const char *const key_fields[] = {"period", NULL};
        http_page_send_rows(response, ctx, &page, rows, PAYROLL_LIST_TAG, key_fields);
    }
    free(rows);
    json_decref(keys);
}

/* Reads the item's ?limit= (1..1000, default 1000) and ?cursor= (the seq
 * to continue after). Returns 1, or 0 after answering 400. */
static int payroll_feedback_page(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx, int *limit, int *after_seq)
{
    const char *l = http_param(request, "limit");
    char *end = NULL;
    long n = l && l[0] ? strtol(l, &end, 10) : PAYROLL_FEEDBACK_LIMIT_MAX;
    if ((l && l[0] && *end) || n < 1 || n > PAYROLL_FEEDBACK_LIMIT_MAX) {
        http_field_problem(response, ctx, 400, "invalid_request", "limit", "invalid_value", NULL);
        return 0;
    }
    *limit = (int)n;
    *after_seq = 0;
    const char *cursor = http_param(request, "cursor");
    if (!cursor || !cursor[0])
        return 1;
    json_t *keys = NULL;
    if (http_cursor_decode(cursor, PAYROLL_FEEDBACK_TAG, 1, &keys) != PORTAL_OK ||
        !http_cursor_keys_shaped(keys, "i")) {
        json_decref(keys);
        http_problem(response, ctx, 400, "invalid_cursor");
        return 0;
    }
    *after_seq = (int)json_integer_value(json_array_get(keys, 0));
    json_decref(keys);
    return 1;
}

void payroll_periods_get_handler(const struct _u_request *request, struct _u_response *response,
                                 http_ctx *ctx)
{
    int limit, after_seq;
    if (!payroll_feedback_page(request, response, ctx, &limit, &after_seq))
        return;
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    if (wf_payroll_get(c.db, &c.actor, http_param(request, "id"), http_param(request, "period"),
                       after_seq, limit, &json, &c.o) != PORTAL_OK)
        http_answer_outcome(response, ctx, &c.o);
    else
        payroll_send_item(response, ctx, 200, json);
    free(json);
}
