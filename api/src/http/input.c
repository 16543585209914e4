/* http/input.c: see input.h. */
#include "http/input.h"

#include <stdio.h>
#include <string.h>

void input_init(input *in, const char *lang)
{
    in->lang = lang ? lang : "nl";
    problem_init(&in->p, 400, "invalid_request");
}

void input_pointer(const char *parent, const char *key, char *out, size_t size)
{
    size_t o = (size_t)snprintf(out, size, "%s/", parent ? parent : "");
    size_t start = o;
    const char *k = key;
    for (; *k && o + 3 < size; k++) {
        if (*k == '~') {
            out[o++] = '~';
            out[o++] = '0';
        } else if (*k == '/') {
            out[o++] = '~';
            out[o++] = '1';
        } else {
            out[o++] = *k;
        }
    }
    /* Cut before a character, never inside its UTF-8 sequence: a pointer
     * that is not valid UTF-8 cannot be rendered into the problem JSON. */
    if (*k && ((unsigned char)*k & 0xC0) == 0x80 && o < size)
        while (o > start && ((unsigned char)out[--o] & 0xC0) == 0x80)
            ;
    if (o < size)
        out[o] = '\0';
}

void input_error(input *in, const char *parent, const char *key, const char *code)
{
    char pointer[128];
    if (key)
        input_pointer(parent, key, pointer, sizeof pointer);
    else
        snprintf(pointer, sizeof pointer, "%s", parent);
    problem_add(&in->p, in->lang, pointer, code, NULL);
}

size_t input_utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

const char *input_string(input *in, const json_t *obj, const char *parent, const char *key,
                         int required, size_t max_len)
{
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v)) {
        if (required)
            input_error(in, parent, key, "required");
        return NULL;
    }
    if (!json_is_string(v)) {
        input_error(in, parent, key, "invalid_type");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) { /* an embedded NUL */
        input_error(in, parent, key, "invalid_format");
        return NULL;
    }
    if (required && blank(s)) {
        input_error(in, parent, key, "required");
        return NULL;
    }
    if (max_len && input_utf8_length(s) > max_len) {
        input_error(in, parent, key, "too_long");
        return NULL;
    }
    return s;
}

json_t *input_object(input *in, const json_t *obj, const char *parent, const char *key,
                     int required)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v)) {
        if (required)
            input_error(in, parent, key, "required");
        return NULL;
    }
    if (!json_is_object(v)) {
        input_error(in, parent, key, "invalid_type");
        return NULL;
    }
    return v;
}

json_t *input_array(input *in, const json_t *obj, const char *parent, const char *key, int required,
                    size_t max_items)
{
    json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v)) {
        if (required)
            input_error(in, parent, key, "required");
        return NULL;
    }
    if (!json_is_array(v)) {
        input_error(in, parent, key, "invalid_type");
        return NULL;
    }
    if (max_items && json_array_size(v) > max_items) {
        input_error(in, parent, key, "too_long");
        return NULL;
    }
    return v;
}

int input_bool(input *in, const json_t *obj, const char *parent, const char *key, int fallback)
{
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v))
        return fallback;
    if (!json_is_boolean(v)) {
        input_error(in, parent, key, "invalid_type");
        return fallback;
    }
    return json_is_true(v);
}

int input_failed(const input *in)
{
    return in->p.n_errors > 0;
}

void input_send(const input *in, struct _u_response *response, const http_ctx *ctx)
{
    problem_send(response, ctx, &in->p);
}
