/*
 * http/multipart.h: reading a multipart/form-data body (RFC 7578) in place,
 * for uploads: each part's name, file name and bytes point into the body
 * (nothing is copied, so a 20 MiB file is held once).
 *
 * Only what a form sends is understood: a boundary parameter, parts opened
 * by "--boundary" lines and closed by "--boundary--", each with a
 * Content-Disposition form-data header naming it. Anything else (no
 * boundary, a part without a name, headers over 8 KiB, no closing
 * delimiter) is refused as malformed.
 */
#ifndef PORTAL_HTTP_MULTIPART_H
#define PORTAL_HTTP_MULTIPART_H

#include <stddef.h>

#include "base/result.h"

#define HTTP_MULTIPART_MAX_PARTS 16
#define HTTP_MULTIPART_NAME_MAX 128

typedef struct {
    char name[HTTP_MULTIPART_NAME_MAX];     /* form field name */
    char filename[HTTP_MULTIPART_NAME_MAX]; /* file name as sent ("" when none; cut to fit) */
    int has_filename;
    const char *data; /* into the body; not NUL-terminated */
    size_t len;
} http_part;

/* 1 when content_type is multipart/form-data (any parameters). */
int http_multipart_is(const char *content_type);

/* Splits body[0..len) by the boundary of content_type into parts (at most
 * max), *n of them. PORTAL_ERR_MALFORMED for anything it cannot read,
 * PORTAL_ERR_TOO_LARGE for more than max parts. */
portal_result http_multipart_parse(const char *content_type, const char *body, size_t len,
                                   http_part *parts, int max, int *n);

/* The part named name, or NULL. */
const http_part *http_multipart_find(const http_part *parts, int n, const char *name);

#endif
