/* resources/reconciliation_open_all.c: see reconciliation_open_all.h. */
#include "resources/reconciliation_open_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/call.h"
#include "http/idempotency.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "workflows/reconciliation_open_all.h"

/* The body as read: the workflow's input and room for the overrides. */
typedef struct {
    recon_open_all_input in;
    recon_create_input overrides[RECON_OPEN_ALL_MAX_OVERRIDES];
} recon_all_body;

/* Reads the parameters every opening takes from obj (under parent). */
static void recon_all_read_params(input *in, const json_t *obj, const char *parent,
                                  recon_create_input *c)
{
    c->deadline = input_string(in, obj, parent, "deadline", INPUT_OPTIONAL, 16);
    c->premium_rate = input_string(in, obj, parent, "premium_rate", INPUT_OPTIONAL, 32);
    c->provisional_premium =
        input_string(in, obj, parent, "provisional_premium", INPUT_OPTIONAL, 32);
    c->wage_cap = input_string(in, obj, parent, "wage_cap", INPUT_OPTIONAL, 32);
    c->own_risk_percentage =
        input_string(in, obj, parent, "own_risk_percentage", INPUT_OPTIONAL, 32);
    c->own_risk_amount = input_string(in, obj, parent, "own_risk_amount", INPUT_OPTIONAL, 32);
    c->continued_pay_percentage =
        input_string(in, obj, parent, "continued_pay_percentage", INPUT_OPTIONAL, 32);
    c->maximum_reimbursement =
        input_string(in, obj, parent, "maximum_reimbursement", INPUT_OPTIONAL, 32);
}

/* Reads the whole body. */
static void recon_all_read(input *in, const json_t *body, void *out)
{
    recon_all_body *b = out;
    const json_t *year = json_object_get(body, "year");
    if (!year || json_is_null(year))
        input_error(in, "", "year", "required");
    else if (!json_is_integer(year) || json_integer_value(year) < 1 ||
             json_integer_value(year) > 9999)
        input_error(in, "", "year", "invalid_type");
    else
        b->in.common.year = (int)json_integer_value(year);
    recon_all_read_params(in, body, "", &b->in.common);
    const json_t *list =
        input_array(in, body, "", "overrides", INPUT_OPTIONAL, RECON_OPEN_ALL_MAX_OVERRIDES);
    b->in.overrides = b->overrides;
    for (size_t i = 0; list && i < json_array_size(list) && i < RECON_OPEN_ALL_MAX_OVERRIDES; i++) {
        const json_t *e = json_array_get(list, i);
        char parent[48];
        snprintf(parent, sizeof parent, "/overrides/%zu", i);
        if (!json_is_object(e)) {
            input_error(in, "/overrides", parent + strlen("/overrides/"), "invalid_type");
            continue;
        }
        b->overrides[i].scheme_id = input_string(in, e, parent, "scheme_id", INPUT_REQUIRED, 64);
        recon_all_read_params(in, e, parent, &b->overrides[i]);
        b->in.n_overrides = i + 1;
    }
}

void reconciliations_bulk_handler(const struct _u_request *request, struct _u_response *response,
                                  http_ctx *ctx)
{
    recon_all_body *b = http_call_alloc(ctx, response, sizeof *b);
    if (!b)
        return;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_body_write(request, response, ctx, recon_all_read, b, sizeof *b, &c,
                                   &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc = recon_open_all(c.db, &c.actor, &b->in, &c.o, &json);
    http_call_finish_write(response, ctx, &c, &idem, rc, 200, json, NULL, NULL);
}
