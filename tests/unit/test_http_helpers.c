/* Unit tests for the HTTP helpers resources build on: keyset cursors and list
 * parameters (http/pagination), ETags and If-Match (http/etag), the
 * Idempotency-Key request hash and header checks (http/idempotency) and the
 * audit redaction helpers (store/audit). No database is needed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <ulfius.h>

#include "base/crypto.h"
#include "http/context.h"
#include "http/etag.h"
#include "http/idempotency.h"
#include "http/pagination.h"
#include "http/audit.h"
#include "store/audit.h"

/* ---- fixtures ---------------------------------------------------------- */

typedef struct {
    struct _u_request req;
    struct _u_response resp;
    http_ctx ctx;
} fixture;

static int fixture_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || ulfius_init_request(&f->req) != U_OK || ulfius_init_response(&f->resp) != U_OK)
        return -1;
    f->ctx.lang = "en";
    snprintf(f->ctx.request_id, sizeof f->ctx.request_id, "test-request");
    snprintf(f->ctx.client_address, sizeof f->ctx.client_address, "192.0.2.7");
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture *f = *state;
    ulfius_clean_request(&f->req);
    ulfius_clean_response(&f->resp);
    free(f);
    return 0;
}

/* Resets the response between checks within one test. */
static void reset_response(fixture *f)
{
    ulfius_clean_response(&f->resp);
    ulfius_init_response(&f->resp);
}

static void set_url(fixture *f, const char *url)
{
    o_free(f->req.http_url);
    f->req.http_url = o_strdup(url);
}

/* The response body as JSON (caller decrefs). */
static json_t *response_json(const fixture *f)
{
    assert_non_null(f->resp.binary_body);
    json_t *j = json_loadb(f->resp.binary_body, f->resp.binary_body_length, 0, NULL);
    assert_non_null(j);
    return j;
}

static void assert_body_text(const fixture *f, const char *expected)
{
    assert_int_equal(f->resp.binary_body_length, strlen(expected));
    assert_memory_equal(f->resp.binary_body, expected, strlen(expected));
}

/* Asserts a problem with status, code and (when field is not NULL) a first
 * field error on field. */
static void assert_problem(const fixture *f, long status, const char *code, const char *field,
                           const char *field_code)
{
    assert_int_equal(f->resp.status, status);
    json_t *j = response_json(f);
    assert_string_equal(json_string_value(json_object_get(j, "code")), code);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
    if (field) {
        json_t *e = json_array_get(json_object_get(j, "errors"), 0);
        assert_non_null(e);
        assert_string_equal(json_string_value(json_object_get(e, "field")), field);
        if (field_code)
            assert_string_equal(json_string_value(json_object_get(e, "code")), field_code);
    }
    json_decref(j);
}

/* ---- cursors ----------------------------------------------------------- */

/* Asserts that cursor decodes for tag to n keys equal to want. */
static void assert_cursor_keys(const char *cursor, const char *tag, size_t n, const json_t *want)
{
    json_t *back = NULL;
    assert_int_equal(http_cursor_decode(cursor, tag, n, &back), PORTAL_OK);
    assert_true(json_equal(back, want));
    json_decref(back);
}

static void test_cursor_round_trip(void **state)
{
    (void)state;
    json_t *keys = json_pack("[s, i, n, s, b, f]", "2024-01-31", 42, "\xC3\xA9t\xC3\xA9", 1, 0.5);
    assert_non_null(keys);
    char *c = http_cursor_encode("participants:-salary", keys);
    assert_non_null(c);
    for (const char *p = c; *p; p++)
        assert_true(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p) != NULL);

    assert_cursor_keys(c, "participants:-salary", 6, keys);
    /* n_keys 0 accepts any count */
    assert_cursor_keys(c, "participants:-salary", 0, keys);
    json_t *back = NULL;
    /* the wrong key count is refused */
    assert_int_equal(http_cursor_decode(c, "participants:-salary", 2, &back), PORTAL_ERR_INVALID);
    assert_null(back);
    free(c);

    /* from JSON text, as a json_build_array(...)::text column gives it */
    c = http_cursor_encode_text("changes:-effective_date", "[\"2024-05-01\", 17]");
    assert_non_null(c);
    assert_int_equal(http_cursor_decode(c, "changes:-effective_date", 2, &back), PORTAL_OK);
    assert_string_equal(json_string_value(json_array_get(back, 0)), "2024-05-01");
    assert_int_equal(json_integer_value(json_array_get(back, 1)), 17);
    json_decref(back);
    free(c);
    json_decref(keys);
}

/* Keys given as text, the way a json_build_array(...)::text column prints
 * them (spaces, escapes, non-ASCII), decode to the same values as the same
 * keys given as JSON; nested or empty arrays, oversized keys and tags JSON
 * would escape are refused. */
static void test_cursor_encode_text_as_json(void **state)
{
    (void)state;
    const char *text = "[\"Wijnen, R. \\\"jr\\\"\", \"\xC3\x87"
                       "elik\", 62431.00, null, "
                       "true,\n \"15c2dda4-4135-cfd7-c0e1-c89eef4d7c80\"] ";
    json_t *want = json_loads(text, 0, NULL);
    assert_non_null(want);
    char *c = http_cursor_encode_text("participants:-salary", text);
    assert_non_null(c);
    assert_cursor_keys(c, "participants:-salary", 6, want);
    json_t *back = NULL;
    assert_int_equal(http_cursor_decode(c, "participants:salary", 6, &back), PORTAL_ERR_INVALID);
    free(c);
    json_decref(want);
    assert_null(http_cursor_encode_text("t:x", "[[1], 2]"));
    assert_null(http_cursor_encode_text("t:x", "[]"));
    assert_null(http_cursor_encode_text("t:x", " 17"));
    assert_null(http_cursor_encode_text("has space", "[1]"));
    assert_null(http_cursor_encode_text("odd:\"tag", "[1]"));
    assert_null(http_cursor_encode_text("odd:tag\\", "[1]"));
    char big[HTTP_CURSOR_MAX_LEN + 16];
    memset(big, 'a', sizeof big);
    big[0] = '[';
    big[1] = '"';
    memcpy(big + sizeof big - 3, "\"]", 3);
    assert_null(http_cursor_encode_text("t:x", big));
}

static void test_cursor_encode_refuses(void **state)
{
    (void)state;
    json_t *nested = json_pack("[s, [i]]", "a", 1);
    json_t *empty = json_array();
    json_t *ok = json_pack("[i]", 1);
    json_t *many = json_array();
    for (int i = 0; i < HTTP_CURSOR_MAX_KEYS + 1; i++)
        json_array_append_new(many, json_integer(i));
    assert_null(http_cursor_encode("t:x", nested));
    assert_null(http_cursor_encode("t:x", empty));
    assert_null(http_cursor_encode("t:x", many));
    assert_null(http_cursor_encode("t:x", NULL));
    assert_null(http_cursor_encode("", ok));
    assert_null(http_cursor_encode(NULL, ok));
    assert_null(http_cursor_encode("has space", ok));
    assert_null(http_cursor_encode_text("t:x", "{\"a\":1}"));
    assert_null(http_cursor_encode_text("t:x", "[1,"));
    assert_null(http_cursor_encode_text("t:x", NULL));
    json_decref(nested);
    json_decref(empty);
    json_decref(ok);
    json_decref(many);
}

static void test_cursor_tag_mismatch(void **state)
{
    (void)state;
    json_t *keys = json_pack("[s, s]", "52242.28", "0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11");
    char *c = http_cursor_encode("participants:-salary", keys);
    assert_non_null(c);
    json_t *back = (json_t *)1;
    /* same list, other sort direction; other sort field; other list */
    assert_int_equal(http_cursor_decode(c, "participants:salary", 2, &back), PORTAL_ERR_INVALID);
    assert_null(back);
    assert_int_equal(http_cursor_decode(c, "participants:-name", 2, &back), PORTAL_ERR_INVALID);
    assert_int_equal(http_cursor_decode(c, "users:-salary", 2, &back), PORTAL_ERR_INVALID);
    assert_int_equal(http_cursor_decode(c, "participants:-salar", 2, &back), PORTAL_ERR_INVALID);
    free(c);
    json_decref(keys);

    char tag[HTTP_CURSOR_TAG_MAX + 1];
    assert_int_equal(http_cursor_tag("participants", "salary", 1, tag, sizeof tag), PORTAL_OK);
    assert_string_equal(tag, "participants:-salary");
    assert_int_equal(http_cursor_tag("users", "last_name", 0, tag, sizeof tag), PORTAL_OK);
    assert_string_equal(tag, "users:last_name");
    char small[8];
    assert_int_equal(http_cursor_tag("participants", "salary", 0, small, sizeof small),
                     PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "");
    assert_int_equal(http_cursor_tag("", "salary", 0, tag, sizeof tag), PORTAL_ERR_INVALID);
}

/* The cursor key the tests run under (set in main). */
static const unsigned char TEST_CURSOR_KEY[HTTP_CURSOR_KEY_LEN] =
    "test-cursor-key-0123456789abcdef";

/* base64url of json with a check appended: HMAC-SHA-256 under key (16
 * bytes of it), or an unkeyed SHA-256 when key is NULL. check_len bytes. */
static char *craft_cursor_with(const char *json, const unsigned char *key, size_t check_len)
{
    unsigned char raw[512];
    size_t len = strlen(json);
    unsigned char digest[CRYPTO_SHA256_LEN];
    memcpy(raw, json, len);
    if (key)
        assert_int_equal(crypto_hmac_sha256(key, HTTP_CURSOR_KEY_LEN, raw, len, digest), PORTAL_OK);
    else
        crypto_sha256(raw, len, digest);
    memcpy(raw + len, digest, check_len);
    char *out = malloc(1100);
    assert_non_null(out);
    assert_true(crypto_base64url_encode(raw, len + check_len, out, 1100) > 0);
    return out;
}

/* A cursor with a correct check under the test key. */
static char *craft_cursor(const char *json)
{
    return craft_cursor_with(json, TEST_CURSOR_KEY, 16);
}

static void test_cursor_signed(void **state)
{
    (void)state;
    static const char body[] = "[\"users:name\",\"Bakker\",\"Anna\","
                               "\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]";
    json_t *back = NULL;
    /* the right key opens it */
    char *c = craft_cursor(body);
    assert_int_equal(http_cursor_decode(c, "users:name", 3, &back), PORTAL_OK);
    json_decref(back);
    free(c);
    /* anyone can compute a plain SHA-256: refused, at either length */
    c = craft_cursor_with(body, NULL, 16);
    assert_int_equal(http_cursor_decode(c, "users:name", 3, &back), PORTAL_ERR_INVALID);
    assert_null(back);
    free(c);
    c = craft_cursor_with(body, NULL, 8);
    assert_int_equal(http_cursor_decode(c, "users:name", 3, &back), PORTAL_ERR_INVALID);
    free(c);
    /* another key: refused */
    static const unsigned char other[HTTP_CURSOR_KEY_LEN] = "another-key-0123456789abcdefghij";
    c = craft_cursor_with(body, other, 16);
    assert_int_equal(http_cursor_decode(c, "users:name", 3, &back), PORTAL_ERR_INVALID);
    free(c);
    /* a cursor made by the server opens only under the key it was made with */
    json_t *keys = json_pack("[s, i]", "x", 1);
    c = http_cursor_encode("t:x", keys);
    assert_non_null(c);
    http_cursor_set_key(other);
    assert_int_equal(http_cursor_decode(c, "t:x", 2, &back), PORTAL_ERR_INVALID);
    /* without a key nothing is made or opened */
    http_cursor_set_key(NULL);
    assert_int_equal(http_cursor_decode(c, "t:x", 2, &back), PORTAL_ERR_INVALID);
    assert_null(http_cursor_encode("t:x", keys));
    http_cursor_set_key(TEST_CURSOR_KEY);
    assert_int_equal(http_cursor_decode(c, "t:x", 2, &back), PORTAL_OK);
    json_decref(back);
    free(c);
    json_decref(keys);
}

static void test_cursor_key_shapes(void **state)
{
    (void)state;
    static const char id[] = "0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11";
    static const struct {
        const char *json;
        const char *shape;
        int ok;
    } cases[] = {
        {"[\"Bakker\",\"Anna\",\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]", "ssu", 1},
        {"[\"Bakker\",\"Anna\",\"not-a-uuid\"]", "ssu", 0},
        {"[\"Bakker\",1,\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]", "ssu", 0},
        {"[null,\"Anna\",\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]", "ssu", 0},
        {"[\"Bakker\",\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]", "ssu", 0},
        {"[\"x\",\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]", "su", 1},
        {"[{\"a\":1},\"0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11\"]", "su", 0},
        {"[\"x\",true]", "su", 0},
        {"[null,12]", "ni", 1},
        {"[\"x\",12.5]", "ni", 0},
        {"[\"x\"]", "q", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *keys = json_loads(cases[i].json, 0, NULL);
        assert_non_null(keys);
        if (http_cursor_keys_shaped(keys, cases[i].shape) != cases[i].ok)
            fail_msg("keys %s shape %s: expected %d", cases[i].json, cases[i].shape, cases[i].ok);
        json_decref(keys);
    }
    assert_int_equal(http_cursor_keys_shaped(NULL, "s"), 0);
    json_t *keys = json_pack("[s]", id);
    assert_int_equal(http_cursor_keys_shaped(keys, NULL), 0);
    json_decref(keys);
}

static void test_cursor_tampered(void **state)
{
    (void)state;
    json_t *keys = json_pack("[s, i]", "Assob", 1234);
    char *c = http_cursor_encode("users:last_name", keys);
    assert_non_null(c);
    json_t *back = NULL;
    size_t len = strlen(c);

    /* every single-character edit in the middle is caught */
    for (size_t i = 0; i + 1 < len; i++) {
        char saved = c[i];
        c[i] = saved == 'A' ? 'B' : 'A';
        assert_int_not_equal(http_cursor_decode(c, "users:last_name", 2, &back), PORTAL_OK);
        assert_null(back);
        c[i] = saved;
    }
    /* truncated */
    c[len - 3] = '\0';
    assert_int_equal(http_cursor_decode(c, "users:last_name", 2, &back), PORTAL_ERR_INVALID);
    free(c);
    json_decref(keys);

    /* garbage */
    static const char *const garbage[] = {
        "", "!!!", "abc", "A", "=====", "eyJ9", "a b", "Zm9vYmFy", "%2F"};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        assert_int_equal(http_cursor_decode(garbage[i], "users:last_name", 0, &back),
                         PORTAL_ERR_INVALID);
        assert_null(back);
    }
    /* a correct check over content that is not the expected JSON */
    static const char *const wrong[] = {"hello",
                                        "{\"t\":\"users:last_name\"}",
                                        "[\"users:last_name\"]",
                                        "[\"users:last_name\",[1]]",
                                        "[\"users:last_name\",{\"a\":1}]",
                                        "[1,2]",
                                        "[\"users:last_name\",1] x"};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        char *crafted = craft_cursor(wrong[i]);
        assert_int_equal(http_cursor_decode(crafted, "users:last_name", 0, &back),
                         PORTAL_ERR_INVALID);
        assert_null(back);
        free(crafted);
    }
    /* and one that is: the format is as documented */
    char *crafted = craft_cursor("[\"users:last_name\",\"Assob\",1234]");
    assert_int_equal(http_cursor_decode(crafted, "users:last_name", 2, &back), PORTAL_OK);
    assert_int_equal(json_integer_value(json_array_get(back, 1)), 1234);
    json_decref(back);
    free(crafted);
}

static void test_cursor_size_cap(void **state)
{
    (void)state;
    /* a key that makes the cursor pass 1 KiB cannot be encoded */
    char big[800];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_t *keys = json_pack("[s]", big);
    assert_null(http_cursor_encode("t:x", keys));
    json_decref(keys);

    /* the largest that fits stays within 1 KiB */
    char fits[700];
    memset(fits, 'y', sizeof fits - 1);
    fits[sizeof fits - 1] = '\0';
    keys = json_pack("[s]", fits);
    char *c = http_cursor_encode("t:x", keys);
    assert_non_null(c);
    assert_true(strlen(c) <= HTTP_CURSOR_MAX_LEN);
    json_t *back = NULL;
    assert_int_equal(http_cursor_decode(c, "t:x", 1, &back), PORTAL_OK);
    assert_true(json_equal(back, keys));
    json_decref(back);
    free(c);
    json_decref(keys);

    /* decoding refuses text over 1 KiB before looking at it */
    char *huge = malloc(HTTP_CURSOR_MAX_LEN + 2);
    assert_non_null(huge);
    memset(huge, 'A', HTTP_CURSOR_MAX_LEN + 1);
    huge[HTTP_CURSOR_MAX_LEN + 1] = '\0';
    assert_int_equal(http_cursor_decode(huge, "t:x", 1, &back), PORTAL_ERR_TOO_LARGE);
    assert_null(back);
    free(huge);
}

/* ---- list parameters --------------------------------------------------- */

static void test_limit_parsing(void **state)
{
    fixture *f = *state;
    http_page page;

    /* absent: the default */
    assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 1);
    assert_int_equal(page.limit, 50);
    assert_int_equal(page.has_cursor, 0);

    static const struct {
        const char *text;
        int limit;
    } good[] = {{"50", 50}, {"1", 1}, {"200", 200}, {"007", 7}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        u_map_put(f->req.map_url, "limit", good[i].text);
        assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 1);
        assert_int_equal(page.limit, good[i].limit);
    }

    static const struct {
        const char *text;
        const char *code;
    } bad[] = {{"0", "out_of_range"},
               {"201", "out_of_range"},
               {"99999999999999999999999", "out_of_range"},
               {"abc", "invalid_format"},
               {"", "invalid_format"},
               {"-1", "invalid_format"},
               {"+5", "invalid_format"},
               {" 5", "invalid_format"},
               {"5x", "invalid_format"},
               {"1.5", "invalid_format"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reset_response(f);
        u_map_put(f->req.map_url, "limit", bad[i].text);
        assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 0);
        assert_problem(f, 400, "invalid_request", "limit", bad[i].code);
    }
}

static void test_page_cursor_param(void **state)
{
    fixture *f = *state;
    http_page page;
    json_t *keys = json_pack("[s, s]", "2024-02-01", "abc");
    char *c = http_cursor_encode("changes:-effective_date", keys);
    assert_non_null(c);

    u_map_put(f->req.map_url, "cursor", c);
    assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 1);
    assert_int_equal(page.has_cursor, 1);
    json_t *back = NULL;
    assert_int_equal(
        http_page_cursor_keys(&f->ctx, &f->resp, &page, "changes:-effective_date", 2, &back), 1);
    assert_true(json_equal(back, keys));
    json_decref(back);

    /* a cursor of another sort: 400 invalid_cursor */
    assert_int_equal(
        http_page_cursor_keys(&f->ctx, &f->resp, &page, "changes:effective_date", 2, &back), 0);
    assert_null(back);
    assert_problem(f, 400, "invalid_cursor", "cursor", NULL);

    /* no cursor: 1 with NULL keys */
    u_map_put(f->req.map_url, "cursor", "");
    assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 1);
    assert_int_equal(page.has_cursor, 0);
    assert_int_equal(http_page_cursor_keys(&f->ctx, &f->resp, &page, "x:y", 2, &back), 1);
    assert_null(back);

    /* characters outside base64url, or over 1 KiB: refused at once */
    reset_response(f);
    u_map_put(f->req.map_url, "cursor", "abc+/=");
    assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 0);
    assert_problem(f, 400, "invalid_cursor", "cursor", NULL);

    char *huge = malloc(HTTP_CURSOR_MAX_LEN + 2);
    assert_non_null(huge);
    memset(huge, 'A', HTTP_CURSOR_MAX_LEN + 1);
    huge[HTTP_CURSOR_MAX_LEN + 1] = '\0';
    reset_response(f);
    u_map_put(f->req.map_url, "cursor", huge);
    assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 0);
    assert_problem(f, 400, "invalid_cursor", NULL, NULL);
    free(huge);

    /* exactly 1 KiB of base64url passes the parameter check (decoded later) */
    huge = malloc(HTTP_CURSOR_MAX_LEN + 1);
    assert_non_null(huge);
    memset(huge, 'A', HTTP_CURSOR_MAX_LEN);
    huge[HTTP_CURSOR_MAX_LEN] = '\0';
    u_map_put(f->req.map_url, "cursor", huge);
    assert_int_equal(http_page_params(&f->req, &f->ctx, &f->resp, &page), 1);
    reset_response(f);
    assert_int_equal(http_page_cursor_keys(&f->ctx, &f->resp, &page, "x:y", 0, &back), 0);
    assert_problem(f, 400, "invalid_cursor", NULL, NULL);
    free(huge);

    free(c);
    json_decref(keys);
}

static void test_page_send(void **state)
{
    fixture *f = *state;
    json_t *items = json_pack("[{s:i}, {s:i}]", "id", 1, "id", 2);
    assert_int_equal(http_page_send(&f->resp, items, "abc_-1", -1), PORTAL_OK);
    assert_int_equal(f->resp.status, 200);
    assert_body_text(f, "{\"items\":[{\"id\":1},{\"id\":2}],\"next_cursor\":\"abc_-1\"}");
    assert_int_equal(items->refcount, 1); /* borrowed, not consumed */

    reset_response(f);
    assert_int_equal(http_page_send(&f->resp, items, NULL, 7), PORTAL_OK);
    assert_body_text(f, "{\"items\":[{\"id\":1},{\"id\":2}],\"next_cursor\":null,\"total\":7}");

    reset_response(f);
    json_t *obj = json_object();
    assert_int_equal(http_page_send(&f->resp, obj, NULL, -1), PORTAL_ERR_INVALID);
    assert_int_equal(f->resp.status, 500);
    json_decref(obj);
    json_decref(items);

    /* JSON text straight from PostgreSQL, passed through as it is */
    static const char agg[] = "[{\"id\": 1, \"name\": \"\xC3\xA9\"}, \n {\"id\": 2}]";
    reset_response(f);
    assert_int_equal(http_page_send_text(&f->resp, agg, strlen(agg), "Zm9v", -1), PORTAL_OK);
    assert_int_equal(f->resp.status, 200);
    assert_body_text(f, "{\"items\":[{\"id\": 1, \"name\": \"\xC3\xA9\"}, \n {\"id\": "
                        "2}],\"next_cursor\":\"Zm9v\"}");
    assert_string_equal(u_map_get_case(f->resp.map_header, "Content-Type"), "application/json");

    /* json_agg over no rows is NULL: an empty list */
    reset_response(f);
    assert_int_equal(http_page_send_text(&f->resp, NULL, 0, NULL, 0), PORTAL_OK);
    assert_body_text(f, "{\"items\":[],\"next_cursor\":null,\"total\":0}");
    reset_response(f);
    assert_int_equal(http_page_send_text(&f->resp, "  [ ]", 5, "", -1), PORTAL_OK);
    assert_body_text(f, "{\"items\":  [ ],\"next_cursor\":null}");

    /* not an array, or a cursor that would break the JSON: 500 */
    reset_response(f);
    assert_int_equal(http_page_send_text(&f->resp, "{}", 2, NULL, -1), PORTAL_ERR_INVALID);
    assert_int_equal(f->resp.status, 500);
    reset_response(f);
    assert_int_equal(http_page_send_text(&f->resp, "  ", 2, NULL, -1), PORTAL_ERR_INVALID);
    reset_response(f);
    assert_int_equal(http_page_send_text(&f->resp, "[]", 2, "a\"b", -1), PORTAL_ERR_INVALID);
    assert_int_equal(f->resp.status, 500);
}

static void test_query_values(void **state)
{
    fixture *f = *state;
    char v[8][HTTP_QUERY_VALUE_LEN];
    int n = -1;

    set_url(f, "/x?scheme_id=a,b&scheme_id=c&q=%C3%A9");
    assert_int_equal(http_query_values(&f->req, "scheme_id", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 3);
    assert_string_equal(v[0], "a");
    assert_string_equal(v[1], "b");
    assert_string_equal(v[2], "c");
    assert_int_equal(http_query_values(&f->req, "q", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "\xC3\xA9");
    assert_int_equal(http_query_values(&f->req, "status", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 0);
    /* a name that is a prefix of another is not confused with it */
    assert_int_equal(http_query_values(&f->req, "scheme", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 0);

    /* an encoded comma separates values as a plain one does */
    set_url(f, "/x?scheme_id=a%2Cb%2c%2Cc&scheme_id=d");
    assert_int_equal(http_query_values(&f->req, "scheme_id", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 4);
    assert_string_equal(v[0], "a");
    assert_string_equal(v[2], "c");
    assert_string_equal(v[3], "d");
    set_url(f, "/x?scheme_id=a,b&scheme_id=c&q=%C3%A9");

    /* caps: more values than room */
    assert_int_equal(http_query_values(&f->req, "scheme_id", v, 2, &n), PORTAL_ERR_TOO_LARGE);
    assert_int_equal(n, 2);
    assert_int_equal(http_query_values(&f->req, "scheme_id", v, 3, &n), PORTAL_OK);
    assert_int_equal(n, 3);

    /* caps: a value of 63 bytes fits, 64 does not */
    char url[256];
    char long_value[HTTP_QUERY_VALUE_LEN + 1];
    memset(long_value, 'v', HTTP_QUERY_VALUE_LEN - 1);
    long_value[HTTP_QUERY_VALUE_LEN - 1] = '\0';
    snprintf(url, sizeof url, "/x?k=%s", long_value);
    set_url(f, url);
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_OK);
    assert_string_equal(v[0], long_value);
    snprintf(url, sizeof url, "/x?k=%sv", long_value);
    set_url(f, url);
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_ERR_TOO_LARGE);
    /* the cap counts decoded bytes: 21 x "%C3%A9" is 42 bytes */
    char enc[256] = "/x?k=";
    for (int i = 0; i < 21; i++)
        strcat(enc, "%C3%A9");
    set_url(f, enc);
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_OK);
    assert_int_equal(strlen(v[0]), 42);

    /* empty values skipped; encoded key; %2C separates like a comma; '+' is
     * a space; the fragment is not part of the query */
    set_url(f, "/x?k=&k=,a,,&scheme%5Fid=z&k=b%2Cc&k=d+e&k#k=frag");
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 4);
    assert_string_equal(v[0], "a");
    assert_string_equal(v[1], "b");
    assert_string_equal(v[2], "c");
    assert_string_equal(v[3], "d e");
    assert_int_equal(http_query_values(&f->req, "scheme_id", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(v[0], "z");

    /* bad escapes, control characters and invalid UTF-8 */
    static const char *const invalid[] = {
        "/x?k=%G1", "/x?k=%4",  "/x?k=a%",     "/x?k=%00",       "/x?k=%0A",
        "/x?k=%C3", "/x?k=%FF", "/x?k=%C0%AF", "/x?k=%ED%A0%80", "/x?k=ok&k=%E2%82"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        set_url(f, invalid[i]);
        assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_ERR_INVALID);
    }
    /* junk in other parameters does not matter */
    set_url(f, "/x?%ZZ=1&other=%G&k=1");
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 1);

    /* no query string at all, or no URL */
    set_url(f, "/x");
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 0);
    o_free(f->req.http_url);
    f->req.http_url = NULL;
    assert_int_equal(http_query_values(&f->req, "k", v, 8, &n), PORTAL_OK);
    assert_int_equal(n, 0);

    /* the variant that answers for itself */
    set_url(f, "/x?scheme_id=a,b,c");
    assert_int_equal(http_query_values_param(&f->req, &f->ctx, &f->resp, "scheme_id", v, 2, &n), 0);
    assert_problem(f, 400, "invalid_request", "scheme_id", "too_long");
    reset_response(f);
    set_url(f, "/x?scheme_id=%ZZ");
    assert_int_equal(http_query_values_param(&f->req, &f->ctx, &f->resp, "scheme_id", v, 2, &n), 0);
    assert_problem(f, 400, "invalid_request", "scheme_id", "invalid_format");
    set_url(f, "/x?scheme_id=a");
    assert_int_equal(http_query_values_param(&f->req, &f->ctx, &f->resp, "scheme_id", v, 2, &n), 1);
}

static void test_sort_param(void **state)
{
    fixture *f = *state;
    static const char *const allowed[] = {"last_name", "employment_start", "salary", NULL};
    const char *field = NULL;
    int desc = -1;

    assert_int_equal(http_sort_param(&f->req, &f->ctx, &f->resp, allowed, "-salary", &field, &desc),
                     1);
    assert_string_equal(field, "salary");
    assert_int_equal(desc, 1);

    u_map_put(f->req.map_url, "sort", "last_name");
    assert_int_equal(http_sort_param(&f->req, &f->ctx, &f->resp, allowed, "-salary", &field, &desc),
                     1);
    assert_ptr_equal(field, allowed[0]);
    assert_int_equal(desc, 0);

    u_map_put(f->req.map_url, "sort", "-employment_start");
    assert_int_equal(http_sort_param(&f->req, &f->ctx, &f->resp, allowed, "-salary", &field, &desc),
                     1);
    assert_ptr_equal(field, allowed[1]);
    assert_int_equal(desc, 1);

    u_map_put(f->req.map_url, "sort", "");
    assert_int_equal(
        http_sort_param(&f->req, &f->ctx, &f->resp, allowed, "last_name", &field, &desc), 1);
    assert_string_equal(field, "last_name");
    assert_int_equal(desc, 0);

    static const char *const bad[] = {"bsn",    "--salary", "salary,last_name",
                                      "Salary", " salary",  "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reset_response(f);
        u_map_put(f->req.map_url, "sort", bad[i]);
        assert_int_equal(
            http_sort_param(&f->req, &f->ctx, &f->resp, allowed, "-salary", &field, &desc), 0);
        assert_problem(f, 400, "invalid_request", "sort", "invalid_value");
    }
    /* the message names what may be used */
    json_t *j = response_json(f);
    const char *msg = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "errors"), 0), "message"));
    assert_non_null(strstr(msg, "last_name, employment_start, salary"));
    json_decref(j);
}

/* ---- ETags ------------------------------------------------------------- */

static void test_etag_from_version(void **state)
{
    (void)state;
    char a[HTTP_ETAG_LEN];
    char b[HTTP_ETAG_LEN];
    char c[HTTP_ETAG_LEN];
    http_etag_from_version("2024-05-01 10:00:00.123456+00", a);
    http_etag_from_version("2024-05-01 10:00:00.123456+00", b);
    http_etag_from_version("2024-05-01 10:00:00.123457+00", c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), 34);
    assert_int_equal(a[0], '"');
    assert_int_equal(a[33], '"');
    /* the first 32 hex characters of SHA-256("abc") */
    http_etag_from_version("abc", a);
    assert_string_equal(a, "\"ba7816bf8f01cfea414140de5dae2223\"");
    http_etag_from_version(NULL, b);
    http_etag_from_version("", c);
    assert_string_equal(b, c);
}

static void test_if_match_rules(void **state)
{
    (void)state;
    const char *cur = "\"ba7816bf8f01cfea414140de5dae2223\"";
    /* absent */
    assert_int_equal(http_etag_matches(NULL, cur), 1);
    /* * matches any current representation, but not a missing one */
    assert_int_equal(http_etag_matches("*", cur), 1);
    assert_int_equal(http_etag_matches("  * ", cur), 1);
    assert_int_equal(http_etag_matches("*", NULL), 0);
    assert_int_equal(http_etag_matches("*, \"x\"", cur), 0);
    /* exact strong match, alone or in a list */
    assert_int_equal(http_etag_matches("\"ba7816bf8f01cfea414140de5dae2223\"", cur), 1);
    assert_int_equal(http_etag_matches("\"x\", \"ba7816bf8f01cfea414140de5dae2223\"", cur), 1);
    assert_int_equal(http_etag_matches("\"x\",\"ba7816bf8f01cfea414140de5dae2223\" , \"y\"", cur),
                     1);
    assert_int_equal(http_etag_matches(" ,, \"ba7816bf8f01cfea414140de5dae2223\",", cur), 1);
    /* weak tags never match for If-Match */
    assert_int_equal(http_etag_matches("W/\"ba7816bf8f01cfea414140de5dae2223\"", cur), 0);
    assert_int_equal(http_etag_matches("W/\"ba7816bf8f01cfea414140de5dae2223\", \"x\"", cur), 0);
    /* other tags, prefixes, unquoted or broken values */
    assert_int_equal(http_etag_matches("\"x\", \"y\"", cur), 0);
    assert_int_equal(http_etag_matches("\"ba7816bf8f01cfea414140de5dae222\"", cur), 0);
    assert_int_equal(http_etag_matches("ba7816bf8f01cfea414140de5dae2223", cur), 0);
    assert_int_equal(http_etag_matches("\"ba7816bf8f01cfea414140de5dae2223", cur), 0);
    assert_int_equal(http_etag_matches("\"x\"junk, \"ba7816bf8f01cfea414140de5dae2223\"", cur), 0);
    assert_int_equal(http_etag_matches("", cur), 0);
    assert_int_equal(http_etag_matches("\"x\"", NULL), 0);
}

static void test_if_match_http(void **state)
{
    fixture *f = *state;
    char cur[HTTP_ETAG_LEN];
    http_etag_from_version("v1", cur);
    assert_int_equal(http_if_match(&f->req, &f->ctx, &f->resp, cur), 1);
    u_map_put(f->req.map_header, "If-Match", cur);
    assert_int_equal(http_if_match(&f->req, &f->ctx, &f->resp, cur), 1);
    char other[HTTP_ETAG_LEN];
    http_etag_from_version("v2", other);
    u_map_put(f->req.map_header, "If-Match", other);
    assert_int_equal(http_if_match(&f->req, &f->ctx, &f->resp, cur), 0);
    assert_problem(f, 412, "precondition_failed", NULL, NULL);

    reset_response(f);
    http_set_etag(&f->resp, cur);
    assert_string_equal(u_map_get_case(f->resp.map_header, "ETag"), cur);
}

/* ---- idempotency ------------------------------------------------------- */

static void test_idempotency_hash(void **state)
{
    (void)state;
    char a[HTTP_IDEMPOTENCY_HASH_LEN + 1];
    char b[HTTP_IDEMPOTENCY_HASH_LEN + 1];
    static const char body[] = "{\"first_name\":\"Gerrit\"}";
    static const char other[] = "{\"first_name\":\"Gerard\"}";
    assert_int_equal(http_idempotency_hash("POST", "/api/v1/users", body, strlen(body), a),
                     PORTAL_OK);
    assert_int_equal(http_idempotency_hash("POST", "/api/v1/users", body, strlen(body), b),
                     PORTAL_OK);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    /* the documented framing: SHA-256 of method NUL path NUL body */
    unsigned char framed[] = "POST\0/x\0{}";
    char expect[CRYPTO_SHA256_HEX_LEN + 1];
    unsigned char digest[CRYPTO_SHA256_LEN];
    crypto_sha256(framed, sizeof framed - 1, digest);
    crypto_hex_encode(digest, sizeof digest, expect);
    assert_int_equal(http_idempotency_hash("POST", "/x", "{}", 2, a), PORTAL_OK);
    assert_string_equal(a, expect);

    /* a different body, path or method gives a different hash */
    assert_int_equal(http_idempotency_hash("POST", "/api/v1/users", body, strlen(body), a),
                     PORTAL_OK);
    assert_int_equal(http_idempotency_hash("POST", "/api/v1/users", other, strlen(other), b),
                     PORTAL_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(http_idempotency_hash("POST", "/api/v1/schemes", body, strlen(body), b),
                     PORTAL_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(http_idempotency_hash("PUT", "/api/v1/users", body, strlen(body), b),
                     PORTAL_OK);
    assert_string_not_equal(a, b);
    /* no ambiguity where path ends and body begins */
    assert_int_equal(http_idempotency_hash("POST", "/a", "bc", 2, a), PORTAL_OK);
    assert_int_equal(http_idempotency_hash("POST", "/ab", "c", 1, b), PORTAL_OK);
    assert_string_not_equal(a, b);
    /* an empty body, given as NULL or as zero bytes, is the same */
    assert_int_equal(http_idempotency_hash("POST", "/a", NULL, 0, a), PORTAL_OK);
    assert_int_equal(http_idempotency_hash("POST", "/a", "", 0, b), PORTAL_OK);
    assert_string_equal(a, b);
}

static void test_idempotency_scope_and_header(void **state)
{
    fixture *f = *state;
    char scope[HTTP_IDEMPOTENCY_CALLER_LEN];
    assert_int_equal(http_idempotency_scope(&f->ctx, scope, sizeof scope), PORTAL_OK);
    assert_string_equal(scope, "anon:192.0.2.7");
    f->ctx.caller.kind = CALLER_SESSION;
    snprintf(f->ctx.caller.user_id, PORTAL_ID_LEN, "0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11");
    assert_int_equal(http_idempotency_scope(&f->ctx, scope, sizeof scope), PORTAL_OK);
    assert_string_equal(scope, "user:0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11");
    f->ctx.caller.kind = CALLER_API_TOKEN;
    snprintf(f->ctx.caller.token_id, PORTAL_ID_LEN, "9f0e8d7c-6b5a-4948-8372-615049382716");
    assert_int_equal(http_idempotency_scope(&f->ctx, scope, sizeof scope), PORTAL_OK);
    assert_string_equal(scope, "token:9f0e8d7c-6b5a-4948-8372-615049382716");
    char tiny[8];
    assert_int_equal(http_idempotency_scope(&f->ctx, tiny, sizeof tiny), PORTAL_ERR_TOO_LARGE);
    assert_string_equal(tiny, "");

    /* no header: go ahead, the database is not touched */
    http_idempotency idem;
    assert_int_equal(http_idempotency_begin(&f->ctx, &f->req, &f->resp, NULL, &idem), 1);
    assert_int_equal(idem.status, HTTP_IDEMPOTENCY_NONE);
    assert_int_equal(http_idempotency_finish(&idem, NULL, 201, "{}", NULL), PORTAL_OK);

    /* malformed keys: 400 on the header, before any database work */
    char long_key[HTTP_IDEMPOTENCY_KEY_MAX + 2];
    memset(long_key, 'k', sizeof long_key - 1);
    long_key[sizeof long_key - 1] = '\0';
    static const struct {
        const char *key;
        const char *code;
    } bad[] = {{"", "required"},
               {NULL, "too_long"},
               {"abc\x01", "invalid_format"},
               {"tab\there", "invalid_format"},
               {"caf\xC3\xA9", "invalid_format"},
               {"del\x7f", "invalid_format"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reset_response(f);
        u_map_put(f->req.map_header, "Idempotency-Key", bad[i].key ? bad[i].key : long_key);
        assert_int_equal(http_idempotency_begin(&f->ctx, &f->req, &f->resp, NULL, &idem), 0);
        assert_int_equal(idem.status, HTTP_IDEMPOTENCY_REFUSED);
        assert_problem(f, 400, "invalid_request", "Idempotency-Key", bad[i].code);
    }
    /* 255 characters is the longest key: accepted by the header check; with
     * no database to claim it in, the answer is 500 */
    long_key[HTTP_IDEMPOTENCY_KEY_MAX] = '\0';
    reset_response(f);
    u_map_put(f->req.map_header, "Idempotency-Key", long_key);
    assert_int_equal(http_idempotency_begin(&f->ctx, &f->req, &f->resp, NULL, &idem), 0);
    assert_int_equal(f->resp.status, 500);
    assert_string_equal(idem.key, long_key);
    assert_string_equal(idem.caller, "token:9f0e8d7c-6b5a-4948-8372-615049382716");
}

/* ---- audit ------------------------------------------------------------- */

static void test_audit_secret_names(void **state)
{
    (void)state;
    static const char *const secret[] = {
        "password",     "Password",      "password_hash",  "token",         "secret",
        "code",         "totp_secret",   "recovery_codes", "recovery_code", "bsn",
        "BSN",          "refresh_token", "mfa_token",      "code_hash",     "token_hash",
        "new_password", "partner_bsn",   "api_secret"};
    static const char *const plain[] = {"email",  "postal_code", "username",  "first_name",
                                        "codes",  "tokens",      "hash",      "bsnx",
                                        "status", "hashes",      "_token_id", "",
                                        "rights", "token_id",    "passwords"};
    for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
        assert_true(audit_field_is_secret(secret[i]));
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        assert_false(audit_field_is_secret(plain[i]));
    assert_false(audit_field_is_secret(NULL));
}

static void test_audit_changes_redacted(void **state)
{
    (void)state;
    json_t *changes = json_object();
    assert_int_equal(audit_change_str(changes, "email", "a@example.nl", "b@example.nl"), PORTAL_OK);
    assert_int_equal(audit_change_str(changes, "password_hash", "$argon2id$old", "$argon2id$new"),
                     PORTAL_OK);
    assert_int_equal(audit_change_str(changes, "totp_secret", NULL, "JBSWY3DPEHPK3PXP"), PORTAL_OK);
    assert_int_equal(audit_change_str(changes, "first_name", "Gerrit", "Gerrit"), PORTAL_OK);
    json_t *from = json_pack("{s:s, s:s}", "surname", "Assob", "bsn", "123456782");
    json_t *to = json_pack("{s:s, s:s, s:[s]}", "surname", "Assob", "bsn", "111222333",
                           "recovery_codes", "abcd-efgh");
    assert_int_equal(audit_change(changes, "person", from, to), PORTAL_OK);
    json_t *codes = json_pack("[s, s]", "c1", "c2");
    assert_int_equal(audit_change(changes, "recovery_codes", NULL, codes), PORTAL_OK);
    assert_int_equal(audit_change(changes, "status", NULL, NULL), PORTAL_OK);
    json_t *rights = json_pack("[s]", "hr");
    assert_int_equal(audit_change(changes, "rights", NULL, rights), PORTAL_OK);

    json_t *expect =
        json_loads("{\"email\":{\"from\":\"a@example.nl\",\"to\":\"b@example.nl\"},"
                   " \"password_hash\":{\"from\":\"[redacted]\",\"to\":\"[redacted]\"},"
                   " \"totp_secret\":{\"from\":null,\"to\":\"[redacted]\"},"
                   " \"person\":{\"from\":{\"surname\":\"Assob\",\"bsn\":\"[redacted]\"},"
                   "             \"to\":{\"surname\":\"Assob\",\"bsn\":\"[redacted]\","
                   "                     \"recovery_codes\":\"[redacted]\"}},"
                   " \"recovery_codes\":{\"from\":null,\"to\":\"[redacted]\"},"
                   " \"rights\":{\"from\":null,\"to\":[\"hr\"]}}",
                   0, NULL);
    assert_non_null(expect);
    assert_true(json_equal(changes, expect));

    /* no secret text anywhere in the serialised form */
    char *text = json_dumps(changes, JSON_COMPACT);
    assert_null(strstr(text, "argon2"));
    assert_null(strstr(text, "JBSWY3"));
    assert_null(strstr(text, "123456782"));
    assert_null(strstr(text, "abcd-efgh"));
    assert_null(strstr(text, "c1"));
    free(text);

    /* redaction is idempotent, so audit_record's second pass keeps the shape */
    json_t *again = audit_redact(changes);
    assert_true(json_equal(again, changes));
    json_decref(again);

    /* a changes object built by hand is redacted too */
    json_t *raw = json_pack("{s:s, s:{s:s, s:n}, s:[{s:s}]}", "token", "tok_secret", "user", "code",
                            "123456", "bsn", "list", "secret", "s3");
    json_t *safe = audit_redact(raw);
    json_t *safe_expect = json_pack("{s:s, s:{s:s, s:n}, s:[{s:s}]}", "token", "[redacted]", "user",
                                    "code", "[redacted]", "bsn", "list", "secret", "[redacted]");
    assert_true(json_equal(safe, safe_expect));
    json_decref(raw);
    json_decref(safe);
    json_decref(safe_expect);

    /* refusals */
    assert_int_equal(audit_change(NULL, "x", NULL, codes), PORTAL_ERR_INVALID);
    assert_int_equal(audit_change(changes, "", NULL, codes), PORTAL_ERR_INVALID);
    assert_int_equal(audit_change(codes, "x", NULL, codes), PORTAL_ERR_INVALID);

    json_decref(expect);
    json_decref(rights);
    json_decref(codes);
    json_decref(from);
    json_decref(to);
    json_decref(changes);
}

static void test_audit_entry_from_ctx(void **state)
{
    fixture *f = *state;
    audit_entry e;
    audit_entry_from_ctx(&f->ctx, &e);
    assert_null(e.actor_user_id);
    assert_null(e.actor_token_id);
    assert_null(e.organisation_id);
    assert_string_equal(e.actor_label, "anonymous");
    assert_string_equal(e.request_id, "test-request");
    assert_string_equal(e.client_address, "192.0.2.7");
    assert_null(e.action);
    assert_null(e.changes);

    portal_caller *c = &f->ctx.caller;
    c->kind = CALLER_SESSION;
    snprintf(c->user_id, PORTAL_ID_LEN, "0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a11");
    snprintf(c->organisation_id, PORTAL_ID_LEN, "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d");
    audit_entry_from_ctx(&f->ctx, &e);
    assert_string_equal(e.actor_user_id, c->user_id);
    assert_null(e.actor_token_id);
    assert_string_equal(e.organisation_id, c->organisation_id);
    assert_string_equal(e.actor_label, "user");

    c->n_rights = 1;
    snprintf(c->rights[0], CALLER_RIGHT_LEN, "staff");
    audit_entry_from_ctx(&f->ctx, &e);
    assert_string_equal(e.actor_label, "staff");

    c->kind = CALLER_API_TOKEN;
    snprintf(c->token_id, PORTAL_ID_LEN, "9f0e8d7c-6b5a-4948-8372-615049382716");
    audit_entry_from_ctx(&f->ctx, &e);
    assert_string_equal(e.actor_token_id, c->token_id);
    assert_string_equal(e.actor_user_id, c->user_id);
    assert_string_equal(e.actor_label, "api_token");
}

static void test_audit_record_refuses_before_sql(void **state)
{
    (void)state;
    /* These are refused before any statement runs, so no connection is
     * needed (db is never touched). */
    audit_entry e;
    memset(&e, 0, sizeof e);
    assert_int_equal(audit_record(NULL, &e), PORTAL_ERR_INVALID); /* no action */
    e.action = "user.created";
    e.actor_user_id = "not-a-uuid";
    assert_int_equal(audit_record(NULL, &e), PORTAL_ERR_INVALID);
    e.actor_user_id = "0b7c3e9e-6c55-4a7e-9d5b-1f1f3c0e2a1";
    assert_int_equal(audit_record(NULL, &e), PORTAL_ERR_INVALID);
    e.actor_user_id = "";
    e.organisation_id = "0b7c3e9e_6c55-4a7e-9d5b-1f1f3c0e2a11";
    assert_int_equal(audit_record(NULL, &e), PORTAL_ERR_INVALID);
    e.organisation_id = NULL;
    json_t *arr = json_array();
    e.changes = arr;
    assert_int_equal(audit_record(NULL, &e), PORTAL_ERR_INVALID);
    json_decref(arr);
    e.changes = NULL;
    char long_text[AUDIT_MAX_TEXT + 2];
    memset(long_text, 't', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    e.target_id = long_text;
    assert_int_equal(audit_record(NULL, &e), PORTAL_ERR_TOO_LARGE);
}

int main(void)
{
    http_cursor_set_key(TEST_CURSOR_KEY);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cursor_round_trip),
        cmocka_unit_test(test_cursor_signed),
        cmocka_unit_test(test_cursor_key_shapes),
        cmocka_unit_test(test_cursor_encode_refuses),
        cmocka_unit_test(test_cursor_encode_text_as_json),
        cmocka_unit_test(test_cursor_tag_mismatch),
        cmocka_unit_test(test_cursor_tampered),
        cmocka_unit_test(test_cursor_size_cap),
        cmocka_unit_test_setup_teardown(test_limit_parsing, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_page_cursor_param, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_page_send, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_query_values, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sort_param, fixture_setup, fixture_teardown),
        cmocka_unit_test(test_etag_from_version),
        cmocka_unit_test(test_if_match_rules),
        cmocka_unit_test_setup_teardown(test_if_match_http, fixture_setup, fixture_teardown),
        cmocka_unit_test(test_idempotency_hash),
        cmocka_unit_test_setup_teardown(test_idempotency_scope_and_header, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test(test_audit_secret_names),
        cmocka_unit_test(test_audit_changes_redacted),
        cmocka_unit_test_setup_teardown(test_audit_entry_from_ctx, fixture_setup, fixture_teardown),
        cmocka_unit_test(test_audit_record_refuses_before_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
