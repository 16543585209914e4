/* http/call.c: see call.h. */
#include "http/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/outcome.h"
#include "http/request.h"
#include "http/resource_item.h"
#include "http/response.h"

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

http_step http_call_begin_body_write(const struct _u_request *request, struct _u_response *response,
                                     http_ctx *ctx, http_body_reader reader, void *out,
                                     size_t out_size, http_call *c, http_idempotency *idem)
{
    if (!http_body_read(ctx, request, response, reader, out, out_size))
        return HTTP_ANSWERED;
    return http_call_begin_write(request, response, ctx, NULL, NULL, c, idem);
}

int http_call_failed(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                     const portal_outcome *o)
{
    if (rc == PORTAL_OK)
        return 0;
    http_answer_outcome(response, ctx, o);
    return 1;
}

void http_call_send(struct _u_response *response, const http_ctx *ctx, portal_result rc,
                    const portal_outcome *o, char *json, unsigned status)
{
    if (!http_call_failed(response, ctx, rc, o))
        http_send_json_text(response, status, json ? json : "{}", json ? strlen(json) : 2);
    free(json);
}

const char *http_call_show(const struct _u_request *request, struct _u_response *response,
                           http_ctx *ctx, const char *param, http_call_show_fn show)
{
    http_call c;
    if (http_call_begin(ctx, response, NULL, &c) == HTTP_ANSWERED)
        return NULL;
    char *json = NULL;
    if (http_call_failed(response, ctx,
                         show(c.db, &c.actor, http_param(request, param), &c.o, &json), &c.o)) {
        free(json);
        return NULL;
    }
    if (!json || !http_ctx_keep(ctx, json)) {
        http_answer_result(response, ctx, json ? PORTAL_ERR_MEMORY : PORTAL_ERR_INTERNAL);
        return NULL;
    }
    http_send_json_text(response, 200, json, strlen(json));
    return json;
}

void http_call_finish_write(struct _u_response *response, http_ctx *ctx, http_call *c,
                            const http_idempotency *idem, portal_result rc, unsigned status,
                            char *json, const char *location, const char *etag)
{
    if (rc != PORTAL_OK) {
        db_rollback(c->db);
        http_answer_outcome(response, ctx, &c->o);
        free(json);
        return;
    }
    http_item_answer a = {.status = status, .json = json, .location = location, .etag = etag};
    /* A failed commit answers what it was (a lost connection: 503, retried). */
    portal_result done = http_item_finish(response, c->db, idem, PORTAL_OK, &a);
    if (done != PORTAL_OK)
        http_answer_result(response, ctx, done);
    free(json);
}

void http_call_finish_created(struct _u_response *response, http_ctx *ctx, http_call *c,
                              const http_idempotency *idem, portal_result rc, char *json,
                              const char *prefix)
{
    char location[160] = "";
    if (rc == PORTAL_OK && json) {
        json_t *doc = json_loads(json, 0, NULL);
        const char *id = json_string_value(json_object_get(doc, "id"));
        snprintf(location, sizeof location, "%s%s", prefix, id ? id : "");
        json_decref(doc);
    }
    http_call_finish_write(response, ctx, c, idem, rc, 201, json, location[0] ? location : NULL,
                           NULL);
}

void *http_call_alloc(http_ctx *ctx, struct _u_response *response, size_t size)
{
    void *p = http_ctx_keep(ctx, calloc(1, size));
    if (!p)
        http_answer_result(response, ctx, PORTAL_ERR_MEMORY);
    return p;
}
