/*
 * domain/wage_caps.c: the table of the statutory maximum premieloon by year.
 * See wage_caps.h for the contract.
 */
#include "domain/wage_caps.h"

/* Maximum premieloon per year in cents, ordered by year. Only figures known
 * for certain; a missing year is reported as unknown, never estimated. */
static const wage_cap_entry wage_cap_rows[] = {
    {2023, INT64_C(6695600)},
    {2024, INT64_C(7162800)},
    {2025, INT64_C(7586400)},
    {2026, INT64_C(7940900)},
};

#define WAGE_CAP_ROW_COUNT (sizeof(wage_cap_rows) / sizeof(wage_cap_rows[0]))

/* Linear look-up in the static table; fails as documented in the header. */
portal_result wage_cap_for_year(int year, int64_t *out)
{
    if (out == NULL) {
        return PORTAL_ERR_INVALID;
    }
    for (size_t i = 0; i < WAGE_CAP_ROW_COUNT; i++) {
        if (wage_cap_rows[i].year == year) {
            *out = wage_cap_rows[i].cap;
            return PORTAL_OK;
        }
    }
    return PORTAL_ERR_NOT_FOUND;
}

/* Hands out the static table; the caller owns nothing. */
const wage_cap_entry *wage_cap_table(size_t *count)
{
    if (count != NULL) {
        *count = WAGE_CAP_ROW_COUNT;
    }
    return wage_cap_rows;
}
