/*
 * base/lsn.h: PostgreSQL write-ahead log positions ("16/B374D848": two hex
 * numbers, the high and low 32 bits), as the server prints them and as the
 * portal hands them to clients (the commit position of a write, see the
 * README's operations section). Pure: no I/O, no allocation.
 */
#ifndef PORTAL_BASE_LSN_H
#define PORTAL_BASE_LSN_H

#include <stddef.h>
#include <stdint.h>

/* Room for the longest text form, "FFFFFFFF/FFFFFFFF", and its NUL. */
#define LSN_TEXT_SIZE 18

/* Reads text ("X/Y", 1 to 8 hex digits each, any case, nothing else) into
 * *out. Returns 1 on success; 0 (and *out = 0) for NULL, empty or anything
 * malformed, so a forged value from a client is ignored, never trusted. */
int lsn_parse(const char *text, uint64_t *out);

/* Writes lsn in the server's form (upper-case hex, "0/0" for zero) into out
 * (size at least LSN_TEXT_SIZE); cannot fail. */
void lsn_format(uint64_t lsn, char out[LSN_TEXT_SIZE]);

/* -1, 0 or 1 as a comes before, equals or follows b in the log. */
int lsn_compare(uint64_t a, uint64_t b);

#endif
