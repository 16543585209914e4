/*
 * base/caller.h: who is making a request: filled by authentication, read by
 * access checks, resources and the audit log. Plain data, so every layer can
 * use it.
 */
#ifndef PORTAL_BASE_CALLER_H
#define PORTAL_BASE_CALLER_H

#define PORTAL_ID_LEN 37 /* a UUID in text form plus NUL */
#define CALLER_MAX_RIGHTS 32
#define CALLER_RIGHT_LEN 48
#define CALLER_MAX_SCOPE 64

typedef enum { CALLER_NONE = 0, CALLER_SESSION, CALLER_API_TOKEN } portal_caller_kind;

/* Who is calling: filled by the authentication step, read by resources. */
typedef struct {
    portal_caller_kind kind;
    char user_id[PORTAL_ID_LEN];    /* the user, or the token's creator */
    char token_id[PORTAL_ID_LEN];   /* API token id (CALLER_API_TOKEN) */
    char session_id[PORTAL_ID_LEN]; /* login session (CALLER_SESSION) */
    char organisation_id[PORTAL_ID_LEN];
    char organisation_kind[16]; /* insurer | employer | intermediary */
    int n_rights;
    char rights[CALLER_MAX_RIGHTS][CALLER_RIGHT_LEN];
    int all_schemes; /* 1: no scheme scope limit */
    int n_schemes;
    char scheme_ids[CALLER_MAX_SCOPE][PORTAL_ID_LEN];
} portal_caller;

/* Who asks a use case (workflows/) to run, and in which language it
 * answers: plain data that an HTTP request, a background job, the command
 * line and the demo seeder can all fill. Every pointer is borrowed. */
typedef struct {
    const portal_caller *caller; /* NULL: the system itself (a job, the CLI) */
    const char *lang;            /* "nl" or "en" */
    const char *client_address;  /* for the audit log; "" when none */
    const char *request_id;      /* for the audit log; "" when none */
} portal_actor;

/* 1 when the caller holds the right id (exact match). */
int caller_has_right(const portal_caller *caller, const char *right);

#endif
