/* Unit tests for auth/jwt: key handling, signing, and verification that
 * refuses every forged, altered, misdirected or stale token. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "auth/jwt.h"
#include "base/crypto.h"

#define ISS "https://portal.example.nl"
#define AUD "portal-api"
#define NOW 1767225600 /* 2026-01-01 */

static char g_dir[] = "/tmp/portal-jwt-XXXXXX";
static char g_key_path[256];

/* ---- helpers ---- */

static int setup_module(void **state)
{
    (void)state;
    if (!mkdtemp(g_dir))
        return -1;
    snprintf(g_key_path, sizeof g_key_path, "%s/signing-key.pem", g_dir);
    return authjwt_init(g_key_path, 1, ISS, AUD) == PORTAL_OK ? 0 : -1;
}

static int teardown_module(void **state)
{
    (void)state;
    authjwt_shutdown();
    unlink(g_key_path);
    rmdir(g_dir);
    return 0;
}

static authjwt_claims access_claims(void)
{
    authjwt_claims c;
    memset(&c, 0, sizeof c);
    strcpy(c.sub, "0b9f3c1e-5a3d-4c47-9a51-3d2f1e0c8b7a");
    strcpy(c.org, "7c1e2d3f-0a4b-4c5d-8e9f-1a2b3c4d5e6f");
    strcpy(c.sid, "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7");
    strcpy(c.typ, AUTHJWT_TYP_ACCESS);
    c.iat = NOW;
    c.exp = NOW + 900;
    return c;
}

static char *sign_or_fail(const authjwt_claims *c)
{
    char *token = NULL;
    assert_int_equal(authjwt_sign(c, &token), PORTAL_OK);
    assert_non_null(token);
    /* a plain heap copy, so the compiler does not think the result may point
     * at the local variable whose address was passed */
    char *copy = strdup(token);
    assert_non_null(copy);
    free(token);
    return copy;
}

static portal_result verify_access(const char *token)
{
    authjwt_claims out;
    return authjwt_verify(token, AUTHJWT_TYP_ACCESS, NOW + 10, &out);
}

static EVP_PKEY *load_private(void)
{
    FILE *f = fopen(g_key_path, "r");
    assert_non_null(f);
    EVP_PKEY *pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(pkey);
    return pkey;
}

/* PEM text of a key (public half, or the private key), malloc'd. */
static char *pem_of(EVP_PKEY *pkey, int private_key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_non_null(bio);
    if (private_key)
        assert_int_equal(PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL), 1);
    else
        assert_int_equal(PEM_write_bio_PUBKEY(bio, pkey), 1);
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    char *copy = malloc((size_t)len + 1);
    assert_non_null(copy);
    memcpy(copy, data, (size_t)len);
    copy[len] = '\0';
    BIO_free(bio);
    return copy;
}

static void b64(const void *data, size_t len, char *out, size_t size)
{
    assert_true(crypto_base64url_encode(data, len, out, size) > 0 || len == 0);
}

enum signing { SIGN_ES256, SIGN_HS256_PUBKEY, SIGN_NONE };

/* header.payload.signature from raw JSON, signed with our private key (ES256
 * math whatever the header claims), HMAC-SHA-256 keyed with the public key
 * PEM, or not at all. Caller frees. */
static char *craft(const char *header_json, const char *payload_json, enum signing how)
{
    char *token = malloc(16384);
    assert_non_null(token);
    char h[4096];
    char p[8192];
    b64(header_json, strlen(header_json), h, sizeof h);
    b64(payload_json, strlen(payload_json), p, sizeof p);
    int n = snprintf(token, 16384, "%s.%s", h, p);
    assert_true(n > 0 && n < 16000);

    unsigned char sig[64];
    size_t sig_len = 0;
    EVP_PKEY *pkey = load_private();
    if (how == SIGN_ES256) {
        unsigned char der[80];
        size_t der_len = sizeof der;
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pkey), 1);
        assert_int_equal(
            EVP_DigestSign(ctx, der, &der_len, (const unsigned char *)token, (size_t)n), 1);
        EVP_MD_CTX_free(ctx);
        const unsigned char *dp = der;
        ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &dp, (long)der_len);
        assert_non_null(es);
        const BIGNUM *r;
        const BIGNUM *s;
        ECDSA_SIG_get0(es, &r, &s);
        BN_bn2binpad(r, sig, 32);
        BN_bn2binpad(s, sig + 32, 32);
        ECDSA_SIG_free(es);
        sig_len = 64;
    } else if (how == SIGN_HS256_PUBKEY) {
        char *pem = pem_of(pkey, 0);
        unsigned int mac_len = 0;
        assert_non_null(HMAC(EVP_sha256(), pem, (int)strlen(pem), (const unsigned char *)token,
                             (size_t)n, sig, &mac_len));
        sig_len = mac_len;
        free(pem);
    }
    EVP_PKEY_free(pkey);
    token[n] = '.';
    token[n + 1] = '\0';
    if (sig_len)
        b64(sig, sig_len, token + n + 1, 16384 - (size_t)n - 1);
    return token;
}

static const char *our_kid(void)
{
    static char kid[64];
    char *jwks = authjwt_jwks_json();
    assert_non_null(jwks);
    json_t *doc = json_loads(jwks, 0, NULL);
    assert_non_null(doc);
    const char *k =
        json_string_value(json_object_get(json_array_get(json_object_get(doc, "keys"), 0), "kid"));
    assert_non_null(k);
    snprintf(kid, sizeof kid, "%s", k);
    json_decref(doc);
    free(jwks);
    return kid;
}

static char *good_header(char *buf, size_t size)
{
    snprintf(buf, size, "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", our_kid());
    return buf;
}

#define GOOD_PAYLOAD                                                                               \
    "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","       \
    "\"typ\":\"access\",\"iat\":1767225600,\"nbf\":1767225600,\"exp\":1767226500,\"jti\":\"j1\"}"

/* ---- keys ---- */

static void test_key_generated_with_mode_0600(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(stat(g_key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* loading the same file again gives the same key id */
    char kid[64];
    snprintf(kid, sizeof kid, "%s", our_kid());
    assert_int_equal(authjwt_init(g_key_path, 0, ISS, AUD), PORTAL_OK);
    assert_string_equal(our_kid(), kid);
}

static void test_key_errors(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/absent.pem", g_dir);
    assert_int_equal(authjwt_init(path, 0, ISS, AUD), PORTAL_ERR_IO);
    assert_int_equal(access(path, F_OK), -1);
    assert_null(authjwt_jwks_json());
    char *token = (char *)1;
    authjwt_claims c = access_claims();
    assert_int_equal(authjwt_sign(&c, &token), PORTAL_ERR_INTERNAL);
    assert_null(token);

    /* not EC P-256: a P-384 key and garbage are refused */
    snprintf(path, sizeof path, "%s/p384.pem", g_dir);
    EVP_PKEY *p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    assert_non_null(p384);
    char *pem = pem_of(p384, 1);
    FILE *f = fopen(path, "w");
    fputs(pem, f);
    fclose(f);
    free(pem);
    EVP_PKEY_free(p384);
    assert_int_equal(authjwt_init(path, 1, ISS, AUD), PORTAL_ERR_INVALID);
    f = fopen(path, "w");
    fputs("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n", f);
    fclose(f);
    assert_int_equal(authjwt_init(path, 1, ISS, AUD), PORTAL_ERR_INVALID);
    unlink(path);
    assert_int_equal(authjwt_init(g_key_path, 0, "", AUD), PORTAL_ERR_INVALID);

    assert_int_equal(authjwt_init(g_key_path, 0, ISS, AUD), PORTAL_OK);
}

static void test_jwks(void **state)
{
    (void)state;
    char *jwks = authjwt_jwks_json();
    assert_non_null(jwks);
    json_error_t err;
    json_t *doc = json_loads(jwks, JSON_REJECT_DUPLICATES, &err);
    free(jwks);
    assert_non_null(doc);
    json_t *keys = json_object_get(doc, "keys");
    assert_true(json_is_array(keys));
    assert_int_equal(json_array_size(keys), 1);
    json_t *k = json_array_get(keys, 0);
    assert_string_equal(json_string_value(json_object_get(k, "kty")), "EC");
    assert_string_equal(json_string_value(json_object_get(k, "crv")), "P-256");
    assert_string_equal(json_string_value(json_object_get(k, "alg")), "ES256");
    assert_string_equal(json_string_value(json_object_get(k, "use")), "sig");
    assert_null(json_object_get(k, "d"));
    const char *x = json_string_value(json_object_get(k, "x"));
    const char *y = json_string_value(json_object_get(k, "y"));
    const char *kid = json_string_value(json_object_get(k, "kid"));
    assert_non_null(x);
    assert_non_null(y);
    assert_non_null(kid);
    assert_int_equal(strlen(x), 43);
    assert_int_equal(strlen(y), 43);

    /* x and y are the key's coordinates */
    EVP_PKEY *pkey = load_private();
    BIGNUM *bx = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(pkey, "qx", &bx), 1);
    unsigned char raw[32];
    BN_bn2binpad(bx, raw, 32);
    char expect_x[64];
    b64(raw, 32, expect_x, sizeof expect_x);
    assert_string_equal(x, expect_x);
    BN_free(bx);
    EVP_PKEY_free(pkey);

    /* kid is the RFC 7638 thumbprint */
    char canonical[256];
    snprintf(canonical, sizeof canonical,
             "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y);
    unsigned char digest[32];
    crypto_sha256(canonical, strlen(canonical), digest);
    char expect_kid[64];
    b64(digest, 32, expect_kid, sizeof expect_kid);
    assert_string_equal(kid, expect_kid);
    json_decref(doc);
}

/* ---- signing and the happy path ---- */

static void test_sign_and_verify(void **state)
{
    (void)state;
    authjwt_claims c = access_claims();
    strcpy(c.ext, "totp");
    char *token = sign_or_fail(&c);
    assert_true(strlen(token) < AUTHJWT_TOKEN_MAX);

    authjwt_claims out;
    assert_int_equal(authjwt_verify(token, AUTHJWT_TYP_ACCESS, NOW + 10, &out), PORTAL_OK);
    assert_string_equal(out.iss, ISS);
    assert_string_equal(out.aud, AUD);
    assert_string_equal(out.sub, c.sub);
    assert_string_equal(out.org, c.org);
    assert_string_equal(out.sid, c.sid);
    assert_string_equal(out.typ, "access");
    assert_string_equal(out.ext, "totp");
    assert_int_equal(out.iat, NOW);
    assert_int_equal(out.nbf, NOW);
    assert_int_equal(out.exp, NOW + 900);
    assert_true(strlen(out.jti) >= 16);

    /* the header carries alg, typ and our kid */
    char header_json[256];
    const char *dot = strchr(token, '.');
    long n = crypto_base64url_decode(token, (size_t)(dot - token), (unsigned char *)header_json,
                                     sizeof header_json - 1);
    assert_true(n > 0);
    header_json[n] = '\0';
    json_t *h = json_loads(header_json, 0, NULL);
    assert_non_null(h);
    assert_string_equal(json_string_value(json_object_get(h, "alg")), "ES256");
    assert_string_equal(json_string_value(json_object_get(h, "typ")), "JWT");
    assert_string_equal(json_string_value(json_object_get(h, "kid")), our_kid());
    json_decref(h);

    /* every token gets its own jti */
    char *second = sign_or_fail(&c);
    authjwt_claims out2;
    assert_int_equal(authjwt_verify(second, AUTHJWT_TYP_ACCESS, NOW + 10, &out2), PORTAL_OK);
    assert_string_not_equal(out.jti, out2.jti);
    free(second);
    free(token);
}

static void test_sign_rejects_bad_claims(void **state)
{
    (void)state;
    char *token = (char *)1;
    authjwt_claims c = access_claims();
    c.sub[0] = '\0';
    assert_int_equal(authjwt_sign(&c, &token), PORTAL_ERR_INVALID);
    assert_null(token);
    c = access_claims();
    c.exp = c.iat;
    assert_int_equal(authjwt_sign(&c, &token), PORTAL_ERR_INVALID);
    c = access_claims();
    memset(c.sid, 'a', sizeof c.sid);
    assert_int_equal(authjwt_sign(&c, &token), PORTAL_ERR_INVALID);
    c = access_claims();
    strcpy(c.sub, "\xff\xfe");
    assert_int_equal(authjwt_sign(&c, &token), PORTAL_ERR_INVALID);
    assert_null(token);
}

/* ---- forged and altered tokens ---- */

static void test_rejects_alg_none(void **state)
{
    (void)state;
    char *t = craft("{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, SIGN_NONE);
    assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
    free(t);
    /* even with a real signature over the same bytes */
    t = craft("{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, SIGN_ES256);
    assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
    free(t);
    t = craft("{\"alg\":\"None\"}", GOOD_PAYLOAD, SIGN_NONE);
    assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
    free(t);
}

static void test_rejects_hs256_with_public_key(void **state)
{
    (void)state;
    char *t = craft("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, SIGN_HS256_PUBKEY);
    assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
    free(t);
}

static void test_rejects_other_algorithms(void **state)
{
    (void)state;
    static const char *const headers[] = {
        "{\"alg\":\"ES384\",\"typ\":\"JWT\"}",
        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
        "{\"alg\":\"es256\",\"typ\":\"JWT\"}",
        "{\"alg\":\"ES256 \",\"typ\":\"JWT\"}",
        "{\"typ\":\"JWT\"}",
        "{\"alg\":[\"ES256\"],\"typ\":\"JWT\"}",
        /* right alg, but other typ, a foreign kid, crit, duplicates, not an object */
        "{\"alg\":\"ES256\",\"typ\":\"JWE\"}",
        "{\"alg\":\"ES256\",\"kid\":\"someone-else\"}",
        "{\"alg\":\"ES256\",\"crit\":[\"exp\"]}",
        "{\"alg\":\"ES256\",\"alg\":\"ES256\"}",
        "[\"ES256\"]",
    };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char *t = craft(headers[i], GOOD_PAYLOAD, SIGN_ES256);
        assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
        free(t);
    }
    /* the crafting itself is sound: the proper header passes */
    char h[256];
    char *t = craft(good_header(h, sizeof h), GOOD_PAYLOAD, SIGN_ES256);
    assert_int_equal(verify_access(t), PORTAL_OK);
    free(t);
    t = craft("{\"alg\":\"ES256\"}", GOOD_PAYLOAD, SIGN_ES256);
    assert_int_equal(verify_access(t), PORTAL_OK);
    free(t);
}

static void test_rejects_altered_bytes(void **state)
{
    (void)state;
    authjwt_claims c = access_claims();
    char *token = sign_or_fail(&c);
    size_t len = strlen(token);
    char *dot1 = strchr(token, '.');
    char *dot2 = strrchr(token, '.');

    /* every character of the payload and the signature matters */
    for (char *p = dot1 + 1; p < token + len; p++) {
        if (p == dot2)
            continue;
        char saved = *p;
        *p = saved == 'A' ? 'B' : 'A';
        assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
        *p = saved;
        /* and the genuine token, remembered as verified, still passes */
        assert_int_equal(verify_access(token), PORTAL_OK);
    }
    assert_int_equal(verify_access(token), PORTAL_OK);

    /* a non-canonical last character (unused bits set) is refused too */
    char saved = token[len - 1];
    int v = saved >= 'A' && saved <= 'Z'   ? saved - 'A'
            : saved >= 'a' && saved <= 'z' ? saved - 'a' + 26
            : saved >= '0' && saved <= '9' ? saved - '0' + 52
            : saved == '-'                 ? 62
                                           : 63;
    static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    token[len - 1] = B64[v | 1];
    assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
    token[len - 1] = saved;

    /* a swapped-in payload from another token */
    c = access_claims();
    strcpy(c.sub, "someone-else");
    char *other = sign_or_fail(&c);
    char *spliced = malloc(len + strlen(other) + 1);
    char *other_dot1 = strchr(other, '.');
    char *other_dot2 = strrchr(other, '.');
    sprintf(spliced, "%.*s%.*s%s", (int)(dot1 - token + 1), token,
            (int)(other_dot2 - other_dot1 - 1), other_dot1 + 1, dot2);
    assert_int_equal(verify_access(spliced), PORTAL_ERR_DENIED);
    free(spliced);
    free(other);
    free(token);
}

/* Verified tokens are remembered; a remembered token still follows the
 * claims rules, and a new key forgets every token of the old one. */
static void test_verified_tokens_are_remembered_per_key(void **state)
{
    (void)state;
    authjwt_claims c = access_claims();
    char *token = sign_or_fail(&c);
    authjwt_claims out;
    for (int i = 0; i < 3; i++)
        assert_int_equal(authjwt_verify(token, "access", NOW + 1, &out), PORTAL_OK);
    assert_string_equal(out.sub, c.sub);
    assert_int_equal(authjwt_verify(token, "refresh", NOW + 1, &out), PORTAL_ERR_DENIED);
    assert_int_equal(authjwt_verify(token, "access", NOW + 900, &out), PORTAL_ERR_EXPIRED);
    free(token);

    /* A token without a key id is checked by its signature alone: once
     * remembered under one key it must not pass under another. */
    token = craft("{\"alg\":\"ES256\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, SIGN_ES256);
    assert_int_equal(authjwt_verify(token, "access", NOW + 1, &out), PORTAL_OK);
    char path[300];
    snprintf(path, sizeof path, "%s/other.pem", g_dir);
    assert_int_equal(authjwt_init(path, 1, ISS, AUD), PORTAL_OK);
    assert_int_equal(authjwt_verify(token, "access", NOW + 1, &out), PORTAL_ERR_DENIED);
    unlink(path);
    assert_int_equal(authjwt_init(g_key_path, 0, ISS, AUD), PORTAL_OK);
    assert_int_equal(authjwt_verify(token, "access", NOW + 1, &out), PORTAL_OK);
    free(token);
}

/* ---- claims ---- */

static void test_expiry_and_not_before(void **state)
{
    (void)state;
    authjwt_claims c = access_claims();
    char *token = sign_or_fail(&c);
    authjwt_claims out;
    assert_int_equal(authjwt_verify(token, "access", NOW + 899, &out), PORTAL_OK);
    assert_int_equal(authjwt_verify(token, "access", NOW + 900, &out), PORTAL_ERR_EXPIRED);
    assert_string_equal(out.sub, "");
    assert_int_equal(authjwt_verify(token, "access", NOW + 86400, &out), PORTAL_ERR_EXPIRED);
    /* issued in the future: within the 30 s skew is fine, beyond is not */
    assert_int_equal(authjwt_verify(token, "access", NOW - 30, &out), PORTAL_OK);
    assert_int_equal(authjwt_verify(token, "access", NOW - 31, &out), PORTAL_ERR_DENIED);
    free(token);

    /* nbf in the future */
    c = access_claims();
    c.nbf = NOW + 600;
    token = sign_or_fail(&c);
    assert_int_equal(authjwt_verify(token, "access", NOW + 10, &out), PORTAL_ERR_DENIED);
    assert_int_equal(authjwt_verify(token, "access", NOW + 600 - 30, &out), PORTAL_OK);
    free(token);

    /* an expired token with a broken signature is just denied */
    c = access_claims();
    c.exp = NOW - 60;
    c.iat = NOW - 960;
    token = sign_or_fail(&c);
    assert_int_equal(verify_access(token), PORTAL_ERR_EXPIRED);
    token[strlen(token) - 2] = token[strlen(token) - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
    free(token);
}

static void test_wrong_issuer_audience_type(void **state)
{
    (void)state;
    authjwt_claims c = access_claims();
    strcpy(c.iss, "https://evil.example.com");
    char *token = sign_or_fail(&c);
    assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
    free(token);

    c = access_claims();
    strcpy(c.aud, "another-service");
    token = sign_or_fail(&c);
    assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
    free(token);

    /* an MFA token is no access token, and the other way round */
    c = access_claims();
    strcpy(c.typ, AUTHJWT_TYP_MFA);
    c.sid[0] = '\0';
    token = sign_or_fail(&c);
    assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
    authjwt_claims out;
    assert_int_equal(authjwt_verify(token, AUTHJWT_TYP_MFA, NOW + 10, &out), PORTAL_OK);
    assert_string_equal(out.sid, "");
    free(token);
    c = access_claims();
    token = sign_or_fail(&c);
    assert_int_equal(authjwt_verify(token, AUTHJWT_TYP_MFA, NOW + 10, &out), PORTAL_ERR_DENIED);
    free(token);

    /* an access token needs its session and organisation */
    c = access_claims();
    c.sid[0] = '\0';
    token = sign_or_fail(&c);
    assert_int_equal(verify_access(token), PORTAL_ERR_DENIED);
    free(token);
}

static void test_claim_types(void **state)
{
    (void)state;
    char h[256];
    good_header(h, sizeof h);
    static const char *const payloads[] = {
        /* duplicate key */
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"sub\":\"admin\",\"org\":\"o1\","
        "\"sid\":\"s1\",\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500,\"jti\":\"j1\"}",
        /* exp as a string, a real, missing */
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"exp\":\"1767226500\",\"jti\":\"j1\"}",
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500.0,\"jti\":\"j1\"}",
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"jti\":\"j1\"}",
        /* aud as an array, sub as a number, missing jti, missing sub */
        "{\"iss\":\"" ISS "\",\"aud\":[\"" AUD "\"],\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500,\"jti\":\"j1\"}",
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":1,\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500,\"jti\":\"j1\"}",
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500}",
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500,\"jti\":\"j1\"}",
        /* exp before iat, negative iat, payload not an object, not JSON */
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":1767226600,\"exp\":1767226500,\"jti\":\"j1\"}",
        "{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"u1\",\"org\":\"o1\",\"sid\":\"s1\","
        "\"typ\":\"access\",\"iat\":-5,\"exp\":1767226500,\"jti\":\"j1\"}",
        "[1,2,3]",
        "{\"iss\":",
    };
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        char *t = craft(h, payloads[i], SIGN_ES256);
        assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
        free(t);
    }
    char *t = craft(h, GOOD_PAYLOAD, SIGN_ES256);
    assert_int_equal(verify_access(t), PORTAL_OK);
    free(t);
}

static void test_garbage(void **state)
{
    (void)state;
    static const char *const garbage[] = {
        "",
        ".",
        "..",
        "...",
        "a.b.c",
        "a.b",
        "abc",
        "....",
        "eyJhbGciOiJFUzI1NiJ9..",
        "eyJhbGciOiJFUzI1NiJ9.e30.",
        "eyJhbGciOiJFUzI1NiJ9.e30.AAAA",
        "\xff\xfe.\x01.\x02",
        "Bearer eyJhbGciOiJFUzI1NiJ9.e30.AAAA",
        "e30=.e30=.AAAA",
    };
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++)
        assert_int_equal(verify_access(garbage[i]), PORTAL_ERR_DENIED);
    authjwt_claims out;
    assert_int_equal(authjwt_verify(NULL, "access", NOW, &out), PORTAL_ERR_DENIED);

    /* random bytes shaped like a token */
    for (int round = 0; round < 200; round++) {
        unsigned char raw[300];
        crypto_random_bytes(raw, sizeof raw);
        char t[600];
        size_t n = crypto_base64url_encode(raw, 100, t, sizeof t);
        t[n++] = '.';
        n += crypto_base64url_encode(raw + 100, 136, t + n, sizeof t - n);
        t[n++] = '.';
        crypto_base64url_encode(raw + 236, 64, t + n, sizeof t - n);
        assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
    }

    /* a 10 KiB token */
    char *big = malloc(10 * 1024 + 1);
    assert_non_null(big);
    memset(big, 'A', 10 * 1024);
    big[100] = '.';
    big[5000] = '.';
    big[10 * 1024] = '\0';
    assert_int_equal(verify_access(big), PORTAL_ERR_DENIED);
    free(big);
}

static void test_oversized_claims(void **state)
{
    (void)state;
    char h[256];
    good_header(h, sizeof h);
    char payload[3000];
    char sub[200];
    memset(sub, 'u', sizeof sub - 1);
    sub[sizeof sub - 1] = '\0';
    snprintf(payload, sizeof payload,
             "{\"iss\":\"" ISS "\",\"aud\":\"" AUD
             "\",\"sub\":\"%s\",\"org\":\"o1\",\"sid\":\"s1\","
             "\"typ\":\"access\",\"iat\":1767225600,\"exp\":1767226500,\"jti\":\"j1\"}",
             sub);
    char *t = craft(h, payload, SIGN_ES256);
    assert_int_equal(verify_access(t), PORTAL_ERR_DENIED);
    free(t);
}

/* ---- interoperability with libjwt ---- */

static void test_libjwt_interop(void **state)
{
    (void)state;
    EVP_PKEY *pkey = load_private();
    char *priv_pem = pem_of(pkey, 1);
    char *pub_pem = pem_of(pkey, 0);
    EVP_PKEY_free(pkey);

    /* our token verifies with libjwt */
    authjwt_claims c = access_claims();
    char *token = sign_or_fail(&c);
    jwt_t *decoded = NULL;
    assert_int_equal(
        jwt_decode(&decoded, token, (const unsigned char *)pub_pem, (int)strlen(pub_pem)), 0);
    assert_int_equal(jwt_get_alg(decoded), JWT_ALG_ES256);
    assert_string_equal(jwt_get_grant(decoded, "sub"), c.sub);
    jwt_free(decoded);
    free(token);

    /* libjwt's ES256 token verifies with us */
    jwt_t *jwt = NULL;
    assert_int_equal(jwt_new(&jwt), 0);
    assert_int_equal(jwt_add_grant(jwt, "iss", ISS), 0);
    assert_int_equal(jwt_add_grant(jwt, "aud", AUD), 0);
    assert_int_equal(jwt_add_grant(jwt, "sub", "from-libjwt"), 0);
    assert_int_equal(jwt_add_grant(jwt, "org", "o1"), 0);
    assert_int_equal(jwt_add_grant(jwt, "sid", "s1"), 0);
    assert_int_equal(jwt_add_grant(jwt, "typ", "access"), 0);
    assert_int_equal(jwt_add_grant(jwt, "jti", "j-libjwt"), 0);
    assert_int_equal(jwt_add_grant_int(jwt, "iat", NOW), 0);
    assert_int_equal(jwt_add_grant_int(jwt, "exp", NOW + 60), 0);
    assert_int_equal(jwt_add_header(jwt, "kid", our_kid()), 0);
    assert_int_equal(
        jwt_set_alg(jwt, JWT_ALG_ES256, (const unsigned char *)priv_pem, (int)strlen(priv_pem)), 0);
    token = jwt_encode_str(jwt);
    assert_non_null(token);
    authjwt_claims out;
    assert_int_equal(authjwt_verify(token, "access", NOW + 10, &out), PORTAL_OK);
    assert_string_equal(out.sub, "from-libjwt");
    free(token);
    jwt_free(jwt);
    free(priv_pem);
    free(pub_pem);
}

/* ---- concurrency ---- */

static void *verify_worker(void *arg)
{
    const char *token = arg;
    int ok = 1;
    for (int i = 0; i < 100; i++) {
        authjwt_claims out;
        ok &= authjwt_verify(token, "access", NOW + 10, &out) == PORTAL_OK;
        authjwt_claims c = access_claims();
        char *fresh = NULL;
        ok &= authjwt_sign(&c, &fresh) == PORTAL_OK;
        ok &= authjwt_verify(fresh, "access", NOW + 10, &out) == PORTAL_OK;
        free(fresh);
    }
    return ok ? arg : NULL;
}

static void test_concurrent_use(void **state)
{
    (void)state;
    authjwt_claims c = access_claims();
    char *token = sign_or_fail(&c);
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, verify_worker, token), 0);
    for (int i = 0; i < 4; i++) {
        void *result = NULL;
        pthread_join(threads[i], &result);
        assert_ptr_equal(result, token);
    }
    free(token);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_generated_with_mode_0600),
        cmocka_unit_test(test_key_errors),
        cmocka_unit_test(test_jwks),
        cmocka_unit_test(test_sign_and_verify),
        cmocka_unit_test(test_sign_rejects_bad_claims),
        cmocka_unit_test(test_rejects_alg_none),
        cmocka_unit_test(test_rejects_hs256_with_public_key),
        cmocka_unit_test(test_rejects_other_algorithms),
        cmocka_unit_test(test_rejects_altered_bytes),
        cmocka_unit_test(test_verified_tokens_are_remembered_per_key),
        cmocka_unit_test(test_expiry_and_not_before),
        cmocka_unit_test(test_wrong_issuer_audience_type),
        cmocka_unit_test(test_claim_types),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_oversized_claims),
        cmocka_unit_test(test_libjwt_interop),
        cmocka_unit_test(test_concurrent_use),
    };
    return cmocka_run_group_tests(tests, setup_module, teardown_module);
}
