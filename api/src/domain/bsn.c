/*
 * domain/bsn.c: the 11-proef, masking and the demo-data generator for BSNs.
 * See bsn.h for the contract. Standard C only.
 */
#include "domain/bsn.h"

#include <string.h>

/* Weights of the 11-proef, first digit to last. */
static const int bsn_weights[BSN_LEN] = {9, 8, 7, 6, 5, 4, 3, 2, -1};

/* Number of seeds that map to distinct BSNs (seven digits, first non-zero). */
#define BSN_SEED_SPACE 9000000u
/* Multiplier coprime to BSN_SEED_SPACE (= 2^6 * 3^2 * 5^6), so that the seed
 * mapping is a bijection and consecutive seeds do not look consecutive. */
#define BSN_SEED_MULTIPLIER 7919u

static bool bsn_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* True when text is exactly `len` ASCII digits followed by NUL. */
static bool bsn_all_digits(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (!bsn_is_digit(text[i])) {
            return false;
        }
    }
    return text[len] == '\0';
}

bool bsn_is_valid(const char *bsn)
{
    if (bsn == NULL || !bsn_all_digits(bsn, BSN_LEN)) {
        return false;
    }
    int sum = 0;
    bool all_zero = true;
    for (size_t i = 0; i < BSN_LEN; i++) {
        int digit = bsn[i] - '0';
        if (digit != 0) {
            all_zero = false;
        }
        sum += bsn_weights[i] * digit;
    }
    return !all_zero && sum % 11 == 0;
}

portal_result bsn_normalize(const char *in, char out[BSN_SIZE])
{
    if (in == NULL || out == NULL) {
        return PORTAL_ERR_INVALID;
    }
    char candidate[BSN_SIZE];
    if (bsn_all_digits(in, BSN_LEN - 1)) {
        candidate[0] = '0';
        memcpy(candidate + 1, in, BSN_LEN - 1);
    } else if (bsn_all_digits(in, BSN_LEN)) {
        memcpy(candidate, in, BSN_LEN);
    } else {
        return PORTAL_ERR_INVALID;
    }
    candidate[BSN_LEN] = '\0';
    if (!bsn_is_valid(candidate)) {
        return PORTAL_ERR_INVALID;
    }
    memcpy(out, candidate, BSN_SIZE);
    return PORTAL_OK;
}

portal_result bsn_mask(const char *bsn, char *out, size_t size)
{
    if (bsn == NULL || out == NULL || !bsn_all_digits(bsn, BSN_LEN)) {
        return PORTAL_ERR_INVALID;
    }
    if (size < BSN_MASKED_SIZE) {
        return PORTAL_ERR_TOO_LARGE;
    }
    memset(out, '*', 5);
    memcpy(out + 5, bsn + 5, 4);
    out[BSN_LEN] = '\0';
    return PORTAL_OK;
}

void bsn_from_seed(uint32_t seed, char out[BSN_SIZE])
{
    /* Seven leading digits from a bijection of the seed onto 1000000..9999999. */
    uint64_t mixed = ((uint64_t)(seed % BSN_SEED_SPACE) * BSN_SEED_MULTIPLIER) % BSN_SEED_SPACE;
    uint32_t prefix = 1000000u + (uint32_t)mixed;
    for (int i = 6; i >= 0; i--) {
        out[i] = (char)('0' + (char)(prefix % 10u));
        prefix /= 10u;
    }
    int partial = 0;
    for (size_t i = 0; i < 7; i++) {
        partial += bsn_weights[i] * (out[i] - '0');
    }
    /* The check digit d9 must equal (partial + 2*d8) mod 11 and be 0..9.
     * 2*d8 mod 11 takes ten distinct values for d8 = 0..9, so d8 = 0 works
     * unless partial mod 11 is 10, and then d8 = 1 does. */
    int d8 = (partial % 11 == 10) ? 1 : 0;
    int d9 = (partial + 2 * d8) % 11;
    out[7] = (char)('0' + d8);
    out[8] = (char)('0' + d9);
    out[BSN_LEN] = '\0';
}
