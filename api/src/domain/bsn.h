/*
 * domain/bsn.h: the Dutch citizen service number (burgerservicenummer).
 *
 * Owns: the 11-proef, masking for display and a deterministic generator for
 * demo data and tests. Pure functions: no allocation, no I/O, no globals.
 *
 * A BSN here is exactly nine ASCII digits. The API contract says "9-digit",
 * so bsn_is_valid() rejects the 8-digit form that some systems produce by
 * dropping the leading zero. Spreadsheet imports (where a BSN typed as a
 * number loses that zero) may call bsn_normalize(), which pads exactly eight
 * digits with one leading zero before checking; nothing else pads.
 */
#ifndef PORTAL_DOMAIN_BSN_H
#define PORTAL_DOMAIN_BSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

#define BSN_LEN 9                /* digits in a BSN */
#define BSN_SIZE (BSN_LEN + 1)   /* buffer for a BSN plus its NUL */
#define BSN_MASKED_SIZE BSN_SIZE /* "*****6782" plus its NUL */

/* True when `bsn` (NUL-terminated, may be NULL) is exactly nine ASCII digits,
 * not all zeros, and passes the 11-proef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is
 * divisible by 11. No whitespace, signs or separators are accepted. */
bool bsn_is_valid(const char *bsn);

/* Copies a valid BSN into out (caller-owned, BSN_SIZE bytes), padding an
 * 8-digit input with one leading zero first (spreadsheet imports only; the
 * JSON API uses bsn_is_valid). Returns PORTAL_ERR_INVALID when the (padded)
 * value is not a valid BSN, leaving out untouched. */
portal_result bsn_normalize(const char *in, char out[BSN_SIZE]);

/* Writes "*****" followed by the last four digits of `bsn` into out
 * (caller-owned, `size` bytes, at least BSN_MASKED_SIZE). `bsn` must be nine
 * ASCII digits (the checksum is not re-checked, so stored legacy numbers still
 * mask). Returns PORTAL_ERR_INVALID for any other input and
 * PORTAL_ERR_TOO_LARGE when size is too small; out is left untouched on
 * failure. */
portal_result bsn_mask(const char *bsn, char *out, size_t size);

/* Writes a valid BSN derived from `seed` into out (caller-owned, NUL-terminated).
 * Deterministic; distinct seeds in 0..8999999 give distinct numbers (seeds
 * wrap modulo 9000000). The first digit is never zero. Cannot fail. */
void bsn_from_seed(uint32_t seed, char out[BSN_SIZE]);

#endif
