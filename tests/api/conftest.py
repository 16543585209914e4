"""Fixtures for the API tests: a throwaway PostgreSQL cluster, a real SMTP
sink and the real portal-api binary, all started once per test session and
torn down afterwards.

Run with /usr/bin/python3 -m pytest tests/api (Debian's interpreter, which has
requests, pyotp, openpyxl and aiosmtpd).
"""
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from email import message_from_bytes, policy

import pytest
import requests
from aiosmtpd.controller import Controller

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("PORTAL_BINARY", os.path.join(ROOT, "build", "portal-api"))
SANITIZER_MARKERS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found[-1]


def as_postgres(cmd):
    """initdb and pg_ctl refuse to run as root: run them as postgres then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + cmd
    return cmd


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] ([^:]*): "
                      r"([A-Z]+):  (.*)$")
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")


def parse_statement_log(text):
    """The statements portal-api sent, in order, from PostgreSQL's log (lines
    prefixed '%m [%p] %a: '): dicts pid, sql, params ({n: text or None})."""
    entries, last = [], None
    for line in text.split("\n"):
        m = LOG_LINE.match(line)
        if not m:
            if last is not None and line.startswith("\t"):
                last["sql"] += "\n" + line[1:]
            continue
        pid, app, level, msg = m.groups()
        if level == "LOG":
            s = re.match(r"(?:execute [^:]+|statement): (.*)$", msg, re.S)
            last = None
            if s and app == "portal-api":
                last = {"pid": int(pid), "sql": s.group(1), "params": {}}
                entries.append(last)
        elif level == "DETAIL" and last is not None and msg.startswith("parameters: "):
            for p in PARAM.finditer(msg):
                last["params"][int(p.group(1))] = \
                    None if p.group(2) == "NULL" else p.group(3).replace("''", "'")
        else:
            last = None
    return entries


class Cluster:
    def __init__(self):
        self.make_dirs("portal-pg-")
        subprocess.run(as_postgres([pg_bin("initdb"), "-D", self.data, "-A", "trust",
                                    "-U", "postgres", "-E", "UTF8", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.start()
        subprocess.run(as_postgres([pg_bin("createdb"), "-h", self.sock, "-p", str(self.port),
                                    "-U", "postgres", "portal"]), check=True)

    def make_dirs(self, prefix):
        """A fresh folder for the data and the socket, owned by postgres, and
        a free port."""
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "run")
        self.port = free_port()
        os.makedirs(self.sock)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.sock, "postgres")
            os.chmod(self.dir, 0o755)

    @property
    def url(self):
        return f"postgresql://postgres@/portal?host={self.sock}&port={self.port}"

    def start(self):
        opts = f"-k {self.sock} -p {self.port} -c listen_addresses='' -c fsync=off " \
               f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", self.data, "-o", opts, "-w",
                                    "-l", os.path.join(self.dir, "log"), "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self):
        subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", self.data, "-m", "fast", "-w", "stop"]),
                       check=True, stdout=subprocess.DEVNULL)

    def psql(self, sql, *args):
        """Runs SQL with psql; returns stdout (unaligned, tuples only)."""
        cmd = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.sock,
               "-p", str(self.port), "-U", "postgres", "-d", "portal", "-c", sql]
        for i, a in enumerate(args, 1):
            cmd[1:1] = ["-v", f"p{i}={a}"]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        return out.stdout.strip()

    def statements_during(self, action):
        """Runs action with every statement logged; returns the statements
        portal-api sent meanwhile, in order (see parse_statement_log)."""
        path = os.path.join(self.dir, "log")
        self.psql("ALTER SYSTEM SET log_statement = 'all'")
        self.psql("ALTER SYSTEM SET log_line_prefix = '%m [%p] %a: '")
        self.psql("SELECT pg_reload_conf()")
        time.sleep(0.3)
        start = os.path.getsize(path)
        try:
            action()
            time.sleep(0.3)
        finally:
            self.psql("ALTER SYSTEM RESET log_statement")
            self.psql("SELECT pg_reload_conf()")
        with open(path, errors="replace") as f:
            f.seek(start)
            return parse_statement_log(f.read())

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class MailSink:
    """A real SMTP server (aiosmtpd) that keeps every message it receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Condition()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.content, policy=policy.default)
                with sink.lock:
                    sink.messages.append({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                                          "message": msg, "raw": envelope.content})
                    sink.lock.notify_all()
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait_for(self, predicate, timeout=15):
        deadline = time.time() + timeout
        with self.lock:
            while True:
                for m in self.messages:
                    if predicate(m):
                        return m
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError("no matching mail arrived in time")
                self.lock.wait(left)

    def stop(self):
        self.controller.stop()


class SmsSink:
    """A stand-in SMS gateway: an HTTP server keeping every JSON it receives."""

    def __init__(self):
        import json
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        self.messages = []
        self.lock = threading.Condition()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with sink.lock:
                    sink.messages.append(json.loads(body))
                    sink.lock.notify_all()
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, predicate, timeout=15):
        deadline = time.time() + timeout
        with self.lock:
            while True:
                for m in self.messages:
                    if predicate(m):
                        return m
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError("no matching SMS arrived in time")
                self.lock.wait(left)

    def stop(self):
        self.httpd.shutdown()


SMS = SmsSink()


class Server:
    def __init__(self, cluster, sink, extra_env=None):
        self.dir = tempfile.mkdtemp(prefix="portal-api-")
        self.port = free_port()
        self.frontend = os.path.join(self.dir, "frontend")
        os.makedirs(os.path.join(self.frontend, "assets"))
        with open(os.path.join(self.frontend, "index.html"), "w") as f:
            f.write("<!doctype html><title>Werkgeversportaal</title><div id=app></div>")
        with open(os.path.join(self.frontend, "assets", "app-1234.js"), "w") as f:
            f.write("console.log('app');")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PORTAL_ENV": "development",
            "PORTAL_DATABASE_URL": cluster.url,
            "PORTAL_PORT": str(self.port),
            "PORTAL_BIND_ADDRESS": "127.0.0.1",
            "PORTAL_PUBLIC_URL": f"http://localhost:{self.port}",
            "PORTAL_SMTP_URL": f"smtp://127.0.0.1:{sink.port}",
            "PORTAL_SMS_URL": f"http://127.0.0.1:{SMS.port}/sms",
            "PORTAL_JWT_PRIVATE_KEY_FILE": os.path.join(self.dir, "jwt.pem"),
            "PORTAL_FRONTEND_DIR": self.frontend,
            "PORTAL_SHARE_DIR": ROOT,
            "PORTAL_HTTP_THREADS": "8",
            "PORTAL_WORKERS": "2",
            "PORTAL_TRUSTED_PROXIES": "127.0.0.2",
            "PORTAL_LOG_LEVEL": "info",
            "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86",
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
            # No reconciliation reminders from the workers' housekeeping, whose
            # timing no test controls: tests that want them pass the days to
            # `portal-api maintenance` themselves.
            "PORTAL_RECONCILIATION_REMINDER_DAYS": "none",
            # A test server's stop need not wait for the test's own kept-alive
            # client connections: the drain itself is tested where it matters
            # (test_drain.py, the rolling restart behind nginx).
            "PORTAL_DRAIN_SECONDS": "1",
        }
        self.env.update(extra_env or {})
        self.log_path = os.path.join(self.dir, "server.log")
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([BINARY, "serve"], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("portal-api exited at start:\n" + self.read_log())
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("portal-api did not start:\n" + self.read_log())

    def stop(self):
        """SIGTERM, then the exit code must be 0 and the log sanitizer-clean."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self.log.close()
        return code

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def request_line_of(self, request_id, timeout=5):
        """The request log line (event=request) of request_id, waiting up
        to `timeout` seconds for it: it is written after the answer, and
        after any other line the request logged. None when none came."""
        deadline = time.time() + timeout
        while True:
            for line in self.read_log().splitlines():
                if "event=request " in line and f"request_id={request_id} " in line:
                    return line
            if time.time() >= deadline:
                return None
            time.sleep(0.05)

    def sanitizer_reports(self):
        text = self.read_log()
        return [m for m in SANITIZER_MARKERS if m in text]


@pytest.fixture(scope="session")
def cluster():
    c = Cluster()
    yield c
    c.destroy()


@pytest.fixture(scope="session")
def mail():
    sink = MailSink()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def sms():
    return SMS


@pytest.fixture(scope="session")
def server(cluster, mail):
    s = Server(cluster, mail)
    yield s
    code = s.stop()
    reports = s.sanitizer_reports()
    shutil.copy(s.log_path, os.path.join(tempfile.gettempdir(), "portal-api-last.log"))
    shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports, f"sanitizer reported {reports}; see /tmp/portal-api-last.log"
    assert code == 0, f"portal-api exited with {code} on SIGTERM"


class Api:
    """requests with the server's base URL and no surprises (no redirects)."""

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()

    def request(self, method, path, **kw):
        kw.setdefault("timeout", 30)
        kw.setdefault("allow_redirects", False)
        return self.session.request(method, self.base + path, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


@pytest.fixture(scope="session")
def api(server):
    return Api(server.url)
