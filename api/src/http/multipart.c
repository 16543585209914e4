/* http/multipart.c: see multipart.h. */
#include "http/multipart.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */
#define MULTIPART_HEADERS_MAX 8192

/* The first occurrence of needle[0..nlen) in hay[0..hlen), or NULL. */
static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    while (nlen > 0 && hlen >= nlen) {
        const char *p = memchr(hay, needle[0], hlen - nlen + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, nlen) == 0)
            return p;
        hlen -= (size_t)(p - hay) + 1;
        hay = p + 1;
    }
    return NULL;
}

int http_multipart_is(const char *content_type)
{
    if (!content_type)
        return 0;
    while (*content_type == ' ')
        content_type++;
    return strncasecmp(content_type, "multipart/form-data", 19) == 0 &&
           (content_type[19] == '\0' || content_type[19] == ';' || content_type[19] == ' ');
}

/* Copies the boundary parameter of content_type into out; 0 when absent. */
static int boundary_of(const char *content_type, char out[MULTIPART_BOUNDARY_MAX + 1])
{
    const char *p = content_type;
    while (*p && strncasecmp(p, "boundary=", 9) != 0)
        p++;
    if (!*p)
        return 0;
    p += 9;
    size_t n = 0;
    if (*p == '"') {
        p++;
        while (p[n] && p[n] != '"')
            n++;
    } else {
        while (p[n] && p[n] != ';' && p[n] != ' ')
            n++;
    }
    if (n == 0 || n > MULTIPART_BOUNDARY_MAX)
        return 0;
    memcpy(out, p, n);
    out[n] = '\0';
    return 1;
}

/* Copies the value of parameter key (name= or filename=) from a
 * Content-Disposition header line [h, end) into out; 0 when absent. */
static int disposition_param(const char *h, const char *end, const char *key, char *out,
                             size_t size)
{
    size_t klen = strlen(key);
    for (const char *p = h; p + klen < end; p++) {
        if (strncasecmp(p, key, klen) != 0 || (p > h && p[-1] != ' ' && p[-1] != ';'))
            continue;
        p += klen;
        const char *v = p;
        size_t n = 0;
        if (*v == '"') {
            v++;
            while (v + n < end && v[n] != '"')
                n++;
        } else {
            while (v + n < end && v[n] != ';' && v[n] != ' ')
                n++;
        }
        if (n >= size)
            n = size - 1;
        memcpy(out, v, n);
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/* Reads the headers of one part [h, end): its names. 0 when unusable. */
static int part_headers(const char *h, const char *end, http_part *part)
{
    int named = 0;
    while (h < end) {
        const char *eol = find(h, (size_t)(end - h), "\r\n", 2);
        if (!eol)
            eol = end;
        if ((size_t)(eol - h) > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
            named = disposition_param(h, eol, "name=", part->name, sizeof part->name);
            part->has_filename =
                disposition_param(h, eol, "filename=", part->filename, sizeof part->filename);
        }
        h = eol + 2;
    }
    return named;
}

portal_result http_multipart_parse(const char *content_type, const char *body, size_t len,
                                   http_part *parts, int max, int *n)
{
    *n = 0;
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    char delim[MULTIPART_BOUNDARY_MAX + 5];
    if (!content_type || !body || !boundary_of(content_type, boundary))
        return PORTAL_ERR_MALFORMED;
    /* "\r\n--boundary" between parts; the first may open the body. */
    int dlen = snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    const char *end = body + len;
    const char *p;
    if (len >= (size_t)dlen - 2 && memcmp(body, delim + 2, (size_t)dlen - 2) == 0)
        p = body + dlen - 2;
    else if ((p = find(body, len, delim, (size_t)dlen)) != NULL)
        p += dlen;
    else
        return PORTAL_ERR_MALFORMED;
    for (;;) {
        /* After a delimiter: "--" closes, CRLF opens a part. */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return *n > 0 ? PORTAL_OK : PORTAL_ERR_MALFORMED;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return PORTAL_ERR_MALFORMED;
        p += 2;
        size_t room =
            (size_t)(end - p) < MULTIPART_HEADERS_MAX ? (size_t)(end - p) : MULTIPART_HEADERS_MAX;
        const char *hend = find(p, room, "\r\n\r\n", 4);
        if (!hend)
            return PORTAL_ERR_MALFORMED;
        if (*n >= max)
            return PORTAL_ERR_TOO_LARGE;
        http_part *part = &parts[*n];
        memset(part, 0, sizeof *part);
        if (!part_headers(p, hend + 2, part))
            return PORTAL_ERR_MALFORMED;
        const char *data = hend + 4;
        const char *next = find(data, (size_t)(end - data), delim, (size_t)dlen);
        if (!next)
            return PORTAL_ERR_MALFORMED;
        part->data = data;
        part->len = (size_t)(next - data);
        (*n)++;
        p = next + dlen;
    }
}

const http_part *http_multipart_find(const http_part *parts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(parts[i].name, name) == 0)
            return &parts[i];
    return NULL;
}
