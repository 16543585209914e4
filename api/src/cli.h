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

/* Runs `create-staff` with argv after the subcommand; returns an exit code. */
int cli_create_staff(const portal_config *cfg, int argc, char **argv);

#endif
