/*
 * store/pg_array.h: the text form of simple PostgreSQL arrays ({a,b,c}) of
 * ids and right names, as they come back from ::text casts. Elements here
 * never need quoting (UUIDs, [a-z0-9_.] names), so quoted elements are
 * taken as they stand between the quotes.
 */
#ifndef PORTAL_STORE_PG_ARRAY_H
#define PORTAL_STORE_PG_ARRAY_H

#include <stddef.h>

/* Splits text into at most max elements of item_size bytes each, laid out
 * one after another in out (e.g. a char[max][item_size]). Elements that do
 * not fit an item are skipped. Returns how many were written. */
int pg_array_split(const char *text, char *out, size_t item_size, int max);

/* 1 when the array text holds the element. */
int pg_array_contains(const char *text, const char *element);

#endif
