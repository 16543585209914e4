"""Connection draining on SIGTERM (http/drain.h): the instance stops taking
new connections at once, answers every request that still arrives on a
connection already open (each with "Connection: close"), reports itself
not ready on /readyz, and exits cleanly as soon as its clients have closed
those connections, well before PORTAL_DRAIN_SECONDS.

Own server (module fixture): the SIGTERM must not touch the session server.
Waits are bounded only so that a hang fails; nothing asserts a duration."""
import functools
import http.client
import shutil
import socket

import pytest

from conftest import Server
import helpers

# Far longer than any wait below: the server must stop because its
# connections closed, not because this ran out.
DRAIN_S = 120


wait_until = functools.partial(helpers.wait_until, timeout=60, step=0.05)


@pytest.fixture
def draining_server(cluster, mail):
    s = Server(cluster, mail, {"PORTAL_DRAIN_SECONDS": str(DRAIN_S), "PORTAL_WORKERS": "0",
                               "PORTAL_HTTP_THREADS": "4"})
    yield s
    if s.proc.poll() is None:
        s.proc.kill()
        s.proc.wait()
    reports = s.sanitizer_reports()
    shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports, reports


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return False
    except ConnectionRefusedError:
        return True


def kept_alive(port, path):
    """A connection that has been answered once and stays open."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    r.read()
    assert r.status == 200
    assert (r.getheader("Connection") or "").lower() != "close"
    return c


def test_sigterm_drains_open_connections_and_refuses_new_ones(draining_server):
    s = draining_server
    readiness = kept_alive(s.port, "/readyz")
    liveness = kept_alive(s.port, "/healthz")
    s.proc.terminate()
    wait_until("the listener to close", lambda: refused(s.port))
    assert s.proc.poll() is None, "the server stopped before its open connections closed"

    # Not ready any more, said on a connection that was already open.
    readiness.request("GET", "/readyz")
    r = readiness.getresponse()
    body = r.read()
    assert r.status == 503, body
    assert r.getheader("Connection").lower() == "close"
    readiness.close()

    # Still answering requests on open connections, then closing them.
    liveness.request("GET", "/healthz")
    r = liveness.getresponse()
    r.read()
    assert r.status == 200
    assert r.getheader("Connection").lower() == "close"
    liveness.close()

    # Both connections closed: the server stops without waiting out DRAIN_S.
    code = s.proc.wait(timeout=DRAIN_S / 2)
    s.log.close()
    assert code == 0
    log = s.read_log()
    assert "event=draining" in log and "connections_left=0" in log, log[-2000:]
    for failure in ("drain_filter_failed", "drain_quiesce_failed", "drain_listener_kept"):
        assert failure not in log, log[-2000:]


def test_a_second_sigterm_stops_without_waiting_for_open_connections(draining_server):
    s = draining_server
    idle = kept_alive(s.port, "/healthz")
    s.proc.terminate()
    wait_until("the listener to close", lambda: refused(s.port))
    assert s.proc.poll() is None, "the server stopped before its open connection closed"
    s.proc.terminate()
    code = s.proc.wait(timeout=DRAIN_S / 2)
    s.log.close()
    idle.close()
    assert code == 0
    log = s.read_log()
    assert "event=drain_cut_short" in log and "connections_left=1" in log, log[-2000:]
