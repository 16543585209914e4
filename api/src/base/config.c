/* base/config.c: see config.h. */
#include "base/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int config_copy(char *dst, size_t size, const char *name, const char *fallback)
{
    const char *v = getenv(name);
    if (!v || !*v)
        v = fallback;
    if (strlen(v) >= size) {
        fprintf(stderr, "config: %s is too long (at most %zu characters)\n", name, size - 1);
        return 1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* The development cluster that scripts/dev.sh starts in .data/ (socket in
 * .data/run, port 5433), when the current folder holds one that is up: so
 * `build/portal-api create-staff` in a second terminal of the checkout finds
 * it without the environment dev.sh sets. Writes the URL into buf (the path
 * percent-encoded) and returns it, or returns NULL when there is none. */
static const char *config_dev_database(char *buf, size_t size)
{
    char cwd[512];
    char socket_path[600];
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    snprintf(socket_path, sizeof socket_path, "%s/.data/run/.s.PGSQL.5433", cwd);
    if (access(socket_path, F_OK) != 0)
        return NULL;
    int n = snprintf(buf, size, "postgresql://postgres@/portal?host=");
    for (const char *c = cwd; *c && n > 0 && (size_t)n + 4 < size; c++) {
        unsigned char ch = (unsigned char)*c;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("/-._~", ch))
            buf[n++] = (char)ch;
        else
            n += snprintf(buf + n, size - (size_t)n, "%%%02X", ch);
    }
    int tail = snprintf(buf + n, size - (size_t)n, "/.data/run&port=5433");
    return tail > 0 && (size_t)(n + tail) < size ? buf : NULL;
}

static int config_uint(unsigned *out, const char *name, unsigned fallback, unsigned min,
                       unsigned max)
{
    const char *v = getenv(name);
    *out = fallback;
    if (!v || !*v)
        return 0;
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || v[0] == '-' || n < min || n > max) {
        fprintf(stderr, "config: %s must be a whole number from %u to %u (got \"%s\")\n", name, min,
                max, v);
        return 1;
    }
    *out = (unsigned)n;
    return 0;
}

portal_result config_parse_cidr(const char *text, config_cidr *out)
{
    char host[64];
    const char *slash = strchr(text, '/');
    size_t hlen = slash ? (size_t)(slash - text) : strlen(text);
    if (hlen == 0 || hlen >= sizeof host)
        return PORTAL_ERR_INVALID;
    memcpy(host, text, hlen);
    host[hlen] = '\0';
    memset(out, 0, sizeof *out);
    unsigned max_bits;
    unsigned char v4[4];
    if (inet_pton(AF_INET, host, v4) == 1) {
        out->addr[10] = 0xff;
        out->addr[11] = 0xff;
        memcpy(out->addr + 12, v4, 4);
        max_bits = 32;
    } else if (inet_pton(AF_INET6, host, out->addr) == 1) {
        max_bits = 128;
    } else {
        return PORTAL_ERR_INVALID;
    }
    unsigned bits = max_bits;
    if (slash) {
        char *end = NULL;
        errno = 0;
        unsigned long n = strtoul(slash + 1, &end, 10);
        if (errno || *end || slash[1] == '\0' || slash[1] == '-' || n > max_bits)
            return PORTAL_ERR_INVALID;
        bits = (unsigned)n;
    }
    out->prefix_len = bits + (128 - max_bits);
    return PORTAL_OK;
}

int config_cidr_contains(const config_cidr *cidr, const unsigned char addr[16])
{
    unsigned bits = cidr->prefix_len;
    for (unsigned i = 0; i < 16 && bits > 0; i++) {
        unsigned take = bits >= 8 ? 8 : bits;
        unsigned char mask = (unsigned char)(0xff << (8 - take));
        if ((cidr->addr[i] & mask) != (addr[i] & mask))
            return 0;
        bits -= take;
    }
    return 1;
}

static int config_proxies(portal_config *cfg)
{
    const char *v = getenv("PORTAL_TRUSTED_PROXIES");
    cfg->trusted_proxy_count = 0;
    if (!v || !*v)
        return 0;
    char copy[1024];
    if (strlen(v) >= sizeof copy) {
        fprintf(stderr, "config: PORTAL_TRUSTED_PROXIES is too long\n");
        return 1;
    }
    memcpy(copy, v, strlen(v) + 1);
    int bad = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        if (cfg->trusted_proxy_count == CONFIG_MAX_PROXIES) {
            fprintf(stderr, "config: PORTAL_TRUSTED_PROXIES lists more than %d entries\n",
                    CONFIG_MAX_PROXIES);
            return 1;
        }
        if (config_parse_cidr(tok, &cfg->trusted_proxies[cfg->trusted_proxy_count]) != PORTAL_OK) {
            fprintf(stderr,
                    "config: PORTAL_TRUSTED_PROXIES entry \"%s\" is not an address or CIDR\n", tok);
            bad = 1;
            continue;
        }
        cfg->trusted_proxy_count++;
    }
    return bad;
}

static int config_url_scheme(const char *name, const char *value, const char *const *schemes)
{
    if (!*value)
        return 0;
    for (int i = 0; schemes[i]; i++)
        if (strncmp(value, schemes[i], strlen(schemes[i])) == 0 &&
            value[strlen(schemes[i])] != '\0')
            return 0;
    fprintf(stderr, "config: %s must start with %s (got \"%s\")\n", name, schemes[0], value);
    return 1;
}

/* Reads PORTAL_RECONCILIATION_REMINDER_DAYS ("14,3" when unset; "none":
 * no reminders) into cfg: distinct whole days 0..366, at most
 * CONFIG_MAX_REMINDERS. Returns 1 after printing what is wrong, else 0. */
static int config_reminder_days(portal_config *cfg)
{
    const char *v = getenv("PORTAL_RECONCILIATION_REMINDER_DAYS");
    cfg->reconciliation_reminder_count = 0;
    if (!v || !*v)
        v = "14,3";
    if (strcmp(v, "none") == 0)
        return 0;
    while (*v) {
        char *end = NULL;
        errno = 0;
        long d = strtol(v, &end, 10);
        int dup = 0;
        for (int i = 0; i < cfg->reconciliation_reminder_count; i++)
            dup |= cfg->reconciliation_reminder_days[i] == d;
        if (end == v || errno || d < 0 || d > 366 || dup || (*end && *end != ',') ||
            cfg->reconciliation_reminder_count >= CONFIG_MAX_REMINDERS) {
            fprintf(stderr,
                    "config: PORTAL_RECONCILIATION_REMINDER_DAYS must list up to %d distinct "
                    "days 0..366 separated by commas, or be \"none\"\n",
                    CONFIG_MAX_REMINDERS);
            cfg->reconciliation_reminder_count = 0;
            return 1;
        }
        cfg->reconciliation_reminder_days[cfg->reconciliation_reminder_count++] = (int)d;
        v = *end ? end + 1 : end;
    }
    return 0;
}

/* Reads PORTAL_SMTP_TLS into cfg->smtp_tls: required in production and
 * opportunistic in development unless set. Returns 1 for a bad value. */
static int config_read_smtp_tls(portal_config *cfg)
{
    static const char *const names[] = {"required", "opportunistic", "off"};
    const char *v = getenv("PORTAL_SMTP_TLS");
    cfg->smtp_tls =
        config_is_development(cfg) ? CONFIG_SMTP_TLS_OPPORTUNISTIC : CONFIG_SMTP_TLS_REQUIRED;
    if (!v || !*v)
        return 0;
    for (int i = 0; i < 3; i++) {
        if (strcmp(v, names[i]) == 0) {
            cfg->smtp_tls = (config_smtp_tls)i;
            return 0;
        }
    }
    fprintf(stderr, "config: PORTAL_SMTP_TLS must be required, opportunistic or off (got \"%s\")\n",
            v);
    return 1;
}

int config_is_development(const portal_config *cfg)
{
    return strcmp(cfg->env, "development") == 0;
}

portal_result config_load(portal_config *cfg)
{
    static const char *const http_schemes[] = {"http://", "https://", NULL};
    static const char *const smtp_schemes[] = {"smtp://", "smtps://", NULL};
    static const char *const pg_schemes[] = {"postgresql://", "postgres://", NULL};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned default_threads = (unsigned)(cores > 0 ? cores * 4 : 8);
    unsigned n;
    int bad = 0;

    memset(cfg, 0, sizeof *cfg);
    bad += config_copy(cfg->env, sizeof cfg->env, "PORTAL_ENV", "production");
    if (strcmp(cfg->env, "development") && strcmp(cfg->env, "production")) {
        fprintf(stderr, "config: PORTAL_ENV must be development or production (got \"%s\")\n",
                cfg->env);
        bad++;
    }
    {
        char dev_url[sizeof cfg->database_url];
        const char *fallback = config_dev_database(dev_url, sizeof dev_url);
        bad += config_copy(cfg->database_url, sizeof cfg->database_url, "PORTAL_DATABASE_URL",
                           fallback ? fallback : "postgresql:///portal");
    }
    bad += config_url_scheme("PORTAL_DATABASE_URL", cfg->database_url, pg_schemes);
    bad += config_copy(cfg->database_replica_url, sizeof cfg->database_replica_url,
                       "PORTAL_DATABASE_REPLICA_URL", "");
    bad += config_url_scheme("PORTAL_DATABASE_REPLICA_URL", cfg->database_replica_url, pg_schemes);
    bad += config_uint(&cfg->replica_wait_ms, "PORTAL_REPLICA_WAIT_MS", 200, 0, 2000);
    bad += config_uint(&cfg->port, "PORTAL_PORT", 8080, 1, 65535);
    bad +=
        config_copy(cfg->bind_address, sizeof cfg->bind_address, "PORTAL_BIND_ADDRESS", "0.0.0.0");
    {
        unsigned char tmp[16];
        if (inet_pton(AF_INET, cfg->bind_address, tmp) != 1) {
            fprintf(stderr, "config: PORTAL_BIND_ADDRESS must be an IPv4 address (got \"%s\")\n",
                    cfg->bind_address);
            bad++;
        }
    }
    bad += config_copy(cfg->public_url, sizeof cfg->public_url, "PORTAL_PUBLIC_URL",
                       "http://localhost:8080");
    bad += config_url_scheme("PORTAL_PUBLIC_URL", cfg->public_url, http_schemes);
    {
        size_t l = strlen(cfg->public_url);
        while (l > 0 && cfg->public_url[l - 1] == '/')
            cfg->public_url[--l] = '\0';
    }
    bad += config_copy(cfg->smtp_url, sizeof cfg->smtp_url, "PORTAL_SMTP_URL", "");
    bad += config_url_scheme("PORTAL_SMTP_URL", cfg->smtp_url, smtp_schemes);
    bad += config_read_smtp_tls(cfg);
    bad += config_copy(cfg->mail_from, sizeof cfg->mail_from, "PORTAL_MAIL_FROM",
                       "Werkgeversportaal <no-reply@werkgeversportaal.local>");
    bad += config_copy(cfg->mail_dir, sizeof cfg->mail_dir, "PORTAL_MAIL_DIR", ".data/mail");
    bad += config_copy(cfg->sms_url, sizeof cfg->sms_url, "PORTAL_SMS_URL", "");
    bad += config_url_scheme("PORTAL_SMS_URL", cfg->sms_url, http_schemes);
    bad += config_copy(cfg->sms_dir, sizeof cfg->sms_dir, "PORTAL_SMS_DIR", ".data/sms");
    bad += config_copy(cfg->jwt_private_key_file, sizeof cfg->jwt_private_key_file,
                       "PORTAL_JWT_PRIVATE_KEY_FILE", ".data/jwt-private.pem");
    bad +=
        config_copy(cfg->jwt_issuer, sizeof cfg->jwt_issuer, "PORTAL_JWT_ISSUER", cfg->public_url);
    bad += config_copy(cfg->jwt_audience, sizeof cfg->jwt_audience, "PORTAL_JWT_AUDIENCE",
                       "portal-api");
    {
        /* Default: "data-key" in the folder of the JWT key, so a setup that
         * names one key folder gets both keys there. */
        char fallback[sizeof cfg->data_key_file];
        const char *slash = strrchr(cfg->jwt_private_key_file, '/');
        int dir_len = slash ? (int)(slash - cfg->jwt_private_key_file) : 1;
        snprintf(fallback, sizeof fallback, "%.*s/data-key", dir_len,
                 slash ? cfg->jwt_private_key_file : ".");
        bad += config_copy(cfg->data_key_file, sizeof cfg->data_key_file, "PORTAL_DATA_KEY_FILE",
                           fallback);
    }
    bad += config_copy(cfg->frontend_dir, sizeof cfg->frontend_dir, "PORTAL_FRONTEND_DIR", "");
#ifndef PORTAL_SOURCE_DIR
#define PORTAL_SOURCE_DIR "/usr/share/portal"
#endif
    bad +=
        config_copy(cfg->share_dir, sizeof cfg->share_dir, "PORTAL_SHARE_DIR", PORTAL_SOURCE_DIR);
    bad += config_copy(cfg->log_level, sizeof cfg->log_level, "PORTAL_LOG_LEVEL", "info");
    if (strcmp(cfg->log_level, "error") && strcmp(cfg->log_level, "warning") &&
        strcmp(cfg->log_level, "info") && strcmp(cfg->log_level, "debug")) {
        fprintf(stderr, "config: PORTAL_LOG_LEVEL must be error, warning, info or debug\n");
        bad++;
    }
    bad += config_uint(&n, "PORTAL_HTTP_THREADS", default_threads, 1, 256);
    cfg->http_threads = (int)n;
    /* One connection for each HTTP thread, and two for streamed downloads and
     * the export job's second connection. Fewer (several instances sharing
     * one PostgreSQL's max_connections) make threads queue for one in turn
     * (store/db_pool.c) while they still read and answer slow clients. */
    unsigned default_connections = (unsigned)cfg->http_threads;
    bad += config_uint(&n, "PORTAL_DATABASE_CONNECTIONS", default_connections + 2, 1, 256);
    cfg->database_connections = (int)n;
    bad += config_uint(&n, "PORTAL_WORKERS", 2, 0, 64);
    cfg->workers = (int)n;
    bad += config_uint(&cfg->connection_limit, "PORTAL_CONNECTION_LIMIT", 1024, 1, 100000);
    bad += config_uint(&cfg->connection_timeout, "PORTAL_CONNECTION_TIMEOUT", 30, 1, 3600);
    bad +=
        config_uint(&cfg->connections_per_address, "PORTAL_CONNECTIONS_PER_ADDRESS", 64, 0, 100000);
    bad += config_uint(&cfg->drain_seconds, "PORTAL_DRAIN_SECONDS", 10, 0, 120);
    bad += config_proxies(cfg);
    bad += config_uint(&cfg->job_retry_base_ms, "PORTAL_JOB_RETRY_BASE_MS", 5000, 10, 60000);
    bad += config_reminder_days(cfg);
    return bad ? PORTAL_ERR_INVALID : PORTAL_OK;
}
