/*
 * base/outcome.h: what a use case (workflows/) tells its caller besides the
 * created or changed object: a portal_result, the stable problem code, an
 * optional detail, and every rule it found broken at once.
 *
 * Plain data with fixed capacity, so workflows, jobs and the command line
 * fill it without knowing HTTP, and http/outcome.h turns it into a problem
 * response in one place. A field error's message may be left empty: the
 * HTTP layer then takes the catalogue's text for its code in the caller's
 * language.
 */
#ifndef PORTAL_BASE_OUTCOME_H
#define PORTAL_BASE_OUTCOME_H

#include "base/result.h"

#define OUTCOME_MAX_ERRORS 32

typedef struct {
    char field[128];   /* a JSON Pointer into the request ("/person/bsn"), or "" */
    char code[48];     /* field error code ("invalid_bsn", "required") */
    char message[256]; /* in the caller's language, or "": the catalogue's */
} outcome_error;

typedef struct {
    portal_result rc;    /* PORTAL_OK, or why the use case did not happen */
    char code[48];       /* stable problem code; "": the default for rc */
    char detail[512];    /* in the caller's language, or "": the catalogue's */
    int retry_after;     /* seconds, for PORTAL_ERR_THROTTLED/BUSY; 0: none */
    char subject_id[40]; /* an id the answer names (the batch holding a lock) */
    int n_errors;
    outcome_error errors[OUTCOME_MAX_ERRORS];
} portal_outcome;

/* Clears o to success. */
void outcome_init(portal_outcome *o);

/* Sets o's result and code (NULL: the default for rc) and returns rc, so a
 * use case can `return outcome_fail(o, PORTAL_ERR_CONFLICT, "participant_dormant");`. */
portal_result outcome_fail(portal_outcome *o, portal_result rc, const char *code);

/* Adds a field error (message NULL or "": the catalogue's). Errors past
 * OUTCOME_MAX_ERRORS are dropped silently; strings are truncated to fit. */
void outcome_add_error(portal_outcome *o, const char *field, const char *code, const char *message);

/* Sets the detail text (already in the caller's language). */
void outcome_set_detail(portal_outcome *o, const char *detail);

#endif
