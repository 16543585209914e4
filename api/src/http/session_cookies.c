/* http/session_cookies.c: see session_cookies.h. */
#include "http/session_cookies.h"

#include <string.h>

void session_cookies_set(struct _u_response *response, const http_ctx *ctx,
                         const char *refresh_token, const char *csrf_token)
{
    const char *pub = ctx->config->public_url;
    int local =
        strncmp(pub, "http://localhost", 16) == 0 || strncmp(pub, "http://127.0.0.1", 16) == 0;
    int secure = !local;
    ulfius_add_same_site_cookie_to_response(response, SESSION_REFRESH_COOKIE, refresh_token, NULL,
                                            12 * 3600, NULL, "/api/v1/auth", secure, 1,
                                            U_COOKIE_SAME_SITE_STRICT);
    ulfius_add_same_site_cookie_to_response(response, SESSION_CSRF_COOKIE, csrf_token, NULL,
                                            12 * 3600, NULL, "/", secure, 0,
                                            U_COOKIE_SAME_SITE_STRICT);
}

void session_cookies_clear(struct _u_response *response)
{
    static const char past[] = "Thu, 01 Jan 1970 00:00:00 GMT";
    ulfius_add_same_site_cookie_to_response(response, SESSION_REFRESH_COOKIE, "", past, 0, NULL,
                                            "/api/v1/auth", 0, 1, U_COOKIE_SAME_SITE_STRICT);
    ulfius_add_same_site_cookie_to_response(response, SESSION_CSRF_COOKIE, "", past, 0, NULL, "/",
                                            0, 0, U_COOKIE_SAME_SITE_STRICT);
}
