/*
 * auth/totp.h: time-based one-time passwords (RFC 6238) for the second
 * factor, on top of liboath.
 *
 * Parameters are fixed to what authenticator apps assume: HMAC-SHA-1, six
 * digits, 30-second steps counted from the Unix epoch, a 20-byte secret
 * shown as base32 without padding.
 *
 * Window: the current step and one step back are accepted (a code typed just
 * before the 30-second boundary still works); codes for future steps are
 * refused, since a phone running ahead of the server is rarer than a user who
 * is slow to type, and every accepted step is a guess an attacker gets.
 *
 * Replay: liboath has none, so the caller stores the counter (time step) of
 * the last accepted code per user and passes it back; a code whose step is
 * not newer than that is refused with PORTAL_ERR_CONFLICT. The caller must
 * store the new counter atomically (e.g. UPDATE .. WHERE last_counter < new).
 *
 * Secrets are passed as written by totp_generate_secret: upper-case base32
 * without padding, at most 64 characters, at least 16 bytes once decoded.
 *
 * At rest (users.totp_secret, mfa_challenges.pending_secret) a secret is
 * kept sealed: its decoded key encrypted with the data key and bound to its
 * user (auth/secretbox.h), as "v1:<nonce>:<ciphertext>". A stored value
 * without that prefix is a legacy plaintext secret and still works; the
 * server seals those at start-up.
 *
 * All functions are thread-safe; liboath is initialised on first use.
 */
#ifndef PORTAL_AUTH_TOTP_H
#define PORTAL_AUTH_TOTP_H

#include <stddef.h>
#include <time.h>

#include "base/result.h"

#define TOTP_SECRET_BYTES 20
/* Base32 of 20 bytes is 32 characters; plus NUL. */
#define TOTP_SECRET_B32_SIZE 33
#define TOTP_DIGITS 6
#define TOTP_PERIOD 30
/* Steps accepted before and after the current one. */
#define TOTP_LOOK_BACK 1
#define TOTP_LOOK_AHEAD 0
/* "No code accepted yet", for last_accepted_counter. */
#define TOTP_NO_COUNTER (-1LL)
/* Enough for any URI totp_otpauth_uri writes from inputs within its caps. */
#define TOTP_URI_SIZE 1024

/* Room for the stored (sealed) form of a secret of TOTP_SECRET_BYTES. */
#define TOTP_STORED_SIZE 80

/* Writes a fresh random secret as 32 upper-case base32 characters and a NUL
 * to out. Returns PORTAL_ERR_TOO_LARGE when size < TOTP_SECRET_B32_SIZE,
 * PORTAL_ERR_CRYPTO when the random source fails, PORTAL_ERR_MEMORY; on error
 * out holds an empty string (when size > 0). */
portal_result totp_generate_secret(char *out, size_t size);

/* Writes the provisioning URI for authenticator apps,
 * "otpauth://totp/<issuer>:<account>?secret=..&issuer=<issuer>&algorithm=SHA1
 * &digits=6&period=30", with issuer and account percent-encoded (UTF-8 bytes;
 * everything but A-Z a-z 0-9 - . _ ~ is escaped). issuer and account must be
 * non-empty and at most 128 bytes each. Returns PORTAL_ERR_INVALID for bad
 * arguments, PORTAL_ERR_TOO_LARGE when out is too small (TOTP_URI_SIZE always
 * suffices); on error out holds an empty string (when size > 0). */
portal_result totp_otpauth_uri(const char *issuer, const char *account, const char *secret_b32,
                               char *out, size_t size);

/* The code for the time step holding `now`, into out (at least 7 bytes).
 * Meant for tests and tools. PORTAL_ERR_INVALID for a bad secret or a small
 * buffer, PORTAL_ERR_CRYPTO when liboath fails. */
portal_result totp_generate(const char *secret_b32, time_t now, char *out, size_t size);

/* Checks `code` (six digits; spaces are ignored) for the secret at time now.
 * Returns PORTAL_OK and sets *accepted_counter to the matched time step when
 * the code is right and newer than last_accepted_counter (TOTP_NO_COUNTER when
 * none); PORTAL_ERR_CONFLICT when it is right but its step is
 * <= last_accepted_counter (a replay); PORTAL_ERR_DENIED when it is wrong or
 * malformed; PORTAL_ERR_INVALID when the stored secret cannot be decoded;
 * PORTAL_ERR_CRYPTO when liboath fails. *accepted_counter is only written on
 * PORTAL_OK. The comparison takes the same time whichever digits differ. */
portal_result totp_verify(const char *secret_b32, const char *code, time_t now,
                          long long last_accepted_counter, long long *accepted_counter);

/* The pure window and replay rule behind totp_verify: a code matched at
 * matched_counter while the clock is at current_counter is PORTAL_OK (and
 * *accepted_counter = matched_counter) when it lies within TOTP_LOOK_BACK
 * steps before to TOTP_LOOK_AHEAD steps after, and is newer than
 * last_accepted_counter; PORTAL_ERR_CONFLICT when it is within the window but
 * not newer; PORTAL_ERR_DENIED when it is outside the window. */
portal_result totp_window_decide(long long current_counter, long long matched_counter,
                                 long long last_accepted_counter, long long *accepted_counter);

/* The stored form of secret_b32 for user_id: its key sealed with the data
 * key. PORTAL_ERR_INVALID for a bad secret, PORTAL_ERR_TOO_LARGE when out is
 * too small, PORTAL_ERR_CRYPTO when no data key is loaded or sealing fails;
 * on error out holds an empty string (when size > 0). */
portal_result totp_seal_secret(const char *user_id, const char *secret_b32, char *out, size_t size);

/* The base32 secret of a stored value into out (TOTP_STORED_SIZE always
 * suffices for sealed secrets). A value that is not sealed is a legacy
 * plaintext secret and is copied as it is. PORTAL_ERR_DENIED when a sealed
 * value does not open (another key or user, tampered), PORTAL_ERR_INVALID
 * when it is malformed, PORTAL_ERR_TOO_LARGE when out is too small; out is
 * then empty. */
portal_result totp_open_secret(const char *user_id, const char *stored, char *out, size_t size);

/* Opens a stored value (sealed or legacy plaintext) and seals it afresh into
 * out: how plaintext secrets are upgraded, and how a pending secret becomes
 * the user's. Errors as totp_open_secret and totp_seal_secret. */
portal_result totp_reseal_secret(const char *user_id, const char *stored, char *out, size_t size);

/* totp_verify for a stored secret of user_id (opened first). A secret that
 * does not open is logged (user id only) and answers PORTAL_ERR_CRYPTO. */
portal_result totp_verify_stored(const char *user_id, const char *stored, const char *code,
                                 time_t now, long long last_accepted_counter,
                                 long long *accepted_counter);

/* The time step holding `now`: floor(now / TOTP_PERIOD), or -1 before 1970. */
long long totp_counter_at(time_t now);

#endif
