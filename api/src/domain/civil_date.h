/*
 * domain/civil_date.h: calendar dates without a time zone (year, month, day),
 * as used for birth dates, employment dates and effective dates.
 *
 * Owns: strict ISO parsing and formatting, comparison, calendar arithmetic
 * (months with the day clamped to the month's end, days), whole years between
 * two dates (ages), and "today in Europe/Amsterdam" computed from a time_t with
 * the EU summer-time rule built in, so nothing depends on the process's TZ or
 * on tzdata. Pure functions: no allocation, no I/O, never reads the clock.
 *
 * Every date this module produces or accepts as valid lies in
 * CIVIL_DATE_MIN_YEAR..CIVIL_DATE_MAX_YEAR (1900-01-01 .. 2200-12-31).
 */
#ifndef PORTAL_DOMAIN_CIVIL_DATE_H
#define PORTAL_DOMAIN_CIVIL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/result.h"

#define CIVIL_DATE_MIN_YEAR 1900
#define CIVIL_DATE_MAX_YEAR 2200
#define CIVIL_DATE_TEXT_LEN 10                         /* "YYYY-MM-DD" */
#define CIVIL_DATE_TEXT_SIZE (CIVIL_DATE_TEXT_LEN + 1) /* plus NUL */

typedef struct {
    int year;  /* 1900..2200 */
    int month; /* 1..12 */
    int day;   /* 1..days in that month */
} civil_date;

/* True for Gregorian leap years (divisible by 4, centuries only by 400). */
bool civil_date_is_leap_year(int year);

/* Days in `month` (1..12) of `year`: 28..31. Returns 0 for a month outside
 * 1..12. */
int civil_date_days_in_month(int year, int month);

/* True when d is a real calendar date within 1900-01-01..2200-12-31. */
bool civil_date_is_valid(civil_date d);

/* Parses exactly "YYYY-MM-DD" (NUL-terminated, ten characters, ASCII digits,
 * two-digit month and day, no surrounding space or trailing characters) into
 * *out. Returns PORTAL_ERR_INVALID for NULL, any other shape, a date that does
 * not exist (2023-02-30) or a year outside 1900..2200; *out is left untouched
 * on failure. */
portal_result civil_date_parse(const char *text, civil_date *out);

/* As civil_date_parse, for text[0..len) that need not be NUL-terminated (a CSV
 * or spreadsheet cell). len must be exactly 10. */
portal_result civil_date_parse_n(const char *text, size_t len, civil_date *out);

/* Writes d as "YYYY-MM-DD" plus NUL into out (caller-owned, `size` bytes).
 * Returns PORTAL_ERR_INVALID for an invalid d and PORTAL_ERR_TOO_LARGE when
 * size < CIVIL_DATE_TEXT_SIZE; out is left untouched on failure. */
portal_result civil_date_format(civil_date d, char *out, size_t size);

/* Negative, zero or positive as a is before, equal to or after b. Compares
 * field by field; meaningful for valid dates. */
int civil_date_compare(civil_date a, civil_date b);

/* Days since 1970-01-01 (negative before it) of a valid d. Returns
 * PORTAL_ERR_INVALID for an invalid d, leaving *out untouched. */
portal_result civil_date_to_days(civil_date d, int64_t *out);

/* The date `days` days after 1970-01-01 into *out. Returns PORTAL_ERR_INVALID
 * when it falls outside 1900..2200, leaving *out untouched. */
portal_result civil_date_from_days(int64_t days, civil_date *out);

/* d plus `months` calendar months (negative goes back), the day clamped to the
 * end of the target month: 2024-11-30 + 3 = 2025-02-28, 2023-11-30 + 3 =
 * 2024-02-29, 2026-05-31 - 3 = 2026-02-28. Returns PORTAL_ERR_INVALID for an
 * invalid d or a result outside 1900..2200, leaving *out untouched. */
portal_result civil_date_add_months(civil_date d, int months, civil_date *out);

/* d plus `days` days (negative goes back). Returns PORTAL_ERR_INVALID for an
 * invalid d or a result outside 1900..2200, leaving *out untouched. */
portal_result civil_date_add_days(civil_date d, int64_t days, civil_date *out);

/* Whole years from `from` to `to`, i.e. the age on `to` of someone born on
 * `from`: a year is complete when month and day of `to` reach those of
 * `from`. Someone born on 29 February therefore turns a year older on
 * 1 March in non-leap years (and on 29 February in leap years). Returns
 * PORTAL_ERR_INVALID for an invalid date or when `to` is before `from`,
 * leaving *out untouched. */
portal_result civil_date_years_between(civil_date from, civil_date to, int *out);

/* Offset of Europe/Amsterdam from UTC at instant `now`, in seconds: 7200
 * (CEST) from the last Sunday of March 01:00 UTC up to the last Sunday of
 * October 01:00 UTC, else 3600 (CET). The EU rule of 1996 is applied to every
 * year; historical Dutch rules are not modelled. */
int civil_date_amsterdam_offset_seconds(time_t now);

/* The calendar date in Europe/Amsterdam at instant `now` (seconds since the
 * epoch, UTC), using civil_date_amsterdam_offset_seconds. Independent of TZ
 * and tzdata. Returns PORTAL_ERR_INVALID when that date is outside
 * 1900..2200, leaving *out untouched. */
portal_result civil_date_amsterdam_today(time_t now, civil_date *out);

#endif
