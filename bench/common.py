"""Shared set-up for the benchmarks: a throwaway PostgreSQL cluster and the
real portal-api binary (release build), reusing the API tests' fixtures, and
wrk runs parsed into numbers."""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
os.environ.setdefault("PORTAL_BINARY", os.path.join(ROOT, "build", "portal-api"))

from conftest import Cluster, MailSink, Server, pg_bin  # noqa: E402,F401


def start(extra_env=None):
    cluster = Cluster()
    mail = MailSink()
    env = {"PORTAL_LOG_LEVEL": "warning", "PORTAL_WORKERS": "1"}
    env.update(extra_env or {})
    server = Server(cluster, mail, env)
    return cluster, mail, server


def stop(cluster, mail, server):
    server.stop()
    mail.stop()
    cluster.destroy()


def wrk(url, script=None, threads=2, connections=32, seconds=10, env=None):
    """Runs wrk with latency stats; returns dict rps, p50, p99 (ms), errors."""
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", os.path.join(ROOT, "bench", script)]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **(env or {}))).stdout
    return parse_wrk(out)


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out):
    result = {"rps": 0.0, "p50": None, "p99": None, "errors": 0, "raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        result["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        result["count"] = int(m.group(1))
    for pct, key in (("50", "p50"), ("99", "p99")):
        m = re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+)(us|ms|s)\b", out)
        if m:
            result[key] = _ms(m.group(1), m.group(2))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if m:
        result["errors"] += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        result["errors"] += sum(int(x) for x in m.groups())
    return result


def machine():
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores, {cpu}"


_totp_secrets = {}  # (base, username) -> the secret enrolled at the first login
_totp_steps = {}  # (base, username) -> the 30-second step of the last code sent


def login(base, username, password="Demo-Werkgeversportaal-2026"):
    """Signs in a demo user, enrolling TOTP at the first login (and reusing
    that secret at later ones, at least 30 s apart); returns the access
    token."""
    import pyotp
    import requests
    r = requests.post(base + "/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    body = r.json()
    secret = (body.get("totp") or {}).get("secret") or _totp_secrets.get((base, username))
    if not secret:
        raise RuntimeError(f"{username} has enrolled TOTP already; sign in on a fresh database")
    _totp_secrets[(base, username)] = secret
    # A code counts once (replay protection): a later sign-in waits for the next one.
    step = int(time.time()) // 30
    if _totp_steps.get((base, username), -1) >= step:
        time.sleep((step + 1) * 30 - time.time() + 0.5)
    _totp_steps[(base, username)] = int(time.time()) // 30
    r = requests.post(base + "/api/v1/auth/mfa", json={
        "mfa_token": body["mfa_token"], "code": pyotp.TOTP(secret).now()})
    r.raise_for_status()
    return r.json()["access_token"]


def settle(cluster, limit=120):
    """Writes out what loading left dirty (CHECKPOINT) and waits, at most
    `limit` seconds, until no autovacuum worker runs: right after a load the
    checkpointer and autovacuum would otherwise run beside the measurement,
    and their CPU counts as PostgreSQL's. A server that has run for a while
    has neither. Returns the seconds it took."""
    t = time.time()
    cluster.psql("CHECKPOINT")
    deadline = t + limit
    while time.time() < deadline and cluster.psql(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'autovacuum worker'") != "0":
        time.sleep(1)
    return time.time() - t


# The least a collective change or a payroll period must write: every
# applied row recorded as a change in the participant's history (the
# periods, the audit event and the batch's or period's own rows come on
# top), set-based in one statement, in a transaction that is rolled back.
# {source} yields participant_id, scheme_id and salary per row.
LEAST_CHANGE_ROWS = """
INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,
       registered_by_kind, registered_by_label, status, payload)
SELECT s.participant_id, s.scheme_id, 'salary_change', current_date, 'batch', 'bench',
       'processed', jsonb_build_object('salary', s.salary)
  FROM ({source}) s"""

# No foreign key and no index but the primary key and the sequence number:
# what is left is writing the rows themselves.
BARE_CHANGES_TABLE = """
ALTER TABLE participant_changes DROP CONSTRAINT participant_changes_participant_id_fkey,
      DROP CONSTRAINT participant_changes_scheme_id_fkey;
DROP INDEX participant_changes_history, participant_changes_scheme, participant_changes_pending;"""


def least_change_rows(cluster, source, bare):
    """Wall seconds of LEAST_CHANGE_ROWS over `source` (after
    BARE_CHANGES_TABLE when bare), timed as a COPY floor is (one psql run),
    rolled back."""
    sql = ("BEGIN;" + (BARE_CHANGES_TABLE if bare else "")
           + LEAST_CHANGE_ROWS.format(source=source) + "; ROLLBACK;")
    t0 = time.time()
    cluster.psql(sql)
    return time.time() - t0


def print_least_writes(cluster, floor, n, source):
    """Prints what no implementation goes below: the n change rows alone,
    as the schema has them and bare, against the COPY floor (seconds)."""
    for bare, label in ((False, "as the schema has them (four indexes, two foreign keys)"),
                        (True, "without foreign keys and secondary indexes")):
        t = least_change_rows(cluster, source, bare)
        print(f"least writes: {n:,} change rows {label}, one INSERT ... SELECT from the"
              f" COPY's table, rolled back: {t:.2f} s = {t / floor:.1f}x COPY")


def load():
    """The 1-minute load average (what uptime shows first)."""
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def proc_status(pid, key):
    """A /proc/<pid>/status value in KiB (VmHWM, VmRSS), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class CpuWatch:
    """How much CPU went to processes other than ours (the server, the
    PostgreSQL cluster with all its backends, this script and the load tools
    it ran) while a measurement ran: another engineer's compiler, say. Our
    share: the server process, the postmaster with its live children and the
    children it reaped, and our own children once waited for."""

    HZ = os.sysconf("SC_CLK_TCK")

    def __init__(self, server_pid, postmaster_pid):
        self.server_pid = server_pid
        self.postmaster = postmaster_pid

    @staticmethod
    def _stat(pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                rest = f.read().rsplit(")", 1)[1].split()
            return int(rest[1]), [int(x) for x in rest[11:15]]  # ppid, utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            return None, [0, 0, 0, 0]

    def _ours(self):
        """CPU seconds so far: (server, PostgreSQL, this script and its
        tools), and how many children the postmaster has."""
        server = sum(self._stat(self.server_pid)[1][:2])
        pg = sum(self._stat(self.postmaster)[1])
        children = 0
        for name in os.listdir("/proc"):
            if name.isdigit():
                ppid, t = self._stat(int(name))
                if ppid == self.postmaster:
                    pg += t[0] + t[1]
                    children += 1
        me = os.times()
        return (server / self.HZ, pg / self.HZ,
                me.user + me.system + me.children_user + me.children_system), children

    @staticmethod
    def _busy():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CpuWatch.HZ

    def start(self):
        self.ours0, self.children0 = self._ours()
        self.t0, self.busy0 = time.time(), self._busy()
        self.load0 = load()

    def stop(self):
        """Returns (load average at the start, % of all cores busy with other
        work); leaves the CPU seconds of each part in server, pg and tools."""
        # Backends of a client that just disconnected count once the
        # postmaster has reaped them (their time moves to its cutime).
        ours, children = self._ours()
        for _ in range(50):
            if children <= self.children0:
                break
            time.sleep(0.02)
            ours, children = self._ours()
        wall = time.time() - self.t0
        self.server, self.pg, self.tools = (b - a for a, b in zip(self.ours0, ours))
        other = (self._busy() - self.busy0) - (self.server + self.pg + self.tools)
        return self.load0, max(0.0, 100.0 * other / (wall * os.cpu_count()))
