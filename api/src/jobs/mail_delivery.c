/* jobs/mail_delivery.c: see mail_delivery.h. */
#include "jobs/mail_delivery.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/log.h"
#include "formats/mail_message.h"
#include "jobs/payload.h"
#include "store/outbox.h"

typedef struct {
    const char *data;
    size_t len;
    size_t pos;
} mail_reader;

static size_t mail_read(char *out, size_t size, size_t nitems, void *user)
{
    mail_reader *r = user;
    size_t room = size * nitems;
    size_t left = r->len - r->pos;
    size_t n = left < room ? left : room;
    memcpy(out, r->data + r->pos, n);
    r->pos += n;
    return n;
}

static portal_result mkdir_p(const char *dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0700) != 0 && errno != EEXIST)
                return PORTAL_ERR_IO;
            *p = '/';
        }
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return PORTAL_ERR_IO;
    return PORTAL_OK;
}

static portal_result mail_to_file(const portal_config *cfg, const char *message, long long mail_id)
{
    if (mkdir_p(cfg->mail_dir) != PORTAL_OK) {
        log_error("event=mail_dir_failed dir=%s", cfg->mail_dir);
        return PORTAL_ERR_IO;
    }
    char stamp[32], tmp[1200], final[1200];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(tmp, sizeof tmp, "%s/.%s-%06lld.eml.tmp", cfg->mail_dir, stamp, mail_id);
    snprintf(final, sizeof final, "%s/%s-%06lld.eml", cfg->mail_dir, stamp, mail_id);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return PORTAL_ERR_IO;
    size_t len = strlen(message);
    int ok = fwrite(message, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, final) != 0) {
        unlink(tmp);
        return PORTAL_ERR_IO;
    }
    return PORTAL_OK;
}

long mail_delivery_use_ssl(config_smtp_tls tls)
{
    switch (tls) {
    case CONFIG_SMTP_TLS_OFF:
        return (long)CURLUSESSL_NONE;
    case CONFIG_SMTP_TLS_OPPORTUNISTIC:
        return (long)CURLUSESSL_TRY;
    case CONFIG_SMTP_TLS_REQUIRED:
    default:
        return (long)CURLUSESSL_ALL;
    }
}

static portal_result mail_over_smtp(const portal_config *cfg, const char *to_address,
                                    const char *message)
{
    char from[320];
    if (mail_address_only(cfg->mail_from, from, sizeof from) != PORTAL_OK)
        return PORTAL_ERR_INVALID;
    CURL *curl = curl_easy_init();
    if (!curl)
        return PORTAL_ERR_MEMORY;
    struct curl_slist *rcpt = curl_slist_append(NULL, to_address);
    mail_reader reader = {message, strlen(message), 0};
    curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)mail_delivery_use_ssl(cfg->smtp_tls));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(curl);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (cc != CURLE_OK) {
        log_warning("event=smtp_failed error=\"%s\"", curl_easy_strerror(cc));
        return PORTAL_ERR_IO;
    }
    return PORTAL_OK;
}

portal_result mail_delivery_send(const portal_config *cfg, const char *to_address,
                                 const char *message, long long mail_id)
{
    if (cfg->smtp_url[0])
        return mail_over_smtp(cfg, to_address, message);
    return mail_to_file(cfg, message, mail_id);
}

portal_result mail_delivery_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    long long id = job_payload_number(payload, "mail_id");
    if (id <= 0)
        return PORTAL_ERR_INVALID;
    outbox_message m;
    int found = 0;
    portal_result rc = outbox_mail_pending(db, id, &m, &found);
    if (rc != PORTAL_OK || !found)
        return rc; /* not found: already delivered by an earlier attempt */
    char *message = NULL;
    char to[320];
    rc = mail_address_only(m.to, to, sizeof to);
    if (rc == PORTAL_OK) {
        const char *at = strrchr(cfg->mail_from, '@');
        char domain[128];
        snprintf(domain, sizeof domain, "%s", at ? at + 1 : "portal.local");
        char *gt = strchr(domain, '>');
        if (gt)
            *gt = '\0';
        rc = mail_message_build(cfg->mail_from, m.to, m.subject, m.body, time(NULL), domain,
                                &message);
    }
    outbox_message_free(&m);
    if (rc == PORTAL_OK)
        rc = mail_delivery_send(cfg, to, message, id);
    free(message);
    if (rc == PORTAL_OK)
        rc = outbox_mail_sent(db, id);
    if (rc == PORTAL_OK)
        log_info("event=mail_sent mail_id=%lld", id);
    return rc;
}
