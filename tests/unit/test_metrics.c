/* Unit tests for base/metrics: histogram buckets and the Prometheus text
 * lines (cumulative buckets, +Inf, _sum, _count, label escaping), per-route
 * and per-kind counters, and counting from several threads at once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/metrics.h"

static void assert_has(const char *text, const char *line)
{
    if (!strstr(text, line))
        fail_msg("missing line \"%s\" in:\n%s", line, text);
}

static void test_histogram_buckets_are_cumulative(void **state)
{
    (void)state;
    metrics_histogram h;
    memset(&h, 0, sizeof h);
    metrics_histogram_observe(&h, 0.001); /* le 0.005 */
    metrics_histogram_observe(&h, 0.005); /* le 0.005: bounds are inclusive */
    metrics_histogram_observe(&h, 0.2);   /* le 0.25 */
    metrics_histogram_observe(&h, 100.0); /* above every bound */
    metrics_histogram_observe(&h, -1.0);  /* counted as 0 */
    buf out;
    buf_init(&out, 1u << 16);
    assert_int_equal(metrics_write_histogram(&out, "x_seconds", "route=\"/a\"", &h), PORTAL_OK);
    assert_has(out.data, "x_seconds_bucket{route=\"/a\",le=\"0.005\"} 3\n");
    assert_has(out.data, "x_seconds_bucket{route=\"/a\",le=\"0.1\"} 3\n");
    assert_has(out.data, "x_seconds_bucket{route=\"/a\",le=\"0.25\"} 4\n");
    assert_has(out.data, "x_seconds_bucket{route=\"/a\",le=\"60\"} 4\n");
    assert_has(out.data, "x_seconds_bucket{route=\"/a\",le=\"+Inf\"} 5\n");
    assert_has(out.data, "x_seconds_sum{route=\"/a\"} 100.206000\n");
    assert_has(out.data, "x_seconds_count{route=\"/a\"} 5\n");
    /* one line per bucket, in order, then _sum and _count */
    size_t lines = 0;
    for (const char *p = out.data; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, METRICS_BUCKETS + 1 + 2);
    assert_true(strstr(out.data, "le=\"0.005\"") < strstr(out.data, "le=\"+Inf\""));
    buf_free(&out);

    /* without labels */
    buf_init(&out, 1u << 16);
    assert_int_equal(metrics_write_histogram(&out, "y", "", &h), PORTAL_OK);
    assert_has(out.data, "y_bucket{le=\"+Inf\"} 5\n");
    assert_has(out.data, "y_count 5\n");
    buf_free(&out);

    /* a cap that is too small fails cleanly */
    buf_init(&out, 40);
    assert_int_equal(metrics_write_histogram(&out, "y", "", &h), PORTAL_ERR_TOO_LARGE);
    buf_free(&out);
}

static void test_label_escaping(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(metrics_label(out, sizeof out, "kind", "a\"b\\c\nd"), 0);
    assert_string_equal(out, "kind=\"a\\\"b\\\\c\\nd\"");
    assert_int_equal(metrics_label(out, sizeof out, "kind", ""), 0);
    assert_string_equal(out, "kind=\"\"");
    char small[8];
    assert_int_equal(metrics_label(small, sizeof small, "kind", "export"), -1);
    assert_string_equal(small, "");
    /* exactly fits: k="ab" plus NUL */
    char exact[7];
    assert_int_equal(metrics_label(exact, sizeof exact, "k", "ab"), 0);
    assert_string_equal(exact, "k=\"ab\"");
}

static void test_http_counts_by_route_template_and_class(void **state)
{
    (void)state;
    metrics_reset();
    metrics_http_route(0, "GET", "/healthz");
    metrics_http_route(1, "GET", "/api/v1/users/:id");
    metrics_http_observe(1, 200, 0.003);
    metrics_http_observe(1, 204, 0.003);
    metrics_http_observe(1, 404, 0.02);
    metrics_http_observe(METRICS_NO_ROUTE, 404, 0.001);
    metrics_http_observe(7, 500, 0.001); /* not a known route: "other" */
    buf out;
    buf_init(&out, 1u << 20);
    assert_int_equal(metrics_http_write(&out), PORTAL_OK);
    assert_has(out.data, "# TYPE portal_http_requests_total counter\n");
    assert_has(out.data, "# TYPE portal_http_request_duration_seconds histogram\n");
    assert_has(out.data, "portal_http_requests_total{method=\"GET\",route=\"/api/v1/users/:id\","
                         "status=\"2xx\"} 2\n");
    assert_has(out.data, "portal_http_requests_total{method=\"GET\",route=\"/api/v1/users/:id\","
                         "status=\"4xx\"} 1\n");
    assert_has(out.data,
               "portal_http_requests_total{method=\"\",route=\"other\",status=\"4xx\"} 1\n");
    assert_has(out.data,
               "portal_http_requests_total{method=\"\",route=\"other\",status=\"5xx\"} 1\n");
    assert_has(out.data, "portal_http_request_duration_seconds_count{method=\"GET\","
                         "route=\"/api/v1/users/:id\"} 3\n");
    /* a route nobody called is not listed */
    assert_null(strstr(out.data, "/healthz"));
    buf_free(&out);
}

static void test_jobs_by_kind(void **state)
{
    (void)state;
    metrics_reset();
    int mail = metrics_job_kind("mail");
    int export = metrics_job_kind("export");
    assert_int_equal(metrics_job_kind("mail"), mail);
    assert_int_not_equal(mail, export);
    metrics_job_observe(export, 1, 12.0);
    metrics_job_observe(export, 0, 0.5);
    metrics_job_observe(-1, 1, 1.0); /* ignored */
    metrics_job_observe(99, 1, 1.0);
    buf out;
    buf_init(&out, 1u << 20);
    assert_int_equal(metrics_jobs_write(&out), PORTAL_OK);
    assert_has(out.data, "portal_jobs_finished_total{kind=\"export\",outcome=\"done\"} 1\n");
    assert_has(out.data, "portal_jobs_finished_total{kind=\"export\",outcome=\"failed\"} 1\n");
    assert_has(out.data, "portal_jobs_finished_total{kind=\"mail\",outcome=\"done\"} 0\n");
    assert_has(out.data, "portal_job_duration_seconds_bucket{kind=\"export\",le=\"10\"} 1\n");
    assert_has(out.data, "portal_job_duration_seconds_bucket{kind=\"export\",le=\"30\"} 2\n");
    assert_has(out.data, "portal_job_duration_seconds_sum{kind=\"export\"} 12.500000\n");
    buf_free(&out);
    for (int i = 0; i < METRICS_MAX_JOB_KINDS + 2; i++) {
        char name[16];
        snprintf(name, sizeof name, "k%d", i);
        int idx = metrics_job_kind(name);
        assert_true(idx < METRICS_MAX_JOB_KINDS);
    }
    metrics_reset();
}

#define THREADS 4
#define PER_THREAD 20000

static void *count_requests(void *arg)
{
    (void)arg;
    for (int i = 0; i < PER_THREAD; i++)
        metrics_http_observe(0, 200, 0.01);
    return NULL;
}

static void test_counting_is_thread_safe(void **state)
{
    (void)state;
    metrics_reset();
    metrics_http_route(0, "GET", "/healthz");
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, count_requests, NULL), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    buf out;
    buf_init(&out, 1u << 20);
    assert_int_equal(metrics_http_write(&out), PORTAL_OK);
    char line[160];
    snprintf(line, sizeof line,
             "portal_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"2xx\"} %d\n",
             THREADS * PER_THREAD);
    assert_has(out.data, line);
    snprintf(line, sizeof line,
             "portal_http_request_duration_seconds_sum{method=\"GET\",route=\"/healthz\"} "
             "%d.000000\n",
             THREADS * PER_THREAD / 100);
    assert_has(out.data, line);
    buf_free(&out);
    metrics_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_histogram_buckets_are_cumulative),
        cmocka_unit_test(test_label_escaping),
        cmocka_unit_test(test_http_counts_by_route_template_and_class),
        cmocka_unit_test(test_jobs_by_kind),
        cmocka_unit_test(test_counting_is_thread_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
