#!/usr/bin/python3
"""Collective change at scale (DESIGN.md §6): a salary change for every
active participant of the largest generated scheme, uploaded as CSV and as
XLSX, checked, submitted and processed, beside its floor in the same run:
psql COPY of the same rows into an unindexed table. Reports validation time
(upload to answer), processing time (submit to processed), their sum against
the floor, and the server's resident size before and after. Because the
machine is shared, each also reports the CPU seconds of the server and
PostgreSQL against those of the COPY (PostgreSQL and psql), which other
work running beside it disturbs far less than wall time, and how busy the
cores were with other work. Last, it times the least that any
implementation must write (every applied row a change row in the
participant's history, nothing else), set-based from the COPY's table in one
statement and rolled back, as the schema has it and with no foreign key or
secondary index: how far below that the budget lies.

Usage: bench/run.sh builds a release binary; then
    PORTAL_BINARY=build/portal-api /usr/bin/python3 bench/batch_bench.py [--participants N]
        [--rows N]

--rows N uploads exactly N rows: the data set is generated large enough that
its largest scheme (55 % of the participants, of whom about 48 % of the data
set are active today at that size) holds N active participants, so --rows
100000 is a true 100,000-row batch (about 214,000 participants generated).
"""
import math
import argparse
import io
import os
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import generate  # noqa: E402

HEADER = "participant_number,new_salary,new_parttime_percentage"
LARGEST_SHARE = max(s[4] for s in generate.SCHEMES)  # the largest scheme's share
ACTIVE_SHARE = 0.85  # of whom active today, with a margin (88,311 of 181,819 measured)


def wait(base, headers, batch_id):
    while True:
        b = requests.get(f"{base}/api/v1/batches/{batch_id}", headers=headers).json()
        if b["status"] in ("processed", "failed"):
            return b
        time.sleep(0.05)


def postmaster_of(cluster):
    with open(os.path.join(cluster.data, "postmaster.pid")) as f:
        return int(f.readline())


def run_one(base, headers, scheme, rows, fmt, effective, server_pid, postmaster):
    if fmt == "csv":
        body = (HEADER + "\r\n" + "".join(f"{n},{s},\r\n" for n, s in rows)).encode()
        ctype = "text/csv"
    else:
        import openpyxl
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(HEADER.split(","))
        for n, s in rows:
            ws.append([n, float(s), None])
        out = io.BytesIO()
        wb.save(out)
        body = out.getvalue()
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    before = common.proc_status(server_pid, "VmRSS")
    watch = common.CpuWatch(server_pid, postmaster)
    watch.start()
    t0 = time.time()
    # Multipart, as the web app sends it (a raw body is for files up to 1 MiB).
    r = requests.post(f"{base}/api/v1/batches", data={
        "scheme_id": scheme, "kind": "salary_change", "effective_date": effective},
        files={"file": (f"salary.{fmt}", body, ctype)}, headers=headers)
    t1 = time.time()
    r.raise_for_status()
    batch = r.json()
    assert batch["status"] in ("valid", "invalid"), batch
    errors = []
    if batch["status"] == "invalid":  # a few rows the rules refuse: apply the others
        errors = requests.get(f"{base}/api/v1/batches/{batch['id']}/errors",
                              headers=headers).json()["items"]
    r = requests.post(f"{base}/api/v1/batches/{batch['id']}/submit",
                      json={"skip_invalid_rows": bool(errors)}, headers=headers)
    r.raise_for_status()
    done = wait(base, headers, batch["id"])
    t2 = time.time()
    load0, other = watch.stop()
    hwm = common.proc_status(server_pid, "VmHWM")
    return {"format": fmt, "bytes": len(body), "rows": batch["row_count"],
            "validate_s": t1 - t0, "process_s": t2 - t1, "applied": done["applied_row_count"],
            "errors": sorted({(e["code"], e["column"]) for e in errors}),
            "rss_before_mib": (before or 0) / 1024, "hwm_mib": (hwm or 0) / 1024,
            "cpu_s": watch.server + watch.pg, "load": load0, "other_pct": other}


def copy_floor(cluster, rows):
    """psql \\copy of the same rows into an unindexed table (the floor):
    wall seconds, and CPU seconds of PostgreSQL and psql."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(HEADER + "\n" + "".join(f"{n},{s},\n" for n, s in rows))
        path = f.name
    cluster.psql("DROP TABLE IF EXISTS bench_copy; CREATE UNLOGGED TABLE bench_copy"
                 " (participant_number text, new_salary numeric, new_parttime numeric)")
    os.chmod(path, 0o644)
    watch = common.CpuWatch(os.getpid(), postmaster_of(cluster))
    watch.start()
    t0 = time.time()
    subprocess.run(["psql", "-X", "-q", "-h", cluster.sock, "-p", str(cluster.port), "-U",
                    "postgres", "-d", "portal", "-c",
                    f"\\copy bench_copy FROM '{path}' WITH (FORMAT csv, HEADER true)"], check=True)
    t = time.time() - t0
    watch.stop()
    os.unlink(path)
    return t, watch.pg + watch.tools


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=100000)
    ap.add_argument("--rows", type=int, help="upload exactly this many rows (a larger data set"
                    " is generated when needed)")
    args = ap.parse_args()
    if args.rows:
        args.participants = max(args.participants,
                                math.ceil(args.rows / (LARGEST_SHARE * ACTIVE_SHARE)))
    cluster, mail, server = common.start()
    try:
        subprocess.run([os.environ["PORTAL_BINARY"], "seed-demo"], env=server.env, check=True,
                       capture_output=True)
        gen = generate.generate(cluster.url, args.participants, log=lambda m: None)
        today = cluster.psql("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date")
        scheme = cluster.psql(
            "SELECT scheme_id FROM participant_periods WHERE superseded_at IS NULL"
            f" AND valid @> '{today}'::date AND status = 'active' AND scheme_id = ANY"
            f" ('{{{','.join(gen['scheme_ids'])}}}') GROUP BY scheme_id ORDER BY count(*) DESC LIMIT 1")
        numbers = cluster.psql(
            "SELECT p.participant_number || ',' || (x.salary + 1)::text FROM participant_periods x"
            " JOIN participants p ON p.id = x.participant_id WHERE x.superseded_at IS NULL"
            f" AND x.valid @> '{today}'::date AND x.status = 'active' AND x.scheme_id = '{scheme}'"
            " AND (x.employment_end IS NULL OR x.employment_end >= "
            f"'{today}'::date) AND x.employment_start <= '{today}'::date").split("\n")
        rows = [tuple(line.split(",")) for line in numbers if line]
        if args.rows:
            if len(rows) < args.rows:
                raise SystemExit(f"only {len(rows)} active participants in the largest scheme")
            rows = rows[:args.rows]
        token = common.login(server.url, "werkgever.hr")
        headers = {"Authorization": f"Bearer {token}"}
        floor, floor_cpu = copy_floor(cluster, rows)
        print(f"{len(rows):,} rows in scheme {scheme}; COPY floor {floor:.2f} s"
              f" (CPU {floor_cpu:.2f} s)")
        for fmt in ("csv", "xlsx"):
            rows = [(n, str(round(float(s) + 1, 2))) for n, s in rows]
            r = run_one(server.url, headers, scheme, rows, fmt, today, server.proc.pid,
                        postmaster_of(cluster))
            total = r["validate_s"] + r["process_s"]
            budget = 2 if fmt == "csv" else 4
            print(f"{fmt}: {r['rows']:,} rows ({r['applied']:,} applied; refused: {r['errors']}),"
                  f" {r['bytes'] / 1048576:.1f} MiB;"
                  f" validation {r['validate_s']:.2f} s, processing {r['process_s']:.2f} s,"
                  f" total {total:.2f} s = {total / floor:.1f}x COPY (budget {budget}x);"
                  f" server RSS {r['rss_before_mib']:.0f} MiB before, peak {r['hwm_mib']:.0f} MiB;"
                  f" CPU (server + PostgreSQL) {r['cpu_s']:.2f} s = {r['cpu_s'] / floor_cpu:.1f}x"
                  f" COPY's; load {r['load']:.1f} at the start, {r['other_pct']:.0f} % of the"
                  " cores busy with other work")
        common.print_least_writes(cluster, floor, len(rows), (
            "SELECT p.id AS participant_id, p.scheme_id, c.new_salary AS salary"
            " FROM bench_copy c JOIN participants p"
            f" ON p.scheme_id = '{scheme}' AND p.participant_number = c.participant_number"))
    finally:
        common.stop(cluster, mail, server)


if __name__ == "__main__":
    sys.exit(main())
