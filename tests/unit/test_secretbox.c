/* Unit tests for auth/secretbox (AES-256-GCM sealing of secrets at rest) and
 * the sealed TOTP secrets built on it: round trips, tamper detection, the
 * wrong key or context, the text format, the key file and legacy plaintext. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/secretbox.h"
#include "auth/totp.h"

static const unsigned char KEY[SECRETBOX_KEY_LEN] = {
    1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
static const char PLAIN[] = "twenty bytes of key!";
static const char CONTEXT[] = "totp:7d5f8a0e-3c2b-4e61-9a4f-2b8c1d6e9f03";
/* RFC 6238's seed in base32. */
static const char SECRET[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static void test_round_trip(void **state)
{
    (void)state;
    char sealed[SECRETBOX_SEALED_SIZE(sizeof PLAIN)];
    assert_int_equal(secretbox_seal_with(KEY, PLAIN, strlen(PLAIN), CONTEXT, sealed, sizeof sealed),
                     PORTAL_OK);
    /* "v1:" + 16 characters of nonce + ":" + 48 of ciphertext and tag */
    assert_true(secretbox_is_sealed(sealed));
    assert_int_equal(strlen(sealed), 3 + 16 + 1 + 48);
    assert_int_equal(sealed[19], ':');
    assert_null(strstr(sealed, "twenty"));

    unsigned char out[64];
    size_t len = 99;
    assert_int_equal(secretbox_open_with(KEY, sealed, CONTEXT, out, sizeof out, &len), PORTAL_OK);
    assert_int_equal(len, strlen(PLAIN));
    assert_memory_equal(out, PLAIN, len);

    /* A fresh nonce every time: sealing again gives other text. */
    char again[sizeof sealed];
    assert_int_equal(secretbox_seal_with(KEY, PLAIN, strlen(PLAIN), CONTEXT, again, sizeof again),
                     PORTAL_OK);
    assert_string_not_equal(sealed, again);

    /* The empty plaintext seals and opens too. */
    assert_int_equal(secretbox_seal_with(KEY, "", 0, CONTEXT, again, sizeof again), PORTAL_OK);
    assert_int_equal(secretbox_open_with(KEY, again, CONTEXT, out, sizeof out, &len), PORTAL_OK);
    assert_int_equal(len, 0);
}

static void test_tampering_is_detected(void **state)
{
    (void)state;
    char sealed[SECRETBOX_SEALED_SIZE(sizeof PLAIN)];
    assert_int_equal(secretbox_seal_with(KEY, PLAIN, strlen(PLAIN), CONTEXT, sealed, sizeof sealed),
                     PORTAL_OK);
    unsigned char out[64];
    size_t len = 0;
    /* every character of nonce, ciphertext and tag matters */
    for (size_t i = 3; i < strlen(sealed); i++) {
        if (sealed[i] == ':')
            continue;
        char copy[sizeof sealed];
        memcpy(copy, sealed, sizeof sealed);
        copy[i] = copy[i] == 'A' ? 'B' : 'A';
        portal_result rc = secretbox_open_with(KEY, copy, CONTEXT, out, sizeof out, &len);
        assert_true(rc == PORTAL_ERR_DENIED || rc == PORTAL_ERR_INVALID);
        assert_int_equal(len, 0);
    }
    /* cut short, or lengthened */
    char cut[sizeof sealed];
    memcpy(cut, sealed, sizeof sealed);
    cut[strlen(cut) - 4] = '\0';
    assert_int_not_equal(secretbox_open_with(KEY, cut, CONTEXT, out, sizeof out, &len), PORTAL_OK);
    char longer[sizeof sealed + 8];
    snprintf(longer, sizeof longer, "%sAAAA", sealed);
    assert_int_not_equal(secretbox_open_with(KEY, longer, CONTEXT, out, sizeof out, &len),
                         PORTAL_OK);
    /* another context (another user's row) */
    assert_int_equal(secretbox_open_with(KEY, sealed, "totp:someone-else", out, sizeof out, &len),
                     PORTAL_ERR_DENIED);
}

static void test_wrong_key(void **state)
{
    (void)state;
    char sealed[SECRETBOX_SEALED_SIZE(sizeof PLAIN)];
    assert_int_equal(secretbox_seal_with(KEY, PLAIN, strlen(PLAIN), CONTEXT, sealed, sizeof sealed),
                     PORTAL_OK);
    unsigned char other[SECRETBOX_KEY_LEN];
    memcpy(other, KEY, sizeof other);
    other[31] ^= 1;
    unsigned char out[64];
    memset(out, 'x', sizeof out);
    size_t len = 7;
    assert_int_equal(secretbox_open_with(other, sealed, CONTEXT, out, sizeof out, &len),
                     PORTAL_ERR_DENIED);
    assert_int_equal(len, 0);
    for (size_t i = 0; i < sizeof out; i++) /* nothing of a guess is left behind */
        assert_int_equal(out[i], 0);
}

static void test_format_and_sizes(void **state)
{
    (void)state;
    unsigned char out[64];
    size_t len;
    static const char *const bad[] = {
        "",
        "JBSWY3DPEHPK3PXP",
        "v2:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==",
        "v1:",
        "v1:AAAAAAAAAAAAAAAA",
        "v1:AAAAAAAAAAAAAAAA:",
        "v1:AAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA==",     /* a 9-byte nonce */
        "v1:AAAAAAAAAAAAAAAA:AAAA",                     /* shorter than a tag */
        "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAA*==", /* not base64 */
        "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAA",  /* not a multiple of 4 */
        "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAA=AAAA", /* padding inside */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(secretbox_open_with(KEY, bad[i], CONTEXT, out, sizeof out, &len),
                         PORTAL_ERR_INVALID);

    char small[SECRETBOX_SEALED_SIZE(20) - 1];
    assert_int_equal(secretbox_seal_with(KEY, PLAIN, 20, CONTEXT, small, sizeof small),
                     PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "");
    char sealed[SECRETBOX_SEALED_SIZE(20)];
    assert_int_equal(secretbox_seal_with(KEY, PLAIN, 20, CONTEXT, sealed, sizeof sealed),
                     PORTAL_OK);
    assert_int_equal(strlen(sealed) + 1, sizeof sealed);
    assert_int_equal(secretbox_open_with(KEY, sealed, CONTEXT, out, 19, &len),
                     PORTAL_ERR_TOO_LARGE);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_key_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/secretbox-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/data-key", dir);

    /* production: a missing file is an error, nothing is created */
    assert_int_equal(secretbox_load_key_file(path, 0), PORTAL_ERR_IO);
    assert_int_equal(access(path, F_OK), -1);

    /* development: created with mode 0600, and loaded again as it is */
    assert_int_equal(secretbox_load_key_file(path, 1), PORTAL_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char sealed[SECRETBOX_SEALED_SIZE(sizeof PLAIN)];
    assert_int_equal(secretbox_seal(PLAIN, strlen(PLAIN), CONTEXT, sealed, sizeof sealed),
                     PORTAL_OK);
    assert_int_equal(secretbox_load_key_file(path, 1), PORTAL_OK);
    unsigned char out[64];
    size_t len;
    assert_int_equal(secretbox_open(sealed, CONTEXT, out, sizeof out, &len), PORTAL_OK);

    /* the base64 of 32 bytes (openssl rand -base64 32), white space allowed */
    write_file(path, "  AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=\n\n");
    assert_int_equal(secretbox_load_key_file(path, 0), PORTAL_OK);
    assert_int_equal(secretbox_seal(PLAIN, strlen(PLAIN), CONTEXT, sealed, sizeof sealed),
                     PORTAL_OK);
    assert_int_equal(secretbox_open_with(KEY, sealed, CONTEXT, out, sizeof out, &len), PORTAL_OK);

    /* 31 bytes, 33 bytes, raw bytes, or nothing: refused */
    static const char *const wrong[] = {"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==",
                                        "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh",
                                        "0123456789abcdef0123456789abcdef", ""};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        write_file(path, wrong[i]);
        assert_int_equal(secretbox_load_key_file(path, 1), PORTAL_ERR_INVALID);
    }
    unlink(path);
    rmdir(dir);

    /* without a key nothing is sealed or opened */
    secretbox_clear_key();
    assert_int_equal(secretbox_seal(PLAIN, strlen(PLAIN), CONTEXT, sealed, sizeof sealed),
                     PORTAL_ERR_CRYPTO);
    assert_string_equal(sealed, "");
}

static void test_totp_secrets_at_rest(void **state)
{
    (void)state;
    secretbox_set_key(KEY);
    const char *user = "7d5f8a0e-3c2b-4e61-9a4f-2b8c1d6e9f03";
    char stored[TOTP_STORED_SIZE], back[TOTP_STORED_SIZE];
    assert_int_equal(totp_seal_secret(user, SECRET, stored, sizeof stored), PORTAL_OK);
    assert_true(secretbox_is_sealed(stored));
    assert_null(strstr(stored, SECRET));
    assert_int_equal(totp_open_secret(user, stored, back, sizeof back), PORTAL_OK);
    assert_string_equal(back, SECRET);

    /* a sealed secret verifies codes like the plain one (RFC 6238, t = 59) */
    long long counter = 0;
    assert_int_equal(totp_verify_stored(user, stored, "287082", 59, TOTP_NO_COUNTER, &counter),
                     PORTAL_OK);
    assert_int_equal(counter, 1);
    /* ... but not for another user (a copied row), nor under another key */
    assert_int_equal(totp_open_secret("someone-else", stored, back, sizeof back),
                     PORTAL_ERR_DENIED);
    assert_string_equal(back, "");
    assert_int_equal(
        totp_verify_stored("someone-else", stored, "287082", 59, TOTP_NO_COUNTER, &counter),
        PORTAL_ERR_CRYPTO);

    /* a legacy plaintext secret keeps working and is sealed by a reseal */
    assert_int_equal(totp_open_secret(user, SECRET, back, sizeof back), PORTAL_OK);
    assert_string_equal(back, SECRET);
    assert_int_equal(totp_verify_stored(user, SECRET, "287082", 59, TOTP_NO_COUNTER, &counter),
                     PORTAL_OK);
    assert_int_equal(totp_reseal_secret(user, SECRET, stored, sizeof stored), PORTAL_OK);
    assert_true(secretbox_is_sealed(stored));
    assert_int_equal(totp_open_secret(user, stored, back, sizeof back), PORTAL_OK);
    assert_string_equal(back, SECRET);

    /* a freshly generated secret fits the stored size */
    char fresh[TOTP_SECRET_B32_SIZE];
    assert_int_equal(totp_generate_secret(fresh, sizeof fresh), PORTAL_OK);
    assert_int_equal(totp_seal_secret(user, fresh, stored, sizeof stored), PORTAL_OK);
    assert_true(strlen(stored) < TOTP_STORED_SIZE);

    unsigned char other[SECRETBOX_KEY_LEN] = {0};
    secretbox_set_key(other);
    assert_int_equal(totp_open_secret(user, stored, back, sizeof back), PORTAL_ERR_DENIED);
    secretbox_clear_key();
    assert_int_equal(totp_seal_secret(user, SECRET, stored, sizeof stored), PORTAL_ERR_CRYPTO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_tampering_is_detected),
        cmocka_unit_test(test_wrong_key),  cmocka_unit_test(test_format_and_sizes),
        cmocka_unit_test(test_key_file),   cmocka_unit_test(test_totp_secrets_at_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
