"""Slow and many clients (slowloris) and a short soak: hundreds of
connections that trickle their headers a line at a time, from several
addresses, while other clients keep being answered; the per-address limit
closes what one address opens beyond it; once the slow clients fall silent
the server closes their connections itself (PORTAL_CONNECTION_TIMEOUT), and
its open descriptors come back to where they were.

Own server (module fixture) with a short idle timeout. Nothing asserts how
long anything took: waits are bounded only so that a hang fails."""
import functools
import shutil
import socket
import time

import pytest
import requests

from conftest import Server
import helpers

TIMEOUT_S = 3            # PORTAL_CONNECTION_TIMEOUT of this server
PER_ADDRESS = 32         # PORTAL_CONNECTIONS_PER_ADDRESS of this server
SLOW_ADDRESSES = [f"127.0.1.{i}" for i in range(1, 9)]   # 8 x 32 = 256 slow connections


wait_until = functools.partial(helpers.wait_until, timeout=90, step=0.2)


@pytest.fixture(scope="module")
def slow_server(cluster, mail):
    s = Server(cluster, mail, {"PORTAL_CONNECTION_TIMEOUT": str(TIMEOUT_S),
                               "PORTAL_CONNECTIONS_PER_ADDRESS": str(PER_ADDRESS),
                               "PORTAL_HTTP_THREADS": "4", "PORTAL_WORKERS": "0"})
    yield s
    code = s.stop()
    reports = s.sanitizer_reports()
    shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports and code == 0


def slow_open(port, source):
    """A connection that has sent only its request line (the server may
    already have closed it: then reading it tells so)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    try:
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
    except OSError:
        pass
    s.setblocking(False)
    return s


def trickle(sockets, line):
    """One more header line on every connection the server has not closed."""
    for s in sockets:
        try:
            s.send(line)
        except OSError:
            pass


def test_slow_clients_do_not_stop_the_others_and_are_closed_by_the_server(slow_server):
    port = slow_server.port
    base = slow_server.url
    assert requests.get(base + "/healthz", timeout=30).status_code == 200
    fds_before = helpers.open_fds(slow_server)

    slow = [slow_open(port, a) for a in SLOW_ADDRESSES for _ in range(PER_ADDRESS)]
    # One address asking for more than its share: the extra ones are closed.
    greedy = [slow_open(port, "127.0.2.1") for _ in range(PER_ADDRESS + 8)]
    try:
        answered = 0
        for i in range(60):
            # Keep the slow clients alive: a header line, well within the timeout.
            trickle(slow + greedy, f"X-Slow-{i}: {'a' * 8}\r\n".encode())
            for path in ("/healthz", "/readyz", "/api/v1/openapi.json"):
                r = requests.get(base + path, timeout=30)
                assert r.status_code == 200, (path, r.status_code)
                answered += 1
            if i % 10 == 0:
                time.sleep(0.5)
        assert answered == 180
        # Kept alive like the others, only what passed the address's limit was closed.
        assert sum(helpers.closed_by_server(s) for s in greedy) >= 8

        # Silence: the server closes every slow connection by itself.
        pending = list(slow)
        def all_closed():
            pending[:] = [s for s in pending if not helpers.closed_by_server(s)]
            return not pending
        wait_until("the server to close the silent connections", all_closed)
    finally:
        for s in slow + greedy:
            s.close()
    # The server still answers, and holds no descriptor of the slow clients.
    assert requests.get(base + "/healthz", timeout=30).status_code == 200
    wait_until("the descriptors to come back", lambda: helpers.open_fds(slow_server) <= fds_before + 2)


def test_short_soak_leaves_descriptors_flat(slow_server):
    """A few thousand requests over fresh and kept-alive connections, with
    errors answered along the way: no error, no descriptor kept."""
    base = slow_server.url
    fds_before = helpers.open_fds(slow_server)
    session = requests.Session()
    for i in range(400):
        assert session.get(base + "/healthz", timeout=30).status_code == 200
        assert session.get(base + "/api/v1/does-not-exist", timeout=30).status_code == 404
        assert requests.get(base + "/readyz", timeout=30).status_code == 200
        r = session.post(base + "/api/v1/auth/login", data=b"{", timeout=30,
                         headers={"Content-Type": "application/json"})
        assert r.status_code == 400
    session.close()
    wait_until("the descriptors to come back", lambda: helpers.open_fds(slow_server) <= fds_before + 2)
