/*
 * domain/decimal.c: strict decimal parsing, canonical formatting and exact
 * fixed-point arithmetic on int64_t. See decimal.h for the contract.
 * Standard C only; the 128-bit intermediate of decimal_mul_div is built from
 * two uint64_t halves so it does not depend on compiler extensions.
 */
#include "domain/decimal.h"

const decimal_spec decimal_spec_money = {DECIMAL_MONEY_SCALE, 12, true};
const decimal_spec decimal_spec_salary = {DECIMAL_MONEY_SCALE, 12, false};
const decimal_spec decimal_spec_percentage = {DECIMAL_PERCENTAGE_SCALE, 3, false};

/* 10^n for n in 0..18. */
static int64_t decimal_pow10(int n)
{
    int64_t p = 1;
    for (int i = 0; i < n; i++) {
        p *= 10;
    }
    return p;
}

static bool decimal_spec_ok(const decimal_spec *spec)
{
    return spec != NULL && spec->scale >= 0 && spec->scale <= DECIMAL_MAX_SCALE &&
           spec->max_integer_digits >= 1 &&
           spec->max_integer_digits <= DECIMAL_MAX_DIGITS - spec->scale;
}

static bool decimal_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* |v| as an unsigned value, correct for INT64_MIN too. */
static uint64_t decimal_magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)(-(v + 1)) + 1u : (uint64_t)v;
}

portal_result decimal_parse_n(const char *text, size_t len, const decimal_spec *spec, int64_t *out)
{
    if (text == NULL || out == NULL || !decimal_spec_ok(spec)) {
        return PORTAL_ERR_INVALID;
    }
    size_t i = 0;
    bool negative = false;
    if (i < len && text[i] == '-') {
        if (!spec->allow_negative) {
            return PORTAL_ERR_INVALID;
        }
        negative = true;
        i++;
    }
    size_t int_start = i;
    while (i < len && decimal_is_digit(text[i])) {
        i++;
    }
    size_t int_digits = i - int_start;
    if (int_digits == 0 || int_digits > (size_t)spec->max_integer_digits ||
        (int_digits > 1 && text[int_start] == '0')) {
        return PORTAL_ERR_INVALID;
    }
    size_t frac_start = i;
    size_t frac_digits = 0;
    if (i < len && text[i] == '.') {
        i++;
        frac_start = i;
        while (i < len && decimal_is_digit(text[i])) {
            i++;
        }
        frac_digits = i - frac_start;
        if (frac_digits == 0 || frac_digits > (size_t)spec->scale) {
            return PORTAL_ERR_INVALID;
        }
    }
    if (i != len) {
        return PORTAL_ERR_INVALID;
    }
    /* At most DECIMAL_MAX_DIGITS digits in all: no overflow possible. */
    int64_t value = 0;
    for (size_t k = 0; k < int_digits; k++) {
        value = value * 10 + (text[int_start + k] - '0');
    }
    for (size_t k = 0; k < frac_digits; k++) {
        value = value * 10 + (text[frac_start + k] - '0');
    }
    value *= decimal_pow10(spec->scale - (int)frac_digits);
    if (negative) {
        if (value == 0) {
            return PORTAL_ERR_INVALID;
        }
        value = -value;
    }
    *out = value;
    return PORTAL_OK;
}

portal_result decimal_parse(const char *text, const decimal_spec *spec, int64_t *out)
{
    if (text == NULL) {
        return PORTAL_ERR_INVALID;
    }
    /* Anything longer than sign, all digits and a point is invalid anyway;
     * stop scanning there so a huge input costs nothing. */
    size_t len = 0;
    while (len <= DECIMAL_MAX_DIGITS + 2 && text[len] != '\0') {
        len++;
    }
    return decimal_parse_n(text, len, spec, out);
}

portal_result decimal_format(int64_t value, int scale, char *out, size_t size)
{
    if (out == NULL || scale < 0 || scale > DECIMAL_MAX_SCALE) {
        return PORTAL_ERR_INVALID;
    }
    char reversed[DECIMAL_TEXT_SIZE];
    size_t n = 0;
    uint64_t magnitude = decimal_magnitude(value);
    for (int k = 0; k < scale; k++) {
        reversed[n++] = (char)('0' + (int)(magnitude % 10u));
        magnitude /= 10u;
    }
    if (scale > 0) {
        reversed[n++] = '.';
    }
    do {
        reversed[n++] = (char)('0' + (int)(magnitude % 10u));
        magnitude /= 10u;
    } while (magnitude != 0u);
    if (value < 0) {
        reversed[n++] = '-';
    }
    if (size < n + 1) {
        return PORTAL_ERR_TOO_LARGE;
    }
    for (size_t k = 0; k < n; k++) {
        out[k] = reversed[n - 1 - k];
    }
    out[n] = '\0';
    return PORTAL_OK;
}

bool decimal_fits(int64_t value, const decimal_spec *spec)
{
    if (!decimal_spec_ok(spec)) {
        return false;
    }
    if (value < 0 && !spec->allow_negative) {
        return false;
    }
    uint64_t limit = (uint64_t)decimal_pow10(spec->max_integer_digits + spec->scale);
    return decimal_magnitude(value) < limit;
}

portal_result decimal_add(int64_t a, int64_t b, int64_t *out)
{
    if (out == NULL) {
        return PORTAL_ERR_INVALID;
    }
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) {
        return PORTAL_ERR_TOO_LARGE;
    }
    *out = a + b;
    return PORTAL_OK;
}

portal_result decimal_sub(int64_t a, int64_t b, int64_t *out)
{
    if (out == NULL) {
        return PORTAL_ERR_INVALID;
    }
    if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)) {
        return PORTAL_ERR_TOO_LARGE;
    }
    *out = a - b;
    return PORTAL_OK;
}

/* Full 64x64 -> 128-bit unsigned product as hi:lo. */
static void decimal_mul_u128(uint64_t x, uint64_t y, uint64_t *hi, uint64_t *lo)
{
    const uint64_t mask = 0xffffffffu;
    uint64_t x0 = x & mask;
    uint64_t x1 = x >> 32;
    uint64_t y0 = y & mask;
    uint64_t y1 = y >> 32;
    uint64_t p00 = x0 * y0;
    uint64_t p01 = x0 * y1;
    uint64_t p10 = x1 * y0;
    uint64_t p11 = x1 * y1;
    uint64_t middle = (p00 >> 32) + (p01 & mask) + (p10 & mask);
    *lo = (middle << 32) | (p00 & mask);
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

portal_result decimal_mul_div(int64_t a, int64_t b, int64_t divisor, int64_t *out)
{
    if (out == NULL || divisor <= 0) {
        return PORTAL_ERR_INVALID;
    }
    bool negative = (a < 0) != (b < 0);
    uint64_t hi = 0;
    uint64_t lo = 0;
    decimal_mul_u128(decimal_magnitude(a), decimal_magnitude(b), &hi, &lo);

    /* Restoring long division of hi:lo by d, one bit at a time. The
     * remainder stays below d <= 2^63 - 1, so shifting it left never
     * overflows. */
    uint64_t d = (uint64_t)divisor;
    uint64_t q_hi = 0;
    uint64_t q_lo = 0;
    uint64_t rem = 0;
    for (int bit = 127; bit >= 0; bit--) {
        uint64_t next = bit >= 64 ? (hi >> (bit - 64)) & 1u : (lo >> bit) & 1u;
        rem = (rem << 1) | next;
        q_hi = (q_hi << 1) | (q_lo >> 63);
        q_lo <<= 1;
        if (rem >= d) {
            rem -= d;
            q_lo |= 1u;
        }
    }
    /* Half away from zero on the magnitude. */
    if (rem >= d - rem) {
        q_lo++;
        if (q_lo == 0u) {
            q_hi++;
        }
    }
    const uint64_t int64_max = (uint64_t)INT64_MAX;
    if (q_hi != 0u || q_lo > int64_max + (negative ? 1u : 0u)) {
        return PORTAL_ERR_TOO_LARGE;
    }
    if (negative) {
        *out = q_lo == int64_max + 1u ? INT64_MIN : -(int64_t)q_lo;
    } else {
        *out = (int64_t)q_lo;
    }
    return PORTAL_OK;
}

portal_result decimal_mul_percentage(int64_t amount, int64_t percentage, int64_t *out)
{
    return decimal_mul_div(amount, percentage, DECIMAL_PERCENT_ONE_HUNDRED, out);
}

portal_result decimal_rescale(int64_t value, int from_scale, int to_scale, int64_t *out)
{
    if (out == NULL || from_scale < 0 || from_scale > DECIMAL_MAX_SCALE || to_scale < 0 ||
        to_scale > DECIMAL_MAX_SCALE) {
        return PORTAL_ERR_INVALID;
    }
    if (to_scale >= from_scale) {
        return decimal_mul_div(value, decimal_pow10(to_scale - from_scale), 1, out);
    }
    return decimal_mul_div(value, 1, decimal_pow10(from_scale - to_scale), out);
}
