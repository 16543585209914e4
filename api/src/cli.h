/*
 * cli.h: the operator subcommands besides serve and migrate:
 *   create-staff --email E --first-name F --last-name L [--mobile M]
 * creates the insurer organisation when needed and an invited staff user,
 * and queues the invitation mail (delivered by a running server's workers).
 * Nothing secret is printed.
 */
#ifndef PORTAL_CLI_H
#define PORTAL_CLI_H

#include "base/config.h"

/* Runs `seed-demo`: the demo organisations, schemes and accounts (README
 * "Demo accounts"); a second run changes nothing. Returns an exit code. */
int cli_seed_demo(const portal_config *cfg);

/* Runs `maintenance` once (jobs/maintenance.h) and prints what it removed;
 * returns an exit code. */
int cli_maintenance(const portal_config *cfg);

/* Runs `create-staff` with argv after the subcommand; returns an exit code. */
int cli_create_staff(const portal_config *cfg, int argc, char **argv);

#endif
