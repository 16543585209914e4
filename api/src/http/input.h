/*
 * http/input.h: reading typed fields out of a parsed JSON body.
 *
 * Each reader records what is wrong (missing required field, wrong type,
 * too long) as a field error with a JSON Pointer ("/person/bsn") and goes on,
 * so one 400 answer lists every unreadable field at once. Rule violations
 * (422) are the resource's business, not this module's.
 */
#ifndef PORTAL_HTTP_INPUT_H
#define PORTAL_HTTP_INPUT_H

#include <jansson.h>
#include <stddef.h>

#include "http/problem.h"

typedef struct {
    const char *lang;
    problem p; /* 400 invalid_request with the field errors */
} input;

#define INPUT_OPTIONAL 0
#define INPUT_REQUIRED 1

/* Starts collecting errors in the request's language. */
void input_init(input *in, const char *lang);

/* A string member `key` of obj at JSON Pointer `parent` ("" for the root).
 * Returns it (borrowed from obj) or NULL when absent, null or unreadable;
 * records "required", "invalid_type" or "too_long" (max_len in Unicode
 * characters, 0 = no limit). Strings that are empty after trimming count as
 * absent for required fields. */
const char *input_string(input *in, const json_t *obj, const char *parent, const char *key,
                         int required, size_t max_len);

/* A nested object; NULL when absent (recording "required" if so). */
json_t *input_object(input *in, const json_t *obj, const char *parent, const char *key,
                     int required);

/* An array; NULL when absent (recording "required" if so). */
json_t *input_array(input *in, const json_t *obj, const char *parent, const char *key, int required,
                    size_t max_items);

/* A boolean; returns fallback when absent. */
int input_bool(input *in, const json_t *obj, const char *parent, const char *key, int fallback);

/* Records a field error by hand (e.g. a string that is not a date). */
void input_error(input *in, const char *parent, const char *key, const char *code);

/* 1 when any field error was recorded. */
int input_failed(const input *in);

/* Writes the 400 problem with every recorded field error. */
void input_send(const input *in, struct _u_response *response, const http_ctx *ctx);

/* Builds a JSON Pointer parent + "/" + key with RFC 6901 escaping. */
void input_pointer(const char *parent, const char *key, char *out, size_t size);

/* Number of Unicode code points in a UTF-8 string (jansson guarantees
 * valid UTF-8 for parsed strings). */
size_t input_utf8_length(const char *s);

#endif
