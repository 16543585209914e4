"""Exports cannot starve mail (security review, job-queue starvation): a
caller looping POST /exports is capped at five exports being built (429
too_many_exports with Retry-After), and a reset mail still goes out while
export jobs hang, because messages are claimed first and, with two
workers, one worker takes messages only.

To make export jobs slow on purpose the test holds an exclusive lock on
participant_periods, which only the export query reads: every export job
then waits inside its query until the lock is released."""
import subprocess
import time

import pytest

from helpers import new_staff
from participant_helpers import iso, participant_world, today
from test_identity import from_address

RESET_SUBJECT = "Wachtwoord opnieuw instellen"


class TableLock:
    """A psql session holding ACCESS EXCLUSIVE on a table until released."""

    def __init__(self, cluster, table):
        self.proc = subprocess.Popen(
            ["psql", "-X", "-q", "-A", "-t", "-h", cluster.sock, "-p", str(cluster.port), "-U", "postgres",
             "-d", "portal"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.proc.stdin.write(f"BEGIN;\nLOCK TABLE {table} IN ACCESS EXCLUSIVE MODE;\n"
                              "SELECT 'locked';\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("ROLLBACK;\n\\q\n")
            self.proc.stdin.flush()
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


def waiting_export_queries(cluster):
    """Backends stuck on the lock: export jobs inside their query."""
    return int(cluster.psql("SELECT count(*) FROM pg_stat_activity"
                            " WHERE wait_event_type = 'Lock' AND query LIKE '%export_rows%'"))


def wait_built(actor, export_ids):
    for export_id in export_ids:
        deadline = time.time() + 120
        while actor.get(f"/api/v1/exports/{export_id}").json()["status"] == "pending":
            assert time.time() < deadline, export_id
            time.sleep(0.2)
        assert actor.get(f"/api/v1/exports/{export_id}").json()["status"] == "ready"


@pytest.fixture(scope="module")
def pw(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


def test_fifty_exports_do_not_delay_a_reset_mail(api, mail, server, cluster, pw):
    username, email = new_staff(api, mail, server, prefix="reset")
    lock = TableLock(cluster, "participant_periods")
    try:
        answers = []
        for _ in range(50):
            answers.append(pw.token.post("/api/v1/exports", json={
                "scheme_ids": [pw.pension["id"]], "as_of": iso(today()), "format": "csv"}))
        accepted = [r for r in answers if r.status_code == 202]
        refused = [r for r in answers if r.status_code == 429]
        assert len(accepted) == 5, [r.text for r in answers if r.status_code not in (202, 429)]
        assert len(refused) == 45
        for r in refused:
            assert r.json()["code"] == "too_many_exports", r.text
            assert int(r.headers["Retry-After"]) > 0
        # An export job is stuck in its query before the mail is even asked for.
        deadline = time.time() + 30
        while waiting_export_queries(cluster) == 0:
            assert time.time() < deadline, "no export job started"
            time.sleep(0.1)

        r = from_address(f"198.51.100.{200 + int(time.time()) % 50}").post(
            api.base + "/api/v1/auth/password-reset", json={"username": username, "email": email})
        assert r.status_code == 202, r.text
        # Generous bound: the mail normally arrives within a second; without
        # the fix it waits for the lock and never comes while it is held.
        mail.wait_for(lambda m: email in m["to"] and m["message"]["Subject"] == RESET_SUBJECT,
                      timeout=30)
    finally:
        lock.release()
    # Afterwards the held exports are built as usual.
    wait_built(pw.token, [r.json()["id"] for r in accepted])
    # With nothing pending the caller may export again.
    r = pw.token.post("/api/v1/exports", json={
        "scheme_ids": [pw.pension["id"]], "as_of": iso(today()), "format": "csv"})
    assert r.status_code == 202, r.text


def test_an_interactive_user_has_a_cap_of_their_own(api, cluster, pw):
    """The cap counts per caller: the token's exports do not block hr."""
    lock = TableLock(cluster, "participant_periods")
    try:
        answers = [pw.hr.post("/api/v1/exports", json={
            "scheme_ids": [pw.pension["id"]], "as_of": iso(today()), "format": "xlsx"})
            for _ in range(7)]
        assert [r.status_code for r in answers] == [202] * 5 + [429] * 2
    finally:
        lock.release()
    wait_built(pw.hr, [r.json()["id"] for r in answers[:5]])
