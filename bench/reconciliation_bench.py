#!/usr/bin/python3
"""Reconciliation benchmark (DESIGN.md §6: "a reconciliation of 10,000
employees processed in under one second of database time"). Staff open a
stop-loss reconciliation, 10,000 employees with an employment each and
1,000 sick reports are inserted by SQL, then it is handed in and the job
computes it; it is reopened and handed in again RUNS times. The job's log
line gives its phases: load (one query for the employees with their
employments, one for the sick reports), compute and write (the rules in C,
then one INSERT over unnest() for the lines and one UPDATE for the report
costs) and the specification (PDF and XLSX, for the record).
Usage: /usr/bin/python3 bench/reconciliation_bench.py (release build at
build/portal-api, or PORTAL_BINARY)."""
import os
import re
import statistics
import subprocess
import time

import requests

import common

N = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def wait_processed(base, headers, rid):
    deadline = time.time() + 300
    while time.time() < deadline:
        r = requests.get(f"{base}/api/v1/reconciliations/{rid}", headers=headers)
        r.raise_for_status()
        if r.json()["status"] == "processed":
            return r.json()
        time.sleep(0.05)
    raise RuntimeError("not processed in time")


def main():
    cluster, mail, server = common.start({"PORTAL_LOG_LEVEL": "info"})
    try:
        subprocess.run([os.environ["PORTAL_BINARY"], "seed-demo"], env=server.env, check=True,
                       capture_output=True)
        base = server.url
        h = {"Authorization": "Bearer " + common.login(base, "staff.demo")}
        org = cluster.psql("SELECT id FROM organisations WHERE kind = 'employer' LIMIT 1")
        r = requests.post(base + "/api/v1/schemes", headers=h, json={
            "organisation_id": org, "name": "Verzuim bench", "number": "VZ-BENCH",
            "kind": "income", "start_date": "2025-04-01", "variant": "stop_loss",
            "insured_wage_type": "uniform_wage"})
        r.raise_for_status()
        scheme = r.json()["id"]
        r = requests.post(base + "/api/v1/reconciliations", headers=h, json={
            "scheme_id": scheme, "year": 2025, "deadline": "2026-03-31", "premium_rate": "2.000",
            "provisional_premium": "3000000.00", "own_risk_percentage": "5.000",
            "continued_pay_percentage": "70.000", "maximum_reimbursement": "50000.00"})
        r.raise_for_status()
        rid = r.json()["id"]
        cluster.psql(
            "WITH e AS (INSERT INTO reconciliation_employees (reconciliation_id, initials,"
            " surname, display_name, birth_date, gender, bsn, insured_wage)"
            f" SELECT '{rid}', 'A.', 'Werknemer' || g, 'Werknemer' || g || ', A.', '1980-01-01',"
            " 'female', lpad((100000000 + g)::text, 9, '0'),"
            f" (20000 + (g * 37) % 70000)::numeric(14,2) FROM generate_series(1, {N}) g"
            " RETURNING id, seq)"
            " INSERT INTO reconciliation_employments (employee_id, position, start_date, end_date)"
            " SELECT id, 0, date '2024-01-01' + (seq % 500)::int,"
            " CASE WHEN seq % 7 = 0 THEN date '2025-10-31' END FROM e")
        cluster.psql(
            "INSERT INTO reconciliation_sick_reports (reconciliation_id, employee_id,"
            " first_sick_day, report_date, recovery_date, ao_percentage)"
            f" SELECT '{rid}', id, date '2025-05-01', date '2025-05-01', date '2025-06-15', 100"
            f" FROM reconciliation_employees WHERE reconciliation_id = '{rid}'"
            " AND seq % 10 = 0 AND (seq % 500) < 480")
        phases = []
        for run in range(RUNS):
            if run:
                requests.post(f"{base}/api/v1/reconciliations/{rid}/reopen", headers=h,
                              json={"reason": "bench"}).raise_for_status()
            r = requests.post(f"{base}/api/v1/reconciliations/{rid}/submit", headers=h)
            if r.status_code != 200:
                raise RuntimeError(r.text)
            wait_processed(base, h, rid)
            found = re.findall(rf"reconciliation={rid} employees={N} load_ms=([0-9.]+)"
                               r" compute_write_ms=([0-9.]+) specification_ms=([0-9.]+)",
                               server.read_log())
            phases.append(tuple(float(x) for x in found[-1]))
        load = statistics.median(p[0] for p in phases)
        write = statistics.median(p[1] for p in phases)
        spec = statistics.median(p[2] for p in phases)
        print(f"machine: {common.machine()}; load average {common.load():.2f}")
        print(f"{N:,} employees, {RUNS} runs (median): load {load:.0f} ms, compute and write"
              f" {write:.0f} ms, together {load + write:.0f} ms (budget 1,000 ms:"
              f" {'pass' if load + write < 1000 else 'FAIL'}); specification {spec:.0f} ms")
    finally:
        common.stop(cluster, mail, server)


if __name__ == "__main__":
    main()
