/* http/request.c: see request.h. */
#include "http/request.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "http/problem.h"

const char *http_header(const struct _u_request *request, const char *name)
{
    return u_map_get_case(request->map_header, name);
}

const char *http_param(const struct _u_request *request, const char *name)
{
    return u_map_get(request->map_url, name);
}

static int request_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i]) && id[i] != '-' && id[i] != '_' && id[i] != '.')
            return 0;
    return 1;
}

const char *http_pick_language(const char *accept_language)
{
    /* Highest q wins among nl and en; ties go to the earlier entry. */
    double best_q = -1.0;
    const char *best = "nl";
    if (!accept_language)
        return best;
    const char *p = accept_language;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tag = p;
        while (*p && *p != ',' && *p != ';')
            p++;
        size_t tag_len = (size_t)(p - tag);
        double q = 1.0;
        if (*p == ';') {
            const char *qs = strstr(p, "q=");
            const char *next = strchr(p, ',');
            if (qs && (!next || qs < next))
                q = strtod(qs + 2, NULL);
            p = next ? next : p + strlen(p);
        }
        const char *lang = NULL;
        if (tag_len >= 2 && strncasecmp(tag, "en", 2) == 0 && (tag_len == 2 || tag[2] == '-'))
            lang = "en";
        else if (tag_len >= 2 && strncasecmp(tag, "nl", 2) == 0 && (tag_len == 2 || tag[2] == '-'))
            lang = "nl";
        if (lang && q > best_q) {
            best_q = q;
            best = lang;
        }
    }
    return best;
}

static void address_text(const unsigned char a[16], char *out, size_t size)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, 12) == 0)
        inet_ntop(AF_INET, a + 12, out, (socklen_t)size);
    else
        inet_ntop(AF_INET6, a, out, (socklen_t)size);
}

static int address_parse(const char *text, unsigned char out[16])
{
    unsigned char v4[4];
    memset(out, 0, 16);
    if (inet_pton(AF_INET, text, v4) == 1) {
        out[10] = 0xff;
        out[11] = 0xff;
        memcpy(out + 12, v4, 4);
        return 1;
    }
    return inet_pton(AF_INET6, text, out) == 1;
}

static int address_trusted(const unsigned char a[16], const config_cidr *proxies, int n)
{
    for (int i = 0; i < n; i++)
        if (config_cidr_contains(&proxies[i], a))
            return 1;
    return 0;
}

/* Parses xff[start..end) with surrounding spaces trimmed as one address.
 * Returns 0 for anything that is not a bare IPv4 or IPv6 address (an item
 * too long for any address counts as garbage, never truncated). */
static int address_item(const char *start, const char *end, unsigned char out[16])
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    char item[INET6_ADDRSTRLEN];
    size_t len = (size_t)(end - start);
    if (len == 0 || len >= sizeof item)
        return 0;
    memcpy(item, start, len);
    item[len] = '\0';
    return address_parse(item, out);
}

void http_client_address(const unsigned char peer[16], const char *xff, const config_cidr *proxies,
                         int n_proxies, char *out, size_t out_size)
{
    unsigned char chosen[16];
    memcpy(chosen, peer, 16);
    if (xff && address_trusted(peer, proxies, n_proxies)) {
        /* Walk the whole header from the right, in place: each hop we trust
         * tells us who talked to it. Nothing is copied into a fixed buffer,
         * so a long header cannot push the address our own proxy appended
         * out of view. */
        const char *end = xff + strlen(xff);
        for (;;) {
            const char *start = end;
            while (start > xff && start[-1] != ',')
                start--;
            unsigned char a[16];
            if (!address_item(start, end, a))
                break; /* garbage: stop at the last address we could trust */
            memcpy(chosen, a, 16);
            if (!address_trusted(a, proxies, n_proxies) || start == xff)
                break;
            end = start - 1; /* the comma before this item */
        }
    }
    address_text(chosen, out, out_size);
}

static void peer_address(const struct _u_request *request, unsigned char out[16])
{
    memset(out, 0, 16);
    const struct sockaddr *sa = request->client_address;
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        out[10] = 0xff;
        out[11] = 0xff;
        memcpy(out + 12, &in->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        memcpy(out, &in6->sin6_addr, 16);
    }
}

#define REQUEST_ID_BYTES 12

/* Random bytes for request ids, drawn from OpenSSL's generator 3 KiB at a
 * time per thread: each draw costs a system call of its own (the
 * generator checks that the process has not forked), too much once per
 * request. The bytes are used once each. */
static __thread struct {
    unsigned char bytes[256 * REQUEST_ID_BYTES];
    size_t used;
} request_id_pool = {.used = sizeof request_id_pool.bytes};

/* Fills out with fresh random bytes; PORTAL_ERR_CRYPTO when the generator
 * fails (out is then left as it was). */
static portal_result request_id_random(unsigned char out[REQUEST_ID_BYTES])
{
    if (request_id_pool.used + REQUEST_ID_BYTES > sizeof request_id_pool.bytes) {
        portal_result rc = crypto_random_bytes(request_id_pool.bytes, sizeof request_id_pool.bytes);
        if (rc != PORTAL_OK)
            return rc;
        request_id_pool.used = 0;
    }
    memcpy(out, request_id_pool.bytes + request_id_pool.used, REQUEST_ID_BYTES);
    memset(request_id_pool.bytes + request_id_pool.used, 0, REQUEST_ID_BYTES);
    request_id_pool.used += REQUEST_ID_BYTES;
    return PORTAL_OK;
}

void http_request_meta(http_ctx *ctx, const struct _u_request *request, const portal_config *config)
{
    const char *sent = http_header(request, "X-Request-Id");
    if (sent && request_id_ok(sent)) {
        snprintf(ctx->request_id, sizeof ctx->request_id, "%s", sent);
    } else {
        unsigned char raw[REQUEST_ID_BYTES];
        if (request_id_random(raw) == PORTAL_OK)
            crypto_base64url_encode(raw, sizeof raw, ctx->request_id, sizeof ctx->request_id);
        else
            snprintf(ctx->request_id, sizeof ctx->request_id, "unknown");
    }
    unsigned char peer[16];
    peer_address(request, peer);
    http_client_address(
        peer, http_header(request, "X-Forwarded-For"), config ? config->trusted_proxies : NULL,
        config ? config->trusted_proxy_count : 0, ctx->client_address, sizeof ctx->client_address);
    ctx->lang = http_pick_language(http_header(request, "Accept-Language"));
}

int http_body_too_large(const struct _u_request *request, size_t limit)
{
    const char *cl = http_header(request, "Content-Length");
    if (cl) {
        char *end = NULL;
        unsigned long long n = strtoull(cl, &end, 10);
        if (end != cl && n > limit)
            return 1;
    }
    return request->binary_body_length > limit;
}

static int content_type_json(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    size_t n = strlen("application/json");
    return strncasecmp(ct, "application/json", n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

json_t *http_json_body(http_ctx *ctx, const struct _u_request *request,
                       struct _u_response *response)
{
    if (ctx->body)
        return ctx->body;
    if (http_body_too_large(request, HTTP_MAX_JSON_BODY)) {
        http_problem(response, ctx, 413, "payload_too_large");
        return NULL;
    }
    if (!content_type_json(http_header(request, "Content-Type"))) {
        http_problem(response, ctx, 415, "unsupported_media_type");
        return NULL;
    }
    json_error_t err;
    json_t *body = json_loadb(request->binary_body ? request->binary_body : "",
                              request->binary_body_length, JSON_REJECT_DUPLICATES, &err);
    if (!body) {
        int duplicate = strstr(err.text, "duplicate") != NULL;
        problem p;
        problem_init(&p, 400, duplicate ? "duplicate_key" : "malformed_json");
        char detail[300];
        if (strcmp(ctx->lang, "en") == 0)
            snprintf(detail, sizeof detail, "%s at line %d, column %d.",
                     duplicate ? "Duplicate key" : "Malformed JSON", err.line, err.column);
        else
            snprintf(detail, sizeof detail, "%s op regel %d, kolom %d.",
                     duplicate ? "Dubbel veld" : "Ongeldige JSON", err.line, err.column);
        problem_set_detail(&p, detail);
        problem_send(response, ctx, &p);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        problem p;
        problem_init(&p, 400, "invalid_request");
        problem_add(&p, ctx->lang, "", "invalid_type", NULL);
        problem_send(response, ctx, &p);
        return NULL;
    }
    ctx->body = body;
    return body;
}

int http_query_one(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                   const char *name, char value[HTTP_QUERY_VALUE_LEN], const char **out)
{
    char values[2][HTTP_QUERY_VALUE_LEN];
    int n = 0;
    *out = NULL;
    if (!http_query_values_param(request, ctx, response, name, values, 2, &n))
        return 0;
    if (n > 1) {
        http_field_problem(response, ctx, 400, "invalid_request", name, "invalid_value", NULL);
        return 0;
    }
    if (n == 1) {
        snprintf(value, HTTP_QUERY_VALUE_LEN, "%s", values[0]);
        *out = value;
    }
    return 1;
}
