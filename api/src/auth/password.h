/*
 * auth/password.h: password hashing (argon2id) and the password policy.
 *
 * Hashing: argon2id, m = 19456 KiB, t = 2, p = 1, a 16-byte random salt and a
 * 32-byte hash, stored as the PHC string "$argon2id$v=19$m=19456,t=2,p=1$..".
 * Each hash or verify takes about 19 MiB and tens of milliseconds of CPU, so
 * the number running at once is bounded by a semaphore (password_init).
 *
 * Policy (NIST SP 800-63B style, no composition rules): 12 to 128 Unicode code
 * points of valid UTF-8 without control characters; not containing the
 * username or the e-mail address or its local part (ASCII case-insensitive;
 * a username or local part shorter than 3 bytes is not checked); not in the
 * shipped list of common passwords (case-insensitive exact match); not one
 * short string repeated, not mostly a keyboard walk or alphabet/digit run
 * ("qwertyuiopas"); not judged weak by libpwquality with its cracklib
 * dictionary (dictionary words, palindromes, too few different characters),
 * its composition and length rules switched off. The password is checked as
 * given (no Unicode normalisation) and never logged or copied.
 *
 * Thread safety: password_init and password_shutdown run alone (at start and
 * stop); everything else may be called from any number of threads.
 */
#ifndef PORTAL_AUTH_PASSWORD_H
#define PORTAL_AUTH_PASSWORD_H

#include <stddef.h>

#include "base/result.h"

/* Size of a buffer that holds any encoded hash this module writes, with NUL. */
#define PASSWORD_ENCODED_SIZE 128
/* Policy bounds, in Unicode code points. */
#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 128
/* Hash and verify refuse longer input (bytes) with PORTAL_ERR_TOO_LARGE. */
#define PASSWORD_MAX_BYTES 1024

/* Why the policy refused a password. `code` is a stable identifier
 * ("invalid", "too_short", "too_long", "contains_username", "contains_email",
 * "common_password", "weak"); the messages are user-facing sentences. All
 * three point to static strings (never free them); all are NULL when the
 * password was accepted. */
typedef struct {
    const char *code;
    const char *message_nl;
    const char *message_en;
} password_rejection;

/* Prepares the module: bounds concurrent hash/verify calls to max_concurrent
 * (values below 1 count as 1), loads the common-password list from
 * common_list_path (NULL: PORTAL_SOURCE_DIR "/api/data/common-passwords.txt")
 * and sets up libpwquality. Calling it again first shuts the module down.
 * Returns PORTAL_ERR_IO when the list cannot be read, PORTAL_ERR_INVALID when
 * it holds no entries, PORTAL_ERR_MEMORY or PORTAL_ERR_INTERNAL otherwise; on
 * error the module is left uninitialised (the server must refuse to start).
 * Without password_init, hash and verify still work (unbounded) but
 * password_check_policy answers PORTAL_ERR_INTERNAL. */
portal_result password_init(int max_concurrent, const char *common_list_path);

/* Caps the callers hashing or waiting to hash (0: no cap). Past the cap,
 * hash and verify return PORTAL_ERR_BUSY at once instead of waiting. */
void password_set_queue_limit(int max_inside);

/* Frees the list and settings and drops the bound. Safe to call twice, or
 * without password_init. No other call may be running. */
void password_shutdown(void);

/* Hashes pw (NUL-terminated, any bytes) with a fresh random salt and writes
 * the PHC string to out (out_size >= PASSWORD_ENCODED_SIZE is always enough).
 * Waits for a free slot when the bound is reached. Returns
 * PORTAL_ERR_TOO_LARGE when pw is longer than PASSWORD_MAX_BYTES or out is too
 * small, PORTAL_ERR_CRYPTO when argon2 or the random source fails; on error
 * out holds an empty string. */
portal_result password_hash(const char *pw, char *out, size_t out_size);

/* Checks pw against an encoded argon2id hash in constant time. Returns
 * PORTAL_OK on a match, PORTAL_ERR_DENIED on a mismatch, PORTAL_ERR_INVALID
 * when `encoded` is not an argon2id PHC string this module accepts (cost
 * parameters above m = 262144, t = 16 or p = 16 are refused as malformed),
 * PORTAL_ERR_TOO_LARGE when pw is longer than PASSWORD_MAX_BYTES,
 * PORTAL_ERR_CRYPTO when argon2 fails otherwise. Waits for a slot like
 * password_hash. */
portal_result password_verify(const char *encoded, const char *pw);

/* Spends the same time as password_verify against a hash with the current
 * parameters, for logins with an unknown username, so both paths take equal
 * time. Returns PORTAL_ERR_DENIED (or PORTAL_ERR_TOO_LARGE exactly when
 * password_verify would). */
portal_result password_verify_dummy(const char *pw);

/* 1 when `encoded` uses parameters other than the current ones (so the caller
 * may re-hash after a successful login), 0 when it is current. */
int password_needs_rehash(const char *encoded);

/* Applies the policy to pw for the user with this username and e-mail (either
 * may be NULL or empty). Returns PORTAL_OK when accepted (out's fields set to
 * NULL), PORTAL_ERR_INVALID when refused (out says why; the password itself is
 * never copied anywhere), PORTAL_ERR_INTERNAL when password_init has not
 * succeeded, PORTAL_ERR_MEMORY when libpwquality runs out of memory. */
portal_result password_check_policy(const char *pw, const char *username, const char *email,
                                    password_rejection *out);

/* The message of a rejection in the language of an Accept-Language style tag:
 * English for tags starting with "en", Dutch otherwise (and for NULL).
 * Returns a static string, or NULL when r holds no rejection. */
const char *password_rejection_message(const password_rejection *r, const char *language);

#endif
