/* http/resource_list.c: see resource_list.h. */
#include "http/resource_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/uuid.h"
#include "http/problem.h"

int http_list_after_created(http_ctx *ctx, struct _u_response *response, const http_page *page,
                            const char *tag, http_list_after *out)
{
    memset(out, 0, sizeof *out);
    json_t *keys = NULL;
    if (!http_page_cursor_keys(ctx, response, page, tag, 2, &keys))
        return 0;
    if (!keys)
        return 1;
    json_t *created = json_array_get(keys, 0);
    const char *id = json_string_value(json_array_get(keys, 1));
    int ok = json_is_integer(created) && uuid_valid(id);
    if (ok) {
        out->given = 1;
        snprintf(out->created_at, sizeof out->created_at, "%" JSON_INTEGER_FORMAT,
                 json_integer_value(created));
        snprintf(out->id, sizeof out->id, "%s", id);
    }
    json_decref(keys);
    if (!ok)
        http_problem(response, ctx, 400, "invalid_cursor");
    return ok;
}

void http_list_send(struct _u_response *response, http_ctx *ctx, portal_result rc, const char *tag,
                    const char *items, const char *next_keys)
{
    char *cursor = NULL;
    if (rc == PORTAL_OK && next_keys) {
        cursor = http_cursor_encode_text(tag, next_keys);
        if (!cursor)
            rc = PORTAL_ERR_MEMORY;
    }
    if (rc == PORTAL_OK)
        http_page_send_text(response, items, strlen(items), cursor, -1);
    else
        http_problem(response, ctx, 500, "internal_error");
    free(cursor);
}
