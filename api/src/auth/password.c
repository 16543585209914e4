/* auth/password.c: see password.h. Hashing, verification and the policy;
 * the common-password list the policy consults is in password_list.c. */
#include "auth/password.h"

#include <errno.h>
#include <stdatomic.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <argon2.h>
#include <openssl/crypto.h>
#include <pwquality.h>

#include "auth/password_internal.h"
#include "base/crypto.h"

#ifndef PORTAL_SOURCE_DIR
#define PORTAL_SOURCE_DIR "."
#endif

#define ARGON2_T_COST 2u
#define ARGON2_M_COST 19456u
#define ARGON2_PARALLELISM 1u
#define ARGON2_SALT_LEN 16u
#define ARGON2_HASH_LEN 32u

/* Upper bounds on cost parameters read from a stored hash, so a corrupted or
 * hostile row cannot make one verify allocate gigabytes or run for minutes. */
#define ARGON2_M_COST_CAP 262144u
#define ARGON2_T_COST_CAP 16u
#define ARGON2_P_COST_CAP 16u
#define ENCODED_MAX_LEN 256u

/* Longest username or e-mail address compared against a password. */
#define IDENTITY_MAX_BYTES 320

static const char DEFAULT_LIST_PATH[] = PORTAL_SOURCE_DIR "/api/data/common-passwords.txt";

/* A hash of 32 random bytes nobody kept, with the current parameters. Used by
 * password_verify_dummy so that an unknown username costs a full verify. */
static const char DUMMY_HASH[] = "$argon2id$v=19$m=19456,t=2,p=1$4Iw3ph/Zx6Z62pZgdrEpow$"
                                 "GIldoyjRD9BsCXLlTIrOym+pk92xMXDD3DoQemZMNsE";

/* A passphrase libpwquality must accept; checked at init so that a missing
 * cracklib dictionary (which makes every password "weak") is caught early. */
static const char PWQ_SELF_TEST[] = "Paardenbloem-Fiets-Zeilboot";

static sem_t g_slots;
static int g_slots_ready;
/* Callers hashing or waiting to hash; past the limit they are turned away
 * at once, so a login burst cannot park every HTTP thread on the bound. */
static atomic_int g_inside;
static int g_queue_limit;

static pwquality_settings_t *g_pwq;
static pthread_mutex_t g_pwq_lock = PTHREAD_MUTEX_INITIALIZER;

static int g_ready;

/* ---- rejection messages ---- */

typedef struct {
    const char *code;
    const char *nl;
    const char *en;
} rejection_text;

static const rejection_text REJECT_INVALID = {
    "invalid", "Het wachtwoord bevat ongeldige tekens.",
    "The password contains characters that are not allowed."};
static const rejection_text REJECT_TOO_SHORT = {
    "too_short", "Het wachtwoord moet minstens 12 tekens lang zijn.",
    "The password must be at least 12 characters long."};
static const rejection_text REJECT_TOO_LONG = {"too_long",
                                               "Het wachtwoord mag hoogstens 128 tekens lang zijn.",
                                               "The password must be at most 128 characters long."};
static const rejection_text REJECT_USERNAME = {
    "contains_username", "Het wachtwoord mag uw gebruikersnaam niet bevatten.",
    "The password must not contain your username."};
static const rejection_text REJECT_EMAIL = {"contains_email",
                                            "Het wachtwoord mag uw e-mailadres niet bevatten.",
                                            "The password must not contain your e-mail address."};
static const rejection_text REJECT_COMMON = {
    "common_password",
    "Dit wachtwoord staat op een lijst van veelgebruikte wachtwoorden. Kies een ander "
    "wachtwoord.",
    "This password is on a list of commonly used passwords. Please choose another one."};
static const rejection_text REJECT_WEAK = {
    "weak",
    "Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld een zin van een paar "
    "woorden.",
    "This password is too easy to guess. Try a phrase of a few words, for example."};

static portal_result reject(password_rejection *out, const rejection_text *why)
{
    out->code = why->code;
    out->message_nl = why->nl;
    out->message_en = why->en;
    return PORTAL_ERR_INVALID;
}

/* ---- concurrency bound ---- */

static portal_result slot_acquire(void)
{
    if (!g_slots_ready)
        return PORTAL_OK;
    if (atomic_fetch_add(&g_inside, 1) >= g_queue_limit && g_queue_limit > 0) {
        atomic_fetch_sub(&g_inside, 1);
        return PORTAL_ERR_BUSY;
    }
    while (sem_wait(&g_slots) != 0) {
        if (errno != EINTR) {
            atomic_fetch_sub(&g_inside, 1);
            return PORTAL_ERR_INTERNAL;
        }
    }
    return PORTAL_OK;
}

static void slot_release(void)
{
    if (g_slots_ready) {
        sem_post(&g_slots);
        atomic_fetch_sub(&g_inside, 1);
    }
}

void password_set_queue_limit(int max_inside)
{
    g_queue_limit = max_inside;
}

/* ---- init / shutdown ---- */

static portal_result pwq_setup(void)
{
    static const struct {
        int setting;
        int value;
    } SETTINGS[] = {
        /* libpwquality refuses a minlen below 6; ours (12) is checked first. */
        {PWQ_SETTING_MIN_LENGTH, 6},       {PWQ_SETTING_MIN_CLASS, 0},
        {PWQ_SETTING_DIG_CREDIT, 0},       {PWQ_SETTING_UP_CREDIT, 0},
        {PWQ_SETTING_LOW_CREDIT, 0},       {PWQ_SETTING_OTH_CREDIT, 0},
        {PWQ_SETTING_MAX_CLASS_REPEAT, 0}, {PWQ_SETTING_MAX_REPEAT, 0},
        {PWQ_SETTING_MAX_SEQUENCE, 0},     {PWQ_SETTING_GECOS_CHECK, 0},
        {PWQ_SETTING_DICT_CHECK, 1},
    };
    g_pwq = pwquality_default_settings();
    if (!g_pwq)
        return PORTAL_ERR_MEMORY;
    for (size_t i = 0; i < sizeof SETTINGS / sizeof SETTINGS[0]; i++) {
        if (pwquality_set_int_value(g_pwq, SETTINGS[i].setting, SETTINGS[i].value) != 0)
            return PORTAL_ERR_INTERNAL;
    }
    if (pwquality_check(g_pwq, PWQ_SELF_TEST, NULL, NULL, NULL) < 0)
        return PORTAL_ERR_IO;
    return PORTAL_OK;
}

portal_result password_init(int max_concurrent, const char *common_list_path)
{
    password_shutdown();
    if (max_concurrent < 1)
        max_concurrent = 1;

    portal_result rc = password_list_load(common_list_path ? common_list_path : DEFAULT_LIST_PATH);
    if (rc == PORTAL_OK)
        rc = pwq_setup();
    if (rc == PORTAL_OK) {
        if (sem_init(&g_slots, 0, (unsigned)max_concurrent) == 0)
            g_slots_ready = 1;
        else
            rc = PORTAL_ERR_INTERNAL;
    }
    if (rc != PORTAL_OK) {
        password_shutdown();
        return rc;
    }
    g_ready = 1;
    return PORTAL_OK;
}

void password_shutdown(void)
{
    if (g_slots_ready) {
        sem_destroy(&g_slots);
        g_slots_ready = 0;
    }
    if (g_pwq) {
        pwquality_free_settings(g_pwq);
        g_pwq = NULL;
    }
    password_list_free();
    g_ready = 0;
}

/* ---- hashing ---- */

/* Reads a decimal number of at most 9 digits at *p and advances *p. */
static int parse_uint(const char **p, uint32_t *out)
{
    uint32_t v = 0;
    int digits = 0;
    while (**p >= '0' && **p <= '9') {
        if (++digits > 9)
            return -1;
        v = v * 10 + (uint32_t)(**p - '0');
        (*p)++;
    }
    if (digits == 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_literal(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return -1;
    *p += n;
    return 0;
}

/* Reads m, t and p from "$argon2id$v=19$m=..,t=..,p=..$". -1 when the string
 * does not start that way. */
static int parse_params(const char *encoded, uint32_t *m, uint32_t *t, uint32_t *par)
{
    const char *p = encoded;
    if (parse_literal(&p, "$argon2id$v=19$m=") || parse_uint(&p, m) || parse_literal(&p, ",t=") ||
        parse_uint(&p, t) || parse_literal(&p, ",p=") || parse_uint(&p, par) ||
        parse_literal(&p, "$"))
        return -1;
    return 0;
}

portal_result password_hash(const char *pw, char *out, size_t out_size)
{
    if (out_size > 0)
        out[0] = '\0';
    size_t pw_len = strnlen(pw, PASSWORD_MAX_BYTES + 1);
    size_t need = argon2_encodedlen(ARGON2_T_COST, ARGON2_M_COST, ARGON2_PARALLELISM,
                                    ARGON2_SALT_LEN, ARGON2_HASH_LEN, Argon2_id);
    if (pw_len > PASSWORD_MAX_BYTES || out_size < need)
        return PORTAL_ERR_TOO_LARGE;

    unsigned char salt[ARGON2_SALT_LEN];
    portal_result rc = crypto_random_bytes(salt, sizeof salt);
    if (rc != PORTAL_OK)
        return rc;
    rc = slot_acquire();
    if (rc != PORTAL_OK)
        return rc;
    int arc = argon2id_hash_encoded(ARGON2_T_COST, ARGON2_M_COST, ARGON2_PARALLELISM, pw, pw_len,
                                    salt, sizeof salt, ARGON2_HASH_LEN, out, out_size);
    slot_release();
    if (arc != ARGON2_OK) {
        out[0] = '\0';
        return arc == ARGON2_MEMORY_ALLOCATION_ERROR ? PORTAL_ERR_MEMORY : PORTAL_ERR_CRYPTO;
    }
    return PORTAL_OK;
}

static portal_result verify_encoded(const char *encoded, const char *pw)
{
    size_t pw_len = strnlen(pw, PASSWORD_MAX_BYTES + 1);
    if (pw_len > PASSWORD_MAX_BYTES)
        return PORTAL_ERR_TOO_LARGE;
    uint32_t m, t, p;
    if (strnlen(encoded, ENCODED_MAX_LEN + 1) > ENCODED_MAX_LEN ||
        parse_params(encoded, &m, &t, &p) != 0 || m > ARGON2_M_COST_CAP || t > ARGON2_T_COST_CAP ||
        p > ARGON2_P_COST_CAP)
        return PORTAL_ERR_INVALID;

    portal_result rc = slot_acquire();
    if (rc != PORTAL_OK)
        return rc;
    int arc = argon2id_verify(encoded, pw, pw_len);
    slot_release();
    switch (arc) {
    case ARGON2_OK:
        return PORTAL_OK;
    case ARGON2_VERIFY_MISMATCH:
        return PORTAL_ERR_DENIED;
    case ARGON2_MEMORY_ALLOCATION_ERROR:
        return PORTAL_ERR_MEMORY;
    case ARGON2_THREAD_FAIL:
        return PORTAL_ERR_CRYPTO;
    default:
        return PORTAL_ERR_INVALID;
    }
}

portal_result password_verify(const char *encoded, const char *pw)
{
    return verify_encoded(encoded, pw);
}

portal_result password_verify_dummy(const char *pw)
{
    portal_result rc = verify_encoded(DUMMY_HASH, pw);
    return rc == PORTAL_OK ? PORTAL_ERR_DENIED : rc;
}

int password_needs_rehash(const char *encoded)
{
    uint32_t m, t, p;
    if (parse_params(encoded, &m, &t, &p) != 0)
        return 1;
    return m != ARGON2_M_COST || t != ARGON2_T_COST || p != ARGON2_PARALLELISM;
}

/* ---- policy ---- */

/* Decodes UTF-8 into at most cap code points. Returns the number of code
 * points, -1 for invalid UTF-8 (overlong forms, surrogates, beyond U+10FFFF)
 * or a control character, -2 when there are more than cap. */
static long decode_utf8(const char *s, uint32_t *cps, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t cp;
        int extra;
        uint32_t min;
        if (*p < 0x80) {
            cp = *p;
            extra = 0;
            min = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1Fu;
            extra = 1;
            min = 0x80;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0Fu;
            extra = 2;
            min = 0x800;
        } else if ((*p & 0xF8) == 0xF0) {
            cp = *p & 0x07u;
            extra = 3;
            min = 0x10000;
        } else {
            return -1;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (*p & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return -1;
        if (n == cap)
            return -2;
        cps[n++] = cp;
    }
    return (long)n;
}

/* ASCII case-folded copy of s into out; -1 when s does not fit. */
static int fold_copy(const char *s, char *out, size_t out_size)
{
    size_t len = strnlen(s, out_size);
    if (len >= out_size)
        return -1;
    memcpy(out, s, len + 1);
    password_ascii_lower(out);
    return 0;
}

/* 1 when the folded password contains the first needle_len bytes of needle
 * (case-insensitively) and needle_len >= 3. */
static int contains_folded(const char *pw_lower, const char *needle, size_t needle_len)
{
    char buf[IDENTITY_MAX_BYTES + 1];
    if (needle_len < 3 || needle_len > IDENTITY_MAX_BYTES)
        return 0;
    memcpy(buf, needle, needle_len);
    buf[needle_len] = '\0';
    password_ascii_lower(buf);
    return strstr(pw_lower, buf) != NULL;
}

static int key_row_position(uint32_t c, int *row, int *col)
{
    static const char *const ROWS[] = {"`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'",
                                       "zxcvbnm,./"};
    if (c == 0 || c > 0x7E)
        return 0;
    for (int r = 0; r < 4; r++) {
        const char *hit = strchr(ROWS[r], (int)c);
        if (hit) {
            *row = r;
            *col = (int)(hit - ROWS[r]);
            return 1;
        }
    }
    return 0;
}

static uint32_t fold_cp(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int is_alnum_cp(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Two neighbouring characters a user types without thinking: the same one
 * again, the next or previous letter or digit, or a neighbour on the same
 * row of a QWERTY keyboard. */
static int predictable_pair(uint32_t a, uint32_t b)
{
    a = fold_cp(a);
    b = fold_cp(b);
    if (a == b)
        return 1;
    if (is_alnum_cp(a) && is_alnum_cp(b) && ((a >= 'a') == (b >= 'a')) &&
        (a + 1 == b || b + 1 == a))
        return 1;
    int ra, ca, rb, cb;
    if (key_row_position(a, &ra, &ca) && key_row_position(b, &rb, &cb) && ra == rb &&
        (ca - cb == 1 || cb - ca == 1))
        return 1;
    return 0;
}

/* 1 when the password is one shorter string typed over and over
 * ("hunter2hunter2", "iloveyouiloveyou"), ignoring ASCII case. */
static int is_repetition(const uint32_t *cps, size_t n)
{
    for (size_t period = 1; period <= n / 2; period++) {
        if (n % period != 0)
            continue;
        size_t i = period;
        while (i < n && fold_cp(cps[i]) == fold_cp(cps[i % period]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Keyboard walks, runs and repetitions ("qwertyuiopas", "abcdefghijkl",
 * "aaaaaaaaaaaaa", "hunter2hunter2"): weak when the password repeats one
 * shorter string, or when at least three quarters of the neighbouring pairs
 * are predictable. libpwquality misses most of these. */
static int is_predictable(const uint32_t *cps, size_t n)
{
    if (n < 2 || is_repetition(cps, n))
        return 1;
    size_t predictable = 0;
    for (size_t i = 1; i < n; i++)
        predictable += (size_t)predictable_pair(cps[i - 1], cps[i]);
    return predictable * 4 >= (n - 1) * 3;
}

portal_result password_check_policy(const char *pw, const char *username, const char *email,
                                    password_rejection *out)
{
    out->code = NULL;
    out->message_nl = NULL;
    out->message_en = NULL;
    if (!g_ready)
        return PORTAL_ERR_INTERNAL;

    if (strnlen(pw, POLICY_MAX_BYTES + 1) > POLICY_MAX_BYTES)
        return reject(out, &REJECT_TOO_LONG);
    uint32_t cps[PASSWORD_MAX_CHARS];
    long n = decode_utf8(pw, cps, PASSWORD_MAX_CHARS);
    if (n == -1)
        return reject(out, &REJECT_INVALID);
    if (n == -2)
        return reject(out, &REJECT_TOO_LONG);
    if (n < PASSWORD_MIN_CHARS)
        return reject(out, &REJECT_TOO_SHORT);

    char lower[POLICY_MAX_BYTES + 1];
    if (fold_copy(pw, lower, sizeof lower) != 0)
        return reject(out, &REJECT_TOO_LONG);

    portal_result rc = PORTAL_OK;
    if (username && contains_folded(lower, username, strnlen(username, IDENTITY_MAX_BYTES + 1))) {
        rc = reject(out, &REJECT_USERNAME);
    } else if (email) {
        size_t email_len = strnlen(email, IDENTITY_MAX_BYTES + 1);
        const char *at = memchr(email, '@', email_len);
        const char *last_at = at;
        while (at) {
            last_at = at;
            at = memchr(at + 1, '@', email_len - (size_t)(at + 1 - email));
        }
        if (contains_folded(lower, email, email_len) ||
            (last_at && contains_folded(lower, email, (size_t)(last_at - email))))
            rc = reject(out, &REJECT_EMAIL);
    }
    if (rc == PORTAL_OK && password_list_contains(lower))
        rc = reject(out, &REJECT_COMMON);
    if (rc == PORTAL_OK && is_predictable(cps, (size_t)n))
        rc = reject(out, &REJECT_WEAK);
    if (rc == PORTAL_OK) {
        pthread_mutex_lock(&g_pwq_lock);
        int score = pwquality_check(g_pwq, pw, NULL, NULL, NULL);
        pthread_mutex_unlock(&g_pwq_lock);
        if (score == PWQ_ERROR_MEM_ALLOC)
            rc = PORTAL_ERR_MEMORY;
        else if (score < 0)
            rc = reject(out, &REJECT_WEAK);
    }
    OPENSSL_cleanse(lower, sizeof lower);
    OPENSSL_cleanse(cps, sizeof cps);
    return rc;
}

const char *password_rejection_message(const password_rejection *r, const char *language)
{
    if (!r || !r->code)
        return NULL;
    if (language && strncasecmp(language, "en", 2) == 0)
        return r->message_en;
    return r->message_nl;
}
