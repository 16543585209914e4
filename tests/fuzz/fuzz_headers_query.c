/* tests/fuzz/fuzz_headers_query.c: libFuzzer target for what the portal
 * itself parses out of request headers and the query string: the
 * X-Forwarded-For walk behind trusted proxies, Accept-Language,
 * Content-Length, trusted-proxy CIDRs, the raw query-string split of
 * multi-valued filters (http_query_values) and ?limit=, ?cursor=, ?sort=.
 * The input is NUL-separated pieces: query string, limit, cursor, sort,
 * Accept-Language, X-Forwarded-For, Content-Length, a CIDR. (Cookie
 * headers are split by libmicrohttpd before the portal sees them; the
 * portal only looks cookies up by name.) */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ulfius.h>

#include "base/config.h"
#include "http/context.h"
#include "http/pagination.h"
#include "http/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PIECES 8
#define FUZZ_MAX_VALUES 8

/* Splits a copy of data at NUL bytes into up to FUZZ_PIECES strings
 * (missing ones are ""); the caller frees *copy. */
static void fuzz_split(const uint8_t *data, size_t size, char **copy,
                       const char *pieces[FUZZ_PIECES])
{
    *copy = malloc(size + 1);
    for (int i = 0; i < FUZZ_PIECES; i++)
        pieces[i] = "";
    if (!*copy)
        return;
    memcpy(*copy, data, size);
    (*copy)[size] = '\0';
    const char *p = *copy;
    const char *end = *copy + size;
    for (int i = 0; i < FUZZ_PIECES && p <= end; i++) {
        pieces[i] = p;
        p += strlen(p) + 1;
    }
}

/* X-Forwarded-For behind the trusted proxies 10.0.0.0/8 and fd00::/8: the
 * answer is always one printable address. */
static void fuzz_client_address(const char *xff, const char *cidr_text)
{
    config_cidr proxies[3];
    int n = 0;
    if (config_parse_cidr("10.0.0.0/8", &proxies[n]) == PORTAL_OK)
        n++;
    if (config_parse_cidr("fd00::/8", &proxies[n]) == PORTAL_OK)
        n++;
    if (config_parse_cidr(cidr_text, &proxies[n]) == PORTAL_OK) {
        if (proxies[n].prefix_len > 128)
            __builtin_trap();
        n++;
    }
    static const unsigned char peers[2][16] = {
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1},
        {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
    for (int i = 0; i < 2; i++) {
        char out[64];
        unsigned char back[16];
        http_client_address(peers[i], xff, proxies, n, out, sizeof out);
        if (inet_pton(strchr(out, ':') ? AF_INET6 : AF_INET, out, back) != 1)
            __builtin_trap();
    }
}

/* The query string split on '&', '=' and ',' for two filter names: every
 * value is non-empty, shorter than HTTP_QUERY_VALUE_LEN and comma-free. */
static void fuzz_query_values(struct _u_request *req)
{
    static const char *const names[] = {"scheme_id", "status", "a b"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char values[FUZZ_MAX_VALUES][HTTP_QUERY_VALUE_LEN];
        int n = -1;
        (void)http_query_values(req, names[k], values, FUZZ_MAX_VALUES, &n);
        if (n < 0 || n > FUZZ_MAX_VALUES)
            __builtin_trap();
        for (int i = 0; i < n; i++) {
            size_t len = strnlen(values[i], HTTP_QUERY_VALUE_LEN);
            if (len == 0 || len >= HTTP_QUERY_VALUE_LEN || strchr(values[i], ','))
                __builtin_trap();
        }
    }
}

/* ?limit=, ?cursor= and ?sort= as the list resources read them. */
static void fuzz_page_params(struct _u_request *req, http_ctx *ctx)
{
    struct _u_response resp;
    if (ulfius_init_response(&resp) != U_OK)
        return;
    http_page page;
    if (http_page_params(req, ctx, &resp, &page)) {
        if (page.limit < 1 || page.limit > HTTP_PAGE_LIMIT_MAX ||
            strlen(page.cursor) > HTTP_CURSOR_MAX_LEN)
            __builtin_trap();
    } else if (resp.status != 400) {
        __builtin_trap();
    }
    static const char *const allowed[] = {"name", "registered_at", "salary", NULL};
    const char *field = NULL;
    int desc = 0;
    if (http_sort_param(req, ctx, &resp, allowed, "-registered_at", &field, &desc) && !field)
        __builtin_trap();
    ulfius_clean_response(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16384)
        return 0;
    char *copy = NULL;
    const char *piece[FUZZ_PIECES];
    fuzz_split(data, size, &copy, piece);
    if (!copy)
        return 0;

    const char *lang = http_pick_language(piece[4]);
    if (strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
        __builtin_trap();
    fuzz_client_address(piece[5], piece[7]);

    struct _u_request req;
    if (ulfius_init_request(&req) != U_OK) {
        free(copy);
        return 0;
    }
    size_t qlen = strlen(piece[0]);
    req.http_url = malloc(qlen + 16);
    if (req.http_url) {
        memcpy(req.http_url, "/api/v1/x?", 10);
        memcpy(req.http_url + 10, piece[0], qlen + 1);
    }
    if (piece[1][0])
        u_map_put(req.map_url, "limit", piece[1]);
    if (piece[2][0])
        u_map_put(req.map_url, "cursor", piece[2]);
    if (piece[3][0])
        u_map_put(req.map_url, "sort", piece[3]);
    if (piece[6][0])
        u_map_put(req.map_header, "Content-Length", piece[6]);
    (void)http_body_too_large(&req, HTTP_MAX_JSON_BODY);

    http_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.lang = lang;
    fuzz_query_values(&req);
    fuzz_page_params(&req, &ctx);
    ulfius_clean_request(&req);
    free(copy);
    return 0;
}
