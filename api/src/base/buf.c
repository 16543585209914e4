/* base/buf.c: see buf.h. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max_len)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max_len = max_len;
}

void buf_free(buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

static portal_result buf_reserve(buf *b, size_t extra)
{
    if (extra > b->max_len - b->len)
        return PORTAL_ERR_TOO_LARGE;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return PORTAL_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return PORTAL_ERR_MEMORY;
    b->data = p;
    b->cap = cap;
    return PORTAL_OK;
}

portal_result buf_append(buf *b, const void *data, size_t len)
{
    portal_result rc = buf_reserve(b, len);
    if (rc != PORTAL_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return PORTAL_OK;
}

portal_result buf_append_str(buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

portal_result buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return PORTAL_ERR_INVALID;
    portal_result rc = buf_reserve(b, (size_t)n);
    if (rc != PORTAL_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return PORTAL_OK;
}

char *buf_detach(buf *b)
{
    char *out = b->data;
    if (!out)
        out = calloc(1, 1);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return out;
}
