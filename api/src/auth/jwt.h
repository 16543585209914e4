/*
 * auth/jwt.h: the portal's own JSON Web Tokens (compact JWS, ES256).
 *
 * One EC P-256 key signs every token. authjwt_init loads it (or creates it on
 * first start), parses the public half once and computes its key id (RFC 7638
 * thumbprint), which every token names in its "kid" header and which
 * authjwt_jwks_json publishes.
 *
 * Signing and verifying use OpenSSL directly, not libjwt: libjwt 1.10 lets a
 * token choose its own algorithm and re-parses the PEM key on every call.
 * Verification accepts only what this module signs: header alg exactly
 * "ES256" (never "none", HS256 or anything else), typ "JWT" when present, kid
 * equal to ours when present, no "crit"; a valid raw r||s signature; then
 * every claim is checked (see authjwt_verify).
 *
 * Clock skew: iat and nbf may lie up to AUTHJWT_CLOCK_SKEW seconds in the
 * future (another server's clock may run ahead); exp gets no grace, so a
 * token is never honoured after its stated expiry.
 *
 * Thread safety: authjwt_init and authjwt_shutdown run alone; sign, verify
 * and jwks may then be called from any number of threads at once.
 */
#ifndef PORTAL_AUTH_JWT_H
#define PORTAL_AUTH_JWT_H

#include <time.h>

#include "base/result.h"

/* Tokens longer than this are refused unread (and never produced). */
#define AUTHJWT_TOKEN_MAX 4096
#define AUTHJWT_CLOCK_SKEW 30
/* Buffer sizes, NUL included. */
#define AUTHJWT_URI_SIZE 256
#define AUTHJWT_ID_SIZE 64
#define AUTHJWT_TYP_SIZE 16

/* The token types this portal issues. */
#define AUTHJWT_TYP_ACCESS "access"
#define AUTHJWT_TYP_MFA "mfa"

/* The claims of a portal token. Strings are NUL-terminated within their
 * arrays; an empty string means "absent" for the optional ones.
 *   iss, aud  issuer and audience (empty when signing: the configured ones)
 *   sub       the user id (required)
 *   org       the user's organisation id (required for "access" tokens)
 *   sid       the session id (required for "access" tokens)
 *   typ       AUTHJWT_TYP_ACCESS or AUTHJWT_TYP_MFA (required)
 *   iat, nbf, exp  Unix seconds; nbf 0 when signing means "= iat"
 *   jti       unique token id (empty when signing: a random one is made)
 *   ext       an optional short extra value (e.g. the MFA step), claim "ext"
 */
typedef struct {
    char iss[AUTHJWT_URI_SIZE];
    char aud[AUTHJWT_URI_SIZE];
    char sub[AUTHJWT_ID_SIZE];
    char org[AUTHJWT_ID_SIZE];
    char sid[AUTHJWT_ID_SIZE];
    char typ[AUTHJWT_TYP_SIZE];
    long long iat;
    long long nbf;
    long long exp;
    char jti[AUTHJWT_ID_SIZE];
    char ext[AUTHJWT_ID_SIZE];
} authjwt_claims;

/* Loads the EC P-256 private key (PEM, PKCS#8 or SEC1, unencrypted) from
 * private_key_pem_path. When the file does not exist and generate_if_missing
 * is non-zero, creates a new key there first (mode 0600, never overwriting a
 * file that appears meanwhile). issuer and audience (non-empty, shorter than
 * AUTHJWT_URI_SIZE) are what tokens are signed with and checked against.
 * Calling it again replaces the previous state. Returns PORTAL_ERR_IO when
 * the file cannot be read or written, PORTAL_ERR_INVALID when it is not an
 * EC P-256 private key or the arguments are bad, PORTAL_ERR_CRYPTO or
 * PORTAL_ERR_MEMORY otherwise; on error the module is left uninitialised. */
portal_result authjwt_init(const char *private_key_pem_path, int generate_if_missing,
                           const char *issuer, const char *audience);

/* Frees the keys. Safe to call twice or without authjwt_init. */
void authjwt_shutdown(void);

/* The public key set as malloc'd compact JSON,
 * {"keys":[{"kty":"EC","crv":"P-256","x":..,"y":..,"kid":..,"alg":"ES256",
 * "use":"sig"}]}; the caller frees it. NULL when not initialised or out of
 * memory. */
char *authjwt_jwks_json(void);

/* Signs the claims c into a compact JWS with header
 * {"alg":"ES256","typ":"JWT","kid":..}. On PORTAL_OK *token_out is a
 * malloc'd string the caller frees. Returns PORTAL_ERR_INVALID when sub or
 * typ is empty, a string is not terminated within its array, or exp <= iat;
 * PORTAL_ERR_INTERNAL when not initialised; PORTAL_ERR_TOO_LARGE when the
 * token would exceed AUTHJWT_TOKEN_MAX; PORTAL_ERR_CRYPTO or
 * PORTAL_ERR_MEMORY otherwise; on error *token_out is NULL. */
portal_result authjwt_sign(const authjwt_claims *c, char **token_out);

/* Verifies token (NUL-terminated, anything at all) at time now, expecting the
 * type expected_typ. Requires: at most AUTHJWT_TOKEN_MAX bytes; three
 * canonical base64url parts; header and payload JSON objects without
 * duplicate keys; the header rules above; a valid ES256 signature by our key;
 * iss and aud (a string) equal to the configured ones; typ equal to
 * expected_typ; sub and jti non-empty strings; org, sid and ext strings when
 * present (org and sid required for "access"); iat, exp and (optional) nbf
 * JSON integers with iat < exp, iat and nbf at most AUTHJWT_CLOCK_SKEW
 * seconds after now; every string within its field's size. Returns PORTAL_OK
 * and fills *out; PORTAL_ERR_EXPIRED when the token passes every check except
 * exp > now; PORTAL_ERR_DENIED for anything else wrong with the token;
 * PORTAL_ERR_INTERNAL when not initialised; PORTAL_ERR_MEMORY. *out is
 * zeroed unless PORTAL_OK. */
portal_result authjwt_verify(const char *token, const char *expected_typ, time_t now,
                             authjwt_claims *out);

#endif
