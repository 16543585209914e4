/*
 * domain/decimal.h: fixed-point decimals for money and percentages, without
 * floating point anywhere.
 *
 * Owns: strict parsing of JSON-style decimal strings ("52242.28", "100.000")
 * into an int64_t holding the value times 10^scale, canonical formatting, and
 * overflow-checked arithmetic with documented rounding. The scale is never
 * stored with the value: callers know it from the decimal_spec they parsed
 * with (money has scale 2: 52242.28 is 5224228; percentages scale 3: 100.000
 * is 100000). Pure functions: no allocation, no I/O.
 *
 * Accepted syntax (decimal_parse): an optional '-' (only when the spec allows
 * negatives), an integer part that is "0" or starts with 1-9 (no leading
 * zeros: "01" and "00.5" are rejected), then optionally '.' and 1..scale
 * fraction digits. Rejected: empty strings, '+', spaces anywhere, exponents
 * ("1e5"), a bare point ("1." or ".5"), negative zero ("-0", "-0.00"), more
 * fraction digits than the scale even when they are zeros ("100.123" and
 * "1.500" for money: never rounded), and more integer digits than the spec
 * allows. Fewer fraction digits are fine: "1.5" is 1.50 in money.
 *
 * Rounding (decimal_mul_div, decimal_mul_percentage, decimal_rescale): half
 * away from zero, the commercial rounding used on invoices: 0.005 -> 0.01,
 * 0.0049 -> 0.00, -0.005 -> -0.01.
 */
#ifndef PORTAL_DOMAIN_DECIMAL_H
#define PORTAL_DOMAIN_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

#define DECIMAL_MAX_SCALE 9
#define DECIMAL_MAX_DIGITS 18 /* integer plus fraction digits; always fits int64 */
/* Longest canonical text: '-', 19 digits, '.', NUL (and one spare). */
#define DECIMAL_TEXT_SIZE 24

#define DECIMAL_MONEY_SCALE 2
#define DECIMAL_PERCENTAGE_SCALE 3
/* 100.000% at DECIMAL_PERCENTAGE_SCALE. */
#define DECIMAL_PERCENT_ONE_HUNDRED INT64_C(100000)

typedef struct {
    int scale;              /* fraction digits, 0..DECIMAL_MAX_SCALE */
    int max_integer_digits; /* 1..DECIMAL_MAX_DIGITS - scale */
    bool allow_negative;    /* false: a leading '-' is rejected */
} decimal_spec;

/* numeric(14,2), negative allowed: amounts, premiums, corrections. */
extern const decimal_spec decimal_spec_money;
/* numeric(14,2), never negative: salaries and wages. */
extern const decimal_spec decimal_spec_salary;
/* Three decimals, at most three integer digits, never negative: part-time,
 * AO and ATW percentages (range checks such as 0.001..100.000 are the
 * caller's rule). */
extern const decimal_spec decimal_spec_percentage;

/* Parses NUL-terminated `text` by the syntax above into *out, scaled by
 * 10^spec->scale. Returns PORTAL_ERR_INVALID for NULL arguments, a malformed
 * spec or any text the syntax rejects; *out is left untouched on failure. */
portal_result decimal_parse(const char *text, const decimal_spec *spec, int64_t *out);

/* As decimal_parse for text[0..len), which need not be NUL-terminated (a CSV
 * or spreadsheet cell). An embedded NUL is rejected. */
portal_result decimal_parse_n(const char *text, size_t len, const decimal_spec *spec, int64_t *out);

/* Writes value (scaled by 10^scale) as canonical text with exactly `scale`
 * fraction digits and no point when scale is 0: 5224228 at scale 2 is
 * "52242.28", 0 is "0.00", -150 is "-1.50", 100000 at scale 3 is "100.000".
 * out is caller-owned with `size` bytes (DECIMAL_TEXT_SIZE always suffices).
 * Returns PORTAL_ERR_INVALID for a scale outside 0..DECIMAL_MAX_SCALE or a
 * NULL out and PORTAL_ERR_TOO_LARGE when size is too small; out is left
 * untouched on failure. */
portal_result decimal_format(int64_t value, int scale, char *out, size_t size);

/* True when value (at spec->scale) could have come out of decimal_parse with
 * spec: at most spec->max_integer_digits integer digits and not negative
 * unless allowed. False for a NULL or malformed spec. */
bool decimal_fits(int64_t value, const decimal_spec *spec);

/* *out = a + b (same scale). Returns PORTAL_ERR_TOO_LARGE on int64 overflow
 * and PORTAL_ERR_INVALID for a NULL out; *out is untouched on failure. */
portal_result decimal_add(int64_t a, int64_t b, int64_t *out);

/* *out = a - b (same scale). Returns PORTAL_ERR_TOO_LARGE on int64 overflow
 * and PORTAL_ERR_INVALID for a NULL out; *out is untouched on failure. */
portal_result decimal_sub(int64_t a, int64_t b, int64_t *out);

/* *out = a * b / divisor, computed exactly with a 128-bit intermediate and
 * rounded half away from zero. divisor must be positive. Returns
 * PORTAL_ERR_INVALID for divisor <= 0 or a NULL out and PORTAL_ERR_TOO_LARGE
 * when the result does not fit int64; *out is untouched on failure. */
portal_result decimal_mul_div(int64_t a, int64_t b, int64_t divisor, int64_t *out);

/* *out = amount * percentage / 100%, where percentage is at
 * DECIMAL_PERCENTAGE_SCALE (12.5% is 12500) and the result has the amount's
 * scale: 52242.28 * 12.500% = 6530.285 -> 6530.29. Rounded half away from
 * zero. Fails like decimal_mul_div. */
portal_result decimal_mul_percentage(int64_t amount, int64_t percentage, int64_t *out);

/* Converts value from `from_scale` to `to_scale` (both 0..DECIMAL_MAX_SCALE),
 * rounding half away from zero when digits are dropped. Returns
 * PORTAL_ERR_INVALID for a bad scale or NULL out and PORTAL_ERR_TOO_LARGE on
 * overflow; *out is untouched on failure. */
portal_result decimal_rescale(int64_t value, int from_scale, int to_scale, int64_t *out);

#endif
