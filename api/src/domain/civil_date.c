/*
 * domain/civil_date.c: calendar arithmetic on proleptic Gregorian dates and
 * the Europe/Amsterdam day at an instant. See civil_date.h for the contract.
 *
 * Day numbers use Howard Hinnant's days_from_civil / civil_from_days
 * algorithms (days since 1970-01-01). Standard C only.
 */
#include "domain/civil_date.h"

#include <string.h>

#define CIVIL_SECONDS_PER_DAY 86400
#define CIVIL_CET_OFFSET 3600
#define CIVIL_CEST_OFFSET 7200
/* Day numbers of 1900-01-01 and 2200-12-31. */
#define CIVIL_MIN_DAYS (-25567)
#define CIVIL_MAX_DAYS 84370

static int64_t civil_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static int64_t civil_floor_mod(int64_t a, int64_t b)
{
    return a - civil_floor_div(a, b) * b;
}

/* Days since 1970-01-01 for any proleptic Gregorian date; no range check. */
static int64_t civil_days_from_fields(int64_t y, int64_t m, int64_t d)
{
    y -= (m <= 2) ? 1 : 0;
    int64_t era = civil_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Inverse of civil_days_from_fields; z must be within a few million years. */
static void civil_fields_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = civil_floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + ((*m <= 2) ? 1 : 0);
}

bool civil_date_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_date_days_in_month(int year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) {
        return 0;
    }
    if (month == 2 && civil_date_is_leap_year(year)) {
        return 29;
    }
    return lengths[month - 1];
}

bool civil_date_is_valid(civil_date d)
{
    return d.year >= CIVIL_DATE_MIN_YEAR && d.year <= CIVIL_DATE_MAX_YEAR && d.month >= 1 &&
           d.month <= 12 && d.day >= 1 && d.day <= civil_date_days_in_month(d.year, d.month);
}

/* Reads `count` ASCII digits at text into *value; false on a non-digit. */
static bool civil_read_digits(const char *text, size_t count, int *value)
{
    int v = 0;
    for (size_t i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        v = v * 10 + (text[i] - '0');
    }
    *value = v;
    return true;
}

portal_result civil_date_parse_n(const char *text, size_t len, civil_date *out)
{
    if (text == NULL || out == NULL || len != CIVIL_DATE_TEXT_LEN) {
        return PORTAL_ERR_INVALID;
    }
    civil_date d;
    if (!civil_read_digits(text, 4, &d.year) || text[4] != '-' ||
        !civil_read_digits(text + 5, 2, &d.month) || text[7] != '-' ||
        !civil_read_digits(text + 8, 2, &d.day)) {
        return PORTAL_ERR_INVALID;
    }
    if (!civil_date_is_valid(d)) {
        return PORTAL_ERR_INVALID;
    }
    *out = d;
    return PORTAL_OK;
}

portal_result civil_date_parse(const char *text, civil_date *out)
{
    if (text == NULL) {
        return PORTAL_ERR_INVALID;
    }
    /* Look at most one character past the expected length. */
    size_t len = 0;
    while (len <= CIVIL_DATE_TEXT_LEN && text[len] != '\0') {
        len++;
    }
    return civil_date_parse_n(text, len, out);
}

portal_result civil_date_format(civil_date d, char *out, size_t size)
{
    if (out == NULL || !civil_date_is_valid(d)) {
        return PORTAL_ERR_INVALID;
    }
    if (size < CIVIL_DATE_TEXT_SIZE) {
        return PORTAL_ERR_TOO_LARGE;
    }
    char text[CIVIL_DATE_TEXT_SIZE];
    const int fields[3] = {d.year, d.month, d.day};
    const size_t widths[3] = {4, 2, 2};
    size_t pos = 0;
    for (size_t f = 0; f < 3; f++) {
        int value = fields[f];
        for (size_t i = widths[f]; i > 0; i--) {
            text[pos + i - 1] = (char)('0' + value % 10);
            value /= 10;
        }
        pos += widths[f];
        if (f < 2) {
            text[pos++] = '-';
        }
    }
    text[pos] = '\0';
    memcpy(out, text, CIVIL_DATE_TEXT_SIZE);
    return PORTAL_OK;
}

int civil_date_compare(civil_date a, civil_date b)
{
    if (a.year != b.year) {
        return a.year < b.year ? -1 : 1;
    }
    if (a.month != b.month) {
        return a.month < b.month ? -1 : 1;
    }
    if (a.day != b.day) {
        return a.day < b.day ? -1 : 1;
    }
    return 0;
}

portal_result civil_date_to_days(civil_date d, int64_t *out)
{
    if (out == NULL || !civil_date_is_valid(d)) {
        return PORTAL_ERR_INVALID;
    }
    *out = civil_days_from_fields(d.year, d.month, d.day);
    return PORTAL_OK;
}

portal_result civil_date_from_days(int64_t days, civil_date *out)
{
    if (out == NULL || days < CIVIL_MIN_DAYS || days > CIVIL_MAX_DAYS) {
        return PORTAL_ERR_INVALID;
    }
    int64_t y = 0;
    int64_t m = 0;
    int64_t d = 0;
    civil_fields_from_days(days, &y, &m, &d);
    out->year = (int)y;
    out->month = (int)m;
    out->day = (int)d;
    return PORTAL_OK;
}

portal_result civil_date_add_months(civil_date d, int months, civil_date *out)
{
    if (out == NULL || !civil_date_is_valid(d)) {
        return PORTAL_ERR_INVALID;
    }
    int64_t total = (int64_t)d.year * 12 + (d.month - 1) + (int64_t)months;
    int64_t year = civil_floor_div(total, 12);
    if (year < CIVIL_DATE_MIN_YEAR || year > CIVIL_DATE_MAX_YEAR) {
        return PORTAL_ERR_INVALID;
    }
    civil_date result;
    result.year = (int)year;
    result.month = (int)civil_floor_mod(total, 12) + 1;
    int last = civil_date_days_in_month(result.year, result.month);
    result.day = d.day > last ? last : d.day;
    *out = result;
    return PORTAL_OK;
}

portal_result civil_date_add_days(civil_date d, int64_t days, civil_date *out)
{
    int64_t start = 0;
    if (out == NULL || civil_date_to_days(d, &start) != PORTAL_OK) {
        return PORTAL_ERR_INVALID;
    }
    /* Bound `days` first so the sum cannot overflow. */
    if (days < CIVIL_MIN_DAYS - CIVIL_MAX_DAYS || days > CIVIL_MAX_DAYS - CIVIL_MIN_DAYS) {
        return PORTAL_ERR_INVALID;
    }
    return civil_date_from_days(start + days, out);
}

portal_result civil_date_years_between(civil_date from, civil_date to, int *out)
{
    if (out == NULL || !civil_date_is_valid(from) || !civil_date_is_valid(to) ||
        civil_date_compare(to, from) < 0) {
        return PORTAL_ERR_INVALID;
    }
    int years = to.year - from.year;
    if (to.month < from.month || (to.month == from.month && to.day < from.day)) {
        years--;
    }
    *out = years;
    return PORTAL_OK;
}

/* Day number of the last Sunday of `month` (31-day month) in `year`. */
static int64_t civil_last_sunday(int64_t year, int64_t month)
{
    int64_t last = civil_days_from_fields(year, month, 31);
    /* 1970-01-01 was a Thursday: weekday 0 = Sunday. */
    int64_t weekday = civil_floor_mod(last + 4, 7);
    return last - weekday;
}

/* Instants further from the epoch than this are outside 1900..2200 anyway;
 * bounding them keeps every product below in range. */
#define CIVIL_INSTANT_LIMIT ((int64_t)400 * 366 * CIVIL_SECONDS_PER_DAY)

int civil_date_amsterdam_offset_seconds(time_t now)
{
    int64_t t = (int64_t)now;
    if (t > CIVIL_INSTANT_LIMIT || t < -CIVIL_INSTANT_LIMIT) {
        return CIVIL_CET_OFFSET;
    }
    int64_t y = 0;
    int64_t m = 0;
    int64_t d = 0;
    civil_fields_from_days(civil_floor_div(t, CIVIL_SECONDS_PER_DAY), &y, &m, &d);
    int64_t summer_start = civil_last_sunday(y, 3) * CIVIL_SECONDS_PER_DAY + 3600;
    int64_t summer_end = civil_last_sunday(y, 10) * CIVIL_SECONDS_PER_DAY + 3600;
    return (t >= summer_start && t < summer_end) ? CIVIL_CEST_OFFSET : CIVIL_CET_OFFSET;
}

portal_result civil_date_amsterdam_today(time_t now, civil_date *out)
{
    int64_t t = (int64_t)now;
    if (out == NULL || t > CIVIL_INSTANT_LIMIT || t < -CIVIL_INSTANT_LIMIT) {
        return PORTAL_ERR_INVALID;
    }
    int64_t local = t + civil_date_amsterdam_offset_seconds(now);
    return civil_date_from_days(civil_floor_div(local, CIVIL_SECONDS_PER_DAY), out);
}
