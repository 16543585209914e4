/* base/log.c: see log.h. Formats into a bounded buffer, escapes control
 * characters and hands the line to yder. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yder.h>

static int log_started;
/* The most detailed level written; a message above it is not even formatted
 * (the request log line is info, and production logs at warning). */
static int log_threshold;

int log_level_from_name(const char *name)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

portal_result log_init(const char *level_name)
{
    static const unsigned long yder_levels[] = {Y_LOG_LEVEL_ERROR, Y_LOG_LEVEL_WARNING,
                                                Y_LOG_LEVEL_INFO, Y_LOG_LEVEL_DEBUG};
    int level = log_level_from_name(level_name);
    if (level < 0)
        return PORTAL_ERR_INVALID;
    if (log_started)
        y_close_logs();
    if (y_init_logs("portal-api", Y_LOG_MODE_CONSOLE, yder_levels[level], NULL,
                    "event=logging_started") != 1)
        return PORTAL_ERR_IO;
    log_threshold = level;
    log_started = 1;
    return PORTAL_OK;
}

void log_shutdown(void)
{
    if (log_started) {
        y_close_logs();
        log_started = 0;
    }
}

size_t log_escape(const char *in, char *out, size_t out_size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (out_size == 0)
        return 0;
    for (size_t i = 0; in && in[i]; i++) {
        unsigned char ch = (unsigned char)in[i];
        char esc[4];
        size_t n = 0;
        if (ch == '\n' || ch == '\r' || ch == '\t' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : ch == '\t' ? 't' : '\\';
            n = 2;
        } else if (ch < 0x20 || ch == 0x7f) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[ch >> 4];
            esc[3] = hex[ch & 0x0f];
            n = 4;
        } else {
            esc[0] = (char)ch;
            n = 1;
        }
        if (o + n >= out_size)
            break; /* cut whole escapes only */
        memcpy(out + o, esc, n);
        o += n;
    }
    out[o] = '\0';
    return o;
}

void log_message(log_level level, const char *fmt, ...)
{
    static const unsigned long yder_levels[] = {Y_LOG_LEVEL_ERROR, Y_LOG_LEVEL_WARNING,
                                                Y_LOG_LEVEL_INFO, Y_LOG_LEVEL_DEBUG};
    char line[2048];
    char safe[sizeof line * 2];
    va_list ap;
    if (!log_started || (int)level > log_threshold)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* Values may hold client text (a PostgreSQL error quoting input, a
     * header): one event stays one line whatever they contain. */
    log_escape(line, safe, sizeof safe);
    y_log_message(yder_levels[level], "%s", safe);
}
