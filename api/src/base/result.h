/*
 * base/result.h: the one result code every module returns.
 *
 * Functions that can fail return a portal_result. PORTAL_OK is zero so that
 * `if (rc != PORTAL_OK)` and `if (rc)` both read naturally. Modules never
 * invent their own success/failure integers.
 */
#ifndef PORTAL_BASE_RESULT_H
#define PORTAL_BASE_RESULT_H

typedef enum {
    PORTAL_OK = 0,
    PORTAL_ERR_MEMORY,         /* allocation failed */
    PORTAL_ERR_INVALID,        /* input breaks a rule or cannot be parsed */
    PORTAL_ERR_NOT_FOUND,      /* the thing asked for does not exist (or is not visible) */
    PORTAL_ERR_CONFLICT,       /* conflicts with the current state */
    PORTAL_ERR_DENIED,         /* the caller may not do this */
    PORTAL_ERR_TOO_LARGE,      /* a hard cap was reached */
    PORTAL_ERR_EXPIRED,        /* a token, code or lease is no longer valid */
    PORTAL_ERR_DATABASE,       /* PostgreSQL reported an error or is unreachable */
    PORTAL_ERR_IO,             /* file, socket or external service failed */
    PORTAL_ERR_CRYPTO,         /* a cryptographic primitive failed */
    PORTAL_ERR_BUSY,           /* a bounded resource is saturated: try again shortly */
    PORTAL_ERR_INTERNAL,       /* a bug or an impossible state */
    PORTAL_ERR_MALFORMED,      /* the request itself cannot be read (HTTP 400) */
    PORTAL_ERR_PRECONDITION,   /* a version precondition (If-Match) does not hold */
    PORTAL_ERR_THROTTLED,      /* too many attempts: wait before trying again */
    PORTAL_ERR_UNAUTHENTICATED /* the credentials or token are not valid (HTTP 401) */
} portal_result;

/* Marks a function whose portal_result must not be ignored. */
#define PORTAL_MUST_USE __attribute__((warn_unused_result))

/* Returns a static, English, lower-case name for logs ("database"). */
const char *portal_result_name(portal_result rc);

#endif
