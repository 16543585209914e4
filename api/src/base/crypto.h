/*
 * base/crypto.h: small cryptographic helpers shared by auth, http and store:
 * random bytes, SHA-256, HMAC-SHA-256, base64url, hex and constant-time comparison.
 * All wrap OpenSSL; none allocates unless it says so.
 */
#ifndef PORTAL_BASE_CRYPTO_H
#define PORTAL_BASE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/result.h"

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX_LEN 64

/* Fills out[0..len) from the OS CSPRNG. PORTAL_ERR_CRYPTO on failure. */
portal_result crypto_random_bytes(unsigned char *out, size_t len);

/* A random token: `prefix` followed by base64url(nbytes random bytes),
 * written to out (NUL-terminated). out_size must hold it; otherwise
 * PORTAL_ERR_TOO_LARGE and out is left empty. */
portal_result crypto_random_token(const char *prefix, size_t nbytes, char *out, size_t out_size);

/* SHA-256 of data[0..len) into out[32]. */
void crypto_sha256(const void *data, size_t len, unsigned char out[CRYPTO_SHA256_LEN]);

/* SHA-256 of an open file from its start, read in 64 KiB blocks, into
 * out[32]; f stays the caller's (its position moves). PORTAL_ERR_IO when
 * it cannot be read, PORTAL_ERR_CRYPTO when OpenSSL fails; out is then
 * zeroed. */
portal_result crypto_sha256_file(FILE *f, unsigned char out[CRYPTO_SHA256_LEN]);

/* HMAC-SHA-256 of data[0..len) under key[0..key_len) into out[32].
 * PORTAL_ERR_CRYPTO when OpenSSL fails (out is then zeroed). */
portal_result crypto_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                                 unsigned char out[CRYPTO_SHA256_LEN]);

/* SHA-256 of a NUL-terminated string as 64 lower-case hex chars + NUL. */
void crypto_sha256_hex(const char *text, char out[CRYPTO_SHA256_HEX_LEN + 1]);

/* base64url without padding. Returns the number of characters written
 * (excluding the NUL), or 0 when out_size is too small (out left empty). */
size_t crypto_base64url_encode(const unsigned char *data, size_t len, char *out, size_t out_size);

/* Decodes base64url (padding optional). Returns bytes written, or -1 on bad
 * input or when out_size is too small. */
long crypto_base64url_decode(const char *text, size_t text_len, unsigned char *out,
                             size_t out_size);

/* Lower-case hex of data into out (2*len+1 bytes needed). */
void crypto_hex_encode(const unsigned char *data, size_t len, char *out);

/* 1 when a and b (each len bytes) are equal, in time independent of content. */
int crypto_equal(const void *a, const void *b, size_t len);

#endif
