/*
 * auth/recovery.h: single-use recovery codes for a lost authenticator.
 *
 * A user gets RECOVERY_CODE_COUNT codes, each 10 characters from Crockford's
 * base32 alphabet (0-9 and a-z without i, l, o, u), 50 random bits, shown as
 * "xxxxx-xxxxx". Only crypto_sha256_hex of the normalized code is stored.
 * Normalizing drops spaces and dashes, lower-cases, and reads o as 0 and i or
 * l as 1, so what a user types from a printout matches what was stored.
 *
 * All functions are thread-safe and allocate nothing.
 */
#ifndef PORTAL_AUTH_RECOVERY_H
#define PORTAL_AUTH_RECOVERY_H

#include <stddef.h>

#include "base/crypto.h"
#include "base/result.h"

#define RECOVERY_CODE_COUNT 10
#define RECOVERY_CODE_CHARS 10
/* "xxxxx-xxxxx" and a NUL. */
#define RECOVERY_CODE_SIZE 12
/* A normalized code and a NUL. */
#define RECOVERY_NORMALIZED_SIZE (RECOVERY_CODE_CHARS + 1)

/* Fills codes with RECOVERY_CODE_COUNT fresh, distinct codes in display form.
 * Returns PORTAL_ERR_CRYPTO when the random source fails; codes then holds
 * empty strings. */
portal_result recovery_generate(char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE]);

/* Normalizes what a user typed into out (size >= RECOVERY_NORMALIZED_SIZE):
 * spaces and dashes dropped, letters lower-cased, o read as 0, i and l as 1.
 * Returns PORTAL_ERR_INVALID unless exactly RECOVERY_CODE_CHARS alphabet
 * characters remain (input is capped at 64 bytes), PORTAL_ERR_TOO_LARGE when
 * out is too small; on error out holds an empty string (when size > 0). */
portal_result recovery_normalize(const char *input, char *out, size_t size);

/* The stored form: crypto_sha256_hex of the normalized input, into out.
 * Fails like recovery_normalize (out then holds an empty string). */
portal_result recovery_hash(const char *input, char out[CRYPTO_SHA256_HEX_LEN + 1]);

#endif
