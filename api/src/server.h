/*
 * server.h: `portal-api serve`: migrations, pool, workers and the HTTP
 * server, run until SIGTERM or SIGINT, then stopped in reverse order.
 */
#ifndef PORTAL_SERVER_H
#define PORTAL_SERVER_H

#include "base/config.h"

/* Loads the password policy and the JWT key (also for CLI commands that
 * hash or sign). Logs the reason and returns an error when either fails. */
portal_result server_init_auth(const portal_config *cfg);

/* Releases what server_init_auth loaded. */
void server_shutdown_auth(void);

/* Runs the server; returns the process exit code (0 after a clean stop). */
int server_run(const portal_config *cfg);

#endif
