/* tests/fuzz/fuzz_cursor.c: libFuzzer target for the signed pagination
 * cursors (http/pagination.h) under a fixed test key. The first byte
 * chooses the mode:
 *   even  the rest is cursor text, decoded under a few tags and key counts
 *         (nearly always refused at the check: the raw decoder's shape,
 *         length and base64url handling);
 *   odd   the rest is "tag NUL keys-JSON": the keys are encoded, and a
 *         cursor that comes out must decode under the same tag to equal
 *         keys and be refused under any other tag. The decoded keys also
 *         go through the shape checks and the store-key checks.
 * Also flips one byte of every cursor made, which must then be refused. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/pagination.h"
#include "http/participant_query.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char TEST_KEY[HTTP_CURSOR_KEY_LEN] = "fuzz-cursor-key-0123456789abcdef";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    http_cursor_set_key(TEST_KEY);
    return 0;
}

static const char *const SHAPES[] = {"s", "u", "i", "n", "su", "us", "iu", "nu", "ss", "sui"};

/* The checks a list applies to decoded keys before they reach SQL. */
static void fuzz_keys(const json_t *keys)
{
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++)
        (void)http_cursor_keys_shaped(keys, SHAPES[i]);
    size_t i;
    const json_t *v;
    json_array_foreach(keys, i, v)
    {
        const char *s = json_string_value(v);
        (void)pquery_key_is_date(s);
        (void)pquery_key_is_timestamp(s);
        (void)pquery_key_is_digits(s);
    }
}

static void fuzz_raw(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return;
    memcpy(text, data, size);
    text[size] = '\0';
    static const char *const tags[] = {"participants:-salary", "changes:registered_at", "x"};
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        for (size_t n = 0; n < 3; n++) {
            json_t *keys = NULL;
            portal_result rc = http_cursor_decode(text, tags[t], n, &keys);
            if ((rc == PORTAL_OK) != (keys != NULL))
                __builtin_trap();
            fuzz_keys(keys);
            json_decref(keys);
        }
    }
    free(text);
}

static void fuzz_round_trip(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    if (!nul || (size_t)(nul - data) > HTTP_CURSOR_TAG_MAX + 8)
        return;
    char tag[HTTP_CURSOR_TAG_MAX + 16];
    size_t tag_len = (size_t)(nul - data);
    memcpy(tag, data, tag_len);
    tag[tag_len] = '\0';
    const char *json = (const char *)nul + 1;
    size_t json_len = size - tag_len - 1;
    json_t *keys = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, NULL);
    char *cursor = http_cursor_encode(tag, keys);
    /* The text form must agree with the value form. */
    char *keys_text = json_is_array(keys) ? json_dumps(keys, JSON_COMPACT) : NULL;
    char *cursor2 = keys_text ? http_cursor_encode_text(tag, keys_text) : NULL;
    if (cursor && keys_text && (!cursor2 || strcmp(cursor, cursor2) != 0))
        __builtin_trap();
    if (cursor) {
        if (strlen(cursor) > HTTP_CURSOR_MAX_LEN)
            __builtin_trap();
        json_t *back = NULL;
        if (http_cursor_decode(cursor, tag, json_array_size(keys), &back) != PORTAL_OK ||
            !json_equal(back, keys))
            __builtin_trap();
        fuzz_keys(back);
        json_decref(back);
        json_t *none = NULL;
        if (http_cursor_decode(cursor, "another:tag", 0, &none) == PORTAL_OK &&
            strcmp(tag, "another:tag") != 0)
            __builtin_trap();
        json_decref(none);
        none = NULL;
        /* A changed character of a signed cursor is refused (the last
         * character may carry unused bits, so it is left alone). */
        size_t len = strlen(cursor);
        if (len > 1) {
            size_t at = (size_t)data[0] % (len - 1);
            cursor[at] = cursor[at] == 'A' ? 'B' : 'A';
            if (http_cursor_decode(cursor, tag, 0, &none) == PORTAL_OK)
                __builtin_trap();
        }
    }
    free(cursor);
    free(cursor2);
    free(keys_text);
    json_decref(keys);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4 * HTTP_CURSOR_MAX_LEN)
        return 0;
    int mode = data[0] & 1;
    data++;
    size--;
    if (mode == 0)
        fuzz_raw(data, size);
    else
        fuzz_round_trip(data, size);
    return 0;
}
