#!/usr/bin/python3
"""The performance budget (issue 6, DESIGN.md §6), measured against its floor.

Starts a throwaway cluster and the release binary (as auth_bench.py does),
seeds the demo employer, signs in as its hr user, generates 100,000
participants in 10 schemes of that employer (generate.py, COPY), checks the
data through the API, and measures with wrk at 32 connections:

  GET /healthz                 the HTTP ceiling (no database)
  GET /api/v1/me               floor: pgbench on the statements the server runs
  participant list, page 1     floor: pgbench on the same statements
  participant list, page 1,000 floor: pgbench; and no slower than page 1
  participant detail           floor: pgbench on the same statements
  salary change                floor: pgbench on the same statements, one transaction
  export of ~100,000 rows      floor: psql \\copy of the same query to /dev/null

The floors run exactly the SQL the server sends: the benchmark switches
log_statement=all on for one request of each kind, reads the statements and
their parameters back from the server log and writes pgbench scripts from
them (-M prepared, -c 32 -j 2, the same parameter values; the participant id
drawn at random as md5('p' || n)::uuid, how generate.py makes them). Each
scenario runs right beside its floor; CPU used by anything else on the
machine is measured during every run and a disturbed pair is run again.

Usage: /usr/bin/python3 bench/perf_bench.py   (bench/run.sh perf builds the
release binary first). BENCH_SECONDS (default 10) sets each run's length,
BENCH_PARTICIPANTS (default 100000) the data size, BENCH_ROUNDS (default 3)
how many rounds the two list pages get: each round runs page 1, its
pgbench floor and pgbench at the pool size, then the same for page 1,000
(every other round the floors first, so that a drifting machine does not
always favour the same side), and each figure is the median over the
rounds (one 10-second run and one 5-second pgbench run moved by a third on
this machine, so a single round settled no list budget either way; and
page 1,000 is judged against page 1, so both see the same minutes). The
list's throughput budget against pgbench at the pool size comes from
BENCH_PAIRS (default 10) close pairs instead: 3-second runs of the server
and of pgbench right after each other, the median of their ratios (see
Bench.close_pairs). Before measuring, the load is written out
(CHECKPOINT) and autovacuum let finish, as on a server that has run for a
while.
"""
import datetime as dt
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from zoneinfo import ZoneInfo

import requests

import common
import generate

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "100000"))
CONNECTIONS = 32
DISTURBED = 15.0  # % of all cores busy with other work: run the pair again
MAX_RERUNS = 2
QUIET_WAIT = 30  # seconds the whole run may wait for other work to calm down
WARMUP = 1.0  # seconds of each pgbench run left out
PAGE = int(os.environ.get("BENCH_PAGE", "1000"))
ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "3")))
# The list's throughput against pgbench at the pool size is judged from
# close pairs: PAIRS short runs of each, one right after the other.
PAIRS = max(2, int(os.environ.get("BENCH_PAIRS", "10")))
PAIR_SECONDS = 3

# Issue 16's list budgets: throughput at least 0.8x pgbench's at the server's
# own database concurrency; at 32 connections a p99 within 1.5x of
# pgbench's on the same SQL at the same concurrency; paced at half the
# saturated rate, a p99 under 10 ms.
BUDGET_LIST_POOL_RATIO, BUDGET_LIST_P99_RATIO, BUDGET_LIST_PACED_P99 = 0.80, 1.5, 10.0
BUDGET_CHANGE_RATIO = 0.70
BUDGET_EXPORT_RATIO = 1.5
BUDGET_PAGE_SLOWER = 0.90  # page 1,000 at least this share of page 1's rate (run-to-run noise)
BUDGET_MEMORY_KIB = 8 * 1024  # peak RSS growth over an export: flat


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- the statements the server runs -----------------------------------------

def capture(cluster, action):
    """Runs action (one HTTP request) with every statement logged; returns
    the statements of the connection that served it."""
    entries = cluster.statements_during(action)
    pids = [e["pid"] for e in entries if "FROM sessions" in e["sql"]]
    if not pids:
        busy = [e["pid"] for e in entries if "jobs" not in e["sql"]]
        pids = [max(set(busy), key=busy.count)] if busy else []
    if not pids:
        raise RuntimeError("no statements captured")
    return [e for e in entries if e["pid"] == pids[0]]


def colon_safe(sql):
    """pgbench -M prepared takes every :name as a variable, inside string
    literals too ('HH24:MI:SS'): such literals become E'' strings with \\x3a,
    the same constant for PostgreSQL."""
    out, i, n = [], 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch == "'":
            j, buf = i + 1, []
            while True:
                if sql[j] == "'":
                    if j + 1 < n and sql[j + 1] == "'":
                        buf.append("'")
                        j += 2
                        continue
                    break
                buf.append(sql[j])
                j += 1
            lit = "".join(buf)
            e_string = i > 0 and sql[i - 1] in "eE" and (i < 2 or not (sql[i - 2].isalnum() or sql[i - 2] == "_"))
            if ":" not in lit:
                out.append(sql[i:j + 1])
            elif e_string:
                out.append(sql[i:j + 1].replace(":", "\\x3a"))
            else:
                out.append("E'" + lit.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\x3a")
                           + "'")
            i = j + 1
        elif ch == '"':
            j = sql.index('"', i + 1)
            out.append(sql[i:j + 1])
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def pgbench_script(entries, tag, defines, participant=None, n_max=None):
    """A pgbench script running the captured statements with the captured
    values (as pgbench variables, so -M prepared binds them as the server
    does; NULL as NULLIF(:nul, 'NULL')). The participant's id, where given,
    becomes md5('p' || :n) for a random n in 1..n_max."""
    lines = [f"\\set n random(1, {n_max})"] if participant else []
    defines["nul"] = "NULL"
    piped = 0
    for i, e in enumerate(entries):
        # The server sends its generic-plan settings and the statement they
        # are for in one pipeline (one implicit transaction), after the
        # session check of a read when it goes along: so does pgbench.
        if e["sql"].startswith("SELECT CASE WHEN EXISTS (SELECT 1 FROM sessions"):
            lines.append("\\startpipeline")
            piped = 2
        elif e["sql"].startswith("SELECT set_config('plan_cache_mode'"):
            if piped:
                piped += 1
            else:
                lines.append("\\startpipeline")
                piped = 2
        def param(m, i=i, e=e):
            k = int(m.group(1))
            v = e["params"].get(k)
            if v is None:
                return "NULLIF(:nul, 'NULL')"
            if participant is not None and v == participant:
                return "md5('p' || :n::text)"
            name = f"{tag}{i}_{k}"
            defines[name] = v
            return ":" + name
        lines.append(re.sub(r"\$(\d+)", param, colon_safe(e["sql"])) + ";")
        if piped:
            piped -= 1
            if not piped:
                lines.append("\\endpipeline")
    return "\n".join(lines) + "\n"


# ---- load generators ------------------------------------------------------------


def percentile(sorted_values, pct):
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, max(0, int(round(pct / 100.0 * len(sorted_values))) - 1))
    return sorted_values[k]


def pgbench(cluster, script, defines, seconds=SECONDS, connections=CONNECTIONS):
    """pgbench -M prepared -c 32 -j 2 on the script; rps (tps), p50/p99 ms
    from the per-transaction log, errors."""
    d = tempfile.mkdtemp(prefix="portal-pgbench-")
    path = os.path.join(d, "script.sql")
    with open(path, "w") as f:
        f.write(script)
    cmd = [common.pg_bin("pgbench"), "-n", "-M", "prepared", "-c", str(connections), "-j", "2",
           "-T", str(seconds), "-l", "--log-prefix", os.path.join(d, "tx"), "-h", cluster.sock,
           "-p", str(cluster.port), "-U", "postgres", "-f", path]
    for k, v in defines.items():
        cmd += ["-D", f"{k}={v}"]
    cmd.append("portal")
    out = subprocess.run(cmd, capture_output=True, text=True)
    text = out.stdout + out.stderr
    result = {"rps": 0.0, "p50": None, "p99": None, "errors": 0, "raw": text}
    m = re.search(r"tps = ([\d.]+) \(without initial connection time\)", text)
    if m:
        result["rps"] = float(m.group(1))
    m = re.search(r"number of transactions actually processed: (\d+)", text)
    if m:
        result["count"] = int(m.group(1))
    m = re.search(r"number of failed transactions: (\d+)", text)
    if m:
        result["errors"] += int(m.group(1))
    if "aborted" in text or out.returncode != 0:
        result["errors"] += 1
        log(text[-2000:])
    # Steady state: the first second of fresh backends (catalogue caches,
    # statements prepared, first plans) is left out; the server's pool
    # connections are warm by the time it is measured.
    txs = []
    for name in glob.glob(os.path.join(d, "tx*")):
        with open(name) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and parts[2].isdigit():
                    txs.append((int(parts[4]) + int(parts[5]) / 1e6, int(parts[2]) / 1000.0))
    if txs:
        start, end = min(t for t, _ in txs), max(t for t, _ in txs)
        cut = start + WARMUP if end - start > 2 * WARMUP else start
        lat = sorted(l for t, l in txs if t >= cut)
        if end > cut:
            result["rps"] = len(lat) / (end - cut)
        result["p50"], result["p99"] = percentile(lat, 50), percentile(lat, 99)
    subprocess.run(["rm", "-rf", d])
    return result


# ---- the benchmark ------------------------------------------------------------


def round_ratio(a, b, key, missing=0.0):
    """The median over the rounds of a's figure over b's in the same round
    (key: round_rps or round_p99, as pairs() keeps them in round order);
    `missing` when a figure is absent or zero."""
    xs, ys = a.get(key) or [], b.get(key) or []
    ratios = sorted((x or 0) / y for x, y in zip(xs, ys) if y)
    if not ratios or len(ratios) != len(xs):
        return missing
    return ratios[len(ratios) // 2]


def median_run(runs):
    """The run with the median throughput (for times, as the export's, the
    median time), with every run's throughput beside it."""
    ordered = sorted(runs, key=lambda x: x["rps"])
    res = dict(ordered[len(ordered) // 2])
    if len(ordered) > 1:  # a single run keeps what it reported itself
        res["runs"] = [x["rps"] for x in ordered]
    return res


class Bench:
    def __init__(self):
        self.rows = []
        self.reruns = 0
        self.waited = 0.0

    def measure(self, fn):
        res_watch = common.CpuWatch(self.server.proc.pid, self.postmaster)
        res_watch.start()
        res = fn()
        res["load"], res["other"] = res_watch.stop()
        n = res.get("count") or 1
        res["cpu"] = {k: 1e6 * getattr(res_watch, k) / n for k in ("server", "pg", "tools")}
        return res

    def wait_quiet(self):
        """Waits (QUIET_WAIT seconds at most over the whole run) until other
        work takes no more than DISTURBED % of the machine."""
        while self.waited < QUIET_WAIT:
            watch = common.CpuWatch(self.server.proc.pid, self.postmaster)
            watch.start()
            time.sleep(0.5)
            if watch.stop()[1] <= DISTURBED:
                return
            self.waited += 0.5

    def pair(self, name, run, floor_name=None, floor=None, pool_floor=None, rounds=1):
        """Runs a scenario and its floor side by side (and pgbench at the
        server's pool size, for reference); see pairs()."""
        return self.pairs([(name, run, floor_name, floor, pool_floor)], rounds)[0]

    def pairs(self, specs, rounds=1):
        """Runs each scenario of `specs` (name, run, floor name, floor, pool
        floor) beside its floors, `rounds` times interleaved: a round runs
        every scenario and its floors once (the floors first in every other
        round), so that a drift of the machine's speed over the minutes
        reaches all of them alike. Each figure is the median run of its own;
        all are run again when other work took more than DISTURBED % of the
        machine. Returns (scenario, floor) per spec."""
        best = None
        for attempt in range(1 + MAX_RERUNS):
            self.wait_quiet()
            got = [[[], [], []] for _ in specs]
            for round_no in range(rounds):
                for spec, runs3 in zip(specs, got):
                    order = list(zip(runs3, spec[1:2] + spec[3:5]))
                    # Every other round runs the floors first: a machine
                    # that speeds up or slows down over the minutes then
                    # favours the scenario in one round and its floors in
                    # the next, instead of always the same side.
                    if round_no % 2:
                        order.reverse()
                    for runs, fn in order:
                        if fn:
                            runs.append(self.measure(fn))
            results = []
            other = 0.0
            for (name, _, floor_name, _, _), runs3 in zip(specs, got):
                a, b, c = (median_run(runs) if runs else None for runs in runs3)
                # Each round's runs in their order, for ratios within a round.
                for x, runs in zip((a, b, c), runs3):
                    if x is not None:
                        x["round_rps"] = [r["rps"] for r in runs]
                        x["round_p99"] = [r["p99"] for r in runs]
                mine = max(x["other"] for x in (a, b, c) if x)
                other = max(other, mine)
                fmt = (lambda r: f"{r['rps']:.2f} s") if "build" in a else \
                    (lambda r: f"{r['rps']:.0f}/s p99 {r['p99'] or 0:.2f} ms")
                log(f"  {name}: {fmt(a)}" + (f"; {floor_name} {fmt(b)}" if b else "")
                    + (f"; at pool size {fmt(c)}" if c else "")
                    + f"; load {a['load']:.2f}, other work {mine:.0f}%")
                results.append((a, b, c))
            if best is None or other < best[1]:
                best = (results, other)
            if other <= DISTURBED or self.reruns >= MAX_RERUNS:
                break
            self.reruns += 1
            log(f"  disturbed ({other:.0f}% of the machine busy elsewhere): again")
        out = []
        for a, b, c in best[0]:
            if b is not None:
                b["pool"] = c
            out.append((a, b))
        return out

    def close_pairs(self, specs, pairs=PAIRS):
        """For each (scenario, floor) of `specs`, `pairs` short runs of the
        scenario each right beside a run of its floor (the floor first in
        every other pair), all specs in turn: a pair is seconds apart, where
        the rounds' runs are minutes apart and this machine's speed moves by
        a third over minutes. Returns per spec the sorted ratios (scenario
        over floor throughput), the errors of the scenario's runs and the
        most other work seen; a pair that other work disturbed (more than
        DISTURBED % of the machine) is run again, twice at most."""
        self.wait_quiet()
        out = [{"ratios": [], "errors": 0, "other": 0.0, "reruns": 0} for _ in specs]
        for i in range(pairs):
            for (run, floor), res in zip(specs, out):
                for attempt in range(1 + MAX_RERUNS):
                    if i % 2:
                        b = self.measure(floor)
                        a = self.measure(run)
                    else:
                        a = self.measure(run)
                        b = self.measure(floor)
                    other = max(a["other"], b["other"])
                    if other <= DISTURBED or attempt == MAX_RERUNS:
                        break
                    res["reruns"] += 1  # other work took the machine: this pair again
                    self.wait_quiet()
                res["errors"] += a["errors"]
                res["other"] = max(res["other"], other)
                res["ratios"].append(a["rps"] / b["rps"] if b["rps"] else 0.0)
        for res in out:
            res["ratios"].sort()
        return out

    extra_env = {}  # more server settings, for a subclass's run

    def main(self):
        t_start = time.time()
        load_start = common.load()
        env = dict({"PORTAL_LOG_LEVEL": "warning"}, **self.extra_env)
        for name in ("PORTAL_HTTP_THREADS", "PORTAL_DATABASE_CONNECTIONS"):  # to compare sizes
            if os.environ.get(name):
                env[name] = os.environ[name]
        cluster, mail, server = common.start(env)
        self.cluster, self.server = cluster, server
        try:
            with open(os.path.join(cluster.data, "postmaster.pid")) as f:
                self.postmaster = int(f.readline())
            self.run(cluster, server)
        finally:
            common.stop(cluster, mail, server)
        self.total = time.time() - t_start
        self.report(load_start)

    def run(self, cluster, server):
        self.setup(cluster, server)
        self.settle_s = common.settle(cluster)
        log(f"  checkpoint and autovacuum settled in {self.settle_s:.0f} s")
        self.measure_all(cluster, server)

    def setup(self, cluster, server):
        base = server.url
        subprocess.run([os.environ["PORTAL_BINARY"], "seed-demo"], env=server.env, check=True,
                       capture_output=True)
        log("generating participants")
        self.gen = generate.generate(cluster.url, PARTICIPANTS, log=log)
        self.consistency = generate.verify(cluster.url, self.gen["scheme_ids"])
        log(f"  consistency: {self.consistency}")
        token = common.login(base, "werkgever.hr")
        self.token = token
        http = requests.Session()
        http.headers["Authorization"] = "Bearer " + token
        self.http = http
        today = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
        self.today = today
        big = self.gen["scheme_ids"][0]
        big_size = self.gen["sizes"][0]
        self.api_check(base, http)

        work = tempfile.mkdtemp(prefix="portal-perf-")
        reserved = os.path.join(work, "reserved.txt")
        with open(reserved, "w") as f:
            f.write("\n".join(self.gen["reserved_ids"]) + "\n")
        in_big = os.path.join(work, "big.txt")
        with open(in_big, "w") as f:
            f.write("\n".join(generate.participant_id(n) for n in range(1, big_size + 1)) + "\n")
        env = {"ACCESS_TOKEN": token, "TODAY": today}

        # The cursor of page 1,000 (keyset: follow next_cursor).
        list_path = f"/api/v1/participants?scheme_id={big}&limit=50"
        t = time.time()
        cursor = None
        for _ in range(PAGE - 1):
            r = http.get(base + list_path + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""))
            r.raise_for_status()
            cursor = r.json()["next_cursor"]
        page_path = list_path + "&cursor=" + urllib.parse.quote(cursor)
        page = http.get(base + page_path).json()
        self.page_first = page["items"][0]["display_name"]
        log(f"  walked to page {PAGE} in {time.time() - t:.1f} s (first name there:"
            f" {self.page_first})")

        # The statements behind each request, as pgbench scripts.
        defines = {}
        one = generate.participant_id(1)
        scripts = {
            "me": pgbench_script(capture(cluster, lambda: http.get(base + "/api/v1/me")), "m", defines),
            "list1": pgbench_script(capture(cluster, lambda: http.get(base + list_path)), "a", defines),
            "list1000": pgbench_script(capture(cluster, lambda: http.get(base + page_path)), "b",
                                       defines),
            "detail": pgbench_script(
                capture(cluster, lambda: http.get(base + f"/api/v1/participants/{one}")), "d",
                defines, participant=one, n_max=big_size),
            "change": pgbench_script(
                capture(cluster, lambda: http.post(
                    base + f"/api/v1/participants/{one}/changes",
                    json={"type": "salary_change", "effective_date": today, "salary": "51234.56"})),
                "c", defines, participant=one, n_max=len(self.gen["reserved_ids"])),
        }
        self.scripts, self.defines = scripts, defines
        with open(os.path.join(work, "scripts.txt"), "w") as f:
            for k, v in scripts.items():
                f.write(f"-- {k}\n{v}\n")
        self.pg_version = cluster.psql("SHOW server_version").split()[0]
        self.work, self.env, self.paths = work, env, (list_path, page_path, in_big, reserved)

    def measure_all(self, cluster, server):
        base, env, scripts, defines = server.url, self.env, self.scripts, self.defines
        list_path, page_path, in_big, reserved = self.paths
        http, work = self.http, self.work

        def w(path, script=None, extra=None, seconds=SECONDS):
            return lambda: common.wrk(base + path, script, connections=CONNECTIONS,
                                      seconds=seconds, env=dict(env, **(extra or {})))

        def warm(path, script, extra=None):
            """The counterpart of the first second pgbench leaves out: each
            pool connection runs the scenario's statements (prepared, generic
            plan) before the measured runs."""
            w(path, script, extra, seconds=max(1, int(2 * WARMUP)))()

        def p(name, connections=CONNECTIONS, seconds=SECONDS):
            return lambda: pgbench(cluster, scripts[name], defines, seconds, connections)

        threads = int(server.env.get("PORTAL_HTTP_THREADS") or 4 * os.cpu_count())
        connections = server.env.get("PORTAL_DATABASE_CONNECTIONS")
        # The database concurrency the requests can reach: one connection per
        # HTTP thread, or the pool without the two it keeps for jobs.
        pool = min(threads, int(connections) - 2) if connections else threads
        self.threads, self.pool = threads, pool

        def q(name):  # pgbench at the server's database concurrency
            return p(name, pool, max(3, SECONDS // 2))

        log("measuring")
        healthz, _ = self.pair("healthz", w("/healthz"))
        warm("/api/v1/me", "get.lua")
        me, me_pg = self.pair("me", w("/api/v1/me", "get.lua"), "pgbench", p("me"), q("me"))
        warm(list_path, "get.lua")
        warm(page_path, "get.lua")
        # The two pages in the same rounds: page 1,000 is judged against page 1.
        (l1, l1_pg), (lk, lk_pg) = self.pairs([
            ("list page 1", w(list_path, "get.lua"), "pgbench", p("list1"), q("list1")),
            (f"list page {PAGE}", w(page_path, "get.lua"), "pgbench", p("list1000"),
             q("list1000"))], rounds=ROUNDS)
        # The budget against pgbench at the pool size, from close pairs.
        l1["close"], lk["close"] = self.close_pairs([
            (w(list_path, "get.lua", seconds=PAIR_SECONDS),
             p("list1", pool, PAIR_SECONDS + int(WARMUP))),
            (w(page_path, "get.lua", seconds=PAIR_SECONDS),
             p("list1000", pool, PAIR_SECONDS + int(WARMUP)))])
        for name, close in (("list page 1", l1["close"]), (f"list page {PAGE}", lk["close"])):
            log(f"  {name} over pgbench c{pool}, {PAIRS} close pairs: "
                + ", ".join(f"{x:.2f}" for x in close["ratios"]))
        # The same list below saturation: 32 connections, each pausing so
        # that together they ask about half of what the server can do.
        pause = 1000.0 * CONNECTIONS / (0.5 * max(l1["rps"], 1.0))
        self.wait_quiet()
        l1["low"] = self.measure(lambda: common.wrk(
            base + list_path, "paced.lua", connections=CONNECTIONS, seconds=SECONDS,
            env=dict(env, DELAY_MS=f"{pause:.0f}")))
        log(f"  list page 1 at half load: {l1['low']['rps']:.0f}/s p50"
            f" {l1['low']['p50'] or 0:.2f} ms p99 {l1['low']['p99'] or 0:.2f} ms")
        warm("/api/v1/participants/x", "detail.lua", {"IDS_FILE": in_big})
        de, de_pg = self.pair("detail", w("/api/v1/participants/x", "detail.lua",
                                          {"IDS_FILE": in_big}), "pgbench", p("detail"), q("detail"))
        ch, ch_pg = self.pair("salary change", w("/api/v1/participants/x/changes",
                                                 "salary_change.lua", {"IDS_FILE": reserved}),
                              "pgbench", p("change"), q("change"))
        # The salary changes leave autovacuum work behind; the export and its
        # floor are measured once it is done, as the list was after the load.
        self.settle_export_s = common.settle(cluster)
        log(f"  checkpoint and autovacuum settled in {self.settle_export_s:.0f} s before the export")
        ex = self.export(base, http, cluster, server)
        self.results = dict(healthz=healthz, me=me, me_pg=me_pg, l1=l1, l1_pg=l1_pg, lk=lk,
                            lk_pg=lk_pg, de=de, de_pg=de_pg, ch=ch, ch_pg=ch_pg, ex=ex)
        subprocess.run(["rm", "-rf", work])

    def api_check(self, base, http):
        """The server sees the generated data as data entered through the API."""
        ids = set(self.gen["scheme_ids"])
        r = http.get(base + "/api/v1/schemes?limit=200")
        r.raise_for_status()
        seen = {s["id"] for s in r.json()["items"]} & ids
        problems = [] if seen == ids else [f"schemes visible: {len(seen)} of {len(ids)}"]
        big = self.gen["scheme_ids"][0]
        r = http.get(base + f"/api/v1/participants?scheme_id={big}&limit=50")
        r.raise_for_status()
        items = r.json()["items"]
        keys = [(i["display_name"].lower(), i["id"]) for i in items]
        if len(items) != 50 or keys != sorted(keys) or not r.json()["next_cursor"]:
            problems.append("list page 1 is not 50 rows in name order with a next cursor")
        checked = 0
        for pid, exp in self.gen["expected"].items():
            r = http.get(base + f"/api/v1/participants/{pid}")
            if r.status_code != 200:
                problems.append(f"{pid}: detail {r.status_code}")
                continue
            d = r.json()
            if d.get("restricted"):
                continue  # a former participant past the retention period: no BSN, no history
            got = {"participant_number": d["participant_number"], "bsn": d["person"]["bsn"],
                   "display_name": d["display_name"], "scheme_id": d["scheme_id"],
                   "status": d["status"], "salary": d["employment"]["salary"],
                   "parttime_percentage": d["employment"]["parttime_percentage"],
                   "start_date": d["employment"]["start_date"],
                   "end_date": d["employment"]["end_date"]}
            h = http.get(base + f"/api/v1/participants/{pid}/changes?limit=200")
            got["history"] = len(h.json()["items"]) if h.status_code == 200 else None
            diff = {k: (exp[k], got[k]) for k in exp if exp[k] != got[k]}
            if diff:
                problems.append(f"{pid}: {diff}")
            checked += 1
        self.api_problems = problems
        self.api_checked = checked
        log(f"  API check: {checked} participants read back (detail, history), "
            f"{len(problems)} problems" + ("".join("\n    " + x for x in problems[:5])))

    def export(self, base, http, cluster, server):
        """The export of every generated scheme as of today, built and
        downloaded, beside psql \\copy of the same query; peak memory."""
        ids = self.gen["scheme_ids"]
        pid = server.proc.pid
        copy_sql = ("\\copy (SELECT * FROM portal_export_rows('{" + ",".join(ids) + "}'::uuid[], '"
                    + self.today + "'::date, true)) TO STDOUT CSV HEADER")

        def psql_copy():
            t = time.time()
            subprocess.run(["psql", "-X", "-q", "-d", cluster.url, "-c", copy_sql], check=True,
                           stdout=subprocess.DEVNULL)
            return {"rps": time.time() - t, "p50": None, "p99": None, "errors": 0}

        def api_export():
            hwm0, rss0 = common.proc_status(pid, "VmHWM"), common.proc_status(pid, "VmRSS")
            peak = [rss0]
            done = threading.Event()

            def sample():
                while not done.is_set():
                    v = common.proc_status(pid, "VmRSS")
                    if v:
                        peak[0] = max(peak[0], v)
                    time.sleep(0.005)

            th = threading.Thread(target=sample)
            th.start()
            t0 = time.time()
            r = http.post(base + "/api/v1/exports",
                          json={"scheme_ids": ids, "as_of": self.today, "format": "csv"})
            r.raise_for_status()
            eid = r.json()["id"]
            while True:
                e = http.get(base + f"/api/v1/exports/{eid}").json()
                if e["status"] != "pending":
                    break
                time.sleep(0.01)
            t1 = time.time()
            size = 0
            with http.get(base + f"/api/v1/exports/{eid}/file", stream=True) as f:
                ok = f.status_code == 200
                for chunk in f.iter_content(1 << 16):
                    size += len(chunk)
            t2 = time.time()
            done.set()
            th.join()
            return {"rps": t2 - t0, "build": t1 - t0, "download": t2 - t1, "bytes": size,
                    "rows": e.get("row_count"), "status": e["status"],
                    "errors": 0 if ok and e["status"] == "ready" else 1, "p50": None, "p99": None,
                    "hwm0": hwm0, "hwm1": common.proc_status(pid, "VmHWM"), "rss0": rss0,
                    "peak": peak[0]}

        runs = []
        for _ in range(2):
            a, b = self.pair("export", api_export, "psql \\copy", psql_copy)
            runs.append((a, b))
        a = min((r[0] for r in runs), key=lambda x: x["rps"])
        b = min((r[1] for r in runs), key=lambda x: x["rps"])
        a["hwm0"] = runs[0][0]["hwm0"]
        a["hwm1"] = runs[-1][0]["hwm1"]
        a["rss0"] = min(r[0]["rss0"] for r in runs)
        a["peak"] = max(r[0]["peak"] for r in runs)
        a["floor"] = b
        return a

    # ---- the table ------------------------------------------------------------

    def report(self, load_start):
        R = self.results
        g = self.gen
        rows = []

        def row(name, res, floor_name, floor, ratio, budget, ok, unit="/s"):
            rows.append((name, res, floor_name, floor, ratio, budget, ok, unit))

        h = R["healthz"]
        row("GET /healthz (HTTP ceiling)", h, "", None, None, "", None)
        row("GET /api/v1/me", R["me"], "pgbench, same SQL", R["me_pg"],
            R["me"]["rps"] / R["me_pg"]["rps"] if R["me_pg"]["rps"] else 0,
            f"(healthz {R['me']['rps'] / h['rps']:.0%})" if h["rps"] else "", None)
        for key, label in (("l1", "list page 1 (50 rows)"), ("lk", f"list page {PAGE:,} (50 rows)")):
            res, fl = R[key], R[key + "_pg"]
            ratio = res["rps"] / fl["rps"] if fl["rps"] else 0
            pool = fl.get("pool") or {}
            # The budgets compare runs close in time (the machine's speed
            # drifts by a third over minutes): throughput against pgbench at
            # the pool size by the median of the close pairs, the p99 by the
            # median of the rounds' own ratios.
            close = res.get("close") or {}
            vs_pool = statistics.median(close["ratios"]) if close else round_ratio(res, pool, "round_rps")
            p99_ratio = round_ratio(res, fl, "round_p99", missing=99)
            ok = (vs_pool >= BUDGET_LIST_POOL_RATIO and p99_ratio <= BUDGET_LIST_P99_RATIO
                  and not res["errors"] and not close.get("errors"))
            budget = (f"{vs_pool:.2f}x c{self.pool} (>= {BUDGET_LIST_POOL_RATIO}), p99"
                      f" {p99_ratio:.2f}x (<= {BUDGET_LIST_P99_RATIO}x)")
            if key == "l1" and res.get("low"):
                paced = res["low"]["p99"] or 999
                ok = ok and paced < BUDGET_LIST_PACED_P99
                budget += f", paced p99 {paced:.1f} ms (< {BUDGET_LIST_PACED_P99:.0f})"
            if key == "lk":
                vs = round_ratio(res, R["l1"], "round_rps")
                ok = ok and vs >= BUDGET_PAGE_SLOWER
                budget += f"; {vs:.0%} of p.1 (>= {BUDGET_PAGE_SLOWER:.0%})"
            row(label, res, "pgbench, same SQL", fl, ratio, budget, ok)
        row("participant detail", R["de"], "pgbench, same SQL", R["de_pg"],
            R["de"]["rps"] / R["de_pg"]["rps"] if R["de_pg"]["rps"] else 0, "", None)
        ratio = R["ch"]["rps"] / R["ch_pg"]["rps"] if R["ch_pg"]["rps"] else 0
        row("salary change (POST .../changes)", R["ch"], "pgbench, same SQL (tx)", R["ch_pg"], ratio,
            f">= {BUDGET_CHANGE_RATIO:.0%}", ratio >= BUDGET_CHANGE_RATIO and not R["ch"]["errors"])
        ex = R["ex"]
        ratio = ex["rps"] / ex["floor"]["rps"] if ex["floor"]["rps"] else 99
        growth = max(ex["hwm1"] - ex["hwm0"], ex["peak"] - ex["rss0"])
        row(f"export {ex['rows'] or 0:,} rows (s)", ex, "psql \\copy (s)", ex["floor"], ratio,
            f"<= {BUDGET_EXPORT_RATIO}x, memory flat", ratio <= BUDGET_EXPORT_RATIO
            and growth <= BUDGET_MEMORY_KIB and not ex["errors"], unit="s")

        def num(v, unit):
            if v is None:
                return "-"
            return f"{v:.2f} s" if unit == "s" else f"{v:,.0f}"

        def ms(v):
            return "-" if v is None else f"{v:.2f}"

        s = g["seconds"]
        c = self.consistency
        print()
        print(f"machine: {common.machine()}, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**30}"
              f" GiB; PostgreSQL {self.pg_version} (fsync off, as the tests run it); portal-api release"
              f" build, {self.threads} HTTP threads, {self.pool} pool connections for requests; wrk -t2 -c{CONNECTIONS},"
              f" pgbench -M prepared -c{CONNECTIONS} -j2; {SECONDS} s per run; everything on the same 2"
              f" cores")
        print(f"load average at start {load_start:.2f}; 'other' = share of all cores busy outside this"
              f" benchmark during the run (> {DISTURBED:.0f}%: run again; {self.reruns} rerun(s),"
              f" {self.waited:.0f} s waited for quiet; checkpoint and autovacuum settled in"
              f" {self.settle_s:.0f} s before measuring and in"
              f" {self.settle_export_s:.0f} s before the export)")
        print(f"data: {g['participants']:,} participants in {len(g['sizes'])} schemes"
              f" ({', '.join(f'{x:,}' for x in g['sizes'])}), {g['changes']:,} changes,"
              f" {g['periods']:,} periods ({g['current_periods']:,} current), {g['audit_events']:,}"
              f" audit events; generated and loaded in {s['total']:.1f} s (model {s['model']:.1f},"
              f" COPY {s['generate_and_copy']:.1f}, indexes and keys {s['indexes_and_keys']:.1f},"
              f" VACUUM ANALYZE {s['vacuum_analyze']:.1f})")
        print(f"consistency: {c.get('mismatch')} of 300 participants differ from"
              f" portal_participant_rebuild(), which rewrote {c.get('rewritten')} of their periods;"
              f" BSNs failing the 11-proef: {c.get('bad_bsn')};"
              f" API read-back of {self.api_checked} participants (detail, history):"
              f" {len(self.api_problems)} differences")
        print()
        head = (f"{'scenario':34} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'err':>3}  "
                f"{'floor':22} {'floor/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}  "
                f"{'budget':40} {'result':6} {'load':>5} {'other':>5}")
        print(head)
        print("-" * len(head))
        for name, res, floor_name, floor, ratio, budget, ok, unit in rows:
            other = max(x.get("other", 0) for x in (res, floor or {}, (floor or {}).get("pool") or {}))
            print(f"{name:34} {num(res['rps'], unit):>9} {ms(res.get('p50')):>7} {ms(res.get('p99')):>7}"
                  f" {res.get('errors', 0):>3}  {floor_name:22} {num(floor['rps'], unit) if floor else '':>8}"
                  f" {ms(floor.get('p50')) if floor else '':>7} {ms(floor.get('p99')) if floor else '':>7}"
                  f" {'' if ratio is None else f'{ratio:.2f}':>6}  {budget:40}"
                  f" {'' if ok is None else ('pass' if ok else 'FAIL'):6} {res.get('load', 0):5.2f}"
                  f" {other:4.0f}%")
        print()
        print(f"reference: pgbench on the same SQL at the server's own database concurrency"
              f" ({self.pool} connections, {max(3, SECONDS // 2)} s), and CPU per request in"
              f" microseconds (server = portal-api, pg = all PostgreSQL processes, client ="
              f" wrk/pgbench/this script) for the scenario and for that floor; 'CPU ratio' = floor"
              f" CPU over scenario CPU, the throughput ratio a machine with nothing else on it would"
              f" show (for the export: scenario over psql \\copy, like its time ratio)")
        head = (f"{'scenario':34} {f'pgbench c{self.pool}/s':>14} {'p99 ms':>7} {'ratio':>6}   "
                f"{'server':>7} {'pg':>7} {'client':>7} {'total':>7}   {'floor pg':>8} {'client':>7}"
                f" {'total':>7} {'CPU ratio':>9}")
        print(head)
        print("-" * len(head))
        for name, res, floor_name, floor, ratio, budget, ok, unit in rows:
            cpu = res["cpu"]
            scale, fmt = (1e-6, "{:7.2f}") if unit == "s" else (1, "{:7.0f}")
            tot = sum(cpu.values())
            pool = (floor or {}).get("pool")
            line = f"{name:34} "
            line += (f"{pool['rps']:14,.0f} {ms(pool['p99']):>7} {res['rps'] / pool['rps']:6.2f}"
                     if pool and pool["rps"] else f"{'':14} {'':7} {'':6}")
            line += "   " + " ".join(fmt.format(cpu[k] * scale) for k in ("server", "pg", "tools"))
            line += " " + fmt.format(tot * scale)
            ref = pool or floor
            if ref:
                f = ref["cpu"]
                ftot = sum(f.values())
                line += "   " + fmt.format(f["pg"] * scale).rjust(8) + " " + fmt.format(f["tools"] * scale) \
                    + " " + fmt.format(ftot * scale) + f" {(ftot / tot if unit != 's' else tot / ftot):9.2f}"
            print(line)
        print()
        print(f"export: build {ex['build']:.2f} s + download {ex['download']:.2f} s,"
              f" {ex['bytes'] / 2**20:.1f} MiB; server VmHWM {ex['hwm0'] / 1024:.1f} -> "
              f"{ex['hwm1'] / 1024:.1f} MiB, VmRSS {ex['rss0'] / 1024:.1f} MiB before, peak"
              f" {ex['peak'] / 1024:.1f} MiB during (budget: growth <= {BUDGET_MEMORY_KIB // 1024} MiB)")
        low = R["l1"].get("low")
        if low:
            print(f"list page 1 below saturation ({CONNECTIONS} connections pacing themselves to about"
                  f" half the rate above): {low['rps']:,.0f}/s, p50 {ms(low['p50'])} ms, p99"
                  f" {ms(low['p99'])} ms (other work {low['other']:.0f}%)")
        for key, name in (("l1", "list page 1"), ("lk", f"list page {PAGE:,}")):
            res, floor = R[key], R[key + "_pg"]
            if len(res.get("runs", [])) > 1:
                runs = (res, floor, floor.get("pool"))
                print(f"{name}, {len(res['runs'])} rounds (req/s in round order):"
                      + "; ".join(f" {label} " + ", ".join(f"{v:,.0f}" for v in x["round_rps"])
                                  for label, x in zip(("server", "pgbench", "pgbench c8"), runs)
                                  if x)
                      + "; server over pgbench c8 by round: "
                      + ", ".join(f"{x / y:.2f}" for x, y in
                                  zip(res["round_rps"], (floor.get("pool") or {}).get("round_rps", []))
                                  if y))
        for key, name in (("l1", "list page 1"), ("lk", f"list page {PAGE:,}")):
            close = R[key].get("close")
            if close:
                xs = close["ratios"]
                print(f"{name}, {len(xs)} close pairs ({PAIR_SECONDS} s each, the floor first in every"
                      f" other pair; other work up to {close['other']:.0f}%,"
                      f" {close['reruns']} pair(s) run again), server over pgbench"
                      f" c{self.pool}, sorted: " + ", ".join(f"{x:.2f}" for x in xs)
                      + f"; median {statistics.median(xs):.2f}, quartiles {xs[len(xs) // 4]:.2f} to"
                      f" {xs[(3 * len(xs)) // 4]:.2f}")
        print(f"page {PAGE:,} starts at \"{self.page_first}\"; total run {self.total:.0f} s")


if __name__ == "__main__":
    Bench().main()
