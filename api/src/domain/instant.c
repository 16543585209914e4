/* domain/instant.c: see instant.h. */
#include "domain/instant.h"

#include <stdint.h>
#include <string.h>

/* Reads n digits into *out; 0 when one is not a digit. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

portal_result instant_parse(const char *s, time_t *epoch, int *is_date, civil_date *day)
{
    size_t len = s ? strlen(s) : 0;
    civil_date d;
    int64_t days;
    if (len < 10 || civil_date_parse_n(s, 10, &d) != PORTAL_OK ||
        civil_date_to_days(d, &days) != PORTAL_OK)
        return PORTAL_ERR_INVALID;
    *day = d;
    if (len == 10) {
        *is_date = 1;
        *epoch = (time_t)(days * 86400);
        return PORTAL_OK;
    }
    *is_date = 0;
    int h, m, sec;
    if (len < 20 || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &m) || s[16] != ':' || !digits(s + 17, 2, &sec) || h > 23 || m > 59 ||
        sec > 59)
        return PORTAL_ERR_INVALID;
    const char *p = s + 19;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            n++;
        if (n < 1 || n > 9)
            return PORTAL_ERR_INVALID;
    }
    long offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return PORTAL_ERR_INVALID;
        offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return PORTAL_ERR_INVALID;
    }
    if (*p)
        return PORTAL_ERR_INVALID;
    *epoch = (time_t)(days * 86400 + h * 3600L + m * 60L + sec - offset);
    return PORTAL_OK;
}

int instant_is_rfc3339(const char *s)
{
    time_t t;
    int is_date = 0;
    civil_date d;
    return instant_parse(s, &t, &is_date, &d) == PORTAL_OK && !is_date;
}

time_t instant_start_of_day(civil_date d)
{
    int64_t days = 0;
    civil_date_to_days(d, &days);
    time_t utc_midnight = (time_t)(days * 86400);
    /* The offset in force just before local midnight is that of the day. */
    return utc_midnight - civil_date_amsterdam_offset_seconds(utc_midnight - 7200);
}

time_t instant_end_of_day(civil_date d)
{
    civil_date next;
    if (civil_date_add_days(d, 1, &next) != PORTAL_OK)
        next = d;
    return instant_start_of_day(next);
}
