/* resources/metrics.c: see metrics.h. */
#include "resources/metrics.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/metrics.h"
#include "http/problem.h"
#include "http/response.h"
#include "http/upload.h"
#include "store/queue_stats.h"

#define METRICS_BODY_MAX (4u * 1024u * 1024u)
#define METRICS_DB_WAIT_MS 250 /* a scrape must not hang on an exhausted pool */

/* Appends one unlabelled sample with a header. */
static portal_result metrics_scalar(buf *out, const char *name, const char *type, const char *help,
                                    const char *value)
{
    portal_result rc = metrics_write_header(out, name, type, help);
    return rc == PORTAL_OK ? buf_printf(out, "%s %s\n", name, value) : rc;
}

/* The pool's counters (store/db.h). */
static portal_result metrics_pool_write(buf *out)
{
    db_pool_stats s;
    db_pool_stats_read(&s);
    char v[48];
    snprintf(v, sizeof v, "%d", s.size);
    portal_result rc = metrics_scalar(out, "portal_db_pool_connections", "gauge",
                                      "Connections the database pool may hold.", v);
    snprintf(v, sizeof v, "%d", s.in_use);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_db_pool_in_use", "gauge",
                            "Pool connections borrowed right now.", v);
    snprintf(v, sizeof v, "%d", s.waiting);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_db_pool_waiting", "gauge",
                            "Borrowers queued for a connection right now.", v);
    snprintf(v, sizeof v, "%llu", s.waits);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_db_pool_waits_total", "counter",
                            "Borrowers that found no free connection and waited.", v);
    snprintf(v, sizeof v, "%.6f", s.wait_seconds);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_db_pool_wait_seconds_total", "counter",
                            "Time borrowers spent waiting for a connection.", v);
    snprintf(v, sizeof v, "%llu", s.timeouts);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_db_pool_timeouts_total", "counter",
                            "Borrowers that gave up waiting (answered 503).", v);
    return rc;
}

/* Reads on the hot standby and the ones that went to the primary instead
 * (store/db.h), when a standby is configured; nothing otherwise. */
static portal_result metrics_standby_write(buf *out)
{
    if (!db_standby_enabled())
        return PORTAL_OK;
    db_standby_stats s;
    db_standby_stats_read(&s);
    char v[48];
    snprintf(v, sizeof v, "%llu", s.served);
    portal_result rc = metrics_scalar(out, "portal_db_standby_reads_total", "counter",
                                      "Reads that ran on the hot standby.", v);
    if (rc == PORTAL_OK)
        rc = metrics_write_header(out, "portal_db_standby_fallbacks_total", "counter",
                                  "Standby reads that ran on the primary instead, by reason.");
    if (rc == PORTAL_OK)
        rc = buf_printf(out,
                        "portal_db_standby_fallbacks_total{reason=\"lag\"} %llu\n"
                        "portal_db_standby_fallbacks_total{reason=\"down\"} %llu\n"
                        "portal_db_standby_fallbacks_total{reason=\"busy\"} %llu\n",
                        s.fallback_lag, s.fallback_down, s.fallback_busy);
    return rc;
}

/* The job queue and outboxes as read from PostgreSQL; up is 0 when they
 * could not be read (then only portal_queue_up is written). */
static portal_result metrics_queue_write(buf *out, const queue_stats *q, int up)
{
    portal_result rc = metrics_scalar(out, "portal_queue_up", "gauge",
                                      "1 when the queue figures below were read from the database.",
                                      up ? "1" : "0");
    if (!up || rc != PORTAL_OK)
        return rc;
    char label[JOBS_KIND_LEN * 2 + 16];
    rc = metrics_write_header(out, "portal_job_queue_depth", "gauge",
                              "Unfinished background jobs, by kind and state.");
    for (size_t i = 0; i < q->n_kinds && rc == PORTAL_OK; i++) {
        if (metrics_label(label, sizeof label, "kind", q->kinds[i].kind) < 0)
            continue;
        rc = buf_printf(out,
                        "portal_job_queue_depth{%s,state=\"pending\"} %lld\n"
                        "portal_job_queue_depth{%s,state=\"running\"} %lld\n",
                        label, q->kinds[i].pending, label, q->kinds[i].running);
    }
    if (rc == PORTAL_OK)
        rc = metrics_write_header(out, "portal_job_queue_oldest_age_seconds", "gauge",
                                  "Age of the oldest unfinished background job, by kind.");
    for (size_t i = 0; i < q->n_kinds && rc == PORTAL_OK; i++) {
        if (metrics_label(label, sizeof label, "kind", q->kinds[i].kind) < 0)
            continue;
        rc = buf_printf(out, "portal_job_queue_oldest_age_seconds{%s} %.3f\n", label,
                        q->kinds[i].oldest_age_seconds);
    }
    char v[48];
    snprintf(v, sizeof v, "%lld", q->mail_pending);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_mail_outbox_pending", "gauge",
                            "Mail queued and not yet delivered.", v);
    snprintf(v, sizeof v, "%.3f", q->mail_oldest_age_seconds);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_mail_outbox_oldest_age_seconds", "gauge",
                            "Age of the oldest undelivered mail (0 when none).", v);
    snprintf(v, sizeof v, "%lld", q->sms_pending);
    if (rc == PORTAL_OK)
        rc = metrics_scalar(out, "portal_sms_outbox_pending", "gauge",
                            "SMS messages queued and not yet delivered.", v);
    return rc;
}

/* The upload spool's counters (http/upload.h). */
static portal_result metrics_upload_write(buf *out)
{
    unsigned long long spooled = 0, refused = 0;
    http_upload_counts(&spooled, &refused);
    char v[32];
    snprintf(v, sizeof v, "%llu", spooled);
    portal_result rc = metrics_scalar(out, "portal_upload_spools_total", "counter",
                                      "Upload files spooled to disk.", v);
    snprintf(v, sizeof v, "%llu", refused);
    return rc == PORTAL_OK
               ? metrics_scalar(out, "portal_uploads_refused_total", "counter",
                                "Uploads refused before spooling: not authenticated.", v)
               : rc;
}

void metrics_get(const struct _u_request *request, struct _u_response *response, http_ctx *ctx)
{
    (void)request;
    buf out;
    buf_init(&out, METRICS_BODY_MAX);
    /* In-process figures first: they do not need a connection, and the
     * pool's own figures are read before this scrape borrows one. */
    portal_result rc = metrics_http_write(&out);
    if (rc == PORTAL_OK)
        rc = metrics_pool_write(&out);
    if (rc == PORTAL_OK)
        rc = metrics_standby_write(&out);
    if (rc == PORTAL_OK)
        rc = metrics_jobs_write(&out);
    if (rc == PORTAL_OK)
        rc = metrics_upload_write(&out);
    queue_stats *q = calloc(1, sizeof *q);
    int up = 0;
    if (rc == PORTAL_OK && q) {
        if (!ctx->db)
            ctx->db = db_acquire(METRICS_DB_WAIT_MS);
        up = ctx->db && queue_stats_read(ctx->db, q) == PORTAL_OK;
        rc = metrics_queue_write(&out, q, up);
    }
    free(q);
    if (rc != PORTAL_OK || !out.data) {
        buf_free(&out);
        http_problem(response, ctx, 500, "internal_error");
        return;
    }
    http_set_header(response, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ulfius_set_binary_body_response(response, 200, out.data, out.len);
    buf_free(&out);
}
