/* http/etag.c: see etag.h. */
#include "http/etag.h"

#include <string.h>

#include "base/crypto.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"

void http_etag_from_version(const char *version, char out[HTTP_ETAG_LEN])
{
    char hex[CRYPTO_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(version ? version : "", hex);
    out[0] = '"';
    memcpy(out + 1, hex, HTTP_ETAG_HEX);
    out[HTTP_ETAG_HEX + 1] = '"';
    out[HTTP_ETAG_HEX + 2] = '\0';
}

void http_set_etag(struct _u_response *response, const char *etag)
{
    http_set_header(response, "ETag", etag);
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

int http_etag_matches(const char *if_match, const char *current_etag)
{
    if (!if_match)
        return 1;
    const char *p = if_match;
    while (is_ows(*p))
        p++;
    if (*p == '*') {
        const char *rest = p + 1;
        while (is_ows(*rest))
            rest++;
        if (*rest == '\0')
            return current_etag != NULL;
        return 0; /* "*" is only valid on its own */
    }
    if (!current_etag)
        return 0;
    size_t cur_len = strlen(current_etag);
    while (*p) {
        while (is_ows(*p) || *p == ',')
            p++;
        if (!*p)
            break;
        int weak = 0;
        if (p[0] == 'W' && p[1] == '/') {
            weak = 1;
            p += 2;
        }
        if (*p != '"')
            return 0; /* not an entity-tag: refuse the whole header */
        const char *close = strchr(p + 1, '"');
        if (!close)
            return 0;
        size_t len = (size_t)(close - p) + 1; /* with both quotes */
        if (!weak && len == cur_len && memcmp(p, current_etag, len) == 0)
            return 1;
        p = close + 1;
        while (is_ows(*p))
            p++;
        if (*p && *p != ',')
            return 0;
    }
    return 0;
}

int http_if_match(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                  const char *current_etag)
{
    if (http_etag_matches(http_header(request, "If-Match"), current_etag))
        return 1;
    http_problem(response, ctx, 412, "precondition_failed");
    return 0;
}
