/* cli.c: see cli.h. */
#include "cli.h"

#include "jobs/maintenance.h"

#include <stdio.h>
#include <string.h>

#include "auth/password.h"
#include "base/crypto.h"
#include "demo/demo.h"
#include "formats/mail_templates.h"
#include "jobs/maintenance.h"
#include "store/audit.h"
#include "store/credentials.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/outbox.h"
#include "store/users.h"
#include "workflows/users.h"

#define CLI_INSURER_NAME "Verzekeraar"
#define CLI_DEMO_PASSWORD "Demo-Werkgeversportaal-2026"

static const char *cli_option(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return argv[i + 1];
    return NULL;
}

int cli_create_staff(const portal_config *cfg, int argc, char **argv)
{
    const char *email = cli_option(argc, argv, "--email");
    const char *first = cli_option(argc, argv, "--first-name");
    const char *last = cli_option(argc, argv, "--last-name");
    const char *mobile = cli_option(argc, argv, "--mobile");
    if (!email || !first || !last || !strchr(email, '@') || !*first || !*last) {
        fprintf(stderr, "usage: portal-api create-staff --email E --first-name F --last-name L "
                        "[--mobile M]\n");
        return 2;
    }
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/db/migrations", cfg->share_dir);
    if (migrate_run(cfg->database_url, dir) != PORTAL_OK)
        return 1;
    db_conn *db = db_connect_dedicated(cfg->database_url);
    if (!db) {
        fprintf(stderr, "create-staff: cannot connect to the database\n");
        return 1;
    }
    staff_invite_input in = {.insurer_name = CLI_INSURER_NAME,
                             .first_name = first,
                             .last_name = last,
                             .email = email,
                             .mobile = mobile,
                             .public_url = cfg->public_url};
    portal_actor actor = {.caller = NULL, .lang = "nl", .client_address = "", .request_id = ""};
    portal_outcome o;
    outcome_init(&o);
    char user[PORTAL_ID_LEN];
    portal_result rc = users_invite_staff(&actor, db, &in, user, &o);
    if (rc != PORTAL_OK) {
        fprintf(stderr, "create-staff: failed (%s)%s%s\n", portal_result_name(rc),
                db_error_message(db)[0] ? ": " : "", db_error_message(db));
    } else {
        printf("Invited %s %s <%s> as insurer staff (user %s).\n"
               "The invitation mail is queued; a running server delivers it%s.\n",
               first, last, email, user, cfg->smtp_url[0] ? " over SMTP" : " to PORTAL_MAIL_DIR");
    }
    db_close_dedicated(db);
    return rc == PORTAL_OK ? 0 : 1;
}

int cli_maintenance(const portal_config *cfg)
{
    db_conn *db = db_connect_dedicated(cfg->database_url);
    if (!db) {
        fprintf(stderr, "maintenance: cannot connect to the database\n");
        return 1;
    }
    maintenance_counts c;
    maintenance_configure(cfg);
    portal_result rc = maintenance_run(db, &c);
    db_close_dedicated(db);
    printf("exports expired: %lld\nidempotency keys dropped: %lld\n"
           "sign-in and message counters dropped: %lld\n"
           "unlock links dropped: %lld\nknown clients dropped: %lld\n",
           c.exports_expired, c.idempotency_keys, c.throttle_counters, c.signin_unlocks,
           c.signin_known_clients);
    printf("reconciliation reminders sent: %lld\n", c.reconciliation_reminders);
    return rc == PORTAL_OK ? 0 : 1;
}

int cli_seed_demo(const portal_config *cfg)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/db/migrations", cfg->share_dir);
    if (migrate_run(cfg->database_url, dir) != PORTAL_OK)
        return 1;
    char hash[PASSWORD_ENCODED_SIZE];
    if (password_hash(CLI_DEMO_PASSWORD, hash, sizeof hash) != PORTAL_OK) {
        fprintf(stderr, "seed-demo: cannot hash the demo password\n");
        return 1;
    }
    db_conn *db = db_connect_dedicated(cfg->database_url);
    if (!db) {
        fprintf(stderr, "seed-demo: cannot connect to the database\n");
        return 1;
    }
    demo_result demo;
    portal_result rc = db_begin(db);
    if (rc == PORTAL_OK)
        rc = demo_seed_all(db, hash, &demo);
    if (rc == PORTAL_OK)
        rc = db_commit(db);
    if (rc != PORTAL_OK) {
        db_rollback(db);
        fprintf(stderr, "seed-demo: failed (%s) %s\n", portal_result_name(rc),
                db_error_message(db));
        db_close_dedicated(db);
        return 1;
    }
    db_close_dedicated(db);
    printf("%s\nDemo accounts (password \"%s\"; each sets up an authenticator app at the first "
           "login):\n",
           demo.created ? "Demo data created." : "Demo data was already there.", CLI_DEMO_PASSWORD);
    for (const demo_user *u = demo_users(); u->username; u++)
        printf("  %-20s %s %s (%s)\n", u->username, u->first_name, u->last_name, u->rights);
    return 0;
}
