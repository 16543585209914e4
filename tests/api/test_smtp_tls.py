"""PORTAL_SMTP_TLS: with `required` a relay that offers no STARTTLS gets no
mail at all (it stays queued and the attempt is recorded as failed), so
activation and reset links never travel in the clear; `opportunistic`
sends to the same relay. The test SMTP sink offers no STARTTLS.

Each server here has a database of its own, so no other server's workers
can deliver its mail."""
import shutil
import time

import pytest

from conftest import Cluster, MailSink, Server
from helpers import create_staff, unique


@pytest.fixture
def own(request):
    cluster, sink = Cluster(), MailSink()
    servers = []

    def start(tls):
        s = Server(cluster, sink, {"PORTAL_SMTP_TLS": tls, "PORTAL_WORKERS": "1"})
        servers.append(s)
        return s

    yield cluster, sink, start
    for s in servers:
        code = s.stop()
        reports = s.sanitizer_reports()
        shutil.rmtree(s.dir, ignore_errors=True)
        assert not reports and code == 0
    sink.stop()
    cluster.destroy()


def mail_attempts(cluster):
    """(attempts, last_error) of the mail job, once it has been tried."""
    row = cluster.psql("SELECT attempts || '|' || coalesce(last_error, '') FROM jobs"
                       " WHERE kind = 'mail' ORDER BY id LIMIT 1")
    if not row:
        return 0, ""
    attempts, error = row.split("|", 1)
    return int(attempts), error


def test_required_tls_sends_nothing_to_a_plain_relay(own):
    cluster, sink, start = own
    server = start("required")
    email = unique("tls") + "@verzekeraar.example"
    create_staff(server, email)
    deadline = time.time() + 60
    while True:
        attempts, error = mail_attempts(cluster)
        status = cluster.psql("SELECT status FROM jobs WHERE kind = 'mail' ORDER BY id LIMIT 1")
        if attempts >= 1 and status != "running":
            break
        assert time.time() < deadline, "the mail job was never tried"
        time.sleep(0.1)
    assert error, "a failed attempt records its error"
    assert cluster.psql(f"SELECT status FROM mail_outbox WHERE to_address LIKE '%{email}%'") == "pending"
    assert sink.messages == []


def test_opportunistic_tls_sends_to_a_plain_relay(own):
    cluster, sink, start = own
    server = start("opportunistic")
    email = unique("tls") + "@verzekeraar.example"
    create_staff(server, email)
    sink.wait_for(lambda m: email in m["to"], timeout=60)
