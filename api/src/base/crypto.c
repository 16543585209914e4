/* base/crypto.c: see crypto.h. Thin wrappers over OpenSSL. */
#include "base/crypto.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
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

void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN])
{
    SHA256(data, len, out);
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
    unsigned int out_len = 0;
    if (key_len > (size_t)INT32_MAX ||
        !HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &out_len) ||
        out_len != CRYPTO_SHA256_LEN) {
        memset(out, 0, CRYPTO_SHA256_LEN);
        return PORTAL_ERR_CRYPTO;
    }
    return PORTAL_OK;
}

void crypto_sha256_hex(const char *text, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
    unsigned char digest[CRYPTO_SHA256_LEN];
    SHA256((const unsigned char *)text, strlen(text), digest);
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
