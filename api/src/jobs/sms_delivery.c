/* jobs/sms_delivery.c: see sms_delivery.h. */
#include "jobs/sms_delivery.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/log.h"
#include "jobs/payload.h"
#include "store/outbox.h"

static size_t sms_discard(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    (void)user;
    return size * n;
}

static portal_result sms_post(const char *url, const char *to, const char *text)
{
    json_t *body = json_pack("{s:s, s:s}", "to", to, "message", text);
    char *json = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!json)
        return PORTAL_ERR_MEMORY;
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    portal_result rc = PORTAL_ERR_IO;
    if (curl && headers) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sms_discard);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        CURLcode cc = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (cc == CURLE_OK && status >= 200 && status < 300)
            rc = PORTAL_OK;
        else
            log_warning("event=sms_gateway_failed status=%ld error=\"%s\"", status,
                        curl_easy_strerror(cc));
    }
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    free(json);
    return rc;
}

static portal_result sms_to_file(const char *dir, long long id, const char *to, const char *text)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return PORTAL_ERR_IO;
    char path[1200], stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(path, sizeof path, "%s/%s-%06lld.txt", dir, stamp, id);
    FILE *f = fopen(path, "wx");
    if (!f)
        return PORTAL_ERR_IO;
    int ok = fprintf(f, "To: %s\n\n%s\n", to, text) > 0;
    ok = fclose(f) == 0 && ok;
    return ok ? PORTAL_OK : PORTAL_ERR_IO;
}

portal_result sms_delivery_run(db_conn *db, const portal_config *cfg, const char *payload)
{
    long long id = job_payload_number(payload, "sms_id");
    if (id <= 0)
        return PORTAL_ERR_INVALID;
    outbox_message m;
    int found = 0;
    portal_result rc = outbox_sms_pending(db, id, &m, &found);
    if (rc != PORTAL_OK || !found)
        return rc;
    rc = cfg->sms_url[0] ? sms_post(cfg->sms_url, m.to, m.body)
                         : sms_to_file(cfg->sms_dir, id, m.to, m.body);
    outbox_message_free(&m);
    if (rc == PORTAL_OK)
        rc = outbox_sms_sent(db, id);
    return rc;
}
