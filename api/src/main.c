/*
 * main.c: the portal-api binary. Reads the configuration, starts logging and
 * hands over to the chosen subcommand; nothing else lives here.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "base/config.h"
#include "base/log.h"
#include "cli.h"
#include "routes.h"
#include "server.h"
#include "store/migrate.h"

static int usage(void)
{
    fprintf(stderr, "usage: portal-api <command>\n"
                    "  serve     run the API server (applies pending migrations first)\n"
                    "  migrate   apply pending database migrations and exit\n"
                    "  create-staff --email E --first-name F --last-name L [--mobile M]\n"
                    "            invite an insurer staff member (mail is queued)\n"
                    "  seed-demo create the demo employer, office and accounts (idempotent)\n"
                    "  maintenance  expire old exports, drop old idempotency keys and idle\n"
                    "            sign-in counters once (running servers do it every 10 minutes)\n"
                    "  routes    print every route the server answers (METHOD PATH)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "routes") == 0) {
        size_t n = 0;
        const http_route *routes = routes_table(&n);
        for (size_t i = 0; i < n; i++)
            printf("%s %s\n", routes[i].method, routes[i].path);
        return 0;
    }
    portal_config cfg;
    if (config_load(&cfg) != PORTAL_OK) {
        fprintf(stderr, "portal-api: fix the configuration above and start again\n");
        return 2;
    }
    if (log_init(cfg.log_level) != PORTAL_OK)
        return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc;
    if (strcmp(argv[1], "serve") == 0) {
        rc = server_run(&cfg);
    } else if (strcmp(argv[1], "migrate") == 0) {
        char dir[1200];
        snprintf(dir, sizeof dir, "%s/db/migrations", cfg.share_dir);
        rc = migrate_run(cfg.database_url, dir) == PORTAL_OK ? 0 : 1;
    } else if (strcmp(argv[1], "seed-demo") == 0) {
        rc = cli_seed_demo(&cfg);
    } else if (strcmp(argv[1], "maintenance") == 0) {
        rc = cli_maintenance(&cfg);
    } else if (strcmp(argv[1], "create-staff") == 0) {
        rc = cli_create_staff(&cfg, argc - 2, argv + 2);
    } else {
        rc = usage();
    }
    curl_global_cleanup();
    log_shutdown();
    return rc;
}
