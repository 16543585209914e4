#!/usr/bin/python3
"""Scale: the same scenarios at 100,000 and at 1,000,000 participants.

For each size a throwaway cluster and the release binary are started (as in
perf_bench.py), the demo seeded and the participants generated
(generate.py: 10 schemes, the largest 55 % of them). Both sizes are held at
once, and wrk measures each scenario at 32 connections at one size and then
the other, in rounds, so that both see the same machine:

  list page 1              of the largest scheme
  list deep page           page N/100 of it (1,000 at 100,000; 10,000 at
                           1,000,000): the same depth, about 91 % into it
  participant detail       a random participant of the largest scheme
  salary change            POST .../changes on the 20,000 reserved ones
  export                   the largest scheme as CSV, built and downloaded,
                           with the API process's peak RSS while it runs

Then one table: each figure at both sizes and the ratio 1M/100k against the
budget of issue 16 (list, detail and salary change within 10 %: ratio >=
0.90; the export in constant memory: RSS growth over the export <= 8 MiB at
both sizes; its time grows with its rows and is shown as rows per second).

Usage: /usr/bin/python3 bench/scale_bench.py   (bench/run.sh scale builds
the release binary first). BENCH_SECONDS (default 10) sets each run's
length; BENCH_SIZES (default "100000,1000000") the sizes, the first being
the reference; BENCH_WARMUP (default 5) the seconds each scenario runs
unmeasured first, at both sizes, so that the figure is the steady state and
not the first touch of a cold cache (at 1,000,000 participants three
10-second salary-change runs in a row measured 408, 570 and 633/s);
BENCH_REPEAT (default 3) how many rounds each scenario gets, one measured
run per size in each, the median counting (single 10-second runs of the
same salary change on the same held cluster ranged from 584 to 806/s, and
two runs ten minutes apart see different machines); BENCH_SHARED_BUFFERS
PostgreSQL's shared_buffers for both sizes.

PostgreSQL is set up as production would be for the largest size: shared
buffers that hold its database (default a third of the machine's memory, at
most 8 GB: 7 GB on 23 GB against the 5.7 GB database at 1,000,000
participants), on huge pages when the benchmark runs as root (it reserves
them in vm.nr_hugepages for the run and gives them back), and the database
read into the buffers (pg_prewarm) after loading. Both sizes get the same
settings. Without huge pages each PostgreSQL process maps gigabytes of
shared buffers in 4 KiB pages and spends its time in page faults and TLB
misses (run 4 in bench/README.md); BENCH_SHARED_BUFFERS=128MB repeats the
earlier runs with the test clusters' setting. BENCH_JSON a file the figures
are written to as well.
"""
import json
import os
import subprocess
import sys
import time

import common
import perf_bench
from perf_bench import CONNECTIONS, SECONDS, Bench, log
from helpers import metric

SIZES = [int(x) for x in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
REPEAT = max(1, int(os.environ.get("BENCH_REPEAT", "3")))
HUGE_PAGE_KIB = 2048
NR_HUGEPAGES = "/proc/sys/vm/nr_hugepages"


def meminfo(key):
    """A /proc/meminfo value (kB, or a count for the HugePages_ lines)."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def default_shared_buffers():
    """A third of the machine's memory in whole GB, at most 8 GB: enough for
    the 1,000,000-participant database (5.7 GB) on the 23 GB machine of the
    recorded runs, with room left for the page cache and the API."""
    gb = min(8, meminfo("MemTotal") // (3 * 1024 * 1024))
    return f"{gb}GB" if gb >= 1 else "128MB"


SHARED_BUFFERS = os.environ.get("BENCH_SHARED_BUFFERS") or default_shared_buffers()


def size_kib(setting):
    """PostgreSQL's size notation (128MB, 7GB) in KiB."""
    units = {"kB": 1, "MB": 1024, "GB": 1024 * 1024}
    for unit, factor in units.items():
        if setting.endswith(unit):
            return int(setting[:-len(unit)]) * factor
    return int(setting) * 8  # a bare number counts 8 kB buffers


def reserve_huge_pages(kib):
    """Reserves enough 2 MiB huge pages for `kib` of shared buffers (plus
    PostgreSQL's other shared memory); returns the previous reservation to
    give back, or None when this process may not change it. The kernel
    finds the pages only in unfragmented memory, so the page cache is
    dropped and memory compacted if the first attempt falls short."""
    if not os.access(NR_HUGEPAGES, os.W_OK):
        return None
    with open(NR_HUGEPAGES) as f:
        before = int(f.read())
    want = before + (kib * 105 // 100 + 256 * 1024) // HUGE_PAGE_KIB
    for _ in range(2):
        with open(NR_HUGEPAGES, "w") as f:
            f.write(str(want))
        if meminfo("HugePages_Total") >= want:
            break
        subprocess.run(["sync"])
        for knob, value in (("drop_caches", "3"), ("compact_memory", "1")):
            with open(f"/proc/sys/vm/{knob}", "w") as f:
                f.write(value)
    return before


def give_back_huge_pages(before):
    if before is not None:
        with open(NR_HUGEPAGES, "w") as f:
            f.write(str(before))


BUDGET_RATIO = 0.90
BUDGET_MEMORY_KIB = perf_bench.BUDGET_MEMORY_KIB


def housekeeping_passes(base):
    """How many housekeeping passes the server has run (job kind
    "maintenance" in /metrics: at start and every ten minutes, about 0.4 s
    of database time at 100,000 participants and 4 s at 1,000,000)."""
    return metric(base, 'portal_jobs_finished_total{kind="maintenance",outcome="done"}')


class ScaleRun(Bench):
    """One size: perf_bench's set-up (data, sign-in, walk to the deep page),
    then the scenarios without their pgbench floors."""

    def __init__(self, participants):
        super().__init__()
        self.participants = participants
        self.page = max(2, participants // 100)

    def start(self):
        """Starts this size's cluster and server with the benchmark's
        PostgreSQL settings, loads the data and settles it; stop() ends it."""
        perf_bench.PARTICIPANTS = self.participants
        perf_bench.PAGE = self.page
        self.load_start = common.load()
        self.stack = common.start({"PORTAL_LOG_LEVEL": "warning"})
        cluster, _, server = self.stack
        self.cluster, self.server = cluster, server
        self.huge_before = None
        large = size_kib(SHARED_BUFFERS) > 128 * 1024
        cluster.psql(f"ALTER SYSTEM SET shared_buffers = '{SHARED_BUFFERS}'")
        server.stop()
        cluster.stop()
        if large:
            self.huge_before = reserve_huge_pages(size_kib(SHARED_BUFFERS))
        free_before = meminfo("HugePages_Free")
        cluster.start()
        server.start()
        self.shared_buffers = cluster.psql("SHOW shared_buffers")
        used = free_before - meminfo("HugePages_Free") + meminfo("HugePages_Rsvd")
        self.huge_pages = "on" if large and used > 0 else "off"
        with open(os.path.join(cluster.data, "postmaster.pid")) as f:
            self.postmaster = int(f.readline())
        t = time.time()
        self.setup(cluster, server)
        self.setup_s = time.time() - t
        # Loading writes gigabytes that PostgreSQL has not yet written out,
        # and autovacuum may still be reading the new tables.
        self.settle_s = common.settle(cluster)
        self.prewarm_s = None
        if large:  # the database read into the buffers, as a server running for a while has it
            t = time.time()
            cluster.psql("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cluster.psql("SELECT sum(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n"
                         " ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                         " AND c.relkind IN ('r', 'i', 'm')")
            self.prewarm_s = time.time() - t
        self.results = {}

    BGWRITER = ("SELECT checkpoints_timed + checkpoints_req, buffers_checkpoint"
                " + buffers_clean + buffers_backend, buffers_checkpoint FROM pg_stat_bgwriter")

    def bgwriter(self):
        """[checkpoints, buffers written by anyone, buffers written by the
        checkpointer] so far."""
        return [int(x) for x in self.cluster.psql(self.BGWRITER).split("|")]

    def checkpointer_writes(self):
        """Buffers the checkpointer has written so far: a run in which this
        grows had a checkpoint in progress (a change then writes full-page
        images for the pages it is the first to touch)."""
        return self.bgwriter()[2]

    def sign_in_again(self):
        """A fresh access token (they last 15 minutes; the other size's
        set-up takes about 10)."""
        token = common.login(self.server.url, "werkgever.hr")
        self.env["ACCESS_TOKEN"] = token
        self.http.headers["Authorization"] = "Bearer " + token

    def scenarios(self):
        """key -> (name, wrk for `seconds`) of the measured scenarios."""
        base, env = self.server.url, self.env
        list_path, page_path, in_big, reserved = self.paths

        def w(path, script, extra=None):
            return lambda seconds: common.wrk(base + path, script, connections=CONNECTIONS,
                                              seconds=seconds, env=dict(env, **(extra or {})))
        return {
            "list1": ("list page 1", w(list_path, "get.lua")),
            "deep": (f"list page {self.page:,}", w(page_path, "get.lua")),
            "detail": ("detail", w("/api/v1/participants/x", "detail.lua", {"IDS_FILE": in_big})),
            "change": ("salary change", w("/api/v1/participants/x/changes", "salary_change.lua",
                                          {"IDS_FILE": reserved})),
        }

    def measure(self, fn):
        """perf_bench's measurement; a run the server's own housekeeping pass
        fell into counts as disturbed, so pair() runs it again (it is the
        same at both sizes only in how often it runs, not in what it costs)."""
        before = housekeeping_passes(self.server.url)
        res = super().measure(fn)
        if housekeeping_passes(self.server.url) > before:
            log("  the housekeeping pass ran during this measurement")
            res["other"] = max(res["other"], 100.0)
        return res

    def measure_once(self, name, wrk):
        """One measured run, through pair(): again when other work or the
        housekeeping pass fell into it. res["checkpoint_buffers"]: what the
        checkpointer wrote meanwhile (over all attempts)."""
        before = self.checkpointer_writes()
        res = self.pair(f"{self.participants:,} {name}", lambda: wrk(SECONDS))[0]
        res["checkpoint_buffers"] = self.checkpointer_writes() - before
        return res

    def stop(self):
        self.db_size = self.cluster.psql("SELECT pg_size_pretty(pg_database_size('portal'))")
        subprocess.run(["rm", "-rf", self.work])
        common.stop(*self.stack)
        give_back_huge_pages(self.huge_before)

    def export_largest(self, base):
        """perf_bench's export run (twice, beside psql \\copy of the same
        query) for the largest scheme alone."""
        all_ids = self.gen["scheme_ids"]
        self.gen["scheme_ids"] = all_ids[:1]
        try:
            return Bench.export(self, base, self.http, self.cluster, self.server)
        finally:
            self.gen["scheme_ids"] = all_ids


def report(runs):
    ref, big = runs[0], runs[-1]
    R, B = ref.results, big.results
    print(f"machine: {common.machine()}")
    for run in runs:
        g = run.gen
        print(f"{run.participants:,} participants: largest scheme {g['sizes'][0]:,}; set-up"
              f" (generate, load, verify, walk to page {run.page:,}) {run.setup_s:.0f} s; database"
              f" {run.db_size}; shared_buffers {run.shared_buffers}, huge pages {run.huge_pages}"
              + f"; checkpoint and autovacuum settled in {run.settle_s:.0f} s"
              + (f", prewarmed in {run.prewarm_s:.0f} s" if run.prewarm_s is not None else "")
              + f"; load average at start {run.load_start:.2f}; during the measurements"
              f" {run.checkpoints[0]} checkpoint(s), {run.checkpoints[1]:,} buffers written")
    print(f"each scenario: {WARMUP} s unmeasured at each size, then {REPEAT} rounds of one"
          f" {SECONDS}-second run per size, the median counting; both sizes held at once")
    print()
    head = (f"{'scenario':<34}{ref.participants:>12,}{'p99 ms':>9}{big.participants:>12,}"
            f"{'p99 ms':>9}{'ratio':>8}  {'budget':<22}result  load other")
    print(head)
    print("-" * len(head))
    fails = 0
    for key, name in (("list1", "list page 1 (req/s)"),
                      ("deep", f"list page {ref.page:,} / {big.page:,} (req/s)"),
                      ("detail", "participant detail (req/s)"),
                      ("change", "salary change (req/s)")):
        a, b = R[key], B[key]
        ratio = b["rps"] / a["rps"] if a["rps"] else 0.0
        ok = ratio >= BUDGET_RATIO and not a["errors"] and not b["errors"]
        fails += not ok
        print(f"{name:<34}{a['rps']:>12,.0f}{a['p99'] or 0:>9.2f}{b['rps']:>12,.0f}"
              f"{b['p99'] or 0:>9.2f}{ratio:>8.2f}  {'>= 0.90':<22}{'pass' if ok else 'FAIL':<6}"
              f"{b['load']:>6.2f}{b['other']:>5.0f}%")
    print()
    print("CPU per request in microseconds (server = portal-api, pg = PostgreSQL), the"
          " figure outside load does not move; 'CPU ratio' = CPU at the reference size over"
          " CPU at the large one, the throughput ratio a quiet machine would show")
    head2 = (f"{'scenario':<34}{'server':>8}{'pg':>8}{'total':>8}{'server':>10}{'pg':>8}"
             f"{'total':>8}{'CPU ratio':>11}")
    print(head2)
    print("-" * len(head2))
    for key, name in (("list1", "list page 1"), ("deep", f"list page {ref.page:,} / {big.page:,}"),
                      ("detail", "participant detail"), ("change", "salary change")):
        ca, cb = R[key]["cpu"], B[key]["cpu"]
        ta, tb = ca["server"] + ca["pg"], cb["server"] + cb["pg"]
        print(f"{name:<34}{ca['server']:>8.0f}{ca['pg']:>8.0f}{ta:>8.0f}{cb['server']:>10.0f}"
              f"{cb['pg']:>8.0f}{tb:>8.0f}{ta / tb if tb else 0:>11.2f}")
    print()
    print("each run (req/s), lowest first: " + "; ".join(
        f"{key} " + " / ".join(", ".join(f"{v:,.0f}" for v in x[key].get("runs", [x[key]["rps"]]))
                               for x in (R, B))
        for key in ("list1", "deep", "detail", "change")))
    print("each round (req/s, and in brackets the buffers the checkpointer wrote during the run"
          " when a checkpoint was in progress): " + "; ".join(
              f"{key} " + " / ".join(", ".join(f"{rps:,.0f}" + (f" ({ck:,})" if ck else "")
                                               for rps, ck in x[key].get("rounds", []))
                                     for x in (R, B))
              for key in ("list1", "deep", "detail", "change")))
    print()
    a, b = R["export"], B["export"]
    ra = (a["rows"] or 0) / a["rps"] if a["rps"] else 0.0
    rb = (b["rows"] or 0) / b["rps"] if b["rps"] else 0.0
    growth = [x["peak"] - x["rss0"] for x in (a, b)]
    ok = max(growth) <= BUDGET_MEMORY_KIB and not a["errors"] and not b["errors"]
    fails += not ok
    print(f"{'export, largest scheme (rows/s)':<34}{ra:>12,.0f}{'':>9}{rb:>12,.0f}{'':>9}"
          f"{rb / ra if ra else 0:>8.2f}  {'RSS growth <= 8 MiB':<22}{'pass' if ok else 'FAIL':<6}"
          f"{b['load']:>6.2f}{b['other']:>5.0f}%")
    print()
    for run, x in ((ref, a), (big, b)):
        print(f"export at {run.participants:,}: {x['rows']:,} rows in {x['rps']:.2f} s (build"
              f" {x['build']:.2f} + download {x['download']:.2f}), {x['bytes'] / 1048576:.1f} MiB;"
              f" API RSS {x['rss0'] / 1024:.1f} MiB before, peak {x['peak'] / 1024:.1f} MiB"
              f" during (growth {(x['peak'] - x['rss0']) / 1024:.1f} MiB); psql \\copy of the same"
              f" query {x['floor']['rps']:.2f} s")
    print(f"deep page starts at: {ref.page_first!r} ({ref.participants:,}), "
          f"{big.page_first!r} ({big.participants:,})")
    return fails


def measure_interleaved(runs):
    """Each scenario at every size in turn: a warm-up per size, then REPEAT
    rounds of one measured run per size, the median counting. The machine's
    speed drifts by tens of per cent over minutes; runs of the two sizes
    side by side see the same drift."""
    for run in runs:
        run.sign_in_again()
        run.checkpoints_before = run.bgwriter()
    plans = [run.scenarios() for run in runs]
    for key in plans[0]:
        if WARMUP:  # the same requests first, unmeasured: caches and backends warm
            for plan in plans:
                plan[key][1](WARMUP)
        got = [[] for _ in runs]
        for _ in range(REPEAT):
            for run, plan, runs_of in zip(runs, plans, got):
                runs_of.append(run.measure_once(*plan[key]))
        for run, runs_of in zip(runs, got):
            res = perf_bench.median_run(runs_of)
            res["errors"] = sum(x["errors"] for x in runs_of)
            # Each round's rate and checkpointer writes, in round order.
            res["rounds"] = [(x["rps"], x["checkpoint_buffers"]) for x in runs_of]
            run.results[key] = res
    for run in runs:
        after = run.bgwriter()
        run.checkpoints = [b - a for a, b in zip(run.checkpoints_before, after)]
        log(f"export at {run.participants:,} participants")
        run.results["export"] = run.export_largest(run.server.url)


def main():
    t0 = time.time()
    runs = []
    try:
        for n in SIZES:  # every size is set up first and held until the end
            run = ScaleRun(n)
            runs.append(run)
            run.start()
        measure_interleaved(runs)
    finally:
        for run in reversed(runs):  # the huge pages go back in the order taken
            if getattr(run, "stack", None):
                run.stop()
    fails = report(runs)
    if os.environ.get("BENCH_JSON"):
        with open(os.environ["BENCH_JSON"], "w") as f:
            json.dump({str(r.participants): r.results for r in runs}, f, indent=1, default=str)
    print(f"total {time.time() - t0:.0f} s; {fails} scenario(s) outside the budget")


if __name__ == "__main__":
    sys.exit(main())
