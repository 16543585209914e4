/* resources/reconciliation_duplicates.c: see reconciliation_duplicates.h. */
#include "resources/reconciliation_duplicates.h"

#include <stdlib.h>
#include <string.h>

#include "http/call.h"
#include "http/input.h"
#include "http/outcome.h"
#include "http/request.h"
#include "http/resource_body.h"
#include "http/resource_item.h"
#include "http/response.h"
#include "workflows/reconciliation_duplicates.h"

/* The two employee ids of a merge or dismissal (borrowed from the body). */
typedef struct {
    const char *a;
    const char *b;
} recon_dup_body;

/* Reads {"keep_employee_id", "merge_employee_id"}. */
static void recon_dup_read_merge(input *in, const json_t *body, void *out)
{
    recon_dup_body *d = out;
    d->a = input_string(in, body, "", "keep_employee_id", INPUT_REQUIRED, 64);
    d->b = input_string(in, body, "", "merge_employee_id", INPUT_REQUIRED, 64);
}

/* Reads {"employee_ids": [a, b]}: exactly two strings. */
static void recon_dup_read_dismiss(input *in, const json_t *body, void *out)
{
    recon_dup_body *d = out;
    const json_t *ids = input_array(in, body, "", "employee_ids", INPUT_REQUIRED, 2);
    if (!ids)
        return;
    if (json_array_size(ids) != 2) {
        input_error(in, "", "employee_ids", "invalid_value");
        return;
    }
    d->a = json_string_value(json_array_get(ids, 0));
    d->b = json_string_value(json_array_get(ids, 1));
    if (!d->a || !d->b)
        input_error(in, "", "employee_ids", "invalid_type");
}

void reconciliations_duplicates_handler(const struct _u_request *request,
                                        struct _u_response *response, http_ctx *ctx)
{
    http_call_show(request, response, ctx, "id", recon_duplicates);
}

void reconciliations_duplicates_merge_handler(const struct _u_request *request,
                                              struct _u_response *response, http_ctx *ctx)
{
    recon_dup_body in;
    http_call c;
    http_idempotency idem;
    if (http_call_begin_body_write(request, response, ctx, recon_dup_read_merge, &in, sizeof in, &c,
                                   &idem) == HTTP_ANSWERED)
        return;
    char *json = NULL;
    portal_result rc =
        recon_duplicates_merge(c.db, &c.actor, http_param(request, "id"), in.a, in.b, &c.o, &json);
    http_call_finish_write(response, ctx, &c, &idem, rc, 200, json, NULL, NULL);
}

void reconciliations_duplicates_dismiss_handler(const struct _u_request *request,
                                                struct _u_response *response, http_ctx *ctx)
{
    recon_dup_body in;
    if (!http_body_read(ctx, request, response, recon_dup_read_dismiss, &in, sizeof in))
        return;
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED ||
        http_call_failed(
            response, ctx,
            recon_duplicates_dismiss(c.db, &c.actor, http_param(request, "id"), in.a, in.b, &c.o),
            &c.o))
        return;
    http_send_empty(response, 204);
}
