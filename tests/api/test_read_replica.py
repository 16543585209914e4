"""Reads on a PostgreSQL hot standby without a caller ever reading older data
than it wrote.

Own primary cluster, a streaming-replication standby made from it with
`pg_basebackup -R`, the SMTP sink and two `portal-api serve` instances on
that pair (module fixture): instance A waits up to 2 s for the standby to
replay a caller's last write, instance B the default 200 ms. The delayed
standby (`recovery_min_apply_delay`) is an hour behind, so which data it
holds is certain; nothing asserts a duration.
"""
import functools
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import Api, Cluster, MailSink, Server, as_postgres, pg_bin
from helpers import bearer, unique
from org_helpers import new_org, new_scheme, new_user, staff_actor
from participant_helpers import TokenActor, days, iso, register, today
import helpers

HEADER = "Portal-Commit-Lsn"
COOKIE = "portal_commit_lsn"
LSN = re.compile(r"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$")


class Standby(Cluster):
    """A hot standby of primary: pg_basebackup -R, started on its own port."""

    def __init__(self, primary):
        self.make_dirs("portal-pg-standby-")
        subprocess.run(as_postgres([pg_bin("pg_basebackup"), "-h", primary.sock,
                                    "-p", str(primary.port), "-U", "postgres", "-D", self.data,
                                    "-R", "-X", "stream", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.delay = "0"
        self.start()

    def start(self):
        opts = f"-k {self.sock} -p {self.port} -c listen_addresses='' -c hot_standby=on " \
               f"-c max_connections=200 -c recovery_min_apply_delay={self.delay}"
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", self.data, "-o", opts, "-w",
                                    "-l", os.path.join(self.dir, "log"), "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def restart_with_delay(self, delay):
        self.stop()
        self.delay = delay
        self.start()


class Pair:
    def __init__(self):
        self.primary = Cluster()
        self.standby = Standby(self.primary)
        self.mail = MailSink()
        self.keys = tempfile.mkdtemp(prefix="portal-keys-")
        # One issuer and key for both instances: a session works on either.
        env = {"PORTAL_JWT_PRIVATE_KEY_FILE": os.path.join(self.keys, "jwt.pem"),
               "PORTAL_PUBLIC_URL": "http://localhost:8080",
               "PORTAL_DATABASE_REPLICA_URL": self.standby.url}
        self.a = Server(self.primary, self.mail, dict(env, PORTAL_REPLICA_WAIT_MS="2000"))
        self.b = Server(self.primary, self.mail, dict(env))
        self.api_a = Api(self.a.url)
        self.api_b = Api(self.b.url)
        self.staff = staff_actor(self.api_a, self.mail, self.a, self.primary)
        self.emp = new_org(self.staff, "employer", unique("Standby BV "))
        self.scheme = new_scheme(self.staff, self.emp["id"], "pension")
        self.admin = new_user(self.api_a, self.mail, self.primary, self.staff, self.emp["id"],
                              ["user_management"])
        # A signed-in HR user of the web app, on A and on B: one browser, so
        # one cookie jar for both instances.
        self.hr = new_user(self.api_a, self.mail, self.primary, self.admin, self.emp["id"],
                           ["hr"])
        self.api_b.session = self.api_a.session
        r = self.admin.post("/api/v1/api-tokens", json={
            "name": unique("Salarispakket "), "rights": ["hr"],
            "expires_at": iso(days(today(), 180))})
        assert r.status_code == 201, r.text
        self.secret = r.json()["secret"]
        r = self.admin.post("/api/v1/api-tokens", json={
            "name": unique("Tweede pakket "), "rights": ["hr"],
            "expires_at": iso(days(today(), 180))})
        assert r.status_code == 201, r.text
        self.secret2 = r.json()["secret"]

    def on(self, actor, api):
        """The same signed-in user, talking to another instance."""
        clone = type(actor).__new__(type(actor))
        clone.__dict__.update(actor.__dict__)
        clone.api = api
        return clone

    def close(self):
        codes, reports = [], []
        for s in (self.a, self.b):
            codes.append(s.stop())
            reports += s.sanitizer_reports()
            shutil.rmtree(s.dir, ignore_errors=True)
        self.mail.stop()
        self.standby.destroy()
        self.primary.destroy()
        shutil.rmtree(self.keys, ignore_errors=True)
        assert not reports, reports
        assert all(code == 0 for code in codes), codes


@pytest.fixture(scope="module")
def pair():
    world = Pair()
    yield world
    world.close()


def served(server):
    return helpers.metric(server.url, "portal_db_standby_reads_total")


def fallbacks(server, reason):
    return helpers.metric(server.url, f'portal_db_standby_fallbacks_total{{reason="{reason}"}}')


wait_until = functools.partial(helpers.wait_until, timeout=60, step=0.2)


def salary_in_list(actor, scheme_id, number, headers=None):
    r = actor.get("/api/v1/participants", params={"scheme_id": scheme_id, "q": number},
                  headers=headers)
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    return rows[0]["salary"] if rows else None


def salary_change(actor, pid, salary):
    r = actor.post(f"/api/v1/participants/{pid}/changes", json={
        "type": "salary_change", "effective_date": iso(days(today(), -1)), "salary": salary})
    assert r.status_code == 201, r.text
    return r


def forget_cookie(api):
    jar = api.session.cookies
    for c in list(jar):
        if c.name == COOKIE:
            jar.clear(c.domain, c.path, c.name)


def test_a_write_answers_its_commit_position(pair):
    p = register(pair.hr, pair.scheme["id"]).json()
    r = salary_change(pair.hr, p["id"], "43000")
    assert LSN.match(r.headers[HEADER]), r.headers
    cookie = r.headers["Set-Cookie"]
    part = next(c for c in re.split(r",\s*(?=[A-Za-z_]+=)", cookie) if c.startswith(COOKIE + "="))
    attrs = [a.strip().lower() for a in part.split(";")]
    assert attrs[0] == f"{COOKIE}={r.headers[HEADER]}".lower()
    assert "httponly" in attrs and "samesite=strict" in attrs and "path=/api/v1" in attrs
    assert any(a.startswith("max-age=") for a in attrs)
    # A read answers no position of its own.
    r = pair.hr.get("/api/v1/participants", params={"scheme_id": pair.scheme["id"]})
    assert r.status_code == 200 and HEADER not in r.headers


def test_reads_run_on_the_standby_once_it_has_replayed_the_write(pair):
    p = register(pair.hr, pair.scheme["id"], salary="40000.00").json()
    before = served(pair.a)
    salary_change(pair.hr, p["id"], "41000")
    # A waits (up to 2 s) for the standby to replay the change, then reads there.
    assert salary_in_list(pair.hr, pair.scheme["id"], p["participant_number"]) == "41000.00"
    me = pair.hr.get("/api/v1/me")
    assert me.status_code == 200, me.text
    assert served(pair.a) >= before + 2
    # The participant's detail (an audited BSN view) stays on the primary.
    before = served(pair.a)
    d = pair.hr.get(f"/api/v1/participants/{p['id']}")
    assert d.status_code == 200
    assert served(pair.a) == before
    # A read that ran on the primary answers a position too: what it saw
    # (e.g. a job's result) must be there on the caller's next standby read.
    assert LSN.match(d.headers[HEADER]), d.headers


def test_reads_fall_back_to_the_primary_while_the_standby_is_stopped(pair):
    token = TokenActor(Api(pair.b.url), pair.secret)
    hr_b = pair.on(pair.hr, pair.api_b)
    pair.standby.stop()
    try:
        down = fallbacks(pair.b, "down")
        for who in (token, hr_b):
            for path in ("/api/v1/participants?scheme_id=" + pair.scheme["id"], "/api/v1/me"):
                r = who.get(path)
                assert r.status_code == 200, r.text
        assert fallbacks(pair.b, "down") > down
        # Writes go on as ever.
        p = register(token, pair.scheme["id"]).json()
        assert salary_in_list(token, pair.scheme["id"], p["participant_number"]) is not None
    finally:
        pair.standby.start()
    # Back: after the back-off, reads run on the standby again.
    before = served(pair.b)

    def back():
        r = token.get("/api/v1/participants", params={"scheme_id": pair.scheme["id"]})
        assert r.status_code == 200, r.text
        return served(pair.b) > before
    wait_until("reads on the standby again", back)


def test_read_your_writes_under_a_delayed_standby(pair):
    p = register(pair.hr, pair.scheme["id"], salary="50000.00").json()
    number = p["participant_number"]
    wait_until("the standby to hold the participant",
               lambda: pair.standby.psql(
                   f"SELECT count(*) FROM participants WHERE id = '{p['id']}'") == "1")
    pair.standby.restart_with_delay("'1h'")
    hr_b = pair.on(pair.hr, pair.api_b)
    # Payroll software keeps no cookies: own clients, not the browser's jar.
    token_b = TokenActor(Api(pair.b.url), pair.secret)

    # A browser session writes on A and reads on B: the cookie carries the
    # position; B finds the standby behind and reads on the primary.
    lag = fallbacks(pair.b, "lag")
    salary_change(pair.hr, p["id"], "51000")
    assert salary_in_list(hr_b, pair.scheme["id"], number) == "51000.00"
    r = hr_b.get(f"/api/v1/participants/{p['id']}/changes", params={"limit": 200})
    assert r.status_code == 200 and len(r.json()["items"]) == 2, r.text
    assert fallbacks(pair.b, "lag") > lag

    # The same session without the cookie, on the instance it wrote on: the
    # instance remembers the session's position.
    salary_change(hr_b, p["id"], "52000")
    forget_cookie(pair.api_b)
    assert salary_in_list(hr_b, pair.scheme["id"], number) == "52000.00"

    # An API token that sends nothing back, on the instance it wrote on.
    r = salary_change(token_b, p["id"], "53000")
    token_b.api.session.cookies.clear()
    assert salary_in_list(token_b, pair.scheme["id"], number) == "53000.00"

    # Another API token (the standby knows it) writing on A and reading on
    # B: B knows nothing of that write, so the read runs on the (delayed)
    # standby and shows the participant as the standby has it; with the
    # position echoed it sees its write.
    token_a = TokenActor(Api(pair.a.url), pair.secret2)
    token_b = TokenActor(Api(pair.b.url), pair.secret2)
    r = salary_change(token_a, p["id"], "54000")
    position = r.headers[HEADER]
    assert salary_in_list(token_b, pair.scheme["id"], number) == "50000.00"
    assert salary_in_list(token_b, pair.scheme["id"], number,
                          headers={HEADER: position}) == "54000.00"
    # A forged position is ignored, never an error.
    r = token_b.get("/api/v1/me", headers={HEADER: "not/a-position"})
    assert r.status_code == 200, r.text

    # The session's own sign-out (on A) carries its position: on B, the
    # standby still holds the session open, but the browser's next read
    # goes to the primary, which has ended it.
    r = pair.api_a.post("/api/v1/auth/logout", headers=bearer(pair.hr.access_token))
    assert r.status_code == 204, r.text
    assert LSN.match(r.headers[HEADER]), r.headers
    assert hr_b.get("/api/v1/me").status_code == 401


def test_without_a_standby_nothing_changes(api):
    """The session-wide server has no PORTAL_DATABASE_REPLICA_URL."""
    r = api.post("/api/v1/auth/login", json={"username": unique("nobody"), "password": "x" * 12})
    assert r.status_code == 401, r.text
    assert HEADER not in r.headers and COOKIE not in r.headers.get("Set-Cookie", "")
    text = api.get("/metrics").text
    assert "portal_db_standby" not in text
