/* Unit tests for base/crypto: base64url, SHA-256, hex, random tokens and
 * constant-time comparison. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "base/crypto.h"

static void test_base64url_rfc4648_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10, without padding */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const encoded[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char out[16];
        size_t n = crypto_base64url_encode((const unsigned char *)plain[i], strlen(plain[i]), out,
                                           sizeof out);
        assert_int_equal(n, strlen(encoded[i]));
        assert_string_equal(out, encoded[i]);

        unsigned char back[16];
        long m = crypto_base64url_decode(encoded[i], strlen(encoded[i]), back, sizeof back);
        assert_int_equal(m, (long)strlen(plain[i]));
        assert_memory_equal(back, plain[i], strlen(plain[i]));
    }
}

static void test_base64url_alphabet(void **state)
{
    (void)state;
    /* the URL-safe characters: - and _ instead of + and / */
    const unsigned char data[] = {0xfb, 0xff, 0xbf};
    char out[8];
    assert_int_equal(crypto_base64url_encode(data, sizeof data, out, sizeof out), 4);
    assert_string_equal(out, "-_-_");
    unsigned char back[4];
    assert_int_equal(crypto_base64url_decode("-_-_", 4, back, sizeof back), 3);
    assert_memory_equal(back, data, 3);
    /* standard base64 characters and junk are refused */
    assert_int_equal(crypto_base64url_decode("+/+/", 4, back, sizeof back), -1);
    assert_int_equal(crypto_base64url_decode("Zm9v!", 5, back, sizeof back), -1);
    assert_int_equal(crypto_base64url_decode("Zm 9", 4, back, sizeof back), -1);
    /* a length of 4k+1 cannot be base64 */
    assert_int_equal(crypto_base64url_decode("Zm9vY", 5, back, sizeof back), -1);
    /* padding is optional */
    assert_int_equal(crypto_base64url_decode("Zg==", 4, back, sizeof back), 1);
    assert_int_equal(back[0], 'f');
}

static void test_base64url_round_trip(void **state)
{
    (void)state;
    unsigned char data[256];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(255 - i);
    for (size_t len = 0; len <= sizeof data; len++) {
        char text[400];
        unsigned char back[256];
        size_t n = crypto_base64url_encode(data, len, text, sizeof text);
        assert_int_equal(n, strlen(text));
        assert_int_equal(strcspn(text, "+/="), n);
        assert_int_equal(crypto_base64url_decode(text, n, back, sizeof back), (long)len);
        assert_memory_equal(back, data, len);
    }
}

static void test_base64url_buffer_limits(void **state)
{
    (void)state;
    char out[4];
    /* "foo" needs 4 characters and a NUL */
    assert_int_equal(crypto_base64url_encode((const unsigned char *)"foo", 3, out, sizeof out), 0);
    assert_string_equal(out, "");
    unsigned char back[2];
    assert_int_equal(crypto_base64url_decode("Zm9v", 4, back, sizeof back), -1);
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[CRYPTO_SHA256_HEX_LEN + 1];
    crypto_sha256_hex("abc", hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    crypto_sha256_hex("", hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    unsigned char digest[CRYPTO_SHA256_LEN];
    crypto_sha256("abc", 3, digest);
    assert_int_equal(digest[0], 0xba);
    assert_int_equal(digest[31], 0xad);
}

/* RFC 4231 test cases 1 and 2 as hex. */
static void hmac_hex(const char *key, size_t key_len, const char *data, char *hex)
{
    unsigned char mac[CRYPTO_SHA256_LEN];
    assert_int_equal(crypto_hmac_sha256(key, key_len, data, strlen(data), mac), PORTAL_OK);
    crypto_hex_encode(mac, sizeof mac, hex);
}

static const char HMAC_CASE1[] = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
static const char HMAC_CASE2[] = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

static void test_hmac_vectors(void **state)
{
    (void)state;
    char key1[20];
    memset(key1, 0x0b, sizeof key1);
    char hex[CRYPTO_SHA256_HEX_LEN + 1];
    /* The thread's context is used again with another key each time. */
    for (int i = 0; i < 3; i++) {
        hmac_hex(key1, sizeof key1, "Hi There", hex);
        assert_string_equal(hex, HMAC_CASE1);
        hmac_hex("Jefe", 4, "what do ya want for nothing?", hex);
        assert_string_equal(hex, HMAC_CASE2);
    }
}

/* Each thread gets a context of its own (freed when it ends: LeakSanitizer
 * checks that). */
static void *hmac_thread(void *arg)
{
    int *ok = arg;
    char hex[CRYPTO_SHA256_HEX_LEN + 1];
    *ok = 1;
    for (int i = 0; i < 200; i++) {
        unsigned char mac[CRYPTO_SHA256_LEN];
        const char *data = "what do ya want for nothing?";
        if (crypto_hmac_sha256("Jefe", 4, data, strlen(data), mac) != PORTAL_OK)
            *ok = 0;
        crypto_hex_encode(mac, sizeof mac, hex);
        if (strcmp(hex, HMAC_CASE2) != 0)
            *ok = 0;
    }
    return NULL;
}

static void test_hmac_threads(void **state)
{
    (void)state;
    pthread_t threads[4];
    int ok[4] = {0};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, hmac_thread, &ok[i]), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_true(ok[i]);
    }
}

static void test_hex(void **state)
{
    (void)state;
    const unsigned char data[] = {0x00, 0x0f, 0xa5, 0xff};
    char out[9];
    crypto_hex_encode(data, sizeof data, out);
    assert_string_equal(out, "000fa5ff");
}

static void test_equal(void **state)
{
    (void)state;
    assert_true(crypto_equal("secret-token", "secret-token", 12));
    assert_false(crypto_equal("secret-token", "secret-tokeN", 12));
    assert_false(crypto_equal("Xecret-token", "secret-token", 12));
    assert_true(crypto_equal("abc", "abd", 2));
    assert_true(crypto_equal("", "", 0));
}

static void test_random(void **state)
{
    (void)state;
    unsigned char a[32];
    unsigned char b[32];
    assert_int_equal(crypto_random_bytes(a, sizeof a), PORTAL_OK);
    assert_int_equal(crypto_random_bytes(b, sizeof b), PORTAL_OK);
    assert_memory_not_equal(a, b, sizeof a);

    char token[64];
    assert_int_equal(crypto_random_token("pat_", 32, token, sizeof token), PORTAL_OK);
    assert_true(strncmp(token, "pat_", 4) == 0);
    assert_int_equal(strlen(token), 4 + 43);
    char small[10];
    assert_int_equal(crypto_random_token("pat_", 32, small, sizeof small), PORTAL_ERR_TOO_LARGE);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64url_rfc4648_vectors),
        cmocka_unit_test(test_base64url_alphabet),
        cmocka_unit_test(test_base64url_round_trip),
        cmocka_unit_test(test_base64url_buffer_limits),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_hmac_vectors),
        cmocka_unit_test(test_hmac_threads),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
