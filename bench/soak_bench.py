#!/usr/bin/python3
"""Slow clients and a soak (issue 16), on the perf benchmark's data
(100,000 participants) and release build.

slow: 1,000 connections that send a request line and then one header line
      every few seconds, never finishing (slowloris), from 20 loopback
      addresses (50 each, within PORTAL_CONNECTIONS_PER_ADDRESS); wrk
      measures list page 1 at 32 connections without them and beside them,
      three rounds alternating. Budget: the p99 beside them within 2x of the
      p99 without (the median of the rounds' own ratios).
soak: N minutes (default 10) of mixed load at once: wrk on list page 1 and
      page 1,000 (4 connections each), wrk on salary changes (2
      connections), a sign-in (password) every two seconds and a full
      sign-in with TOTP every 35 s, an export of a 6,000-participant scheme
      built and downloaded every 10 s. The server's resident size and open
      descriptors are sampled every 10 s. Budget: no error anywhere, and
      the last minute's memory (the median of its samples) and descriptors
      within a small margin of the first minute's (flat).

The connection limit is raised for this run (PORTAL_CONNECTION_LIMIT=2048):
the default of 1,024 is below 1,000 slow connections and wrk's 32; both
limits and the idle timeout are documented in the README.

Usage: bench/run.sh builds the release binary; then
    PORTAL_BINARY=build-release/portal-api /usr/bin/python3 bench/soak_bench.py [--minutes N]
"""
import argparse
import os
import socket
import statistics
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import perf_bench  # noqa: E402
from perf_bench import Bench, log  # noqa: E402
from helpers import closed_by_server, open_fds  # noqa: E402

SLOW_CONNECTIONS = 1000
SLOW_ADDRESSES = [f"127.0.2.{i}" for i in range(1, 21)]  # 20 x 50
SLOW_EVERY_S = 5  # one header line per slow connection this often
P99_BUDGET = 2.0
ROUNDS = 3
# The last minute's median resident size over the first minute's. The
# median, not the peak: a sign-in's password hash holds 19 MiB for the
# 30-odd ms it runs, and a sample that lands in one says nothing of growth.
FLAT_RSS_KIB = 8 * 1024
FLAT_FDS = 8


def server_sample(server):
    """The server's resident size (KiB), open descriptors, and the resident
    size's two parts: anonymous memory (the heap, stacks) and file pages
    (mapped code and data of the binary and its libraries, KiB)."""
    pid = server.proc.pid
    return (common.proc_status(pid, "VmRSS"), open_fds(server), common.proc_status(pid, "RssAnon"),
            common.proc_status(pid, "RssFile"))


class SlowClients:
    """n connections that never finish their request: a request line, then
    a header line every SLOW_EVERY_S seconds, from a thread."""

    def __init__(self, port, n):
        self.socks = []
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=10,
                                         source_address=(SLOW_ADDRESSES[i % len(SLOW_ADDRESSES)], 0))
            s.sendall(b"GET /api/v1/participants HTTP/1.1\r\nHost: bench\r\n")
            s.setblocking(False)
            self.socks.append(s)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    def trickle(self):
        n = 0
        while not self.stop.wait(SLOW_EVERY_S / max(len(self.socks), 1) * 50):
            # 50 connections a step, so every one sends a line each SLOW_EVERY_S.
            for _ in range(50):
                if not self.socks:
                    return
                s = self.socks[n % len(self.socks)]
                n += 1
                try:
                    s.send(b"X-Slow: 1\r\n")
                except OSError:
                    pass

    def still_open(self):
        """How many the server has not closed."""
        return sum(not closed_by_server(s) for s in self.socks)

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.socks:
            s.close()


class Soak(Bench):
    def __init__(self, minutes):
        super().__init__()
        self.minutes = minutes

    extra_env = {"PORTAL_CONNECTION_LIMIT": "2048"}

    def measure_all(self, cluster, server):
        self.slow_part(server)
        self.soak_part(cluster, server)

    def list_wrk(self, server, seconds=perf_bench.SECONDS):
        return common.wrk(server.url + self.paths[0], "get.lua", connections=32, seconds=seconds,
                          env=self.env)

    def slow_part(self, server):
        log("slow clients")
        self.list_wrk(server, seconds=3)  # warm
        port = int(server.url.rsplit(":", 1)[1])
        rounds = []
        for r in range(ROUNDS):
            alone = self.list_wrk(server)
            slow = SlowClients(port, SLOW_CONNECTIONS)
            beside = self.list_wrk(server)
            open_now = slow.still_open()
            slow.close()
            # Until the server has seen them go: the next round's 50 per
            # address would otherwise meet PORTAL_CONNECTIONS_PER_ADDRESS
            # while this round's are still counted.
            deadline = time.time() + 15
            while open_fds(server) > SLOW_CONNECTIONS // 10 and time.time() < deadline:
                time.sleep(0.2)
            rounds.append((alone, beside, open_now))
            log(f"  round {r}: p99 alone {alone['p99']:.1f} ms, beside {SLOW_CONNECTIONS} slow"
                f" {beside['p99']:.1f} ms ({beside['rps']:.0f}/s, errors {beside['errors']});"
                f" slow ones still open {open_now}")
        self.slow_rounds = rounds

    def soak_part(self, cluster, server):
        log(f"soak: {self.minutes} min")
        # A fresh access token: the setup's would expire during the soak
        # (15 minutes), and wrk cannot sign in again.
        token = common.login(server.url, "werkgever.hr")
        env = dict(self.env, ACCESS_TOKEN=token)
        self.env = env
        seconds = int(self.minutes * 60)
        list_path, page_path, _, reserved = self.paths
        results, errors, counts = {}, [], {"sign-in": 0, "full sign-in": 0, "export": 0}
        stop = threading.Event()

        def wrk_job(name, path, script, conns, extra=None):
            results[name] = common.wrk(server.url + path, script, threads=1, connections=conns,
                                       seconds=seconds, env=dict(env, **(extra or {})))

        def sign_ins():
            http = requests.Session()
            last_full = time.time()
            while not stop.wait(2):
                r = http.post(server.url + "/api/v1/auth/login", json={
                    "username": "werkgever.hr", "password": "Demo-Werkgeversportaal-2026"})
                counts["sign-in"] += 1
                if r.status_code != 200:
                    errors.append(("sign-in", r.status_code))
                if time.time() - last_full > 35 and not stop.is_set():
                    try:
                        common.login(server.url, "werkgever.hr")
                        counts["full sign-in"] += 1
                    except requests.RequestException as e:
                        errors.append(("full sign-in", str(e)[:100]))
                    last_full = time.time()

        def exports():
            http = requests.Session()
            http.headers["Authorization"] = "Bearer " + token
            scheme = self.gen["scheme_ids"][3]  # 6,000 participants
            while not stop.wait(10):
                r = http.post(server.url + "/api/v1/exports", json={
                    "scheme_ids": [scheme], "as_of": self.today, "format": "csv"})
                if r.status_code != 202:
                    errors.append(("export", r.status_code))
                    continue
                eid = r.json()["id"]
                # An export asked for just before the end is still waited
                # for (within a minute): it must finish like any other.
                deadline = time.time() + 60
                while time.time() < deadline:
                    e = http.get(server.url + f"/api/v1/exports/{eid}").json()
                    if e["status"] != "pending":
                        break
                    time.sleep(0.2)
                if e.get("status") != "ready":
                    errors.append(("export", e.get("status")))
                    continue
                with http.get(server.url + f"/api/v1/exports/{eid}/file", stream=True) as f:
                    for _ in f.iter_content(1 << 16):
                        pass
                    if f.status_code != 200:
                        errors.append(("export file", f.status_code))
                counts["export"] += 1

        samples = []

        def sampler():
            t0 = time.time()
            while True:
                samples.append((time.time() - t0,) + server_sample(server))
                if stop.wait(10):
                    break

        jobs = [threading.Thread(target=wrk_job, args=("list page 1", list_path, "get.lua", 4)),
                threading.Thread(target=wrk_job, args=(f"list page {perf_bench.PAGE}", page_path,
                                                       "get.lua", 4)),
                threading.Thread(target=wrk_job, args=("salary change",
                                                       "/api/v1/participants/x/changes",
                                                       "salary_change.lua", 2,
                                                       {"IDS_FILE": reserved}))]
        side = [threading.Thread(target=f) for f in (sign_ins, exports, sampler)]
        for t in jobs + side:
            t.start()
        for t in jobs:
            t.join()
        stop.set()
        for t in side:
            t.join()
        self.soak = {"results": results, "errors": errors, "counts": counts, "samples": samples}

    def report(self, load_start):
        print()
        print(f"machine: {common.machine()}; portal-api release build; data:"
              f" {self.gen['participants']:,} participants; load average at start"
              f" {load_start:.2f}; total run {self.total:.0f} s")
        ratios = [b["p99"] / a["p99"] for a, b, _ in self.slow_rounds if a["p99"]]
        ratio = statistics.median_high(ratios) if ratios else 99
        errs = sum(b["errors"] for _, b, _ in self.slow_rounds)
        print(f"slow clients: {SLOW_CONNECTIONS:,} connections from {len(SLOW_ADDRESSES)} addresses,"
              f" a header line each every {SLOW_EVERY_S} s; list page 1 at 32 connections:")
        for i, (a, b, alive) in enumerate(self.slow_rounds):
            print(f"  round {i}: alone {a['rps']:,.0f}/s p99 {a['p99']:.1f} ms; beside them"
                  f" {b['rps']:,.0f}/s p99 {b['p99']:.1f} ms (x{b['p99'] / a['p99']:.2f}),"
                  f" errors {b['errors']}; slow connections still open {alive:,}")
        print(f"  p99 beside them / alone: {ratio:.2f} (budget <= {P99_BUDGET}), errors {errs}:"
              f" {'pass' if ratio <= P99_BUDGET and errs == 0 else 'FAIL'}")
        s = self.soak
        samples = s["samples"]
        first = [x for x in samples if x[0] < 60] or samples[:1]
        last = [x for x in samples if x[0] >= samples[-1][0] - 60] or samples[-1:]
        rss_first = statistics.median_high(x[1] for x in first)
        rss_last = statistics.median_high(x[1] for x in last)
        rss_growth = rss_last - rss_first
        fd_growth = max(x[2] for x in last) - max(x[2] for x in first)
        wrk_errors = sum(r["errors"] for r in s["results"].values())
        ok = (not s["errors"] and wrk_errors == 0 and rss_growth <= FLAT_RSS_KIB
              and fd_growth <= FLAT_FDS)
        print(f"soak: {self.minutes:g} min of mixed load at once:")
        for name, r in s["results"].items():
            print(f"  {name}: {r.get('count', 0):,} requests, {r['rps']:,.0f}/s, p99"
                  f" {r['p99'] or 0:.1f} ms, errors {r['errors']}")
        c = s["counts"]
        print(f"  sign-ins (password) {c['sign-in']:,}, full sign-ins with TOTP"
              f" {c['full sign-in']:,}, exports built and downloaded {c['export']:,};"
              f" errors {len(s['errors'])} {s['errors'][:5]}")
        print("  server every 10 s (minute: RSS MiB / open descriptors): " + ", ".join(
            f"{x[0] / 60:.0f}: {x[1] / 1024:.1f}/{x[2]}" for x in samples[::6]))
        print("  of the RSS (minute: anonymous / file pages, MiB): " + ", ".join(
            f"{x[0] / 60:.0f}: {x[3] / 1024:.1f}/{x[4] / 1024:.1f}" for x in samples[::6]))
        print(f"  first minute's median -> last minute's median: RSS {rss_first / 1024:.1f}"
              f" -> {rss_last / 1024:.1f} MiB (budget +{FLAT_RSS_KIB // 1024} MiB; peaks"
              f" {max(x[1] for x in first) / 1024:.1f} -> {max(x[1] for x in last) / 1024:.1f}),"
              f" descriptors {max(x[2] for x in first)} -> {max(x[2] for x in last)} (budget"
              f" +{FLAT_FDS}): {'pass' if ok else 'FAIL'}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    Soak(ap.parse_args().minutes).main()
