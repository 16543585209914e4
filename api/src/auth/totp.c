/* auth/totp.c: see totp.h. */
#include "auth/totp.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <openssl/crypto.h>

#include "auth/secretbox.h"
#include "base/crypto.h"
#include "base/log.h"

/* Caps on what callers hand in. */
#define SECRET_B32_MAX 64
#define SECRET_MIN_BYTES 16
#define LABEL_PART_MAX 128
#define CODE_INPUT_MAX 32

static pthread_once_t g_oath_once = PTHREAD_ONCE_INIT;
static int g_oath_rc = OATH_OK;

static void oath_setup(void)
{
    g_oath_rc = oath_init();
}

static portal_result ensure_oath(void)
{
    if (pthread_once(&g_oath_once, oath_setup) != 0)
        return PORTAL_ERR_INTERNAL;
    return g_oath_rc == OATH_OK ? PORTAL_OK : PORTAL_ERR_CRYPTO;
}

static const char BASE32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* RFC 4648 base32 without padding; out must hold ceil(len*8/5)+1 bytes. */
static void base32_encode(const unsigned char *data, size_t len, char *out)
{
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = BASE32[(acc >> bits) & 31];
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        out[o++] = BASE32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

portal_result totp_generate_secret(char *out, size_t size)
{
    unsigned char raw[TOTP_SECRET_BYTES];
    if (size > 0)
        out[0] = '\0';
    if (size < TOTP_SECRET_B32_SIZE)
        return PORTAL_ERR_TOO_LARGE;
    portal_result rc = crypto_random_bytes(raw, sizeof raw);
    if (rc != PORTAL_OK)
        return rc;
    base32_encode(raw, sizeof raw, out);
    OPENSSL_cleanse(raw, sizeof raw);
    return PORTAL_OK;
}

static int secret_chars_valid(const char *s, size_t len)
{
    if (len == 0 || len > SECRET_B32_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!strchr(BASE32, s[i]) || s[i] == '\0')
            return 0;
    }
    return 1;
}

/* Appends s to out at *pos, percent-encoding all but RFC 3986 unreserved
 * characters when `escape`. -1 when out is full. */
static int append(char *out, size_t size, size_t *pos, const char *s, int escape)
{
    static const char HEX[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int plain = !escape || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~';
        size_t need = plain ? 1 : 3;
        if (*pos + need >= size)
            return -1;
        if (plain) {
            out[(*pos)++] = (char)*p;
        } else {
            out[(*pos)++] = '%';
            out[(*pos)++] = HEX[*p >> 4];
            out[(*pos)++] = HEX[*p & 15];
        }
    }
    out[*pos] = '\0';
    return 0;
}

portal_result totp_otpauth_uri(const char *issuer, const char *account, const char *secret_b32,
                               char *out, size_t size)
{
    if (size == 0)
        return PORTAL_ERR_TOO_LARGE;
    out[0] = '\0';
    size_t issuer_len = strnlen(issuer, LABEL_PART_MAX + 1);
    size_t account_len = strnlen(account, LABEL_PART_MAX + 1);
    size_t secret_len = strnlen(secret_b32, SECRET_B32_MAX + 1);
    if (issuer_len == 0 || issuer_len > LABEL_PART_MAX || account_len == 0 ||
        account_len > LABEL_PART_MAX || !secret_chars_valid(secret_b32, secret_len))
        return PORTAL_ERR_INVALID;

    size_t pos = 0;
    if (append(out, size, &pos, "otpauth://totp/", 0) || append(out, size, &pos, issuer, 1) ||
        append(out, size, &pos, ":", 0) || append(out, size, &pos, account, 1) ||
        append(out, size, &pos, "?secret=", 0) || append(out, size, &pos, secret_b32, 0) ||
        append(out, size, &pos, "&issuer=", 0) || append(out, size, &pos, issuer, 1) ||
        append(out, size, &pos, "&algorithm=SHA1&digits=6&period=30", 0)) {
        out[0] = '\0';
        return PORTAL_ERR_TOO_LARGE;
    }
    return PORTAL_OK;
}

long long totp_counter_at(time_t now)
{
    if (now < 0)
        return -1;
    return (long long)(now / TOTP_PERIOD);
}

portal_result totp_window_decide(long long current_counter, long long matched_counter,
                                 long long last_accepted_counter, long long *accepted_counter)
{
    if (matched_counter < current_counter - TOTP_LOOK_BACK ||
        matched_counter > current_counter + TOTP_LOOK_AHEAD)
        return PORTAL_ERR_DENIED;
    if (matched_counter <= last_accepted_counter)
        return PORTAL_ERR_CONFLICT;
    *accepted_counter = matched_counter;
    return PORTAL_OK;
}

/* Decodes a base32 secret (initialising liboath first); the caller
 * cleanses and frees *key. */
static portal_result decode_secret(const char *secret_b32, char **key, size_t *key_len)
{
    portal_result ready = ensure_oath();
    if (ready != PORTAL_OK)
        return ready;
    size_t len = strnlen(secret_b32, SECRET_B32_MAX + 1);
    if (!secret_chars_valid(secret_b32, len))
        return PORTAL_ERR_INVALID;
    *key = NULL;
    *key_len = 0;
    int rc = oath_base32_decode(secret_b32, len, key, key_len);
    if (rc != OATH_OK) {
        free(*key);
        *key = NULL;
        return rc == OATH_MALLOC_ERROR ? PORTAL_ERR_MEMORY : PORTAL_ERR_INVALID;
    }
    if (*key_len < SECRET_MIN_BYTES) {
        OPENSSL_cleanse(*key, *key_len);
        free(*key);
        *key = NULL;
        return PORTAL_ERR_INVALID;
    }
    return PORTAL_OK;
}

static void free_secret(char *key, size_t key_len)
{
    if (key) {
        OPENSSL_cleanse(key, key_len);
        free(key);
    }
}

portal_result totp_generate(const char *secret_b32, time_t now, char *out, size_t size)
{
    if (size < TOTP_DIGITS + 1 || now < 0)
        return PORTAL_ERR_INVALID;
    out[0] = '\0';
    char *key;
    size_t key_len;
    portal_result rc = decode_secret(secret_b32, &key, &key_len);
    if (rc != PORTAL_OK)
        return rc;
    int orc = oath_totp_generate(key, key_len, now, TOTP_PERIOD, 0, TOTP_DIGITS, out);
    free_secret(key, key_len);
    if (orc != OATH_OK) {
        out[0] = '\0';
        return PORTAL_ERR_CRYPTO;
    }
    return PORTAL_OK;
}

/* liboath's comparison hook: 0 on a match, 1 otherwise, in constant time. */
static int compare_code(void *expected, const char *candidate)
{
    if (strnlen(candidate, TOTP_DIGITS + 1) != TOTP_DIGITS)
        return 1;
    return crypto_equal(expected, candidate, TOTP_DIGITS) ? 0 : 1;
}

/* Copies the digits of `code` (spaces dropped) into out[TOTP_DIGITS + 1];
 * -1 unless exactly TOTP_DIGITS digits remain. */
static int normalize_code(const char *code, char *out)
{
    size_t n = 0;
    size_t len = strnlen(code, CODE_INPUT_MAX + 1);
    if (len > CODE_INPUT_MAX)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (code[i] == ' ')
            continue;
        if (code[i] < '0' || code[i] > '9' || n == TOTP_DIGITS)
            return -1;
        out[n++] = code[i];
    }
    out[n] = '\0';
    return n == TOTP_DIGITS ? 0 : -1;
}

portal_result totp_verify(const char *secret_b32, const char *code, time_t now,
                          long long last_accepted_counter, long long *accepted_counter)
{
    char digits[TOTP_DIGITS + 1];
    if (!code || normalize_code(code, digits) != 0)
        return PORTAL_ERR_DENIED;
    long long current = totp_counter_at(now);
    if (current < 0)
        return PORTAL_ERR_DENIED;
    char *key;
    size_t key_len;
    portal_result rc = decode_secret(secret_b32, &key, &key_len);
    if (rc != PORTAL_OK)
        return rc;

    /* Every step in the window is computed, newest first; the newest match
     * wins, so a replayed older step never hides a fresh one. */
    long long matched = -1;
    for (long long step = current + TOTP_LOOK_AHEAD; step >= current - TOTP_LOOK_BACK; step--) {
        if (step < 0)
            continue;
        int pos = 0;
        uint64_t counter = 0;
        int orc =
            oath_totp_validate3_callback(key, key_len, (time_t)(step * TOTP_PERIOD), TOTP_PERIOD, 0,
                                         TOTP_DIGITS, 0, &pos, &counter, compare_code, digits);
        if (orc >= 0 && matched < 0)
            matched = (long long)counter;
        else if (orc < 0 && orc != OATH_INVALID_OTP)
            rc = PORTAL_ERR_CRYPTO;
    }
    free_secret(key, key_len);
    OPENSSL_cleanse(digits, sizeof digits);
    if (rc != PORTAL_OK)
        return rc;
    if (matched < 0)
        return PORTAL_ERR_DENIED;
    return totp_window_decide(current, matched, last_accepted_counter, accepted_counter);
}

/* ---- secrets at rest ---- */

static void secret_context(const char *user_id, char *out, size_t size)
{
    snprintf(out, size, "totp:%s", user_id);
}

portal_result totp_seal_secret(const char *user_id, const char *secret_b32, char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    char *key;
    size_t key_len;
    portal_result rc = decode_secret(secret_b32, &key, &key_len);
    if (rc != PORTAL_OK)
        return rc;
    char context[128];
    secret_context(user_id, context, sizeof context);
    rc = secretbox_seal(key, key_len, context, out, size);
    free_secret(key, key_len);
    return rc;
}

portal_result totp_open_secret(const char *user_id, const char *stored, char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    if (!secretbox_is_sealed(stored)) {
        if (strlen(stored) >= size)
            return PORTAL_ERR_TOO_LARGE;
        memcpy(out, stored, strlen(stored) + 1);
        return PORTAL_OK;
    }
    unsigned char key[SECRET_B32_MAX];
    size_t key_len = 0;
    char context[128];
    secret_context(user_id, context, sizeof context);
    portal_result rc = secretbox_open(stored, context, key, sizeof key, &key_len);
    if (rc == PORTAL_OK && key_len < SECRET_MIN_BYTES)
        rc = PORTAL_ERR_INVALID;
    if (rc == PORTAL_OK && size < (key_len * 8 + 4) / 5 + 1)
        rc = PORTAL_ERR_TOO_LARGE;
    if (rc == PORTAL_OK)
        base32_encode(key, key_len, out);
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

portal_result totp_reseal_secret(const char *user_id, const char *stored, char *out, size_t size)
{
    char secret[TOTP_STORED_SIZE];
    portal_result rc = totp_open_secret(user_id, stored, secret, sizeof secret);
    if (rc == PORTAL_OK)
        rc = totp_seal_secret(user_id, secret, out, size);
    else if (size > 0)
        out[0] = '\0';
    OPENSSL_cleanse(secret, sizeof secret);
    return rc;
}

portal_result totp_verify_stored(const char *user_id, const char *stored, const char *code,
                                 time_t now, long long last_accepted_counter,
                                 long long *accepted_counter)
{
    char secret[TOTP_STORED_SIZE];
    portal_result rc = totp_open_secret(user_id, stored, secret, sizeof secret);
    if (rc != PORTAL_OK) {
        log_error("event=totp_secret_unreadable user_id=%s hint=\"is PORTAL_DATA_KEY_FILE the key "
                  "the secret was sealed with?\"",
                  user_id);
        return PORTAL_ERR_CRYPTO;
    }
    rc = totp_verify(secret, code, now, last_accepted_counter, accepted_counter);
    OPENSSL_cleanse(secret, sizeof secret);
    return rc;
}
