/* http/query_ids.c: see query_ids.h. */
#include "http/query_ids.h"

#include <stdio.h>

#include "base/uuid.h"
#include "http/pagination.h"
#include "http/problem.h"

int http_query_ids(const struct _u_request *request, http_ctx *ctx, struct _u_response *response,
                   const char *name, char out[HTTP_QUERY_IDS_LITERAL], int *n)
{
    char ids[HTTP_QUERY_IDS_MAX][HTTP_QUERY_VALUE_LEN];
    int count = 0;
    if (!http_query_values_param(request, ctx, response, name, ids, HTTP_QUERY_IDS_MAX, &count))
        return 0;
    size_t size = HTTP_QUERY_IDS_LITERAL;
    size_t at = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < count; i++) {
        if (!uuid_valid(ids[i])) {
            http_field_problem(response, ctx, 400, "invalid_request", name, "invalid_format", NULL);
            return 0;
        }
        at += (size_t)snprintf(out + at, size - at, "%s%s", i ? "," : "", ids[i]);
    }
    snprintf(out + at, size - at, "}");
    *n = count;
    return 1;
}
