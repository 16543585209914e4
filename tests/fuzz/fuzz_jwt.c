/* tests/fuzz/fuzz_jwt.c: libFuzzer target for token verification
 * (auth/jwt.h) with a fixed test key. The first byte chooses the mode:
 *   0  the rest is token text, verified as it is (mostly refused at the
 *      shape, base64url or signature checks);
 *   1  the rest is header JSON, a NUL byte, payload JSON: both are encoded
 *      and signed with the test key, so header parsing, the algorithm
 *      pinning and the claim checks see the mutations behind a valid
 *      signature. A token that verifies must have had alg "ES256", no
 *      "crit" and the expected typ;
 *   2  the rest fills a claims set that is signed by authjwt_sign and
 *      verified back (twice: the second hits the verified-signature
 *      cache); the outcome and the claims must be the expected ones. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "auth/jwt.h"
#include "base/crypto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A throwaway P-256 key for this target only; it signs nothing real. Its
 * RFC 7638 key id is in the seeds' headers. */
static const char TEST_KEY_PEM[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrnIKrAxq9MVfAne9\n"
    "W9JQps/w98du1xaqJAi6FstvKdWhRANCAARQi+xhFmklcM3qY5mrfPALKnqZW0St\n"
    "0yVZ30CY35mQiRUunldWBTU+znua7+A9CDUYJHqZBzVKB1aRw1VWZlua\n"
    "-----END PRIVATE KEY-----\n";
#define TEST_ISSUER "https://portal.test"
#define TEST_AUDIENCE "portal-api"
#define TEST_NOW 1800000000LL

static EVP_PKEY *fuzz_key;

static void fuzz_shutdown(void)
{
    authjwt_shutdown();
    EVP_PKEY_free(fuzz_key);
}

/* Writes the test key to a temporary file, loads it into the module and
 * keeps a copy for signing raw header/payload pairs. Aborts on failure. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[] = "/tmp/fuzz_jwt_key_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 ||
        write(fd, TEST_KEY_PEM, sizeof TEST_KEY_PEM - 1) != (ssize_t)(sizeof TEST_KEY_PEM - 1))
        abort();
    close(fd);
    portal_result rc = authjwt_init(path, 0, TEST_ISSUER, TEST_AUDIENCE);
    unlink(path);
    BIO *bio = BIO_new_mem_buf(TEST_KEY_PEM, (int)(sizeof TEST_KEY_PEM - 1));
    fuzz_key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (rc != PORTAL_OK || !fuzz_key)
        abort();
    atexit(fuzz_shutdown);
    return 0;
}

/* Base64url of data into out at *pos; 0 when it does not fit. */
static int fuzz_b64(const void *data, size_t len, char *out, size_t size, size_t *pos)
{
    if (len == 0 || *pos >= size)
        return 0;
    size_t n = crypto_base64url_encode(data, len, out + *pos, size - *pos);
    *pos += n;
    return n > 0;
}

/* ES256 over msg[0..len) with the test key as raw r||s; 0 on failure. */
static int fuzz_sign(const char *msg, size_t len, unsigned char sig[64])
{
    unsigned char der[80];
    size_t der_len = sizeof der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, fuzz_key) == 1 &&
             EVP_DigestSign(md, der, &der_len, (const unsigned char *)msg, len) == 1;
    EVP_MD_CTX_free(md);
    if (!ok)
        return 0;
    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!es)
        return 0;
    const BIGNUM *r = NULL;
    const BIGNUM *s = NULL;
    ECDSA_SIG_get0(es, &r, &s);
    ok = BN_bn2binpad(r, sig, 32) == 32 && BN_bn2binpad(s, sig + 32, 32) == 32;
    ECDSA_SIG_free(es);
    return ok;
}

/* Traps unless a header that verified pins the algorithm. */
static void fuzz_check_header(const char *header, size_t len)
{
    json_t *h = json_loadb(header, len, JSON_REJECT_DUPLICATES, NULL);
    const char *alg = json_string_value(json_object_get(h, "alg"));
    if (!json_is_object(h) || !alg || strcmp(alg, "ES256") != 0 || json_object_get(h, "crit"))
        __builtin_trap();
    json_decref(h);
}

static void fuzz_signed_pair(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    if (!nul)
        return;
    size_t hlen = (size_t)(nul - data);
    size_t plen = size - hlen - 1;
    char token[AUTHJWT_TOKEN_MAX + 1];
    size_t pos = 0;
    if (!fuzz_b64(data, hlen, token, sizeof token, &pos) || pos + 1 >= sizeof token)
        return;
    token[pos++] = '.';
    if (!fuzz_b64(nul + 1, plen, token, sizeof token, &pos))
        return;
    unsigned char sig[64];
    if (!fuzz_sign(token, pos, sig) || pos + 1 >= sizeof token)
        return;
    token[pos++] = '.';
    if (!fuzz_b64(sig, sizeof sig, token, sizeof token, &pos))
        return;
    static const char *const types[] = {AUTHJWT_TYP_ACCESS, AUTHJWT_TYP_MFA};
    for (int i = 0; i < 2; i++) {
        authjwt_claims c;
        portal_result rc = authjwt_verify(token, types[i], (time_t)TEST_NOW, &c);
        if (rc == PORTAL_OK) {
            fuzz_check_header((const char *)data, hlen);
            if (strcmp(c.typ, types[i]) != 0 || !c.sub[0] || !c.jti[0] || c.exp <= TEST_NOW ||
                strcmp(c.iss, TEST_ISSUER) != 0 || strcmp(c.aud, TEST_AUDIENCE) != 0)
                __builtin_trap();
        }
    }
}

/* Copies the next NUL-separated piece of data into dst (size bytes, always
 * terminated, truncated when longer). */
static void fuzz_piece(const uint8_t **data, size_t *size, char *dst, size_t dst_size)
{
    const uint8_t *nul = memchr(*data, 0, *size);
    size_t len = nul ? (size_t)(nul - *data) : *size;
    size_t n = len < dst_size - 1 ? len : dst_size - 1;
    memcpy(dst, *data, n);
    dst[n] = '\0';
    size_t used = nul ? len + 1 : len;
    *data += used;
    *size -= used;
}

static void fuzz_round_trip(const uint8_t *data, size_t size)
{
    if (size < 6)
        return;
    authjwt_claims c;
    memset(&c, 0, sizeof c);
    c.iat = TEST_NOW - data[0];
    c.exp = c.iat + 1 + (data[1] | data[2] << 8);
    c.nbf = data[3] & 1 ? 0 : c.iat - 64 + (data[3] >> 1);
    data += 4;
    size -= 4;
    fuzz_piece(&data, &size, c.sub, sizeof c.sub);
    fuzz_piece(&data, &size, c.typ, sizeof c.typ);
    fuzz_piece(&data, &size, c.org, sizeof c.org);
    fuzz_piece(&data, &size, c.sid, sizeof c.sid);
    fuzz_piece(&data, &size, c.jti, sizeof c.jti);
    fuzz_piece(&data, &size, c.ext, sizeof c.ext);
    char *token = NULL;
    if (authjwt_sign(&c, &token) != PORTAL_OK)
        return;
    long long nbf = c.nbf ? c.nbf : c.iat;
    int access = strcmp(c.typ, AUTHJWT_TYP_ACCESS) == 0;
    int acceptable = nbf <= TEST_NOW + AUTHJWT_CLOCK_SKEW &&
                     c.iat <= TEST_NOW + AUTHJWT_CLOCK_SKEW && (!access || (c.org[0] && c.sid[0]));
    portal_result expected = !acceptable         ? PORTAL_ERR_DENIED
                             : c.exp <= TEST_NOW ? PORTAL_ERR_EXPIRED
                                                 : PORTAL_OK;
    for (int round = 0; round < 2; round++) {
        authjwt_claims out;
        portal_result rc = authjwt_verify(token, c.typ, (time_t)TEST_NOW, &out);
        if (rc != expected)
            __builtin_trap();
        if (rc == PORTAL_OK &&
            (strcmp(out.sub, c.sub) != 0 || strcmp(out.typ, c.typ) != 0 ||
             strcmp(out.org, c.org) != 0 || strcmp(out.sid, c.sid) != 0 ||
             strcmp(out.ext, c.ext) != 0 || (c.jti[0] && strcmp(out.jti, c.jti) != 0) ||
             out.iat != c.iat || out.exp != c.exp || out.nbf != nbf))
            __builtin_trap();
    }
    /* The same token under another expected type never verifies. */
    authjwt_claims other;
    const char *wrong = access ? AUTHJWT_TYP_MFA : AUTHJWT_TYP_ACCESS;
    if (authjwt_verify(token, wrong, (time_t)TEST_NOW, &other) == PORTAL_OK)
        __builtin_trap();
    free(token);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 2 * AUTHJWT_TOKEN_MAX)
        return 0;
    uint8_t mode = data[0] % 3;
    data++;
    size--;
    if (mode == 0) {
        char *token = malloc(size + 1);
        if (!token)
            return 0;
        memcpy(token, data, size);
        token[size] = '\0';
        authjwt_claims c;
        (void)authjwt_verify(token, AUTHJWT_TYP_ACCESS, (time_t)TEST_NOW, &c);
        (void)authjwt_verify(token, AUTHJWT_TYP_MFA, (time_t)TEST_NOW, &c);
        free(token);
    } else if (mode == 1) {
        fuzz_signed_pair(data, size);
    } else {
        fuzz_round_trip(data, size);
    }
    return 0;
}
