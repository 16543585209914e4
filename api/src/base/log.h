/*
 * base/log.h: structured logging through yder.
 *
 * Every line is `event=NAME key=value ...`, one event per line, so logs can be
 * grepped and parsed. Callers never pass passwords, tokens, codes, bodies or
 * BSNs: the helpers do not (and cannot) filter them.
 */
#ifndef PORTAL_BASE_LOG_H
#define PORTAL_BASE_LOG_H

#include <stddef.h>

#include "base/result.h"

typedef enum { LOG_LEVEL_ERROR = 0, LOG_LEVEL_WARNING, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG } log_level;

/* Starts console logging at the given level ("error".."debug"); PORTAL_OK or
 * PORTAL_ERR_INVALID for an unknown level name (logging then stays off). */
portal_result log_init(const char *level_name);

/* Parses a level name; -1 when unknown. */
int log_level_from_name(const char *name);

/* Stops logging; safe to call twice. */
void log_shutdown(void);

/* Copies in to out (out_size bytes, always NUL-terminated) with every
 * control character escaped: newline, carriage return and tab as \n, \r,
 * \t, a backslash as \\, anything else below 0x20 and DEL as \xHH. Stops
 * before an escape that would not fit whole. Returns the length written.
 * Owns nothing; never fails. */
size_t log_escape(const char *in, char *out, size_t out_size);

/* printf-style message at a level; the format should start with "event=".
 * The formatted line is passed through log_escape, so no value can start a
 * second line. */
void log_message(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_message(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...) log_message(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_message(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_message(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
