/* auth/qr.c: see qr.h. */
#include "auth/qr.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#define QUIET_ZONE 4

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} svg_buffer;

/* Appends formatted text; -1 when it does not fit (the buffer is sized up
 * front, so that would be a bug). */
__attribute__((format(printf, 2, 3))) static int emit(svg_buffer *b, const char *fmt, ...);

static int emit(svg_buffer *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= b->cap - b->len)
        return -1;
    b->len += (size_t)n;
    return 0;
}

portal_result qr_svg(const char *text, char **svg_out)
{
    *svg_out = NULL;
    size_t text_len = strnlen(text, QR_TEXT_MAX + 1);
    if (text_len == 0)
        return PORTAL_ERR_INVALID;
    if (text_len > QR_TEXT_MAX)
        return PORTAL_ERR_TOO_LARGE;

    errno = 0;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return errno == ENOMEM ? PORTAL_ERR_MEMORY : PORTAL_ERR_INTERNAL;

    int width = qr->width;
    int size = width + 2 * QUIET_ZONE;
    /* Worst case: every other module dark, each run "M123 123h1v1h-1z". */
    size_t cap = 512 + (size_t)width * (size_t)width * 12;
    svg_buffer b = {malloc(cap), 0, cap};
    if (!b.data) {
        QRcode_free(qr);
        return PORTAL_ERR_MEMORY;
    }

    int bad = emit(&b,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                   "shape-rendering=\"crispEdges\" role=\"img\">"
                   "<title>QR-code</title>"
                   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                   size, size, size, size);
    for (int y = 0; y < width && !bad; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)width;
        int x = 0;
        while (x < width && !bad) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < width && (row[x] & 1))
                x++;
            bad = emit(&b, "M%d %dh%dv1h-%dz", start + QUIET_ZONE, y + QUIET_ZONE, x - start,
                       x - start);
        }
    }
    if (!bad)
        bad = emit(&b, "\"/></svg>");
    QRcode_free(qr);
    if (bad) {
        free(b.data);
        return PORTAL_ERR_INTERNAL;
    }
    *svg_out = b.data;
    return PORTAL_OK;
}
