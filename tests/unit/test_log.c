/* Unit tests for base/log: control characters in logged values are escaped
 * so that no value can write a line of its own. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/log.h"

static void check(const char *in, const char *expect)
{
    char out[256];
    size_t n = log_escape(in, out, sizeof out);
    if (strcmp(out, expect) != 0)
        fail_msg("log_escape(\"%s\"): got \"%s\", expected \"%s\"", in, out, expect);
    assert_int_equal(n, strlen(expect));
}

static void test_log_escape(void **state)
{
    (void)state;
    check("", "");
    check("event=request path=/api/v1/users", "event=request path=/api/v1/users");
    /* a newline cannot start a forged second event */
    check("error=\"bad\nevent=login_succeeded user=admin\"",
          "error=\"bad\\nevent=login_succeeded user=admin\"");
    check("a\r\nb", "a\\r\\nb");
    check("tab\there", "tab\\there");
    check("back\\slash", "back\\\\slash");
    check("\x01"
          "\x1b"
          "[31m"
          "\x7f",
          "\\x01\\x1b[31m\\x7f");
    /* UTF-8 passes unchanged */
    check("Ren\xC3\xA9"
          "e",
          "Ren\xC3\xA9"
          "e");
}

static void test_log_escape_bounds(void **state)
{
    (void)state;
    char out[6];
    /* never writes past out, and never half an escape */
    assert_int_equal(log_escape("abcdefgh", out, sizeof out), 5);
    assert_string_equal(out, "abcde");
    assert_int_equal(log_escape("abcd\n", out, sizeof out), 4);
    assert_string_equal(out, "abcd");
    assert_int_equal(log_escape("a\x01", out, sizeof out), 5);
    assert_string_equal(out, "a\\x01");
    assert_int_equal(log_escape(NULL, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(log_escape("x", out, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log_escape),
        cmocka_unit_test(test_log_escape_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
