/* http/call.c: see call.h. */
#include "http/call.h"

#include <stdlib.h>

#include "http/outcome.h"
#include "http/request.h"
#include "http/resource_item.h"

json_t *http_call_body(http_ctx *ctx, const struct _u_request *request,
                       struct _u_response *response, input *in)
{
    input_init(in, ctx->lang);
    return http_json_body(ctx, request, response);
}

http_step http_call_begin(http_ctx *ctx, struct _u_response *response, const input *in,
                          http_call *c)
{
    if (in && input_failed(in)) {
        input_send(in, response, ctx);
        return HTTP_ANSWERED;
    }
    c->db = http_require_db(ctx, response);
    if (!c->db)
        return HTTP_ANSWERED;
    c->actor = http_actor(ctx);
    outcome_init(&c->o);
    return HTTP_GO_ON;
}

http_step http_call_begin_write(const struct _u_request *request, struct _u_response *response,
                                http_ctx *ctx, http_call_check check, void *arg, http_call *c,
                                http_idempotency *idem)
{
    if (http_call_begin(ctx, response, NULL, c) == HTTP_ANSWERED ||
        !http_item_begin(request, response, ctx, c->db, idem))
        return HTTP_ANSWERED;
    if (check && check(ctx, response, c->db, arg) == HTTP_ANSWERED) {
        db_rollback(c->db);
        return HTTP_ANSWERED;
    }
    return HTTP_GO_ON;
}

int http_call_failed(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                     const portal_outcome *o)
{
    if (rc == PORTAL_OK)
        return 0;
    http_answer_outcome(response, ctx, o);
    return 1;
}

void *http_call_alloc(http_ctx *ctx, struct _u_response *response, size_t size)
{
    void *p = http_ctx_keep(ctx, calloc(1, size));
    if (!p)
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
    return p;
}
