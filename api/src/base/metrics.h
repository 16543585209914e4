/*
 * base/metrics.h: in-process counters for GET /metrics (Prometheus text
 * exposition format 0.0.4).
 *
 * Every counter is a C11 atomic, so recording costs a few relaxed atomic
 * adds and never takes a lock. Histograms share one fixed set of bucket
 * bounds (seconds). What is counted here:
 *   - HTTP requests per route of the route table (the template, never the
 *     raw path) and status class, with a latency histogram per route;
 *     requests no route answered (static files, 404, 405, 413) share the
 *     route label "other";
 *   - background job durations per job kind, and their outcome.
 * Registration (routes at start-up, job kinds when the workers start) is
 * done before any recording thread runs; a scrape running at the same time
 * sees only what is fully registered.
 *
 * The writers append exposition text to a capped buf and fail with its
 * PORTAL_ERR_TOO_LARGE or PORTAL_ERR_MEMORY.
 */
#ifndef PORTAL_BASE_METRICS_H
#define PORTAL_BASE_METRICS_H

#include <stdatomic.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/result.h"

/* Finite bucket bounds, in seconds; one more bucket counts the rest. */
#define METRICS_BUCKETS 13
extern const double metrics_bucket_bounds[METRICS_BUCKETS];

#define METRICS_MAX_ROUTES 512 /* routes beyond this count as "other" */
#define METRICS_MAX_JOB_KINDS 16
#define METRICS_NAME_LEN 48

typedef struct {
    atomic_ullong bucket[METRICS_BUCKETS + 1]; /* not cumulative; last: above every bound */
    atomic_ullong sum_us;                      /* sum of observations, microseconds */
} metrics_histogram;

/* Adds one observation (negative values count as 0). Thread-safe. */
void metrics_histogram_observe(metrics_histogram *h, double seconds);

/* Appends the _bucket (cumulative, with le="+Inf"), _sum and _count lines
 * of h. labels is "" or preformatted `name="value",...` (escaped by the
 * caller, see metrics_label). _count is the sum of the buckets read, so the
 * lines agree with each other even while other threads record. */
portal_result metrics_write_histogram(buf *out, const char *name, const char *labels,
                                      const metrics_histogram *h);

/* Appends the # HELP and # TYPE lines of a metric family. */
portal_result metrics_write_header(buf *out, const char *name, const char *type, const char *help);

/* Writes `key="value"` into out (out_size bytes, NUL-terminated), escaping
 * backslash, double quote and newline as the format requires. Returns 0,
 * or -1 when it does not fit (out then holds ""). */
int metrics_label(char *out, size_t out_size, const char *key, const char *value);

/* Names route `index` of the route table (method and template are
 * borrowed: they must outlive the process's use of the metrics). Indexes at
 * or above METRICS_MAX_ROUTES are ignored. Call before serving. */
void metrics_http_route(size_t index, const char *method, const char *path);

/* Records one finished request: index of its route, or METRICS_NO_ROUTE
 * when no route answered; its HTTP status and its duration. Thread-safe. */
#define METRICS_NO_ROUTE ((size_t)-1)
void metrics_http_observe(size_t index, long status, double seconds);

/* Appends portal_http_requests_total and
 * portal_http_request_duration_seconds for every route seen so far. */
portal_result metrics_http_write(buf *out);

/* Registers a job kind (copied, at most METRICS_NAME_LEN - 1 bytes) and
 * returns its index; the same index for a kind registered before; -1 when
 * the table is full. Called from one thread before the workers start. */
int metrics_job_kind(const char *kind);

/* Records one job run of kind `index` (ignored when out of range): ok is 1
 * for success. Thread-safe. */
void metrics_job_observe(int index, int ok, double seconds);

/* Appends portal_jobs_finished_total and portal_job_duration_seconds. */
portal_result metrics_jobs_write(buf *out);

/* Forgets every registration and count (for tests). Not thread-safe. */
void metrics_reset(void);

#endif
