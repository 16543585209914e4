/*
 * auth/secretbox.h: encryption at rest for small secrets kept in PostgreSQL
 * (TOTP secrets), with AES-256-GCM under one data key shared by every
 * instance.
 *
 * Sealed text: "v1:<base64 nonce>:<base64 ciphertext and tag>" (standard
 * base64 alphabet with padding; a fresh random 12-byte nonce per seal and a
 * 16-byte tag). A context string (e.g. "totp:<user id>") is authenticated
 * with it, so a sealed value copied to another row or purpose does not open.
 * The version prefix leaves room for another algorithm or key later; a value
 * without it is not sealed (secretbox_is_sealed).
 *
 * Key file (PORTAL_DATA_KEY_FILE): the base64 of 32 random bytes on one line,
 * e.g. `openssl rand -base64 32 > data-key`. In development a missing file
 * is created (mode 0600); production refuses to start without it.
 *
 * The process key is set once at start-up, before any thread uses it, and
 * only read afterwards.
 */
#ifndef PORTAL_AUTH_SECRETBOX_H
#define PORTAL_AUTH_SECRETBOX_H

#include <stddef.h>

#include "base/result.h"

#define SECRETBOX_KEY_LEN 32
#define SECRETBOX_NONCE_LEN 12
#define SECRETBOX_TAG_LEN 16
#define SECRETBOX_PREFIX "v1:"
/* The largest plaintext sealed (bytes). */
#define SECRETBOX_MAX_PLAIN 512
/* Characters of the sealed text of `n` plaintext bytes, NUL included. */
#define SECRETBOX_SEALED_SIZE(n)                                                                   \
    (sizeof SECRETBOX_PREFIX - 1 + 16 + 1 + 4 * (((n) + SECRETBOX_TAG_LEN + 2) / 3) + 1)

/* Reads the process key from path (base64 of 32 bytes, surrounding white
 * space ignored). With generate_if_missing a missing file is created first
 * with a fresh random key. PORTAL_ERR_IO when the file cannot be read or
 * created, PORTAL_ERR_INVALID when it does not hold a 32-byte key. */
portal_result secretbox_load_key_file(const char *path, int generate_if_missing);

/* Sets the process key directly (tests and tools). */
void secretbox_set_key(const unsigned char key[SECRETBOX_KEY_LEN]);

/* Wipes the process key; sealing and opening fail until one is set again. */
void secretbox_clear_key(void);

/* Derives a 32-byte key for another purpose (e.g. "cursor") from the
 * process key: HMAC-SHA-256(data key, "portal-subkey:" purpose), so every
 * instance sharing the data key derives the same one and the data key
 * itself is never used twice. PORTAL_ERR_CRYPTO when no key is set (out is
 * then zeroed). */
portal_result secretbox_derive_key(const char *purpose, unsigned char out[SECRETBOX_KEY_LEN]);

/* 1 when text starts with a known version prefix. */
int secretbox_is_sealed(const char *text);

/* Seals plain[0..len) for `context` with `key` into out (NUL-terminated).
 * PORTAL_ERR_TOO_LARGE when out_size is below SECRETBOX_SEALED_SIZE(len) or
 * len above SECRETBOX_MAX_PLAIN; PORTAL_ERR_CRYPTO when OpenSSL fails. On
 * error out holds an empty string (when out_size > 0). */
portal_result secretbox_seal_with(const unsigned char key[SECRETBOX_KEY_LEN], const void *plain,
                                  size_t len, const char *context, char *out, size_t out_size);

/* Opens sealed text made for `context` with `key` into out, setting *len.
 * PORTAL_ERR_INVALID when the text is not in the sealed format,
 * PORTAL_ERR_DENIED when it does not authenticate (tampered, another key or
 * another context), PORTAL_ERR_TOO_LARGE when out_size is too small. out is
 * wiped on any error. */
portal_result secretbox_open_with(const unsigned char key[SECRETBOX_KEY_LEN], const char *sealed,
                                  const char *context, void *out, size_t out_size, size_t *len);

/* The same with the process key; PORTAL_ERR_CRYPTO when none is set. */
portal_result secretbox_seal(const void *plain, size_t len, const char *context, char *out,
                             size_t out_size);
portal_result secretbox_open(const char *sealed, const char *context, void *out, size_t out_size,
                             size_t *len);

#endif
