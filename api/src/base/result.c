/* base/result.c: names of the result codes, for logs only. */
#include "base/result.h"

const char *portal_result_name(portal_result rc)
{
    switch (rc) {
    case PORTAL_OK:
        return "ok";
    case PORTAL_ERR_MEMORY:
        return "memory";
    case PORTAL_ERR_INVALID:
        return "invalid";
    case PORTAL_ERR_NOT_FOUND:
        return "not_found";
    case PORTAL_ERR_CONFLICT:
        return "conflict";
    case PORTAL_ERR_DENIED:
        return "denied";
    case PORTAL_ERR_TOO_LARGE:
        return "too_large";
    case PORTAL_ERR_EXPIRED:
        return "expired";
    case PORTAL_ERR_DATABASE:
        return "database";
    case PORTAL_ERR_IO:
        return "io";
    case PORTAL_ERR_CRYPTO:
        return "crypto";
    case PORTAL_ERR_BUSY:
        return "busy";
    case PORTAL_ERR_INTERNAL:
        return "internal";
    case PORTAL_ERR_MALFORMED:
        return "malformed";
    case PORTAL_ERR_PRECONDITION:
        return "precondition";
    case PORTAL_ERR_THROTTLED:
        return "throttled";
    case PORTAL_ERR_UNAUTHENTICATED:
        return "unauthenticated";
    }
    return "unknown";
}
