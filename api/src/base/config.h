/*
 * base/config.h: the process configuration, read once from PORTAL_*
 * environment variables (README "Configuration" lists them all).
 *
 * config_load fills a caller-owned struct and reports every bad value on
 * stderr with the variable's name, so an operator sees all mistakes at once.
 */
#ifndef PORTAL_BASE_CONFIG_H
#define PORTAL_BASE_CONFIG_H

#include <stddef.h>

#include "base/result.h"

#define CONFIG_MAX_PROXIES 16
#define CONFIG_MAX_REMINDERS 8 /* reminder mails before a reconciliation's deadline */

typedef struct {
    unsigned char addr[16]; /* IPv4 mapped into ::ffff:a.b.c.d, or IPv6 */
    unsigned prefix_len;    /* in bits of the 128-bit form */
} config_cidr;

/* How mail reaches the SMTP relay (PORTAL_SMTP_TLS). */
typedef enum {
    CONFIG_SMTP_TLS_REQUIRED = 0,  /* STARTTLS or smtps://, or no mail at all */
    CONFIG_SMTP_TLS_OPPORTUNISTIC, /* STARTTLS when the relay offers it */
    CONFIG_SMTP_TLS_OFF            /* never (a local catcher) */
} config_smtp_tls;

typedef struct {
    char env[16]; /* "development" or "production" */
    char database_url[1024];
    /* A hot standby for reads (PORTAL_DATABASE_REPLICA_URL; empty: none)
     * and how long a read waits for it to replay the caller's last write
     * before it goes to the primary (PORTAL_REPLICA_WAIT_MS). */
    char database_replica_url[1024];
    unsigned replica_wait_ms;
    unsigned port;
    char bind_address[64];
    char public_url[512];
    char smtp_url[512]; /* empty: mail goes to mail_dir */
    config_smtp_tls smtp_tls;
    char mail_from[256];
    char mail_dir[1024];
    char sms_url[512]; /* empty: SMS goes to sms_dir */
    char sms_dir[1024];
    char jwt_private_key_file[1024];
    char jwt_issuer[256];
    char jwt_audience[256];
    char data_key_file[1024]; /* AES-256 key sealing secrets at rest (auth/secretbox.h) */
    char frontend_dir[1024];
    char share_dir[1024]; /* holds db/migrations, openapi.yaml, api/data */
    char log_level[16];
    int http_threads;
    int database_connections; /* the pool's size (and the standby's) */
    int workers;
    unsigned connection_limit;
    unsigned connection_timeout;      /* seconds */
    unsigned connections_per_address; /* 0: no limit per client address */
    unsigned drain_seconds;           /* on SIGTERM, longest wait for connections to close */
    config_cidr trusted_proxies[CONFIG_MAX_PROXIES];
    int trusted_proxy_count;
    unsigned job_retry_base_ms; /* first retry delay of a failed job; doubles per attempt */
    /* Days before a reconciliation's deadline a reminder goes out
     * (PORTAL_RECONCILIATION_REMINDER_DAYS, "14,3" by default, "none": none). */
    int reconciliation_reminder_days[CONFIG_MAX_REMINDERS];
    int reconciliation_reminder_count;
} portal_config;

/* Reads the environment into cfg (defaults first). Returns PORTAL_OK, or
 * PORTAL_ERR_INVALID after printing one line per bad variable to stderr. */
portal_result config_load(portal_config *cfg);

/* Parses "a.b.c.d", "a.b.c.d/n", IPv6 and IPv6/n. PORTAL_ERR_INVALID on bad input. */
portal_result config_parse_cidr(const char *text, config_cidr *out);

/* 1 when the 16-byte address lies inside the CIDR. */
int config_cidr_contains(const config_cidr *cidr, const unsigned char addr[16]);

/* 1 in development mode (a missing JWT key or data key is generated, mail
 * goes to files). */
int config_is_development(const portal_config *cfg);

#endif
