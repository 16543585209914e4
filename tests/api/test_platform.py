"""The HTTP conventions of DESIGN.md §4 and the platform pieces of the walking
skeleton: health, problems, headers, limits, migrations, jobs, mail, audit."""
import http.client
import os
import shutil
import subprocess
import tempfile
import time

import pytest
import requests
import yaml

from conftest import BINARY, ROOT, Server

PROBLEM = "application/problem+json"


def assert_problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["type"]
    return body


def test_healthz_answers_ok(api):
    r = api.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_readyz_answers_ready_with_database(api):
    r = api.get("/readyz")
    assert r.status_code == 200
    assert r.json()["database"] == "ok"


def test_openapi_document_is_served_as_stored(api):
    r = api.get("/api/v1/openapi.yaml")
    assert r.status_code == 200
    with open(os.path.join(ROOT, "openapi.yaml"), "rb") as f:
        assert r.content == f.read()


def test_unknown_api_path_is_a_404_problem(api):
    body = assert_problem(api.get("/api/v1/does-not-exist"), 404, "not_found")
    assert "bestaan niet" in body["detail"]


def test_problem_detail_follows_accept_language(api):
    r = api.get("/api/v1/does-not-exist", headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})
    assert "does not exist" in assert_problem(r, 404, "not_found")["detail"]
    r = api.get("/api/v1/does-not-exist", headers={"Accept-Language": "en;q=0.4, nl;q=0.8"})
    assert "bestaan niet" in assert_problem(r, 404, "not_found")["detail"]


def test_wrong_method_is_405_with_allow(api):
    r = api.delete("/healthz")
    assert_problem(r, 405, "method_not_allowed")
    assert r.headers["Allow"] == "GET"
    assert_problem(api.post("/api/v1/openapi.yaml", json={}), 405, "method_not_allowed")


def test_request_id_is_generated_and_echoed(api):
    r1 = api.get("/healthz")
    r2 = api.get("/healthz")
    assert r1.headers["X-Request-Id"] and r1.headers["X-Request-Id"] != r2.headers["X-Request-Id"]
    r = api.get("/healthz", headers={"X-Request-Id": "trace-abc.123"})
    assert r.headers["X-Request-Id"] == "trace-abc.123"
    # An id with characters that could break logs is replaced, not echoed.
    r = api.get("/healthz", headers={"X-Request-Id": "bad id\"x"})
    assert r.headers["X-Request-Id"] != "bad id\"x"
    assert api.get("/api/v1/nope").headers["X-Request-Id"]


def test_security_headers_on_api_responses(api):
    for path in ("/healthz", "/api/v1/nope"):
        r = api.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Cache-Control"] == "no-store"


def test_body_over_one_mebibyte_is_413_from_content_length(api):
    big = b"{" + b" " * (1024 * 1024) + b"}"
    r = api.post("/api/v1/openapi.yaml", data=big, headers={"Content-Type": "application/json"})
    assert_problem(r, 413, "payload_too_large")


def test_chunked_body_over_the_cap_is_413(api):
    def chunks():
        for _ in range(65):
            yield b"x" * 16384  # 1,064,960 bytes, no Content-Length
    r = api.post("/api/v1/openapi.yaml", data=chunks(), headers={"Content-Type": "application/json"})
    assert_problem(r, 413, "payload_too_large")


def test_body_of_exactly_one_mebibyte_is_not_413(api):
    body = b"{" + b" " * (1024 * 1024 - 2) + b"}"
    r = api.post("/api/v1/openapi.yaml", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 405  # read whole, then refused for its method, not its size


def test_spa_is_served_with_fallback_to_index(api):
    r = api.get("/participants/123")
    assert r.status_code == 200
    assert "Werkgeversportaal" in r.text
    assert r.headers["Content-Type"].startswith("text/html")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    r = api.get("/assets/app-1234.js")
    assert r.headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in r.headers["Cache-Control"]
    assert api.get("/").status_code == 200
    # Traversal attempts get the SPA, never a file outside the folder.
    r = api.get("/../../etc/passwd")
    assert "root:" not in r.text


def test_api_paths_never_fall_back_to_the_spa(api):
    assert_problem(api.get("/api/v2/anything"), 404, "not_found")
    assert_problem(api.get("/.well-known/nothing"), 404, "not_found")


def raw_get(port, source, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=10)
    conn.request("GET", "/healthz", headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp


def test_forwarded_for_is_trusted_only_from_a_trusted_proxy(server):
    raw_get(server.port, "127.0.0.1", {"X-Forwarded-For": "203.0.113.9", "X-Request-Id": "xff-untrusted"})
    assert "client=127.0.0.1" in (server.request_line_of("xff-untrusted") or "")
    raw_get(server.port, "127.0.0.2", {"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Request-Id": "xff-trusted"})
    assert "client=203.0.113.9" in (server.request_line_of("xff-trusted") or "")


def test_request_log_has_method_path_status_duration_and_no_query(server, api):
    api.get("/api/v1/nope?token=secret-value", headers={"X-Request-Id": "log-check"})
    line = server.request_line_of("log-check") or ""
    for part in ("event=request", "method=GET", "path=/api/v1/nope", "status=404", "duration_ms="):
        assert part in line
    assert "secret-value" not in server.read_log()


def test_readyz_follows_the_database_without_restart(cluster, api):
    assert api.get("/readyz").status_code == 200
    cluster.stop()
    try:
        r = api.get("/readyz")
        assert_problem(r, 503, "service_unavailable")
        assert r.headers["Retry-After"]
        assert api.get("/healthz").status_code == 200
    finally:
        cluster.start()
    deadline = time.time() + 20
    while api.get("/readyz").status_code != 200:
        assert time.time() < deadline, "readyz did not recover"
        time.sleep(0.2)


def test_queued_mail_arrives_at_the_smtp_sink(cluster, mail, server):
    cluster.psql("SELECT portal_enqueue_mail('jan@example.nl', 'Welkom bij het portaal – test', "
                 "E'Beste Jan,\\n\\nDit is een test.\\n')")
    m = mail.wait_for(lambda m: m["to"] == ["jan@example.nl"])
    assert m["message"]["Subject"] == "Welkom bij het portaal – test"
    assert "Dit is een test." in m["message"].get_content()
    assert m["message"]["Message-ID"] and m["message"]["Date"]
    # Delivered mail no longer keeps its body (links in it may hold tokens).
    deadline = time.time() + 5
    while cluster.psql("SELECT status FROM mail_outbox WHERE to_address = 'jan@example.nl'") != "sent":
        assert time.time() < deadline
        time.sleep(0.1)
    assert cluster.psql("SELECT body_text IS NULL FROM mail_outbox WHERE to_address = 'jan@example.nl'") == "t"


def test_a_job_left_running_by_a_dead_worker_is_picked_up_after_its_lease(cluster, mail, server):
    cluster.psql(
        "WITH m AS (INSERT INTO mail_outbox (to_address, subject, body_text)"
        " VALUES ('orphan@example.nl', 'Wees', 'tekst') RETURNING id)"
        " INSERT INTO jobs (kind, payload, status, attempts, locked_until)"
        " SELECT 'mail', jsonb_build_object('mail_id', id), 'running', 1, now() - interval '1 second' FROM m")
    mail.wait_for(lambda m: m["to"] == ["orphan@example.nl"])
    deadline = time.time() + 5
    while cluster.psql("SELECT status || attempts FROM jobs WHERE payload->>'mail_id' = "
                       "(SELECT id::text FROM mail_outbox WHERE to_address = 'orphan@example.nl')") != "done2":
        assert time.time() < deadline
        time.sleep(0.1)


def test_failed_job_is_retried_with_backoff(cluster, server):
    cluster.psql("INSERT INTO jobs (kind, payload) VALUES ('no_such_kind', '{}')")
    deadline = time.time() + 10
    while True:
        row = cluster.psql("SELECT status, attempts, run_at > now(), last_error FROM jobs WHERE kind = 'no_such_kind'")
        if row.startswith("pending|1|t"):
            assert "unknown job kind" in row
            break
        assert time.time() < deadline, row
        time.sleep(0.1)


def test_audit_events_are_append_only(cluster):
    cluster.psql("INSERT INTO audit_events (action, target_type, target_id) VALUES ('test.append', 'x', '1')")
    for sql in ("UPDATE audit_events SET action = 'changed'",
                "DELETE FROM audit_events",
                "TRUNCATE audit_events"):
        with pytest.raises(subprocess.CalledProcessError) as e:
            cluster.psql(sql)
        assert "append-only" in e.value.stderr
    assert cluster.psql("SELECT count(*) FROM audit_events WHERE action = 'test.append'") == "1"


def run_cli(args, env, timeout=60):
    return subprocess.run([BINARY] + args, env=env, capture_output=True, text=True, timeout=timeout)


def test_migrate_is_idempotent_and_records_each_file(cluster, server):
    r = run_cli(["migrate"], server.env)
    assert r.returncode == 0, r.stderr
    files = sorted(f for f in os.listdir(os.path.join(ROOT, "db", "migrations")) if f.endswith(".sql"))
    assert cluster.psql("SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations") == ",".join(files)


@pytest.fixture
def scratch_db(cluster):
    name = "scratch_" + str(os.getpid()) + "_" + str(int(time.time() * 1000) % 100000)
    cluster.psql(f"CREATE DATABASE {name}")
    yield cluster.url.replace("/portal?", f"/{name}?"), name
    cluster.psql(f"DROP DATABASE {name} WITH (FORCE)")


def test_failed_migration_changes_nothing_and_names_the_file(cluster, server, scratch_db):
    url, name = scratch_db
    share = tempfile.mkdtemp()
    try:
        shutil.copytree(os.path.join(ROOT, "db"), os.path.join(share, "db"))
        with open(os.path.join(share, "db", "migrations", "9999_broken.sql"), "w") as f:
            f.write("CREATE TABLE half_done (id int);\nSELECT no_such_function();\n")
        env = dict(server.env, PORTAL_DATABASE_URL=url, PORTAL_SHARE_DIR=share)
        r = run_cli(["migrate"], env)
        assert r.returncode != 0
        assert "9999_broken.sql" in r.stderr and "no_such_function" in r.stderr
        check = ["psql", "-X", "-A", "-t", "-h", cluster.sock, "-p", str(cluster.port), "-U", "postgres", "-d", name, "-c"]
        out = subprocess.run(check + ["SELECT to_regclass('half_done') IS NULL, "
                                      "(SELECT count(*) FROM schema_migrations WHERE version = '9999')"],
                             capture_output=True, text=True, check=True).stdout.strip()
        assert out == "t|0"
        # serve refuses to start on a failed migration, too.
        r = run_cli(["serve"], dict(env, PORTAL_PORT="1"))
        assert r.returncode != 0 and "9999_broken.sql" in r.stderr
    finally:
        shutil.rmtree(share)


def test_concurrent_migrations_apply_each_file_once(cluster, server, scratch_db):
    url, name = scratch_db
    env = dict(server.env, PORTAL_DATABASE_URL=url)
    procs = [subprocess.Popen([BINARY, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(3)]
    for p in procs:
        p.wait(timeout=60)
        assert p.returncode == 0, p.stderr.read()
    out = subprocess.run(["psql", "-X", "-A", "-t", "-h", cluster.sock, "-p", str(cluster.port), "-U", "postgres",
                          "-d", name, "-c", "SELECT count(*) = count(DISTINCT version) FROM schema_migrations"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "t"


def test_bad_configuration_is_reported_per_variable(server):
    env = dict(server.env, PORTAL_PORT="eighty", PORTAL_HTTP_THREADS="0",
               PORTAL_DATABASE_CONNECTIONS="many",
               PORTAL_TRUSTED_PROXIES="10.0.0.0/8, not-an-ip", PORTAL_SMTP_URL="mail.example.nl")
    r = run_cli(["serve"], env)
    assert r.returncode == 2
    for name in ("PORTAL_PORT", "PORTAL_HTTP_THREADS", "PORTAL_DATABASE_CONNECTIONS", "not-an-ip",
                 "PORTAL_SMTP_URL"):
        assert name in r.stderr


def test_missing_frontend_folder_only_warns(cluster, mail):
    s = Server(cluster, mail, {"PORTAL_FRONTEND_DIR": "/nonexistent/dist", "PORTAL_WORKERS": "0"})
    try:
        assert requests.get(s.url + "/healthz", timeout=5).status_code == 200
        assert requests.get(s.url + "/login", timeout=5).status_code == 404
        assert "event=frontend_missing" in s.read_log()
    finally:
        assert s.stop() == 0
        assert not s.sanitizer_reports(), s.read_log()[-3000:]
        shutil.rmtree(s.dir, ignore_errors=True)


def test_every_route_is_in_openapi_and_every_openapi_path_is_served():
    out = subprocess.run([BINARY, "routes"], capture_output=True, text=True, check=True).stdout
    served = set()
    for line in out.splitlines():
        method, path = line.split(" ", 1)
        # ulfius ":param" → OpenAPI "{param}"
        path = "/".join("{" + seg[1:] + "}" if seg.startswith(":") else seg for seg in path.split("/"))
        served.add((method.lower(), path))
    with open(os.path.join(ROOT, "openapi.yaml")) as f:
        doc = yaml.safe_load(f)
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    assert served - documented == set(), "served but not documented"
    assert documented - served == set(), "documented but not served"


def test_maintenance_drops_what_has_expired_and_keeps_the_rest(server, cluster):
    """`portal-api maintenance` (what every server's workers do every ten
    minutes): exports past their expiry lose their file, idempotency keys
    older than a day and sign-in counters idle for more than twelve hours go;
    everything younger stays."""
    org = cluster.psql("INSERT INTO organisations (kind, name) VALUES ('employer', 'Onderhoud BV') RETURNING id"
                       ).splitlines()[0]
    old, fresh = (cluster.psql(
        "INSERT INTO exports (organisation_id, created_by_name, scheme_ids, as_of, format, status, expires_at)"
        f" VALUES ('{org}', 'Test', '{{}}', current_date, 'csv', 'ready', now() + interval '{when}')"
        " RETURNING id").splitlines()[0] for when in ("-1 minute", "1 day"))
    for e in (old, fresh):
        cluster.psql(f"INSERT INTO export_chunks (export_id, seq, data) VALUES ('{e}', 0, 'x'::bytea)")
    cluster.psql("INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES"
                 " ('maint', 'old', 'h', now() - interval '25 hours'),"
                 " ('maint', 'new', 'h', now() - interval '23 hours')")
    cluster.psql("INSERT INTO login_throttle (key, failures, window_start, last_failure_at) VALUES"
                 " ('user:maint-old', 3, now() - interval '13 hours', now() - interval '13 hours'),"
                 " ('user:maint-new', 3, now() - interval '13 hours', now() - interval '11 hours')")
    out = subprocess.run([BINARY, "maintenance"], env=server.env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    # (The server's own workers may have done part of it already.)
    assert "exports expired:" in out.stdout, out.stdout
    assert cluster.psql(f"SELECT status FROM exports WHERE id = '{old}'") == "expired"
    assert cluster.psql(f"SELECT status FROM exports WHERE id = '{fresh}'") == "ready"
    assert cluster.psql(f"SELECT count(*) FROM export_chunks WHERE export_id IN ('{old}', '{fresh}')") == "1"
    assert cluster.psql("SELECT string_agg(key, ',') FROM idempotency_keys WHERE caller = 'maint'") == "new"
    assert cluster.psql("SELECT string_agg(key, ',') FROM login_throttle WHERE key LIKE 'user:maint-%'"
                        ) == "user:maint-new"
    # A second run finds nothing more to do.
    again = subprocess.run([BINARY, "maintenance"], env=server.env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "exports expired: 0" in again.stdout
