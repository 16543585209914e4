/* auth/secretbox.c: see secretbox.h. AES-256-GCM through OpenSSL EVP. */
#include "auth/secretbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/crypto.h"

static unsigned char g_key[SECRETBOX_KEY_LEN];
static int g_key_set;

void secretbox_set_key(const unsigned char key[SECRETBOX_KEY_LEN])
{
    memcpy(g_key, key, SECRETBOX_KEY_LEN);
    g_key_set = 1;
}

void secretbox_clear_key(void)
{
    OPENSSL_cleanse(g_key, sizeof g_key);
    g_key_set = 0;
}

portal_result secretbox_derive_key(const char *purpose, unsigned char out[SECRETBOX_KEY_LEN])
{
    char label[128];
    int n = snprintf(label, sizeof label, "portal-subkey:%s", purpose ? purpose : "");
    if (!g_key_set || !purpose || n < 0 || (size_t)n >= sizeof label) {
        memset(out, 0, SECRETBOX_KEY_LEN);
        return PORTAL_ERR_CRYPTO;
    }
    return crypto_hmac_sha256(g_key, sizeof g_key, label, (size_t)n, out);
}

int secretbox_is_sealed(const char *text)
{
    return text && strncmp(text, SECRETBOX_PREFIX, sizeof SECRETBOX_PREFIX - 1) == 0;
}

/* ---- strict standard base64 ---- */

static size_t b64_encode(const unsigned char *data, size_t len, char *out)
{
    return (size_t)EVP_EncodeBlock((unsigned char *)out, data, (int)len);
}

static int b64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

/* Decodes exactly text[0..n) (a multiple of 4, '=' only as padding) into
 * out; returns the byte count or -1. */
static long b64_decode(const char *text, size_t n, unsigned char *out, size_t out_size)
{
    if (n == 0 || n % 4 != 0 || n / 4 * 3 > out_size)
        return -1;
    size_t pad = text[n - 1] == '=' ? (text[n - 2] == '=' ? 2 : 1) : 0;
    for (size_t i = 0; i < n - pad; i++)
        if (!b64_char(text[i]))
            return -1;
    int got = EVP_DecodeBlock(out, (const unsigned char *)text, (int)n);
    if (got < 0 || (size_t)got < pad)
        return -1;
    return (long)((size_t)got - pad);
}

/* ---- sealing ---- */

static portal_result gcm(int encrypt, const unsigned char *key, const unsigned char *nonce,
                         const char *context, const unsigned char *in, size_t in_len,
                         unsigned char *out, unsigned char tag[SECRETBOX_TAG_LEN])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c)
        return PORTAL_ERR_MEMORY;
    int n = 0;
    int ok =
        EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, encrypt) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, SECRETBOX_NONCE_LEN, NULL) == 1 &&
        EVP_CipherInit_ex(c, NULL, NULL, key, nonce, encrypt) == 1 &&
        EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)context, (int)strlen(context)) == 1 &&
        (in_len == 0 || EVP_CipherUpdate(c, out, &n, in, (int)in_len) == 1);
    if (ok && !encrypt)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SECRETBOX_TAG_LEN, tag) == 1;
    portal_result rc = ok ? PORTAL_OK : PORTAL_ERR_CRYPTO;
    if (ok && EVP_CipherFinal_ex(c, out + in_len, &n) != 1)
        rc = encrypt ? PORTAL_ERR_CRYPTO : PORTAL_ERR_DENIED;
    if (rc == PORTAL_OK && encrypt &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SECRETBOX_TAG_LEN, tag) != 1)
        rc = PORTAL_ERR_CRYPTO;
    EVP_CIPHER_CTX_free(c);
    return rc;
}

portal_result secretbox_seal_with(const unsigned char key[SECRETBOX_KEY_LEN], const void *plain,
                                  size_t len, const char *context, char *out, size_t out_size)
{
    if (out_size > 0)
        out[0] = '\0';
    if (len > SECRETBOX_MAX_PLAIN || out_size < SECRETBOX_SEALED_SIZE(len))
        return PORTAL_ERR_TOO_LARGE;
    unsigned char nonce[SECRETBOX_NONCE_LEN];
    unsigned char box[SECRETBOX_MAX_PLAIN + SECRETBOX_TAG_LEN];
    portal_result rc = crypto_random_bytes(nonce, sizeof nonce);
    if (rc == PORTAL_OK)
        rc = gcm(1, key, nonce, context, plain, len, box, box + len);
    if (rc == PORTAL_OK) {
        size_t o = sizeof SECRETBOX_PREFIX - 1;
        memcpy(out, SECRETBOX_PREFIX, o);
        o += b64_encode(nonce, sizeof nonce, out + o);
        out[o++] = ':';
        b64_encode(box, len + SECRETBOX_TAG_LEN, out + o);
    }
    OPENSSL_cleanse(box, sizeof box);
    return rc;
}

portal_result secretbox_open_with(const unsigned char key[SECRETBOX_KEY_LEN], const char *sealed,
                                  const char *context, void *out, size_t out_size, size_t *len)
{
    *len = 0;
    if (!secretbox_is_sealed(sealed))
        return PORTAL_ERR_INVALID;
    const char *nonce_text = sealed + sizeof SECRETBOX_PREFIX - 1;
    const char *colon = strchr(nonce_text, ':');
    if (!colon)
        return PORTAL_ERR_INVALID;
    unsigned char nonce[SECRETBOX_NONCE_LEN + 3];
    unsigned char box[SECRETBOX_MAX_PLAIN + SECRETBOX_TAG_LEN + 3];
    long nonce_len = b64_decode(nonce_text, (size_t)(colon - nonce_text), nonce, sizeof nonce);
    const char *box_text = colon + 1;
    long box_len = b64_decode(box_text, strlen(box_text), box, sizeof box);
    if (nonce_len != SECRETBOX_NONCE_LEN || box_len < SECRETBOX_TAG_LEN)
        return PORTAL_ERR_INVALID;
    size_t plain_len = (size_t)box_len - SECRETBOX_TAG_LEN;
    if (plain_len > out_size)
        return PORTAL_ERR_TOO_LARGE;
    unsigned char plain[SECRETBOX_MAX_PLAIN + 3];
    portal_result rc = gcm(0, key, nonce, context, box, plain_len, plain, box + plain_len);
    if (rc == PORTAL_OK) {
        memcpy(out, plain, plain_len);
        *len = plain_len;
    } else {
        OPENSSL_cleanse(out, out_size);
    }
    OPENSSL_cleanse(plain, sizeof plain);
    return rc;
}

portal_result secretbox_seal(const void *plain, size_t len, const char *context, char *out,
                             size_t out_size)
{
    if (!g_key_set) {
        if (out_size > 0)
            out[0] = '\0';
        return PORTAL_ERR_CRYPTO;
    }
    return secretbox_seal_with(g_key, plain, len, context, out, out_size);
}

portal_result secretbox_open(const char *sealed, const char *context, void *out, size_t out_size,
                             size_t *len)
{
    *len = 0;
    if (!g_key_set)
        return PORTAL_ERR_CRYPTO;
    return secretbox_open_with(g_key, sealed, context, out, out_size, len);
}

/* ---- the key file ---- */

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Writes a fresh key at path with mode 0600: complete in a temporary file
 * first, then linked into place, so nobody ever reads half a key. PORTAL_OK
 * also when the file appeared meanwhile (another process won the race; its
 * key is loaded). */
static portal_result generate_key_file(const char *path)
{
    unsigned char key[SECRETBOX_KEY_LEN];
    char text[64];
    if (crypto_random_bytes(key, sizeof key) != PORTAL_OK)
        return PORTAL_ERR_CRYPTO;
    size_t n = b64_encode(key, sizeof key, text);
    OPENSSL_cleanse(key, sizeof key);
    text[n++] = '\n';
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= sizeof tmp) {
        OPENSSL_cleanse(text, sizeof text);
        return PORTAL_ERR_TOO_LARGE;
    }
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        OPENSSL_cleanse(text, sizeof text);
        return PORTAL_ERR_IO;
    }
    int ok = fchmod(fd, 0600) == 0 && write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
    OPENSSL_cleanse(text, sizeof text);
    if (close(fd) != 0)
        ok = 0;
    portal_result rc = PORTAL_ERR_IO;
    if (ok && link(tmp, path) == 0)
        rc = PORTAL_OK;
    else if (ok && errno == EEXIST)
        rc = PORTAL_OK;
    unlink(tmp);
    return rc;
}

portal_result secretbox_load_key_file(const char *path, int generate_if_missing)
{
    FILE *f = fopen(path, "re");
    if (!f && errno == ENOENT && generate_if_missing) {
        portal_result rc = generate_key_file(path);
        if (rc != PORTAL_OK)
            return rc;
        f = fopen(path, "re");
    }
    if (!f)
        return PORTAL_ERR_IO;
    char text[128];
    size_t n = fread(text, 1, sizeof text - 1, f);
    int too_long = !feof(f);
    fclose(f);
    size_t start = 0;
    while (start < n && blank(text[start]))
        start++;
    while (n > start && blank(text[n - 1]))
        n--;
    unsigned char key[SECRETBOX_KEY_LEN + 3];
    long len = too_long ? -1 : b64_decode(text + start, n - start, key, sizeof key);
    OPENSSL_cleanse(text, sizeof text);
    portal_result rc = PORTAL_ERR_INVALID;
    if (len == SECRETBOX_KEY_LEN) {
        secretbox_set_key(key);
        rc = PORTAL_OK;
    }
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}
