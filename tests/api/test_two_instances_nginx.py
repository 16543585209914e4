"""The production shape without containers: two `portal-api serve`
instances on one PostgreSQL behind Debian's nginx running deploy/nginx.conf
(its upstream with both instances), and the SMTP sink. Through nginx:
background jobs are done exactly once although both instances' workers
wake for each; a session opened on one instance works on the other, and
ending it on one ends it on the other; and an instance killed with SIGKILL
in the middle of steady traffic loses no accepted request: every request
is answered, either 2xx or a clean proxy error that the client retries with
the same Idempotency-Key, and afterwards every change is there exactly once;
a rolling restart (SIGTERM, the instance drains) under steady reads and
writes answers every request 2xx on its first try; and the limits kept in
PostgreSQL (sign-in throttling, the pending-exports cap) count requests
made on both instances together.

Own cluster, sink, instances and nginx (module fixture): the kill must not
touch the session-wide server. Waits are bounded; nothing asserts a duration.
"""
import functools
import os
import shutil
import tempfile
import threading
import time
import uuid

import pytest
import requests

from conftest import Api, Cluster, MailSink, Server
from helpers import PASSWORD, activate, bearer, enrol, invitation_token, unique
from nginx_helpers import Nginx, served_by
from org_helpers import new_org, new_scheme, new_user, staff_actor
from participant_helpers import TokenActor, days, iso, registration, today
import helpers

# What nginx answers when the instance it chose died under the request.
PROXY_ERRORS = (502, 503, 504)


wait_until = functools.partial(helpers.wait_until, timeout=120, step=0.1)


class TwoInstances:
    def __init__(self):
        self.cluster = Cluster()
        self.mail = MailSink()
        # One public URL (the token issuer) and one key folder for both: the
        # JWT signing key and the data key are the deployment's, not an
        # instance's.
        self.keys = tempfile.mkdtemp(prefix="portal-keys-")
        env = {"PORTAL_JWT_PRIVATE_KEY_FILE": os.path.join(self.keys, "jwt.pem"),
               "PORTAL_PUBLIC_URL": "https://portal.example",
               "PORTAL_WORKERS": "2", "PORTAL_JOB_RETRY_BASE_MS": "100",
               # The production drain: longer than nginx's upstream keepalive_timeout (5 s).
               "PORTAL_DRAIN_SECONDS": "10"}
        self.a = Server(self.cluster, self.mail, dict(env))
        self.b = Server(self.cluster, self.mail, dict(env))
        self.nginx = Nginx([self.a.port, self.b.port])
        self.api = self.nginx.api()
        self.staff = staff_actor(self.api, self.mail, self.a, self.cluster)
        self.emp = new_org(self.staff, "employer", unique("Twee Instanties BV "))
        self.scheme = new_scheme(self.staff, self.emp["id"], "pension")
        self.admin = new_user(self.api, self.mail, self.cluster, self.staff, self.emp["id"],
                              ["user_management"])
        r = self.admin.post("/api/v1/api-tokens", json={
            "name": unique("Salarispakket "), "rights": ["hr"],
            "expires_at": iso(days(today(), 180))})
        assert r.status_code == 201, r.text
        self.hr = TokenActor(self.api, r.json()["secret"])

    def servers(self):
        return (self.a, self.b)

    def close(self):
        self.nginx.stop()
        codes, reports = [], []
        for s in self.servers():
            if s.proc.poll() is None:
                codes.append(s.stop())
            reports += s.sanitizer_reports()
        self.mail.stop()
        self.cluster.destroy()
        shutil.rmtree(self.keys, ignore_errors=True)
        assert not reports, reports
        assert all(code == 0 for code in codes), codes


@pytest.fixture(scope="module")
def two():
    world = TwoInstances()
    yield world
    world.close()


def test_both_instances_answer_through_nginx(two):
    ids = []
    for _ in range(10):
        r = two.hr.get("/api/v1/participants", params={"scheme_id": two.scheme["id"]})
        assert r.status_code == 200, r.text
        ids.append(r.headers["X-Request-Id"])

    def counts():  # each request line is written after its answer
        c = {name: sum(served_by(s, i) for i in ids) for name, s in (("a", two.a), ("b", two.b))}
        return c if c["a"] + c["b"] >= len(ids) else None

    served = wait_until("the request lines of every answer", counts, timeout=10)
    assert served["a"] + served["b"] == len(ids)
    assert served["a"] > 0 and served["b"] > 0, served


def test_a_session_opened_on_one_instance_works_and_ends_on_the_other(two):
    a, b = Api(two.a.url), Api(two.b.url)
    username = unique("twee")
    email = f"{username}@klant.example"
    r = two.admin.post("/api/v1/users", json={
        "organisation_id": two.emp["id"], "first_name": "Twee", "last_name": username,
        "email": email, "rights": ["hr"], "scheme_ids": None})
    assert r.status_code == 201, r.text
    activate(a, two.mail, invitation_token(two.mail, email), email, username)
    # Signed in on a (password and second factor on a) ...
    _, tokens = enrol(a, username, PASSWORD)
    # ... the access token is good on b, and b refreshes the session.
    me = b.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200, me.text
    assert me.json()["username"] == username
    r = b.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert a.get("/api/v1/me", headers=bearer(fresh["access_token"])).status_code == 200
    # The refresh token b rotated away is spent on a as well.
    r = a.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401, r.text
    # Logging out on b ends the session on a too.
    assert b.post("/api/v1/auth/logout", headers=bearer(fresh["access_token"])).status_code == 204
    for api in (a, b):
        assert api.get("/api/v1/me", headers=bearer(fresh["access_token"])).status_code == 401
    r = a.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    assert r.status_code == 401, r.text


def test_jobs_run_exactly_once_across_instances(two):
    export_ids = []
    for _ in range(2):
        batch = []
        for _ in range(5):  # five exports in progress per caller at most
            r = two.hr.post("/api/v1/exports", json={
                "scheme_ids": [two.scheme["id"]], "as_of": iso(today()), "format": "csv"})
            assert r.status_code == 202, r.text
            batch.append(r.json()["id"])
        for export_id in batch:
            wait_until(f"export {export_id}", lambda: two.hr.get(
                f"/api/v1/exports/{export_id}").json().get("status") == "ready")
        export_ids += batch
    logs = two.a.read_log() + two.b.read_log()
    for export_id in export_ids:
        ready = [line for line in logs.splitlines()
                 if "event=export_ready" in line and f"export_id={export_id}" in line]
        assert len(ready) == 1, (export_id, ready)
        jobs = two.cluster.psql(f"SELECT status || '/' || attempts FROM jobs WHERE kind = 'export'"
                                f" AND payload->>'export_id' = '{export_id}'").split()
        assert jobs == ["done/1"], (export_id, jobs)
    # Every mail job of the set-up was delivered once: one invitation per invitee.
    invited = two.cluster.psql("SELECT to_address FROM mail_outbox WHERE subject LIKE '%Activeer%'").split()
    assert invited
    for address in invited:
        got = [m for m in two.mail.messages if address in m["to"] and "Activeer" in m["message"]["Subject"]]
        assert len(got) == 1, (address, len(got))
    assert two.cluster.psql("SELECT count(*) FROM jobs WHERE attempts > 1") == "0"


def test_killing_one_instance_mid_traffic_loses_no_accepted_request(two):
    participants = []
    for _ in range(4):
        r = two.hr.post("/api/v1/participants",
                        json=registration(two.scheme["id"], start=days(today(), -60)))
        assert r.status_code == 201, r.text
        participants.append(r.json()["id"])
    before = {pid: int(two.cluster.psql(
        f"SELECT count(*) FROM participant_changes WHERE participant_id = '{pid}'"))
        for pid in participants}
    acknowledged = {}   # idempotency key -> (participant id, salary, change id)
    failures = []       # anything but 2xx or a clean proxy error
    proxy_errors = []
    lock = threading.Lock()
    started = threading.Event()

    def send(method, path, **kw):
        """One request through nginx: the response, or None when the
        connection broke (counted as a failure: nginx must always answer)."""
        try:
            return two.hr.request(method, path, timeout=60, **kw)
        except requests.RequestException as e:
            with lock:
                failures.append(f"{method} {path}: {e}")
            return None

    def traffic(worker):
        pid = participants[worker]
        for i in range(40):
            if i == 5:
                started.set()
            key = str(uuid.uuid4())
            salary = f"{50000 + worker * 1000 + i}.00"
            body = {"type": "salary_change", "effective_date": iso(days(today(), -5)), "salary": salary}
            for attempt in range(20):
                r = send("POST", f"/api/v1/participants/{pid}/changes", json=body,
                         headers={"Idempotency-Key": key})
                if r is None:
                    return
                if 200 <= r.status_code < 300:
                    with lock:
                        acknowledged[key] = (pid, salary, r.json()["id"])
                    break
                if r.status_code not in PROXY_ERRORS:
                    with lock:
                        failures.append(f"POST changes: {r.status_code} {r.text[:200]}")
                    return
                with lock:
                    proxy_errors.append(r.status_code)
                time.sleep(0.2)
            else:
                with lock:
                    failures.append(f"POST changes {key}: no 2xx after retries")
                return
            r = send("GET", "/api/v1/participants", params={"scheme_id": two.scheme["id"]})
            if r is None:
                return
            if r.status_code != 200:
                if r.status_code in PROXY_ERRORS:
                    with lock:
                        proxy_errors.append(r.status_code)
                else:
                    with lock:
                        failures.append(f"GET list: {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=traffic, args=(w,)) for w in range(len(participants))]
    for t in threads:
        t.start()
    assert started.wait(timeout=120), "the traffic did not start"
    two.a.proc.kill()
    two.a.proc.wait()
    two.a.log.close()
    for t in threads:
        t.join(timeout=600)
        assert not t.is_alive(), "a client thread hung"
    assert not failures, failures[:10]
    assert len(acknowledged) == 40 * len(participants)

    # Every acknowledged change is there, once, with what was sent.
    for key, (pid, salary, change_id) in acknowledged.items():
        r = two.hr.get(f"/api/v1/changes/{change_id}")
        assert r.status_code == 200, (change_id, r.text)
        assert r.json()["participant_id"] == pid
    for pid in participants:
        rows = int(two.cluster.psql(
            f"SELECT count(*) FROM participant_changes WHERE participant_id = '{pid}'"))
        mine = sum(1 for p, _, _ in acknowledged.values() if p == pid)
        assert rows - before[pid] == mine, (pid, rows, before[pid], mine)
        salaries = set(two.cluster.psql(
            f"SELECT payload->>'salary' FROM participant_changes WHERE participant_id = '{pid}'"
            f" AND type = 'salary_change'").split())
        assert {s for p, s, _ in acknowledged.values() if p == pid} <= \
            {f"{float(s):.2f}" for s in salaries}

    # The killed instance comes back and serves again (a rolling restart's second half).
    two.a.start()
    r = Api(two.a.url).get("/readyz")
    assert r.status_code == 200, r.text


def test_rolling_restart_under_steady_load_fails_no_request(two):
    pids = []
    for _ in range(2):  # one participant per writer
        r = two.hr.post("/api/v1/participants",
                        json=registration(two.scheme["id"], start=days(today(), -60)))
        assert r.status_code == 201, r.text
        pids.append(r.json()["id"])
    stop = threading.Event()
    answers = {"get": [], "post": []}
    lock = threading.Lock()

    def reads():
        while not stop.is_set():
            try:
                r = two.hr.get("/api/v1/participants", params={"scheme_id": two.scheme["id"]},
                               timeout=60)
                status = r.status_code
            except requests.RequestException as e:
                status = f"broken: {e}"
            with lock:
                answers["get"].append(status)

    def writes(pid):
        # Each write is sent once: a draining instance answers what reaches
        # it on an open connection and refuses new ones, which nginx then
        # sends to the other instance (http/drain.h, keepalive_timeout in
        # deploy/nginx.conf), so no write may fail for a retry to mend.
        i = 0
        while not stop.is_set():
            i += 1
            body = {"type": "salary_change", "effective_date": iso(days(today(), -5)),
                    "salary": f"{60000 + i}.00"}
            try:
                r = two.hr.post(f"/api/v1/participants/{pid}/changes", timeout=60,
                                headers={"Idempotency-Key": str(uuid.uuid4())}, json=body)
                status = r.status_code
            except requests.RequestException as e:
                status = f"broken: {e}"
            with lock:
                answers["post"].append(status)

    threads = [threading.Thread(target=reads) for _ in range(3)] + \
        [threading.Thread(target=writes, args=(pid,)) for pid in pids]
    for t in threads:
        t.start()
    try:
        for s in (two.a, two.b):
            wait_until("traffic", lambda: len(answers["get"]) >= 20 and len(answers["post"]) >= 5)
            assert s.stop() == 0, "an instance did not stop cleanly on SIGTERM"
            s.start()
            # The next instance goes only once nginx sends traffic to this
            # one again (after its fail_timeout): else none would be left.
            wait_until("nginx to use the restarted instance", lambda: served_by(s, two.hr.get(
                "/api/v1/participants", params={"scheme_id": two.scheme["id"]},
                timeout=60).headers["X-Request-Id"]), timeout=120, step=0.2)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    bad = {k: [(i, s) for i, s in enumerate(v) if s not in (200, 201)] for k, v in answers.items()}
    assert not bad["get"] and not bad["post"], (len(answers["get"]), len(answers["post"]), bad)


# --- limits are shared: counted in PostgreSQL, not per instance ------------------------

def test_sign_in_failures_count_across_instances(two):
    """Failed sign-ins spread over both instances and nginx throttle the
    username at the same total as on one instance (five free failures,
    domain/throttle_rules.h), and the next attempt is refused everywhere."""
    username = unique("drempel")
    email = f"{username}@klant.example"
    r = two.admin.post("/api/v1/users", json={
        "organisation_id": two.emp["id"], "first_name": "Drempel", "last_name": username,
        "email": email, "rights": ["hr"], "scheme_ids": None})
    assert r.status_code == 201, r.text
    a, b = Api(two.a.url), Api(two.b.url)
    activate(a, two.mail, invitation_token(two.mail, email), email, username)
    wrong = {"username": username, "password": "Wrong-password-1"}
    for api in (a, b, two.api, a, b):
        r = api.post("/api/v1/auth/login", json=wrong)
        assert r.status_code == 401, r.text
        assert r.json()["code"] == "invalid_credentials", r.text
    name = username.lower()
    assert two.cluster.psql(f"SELECT failures FROM login_throttle WHERE key = 'user:{name}'") == "5"
    # The sixth waits, whichever instance it reaches, the right password included.
    for api in (two.api, a, b):
        r = api.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert r.status_code == 429, r.text
        assert r.json()["code"] == "too_many_attempts", r.text
        assert int(r.headers["Retry-After"]) >= 1


def test_the_pending_exports_cap_counts_exports_made_on_both_instances(two):
    """Five exports being built per caller: made on a, on b and through
    nginx they count together, and the sixth is refused on each. Export
    jobs are held in their query by a lock on participant_periods, so the
    five stay pending while the test asks."""
    from test_job_priority import TableLock
    r = two.admin.post("/api/v1/api-tokens", json={
        "name": unique("Exporteur "), "rights": ["hr"], "expires_at": iso(days(today(), 30))})
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    on_a, on_b = TokenActor(Api(two.a.url), secret), TokenActor(Api(two.b.url), secret)
    via_nginx = TokenActor(two.api, secret)
    body = {"scheme_ids": [two.scheme["id"]], "as_of": iso(today()), "format": "csv"}
    lock = TableLock(two.cluster, "participant_periods")
    accepted = []
    try:
        for actor in (on_a, on_b, via_nginx, on_a, on_b):
            r = actor.post("/api/v1/exports", json=body)
            assert r.status_code == 202, r.text
            accepted.append(r.json()["id"])
        for actor in (on_a, on_b, via_nginx):
            r = actor.post("/api/v1/exports", json=body)
            assert r.status_code == 429, r.text
            assert r.json()["code"] == "too_many_exports", r.text
    finally:
        lock.release()
    for export_id in accepted:
        wait_until(f"export {export_id}", lambda: via_nginx.get(
            f"/api/v1/exports/{export_id}").json().get("status") == "ready")
    r = on_b.post("/api/v1/exports", json=body)
    assert r.status_code == 202, r.text
    wait_until("the export after the cap", lambda: on_b.get(
        f"/api/v1/exports/{r.json()['id']}").json().get("status") == "ready")
