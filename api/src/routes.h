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

#endif
