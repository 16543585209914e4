"""Shared set-up for the benchmarks: a throwaway PostgreSQL cluster and the
real portal-api binary (release build), reusing the API tests' fixtures, and
wrk runs parsed into numbers."""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
os.environ.setdefault("PORTAL_BINARY", os.path.join(ROOT, "build", "portal-api"))

from conftest import Cluster, MailSink, Server  # noqa: E402


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
