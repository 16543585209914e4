/* routes.c: see routes.h. Grouped by resource, in the order of DESIGN.md §4. */
#include "routes.h"

#include "resources/health.h"

static const http_route route_table[] = {
    {"GET", "/healthz", health_live, ROUTE_PUBLIC},
    {"GET", "/readyz", health_ready, ROUTE_PUBLIC},
    {"GET", "/api/v1/openapi.yaml", health_openapi, ROUTE_PUBLIC},
};

const http_route *routes_table(size_t *count)
{
    *count = sizeof route_table / sizeof route_table[0];
    return route_table;
}
