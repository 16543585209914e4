/* base/log.c: see log.h. Formats into a bounded buffer and hands it to yder. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yder.h>

static int log_started;

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

void log_message(log_level level, const char *fmt, ...)
{
    static const unsigned long yder_levels[] = {Y_LOG_LEVEL_ERROR, Y_LOG_LEVEL_WARNING,
                                                Y_LOG_LEVEL_INFO, Y_LOG_LEVEL_DEBUG};
    char line[2048];
    va_list ap;
    if (!log_started)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    y_log_message(yder_levels[level], "%s", line);
}
