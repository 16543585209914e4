"""A reconciliation of 10,000 employees (DESIGN.md §6): inserted by SQL,
handed in through the API and computed by the job. The definitive premium
must equal the sum of the lines, and every employee gets a line. The
server's log line for the run carries the phases (load_ms,
compute_write_ms, specification_ms), which the test prints (no timed
assertion); the specification's XLSX holds all 10,000 lines."""
import io
import re

import openpyxl

from helpers import wait_until
from test_reconciliations import BASE, fresh_scheme, open_recon, wait_processed, w  # noqa: F401

N = 10_000


def test_ten_thousand_employees(w, cluster, server):  # noqa: F811
    rid = open_recon(w.staff, fresh_scheme(w, "stop_loss")["id"])["id"]
    cluster.psql(
        "WITH e AS (INSERT INTO reconciliation_employees (reconciliation_id, initials, surname,"
        " display_name, birth_date, gender, bsn, insured_wage)"
        f" SELECT '{rid}', 'A.', 'Werknemer' || g, 'Werknemer' || g || ', A.', '1980-01-01',"
        " 'female', lpad((100000000 + g)::text, 9, '0'), (20000 + (g * 37) % 70000)::numeric(14,2)"
        f" FROM generate_series(1, {N}) g RETURNING id, seq)"
        " INSERT INTO reconciliation_employments (employee_id, position, start_date, end_date)"
        " SELECT id, 0, date '2024-01-01' + (seq % 500)::int,"
        " CASE WHEN seq % 7 = 0 THEN date '2025-10-31' END FROM e")
    r = w.hr.post(f"{BASE}/{rid}/submit")
    assert r.status_code == 200, r.text
    rec = wait_processed(w.hr, rid)
    lines = cluster.psql(
        "SELECT count(*), sum(premium), sum(capped_wage) FROM reconciliation_lines"
        f" WHERE reconciliation_id = '{rid}'").split("|")
    assert int(lines[0]) == N
    assert rec["result"]["definitive_premium"] == lines[1].strip()
    assert rec["result"]["capped_wage_total"] == lines[2].strip()
    # The job logs its timings after its commit, so the line may trail the status.
    logged = wait_until("the job's log line", lambda: re.findall(
        rf"event=reconciliation_processed reconciliation={rid} employees={N}"
        r" load_ms=([0-9.]+) compute_write_ms=([0-9.]+)"
        r" specification_ms=([0-9.]+)", server.read_log()), timeout=10)
    print(f"\n10,000 employees: load {logged[-1][0]} ms, compute and write {logged[-1][1]} ms,"
          f" specification {logged[-1][2]} ms")
    # The specification holds every line: the XLSX one row per employee.
    docs = w.finance.get("/api/v1/documents", params={
        "kind": "reconciliation_specification", "scheme_id": rec["scheme_id"]}).json()["items"]
    xlsx = next(d for d in docs if d["content_type"].endswith("spreadsheetml.sheet"))
    body = w.finance.get(f"/api/v1/documents/{xlsx['id']}/file").content
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(min_row=3)) == N
    pdf = next(d for d in docs if d["content_type"] == "application/pdf")
    assert w.finance.get(f"/api/v1/documents/{pdf['id']}/file").content.startswith(b"%PDF-")
