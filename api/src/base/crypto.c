/* base/crypto.c: see crypto.h. Thin wrappers over OpenSSL. */
#include "base/crypto.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

portal_result crypto_random_bytes(unsigned char *out, size_t len)
{
    if (len > (size_t)INT32_MAX)
        return PORTAL_ERR_INVALID;
    return RAND_bytes(out, (int)len) == 1 ? PORTAL_OK : PORTAL_ERR_CRYPTO;
}

portal_result crypto_random_token(const char *prefix, size_t nbytes, char *out, size_t out_size)
{
    unsigned char raw[64];
    size_t plen = strlen(prefix);
    if (out_size > 0)
        out[0] = '\0';
    if (nbytes > sizeof raw || plen >= out_size)
        return PORTAL_ERR_TOO_LARGE;
    portal_result rc = crypto_random_bytes(raw, nbytes);
    if (rc != PORTAL_OK)
        return rc;
    memcpy(out, prefix, plen);
    if (crypto_base64url_encode(raw, nbytes, out + plen, out_size - plen) == 0) {
        out[0] = '\0';
        OPENSSL_cleanse(raw, sizeof raw);
        return PORTAL_ERR_TOO_LARGE;
    }
    OPENSSL_cleanse(raw, sizeof raw);
    return PORTAL_OK;
}

/* ---- algorithms fetched once ----
 *
 * OpenSSL 3's one-shot SHA256() and HMAC() look their algorithm up by name
 * on every call (a locked search of the provider's method store); the
 * request path hashes and MACs a few times per request. SHA-256 and HMAC
 * are fetched once per process and kept for its life. Each thread keeps one
 * HMAC context with its digest set and the last key it was given, so that
 * a MAC under the same key (the cursor key, nearly always) starts from the
 * key's precomputed state; the state is freed, its key wiped, when the
 * thread ends. */
#define HMAC_KEPT_KEY_MAX 64

typedef struct {
    EVP_MAC_CTX *ctx;
    size_t key_len; /* of key; 0 when the context holds no key to reuse */
    unsigned char key[HMAC_KEPT_KEY_MAX];
} crypto_hmac_state;

static EVP_MD *g_sha256;
static EVP_MAC *g_hmac;
static pthread_key_t g_hmac_state_key;
static int g_hmac_key_ok;
static pthread_once_t g_fetch_once = PTHREAD_ONCE_INIT;

static void crypto_free_hmac_state(void *data)
{
    crypto_hmac_state *st = data;
    EVP_MAC_CTX_free(st->ctx);
    OPENSSL_cleanse(st, sizeof *st);
    free(st);
}

static void crypto_fetch(void)
{
    g_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    g_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    g_hmac_key_ok = pthread_key_create(&g_hmac_state_key, crypto_free_hmac_state) == 0;
}

/* This thread's HMAC-SHA-256 state (made on first use), or NULL when
 * OpenSSL or memory cannot make one. */
static crypto_hmac_state *crypto_thread_hmac(void)
{
    pthread_once(&g_fetch_once, crypto_fetch);
    if (!g_hmac || !g_hmac_key_ok)
        return NULL;
    crypto_hmac_state *st = pthread_getspecific(g_hmac_state_key);
    if (st)
        return st;
    st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->ctx = EVP_MAC_CTX_new(g_hmac);
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (!st->ctx || EVP_MAC_CTX_set_params(st->ctx, params) != 1 ||
        pthread_setspecific(g_hmac_state_key, st) != 0) {
        crypto_free_hmac_state(st);
        return NULL;
    }
    return st;
}

void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
    pthread_once(&g_fetch_once, crypto_fetch);
    if (!g_sha256 || EVP_Digest(data, len, out, NULL, g_sha256, NULL) != 1)
        SHA256(data, len, out); /* the by-name path, as before */
}

portal_result crypto_sha256_file(FILE *f, unsigned char out[CRYPTO_SHA256_LEN])
{
    memset(out, 0, CRYPTO_SHA256_LEN);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    portal_result rc =
        md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 ? PORTAL_OK : PORTAL_ERR_CRYPTO;
    if (rc == PORTAL_OK && fseek(f, 0, SEEK_SET) != 0)
        rc = PORTAL_ERR_IO;
    unsigned char block[65536];
    while (rc == PORTAL_OK) {
        size_t n = fread(block, 1, sizeof block, f);
        if (n > 0 && EVP_DigestUpdate(md, block, n) != 1)
            rc = PORTAL_ERR_CRYPTO;
        if (n < sizeof block) {
            if (ferror(f))
                rc = PORTAL_ERR_IO;
            break;
        }
    }
    unsigned int len = 0;
    if (rc == PORTAL_OK && (EVP_DigestFinal_ex(md, out, &len) != 1 || len != CRYPTO_SHA256_LEN))
        rc = PORTAL_ERR_CRYPTO;
    if (rc != PORTAL_OK)
        memset(out, 0, CRYPTO_SHA256_LEN);
    EVP_MD_CTX_free(md);
    return rc;
}

portal_result crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                                 unsigned char out[CRYPTO_SHA256_LEN])
{
    crypto_hmac_state *st = crypto_thread_hmac();
    /* With no key, OpenSSL's HMAC starts again under the key it holds. */
    int same =
        st && key_len > 0 && key_len == st->key_len && CRYPTO_memcmp(st->key, key, key_len) == 0;
    size_t out_len = 0;
    if (!st || EVP_MAC_init(st->ctx, same ? NULL : key, same ? 0 : key_len, NULL) != 1) {
        if (st)
            st->key_len = 0;
        memset(out, 0, CRYPTO_SHA256_LEN);
        return PORTAL_ERR_CRYPTO;
    }
    if (!same) {
        st->key_len = key_len <= sizeof st->key ? key_len : 0;
        memcpy(st->key, key, st->key_len);
    }
    if (EVP_MAC_update(st->ctx, data, len) != 1 ||
        EVP_MAC_final(st->ctx, out, &out_len, CRYPTO_SHA256_LEN) != 1 ||
        out_len != CRYPTO_SHA256_LEN) {
        memset(out, 0, CRYPTO_SHA256_LEN);
        return PORTAL_ERR_CRYPTO;
    }
    return PORTAL_OK;
}

void crypto_sha256_hex(const char *text, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
    unsigned char digest[CRYPTO_SHA256_LEN];
    crypto_sha256(text, strlen(text), digest);
    crypto_hex_encode(digest, sizeof digest, out);
}

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t crypto_base64url_encode(const unsigned char *data, size_t len, char *out, size_t out_size)
{
    size_t need = (len / 3) * 4 + (len % 3 ? len % 3 + 1 : 0);
    if (need + 1 > out_size) {
        if (out_size > 0)
            out[0] = '\0';
        return 0;
    }
    size_t o = 0;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16 | (unsigned)data[i + 1] << 8 | data[i + 2];
        out[o++] = B64URL[(v >> 18) & 63];
        out[o++] = B64URL[(v >> 12) & 63];
        out[o++] = B64URL[(v >> 6) & 63];
        out[o++] = B64URL[v & 63];
    }
    if (len - i == 1) {
        unsigned v = (unsigned)data[i] << 16;
        out[o++] = B64URL[(v >> 18) & 63];
        out[o++] = B64URL[(v >> 12) & 63];
    } else if (len - i == 2) {
        unsigned v = (unsigned)data[i] << 16 | (unsigned)data[i + 1] << 8;
        out[o++] = B64URL[(v >> 18) & 63];
        out[o++] = B64URL[(v >> 12) & 63];
        out[o++] = B64URL[(v >> 6) & 63];
    }
    out[o] = '\0';
    return o;
}

static int b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

long crypto_base64url_decode(const char *text, size_t text_len, unsigned char *out, size_t out_size)
{
    while (text_len > 0 && text[text_len - 1] == '=')
        text_len--;
    if (text_len % 4 == 1)
        return -1;
    size_t need = text_len / 4 * 3 + (text_len % 4 ? text_len % 4 - 1 : 0);
    if (need > out_size)
        return -1;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < text_len; i++) {
        int v = b64url_value(text[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    return (long)o;
}

void crypto_hex_encode(const unsigned char *data, size_t len, char *out)
{
    static const char HEX[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = HEX[data[i] >> 4];
        out[2 * i + 1] = HEX[data[i] & 15];
    }
    out[2 * len] = '\0';
}

int crypto_equal(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0;
}
