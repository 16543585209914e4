"""An export of 100,000 participants (issue 6): built by the background job
and downloaded with the server's memory flat, on a cluster of its own.

The server here runs with AddressSanitizer's quarantine off, so memory the
code frees is reused at once and the peak resident size shows what the code
holds, not what the sanitizer keeps back for its own checks."""
import csv
import io
import os
import shutil
import subprocess
import threading
import time

import pytest

from conftest import BINARY, Api, Cluster, MailSink, Server
from helpers import bearer, enrol

ROWS = 100_000
DEMO_PASSWORD = "Demo-Werkgeversportaal-2026"


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise AssertionError(f"{key} missing for {pid}")


class PeakRss:
    """Samples the process's resident size every few milliseconds."""

    def __init__(self, pid):
        self.pid, self.peak, self.done = pid, status_kib(pid, "VmRSS"), threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, status_kib(self.pid, "VmRSS"))
            time.sleep(0.003)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()


@pytest.fixture(scope="module")
def scale():
    cluster, sink = Cluster(), MailSink()
    server = Server(cluster, sink, {
        "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86:quarantine_size_mb=0",
        "PORTAL_WORKERS": "1", "PORTAL_LOG_LEVEL": "warning"})
    try:
        subprocess.run([BINARY, "seed-demo"], env=server.env, check=True, capture_output=True, timeout=120)
        scheme = cluster.psql(
            "SELECT s.id FROM schemes s JOIN users u ON u.organisation_id = s.organisation_id"
            " WHERE u.username = 'werkgever.hr' ORDER BY s.number LIMIT 1")
        before = int(cluster.psql(f"SELECT count(*) FROM participant_periods WHERE scheme_id = '{scheme}'"
                                  " AND superseded_at IS NULL AND valid @> current_date AND status <> 'rejected'"))
        # 100,000 participants with one current period each, in one statement.
        cluster.psql(f"""
            WITH p AS (
              INSERT INTO participants (scheme_id, participant_number, bsn)
              SELECT '{scheme}', 'S' || n, lpad((100000000 + n)::text, 9, '0')
                FROM generate_series(1, {ROWS}) n
              RETURNING id, participant_number)
            INSERT INTO participant_periods (participant_id, scheme_id, participant_number, valid,
                first_period, registered_at, status, first_name, initials, surname_prefix, surname,
                display_name, birth_date, gender, employment_start, salary, parttime_percentage)
            SELECT p.id, '{scheme}', p.participant_number, daterange('2020-01-01', NULL), true, now(),
                   'active', 'Anna', 'A.', CASE WHEN p.participant_number LIKE '%7' THEN 'van der' END,
                   'Jansen, ' || p.participant_number, 'Jansen, A. (' || p.participant_number || ')',
                   date '1980-01-01' + (length(p.participant_number) * 97) % 9000, 'female',
                   '2020-01-01', 30000 + (hashtext(p.participant_number) & 65535), 80
              FROM p""")
        cluster.psql("VACUUM ANALYZE participants")
        cluster.psql("VACUUM ANALYZE participant_periods")
        api = Api(server.url)
        _, tokens = enrol(api, "werkgever.hr", DEMO_PASSWORD)
        api.session.headers.update(bearer(tokens["access_token"]))
        small = cluster.psql(
            "SELECT s.id FROM schemes s JOIN users u ON u.organisation_id = s.organisation_id"
            f" WHERE u.username = 'werkgever.hr' AND s.id <> '{scheme}' ORDER BY s.number LIMIT 1")
        yield {"api": api, "server": server, "scheme": scheme, "small": small, "expected": before + ROWS}
    finally:
        code = server.stop()
        reports = server.sanitizer_reports()
        sink.stop()
        cluster.destroy()
        shutil.rmtree(server.dir, ignore_errors=True)
    assert not reports, reports
    assert code == 0


def build(api, scheme, fmt):
    r = api.post("/api/v1/exports", json={"scheme_ids": [scheme], "as_of": time.strftime("%Y-%m-%d"),
                                          "format": fmt})
    assert r.status_code == 202, r.text
    deadline = time.time() + 300
    while True:
        e = api.get(f"/api/v1/exports/{r.json()['id']}").json()
        if e["status"] != "pending":
            return e
        assert time.time() < deadline, e
        time.sleep(0.05)


def download(api, export_id, keep):
    size, body = 0, io.BytesIO()
    with api.get(f"/api/v1/exports/{export_id}/file", stream=True) as f:
        assert f.status_code == 200
        for chunk in f.iter_content(1 << 16):
            size += len(chunk)
            if keep:
                body.write(chunk)
    return size, body.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_100000_rows_keeps_the_server_memory_flat(scale, fmt):
    api, pid = scale["api"], scale["server"].proc.pid
    # A small export first, so what any export sets up once (prepared
    # statements, buffers, the XLSX library) exists before measuring.
    small = build(api, scale["small"], fmt)
    assert small["status"] == "ready"
    download(api, small["id"], False)
    rss_before = status_kib(pid, "VmRSS")
    peaks = []
    with PeakRss(pid) as rss:
        for _ in range(3):
            done = build(api, scale["scheme"], fmt)
            assert done["status"] == "ready", done
            size, body = download(api, done["id"], fmt == "csv")
            assert done["row_count"] == scale["expected"] and done["size_bytes"] == size
            peaks.append(rss.peak)
    print(f"{fmt}: {size} bytes; resident {rss_before} KiB before, peaks {peaks} KiB")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert len(rows) == scale["expected"] + 1 and rows[0][0] == "participant_number"
        assert len({r[0] for r in rows[1:]}) == scale["expected"]
        # Names with commas come back whole, every row with its twelve columns.
        assert all(len(r) == 12 for r in rows)
        by_number = {r[0]: r for r in rows[1:]}
        assert by_number["S17"][1] == "Jansen, A. (S17)" and by_number["S17"][10]
    # Holding the rows would cost over 30 MiB (100,000 rows of twelve columns
    # in a libpq result). The allowance covers what does not depend on the
    # rows: a 1 MiB chunk in flight on each side, and libpq's buffers, which
    # grow to a chunk on whichever pool connections carry one.
    allowance = 16 * 1024
    assert peaks[0] - rss_before <= allowance, f"resident size grew {peaks[0] - rss_before} KiB"
    # Nothing adds up from one export to the next (beyond another pool
    # connection's buffers).
    assert peaks[-1] - peaks[0] <= 4 * 1024, peaks
