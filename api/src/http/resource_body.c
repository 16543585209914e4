/* http/resource_body.c: see resource_body.h. */
#include "http/resource_body.h"

#include <string.h>

#include "http/request.h"

/* http_body_read without zeroing out first: out may carry what reader
 * needs to know. */
static json_t *body_read(http_ctx *ctx, const struct _u_request *request,
                         struct _u_response *response, http_body_reader reader, void *out)
{
    json_t *body = http_json_body(ctx, request, response);
    if (!body)
        return NULL;
    input in;
    input_init(&in, ctx->lang);
    reader(&in, body, out);
    if (input_failed(&in)) {
        input_send(&in, response, ctx);
        return NULL;
    }
    return body;
}

json_t *http_body_read(http_ctx *ctx, const struct _u_request *request,
                       struct _u_response *response, http_body_reader reader, void *out,
                       size_t out_size)
{
    memset(out, 0, out_size);
    return body_read(ctx, request, response, reader, out);
}

/* One required string member: its name and cap in, its value out. */
typedef struct {
    const char *key;
    size_t max_len;
    const char *value;
} body_string;

static void read_string(input *in, const json_t *body, void *out)
{
    body_string *s = out;
    s->value = input_string(in, body, "", s->key, INPUT_REQUIRED, s->max_len);
}

const char *http_body_string(http_ctx *ctx, const struct _u_request *request,
                             struct _u_response *response, const char *key, size_t max_len)
{
    body_string s = {.key = key, .max_len = max_len, .value = NULL};
    return body_read(ctx, request, response, read_string, &s) ? s.value : NULL;
}
