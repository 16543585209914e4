/* http/pagination.c: see pagination.h. */
#include "http/pagination.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/uuid.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"

#define CURSOR_CHECK_LEN 16 /* bytes of HMAC-SHA-256 kept */
/* Raw bytes (JSON + check) that fit in HTTP_CURSOR_MAX_LEN base64url chars. */
#define CURSOR_RAW_MAX (HTTP_CURSOR_MAX_LEN / 4 * 3)
#define QUERY_KEY_MAX 128

/* The cursor key: set once at start-up (http_cursor_set_key) before any
 * request thread runs, read-only afterwards. */
static unsigned char cursor_key[HTTP_CURSOR_KEY_LEN];
static int cursor_key_set;

void http_cursor_set_key(const unsigned char key[HTTP_CURSOR_KEY_LEN])
{
    if (key) {
        memcpy(cursor_key, key, HTTP_CURSOR_KEY_LEN);
        cursor_key_set = 1;
    } else {
        memset(cursor_key, 0, sizeof cursor_key);
        cursor_key_set = 0;
    }
}

/* The check over raw[0..len) into out; PORTAL_ERR_CRYPTO without a key. */
static portal_result cursor_check(const unsigned char *raw, size_t len,
                                  unsigned char out[CRYPTO_SHA256_LEN])
{
    if (!cursor_key_set) {
        memset(out, 0, CRYPTO_SHA256_LEN);
        return PORTAL_ERR_CRYPTO;
    }
    return crypto_hmac_sha256(cursor_key, sizeof cursor_key, raw, len, out);
}

static int is_b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static int b64url_text_ok(const char *s, size_t max_len)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (n >= max_len || !is_b64url_char(s[n]))
            return 0;
    return 1;
}

/* A tag: printable ASCII without spaces, quotes or backslashes (no JSON
 * escaping), at most HTTP_CURSOR_TAG_MAX characters. */
static int tag_ok(const char *tag)
{
    if (!tag || !*tag)
        return 0;
    size_t n = 0;
    for (; tag[n]; n++)
        if (n >= HTTP_CURSOR_TAG_MAX || (unsigned char)tag[n] <= 0x20 ||
            (unsigned char)tag[n] >= 0x7f || tag[n] == '"' || tag[n] == '\\')
            return 0;
    return 1;
}

/* 1 when keys is an array of 1..HTTP_CURSOR_MAX_KEYS scalars (n_keys of
 * them when n_keys is not 0). */
static int cursor_keys_ok(const json_t *keys, size_t n_keys)
{
    if (!json_is_array(keys))
        return 0;
    size_t n = json_array_size(keys);
    if (n == 0 || n > HTTP_CURSOR_MAX_KEYS || (n_keys != 0 && n != n_keys))
        return 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(keys, i);
        if (json_is_object(v) || json_is_array(v))
            return 0;
    }
    return 1;
}

portal_result http_cursor_tag(const char *list, const char *field, int desc, char *out,
                              size_t out_size)
{
    if (out_size > 0)
        out[0] = '\0';
    if (!list || !*list || !field)
        return PORTAL_ERR_INVALID;
    int n = snprintf(out, out_size, "%s:%s%s", list, desc ? "-" : "", field);
    if (n < 0 || (size_t)n >= out_size || n > HTTP_CURSOR_TAG_MAX) {
        if (out_size > 0)
            out[0] = '\0';
        return PORTAL_ERR_TOO_LARGE;
    }
    return PORTAL_OK;
}

/* The cursor text for the JSON array text raw[0..len): the check appended
 * and all of it base64url-encoded. raw must have room for CURSOR_CHECK_LEN
 * more bytes. Returns a malloc'd string, or NULL when the cursor would pass
 * HTTP_CURSOR_MAX_LEN, without a key, or when memory ran out. */
static char *cursor_seal(unsigned char *raw, size_t len)
{
    unsigned char digest[CRYPTO_SHA256_LEN];
    if (len + CURSOR_CHECK_LEN > CURSOR_RAW_MAX || cursor_check(raw, len, digest) != PORTAL_OK)
        return NULL;
    memcpy(raw + len, digest, CURSOR_CHECK_LEN);
    char *out = malloc(HTTP_CURSOR_MAX_LEN + 1);
    if (out &&
        crypto_base64url_encode(raw, len + CURSOR_CHECK_LEN, out, HTTP_CURSOR_MAX_LEN + 1) == 0) {
        free(out);
        out = NULL;
    }
    return out;
}

char *http_cursor_encode(const char *tag, json_t *keys)
{
    if (!tag_ok(tag) || !cursor_keys_ok(keys, 0))
        return NULL;
    json_t *arr = json_array();
    if (!arr || json_array_append_new(arr, json_string(tag)) != 0 ||
        json_array_extend(arr, keys) != 0) {
        json_decref(arr);
        return NULL;
    }
    unsigned char raw[CURSOR_RAW_MAX];
    size_t len = json_dumpb(arr, (char *)raw, sizeof raw, JSON_COMPACT);
    json_decref(arr);
    return len > 0 && len <= sizeof raw ? cursor_seal(raw, len) : NULL;
}

char *http_cursor_encode_text(const char *tag, const char *keys_json)
{
    if (!keys_json || !tag_ok(tag))
        return NULL;
    json_t *keys = json_loads(keys_json, JSON_REJECT_DUPLICATES, NULL);
    int ok = cursor_keys_ok(keys, 0);
    json_decref(keys);
    /* The text holds a valid array, so '["<tag>",' and the text after its
     * opening bracket is the array [tag, keys...]: decoding checks these
     * very bytes and then parses them, so nothing is built and printed
     * again (tags need no escaping: see tag_ok). */
    const char *rest = keys_json + strspn(keys_json, " \t\r\n");
    char raw[CURSOR_RAW_MAX];
    int n = ok && *rest == '[' ? snprintf(raw, sizeof raw, "[\"%s\",%s", tag, rest + 1) : -1;
    return n > 0 && (size_t)n < sizeof raw ? cursor_seal((unsigned char *)raw, (size_t)n) : NULL;
}

portal_result http_cursor_decode(const char *cursor, const char *tag, size_t n_keys, json_t **keys)
{
    *keys = NULL;
    if (!cursor || !tag_ok(tag))
        return PORTAL_ERR_INVALID;
    size_t len = strnlen(cursor, HTTP_CURSOR_MAX_LEN + 1);
    if (len > HTTP_CURSOR_MAX_LEN)
        return PORTAL_ERR_TOO_LARGE;
    if (len == 0 || !b64url_text_ok(cursor, HTTP_CURSOR_MAX_LEN))
        return PORTAL_ERR_INVALID;
    unsigned char raw[CURSOR_RAW_MAX + 3];
    long n = crypto_base64url_decode(cursor, len, raw, sizeof raw);
    if (n <= CURSOR_CHECK_LEN)
        return PORTAL_ERR_INVALID;
    size_t jlen = (size_t)n - CURSOR_CHECK_LEN;
    unsigned char digest[CRYPTO_SHA256_LEN];
    if (cursor_check(raw, jlen, digest) != PORTAL_OK ||
        !crypto_equal(digest, raw + jlen, CURSOR_CHECK_LEN))
        return PORTAL_ERR_INVALID;
    json_t *arr = json_loadb((const char *)raw, jlen, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_array(arr) || json_array_size(arr) < 2 ||
        !json_is_string(json_array_get(arr, 0)) ||
        strcmp(json_string_value(json_array_get(arr, 0)), tag) != 0) {
        json_decref(arr);
        return PORTAL_ERR_INVALID;
    }
    json_t *out = json_array();
    for (size_t i = 1; out && i < json_array_size(arr); i++) {
        if (json_array_append(out, json_array_get(arr, i)) != 0) {
            json_decref(out);
            out = NULL;
        }
    }
    json_decref(arr);
    if (!out)
        return PORTAL_ERR_MEMORY;
    if (!cursor_keys_ok(out, n_keys)) {
        json_decref(out);
        return PORTAL_ERR_INVALID;
    }
    *keys = out;
    return PORTAL_OK;
}

static void cursor_problem(struct _u_response *response, const http_ctx *ctx)
{
    problem p;
    problem_init(&p, 400, "invalid_cursor");
    problem_add(&p, ctx ? ctx->lang : "nl", "cursor", "invalid_format", NULL);
    problem_send(response, ctx, &p);
}

int http_page_params(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                     http_page *out)
{
    out->limit = HTTP_PAGE_LIMIT_DEFAULT;
    out->has_cursor = 0;
    out->cursor[0] = '\0';

    const char *limit = http_param(request, "limit");
    if (limit) {
        size_t len = strlen(limit);
        int digits = len > 0;
        for (size_t i = 0; i < len; i++)
            if (limit[i] < '0' || limit[i] > '9')
                digits = 0;
        long value = 0;
        if (digits) {
            /* digits only: stop accumulating once past the maximum */
            for (size_t i = 0; i < len && value <= HTTP_PAGE_LIMIT_MAX; i++)
                value = value * 10 + (limit[i] - '0');
        }
        if (!digits || value < 1 || value > HTTP_PAGE_LIMIT_MAX) {
            problem p;
            problem_init(&p, 400, "invalid_request");
            problem_add(&p, ctx ? ctx->lang : "nl", "limit",
                        digits ? "out_of_range" : "invalid_format", NULL);
            problem_send(response, ctx, &p);
            return 0;
        }
        out->limit = (int)value;
    }

    const char *cursor = http_param(request, "cursor");
    if (cursor && *cursor) {
        if (!b64url_text_ok(cursor, HTTP_CURSOR_MAX_LEN)) {
            cursor_problem(response, ctx);
            return 0;
        }
        snprintf(out->cursor, sizeof out->cursor, "%s", cursor);
        out->has_cursor = 1;
    }
    return 1;
}

int http_page_cursor_keys(http_ctx *ctx, struct _u_response *response, const http_page *page,
                          const char *tag, size_t n_keys, json_t **keys)
{
    *keys = NULL;
    if (!page->has_cursor)
        return 1;
    portal_result rc = http_cursor_decode(page->cursor, tag, n_keys, keys);
    if (rc == PORTAL_OK)
        return 1;
    if (rc == PORTAL_ERR_MEMORY)
        http_problem(response, ctx, 500, "internal_error");
    else
        cursor_problem(response, ctx);
    return 0;
}

int http_cursor_keys_shaped(const json_t *keys, const char *shape)
{
    if (!json_is_array(keys) || !shape || json_array_size(keys) != strlen(shape))
        return 0;
    for (size_t i = 0; shape[i]; i++) {
        const json_t *v = json_array_get(keys, i);
        const char *text = json_string_value(v);
        switch (shape[i]) {
        case 's':
            if (!text)
                return 0;
            break;
        case 'n':
            if (!text && !json_is_null(v))
                return 0;
            break;
        case 'u':
            if (!text || !uuid_valid(text))
                return 0;
            break;
        case 'i':
            if (!json_is_integer(v))
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

int http_page_cursor_keys_shaped(http_ctx *ctx, struct _u_response *response, const http_page *page,
                                 const char *tag, const char *shape, json_t **keys)
{
    if (!http_page_cursor_keys(ctx, response, page, tag, shape ? strlen(shape) : 0, keys))
        return 0;
    if (*keys && !http_cursor_keys_shaped(*keys, shape)) {
        json_decref(*keys);
        *keys = NULL;
        cursor_problem(response, ctx);
        return 0;
    }
    return 1;
}

static void page_fail(struct _u_response *response)
{
    http_problem(response, http_ctx_of(response), 500, "internal_error");
}

portal_result http_page_send(struct _u_response *response, json_t *items, const char *next_cursor,
                             long long total)
{
    if (!json_is_array(items) ||
        (next_cursor && !b64url_text_ok(next_cursor, HTTP_CURSOR_MAX_LEN))) {
        page_fail(response);
        return PORTAL_ERR_INVALID;
    }
    json_t *env = json_object();
    int bad = !env || json_object_set(env, "items", items) != 0 ||
              json_object_set_new(env, "next_cursor",
                                  next_cursor && *next_cursor ? json_string(next_cursor)
                                                              : json_null()) != 0 ||
              (total >= 0 && json_object_set_new(env, "total", json_integer(total)) != 0);
    if (bad) {
        json_decref(env);
        page_fail(response);
        return PORTAL_ERR_MEMORY;
    }
    http_send_json(response, 200, env);
    json_decref(env);
    return PORTAL_OK;
}

portal_result http_page_send_text(struct _u_response *response, const char *items_json, size_t len,
                                  const char *next_cursor, long long total)
{
    if (!items_json)
        len = 0;
    size_t first = 0;
    while (first < len && (items_json[first] == ' ' || items_json[first] == '\n' ||
                           items_json[first] == '\r' || items_json[first] == '\t'))
        first++;
    if ((len > 0 && (first == len || items_json[first] != '[')) ||
        (next_cursor && !b64url_text_ok(next_cursor, HTTP_CURSOR_MAX_LEN))) {
        page_fail(response);
        return PORTAL_ERR_INVALID;
    }
    buf b;
    buf_init(&b, HTTP_PAGE_MAX_BODY);
    portal_result rc = buf_append_str(&b, "{\"items\":");
    if (rc == PORTAL_OK)
        rc = len > 0 ? buf_append(&b, items_json, len) : buf_append_str(&b, "[]");
    if (rc == PORTAL_OK) {
        if (next_cursor && *next_cursor)
            rc = buf_printf(&b, ",\"next_cursor\":\"%s\"", next_cursor);
        else
            rc = buf_append_str(&b, ",\"next_cursor\":null");
    }
    if (rc == PORTAL_OK && total >= 0)
        rc = buf_printf(&b, ",\"total\":%lld", total);
    if (rc == PORTAL_OK)
        rc = buf_append_str(&b, "}");
    if (rc != PORTAL_OK) {
        buf_free(&b);
        page_fail(response);
        return rc;
    }
    http_send_json_text(response, 200, b.data, b.len);
    buf_free(&b);
    return PORTAL_OK;
}

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or values
 * past U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t extra;
        unsigned min;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            min = 0x80;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            min = 0x800;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            min = 0x10000;
            cp = c & 0x07u;
        } else {
            return 0;
        }
        if (len - i <= extra)
            return 0;
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += extra + 1;
    }
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..len) ('+' is a space) into out as a C string.
 * PORTAL_ERR_TOO_LARGE when it does not fit; PORTAL_ERR_INVALID for a bad
 * escape, a control character or invalid UTF-8. */
static portal_result pct_decode(const char *s, size_t len, char *out, size_t out_size)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '%') {
            int hi = i + 2 < len ? hex_value(s[i + 1]) : -1;
            int lo = i + 2 < len ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return PORTAL_ERR_INVALID;
            ch = (unsigned char)(hi << 4 | lo);
            i += 2;
        } else if (ch == '+') {
            ch = ' ';
        }
        if (ch < 0x20 || ch == 0x7f)
            return PORTAL_ERR_INVALID;
        if (o + 1 >= out_size)
            return PORTAL_ERR_TOO_LARGE;
        out[o++] = (char)ch;
    }
    if (out_size == 0)
        return PORTAL_ERR_TOO_LARGE;
    out[o] = '\0';
    return utf8_valid((const unsigned char *)out, o) ? PORTAL_OK : PORTAL_ERR_INVALID;
}

portal_result http_query_values(const struct _u_request *request, const char *name,
                                char (*out)[HTTP_QUERY_VALUE_LEN], int max, int *n)
{
    *n = 0;
    const char *url = request->http_url;
    const char *q = url ? strchr(url, '?') : NULL;
    if (!q || !name)
        return PORTAL_OK;
    q++;
    size_t qlen = strcspn(q, "#");
    size_t pos = 0;
    while (pos < qlen) {
        size_t pair_len = 0;
        while (pos + pair_len < qlen && q[pos + pair_len] != '&')
            pair_len++;
        const char *pair = q + pos;
        pos += pair_len + 1;
        const char *eq = memchr(pair, '=', pair_len);
        size_t key_len = eq ? (size_t)(eq - pair) : pair_len;
        char key[QUERY_KEY_MAX];
        if (key_len == 0 || pct_decode(pair, key_len, key, sizeof key) != PORTAL_OK ||
            strcmp(key, name) != 0)
            continue;
        if (!eq)
            continue;
        const char *value = eq + 1;
        size_t value_len = pair_len - key_len - 1;
        /* Decoded before splitting: a client that encodes the comma
         * (URLSearchParams sends "a%2Cb") means the same list. */
        char *decoded = malloc(value_len + 1);
        if (!decoded)
            return PORTAL_ERR_MEMORY;
        portal_result rc = pct_decode(value, value_len, decoded, value_len + 1);
        for (char *piece = decoded; rc == PORTAL_OK && piece;) {
            char *comma = strchr(piece, ',');
            size_t piece_len = comma ? (size_t)(comma - piece) : strlen(piece);
            if (piece_len >= HTTP_QUERY_VALUE_LEN)
                rc = PORTAL_ERR_TOO_LARGE;
            else if (piece_len > 0 && *n >= max)
                rc = PORTAL_ERR_TOO_LARGE;
            else if (piece_len > 0) {
                memcpy(out[*n], piece, piece_len);
                out[(*n)++][piece_len] = '\0';
            }
            piece = comma ? comma + 1 : NULL;
        }
        free(decoded);
        if (rc != PORTAL_OK)
            return rc;
    }
    return PORTAL_OK;
}

int http_query_values_param(const struct _u_request *request, http_ctx *ctx,
                            struct _u_response *response, const char *name,
                            char (*out)[HTTP_QUERY_VALUE_LEN], int max, int *n)
{
    portal_result rc = http_query_values(request, name, out, max, n);
    if (rc == PORTAL_OK)
        return 1;
    problem p;
    problem_init(&p, 400, "invalid_request");
    problem_add(&p, ctx ? ctx->lang : "nl", name,
                rc == PORTAL_ERR_TOO_LARGE ? "too_long" : "invalid_format", NULL);
    problem_send(response, ctx, &p);
    return 0;
}

int http_sort_param(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                    const char *const *allowed, const char *default_sort, const char **out_field,
                    int *out_desc)
{
    const char *sort = http_param(request, "sort");
    if (!sort || !*sort) {
        *out_desc = default_sort[0] == '-';
        *out_field = default_sort + *out_desc;
        return 1;
    }
    int desc = sort[0] == '-';
    const char *field = sort + desc;
    for (size_t i = 0; allowed && allowed[i]; i++) {
        if (strcmp(allowed[i], field) == 0) {
            *out_field = allowed[i];
            *out_desc = desc;
            return 1;
        }
    }
    const char *lang = ctx ? ctx->lang : "nl";
    int en = lang && strcmp(lang, "en") == 0;
    char list[160] = "";
    for (size_t i = 0; allowed && allowed[i]; i++) {
        size_t used = strlen(list);
        if (used + strlen(allowed[i]) + 3 >= sizeof list)
            break;
        snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", allowed[i]);
    }
    char message[256];
    snprintf(message, sizeof message,
             en ? "Sort by one of: %s (put - in front for descending)."
                : "Sorteer op een van: %s (zet er - voor voor aflopend).",
             list);
    problem p;
    problem_init(&p, 400, "invalid_request");
    problem_add(&p, lang, "sort", "invalid_value", message);
    problem_send(response, ctx, &p);
    return 0;
}

void http_page_send_rows(struct _u_response *response, http_ctx *ctx, const http_page *page,
                         const char *rows_json, const char *tag, const char *const *key_fields)
{
    json_t *rows = json_loads(rows_json ? rows_json : "[]", 0, NULL);
    if (!json_is_array(rows)) {
        json_decref(rows);
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    char *cursor = NULL;
    if (json_array_size(rows) > (size_t)page->limit) {
        json_array_remove(rows, (size_t)page->limit);
        json_t *last = json_array_get(rows, (size_t)page->limit - 1);
        json_t *keys = json_array();
        for (int i = 0; key_fields[i]; i++)
            json_array_append(keys, json_object_get(last, key_fields[i]));
        cursor = http_cursor_encode(tag, keys);
        json_decref(keys);
    }
    if (http_page_send(response, rows, cursor, -1) != PORTAL_OK)
        http_problem(response, ctx, 500, "internal_error");
    free(cursor);
    json_decref(rows);
}
