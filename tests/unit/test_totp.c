/* Unit tests for auth/totp: RFC 6238 vectors, the window, replay refusal and
 * the provisioning URI. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "auth/totp.h"

/* RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" in base32. */
static const char RFC_SECRET[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static void test_rfc6238_vectors(void **state)
{
    (void)state;
    /* The RFC lists 8 digits; 6-digit codes are the same value mod 10^6. */
    static const struct {
        time_t t;
        const char *code;
    } vectors[] = {
        {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
        {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char code[8];
        assert_int_equal(totp_generate(RFC_SECRET, vectors[i].t, code, sizeof code), PORTAL_OK);
        assert_string_equal(code, vectors[i].code);

        long long counter = -7;
        assert_int_equal(
            totp_verify(RFC_SECRET, vectors[i].code, vectors[i].t, TOTP_NO_COUNTER, &counter),
            PORTAL_OK);
        assert_int_equal(counter, (long long)(vectors[i].t / 30));
    }
}

static void test_window(void **state)
{
    (void)state;
    long long counter = -7;
    /* the code of step 1 (t = 30..59) */
    assert_int_equal(totp_verify(RFC_SECRET, "287082", 45, TOTP_NO_COUNTER, &counter), PORTAL_OK);
    assert_int_equal(counter, 1);
    /* one step late: accepted, and the matched step is reported */
    counter = -7;
    assert_int_equal(totp_verify(RFC_SECRET, "287082", 60 + 29, TOTP_NO_COUNTER, &counter),
                     PORTAL_OK);
    assert_int_equal(counter, 1);
    /* two steps late: refused */
    counter = -7;
    assert_int_equal(totp_verify(RFC_SECRET, "287082", 90, TOTP_NO_COUNTER, &counter),
                     PORTAL_ERR_DENIED);
    assert_int_equal(counter, -7);
    /* one step early (a code from the future): refused */
    assert_int_equal(totp_verify(RFC_SECRET, "287082", 29, TOTP_NO_COUNTER, &counter),
                     PORTAL_ERR_DENIED);
    /* a wrong code */
    assert_int_equal(totp_verify(RFC_SECRET, "287083", 45, TOTP_NO_COUNTER, &counter),
                     PORTAL_ERR_DENIED);
    assert_int_equal(counter, -7);
}

static void test_replay(void **state)
{
    (void)state;
    char step1[8];
    char step2[8];
    assert_int_equal(totp_generate(RFC_SECRET, 1111111109, step1, sizeof step1), PORTAL_OK);
    assert_int_equal(totp_generate(RFC_SECRET, 1111111109 + 30, step2, sizeof step2), PORTAL_OK);
    long long s1 = 1111111109 / 30;

    long long last = -7;
    assert_int_equal(totp_verify(RFC_SECRET, step1, 1111111109, TOTP_NO_COUNTER, &last), PORTAL_OK);
    assert_int_equal(last, s1);
    /* the same code again, same step or the next: a replay */
    long long again = -7;
    assert_int_equal(totp_verify(RFC_SECRET, step1, 1111111109, last, &again), PORTAL_ERR_CONFLICT);
    assert_int_equal(totp_verify(RFC_SECRET, step1, 1111111109 + 30, last, &again),
                     PORTAL_ERR_CONFLICT);
    assert_int_equal(again, -7);
    /* the next step's code is fine */
    assert_int_equal(totp_verify(RFC_SECRET, step2, 1111111109 + 30, last, &again), PORTAL_OK);
    assert_int_equal(again, s1 + 1);
    /* and after it, the older (still in-window) code is a replay */
    assert_int_equal(totp_verify(RFC_SECRET, step1, 1111111109 + 30, again, &last),
                     PORTAL_ERR_CONFLICT);
}

static void test_malformed_codes(void **state)
{
    (void)state;
    long long counter = -7;
    const char *bad[] = {"",        "28708",   "2870821",  "28708a",      "abcdef",
                         "287-082", "+287082", "287082 0", "２８７０８２"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(totp_verify(RFC_SECRET, bad[i], 59, TOTP_NO_COUNTER, &counter),
                         PORTAL_ERR_DENIED);
    assert_int_equal(totp_verify(RFC_SECRET, NULL, 59, TOTP_NO_COUNTER, &counter),
                     PORTAL_ERR_DENIED);
    /* spaces, as some apps show "287 082", are ignored */
    assert_int_equal(totp_verify(RFC_SECRET, " 287 082 ", 59, TOTP_NO_COUNTER, &counter),
                     PORTAL_OK);
    /* a broken stored secret is not the user's fault */
    assert_int_equal(totp_verify("NOT*BASE32", "287082", 59, TOTP_NO_COUNTER, &counter),
                     PORTAL_ERR_INVALID);
    assert_int_equal(totp_verify("", "287082", 59, TOTP_NO_COUNTER, &counter), PORTAL_ERR_INVALID);
    assert_int_equal(totp_verify("GEZDGNBV", "287082", 59, TOTP_NO_COUNTER, &counter),
                     PORTAL_ERR_INVALID);
}

static void test_window_decide(void **state)
{
    (void)state;
    long long acc = -7;
    assert_int_equal(totp_window_decide(100, 100, TOTP_NO_COUNTER, &acc), PORTAL_OK);
    assert_int_equal(acc, 100);
    assert_int_equal(totp_window_decide(100, 99, 98, &acc), PORTAL_OK);
    assert_int_equal(acc, 99);
    acc = -7;
    assert_int_equal(totp_window_decide(100, 98, TOTP_NO_COUNTER, &acc), PORTAL_ERR_DENIED);
    assert_int_equal(totp_window_decide(100, 101, TOTP_NO_COUNTER, &acc), PORTAL_ERR_DENIED);
    assert_int_equal(totp_window_decide(100, 100, 100, &acc), PORTAL_ERR_CONFLICT);
    assert_int_equal(totp_window_decide(100, 99, 100, &acc), PORTAL_ERR_CONFLICT);
    assert_int_equal(totp_window_decide(100, 99, 99, &acc), PORTAL_ERR_CONFLICT);
    assert_int_equal(acc, -7);
    assert_int_equal(totp_counter_at(59), 1);
    assert_int_equal(totp_counter_at(60), 2);
}

static void test_generate_secret(void **state)
{
    (void)state;
    char a[TOTP_SECRET_B32_SIZE];
    char b[TOTP_SECRET_B32_SIZE];
    assert_int_equal(totp_generate_secret(a, sizeof a), PORTAL_OK);
    assert_int_equal(totp_generate_secret(b, sizeof b), PORTAL_OK);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
    assert_string_not_equal(a, b);

    /* a fresh secret works end to end */
    char code[8];
    long long counter;
    assert_int_equal(totp_generate(a, 1700000000, code, sizeof code), PORTAL_OK);
    assert_int_equal(totp_verify(a, code, 1700000000, TOTP_NO_COUNTER, &counter), PORTAL_OK);

    char small[TOTP_SECRET_B32_SIZE - 1];
    assert_int_equal(totp_generate_secret(small, sizeof small), PORTAL_ERR_TOO_LARGE);
}

static void test_otpauth_uri(void **state)
{
    (void)state;
    char uri[TOTP_URI_SIZE];
    assert_int_equal(
        totp_otpauth_uri("Pensioen & Co", "jan.de.vries+1@example.nl", RFC_SECRET, uri, sizeof uri),
        PORTAL_OK);
    assert_string_equal(uri, "otpauth://totp/Pensioen%20%26%20Co:jan.de.vries%2B1%40example.nl"
                             "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Pensioen%20%26%20Co"
                             "&algorithm=SHA1&digits=6&period=30");

    assert_int_equal(totp_otpauth_uri("Zeeën:BV", "ö", RFC_SECRET, uri, sizeof uri), PORTAL_OK);
    assert_string_equal(uri, "otpauth://totp/Zee%C3%ABn%3ABV:%C3%B6?secret="
                             "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Zee%C3%ABn%3ABV"
                             "&algorithm=SHA1&digits=6&period=30");

    char small[40];
    assert_int_equal(totp_otpauth_uri("Portal", "jan", RFC_SECRET, small, sizeof small),
                     PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "");
    assert_int_equal(totp_otpauth_uri("", "jan", RFC_SECRET, uri, sizeof uri), PORTAL_ERR_INVALID);
    assert_int_equal(totp_otpauth_uri("Portal", "jan", "secret&x=1", uri, sizeof uri),
                     PORTAL_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_window),
        cmocka_unit_test(test_replay),          cmocka_unit_test(test_malformed_codes),
        cmocka_unit_test(test_window_decide),   cmocka_unit_test(test_generate_secret),
        cmocka_unit_test(test_otpauth_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
