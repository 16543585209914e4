"""Faults, each an automated test: the API process killed with SIGKILL during
a burst of participant changes and while a worker builds an export,
PostgreSQL stopped and started under load, and the SMTP server down for the
equivalent of ten minutes.

These tests kill and stop things, so they run against their own PostgreSQL
cluster, SMTP sink and server (module fixtures), never the session ones the
other tests share. Every loop is bounded; waits for recovery are generous
and nothing asserts how long anything took.

Simulated time: the server's job retry schedule starts at
PORTAL_JOB_RETRY_BASE_MS (5 s in production) and doubles per attempt; these
tests set it to 100 ms, so the production schedule runs fifty times faster
and "ten minutes" is 120 times the base (12 s); mail and SMS keep being
retried well beyond that (at least 16 attempts, about six hours). A job lease (five minutes)
is expired by moving locked_until back in the database, which is what the
passing of those minutes does.
"""
import datetime
import functools
import re
import subprocess
import threading
import time

import pytest
import requests
from aiosmtpd.controller import Controller

from conftest import Api, Cluster, MailSink, Server
from helpers import create_staff, unique
from org_helpers import new_org, new_scheme, new_user, staff_actor
from participant_helpers import TokenActor, days, iso, registration, today
import helpers

RETRY_BASE_MS = 100
HTTP_THREADS = 8


wait_until = functools.partial(helpers.wait_until, timeout=60, step=0.1)


class Faulty:
    """This module's own cluster, SMTP sink and server, and one employer with
    a pension scheme and an API token with hr rights."""

    def __init__(self):
        self.cluster = Cluster()
        self.mail = MailSink()
        self.server = Server(self.cluster, self.mail, extra_env={
            "PORTAL_JOB_RETRY_BASE_MS": str(RETRY_BASE_MS),
            "PORTAL_HTTP_THREADS": str(HTTP_THREADS)})
        self.api = Api(self.server.url)
        staff = staff_actor(self.api, self.mail, self.server, self.cluster)
        self.emp = new_org(staff, "employer", unique("Storing BV "))
        self.scheme = new_scheme(staff, self.emp["id"], "pension")
        admin = new_user(self.api, self.mail, self.cluster, staff, self.emp["id"], ["user_management"])
        r = admin.post("/api/v1/api-tokens", json={
            "name": unique("Salarispakket "), "rights": ["hr"],
            "expires_at": iso(days(today(), 180))})
        assert r.status_code == 201, r.text
        self.hr = TokenActor(self.api, r.json()["secret"])

    def kill(self):
        """SIGKILL: no shutdown, no rollback, no goodbye to PostgreSQL."""
        self.server.proc.kill()
        self.server.proc.wait()
        self.server.log.close()

    def restart_sink(self):
        """Starts the SMTP sink again on the same port, keeping what it got."""
        sink = self.mail
        handler = sink.controller.handler
        sink.controller = Controller(handler, hostname="127.0.0.1", port=sink.port)
        sink.controller.start()

    def register(self, n):
        ids = []
        for _ in range(n):
            r = self.hr.post("/api/v1/participants",
                             json=registration(self.scheme["id"], start=days(today(), -60)))
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
        return ids

    def close(self):
        try:
            self.cluster.start()
        except subprocess.CalledProcessError:
            pass  # already running
        if self.server.proc.poll() is None:
            code = self.server.stop()
            assert code == 0, f"portal-api exited with {code} on SIGTERM"
        assert not self.server.sanitizer_reports(), self.server.read_log()[-4000:]
        try:
            self.mail.stop()
        except Exception:
            pass
        self.cluster.destroy()


@pytest.fixture(scope="module")
def f():
    world = Faulty()
    yield world
    world.close()


def log_lines(server, event):
    return [line for line in server.read_log().splitlines() if f"event={event} " in line]


# --- kill -9 during a burst of participant changes --------------------------------------------

def test_kill_during_change_burst_keeps_every_answered_change_and_nothing_half_written(f):
    participants = f.register(6)
    answered = []  # (change id, participant id, salary) of every 2xx answer
    lock = threading.Lock()
    stop = threading.Event()

    def burst(worker):
        for i in range(400):
            if stop.is_set():
                return
            pid = participants[(worker + i) % len(participants)]
            salary = f"{40000 + worker * 1000 + i}.00"
            try:
                r = f.hr.post(f"/api/v1/participants/{pid}/changes", timeout=10, json={
                    "type": "salary_change", "effective_date": iso(days(today(), -5)),
                    "salary": salary})
            except requests.RequestException:
                return  # the server is gone
            if 200 <= r.status_code < 300:
                with lock:
                    answered.append((r.json()["id"], pid, salary))
            else:
                assert r.status_code in (409, 503), r.text

    threads = [threading.Thread(target=burst, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    wait_until("changes to be answered", lambda: len(answered) >= 40, timeout=120, step=0.01)
    f.kill()
    stop.set()
    for t in threads:
        t.join(timeout=60)
    f.server.start()

    # Every change answered 2xx is there, with what it said.
    for change_id, pid, salary in answered:
        r = f.hr.get(f"/api/v1/changes/{change_id}")
        assert r.status_code == 200, (change_id, r.text)
        assert r.json()["participant_id"] == pid and r.json()["status"] == "processed"
    # Nothing half-written: every change row of these participants (answered
    # or cut off) is in the history and the state follows the last of them.
    for pid in participants:
        rows = f.cluster.psql(f"SELECT id FROM participant_changes WHERE participant_id = '{pid}' ORDER BY id").split()
        r = f.hr.get(f"/api/v1/participants/{pid}/changes", params={"limit": 200})
        assert r.status_code == 200, r.text
        assert sorted(c["id"] for c in r.json()["items"]) == sorted(rows)
        last = f.cluster.psql(f"SELECT payload->>'salary' FROM participant_changes WHERE participant_id = '{pid}'"
            f" AND type = 'salary_change' ORDER BY seq DESC LIMIT 1")
        now = f.hr.get(f"/api/v1/participants/{pid}")
        assert now.status_code == 200, now.text
        assert float(now.json()["employment"]["salary"]) == float(last)
    # The restarted server takes changes again.
    r = f.hr.post(f"/api/v1/participants/{participants[0]}/changes", json={
        "type": "salary_change", "effective_date": iso(today()), "salary": "39999.00"})
    assert r.status_code == 201, r.text


# --- kill -9 of a worker mid-export -----------------------------------------------------------

def test_kill_mid_export_finishes_it_exactly_once_after_restart(f):
    f.register(3)
    # Hold writes to export_chunks so the worker stops inside its file
    # transaction, after claiming the job.
    holder = subprocess.Popen(
        ["psql", "-X", "-q", "-h", f.cluster.sock, "-p", str(f.cluster.port), "-U", "postgres",
         "-d", "portal"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write("BEGIN; LOCK TABLE export_chunks IN SHARE MODE;\n")
        holder.stdin.flush()
        wait_until("the lock", lambda: f.cluster.psql(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'export_chunks' AND l.mode = 'ShareLock' AND l.granted") == "1")
        r = f.hr.post("/api/v1/exports", json={"scheme_ids": [f.scheme["id"]],
                                               "as_of": iso(today()), "format": "csv"})
        assert r.status_code == 202, r.text
        export_id = r.json()["id"]
        job = f.cluster.psql(f"SELECT id FROM jobs WHERE kind = 'export'"
                             f" AND payload->>'export_id' = '{export_id}'")
        wait_until("the worker to block inside the export", lambda: f.cluster.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query LIKE '%export_chunks%'") == "1")
        assert f.cluster.psql(f"SELECT status, attempts FROM jobs WHERE id = '{job}'") == "running|1"
        f.kill()
    finally:
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    # The dead worker's transaction goes; the job keeps its lease.
    wait_until("the dead worker's session to end", lambda: f.cluster.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%export_chunks%'"
        " AND pid <> pg_backend_pid()") == "0")
    assert f.cluster.psql(f"SELECT status FROM exports WHERE id = '{export_id}'") == "pending"
    assert f.cluster.psql(f"SELECT count(*) FROM export_chunks WHERE export_id = '{export_id}'") == "0"
    f.server.start()
    # Simulated time: the five-minute lease passes.
    f.cluster.psql(f"UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = '{job}'")
    wait_until("the export to be built", lambda: f.cluster.psql(f"SELECT status FROM exports WHERE id = '{export_id}'") == "ready", timeout=120)
    wait_until("the job to be done", lambda: f.cluster.psql(f"SELECT status FROM jobs WHERE id = '{job}'") == "done")
    assert f.cluster.psql(f"SELECT attempts FROM jobs WHERE id = '{job}'") == "2"
    ready = [line for line in log_lines(f.server, "export_ready") if export_id in line]
    assert len(ready) == 1, ready
    r = f.hr.get(f"/api/v1/exports/{export_id}/file")
    assert r.status_code == 200, r.text
    lines = r.content.decode("utf-8").split("\r\n")
    assert lines[0].startswith("participant_number,")
    rows = [line for line in lines[1:] if line]
    assert len(rows) == int(f.cluster.psql(f"SELECT row_count FROM exports WHERE id = '{export_id}'"))
    assert len(rows) == len(set(rows))


# --- PostgreSQL stopped and started under load ------------------------------------------------

def test_postgres_restart_under_load_answers_503_then_recovers_without_restart(f):
    pid = f.register(1)[0]
    outcomes = []  # (phase, status, Retry-After)
    phase = {"now": "before"}
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker):
        for i in range(5000):
            if stop.is_set():
                return
            try:
                if i % 2:
                    r = f.hr.get(f"/api/v1/participants/{pid}", timeout=30)
                else:
                    r = f.hr.get("/api/v1/participants", params={"limit": 5}, timeout=30)
            except requests.RequestException as e:
                with lock:
                    outcomes.append((phase["now"], repr(e), None))
                continue
            with lock:
                outcomes.append((phase["now"], r.status_code, r.headers.get("Retry-After"),
                                 r.text if r.status_code >= 500 else ""))
            time.sleep(0.005)

    threads = [threading.Thread(target=load, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    try:
        wait_until("load", lambda: len(outcomes) >= 50)
        phase["now"] = "stopping"
        f.cluster.stop()
        phase["now"] = "down"
        wait_until("answers while down", lambda: sum(1 for o in outcomes if o[0] == "down") >= 60)
        ready = f.api.get("/readyz")
        assert ready.status_code == 503, ready.text
        phase["now"] = "starting"
        f.cluster.start()
        phase["now"] = "up"
        wait_until("recovery", lambda: f.hr.get(f"/api/v1/participants/{pid}").status_code == 200)
        phase["now"] = "recovered"
        wait_until("load after recovery",
                   lambda: sum(1 for o in outcomes if o[0] == "recovered") >= 200, timeout=120)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    for o in outcomes:
        if o[0] in ("before", "recovered"):
            assert o[1] == 200, o
        else:
            # While PostgreSQL is away: an answer, either the data or 503
            # with Retry-After; never a 500, a 401 or a dropped connection.
            assert o[1] == 200 or (o[1] == 503 and o[2] and int(o[2]) > 0), o
    assert any(o[1] == 503 for o in outcomes if o[0] == "down")
    # No pool connection is left broken: more parallel requests than there
    # are HTTP threads, several rounds, every one answered from the database.
    results = []

    def round_of_requests():
        for _ in range(5):
            results.append(f.hr.get(f"/api/v1/participants/{pid}").status_code)

    many = [threading.Thread(target=round_of_requests) for _ in range(HTTP_THREADS * 2)]
    for t in many:
        t.start()
    for t in many:
        t.join(timeout=120)
    assert results == [200] * (HTTP_THREADS * 2 * 5)
    assert f.api.get("/readyz").status_code == 200
    # Writes work again, and the workers came back too (an export is built).
    r = f.hr.post(f"/api/v1/participants/{pid}/changes", json={
        "type": "salary_change", "effective_date": iso(today()), "salary": "45000.00"})
    assert r.status_code == 201, r.text
    r = f.hr.post("/api/v1/exports", json={"scheme_ids": [f.scheme["id"]], "as_of": iso(today()),
                                           "format": "csv"})
    assert r.status_code == 202, r.text
    export_id = r.json()["id"]
    wait_until("an export after the restart", lambda: f.cluster.psql(f"SELECT status FROM exports WHERE id = '{export_id}'") == "ready", timeout=120)
    assert f.server.proc.poll() is None


# --- the SMTP server down for ten (simulated) minutes ------------------------------------------

def test_smtp_down_for_ten_minutes_every_mail_delivered_later_once(f):
    emails = [f"{unique('storing')}@verzekeraar.example" for _ in range(3)]
    f.mail.stop()
    down_since = time.time()
    try:
        for e in emails:
            create_staff(f.server, e)
        email_list = ",".join(emails)
        ids = f.cluster.psql(f"SELECT j.id FROM jobs j JOIN mail_outbox m ON m.id = (j.payload->>'mail_id')::bigint"
            f" WHERE j.kind = 'mail' AND m.to_address = ANY (string_to_array('{email_list}', ','))"
            f" ORDER BY j.id").split()
        assert len(ids) == len(emails)
        id_list = ",".join(ids)
        # Retried, not given up, while the server is away.
        wait_until("retries", lambda: f.cluster.psql(f"SELECT min(attempts) FROM jobs WHERE id = ANY (string_to_array('{id_list}', ',')::bigint[])") not in ("", "0", "1", "2", "3"), timeout=120)
        # Ten minutes of production time (120 times the base) pass, and more:
        # the sink stays away until every mail has been tried more often than
        # the eight attempts a job gets by default (the ninth comes 255 times
        # the base, over 21 minutes at 5 s, after the first).
        def nine_attempts():
            tried, given_up = f.cluster.psql(
                f"SELECT bool_and(attempts >= 9), bool_or(status = 'failed') FROM jobs"
                f" WHERE id = ANY (string_to_array('{id_list}', ',')::bigint[])").split("|")
            assert given_up == "f", "a mail was given up while the SMTP server was away"
            return tried == "t"

        wait_until("nine attempts", nine_attempts, timeout=240)
        assert time.time() - down_since >= 120 * RETRY_BASE_MS / 1000
        assert f.cluster.psql(f"SELECT count(*) FROM jobs WHERE status NOT IN ('pending', 'running')"
                              f" AND id = ANY (string_to_array('{id_list}', ',')::bigint[])") == "0"
        assert f.cluster.psql(f"SELECT string_agg(DISTINCT status, ',') FROM mail_outbox"
                              f" WHERE to_address = ANY (string_to_array('{email_list}', ','))") == "pending"
    finally:
        f.restart_sink()
    for e in emails:
        f.mail.wait_for(lambda m, e=e: e in m["to"], timeout=120)
    wait_until("the mail jobs to be done", lambda: f.cluster.psql(f"SELECT count(*) FROM jobs WHERE status = 'done'"
        f" AND id = ANY (string_to_array('{id_list}', ',')::bigint[])") == str(len(ids)))
    # Once: one message per address, the outbox marks each sent.
    for e in emails:
        assert len([m for m in f.mail.messages if e in m["to"]]) == 1, e
        assert f.cluster.psql(f"SELECT string_agg(status, ',') FROM mail_outbox WHERE to_address = '{e}'") == "sent"
    # With backoff: each failure put the next attempt base * 2^(n-1) away.
    for job in ids:
        failures = [line for line in log_lines(f.server, "job_failed") if f"job_id={job} " in line]
        assert len(failures) >= 4, failures
        for line in failures:
            attempt = int(re.search(r" attempt=(\d+)", line).group(1))
            delay = int(re.search(r" retry_in_ms=(-?\d+)", line).group(1))
            assert delay == RETRY_BASE_MS * 2 ** (attempt - 1), line
        attempts = [int(re.search(r" attempt=(\d+)", line).group(1)) for line in failures]
        assert attempts == list(range(1, len(attempts) + 1))
