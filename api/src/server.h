/*
 * server.h: `portal-api serve`: migrations, pool, workers and the HTTP
 * server, run until SIGTERM or SIGINT, then stopped in reverse order.
 */
#ifndef PORTAL_SERVER_H
#define PORTAL_SERVER_H

#include "base/config.h"

/* Runs the server; returns the process exit code (0 after a clean stop). */
int server_run(const portal_config *cfg);

#endif
