/* Unit tests for auth/recovery: generation and normalization of recovery
 * codes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "auth/recovery.h"
#include "base/crypto.h"

static const char ALPHABET[] = "0123456789abcdefghjkmnpqrstvwxyz";

static void test_generate(void **state)
{
    (void)state;
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    assert_int_equal(recovery_generate(codes), PORTAL_OK);
    assert_int_equal(RECOVERY_CODE_COUNT, 10);
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
        /* xxxxx-xxxxx from the unambiguous alphabet */
        assert_int_equal(strlen(codes[i]), 11);
        assert_int_equal(codes[i][5], '-');
        assert_int_equal(strspn(codes[i], ALPHABET), 5);
        assert_int_equal(strspn(codes[i] + 6, ALPHABET), 5);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(codes[i], codes[j]);
    }
    /* a second set shares nothing with the first */
    char again[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    assert_int_equal(recovery_generate(again), PORTAL_OK);
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
        for (int j = 0; j < RECOVERY_CODE_COUNT; j++)
            assert_string_not_equal(codes[i], again[j]);
}

static void test_round_trip(void **state)
{
    (void)state;
    char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
    assert_int_equal(recovery_generate(codes), PORTAL_OK);
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
        char stored[CRYPTO_SHA256_HEX_LEN + 1];
        assert_int_equal(recovery_hash(codes[i], stored), PORTAL_OK);

        /* what a user might type: upper case, spaces, no dash */
        char typed[32];
        size_t n = 0;
        for (const char *p = codes[i]; *p; p++) {
            if (*p == '-') {
                typed[n++] = ' ';
                continue;
            }
            typed[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
        }
        typed[n] = '\0';
        char from_typed[CRYPTO_SHA256_HEX_LEN + 1];
        assert_int_equal(recovery_hash(typed, from_typed), PORTAL_OK);
        assert_string_equal(stored, from_typed);

        char normalized[RECOVERY_NORMALIZED_SIZE];
        assert_int_equal(recovery_normalize(typed, normalized, sizeof normalized), PORTAL_OK);
        char expect[CRYPTO_SHA256_HEX_LEN + 1];
        crypto_sha256_hex(normalized, expect);
        assert_string_equal(stored, expect);
    }
}

static void test_normalize(void **state)
{
    (void)state;
    char out[RECOVERY_NORMALIZED_SIZE];
    assert_int_equal(recovery_normalize("ABCDE-FGHJK", out, sizeof out), PORTAL_OK);
    assert_string_equal(out, "abcdefghjk");
    assert_int_equal(recovery_normalize(" 2345 6-789  0a ", out, sizeof out), PORTAL_OK);
    assert_string_equal(out, "234567890a");
    /* letters people confuse with digits read as those digits */
    assert_int_equal(recovery_normalize("OoIiL-lxyz9", out, sizeof out), PORTAL_OK);
    assert_string_equal(out, "001111xyz9");

    const char *bad[] = {
        "",           "abcde-fghj", "abcde-fghjkm", "abcde-fghj!", "abcde-fghju", "abcde_fghjk",
        "ábcde-fghjk"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(recovery_normalize(bad[i], out, sizeof out), PORTAL_ERR_INVALID);
        assert_string_equal(out, "");
    }
    char small[RECOVERY_NORMALIZED_SIZE - 1];
    assert_int_equal(recovery_normalize("abcde-fghjk", small, sizeof small), PORTAL_ERR_TOO_LARGE);
    char stored[CRYPTO_SHA256_HEX_LEN + 1];
    assert_int_equal(recovery_hash("nope", stored), PORTAL_ERR_INVALID);
    assert_string_equal(stored, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
