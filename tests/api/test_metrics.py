"""GET /metrics: the Prometheus text exposition of request counts by route
template and status class with latency histograms, the database pool, job
durations, and the job queue and mail backlog read from PostgreSQL."""
import re
import time
import uuid

import requests

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? '
                    r'(-?[0-9.]+(?:e[+-]?[0-9]+)?|\+Inf|NaN)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(server):
    r = requests.get(server.url + "/metrics", timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert r.headers["Cache-Control"] == "no-store"
    return r.text


def parse(text):
    """{(name, frozenset(labels)): value}, checking every line's syntax and
    that each family's HELP and TYPE come before its samples."""
    samples, types = {}, {}
    assert text.endswith("\n")
    for line in text.splitlines():
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in ("counter", "gauge", "histogram"), line
            assert name not in types, f"family {name} declared twice"
            types[name] = kind
            continue
        m = SAMPLE.match(line)
        assert m, f"not an exposition line: {line!r}"
        name = m.group(1)
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no # TYPE before it"
        labels = frozenset(LABEL.findall(m.group(2) or ""))
        key = (name, labels)
        assert key not in samples, f"duplicate sample {line!r}"
        samples[key] = float(m.group(3))
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_by_route_template(server):
    before, _ = parse(scrape(server))
    users = {"method": "GET", "route": "/api/v1/users/:id"}
    for _ in range(3):
        assert requests.get(server.url + "/healthz", timeout=30).status_code == 200
    for _ in range(2):
        r = requests.get(server.url + f"/api/v1/users/{uuid.uuid4()}", timeout=30)
        assert r.status_code == 401
    assert requests.get(server.url + "/api/v1/nothing-here", timeout=30).status_code == 404
    text = scrape(server)
    after, types = parse(text)

    healthz = {"method": "GET", "route": "/healthz"}
    assert value(after, "portal_http_requests_total", status="2xx", **healthz) - \
        value(before, "portal_http_requests_total", status="2xx", **healthz) == 3
    assert value(after, "portal_http_requests_total", status="4xx", **users) - \
        value(before, "portal_http_requests_total", status="4xx", **users) == 2
    assert value(after, "portal_http_requests_total", status="4xx", method="", route="other") - \
        value(before, "portal_http_requests_total", status="4xx", method="", route="other") >= 1
    # the template is the label, never the concrete path
    assert not re.search(r'route="/api/v1/users/[0-9a-f]{8}-', text)
    assert 'route="/api/v1/nothing-here"' not in text

    assert types["portal_http_requests_total"] == "counter"
    assert types["portal_http_request_duration_seconds"] == "histogram"
    count = value(after, "portal_http_request_duration_seconds_count", **users)
    assert count - value(before, "portal_http_request_duration_seconds_count", **users) == 2
    # buckets are cumulative and end in +Inf == _count
    buckets = sorted(((float(dict(k[1])["le"]) if dict(k[1])["le"] != "+Inf" else float("inf")), v)
                     for k, v in after.items()
                     if k[0] == "portal_http_request_duration_seconds_bucket"
                     and dict(k[1]).get("route") == users["route"]
                     and dict(k[1]).get("method") == users["method"])
    assert len(buckets) >= 2 and buckets[-1] == (float("inf"), count)
    assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:]))
    assert value(after, "portal_http_request_duration_seconds_sum", **users) >= 0


def test_pool_and_queue_figures(server, cluster):
    samples, types = parse(scrape(server))
    assert types["portal_db_pool_in_use"] == "gauge"
    assert value(samples, "portal_db_pool_connections") == 8 + 2  # PORTAL_HTTP_THREADS + 2
    assert 0 <= value(samples, "portal_db_pool_in_use") <= 10
    assert types["portal_db_pool_waiting"] == "gauge" and value(samples, "portal_db_pool_waiting") == 0
    for name in ("portal_db_pool_waits_total", "portal_db_pool_wait_seconds_total",
                 "portal_db_pool_timeouts_total"):
        assert types[name] == "counter" and (name, frozenset()) in samples
    assert value(samples, "portal_queue_up") == 1

    # A mail nobody delivers (no job) and a job not yet due, queued five minutes ago.
    kind = "metrics_probe"
    address = f"metrics-{uuid.uuid4().hex[:8]}@example.test"
    cluster.psql("INSERT INTO mail_outbox (to_address, subject, body_text, created_at)"
                 f" VALUES ('{address}', 'probe', 'probe', now() - interval '10 minutes')")
    cluster.psql(f"INSERT INTO jobs (kind, run_at, created_at) VALUES ('{kind}',"
                 " now() + interval '1 hour', now() - interval '5 minutes')")
    try:
        after, _ = parse(scrape(server))
        assert value(after, "portal_job_queue_depth", kind=kind, state="pending") == 1
        assert value(after, "portal_job_queue_depth", kind=kind, state="running") == 0
        assert value(after, "portal_job_queue_oldest_age_seconds", kind=kind) >= 300
        assert value(after, "portal_mail_outbox_pending") >= 1
        assert value(after, "portal_mail_outbox_oldest_age_seconds") >= 600
        assert ("portal_sms_outbox_pending", frozenset()) in after
    finally:
        cluster.psql(f"DELETE FROM jobs WHERE kind = '{kind}'")
        cluster.psql(f"DELETE FROM mail_outbox WHERE to_address = '{address}'")
    gone, _ = parse(scrape(server))
    assert value(gone, "portal_job_queue_depth", kind=kind, state="pending") == 0


def test_job_durations_are_recorded_by_the_worker(server, cluster, mail):
    before, _ = parse(scrape(server))
    address = f"metrics-{uuid.uuid4().hex[:8]}@example.test"
    cluster.psql(f"SELECT portal_enqueue_mail('{address}', 'Metrics', 'A mail for the metrics.')")
    mail.wait_for(lambda m: address in m["to"])
    done = lambda s: value(s, "portal_jobs_finished_total", kind="mail", outcome="done")
    deadline = time.time() + 15
    while True:
        after, types = parse(scrape(server))
        if done(after) > done(before):
            break
        assert time.time() < deadline, "the mail job was not counted"
        time.sleep(0.1)
    assert types["portal_job_duration_seconds"] == "histogram"
    assert value(after, "portal_job_duration_seconds_count", kind="mail") > \
        value(before, "portal_job_duration_seconds_count", kind="mail")
    assert value(after, "portal_job_duration_seconds_bucket", kind="mail", le="+Inf") == \
        value(after, "portal_job_duration_seconds_count", kind="mail")


def test_the_housekeeping_pass_is_counted(server):
    """The worker runs the housekeeping pass at start (and every ten
    minutes): it shows as job kind "maintenance", so its load can be told
    apart from the requests' (the scale benchmark reruns a measurement a
    pass fell into)."""
    deadline = time.time() + 15
    while True:
        samples, _ = parse(scrape(server))
        if value(samples, "portal_jobs_finished_total", kind="maintenance", outcome="done") >= 1:
            break
        assert time.time() < deadline, "the housekeeping pass at start was not counted"
        time.sleep(0.1)
    assert value(samples, "portal_jobs_finished_total", kind="maintenance", outcome="failed") == 0
    assert value(samples, "portal_job_duration_seconds_count", kind="maintenance") >= 1


def test_request_log_keeps_the_request_id(server):
    r = requests.get(server.url + "/metrics", timeout=30, headers={"X-Request-Id": "metrics-probe-1"})
    rid = r.headers["X-Request-Id"]
    line = server.request_line_of(rid, timeout=10)
    assert line and "path=/metrics" in line, "no request line for the scrape"


def test_metrics_refuse_other_methods(server):
    r = requests.post(server.url + "/metrics", timeout=30)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"
