/*
 * base/buf.h: a growable byte buffer with a hard cap.
 *
 * The buffer owns its memory; buf_free releases it. Appends that would pass
 * the cap fail with PORTAL_ERR_TOO_LARGE and leave the contents unchanged.
 * The data is always NUL-terminated so it can be used as a C string.
 */
#ifndef PORTAL_BASE_BUF_H
#define PORTAL_BASE_BUF_H

#include <stddef.h>

#include "base/result.h"

typedef struct {
    char *data;
    size_t len;
    size_t cap;     /* allocated bytes */
    size_t max_len; /* hard cap on len */
} buf;

/* Initialises an empty buffer that will never hold more than max_len bytes. */
void buf_init(buf *b, size_t max_len);

/* Releases the memory; the buffer is empty and reusable afterwards. */
void buf_free(buf *b);

/* Appends len bytes. */
portal_result buf_append(buf *b, const void *data, size_t len);

/* Appends a NUL-terminated string. */
portal_result buf_append_str(buf *b, const char *s);

/* Appends printf-style text. */
portal_result buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Hands the data to the caller (who frees it with free) and empties b.
 * Returns an empty allocated string when nothing was appended; NULL on
 * allocation failure. */
char *buf_detach(buf *b);

#endif
