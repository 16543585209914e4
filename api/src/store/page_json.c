/* store/page_json.c: see page_json.h. */
#include "store/page_json.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/db_values.h"

portal_result page_json_collect(PGresult *res, int limit, char **items, char **next_keys)
{
    *items = NULL;
    *next_keys = NULL;
    if (!res)
        return PORTAL_ERR_DATABASE;
    int n = PQntuples(res);
    buf b;
    buf_init(&b, PAGE_JSON_MAX_BYTES);
    portal_result rc = buf_append_str(&b, "[");
    for (int i = 0; rc == PORTAL_OK && i < n && i < limit; i++) {
        if (i)
            rc = buf_append_str(&b, ",");
        if (rc == PORTAL_OK)
            rc = buf_append_str(&b, PQgetvalue(res, i, 0));
    }
    if (rc == PORTAL_OK)
        rc = buf_append_str(&b, "]");
    if (rc == PORTAL_OK && n > limit && limit > 0) {
        *next_keys = strdup(PQgetvalue(res, limit - 1, 1));
        if (!*next_keys)
            rc = PORTAL_ERR_MEMORY;
    }
    if (rc == PORTAL_OK) {
        *items = buf_detach(&b);
        if (!*items)
            rc = PORTAL_ERR_MEMORY;
    }
    buf_free(&b);
    PQclear(res);
    if (rc != PORTAL_OK) {
        free(*next_keys);
        *next_keys = NULL;
    }
    return rc;
}

portal_result page_json_take(PGresult *res, int first_col, char **items, char **next_keys)
{
    int ok = 1;
    *items = db_dup_value(res, 0, first_col, &ok);
    *next_keys = db_dup_value(res, 0, first_col + 1, &ok);
    PQclear(res);
    if (!ok || !*items) {
        free(*items);
        free(*next_keys);
        *items = *next_keys = NULL;
        return PORTAL_ERR_MEMORY;
    }
    return PORTAL_OK;
}
