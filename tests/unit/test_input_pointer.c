/* Regression tests from fuzzing the JSON body readers
 * (tests/fuzz/fuzz_json_inputs.c): a JSON Pointer built from a long
 * client-chosen key is cut before a character, never inside its UTF-8
 * sequence, so the field error still renders in the problem answer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <jansson.h>
#include <ulfius.h>

#include "http/input.h"

/* "a" followed by n copies of "é" (two bytes each) into out. */
static void odd_key(char *out, size_t n)
{
    out[0] = 'a';
    for (size_t i = 0; i < n; i++)
        memcpy(out + 1 + 2 * i, "\xc3\xa9", 2);
    out[1 + 2 * n] = '\0';
}

/* The pointer is a valid UTF-8 prefix of "/" + key. */
static void test_pointer_not_cut_inside_a_character(void **state)
{
    (void)state;
    char key[128];
    odd_key(key, 50);
    char pointer[80];
    input_pointer("", key, pointer, sizeof pointer);
    json_t *s = json_string(pointer); /* NULL for invalid UTF-8 */
    assert_non_null(s);
    json_decref(s);
    size_t len = strlen(pointer);
    assert_true(len >= 70 && len < sizeof pointer);
    assert_int_equal(pointer[0], '/');
    assert_memory_equal(pointer + 1, key, len - 1);
}

/* Short keys and escapes are unchanged. */
static void test_pointer_escapes_and_short_keys(void **state)
{
    (void)state;
    char pointer[80];
    input_pointer("/person", "a~b/c\xc3\xa9", pointer, sizeof pointer);
    assert_string_equal(pointer, "/person/a~0b~1c\xc3\xa9");
    input_pointer("", "bsn", pointer, sizeof pointer);
    assert_string_equal(pointer, "/bsn");
}

/* The field error of such a key appears in the rendered problem. */
static void test_problem_lists_the_long_key(void **state)
{
    (void)state;
    char key[128];
    odd_key(key, 50);
    input in;
    input_init(&in, "en");
    char pointer[80];
    input_pointer("", key, pointer, sizeof pointer);
    problem_add(&in.p, in.lang, pointer, "not_allowed", NULL);
    struct _u_response resp;
    assert_int_equal(ulfius_init_response(&resp), U_OK);
    input_send(&in, &resp, NULL);
    json_t *body = json_loadb(resp.binary_body, resp.binary_body_length, 0, NULL);
    assert_non_null(body);
    assert_int_equal(json_array_size(json_object_get(body, "errors")), 1);
    json_decref(body);
    ulfius_clean_response(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pointer_not_cut_inside_a_character),
        cmocka_unit_test(test_pointer_escapes_and_short_keys),
        cmocka_unit_test(test_problem_lists_the_long_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
