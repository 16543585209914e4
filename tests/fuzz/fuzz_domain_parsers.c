/* tests/fuzz/fuzz_domain_parsers.c: libFuzzer target for the pure parsers
 * of client text: BSN, calendar dates, instants (date or RFC 3339), money,
 * salary and percentage decimals, and the participant format checks. The
 * whole input, NUL-terminated, goes to every parser; each successful parse
 * must format back to the same value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bsn.h"
#include "domain/civil_date.h"
#include "domain/decimal.h"
#include "domain/instant.h"
#include "domain/participant_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* BSN: a valid number normalises to itself and masks to its last four. */
static void fuzz_bsn(const char *s)
{
    char out[BSN_SIZE];
    char masked[BSN_MASKED_SIZE];
    int valid = bsn_is_valid(s);
    portal_result rc = bsn_normalize(s, out);
    if (valid && (rc != PORTAL_OK || strcmp(out, s) != 0))
        __builtin_trap();
    if (rc == PORTAL_OK && !bsn_is_valid(out))
        __builtin_trap();
    if (bsn_mask(s, masked, sizeof masked) == PORTAL_OK && strlen(masked) != BSN_LEN)
        __builtin_trap();
}

/* Dates: a parsed date is valid, formats to the same ten characters and
 * survives the day arithmetic. */
static void fuzz_date(const char *s, size_t len)
{
    civil_date d;
    civil_date e;
    portal_result rc = civil_date_parse(s, &d);
    portal_result rc_n = civil_date_parse_n(s, len, &e);
    if (rc != rc_n && len == strlen(s))
        __builtin_trap();
    if (rc != PORTAL_OK)
        return;
    char text[CIVIL_DATE_TEXT_SIZE];
    int64_t days = 0;
    civil_date back;
    if (!civil_date_is_valid(d) || civil_date_format(d, text, sizeof text) != PORTAL_OK ||
        strcmp(text, s) != 0 || civil_date_to_days(d, &days) != PORTAL_OK ||
        civil_date_from_days(days, &back) != PORTAL_OK || civil_date_compare(d, back) != 0)
        __builtin_trap();
    civil_date other;
    int years = 0;
    (void)civil_date_add_months(d, (int)(days % 5000), &other);
    (void)civil_date_add_days(d, days % 100000, &other);
    (void)civil_date_years_between(d, other, &years);
}

/* Instants: a bare date is a date, a timestamp is RFC 3339. */
static void fuzz_instant(const char *s)
{
    time_t epoch = 0;
    int is_date = 0;
    civil_date day = {0, 0, 0};
    int rfc = instant_is_rfc3339(s);
    if (instant_parse(s, &epoch, &is_date, &day) != PORTAL_OK)
        return;
    if (is_date) {
        if (!civil_date_is_valid(day) || rfc)
            __builtin_trap();
        (void)instant_start_of_day(day);
        (void)instant_end_of_day(day);
    }
}

/* Decimals: parse, format, parse again gives the same value. */
static void fuzz_decimal(const char *s, size_t len, const decimal_spec *spec)
{
    int64_t v = 0;
    int64_t w = 0;
    portal_result rc = decimal_parse(s, spec, &v);
    portal_result rc_n = decimal_parse_n(s, len, spec, &w);
    if (len == strlen(s) && (rc != rc_n || (rc == PORTAL_OK && v != w)))
        __builtin_trap();
    if (rc != PORTAL_OK)
        return;
    char text[DECIMAL_TEXT_SIZE];
    int64_t again = 0;
    if (!decimal_fits(v, spec) || decimal_format(v, spec->scale, text, sizeof text) != PORTAL_OK ||
        decimal_parse(text, spec, &again) != PORTAL_OK || again != v)
        __builtin_trap();
    int64_t out = 0;
    (void)decimal_mul_percentage(v, DECIMAL_PERCENT_ONE_HUNDRED / 8, &out);
    (void)decimal_rescale(v, spec->scale, (int)(len % (DECIMAL_MAX_SCALE + 1)), &out);
    (void)decimal_add(v, v, &out);
    (void)decimal_sub(v, -v, &out);
}

/* Participant formats: postal codes, countries, e-mail, numbers, names. */
static void fuzz_formats(const char *s)
{
    char out[128];
    (void)participant_postal_code_normalize("NL", s, out, sizeof out);
    (void)participant_postal_code_normalize("BE", s, out, sizeof out);
    (void)participant_postal_code_normalize(s, "1234 AB", out, sizeof out);
    (void)participant_country_is_valid(s);
    (void)participant_email_is_valid(s);
    (void)participant_number_is_valid(s);
    (void)participant_format_initials(s, NULL, out, sizeof out);
    (void)participant_format_initials(NULL, s, out, sizeof out);
    (void)participant_format_display_name(s, "J.", s, out, sizeof out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    fuzz_bsn(s);
    fuzz_date(s, size);
    fuzz_instant(s);
    fuzz_decimal(s, size, &decimal_spec_money);
    fuzz_decimal(s, size, &decimal_spec_salary);
    fuzz_decimal(s, size, &decimal_spec_percentage);
    fuzz_formats(s);
    free(s);
    return 0;
}
