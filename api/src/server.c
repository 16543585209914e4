/* server.c: see server.h. Start-up order: migrate, keys, pool (then sealing
 * legacy TOTP secrets), workers, HTTP;
 * shutdown order: HTTP draining (no new connection, every request on an
 * open one answered, http/drain.h), HTTP, workers, pool. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <ulfius.h>

#include "auth/access.h"
#include "http/acceptor.h"
#include "http/authenticate.h"
#include "http/drain.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/secretbox.h"
#include "auth/totp.h"
#include "formats/recon_specification.h"
#include "base/heap.h"
#include "base/log.h"
#include "http/pagination.h"
#include "http/request.h"
#include "http/router.h"
#include "http/upload.h"
#include "jobs/batch_job.h"
#include "jobs/export_job.h"
#include "jobs/mail_delivery.h"
#include "jobs/maintenance.h"
#include "jobs/notification_job.h"
#include "jobs/payroll_job.h"
#include "jobs/reconciliation_job.h"
#include "jobs/sms_delivery.h"
#include "jobs/worker.h"
#include "routes.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/users.h"

/* Connections the kernel queues for the acceptor. */
#define SERVER_LISTEN_BACKLOG 1024

static const job_kind server_job_kinds[] = {
    {"mail", mail_delivery_run, NULL},
    {"sms", sms_delivery_run, NULL},
    {"export", export_job_run, export_job_give_up},
    {"notification_digest", notification_job_run, NULL},
    {"batch", batch_job_run, batch_job_give_up},
    {"reconciliation", reconciliation_job_run, NULL},
    {"payroll_period", payroll_job_run, payroll_job_give_up},
};

/* MHD's completion hook: drops the request's upload spool (also when the
 * client went away mid-upload), then lets ulfius free the request. */
static void server_request_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                                     enum MHD_RequestTerminationCode toe)
{
    struct connection_info_struct *info = con_cls ? *con_cls : NULL;
    if (info)
        http_upload_release(info->request);
    mhd_request_completed(cls, connection, con_cls, toe);
}

/* Starts MHD's worker threads without a listening socket of their own:
 * the acceptor (http/acceptor.h) hands them the connections. */
static int server_start_http(struct _u_instance *instance, const portal_config *cfg)
{
    struct MHD_OptionItem ops[] = {
        {MHD_OPTION_THREAD_POOL_SIZE, cfg->http_threads, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)cfg->connection_timeout, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)cfg->connection_limit, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)server_request_completed, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL},
        /* Open connections per client address; 0 (no limit) ends the list
         * here instead. */
        {cfg->connections_per_address ? MHD_OPTION_PER_IP_CONNECTION_LIMIT : MHD_OPTION_END,
         (intptr_t)cfg->connections_per_address, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    return ulfius_start_framework_with_mhd_options(instance,
                                                   MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
                                                       MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG,
                                                   ops);
}

portal_result server_init_auth(const portal_config *cfg)
{
    char list[1200];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(list, sizeof list, "%s/api/data/common-passwords.txt", cfg->share_dir);
    if (password_init(cores > 1 ? (int)cores - 1 : 1, list) != PORTAL_OK) {
        log_error("event=startup_failed reason=password_policy list=%s", list);
        return PORTAL_ERR_IO;
    }
    /* At most a quarter of the HTTP threads may wait on a password hash. */
    password_set_queue_limit(cfg->http_threads / 4 > 2 ? cfg->http_threads / 4 : 2);
    if (authjwt_init(cfg->jwt_private_key_file, config_is_development(cfg), cfg->jwt_issuer,
                     cfg->jwt_audience) != PORTAL_OK) {
        log_error("event=startup_failed reason=jwt_key file=%s hint=\"%s\"",
                  cfg->jwt_private_key_file,
                  config_is_development(cfg)
                      ? "the key could not be read or created"
                      : "create an EC P-256 key, e.g. openssl genpkey -algorithm EC -pkeyopt "
                        "ec_paramgen_curve:P-256");
        password_shutdown();
        return PORTAL_ERR_IO;
    }
    portal_result key = secretbox_load_key_file(cfg->data_key_file, config_is_development(cfg));
    if (key != PORTAL_OK) {
        log_error("event=startup_failed reason=data_key file=%s hint=\"%s\"", cfg->data_key_file,
                  key == PORTAL_ERR_INVALID ? "the file must hold the base64 of 32 bytes"
                  : config_is_development(cfg)
                      ? "the key could not be read or created"
                      : "create it with: openssl rand -base64 32 > FILE (mode 0600)");
        authjwt_shutdown();
        password_shutdown();
        return PORTAL_ERR_IO;
    }
    /* List cursors are signed with a key every instance derives alike. */
    unsigned char cursor_key[SECRETBOX_KEY_LEN];
    if (secretbox_derive_key("cursor", cursor_key) != PORTAL_OK) {
        log_error("event=startup_failed reason=cursor_key");
        secretbox_clear_key();
        authjwt_shutdown();
        password_shutdown();
        return PORTAL_ERR_CRYPTO;
    }
    http_cursor_set_key(cursor_key);
    OPENSSL_cleanse(cursor_key, sizeof cursor_key);
    return PORTAL_OK;
}

/* Seals TOTP secrets still stored in the clear (from before migration 0007). */
static portal_result server_seal_legacy_secrets(db_conn *db)
{
    int sealed = 0, failed = 0;
    portal_result rc = users_seal_totp_secrets(db, totp_reseal_secret, &sealed, &failed);
    if (rc == PORTAL_OK && (sealed || failed))
        log_info("event=totp_secrets_sealed count=%d failed=%d", sealed, failed);
    return rc;
}

void server_shutdown_auth(void)
{
    access_shutdown();
    http_cursor_set_key(NULL);
    secretbox_clear_key();
    authjwt_shutdown();
    password_shutdown();
}

int server_run(const portal_config *cfg)
{
    heap_configure(); /* before any thread exists: see base/heap.h */
    char migrations[1200];
    snprintf(migrations, sizeof migrations, "%s/db/migrations", cfg->share_dir);
    if (migrate_run(cfg->database_url, migrations) != PORTAL_OK) {
        log_error("event=startup_failed reason=migrations");
        return 1;
    }

    if (server_init_auth(cfg) != PORTAL_OK)
        return 1;

    /* Signals are taken by sigwait in this thread only: block them before
     * any other thread exists so every thread inherits the mask. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (db_pool_init(cfg->database_url, cfg->database_connections) != PORTAL_OK) {
        log_error("event=startup_failed reason=pool");
        server_shutdown_auth();
        return 1;
    }
    if (cfg->database_replica_url[0] &&
        db_standby_init(cfg->database_replica_url, cfg->database_connections,
                        (int)cfg->replica_wait_ms) != PORTAL_OK) {
        log_error("event=startup_failed reason=standby_pool");
        db_pool_shutdown();
        server_shutdown_auth();
        return 1;
    }
    db_conn *boot = db_acquire(5000);
    portal_result catalogue = boot ? access_init(boot) : PORTAL_ERR_DATABASE;
    portal_result sealed = boot ? server_seal_legacy_secrets(boot) : PORTAL_ERR_DATABASE;
    db_release(boot);
    if (catalogue != PORTAL_OK || sealed != PORTAL_OK) {
        log_error("event=startup_failed reason=%s",
                  catalogue != PORTAL_OK ? "rights_catalogue" : "totp_secrets");
        db_pool_shutdown();
        server_shutdown_auth();
        return 1;
    }
    if (cfg->frontend_dir[0]) {
        char index[1200];
        snprintf(index, sizeof index, "%s/index.html", cfg->frontend_dir);
        FILE *f = fopen(index, "rb");
        if (f)
            fclose(f);
        else
            log_warning("event=frontend_missing dir=%s hint=\"build the SPA with npm run build "
                        "in frontend/\"",
                        cfg->frontend_dir);
    }
    maintenance_configure(cfg);
    if (worker_start(cfg, server_job_kinds, sizeof server_job_kinds / sizeof server_job_kinds[0]) !=
        PORTAL_OK) {
        log_error("event=startup_failed reason=workers");
        db_pool_shutdown();
        server_shutdown_auth();
        return 1;
    }

    struct sockaddr_in bind;
    memset(&bind, 0, sizeof bind);
    bind.sin_family = AF_INET;
    bind.sin_port = htons((uint16_t)cfg->port);
    inet_pton(AF_INET, cfg->bind_address, &bind.sin_addr);

    struct _u_instance instance;
    int exit_code = 1;
    if (ulfius_init_instance(&instance, cfg->port, &bind, NULL) != U_OK) {
        log_error("event=startup_failed reason=ulfius_init");
        worker_stop();
        db_pool_shutdown();
        server_shutdown_auth();
        return 1;
    }
    /* ulfius silently truncates bodies past its cap: allow one byte more
     * than the limit so that the router can tell "too large" apart. */
    instance.max_post_body_size = HTTP_MAX_JSON_BODY + 1;
    /* Form fields beside an upload's file are short; files go to a spool. */
    instance.max_post_param_size = 64 * 1024;
    http_upload_install(&instance);
    size_t n_routes = 0;
    const http_route *routes = routes_table(&n_routes);
    int listener = -1;
    if (http_router_register(&instance, cfg, routes, n_routes, auth_authenticate) != PORTAL_OK) {
        log_error("event=startup_failed reason=routes");
    } else if ((listener = http_acceptor_listen(cfg->bind_address, cfg->port,
                                                SERVER_LISTEN_BACKLOG)) < 0) {
        log_error("event=startup_failed reason=http_listen port=%u errno=%d", cfg->port, errno);
    } else if (server_start_http(&instance, cfg) != U_OK) {
        log_error("event=startup_failed reason=http_start");
    } else if (http_acceptor_start(instance.mhd_daemon, listener) != PORTAL_OK) {
        log_error("event=startup_failed reason=http_acceptor");
        ulfius_stop_framework(&instance);
    } else {
        log_info("event=listening address=%s port=%u http_threads=%d workers=%d", cfg->bind_address,
                 cfg->port, cfg->http_threads, cfg->workers);
        int sig = 0;
        sigwait(&stop_signals, &sig);
        log_info("event=draining signal=%d drain_seconds=%u", sig, cfg->drain_seconds);
        http_drain_begin();
        http_drain_close_listener(listener);
        close(listener);
        listener = -1;
        unsigned left = http_drain_wait(instance.mhd_daemon, cfg->drain_seconds, &stop_signals);
        log_info("event=stopping signal=%d connections_left=%u", sig, left);
        ulfius_stop_framework(&instance);
        exit_code = 0;
    }
    if (listener >= 0)
        close(listener);
    ulfius_clean_instance(&instance);
    http_upload_shutdown();
    worker_stop();
    recon_spec_shutdown();
    db_pool_shutdown();
    server_shutdown_auth();
    log_info("event=stopped");
    return exit_code;
}
