/*
 * domain/wage_caps.h: the statutory maximum premieloon (the yearly wage cap
 * for employee insurance premiums) by year, the default wage cap of a
 * reconciliation (DESIGN.md §4.6).
 *
 * Owns: a static table of the figures the project is sure of, in whole euros
 * as published: 2023 EUR 66,956; 2024 EUR 71,628; 2025 EUR 75,864; 2026
 * EUR 79,409. A year outside the table is "unknown": the caller must then
 * ask for the cap explicitly (the reconciliation's `wage_cap`) rather than
 * guess. Adding a year is one row. Pure functions: no allocation, no I/O.
 */
#ifndef PORTAL_DOMAIN_WAGE_CAPS_H
#define PORTAL_DOMAIN_WAGE_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include "base/result.h"

typedef struct {
    int year;
    int64_t cap; /* money scale 2: EUR 75,864.00 is 7586400 */
} wage_cap_entry;

/* The cap for `year` into *out (cents). Returns PORTAL_ERR_NOT_FOUND for a
 * year the table does not hold and PORTAL_ERR_INVALID for a NULL out; *out
 * is left untouched on failure. */
portal_result wage_cap_for_year(int year, int64_t *out);

/* The whole table (static, never NULL, ordered by year) and its length in
 * *count (count may be NULL). */
const wage_cap_entry *wage_cap_table(size_t *count);

#endif
