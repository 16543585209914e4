/* base/metrics.c: see metrics.h. */
#include "base/metrics.h"

#include <stdio.h>
#include <string.h>

const double metrics_bucket_bounds[METRICS_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                       1,     2.5,  5,     10,   30,  60};

#define METRICS_STATUS_CLASSES 5 /* 1xx .. 5xx */
#define METRICS_OTHER_ROUTE METRICS_MAX_ROUTES

typedef struct {
    const char *method;
    const char *path;
    atomic_ullong status[METRICS_STATUS_CLASSES];
    metrics_histogram duration;
} metrics_route;

typedef struct {
    char name[METRICS_NAME_LEN];
    atomic_ullong ok;
    atomic_ullong failed;
    metrics_histogram duration;
} metrics_job;

static struct {
    metrics_route routes[METRICS_MAX_ROUTES + 1]; /* the last one: "other" */
    atomic_size_t n_routes;                       /* highest named index + 1 */
    metrics_job jobs[METRICS_MAX_JOB_KINDS];
    atomic_int n_jobs;
} metrics;

void metrics_histogram_observe(metrics_histogram *h, double seconds)
{
    if (!(seconds > 0))
        seconds = 0;
    size_t i = 0;
    while (i < METRICS_BUCKETS && seconds > metrics_bucket_bounds[i])
        i++;
    atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
    double us = seconds * 1e6;
    unsigned long long add = us > 1e15 ? 1000000000000000ULL : (unsigned long long)(us + 0.5);
    atomic_fetch_add_explicit(&h->sum_us, add, memory_order_relaxed);
}

/* Appends "name{labels}" or "name{labels,extra}" and the value. */
static portal_result metrics_sample(buf *out, const char *name, const char *suffix,
                                    const char *labels, const char *extra, const char *value)
{
    int has_labels = labels && labels[0];
    int has_extra = extra && extra[0];
    if (!has_labels && !has_extra)
        return buf_printf(out, "%s%s %s\n", name, suffix, value);
    return buf_printf(out, "%s%s{%s%s%s} %s\n", name, suffix, has_labels ? labels : "",
                      has_labels && has_extra ? "," : "", has_extra ? extra : "", value);
}

portal_result metrics_write_histogram(buf *out, const char *name, const char *labels,
                                      const metrics_histogram *h)
{
    unsigned long long cumulative = 0;
    char le[32], value[32];
    for (size_t i = 0; i <= METRICS_BUCKETS; i++) {
        cumulative += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
        if (i < METRICS_BUCKETS)
            snprintf(le, sizeof le, "le=\"%g\"", metrics_bucket_bounds[i]);
        else
            snprintf(le, sizeof le, "le=\"+Inf\"");
        snprintf(value, sizeof value, "%llu", cumulative);
        portal_result rc = metrics_sample(out, name, "_bucket", labels, le, value);
        if (rc != PORTAL_OK)
            return rc;
    }
    unsigned long long sum_us = atomic_load_explicit(&h->sum_us, memory_order_relaxed);
    snprintf(value, sizeof value, "%llu.%06llu", sum_us / 1000000ULL, sum_us % 1000000ULL);
    portal_result rc = metrics_sample(out, name, "_sum", labels, NULL, value);
    if (rc != PORTAL_OK)
        return rc;
    snprintf(value, sizeof value, "%llu", cumulative);
    return metrics_sample(out, name, "_count", labels, NULL, value);
}

portal_result metrics_write_header(buf *out, const char *name, const char *type, const char *help)
{
    return buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int metrics_label(char *out, size_t out_size, const char *key, const char *value)
{
    size_t o = 0;
    int n = snprintf(out, out_size, "%s=\"", key);
    if (n < 0 || (size_t)n >= out_size)
        goto too_long;
    o = (size_t)n;
    for (const char *p = value ? value : ""; *p; p++) {
        const char *esc = NULL;
        if (*p == '\\')
            esc = "\\\\";
        else if (*p == '"')
            esc = "\\\"";
        else if (*p == '\n')
            esc = "\\n";
        size_t need = esc ? 2 : 1;
        if (o + need + 2 > out_size)
            goto too_long;
        if (esc) {
            memcpy(out + o, esc, 2);
        } else {
            out[o] = *p;
        }
        o += need;
    }
    out[o++] = '"';
    out[o] = '\0';
    return 0;
too_long:
    if (out_size)
        out[0] = '\0';
    return -1;
}

void metrics_http_route(size_t index, const char *method, const char *path)
{
    if (index >= METRICS_MAX_ROUTES)
        return;
    metrics.routes[index].method = method;
    metrics.routes[index].path = path;
    if (atomic_load(&metrics.n_routes) < index + 1)
        atomic_store(&metrics.n_routes, index + 1);
}

void metrics_http_observe(size_t index, long status, double seconds)
{
    if (index >= atomic_load_explicit(&metrics.n_routes, memory_order_relaxed))
        index = METRICS_OTHER_ROUTE;
    metrics_route *r = &metrics.routes[index];
    long cls = status / 100 - 1;
    if (cls < 0 || cls >= METRICS_STATUS_CLASSES)
        cls = METRICS_STATUS_CLASSES - 1; /* not a valid status: a server fault */
    atomic_fetch_add_explicit(&r->status[cls], 1, memory_order_relaxed);
    metrics_histogram_observe(&r->duration, seconds);
}

/* The method and route labels of route i into out; -1 when they do not fit. */
static int metrics_route_labels(size_t i, char *out, size_t size)
{
    const metrics_route *r = &metrics.routes[i];
    char method[40], route[400];
    if (metrics_label(method, sizeof method, "method",
                      i == METRICS_OTHER_ROUTE ? "" : (r->method ? r->method : "")) < 0 ||
        metrics_label(route, sizeof route, "route",
                      i == METRICS_OTHER_ROUTE ? "other" : (r->path ? r->path : "")) < 0)
        return -1;
    int n = snprintf(out, size, "%s,%s", method, route);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static unsigned long long metrics_route_total(size_t i)
{
    unsigned long long total = 0;
    for (size_t c = 0; c < METRICS_STATUS_CLASSES; c++)
        total += atomic_load_explicit(&metrics.routes[i].status[c], memory_order_relaxed);
    return total;
}

portal_result metrics_http_write(buf *out)
{
    size_t n = atomic_load(&metrics.n_routes);
    char labels[480];
    portal_result rc =
        metrics_write_header(out, "portal_http_requests_total", "counter",
                             "HTTP requests answered, by route template and status class.");
    for (size_t k = 0; k <= n && rc == PORTAL_OK; k++) {
        size_t i = k == n ? METRICS_OTHER_ROUTE : k;
        if (metrics_route_total(i) == 0 || metrics_route_labels(i, labels, sizeof labels) < 0)
            continue;
        for (size_t c = 0; c < METRICS_STATUS_CLASSES && rc == PORTAL_OK; c++) {
            unsigned long long v =
                atomic_load_explicit(&metrics.routes[i].status[c], memory_order_relaxed);
            if (v == 0)
                continue;
            char status[24], value[32];
            snprintf(status, sizeof status, "status=\"%zuxx\"", c + 1);
            snprintf(value, sizeof value, "%llu", v);
            rc = metrics_sample(out, "portal_http_requests_total", "", labels, status, value);
        }
    }
    if (rc == PORTAL_OK)
        rc = metrics_write_header(out, "portal_http_request_duration_seconds", "histogram",
                                  "Time from the start of a request to its answer.");
    for (size_t k = 0; k <= n && rc == PORTAL_OK; k++) {
        size_t i = k == n ? METRICS_OTHER_ROUTE : k;
        if (metrics_route_total(i) == 0 || metrics_route_labels(i, labels, sizeof labels) < 0)
            continue;
        rc = metrics_write_histogram(out, "portal_http_request_duration_seconds", labels,
                                     &metrics.routes[i].duration);
    }
    return rc;
}

int metrics_job_kind(const char *kind)
{
    int n = atomic_load(&metrics.n_jobs);
    for (int i = 0; i < n; i++)
        if (strcmp(metrics.jobs[i].name, kind) == 0)
            return i;
    if (n >= METRICS_MAX_JOB_KINDS)
        return -1;
    snprintf(metrics.jobs[n].name, sizeof metrics.jobs[n].name, "%s", kind);
    atomic_store(&metrics.n_jobs, n + 1);
    return n;
}

void metrics_job_observe(int index, int ok, double seconds)
{
    if (index < 0 || index >= atomic_load_explicit(&metrics.n_jobs, memory_order_relaxed))
        return;
    metrics_job *j = &metrics.jobs[index];
    atomic_fetch_add_explicit(ok ? &j->ok : &j->failed, 1, memory_order_relaxed);
    metrics_histogram_observe(&j->duration, seconds);
}

portal_result metrics_jobs_write(buf *out)
{
    int n = atomic_load(&metrics.n_jobs);
    char kind[METRICS_NAME_LEN * 2 + 16], value[32];
    portal_result rc = metrics_write_header(out, "portal_jobs_finished_total", "counter",
                                            "Background job runs finished, by kind and outcome.");
    for (int i = 0; i < n && rc == PORTAL_OK; i++) {
        if (metrics_label(kind, sizeof kind, "kind", metrics.jobs[i].name) < 0)
            continue;
        snprintf(value, sizeof value, "%llu", atomic_load(&metrics.jobs[i].ok));
        rc = metrics_sample(out, "portal_jobs_finished_total", "", kind, "outcome=\"done\"", value);
        snprintf(value, sizeof value, "%llu", atomic_load(&metrics.jobs[i].failed));
        if (rc == PORTAL_OK)
            rc = metrics_sample(out, "portal_jobs_finished_total", "", kind, "outcome=\"failed\"",
                                value);
    }
    if (rc == PORTAL_OK)
        rc = metrics_write_header(out, "portal_job_duration_seconds", "histogram",
                                  "Time a background job run took, by kind.");
    for (int i = 0; i < n && rc == PORTAL_OK; i++) {
        if (metrics_label(kind, sizeof kind, "kind", metrics.jobs[i].name) < 0)
            continue;
        rc = metrics_write_histogram(out, "portal_job_duration_seconds", kind,
                                     &metrics.jobs[i].duration);
    }
    return rc;
}

void metrics_reset(void)
{
    memset(&metrics, 0, sizeof metrics);
}
