/*
 * routes.h: the route table of the whole API, in one place. Every path the
 * server answers is listed here (and in openapi.yaml; a test checks that the
 * two agree).
 */
#ifndef PORTAL_ROUTES_H
#define PORTAL_ROUTES_H

#include <stddef.h>

#include "http/router.h"

/* The table and its length. */
const http_route *routes_table(size_t *count);

/* The paths of the GET routes a hot standby may answer, and their count. */
const char *const *routes_standby_reads(size_t *count);

#endif
