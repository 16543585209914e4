/* http/response.c: see response.h. */
#include "http/response.h"

#include <stdlib.h>
#include <string.h>

void http_set_header(struct _u_response *response, const char *name, const char *value)
{
    u_map_put(response->map_header, name, value);
}

void http_send_json_typed(struct _u_response *response, unsigned status, const json_t *body,
                          const char *content_type)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (!text) {
        static const char fallback[] =
            "{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500,"
            "\"code\":\"internal_error\"}";
        http_set_header(response, "Content-Type", "application/problem+json");
        ulfius_set_binary_body_response(response, 500, fallback, sizeof fallback - 1);
        return;
    }
    http_set_header(response, "Content-Type", content_type);
    ulfius_set_binary_body_response(response, status, text, strlen(text));
    free(text);
}

void http_send_json(struct _u_response *response, unsigned status, const json_t *body)
{
    http_send_json_typed(response, status, body, "application/json");
}

void http_send_json_text(struct _u_response *response, unsigned status, const char *text,
                         size_t len)
{
    http_set_header(response, "Content-Type", "application/json");
    ulfius_set_binary_body_response(response, status, text, len);
}

void http_send_empty(struct _u_response *response, unsigned status)
{
    ulfius_set_empty_body_response(response, status);
}
