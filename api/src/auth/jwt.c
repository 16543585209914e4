/* auth/jwt.c: see jwt.h. Keys, signing and verification; the cache of
 * verified signatures is in jwt_verified.c. */
#include "auth/jwt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "auth/jwt_internal.h"
#include "base/crypto.h"

#define COORD_LEN 32
#define SIG_LEN (2 * COORD_LEN)
/* base64url of 64 bytes. */
#define SIG_B64_LEN 86
#define DER_SIG_MAX 80
#define KID_SIZE 64
#define HEADER_B64_SIZE 256
/* A latest sane timestamp (9999-12-31), so arithmetic never overflows. */
#define TIME_MAX 253402300799LL

static EVP_PKEY *g_priv;
static EVP_PKEY *g_pub;
static char g_kid[KID_SIZE];
static char g_header_b64[HEADER_B64_SIZE];
static char *g_jwks;
static char g_issuer[AUTHJWT_URI_SIZE];
static char g_audience[AUTHJWT_URI_SIZE];
static int g_ready;

/* ---- keys ---- */

/* Never prompt for a passphrase: an encrypted key simply fails to load. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

/* Creates a P-256 key at path with mode 0600. PORTAL_OK also when the file
 * appeared meanwhile (another process won the race; its key is loaded). */
static portal_result generate_key_file(const char *path)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (!pkey)
        return PORTAL_ERR_CRYPTO;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        EVP_PKEY_free(pkey);
        return errno == EEXIST ? PORTAL_OK : PORTAL_ERR_IO;
    }
    FILE *f = NULL;
    int ok = fchmod(fd, 0600) == 0 && (f = fdopen(fd, "w")) != NULL;
    if (!f)
        close(fd);
    ok = ok && PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1 && fflush(f) == 0 &&
         fsync(fileno(f)) == 0;
    if (f && fclose(f) != 0)
        ok = 0;
    EVP_PKEY_free(pkey);
    if (!ok) {
        unlink(path);
        return PORTAL_ERR_IO;
    }
    return PORTAL_OK;
}

static portal_result load_key(const char *path, int generate_if_missing, EVP_PKEY **out)
{
    FILE *f = fopen(path, "r");
    if (!f && errno == ENOENT && generate_if_missing) {
        portal_result rc = generate_key_file(path);
        if (rc != PORTAL_OK)
            return rc;
        f = fopen(path, "r");
    }
    if (!f)
        return PORTAL_ERR_IO;
    EVP_PKEY *pkey = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
    fclose(f);
    if (!pkey)
        return PORTAL_ERR_INVALID;

    char group[32];
    size_t group_len = 0;
    if (!EVP_PKEY_is_a(pkey, "EC") ||
        EVP_PKEY_get_group_name(pkey, group, sizeof group, &group_len) != 1 ||
        (strcmp(group, "prime256v1") != 0 && strcmp(group, "P-256") != 0)) {
        EVP_PKEY_free(pkey);
        return PORTAL_ERR_INVALID;
    }
    *out = pkey;
    return PORTAL_OK;
}

/* Writes base64url of the 32-byte big-endian coordinate `name` into out. */
static portal_result coordinate_b64(EVP_PKEY *pkey, const char *name, char *out, size_t size)
{
    BIGNUM *bn = NULL;
    unsigned char raw[COORD_LEN];
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1)
        return PORTAL_ERR_CRYPTO;
    int n = BN_bn2binpad(bn, raw, sizeof raw);
    BN_free(bn);
    if (n != COORD_LEN || crypto_base64url_encode(raw, sizeof raw, out, size) == 0)
        return PORTAL_ERR_CRYPTO;
    return PORTAL_OK;
}

/* Parses the public half of g_priv into g_pub, computes the RFC 7638
 * thumbprint, the JWKS document and the fixed token header. */
static portal_result derive_public(void)
{
    unsigned char *der = NULL;
    int der_len = i2d_PUBKEY(g_priv, &der);
    if (der_len <= 0)
        return PORTAL_ERR_CRYPTO;
    const unsigned char *p = der;
    g_pub = d2i_PUBKEY(NULL, &p, der_len);
    OPENSSL_free(der);
    if (!g_pub)
        return PORTAL_ERR_CRYPTO;

    char x[64], y[64];
    portal_result rc = coordinate_b64(g_pub, OSSL_PKEY_PARAM_EC_PUB_X, x, sizeof x);
    if (rc == PORTAL_OK)
        rc = coordinate_b64(g_pub, OSSL_PKEY_PARAM_EC_PUB_Y, y, sizeof y);
    if (rc != PORTAL_OK)
        return rc;

    /* RFC 7638: the required members in lexicographic order, no spaces. */
    char canonical[256];
    int n = snprintf(canonical, sizeof canonical,
                     "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", x, y);
    if (n < 0 || (size_t)n >= sizeof canonical)
        return PORTAL_ERR_INTERNAL;
    unsigned char digest[CRYPTO_SHA256_LEN];
    crypto_sha256(canonical, (size_t)n, digest);
    if (crypto_base64url_encode(digest, sizeof digest, g_kid, sizeof g_kid) == 0)
        return PORTAL_ERR_INTERNAL;

    json_t *jwks = json_pack("{s:[{s:s,s:s,s:s,s:s,s:s,s:s,s:s}]}", "keys", "kty", "EC", "crv",
                             "P-256", "x", x, "y", y, "kid", g_kid, "alg", "ES256", "use", "sig");
    if (!jwks)
        return PORTAL_ERR_MEMORY;
    g_jwks = json_dumps(jwks, JSON_COMPACT);
    json_decref(jwks);
    if (!g_jwks)
        return PORTAL_ERR_MEMORY;

    char header[160];
    n = snprintf(header, sizeof header, "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
                 g_kid);
    if (n < 0 || (size_t)n >= sizeof header ||
        crypto_base64url_encode((const unsigned char *)header, (size_t)n, g_header_b64,
                                sizeof g_header_b64) == 0)
        return PORTAL_ERR_INTERNAL;
    return PORTAL_OK;
}

static int copy_config(char *dst, const char *src)
{
    size_t len = src ? strnlen(src, AUTHJWT_URI_SIZE) : 0;
    if (len == 0 || len >= AUTHJWT_URI_SIZE)
        return -1;
    memcpy(dst, src, len + 1);
    return 0;
}

portal_result authjwt_init(const char *private_key_pem_path, int generate_if_missing,
                           const char *issuer, const char *audience)
{
    authjwt_shutdown();
    if (!private_key_pem_path || copy_config(g_issuer, issuer) ||
        copy_config(g_audience, audience)) {
        authjwt_shutdown();
        return PORTAL_ERR_INVALID;
    }
    portal_result rc = load_key(private_key_pem_path, generate_if_missing, &g_priv);
    if (rc == PORTAL_OK)
        rc = derive_public();
    if (rc != PORTAL_OK) {
        authjwt_shutdown();
        return rc;
    }
    g_ready = 1;
    return PORTAL_OK;
}

void authjwt_shutdown(void)
{
    EVP_PKEY_free(g_priv);
    EVP_PKEY_free(g_pub);
    free(g_jwks);
    g_priv = NULL;
    g_pub = NULL;
    g_jwks = NULL;
    g_kid[0] = '\0';
    g_header_b64[0] = '\0';
    g_issuer[0] = '\0';
    g_audience[0] = '\0';
    g_ready = 0;
    authjwt_verified_clear();
}

char *authjwt_jwks_json(void)
{
    if (!g_ready)
        return NULL;
    size_t len = strlen(g_jwks);
    char *copy = malloc(len + 1);
    if (copy)
        memcpy(copy, g_jwks, len + 1);
    return copy;
}

/* ---- signing ---- */

static int terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static int set_string(json_t *obj, const char *key, const char *value)
{
    json_t *v = json_string(value);
    return v ? json_object_set_new(obj, key, v) : -1;
}

static int set_integer(json_t *obj, const char *key, long long value)
{
    json_t *v = json_integer((json_int_t)value);
    return v ? json_object_set_new(obj, key, v) : -1;
}

/* The payload JSON for c, or NULL (invalid UTF-8 in a string, or memory). */
static char *payload_json(const authjwt_claims *c, const char *jti)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    long long nbf = c->nbf ? c->nbf : c->iat;
    int bad = set_string(obj, "iss", c->iss[0] ? c->iss : g_issuer) ||
              set_string(obj, "aud", c->aud[0] ? c->aud : g_audience) ||
              set_string(obj, "sub", c->sub) || (c->org[0] && set_string(obj, "org", c->org)) ||
              (c->sid[0] && set_string(obj, "sid", c->sid)) || set_string(obj, "typ", c->typ) ||
              set_integer(obj, "iat", c->iat) || set_integer(obj, "nbf", nbf) ||
              set_integer(obj, "exp", c->exp) || set_string(obj, "jti", jti) ||
              (c->ext[0] && set_string(obj, "ext", c->ext));
    char *text = bad ? NULL : json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    return text;
}

/* ES256 over msg: the raw r||s signature into sig[64]. */
static portal_result es256_sign(const char *msg, size_t len, unsigned char sig[SIG_LEN])
{
    unsigned char der[DER_SIG_MAX];
    size_t der_len = sizeof der;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return PORTAL_ERR_MEMORY;
    int ok = EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, g_priv) == 1 &&
             EVP_DigestSign(ctx, der, &der_len, (const unsigned char *)msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return PORTAL_ERR_CRYPTO;

    const unsigned char *p = der;
    ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (!es)
        return PORTAL_ERR_CRYPTO;
    const BIGNUM *r = NULL;
    const BIGNUM *s = NULL;
    ECDSA_SIG_get0(es, &r, &s);
    ok = BN_bn2binpad(r, sig, COORD_LEN) == COORD_LEN &&
         BN_bn2binpad(s, sig + COORD_LEN, COORD_LEN) == COORD_LEN;
    ECDSA_SIG_free(es);
    return ok ? PORTAL_OK : PORTAL_ERR_CRYPTO;
}

portal_result authjwt_sign(const authjwt_claims *c, char **token_out)
{
    *token_out = NULL;
    if (!g_ready)
        return PORTAL_ERR_INTERNAL;
    if (!terminated(c->iss, sizeof c->iss) || !terminated(c->aud, sizeof c->aud) ||
        !terminated(c->sub, sizeof c->sub) || !terminated(c->org, sizeof c->org) ||
        !terminated(c->sid, sizeof c->sid) || !terminated(c->typ, sizeof c->typ) ||
        !terminated(c->jti, sizeof c->jti) || !terminated(c->ext, sizeof c->ext) ||
        c->sub[0] == '\0' || c->typ[0] == '\0' || c->iat < 0 || c->nbf < 0 || c->exp <= c->iat ||
        c->exp > TIME_MAX)
        return PORTAL_ERR_INVALID;

    char jti[AUTHJWT_ID_SIZE];
    if (c->jti[0]) {
        memcpy(jti, c->jti, strlen(c->jti) + 1);
    } else {
        portal_result rc = crypto_random_token("", 16, jti, sizeof jti);
        if (rc != PORTAL_OK)
            return rc;
    }

    char *payload = payload_json(c, jti);
    if (!payload)
        return PORTAL_ERR_INVALID;
    char *token = malloc(AUTHJWT_TOKEN_MAX + 1);
    if (!token) {
        free(payload);
        return PORTAL_ERR_MEMORY;
    }
    size_t pos = strlen(g_header_b64);
    memcpy(token, g_header_b64, pos);
    token[pos++] = '.';
    size_t n = crypto_base64url_encode((const unsigned char *)payload, strlen(payload), token + pos,
                                       AUTHJWT_TOKEN_MAX + 1 - pos);
    free(payload);
    pos += n;
    if (n == 0 || pos + 1 + SIG_B64_LEN > AUTHJWT_TOKEN_MAX) {
        free(token);
        return PORTAL_ERR_TOO_LARGE;
    }

    unsigned char sig[SIG_LEN];
    portal_result rc = es256_sign(token, pos, sig);
    if (rc != PORTAL_OK) {
        free(token);
        return rc;
    }
    token[pos++] = '.';
    crypto_base64url_encode(sig, sizeof sig, token + pos, AUTHJWT_TOKEN_MAX + 1 - pos);
    *token_out = token;
    return PORTAL_OK;
}

/* ---- verification ---- */

static int b64url_value(char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '-')
        return 62;
    if (ch == '_')
        return 63;
    return -1;
}

/* Decodes one part of a compact JWS; -1 unless it is non-empty, canonical
 * base64url without padding (unused trailing bits zero) and fits out. */
static long decode_part(const char *part, size_t len, unsigned char *out, size_t size)
{
    if (len == 0 || len % 4 == 1)
        return -1;
    int last = b64url_value(part[len - 1]);
    if (last < 0 || (len % 4 == 2 && (last & 15)) || (len % 4 == 3 && (last & 3)))
        return -1;
    return crypto_base64url_decode(part, len, out, size);
}

/* ES256 check of the raw r||s signature over msg with the public key. */
static int es256_verify(const char *msg, size_t len, const unsigned char sig[SIG_LEN])
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, COORD_LEN, NULL);
    BIGNUM *s = BN_bin2bn(sig + COORD_LEN, COORD_LEN, NULL);
    if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
        ECDSA_SIG_free(es);
        BN_free(r);
        BN_free(s);
        return 0;
    }
    unsigned char der[DER_SIG_MAX];
    unsigned char *p = der;
    int der_len = i2d_ECDSA_SIG(es, NULL);
    int ok = der_len > 0 && der_len <= (int)sizeof der && i2d_ECDSA_SIG(es, &p) == der_len;
    ECDSA_SIG_free(es);
    if (!ok)
        return 0;

    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return 0;
    ok = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, g_pub) == 1 &&
         EVP_DigestVerify(ctx, der, (size_t)der_len, (const unsigned char *)msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static json_t *parse_object(const unsigned char *text, size_t len)
{
    json_error_t err;
    json_t *v = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &err);
    if (v && !json_is_object(v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static int header_acceptable(const json_t *h)
{
    const json_t *alg = json_object_get(h, "alg");
    const json_t *typ = json_object_get(h, "typ");
    const json_t *kid = json_object_get(h, "kid");
    if (!json_is_string(alg) || strcmp(json_string_value(alg), "ES256") != 0)
        return 0;
    if (typ && (!json_is_string(typ) || strcmp(json_string_value(typ), "JWT") != 0))
        return 0;
    if (kid && (!json_is_string(kid) || strcmp(json_string_value(kid), g_kid) != 0))
        return 0;
    return json_object_get(h, "crit") == NULL;
}

/* Copies string claim `key` into dst; -1 when it has the wrong type, does not
 * fit, or is missing/empty while required. Absent optional claims give "". */
static int claim_string(const json_t *obj, const char *key, char *dst, size_t size, int required)
{
    const json_t *v = json_object_get(obj, key);
    dst[0] = '\0';
    if (!v)
        return required ? -1 : 0;
    if (!json_is_string(v))
        return -1;
    size_t len = json_string_length(v);
    if (len >= size || (required && len == 0))
        return -1;
    memcpy(dst, json_string_value(v), len + 1);
    return 0;
}

static int claim_time(const json_t *obj, const char *key, long long *dst, int required)
{
    const json_t *v = json_object_get(obj, key);
    if (!v) {
        *dst = 0;
        return required ? -1 : 0;
    }
    if (!json_is_integer(v))
        return -1;
    json_int_t t = json_integer_value(v);
    if (t < 0 || t > TIME_MAX)
        return -1;
    *dst = (long long)t;
    return 0;
}

/* 1 when the token was issued and valid from no later than now, give or
 * take the clock skew. */
static int claims_begun(const authjwt_claims *c, time_t now)
{
    long long latest = (long long)now + AUTHJWT_CLOCK_SKEW;
    return c->iat <= latest && c->nbf <= latest;
}

/* Every claim rule but expiry; fills c. */
static portal_result check_claims(const json_t *p, const char *expected_typ, time_t now,
                                  authjwt_claims *c)
{
    int needs_session = strcmp(expected_typ, AUTHJWT_TYP_ACCESS) == 0;
    int has_nbf = json_object_get(p, "nbf") != NULL;
    if (claim_string(p, "iss", c->iss, sizeof c->iss, 1) ||
        claim_string(p, "aud", c->aud, sizeof c->aud, 1) ||
        claim_string(p, "sub", c->sub, sizeof c->sub, 1) ||
        claim_string(p, "org", c->org, sizeof c->org, needs_session) ||
        claim_string(p, "sid", c->sid, sizeof c->sid, needs_session) ||
        claim_string(p, "typ", c->typ, sizeof c->typ, 1) ||
        claim_string(p, "jti", c->jti, sizeof c->jti, 1) ||
        claim_string(p, "ext", c->ext, sizeof c->ext, 0) || claim_time(p, "iat", &c->iat, 1) ||
        claim_time(p, "nbf", &c->nbf, 0) || claim_time(p, "exp", &c->exp, 1))
        return PORTAL_ERR_DENIED;
    if (!has_nbf)
        c->nbf = c->iat;
    if (strcmp(c->iss, g_issuer) != 0 || strcmp(c->aud, g_audience) != 0 ||
        strcmp(c->typ, expected_typ) != 0)
        return PORTAL_ERR_DENIED;
    if (c->iat >= c->exp || !claims_begun(c, now))
        return PORTAL_ERR_DENIED;
    return PORTAL_OK;
}

portal_result authjwt_verify(const char *token, const char *expected_typ, time_t now,
                             authjwt_claims *out)
{
    memset(out, 0, sizeof *out);
    if (!g_ready)
        return PORTAL_ERR_INTERNAL;
    if (!token || !expected_typ)
        return PORTAL_ERR_DENIED;
    size_t len = strnlen(token, AUTHJWT_TOKEN_MAX + 1);
    if (len > AUTHJWT_TOKEN_MAX)
        return PORTAL_ERR_DENIED;

    /* A token text that passed every check before passes them again; what
     * depends on the moment (expiry in the lookup, issue and not-before
     * times) and the expected type are checked once more. */
    unsigned char digest[CRYPTO_SHA256_LEN];
    crypto_sha256(token, len, digest);
    if (authjwt_verified_lookup(digest, (long long)now, out)) {
        if (strcmp(out->typ, expected_typ) == 0 && claims_begun(out, now))
            return PORTAL_OK;
        memset(out, 0, sizeof *out);
        return PORTAL_ERR_DENIED;
    }

    const char *dot1 = memchr(token, '.', len);
    const char *dot2 = dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) : NULL;
    if (!dot2 || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)))
        return PORTAL_ERR_DENIED;

    unsigned char header[AUTHJWT_TOKEN_MAX];
    unsigned char payload[AUTHJWT_TOKEN_MAX];
    unsigned char sig[SIG_LEN];
    long header_len = decode_part(token, (size_t)(dot1 - token), header, sizeof header);
    long payload_len = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1), payload, sizeof payload);
    long sig_len = decode_part(dot2 + 1, len - (size_t)(dot2 + 1 - token), sig, sizeof sig);
    if (header_len <= 0 || payload_len <= 0 || sig_len != SIG_LEN)
        return PORTAL_ERR_DENIED;

    json_t *h = parse_object(header, (size_t)header_len);
    int header_ok = h && header_acceptable(h);
    json_decref(h);
    if (!header_ok || !es256_verify(token, (size_t)(dot2 - token), sig))
        return PORTAL_ERR_DENIED;

    json_t *p = parse_object(payload, (size_t)payload_len);
    if (!p)
        return PORTAL_ERR_DENIED;
    portal_result rc = check_claims(p, expected_typ, now, out);
    json_decref(p);
    if (rc == PORTAL_OK && out->exp <= (long long)now)
        rc = PORTAL_ERR_EXPIRED;
    if (rc == PORTAL_OK)
        authjwt_verified_add(digest, out);
    if (rc != PORTAL_OK)
        memset(out, 0, sizeof *out);
    return rc;
}
