"""The API behind the real nginx configuration (deploy/nginx.conf), run
with Debian's nginx on loopback: a client cannot choose its own address by
sending a long X-Forwarded-For, HTTPS carries HSTS on the API and the web
app, and plain HTTP only redirects. Also the API's own limit of open
connections per client address (PORTAL_CONNECTIONS_PER_ADDRESS)."""
import re
import shutil
import socket
import time

import pyotp
import pytest
import requests

from conftest import Api, Server
from helpers import PASSWORD, enrol, new_staff, rewind_totp
from nginx_helpers import Nginx


@pytest.fixture(scope="module")
def nginx(server):
    proxy = Nginx([server.port])
    yield proxy.info()
    proxy.stop()


def get(nginx, path, **kw):
    """GET through nginx over HTTPS; localhost resolves to 127.0.0.1."""
    return requests.get(nginx["https"] + path, verify=nginx["ca"], timeout=30,
                        allow_redirects=False, **kw)


def client_logged(server, request_id):
    """The client address of request_id's request line."""
    line = server.request_line_of(request_id)
    assert line, f"no request line for {request_id}"
    return re.search(r"client=(\S+)", line).group(1)


def spoof_header(length):
    """Addresses of the client's choosing, ending in 6.6.6.6, exactly
    `length` characters (filler at the left, where it changes nothing)."""
    body = "6.6.6.6"
    if length <= len(body):
        return body
    while len(body) + 9 + 3 <= length:
        body = "1.2.3.4, " + body
    return "x" * (length - len(body) - 2) + ", " + body


@pytest.mark.parametrize("length", [7, 500, 1022, 1023, 1024, 2000, 6000])
def test_a_long_forwarded_for_cannot_choose_the_client_address(nginx, server, length):
    r = get(nginx, "/healthz", headers={"X-Forwarded-For": spoof_header(length)})
    assert r.status_code == 200, r.text
    # nginx appended the address it saw (127.0.0.1); that is the client.
    assert client_logged(server, r.headers["X-Request-Id"]) == "127.0.0.1"


def test_without_forwarded_for_the_proxy_peer_is_the_client(nginx, server):
    r = get(nginx, "/healthz")
    assert client_logged(server, r.headers["X-Request-Id"]) == "127.0.0.1"


def test_https_sends_hsts_on_the_api_and_the_app(nginx):
    for path in ("/healthz", "/api/v1/nothing-here", "/", "/some/page"):
        r = get(nginx, path)
        hsts = r.headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=31536000"), (path, r.headers)
        assert "," not in hsts, f"HSTS sent twice on {path}: {hsts}"


def test_plain_http_only_redirects(nginx):
    r = requests.get(nginx["http"] + "/api/v1/me", timeout=30, allow_redirects=False)
    assert r.status_code == 301
    assert r.headers["Location"].startswith("https://") and r.headers["Location"].endswith("/api/v1/me")


def test_metrics_are_not_served_through_nginx(nginx, server):
    direct = requests.get(server.url + "/metrics", timeout=30)
    assert direct.status_code == 200
    assert "portal_http_requests_total" in direct.text
    for path in ("/metrics", "/metrics/", "/metrics?x=1", "/api/../metrics", "/%6detrics"):
        r = get(nginx, path)
        assert r.status_code == 404, (path, r.status_code)
        assert "portal_http_requests_total" not in r.text, path


# --- the API's own per-address connection limit -----------------------------

@pytest.fixture(scope="module")
def limited(cluster, mail):
    s = Server(cluster, mail, {"PORTAL_CONNECTIONS_PER_ADDRESS": "3", "PORTAL_WORKERS": "0"})
    yield s
    code = s.stop()
    reports = s.sanitizer_reports()
    shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports and code == 0


def open_partial(port, source="127.0.0.1"):
    """A connection from source with an unfinished request, kept open."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    return s


def healthz(port, source="127.0.0.1"):
    """The status line of GET /healthz, or None when the server hung up."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = s.recv(64)
        s.close()
    except (ConnectionResetError, BrokenPipeError):
        return None
    return data.split(b"\r\n")[0] if data else None


def test_connections_per_address_are_limited(limited):
    port = limited.port
    held = [open_partial(port) for _ in range(3)]
    try:
        # The server's worker threads register new connections each on its
        # own; a request sent at once may be counted before the last held one
        # is. Once the three are counted, a fourth is refused.
        deadline = time.time() + 10
        while healthz(port) is not None:
            assert time.time() < deadline, "a fourth connection from the address was served"
            time.sleep(0.05)
        # another address is not affected
        assert healthz(port, "127.0.0.3") == b"HTTP/1.1 200 OK"
    finally:
        for s in held:
            s.close()
    deadline = time.time() + 30
    while healthz(port) is None:
        assert time.time() < deadline, "the address stayed blocked after its connections closed"
        time.sleep(0.1)


# --- an https public URL: Secure cookies and HSTS from the API itself --------

def test_https_public_url_makes_session_cookies_secure(cluster, mail, server):
    # s runs no workers: the session server's deliver its mail (same database).
    s = Server(cluster, mail, {"PORTAL_PUBLIC_URL": "https://portal.example", "PORTAL_WORKERS": "0"})
    try:
        api = Api(s.url)
        username, _ = new_staff(api, mail, s, prefix="https")
        secret, _ = enrol(api, username)
        rewind_totp(cluster, username)
        r = api.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        r = api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"],
                                               "code": pyotp.TOTP(secret).now(), "session": "cookie"})
        assert r.status_code == 200, r.text
        cookies = r.raw.headers.getlist("Set-Cookie")
        for name in ("portal_refresh=", "portal_csrf="):
            cookie = [c for c in cookies if c.startswith(name)][0]
            assert "Secure" in cookie, cookie
        assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        code = s.stop()
        reports = s.sanitizer_reports()
        shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports and code == 0
