/* auth/vcode.c: see vcode.h. */
#include "auth/vcode.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"

portal_result vcode_generate(char out[7])
{
    uint32_t v;
    do { /* rejection sampling: no modulo bias */
        if (crypto_random_bytes((unsigned char *)&v, sizeof v) != PORTAL_OK)
            return PORTAL_ERR_CRYPTO;
    } while (v >= 4294000000u);
    snprintf(out, 7, "%06u", (unsigned)(v % 1000000u));
    return PORTAL_OK;
}

portal_result vcode_hash(const char *user_id, const char *code, char out[65])
{
    char digits[7];
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = code; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9' || n == 6)
            return PORTAL_ERR_INVALID;
        digits[n++] = *p;
    }
    if (n != 6)
        return PORTAL_ERR_INVALID;
    digits[6] = '\0';
    char text[128];
    snprintf(text, sizeof text, "%s:%s", user_id, digits);
    crypto_sha256_hex(text, out);
    return PORTAL_OK;
}
