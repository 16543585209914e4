/*
 * http/problem.h: RFC 9457 problem responses with stable codes and Dutch or
 * English text.
 *
 * Every error an endpoint returns goes through here, so the shape is always
 * {"type","title","status","detail","code","errors":[{"field","code",
 * "message"}]}. Titles, details and field messages come from one catalogue
 * keyed by code (problem.c), in the request's language.
 */
#ifndef PORTAL_HTTP_PROBLEM_H
#define PORTAL_HTTP_PROBLEM_H

#include <jansson.h>
#include <ulfius.h>

#include "http/context.h"

#define PROBLEM_MAX_ERRORS 32

typedef struct {
    char field[128]; /* JSON Pointer into the request body ("/person/bsn") */
    char code[48];
    char message[256];
} problem_field_error;

typedef struct {
    int status;
    char code[48];
    char detail[512]; /* empty: the catalogue's detail for code */
    int n_errors;
    problem_field_error errors[PROBLEM_MAX_ERRORS];
    char allow[64];  /* for 405: the Allow header */
    int retry_after; /* for 429/503: seconds, 0 = none */
} problem;

/* Starts a problem with a status and a stable code; detail from the catalogue. */
void problem_init(problem *p, int status, const char *code);

/* Adds a field error; the message is the catalogue text for code in lang,
 * or `message` when given. Silently ignores errors past PROBLEM_MAX_ERRORS. */
void problem_add(problem *p, const char *lang, const char *field, const char *code,
                 const char *message);

/* Sets a detail text (already in the right language). */
void problem_set_detail(problem *p, const char *detail);

/* Writes the problem into the response (status, body, content type); a 500
 * while the request's database connection is lost goes out as 503, and a 503
 * without its own retry_after gets Retry-After: 5. */
void problem_send(struct _u_response *response, const http_ctx *ctx, const problem *p);

/* Shortcut: status + code with the catalogue texts. */
void http_problem(struct _u_response *response, const http_ctx *ctx, int status, const char *code);

/* A problem about one field: status + code, one field error (message from
 * the catalogue when NULL); a given message also becomes the detail. */
void http_field_problem(struct _u_response *response, const http_ctx *ctx, int status,
                        const char *code, const char *field, const char *field_code,
                        const char *message);

/* The answer for an unexpected failure: 503 service_unavailable with
 * Retry-After for PORTAL_ERR_BUSY and PORTAL_ERR_DATABASE, 500 otherwise. */
void http_problem_for(struct _u_response *response, const http_ctx *ctx, portal_result rc);

/* 429 too_many_attempts with Retry-After (at least one second). */
void http_too_many(struct _u_response *response, const http_ctx *ctx, long retry_after);

/* Answers 422 code (title from the catalogue, type about:blank) with
 * detail, a list of errors too long for a problem (a JSON array, borrowed)
 * and their number as error_count. Returns 0, answering nothing, when the
 * body cannot be built. */
int http_problem_list(struct _u_response *response, const http_ctx *ctx, const char *code,
                      const char *detail, json_t *errors, size_t count);

/* The localized message of a code ("field error" text), never NULL. */
const char *problem_message(const char *lang, const char *code);

/* 1 when the catalogue knows code (used by tests and the OpenAPI check). */
int problem_code_known(const char *code);

#endif
