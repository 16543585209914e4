#!/usr/bin/python3
"""Payroll sync at scale (DESIGN.md §4.7, §6): a 10,000-employee period
snapshot sent as CSV (multipart, it is over 1 MiB), beside its floor in the
same run: psql COPY of the same rows into an unindexed table. Three runs on
one fresh scheme: the first period (every employment a registration), the
next period with a raise for everyone (every employment a salary change),
and the next period sent again unchanged (a no-op). Reports each run from
the PUT to the period's status `processed`, against the floor, and the
server's resident size. Last, the least that any implementation must write
for a period that changes every employment: a change row in each
participant's history, set-based in one statement from the COPY's table,
rolled back (common.print_least_writes).

Usage: bench/run.sh builds a release binary; then
    PORTAL_BINARY=build/portal-api /usr/bin/python3 bench/payroll_bench.py [--employees N]
"""
import argparse
import csv
import datetime
import io
import os
import random
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

KEYS = ["personnel_number", "employment_number", "bsn", "first_name", "initials",
        "surname_prefix", "surname", "birth_date", "gender", "street", "house_number",
        "postal_code", "city", "country", "start_date", "end_date", "salary",
        "parttime_percentage", "hours", "insured_wage"]


def bsns(n, seed=15):
    """n distinct BSNs passing the 11-proef."""
    rng, out = random.Random(seed), set()
    while len(out) < n:
        head = str(rng.randint(10_000_000, 99_999_999))
        last = sum(int(c) * w for c, w in zip(head, [9, 8, 7, 6, 5, 4, 3, 2])) % 11
        if last < 10:
            out.add(head + str(last))
    return sorted(out)


def snapshot(people, start, raise_pct=0):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(KEYS)
    for i, bsn in enumerate(people):
        salary = 30000 + (i % 400) * 100
        salary = round(salary * (100 + raise_pct) / 100, 2)
        w.writerow([f"{100000 + i}", "1", bsn, "Werknemer", "W.", "", f"Achternaam{i}",
                    "1985-04-01", "female", "Coolsingel", str(1 + i % 300), "3011 AD",
                    "Rotterdam", "NL", start, "", f"{salary:.2f}", "100.000", "38.00",
                    f"{salary / 12:.2f}"])
    return out.getvalue().encode()


def copy_floor(cluster, body):
    """psql \\copy of the same rows into an unindexed table (the floor)."""
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as f:
        f.write(body)
        path = f.name
    cluster.psql("DROP TABLE IF EXISTS bench_payroll_copy; CREATE UNLOGGED TABLE"
                 f" bench_payroll_copy ({', '.join(k + ' text' for k in KEYS)})")
    os.chmod(path, 0o644)
    t0 = time.time()
    subprocess.run(["psql", "-X", "-q", "-h", cluster.sock, "-p", str(cluster.port), "-U",
                    "postgres", "-d", "portal", "-c",
                    f"\\copy bench_payroll_copy FROM '{path}' WITH (FORMAT csv, HEADER true)"],
                   check=True)
    t = time.time() - t0
    os.unlink(path)
    return t


def send(base, headers, scheme, period, body, pid):
    t0 = time.time()
    r = requests.put(f"{base}/api/v1/schemes/{scheme}/payroll-periods/{period}",
                     files={"file": ("loonaangifte.csv", body, "text/csv")}, headers=headers)
    r.raise_for_status()
    item = r.json()
    while item["status"] == "processing":
        time.sleep(0.05)
        item = requests.get(f"{base}/api/v1/schemes/{scheme}/payroll-periods/{period}",
                            params={"limit": 1}, headers=headers).json()
    return item, time.time() - t0, (common.proc_status(pid, "VmHWM") or 0) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--employees", type=int, default=10000)
    args = ap.parse_args()
    cluster, mail, server = common.start()
    try:
        subprocess.run([os.environ["PORTAL_BINARY"], "seed-demo"], env=server.env, check=True,
                       capture_output=True)
        staff = {"Authorization": f"Bearer {common.login(server.url, 'staff.demo')}"}
        hr = {"Authorization": f"Bearer {common.login(server.url, 'werkgever.hr')}"}
        org = requests.get(server.url + "/api/v1/organisation", headers=hr).json()["id"]
        r = requests.post(server.url + "/api/v1/schemes", headers=staff, json={
            "organisation_id": org, "name": "Loonsync bench", "number": "BENCH-15",
            "kind": "pension", "start_date": "2020-01-01"})
        r.raise_for_status()
        scheme = r.json()["id"]
        today = datetime.date.today()
        this = today.replace(day=1)
        prev = (this - datetime.timedelta(days=1)).replace(day=1)
        people = bsns(args.employees)
        first = snapshot(people, prev.isoformat())
        second = snapshot(people, prev.isoformat(), raise_pct=2)
        floor = copy_floor(cluster, first)
        print(f"{args.employees:,} employments, {len(first) / 1048576:.1f} MiB CSV;"
              f" COPY floor {floor:.2f} s")
        runs = [("registrations", prev.strftime("%Y-%m"), first),
                ("salary changes", this.strftime("%Y-%m"), second),
                ("identical resend", this.strftime("%Y-%m"), second)]
        for name, period, body in runs:
            item, took, hwm = send(server.url, hr, scheme, period, body, server.proc.pid)
            print(f"{name}: period {period} {item['status']}, accepted {item['accepted']:,},"
                  f" unchanged {item['unchanged']:,}, rejected {item['rejected']:,};"
                  f" {took:.2f} s = {took / floor:.1f}x COPY (budget 2x); server peak"
                  f" {hwm:.0f} MiB")
        common.print_least_writes(cluster, floor, args.employees, (
            "SELECT p.id AS participant_id, p.scheme_id, c.salary FROM bench_payroll_copy c"
            f" JOIN participants p ON p.scheme_id = '{scheme}' AND p.bsn = c.bsn"))
    finally:
        common.stop(cluster, mail, server)


if __name__ == "__main__":
    sys.exit(main())
