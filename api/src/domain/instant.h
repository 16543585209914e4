/*
 * domain/instant.h: instants given by clients: a calendar date
 * (YYYY-MM-DD) or an RFC 3339 timestamp with a zone
 * (YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)), and the edges of a
 * Europe/Amsterdam day. Pure; times are seconds since the epoch.
 */
#ifndef PORTAL_DOMAIN_INSTANT_H
#define PORTAL_DOMAIN_INSTANT_H

#include <time.h>

#include "domain/civil_date.h"

/* Parses s into *epoch (fractions dropped). For a date, *is_date is 1,
 * *day the date and *epoch its UTC midnight. PORTAL_ERR_INVALID otherwise,
 * leaving the outputs unspecified. */
portal_result instant_parse(const char *s, time_t *epoch, int *is_date, civil_date *day);

/* 1 when s is an RFC 3339 timestamp (not a bare date). */
int instant_is_rfc3339(const char *s);

/* Midnight at the start of d in Europe/Amsterdam. */
time_t instant_start_of_day(civil_date d);

/* Midnight at the start of the day after d in Europe/Amsterdam: "valid
 * through d". */
time_t instant_end_of_day(civil_date d);

#endif
