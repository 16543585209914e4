/* auth/recovery.c: see recovery.h. */
#include "auth/recovery.h"

#include <string.h>

#include <openssl/crypto.h>

#define INPUT_MAX 64

/* Crockford's base32: 32 symbols, so a random byte masked to 5 bits picks one
 * without bias. */
static const char ALPHABET[] = "0123456789abcdefghjkmnpqrstvwxyz";

portal_result recovery_generate(char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE])
{
    unsigned char raw[RECOVERY_CODE_CHARS];
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
        codes[i][0] = '\0';
    for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
        int duplicate;
        do {
            portal_result rc = crypto_random_bytes(raw, sizeof raw);
            if (rc != PORTAL_OK) {
                for (int j = 0; j < RECOVERY_CODE_COUNT; j++)
                    OPENSSL_cleanse(codes[j], RECOVERY_CODE_SIZE);
                return rc;
            }
            char *c = codes[i];
            for (int k = 0, o = 0; k < RECOVERY_CODE_CHARS; k++) {
                if (k == RECOVERY_CODE_CHARS / 2)
                    c[o++] = '-';
                c[o++] = ALPHABET[raw[k] & 31];
            }
            c[RECOVERY_CODE_SIZE - 1] = '\0';
            duplicate = 0;
            for (int j = 0; j < i; j++)
                duplicate |= strcmp(codes[j], c) == 0;
        } while (duplicate);
    }
    OPENSSL_cleanse(raw, sizeof raw);
    return PORTAL_OK;
}

portal_result recovery_normalize(const char *input, char *out, size_t size)
{
    if (size > 0)
        out[0] = '\0';
    if (size < RECOVERY_NORMALIZED_SIZE)
        return PORTAL_ERR_TOO_LARGE;
    size_t len = strnlen(input, INPUT_MAX + 1);
    if (len > INPUT_MAX)
        return PORTAL_ERR_INVALID;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = input[i];
        if (ch == ' ' || ch == '-')
            continue;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch == 'o')
            ch = '0';
        else if (ch == 'i' || ch == 'l')
            ch = '1';
        if (ch == '\0' || !strchr(ALPHABET, ch) || n == RECOVERY_CODE_CHARS) {
            OPENSSL_cleanse(out, size);
            out[0] = '\0';
            return PORTAL_ERR_INVALID;
        }
        out[n++] = ch;
    }
    out[n] = '\0';
    if (n != RECOVERY_CODE_CHARS) {
        OPENSSL_cleanse(out, size);
        out[0] = '\0';
        return PORTAL_ERR_INVALID;
    }
    return PORTAL_OK;
}

portal_result recovery_hash(const char *input, char out[CRYPTO_SHA256_HEX_LEN + 1])
{
    char normalized[RECOVERY_NORMALIZED_SIZE];
    out[0] = '\0';
    portal_result rc = recovery_normalize(input, normalized, sizeof normalized);
    if (rc != PORTAL_OK)
        return rc;
    crypto_sha256_hex(normalized, out);
    OPENSSL_cleanse(normalized, sizeof normalized);
    return PORTAL_OK;
}
