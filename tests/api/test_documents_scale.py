"""A 20 MiB document goes in and out with the server's memory flat: the
upload is spooled to disk and stored in chunks, the download streamed chunk
by chunk. On a server of its own with AddressSanitizer's quarantine off, so
the resident size shows what the code holds (see test_export_scale)."""
import hashlib
import os
import shutil
import subprocess

import pytest

from conftest import BINARY, Api, Cluster, MailSink, Server
from helpers import bearer, enrol
from test_export_scale import DEMO_PASSWORD, PeakRss, status_kib

SIZE = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def scale():
    cluster, sink = Cluster(), MailSink()
    server = Server(cluster, sink, {
        "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86:quarantine_size_mb=0",
        "PORTAL_WORKERS": "1", "PORTAL_LOG_LEVEL": "warning"})
    try:
        subprocess.run([BINARY, "seed-demo"], env=server.env, check=True, capture_output=True,
                       timeout=120)
        employer = cluster.psql("SELECT organisation_id FROM users WHERE username = 'werkgever.finance'")
        staff, finance = Api(server.url), Api(server.url)
        staff.session.headers.update(bearer(enrol(staff, "staff.demo", DEMO_PASSWORD)[1]["access_token"]))
        finance.session.headers.update(
            bearer(enrol(finance, "werkgever.finance", DEMO_PASSWORD)[1]["access_token"]))
        yield {"staff": staff, "finance": finance, "server": server, "employer": employer}
    finally:
        code = server.stop()
        reports = server.sanitizer_reports()
        sink.stop()
        cluster.destroy()
        shutil.rmtree(server.dir, ignore_errors=True)
    assert not reports, reports
    assert code == 0


def upload(s, content):
    r = s["staff"].post("/api/v1/documents", timeout=120, data={
        "organisation_id": s["employer"], "kind": "invoice", "title": "Jaarfactuur",
        "document_date": "2026-12-01"}, files={"file": ("jaar.pdf", content, "application/pdf")})
    assert r.status_code == 201, r.text
    return r.json()


def download(s, doc_id):
    digest, size = hashlib.sha256(), 0
    with s["finance"].get(f"/api/v1/documents/{doc_id}/file", stream=True, timeout=120) as f:
        assert f.status_code == 200
        for chunk in f.iter_content(1 << 16):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def test_a_20_mib_document_keeps_the_server_memory_flat(scale):
    pid = scale["server"].proc.pid
    content = b"%PDF-1.7\n" + os.urandom(SIZE - 9)
    # A small one first, so what any upload sets up once exists already.
    small = upload(scale, b"%PDF-1.7\n" + os.urandom(700 * 1024))
    download(scale, small["id"])
    rss_before = status_kib(pid, "VmRSS")
    with PeakRss(pid) as rss:
        doc = upload(scale, content)
        after_upload = rss.peak
        size, digest = download(scale, doc["id"])
    assert doc["size"] == SIZE and size == SIZE
    assert digest == hashlib.sha256(content).hexdigest()
    print(f"resident {rss_before} KiB before, {after_upload} KiB after upload, {rss.peak} KiB peak")
    # Holding the file would cost 20 MiB; what is allowed does not depend on
    # its size: ulfius's copy of the first MiB of the raw body, one 512 KiB
    # chunk in flight on each side and libpq's buffers for it.
    allowance = 8 * 1024
    assert rss.peak - rss_before <= allowance, f"resident size grew {rss.peak - rss_before} KiB"
