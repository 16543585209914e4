"""Financial and legal documents (DESIGN.md §4.5): staff publish by upload,
checked by content; users see what their rights and mandates allow (404
otherwise), download with ETag and byte ranges, and each user has their own
read marker; staff withdraw."""
import hashlib

import pytest

from document_helpers import (CSV, ELF, OLE2, PDF, document_world, ids, plain_zip, publish,
                              xlsx_bytes)
from helpers import unique
from org_helpers import audit_events, problem


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return document_world(api, mail, server, cluster)


@pytest.fixture(scope="module")
def docs(w):
    """One document of each shape: organisation-wide and per scheme, both
    categories."""
    e = w.emp["id"]
    return {
        "invoice": publish(w.staff, e, "invoice", amount="1250.00", due_date="2026-12-31").json(),
        "booking_income": publish(w.staff, e, "booking_overview",
                                  scheme_id=w.income["id"]).json(),
        "rules_pension": publish(w.staff, e, "pension_rules", scheme_id=w.pension["id"]).json(),
        "agreement": publish(w.staff, e, "execution_agreement").json(),
        "addendum_income": publish(w.staff, e, "addendum", scheme_id=w.income["id"]).json(),
    }


# --- publishing -------------------------------------------------------------------------

def test_published_document_answers_its_fields(w, docs):
    d = docs["invoice"]
    assert d["kind"] == "invoice" and d["category"] == "financial"
    assert d["organisation_id"] == w.emp["id"] and d["scheme_id"] is None
    assert d["amount"] == "1250.00" and d["due_date"] == "2026-12-31"
    assert d["content_type"] == "application/pdf" and d["size"] == len(PDF)
    assert d["read_at"] is None and d["first_read"] is None
    assert docs["rules_pension"]["category"] == "legal"


@pytest.mark.parametrize("who", ["admin", "hr", "hr_read", "finance", "int_pension", "admin2"])
def test_only_staff_publish(w, who):
    r = publish(getattr(w, who), w.emp["id"], "invoice", expect=None)
    problem(r, 403, "forbidden")


def test_publish_checks_every_field(w):
    r = publish(w.staff, w.emp["id"], "reconciliation_specification", expect=None)
    assert ("/kind", "invalid_value") in {(e["field"], e["code"]) for e in problem(r, 422)["errors"]}
    r = publish(w.staff, w.emp2["id"], "pension_rules", scheme_id=w.pension["id"],
                amount="12.00", document_date="2026-02-30", expect=None)
    found = {(e["field"], e["code"]) for e in problem(r, 422, "validation_failed")["errors"]}
    assert {("/scheme_id", "unknown_id"), ("/amount", "invalid_value"),
            ("/document_date", "invalid_date")} <= found
    r = publish(w.staff, w.office_pension["id"], "invoice", expect=None)
    assert ("/organisation_id", "unknown_id") in {
        (e["field"], e["code"]) for e in problem(r, 422)["errors"]}


@pytest.mark.parametrize("content,name,code", [
    (ELF, "factuur.pdf", "unsupported_content"),      # a renamed executable
    (b"MZ\x90\x00" + b"\x00" * 100, "factuur.pdf", "unsupported_content"),
    (OLE2, "overzicht.xlsx", "unsupported_content"),  # an old .xls
    (plain_zip(), "overzicht.xlsx", "unsupported_content"),
    (b"a;b\n\x00\x01\x02", "lijst.csv", "unsupported_content"),
    (b"\xff\xfe\xfa bad utf-8", "lijst.csv", "unsupported_content"),
    (b"", "leeg.pdf", "empty_file"),
])
def test_content_is_checked_by_its_bytes(w, content, name, code):
    r = publish(w.staff, w.emp["id"], "invoice", content=content, file_name=name, expect=None)
    body = problem(r, 415, "unsupported_file_type")
    assert body["errors"][0]["field"] == "/file" and body["errors"][0]["code"] == code


def test_xlsx_and_csv_are_accepted_whatever_their_name(w):
    x = publish(w.staff, w.emp["id"], "booking_overview", content=xlsx_bytes(),
                file_name="overzicht.bin").json()
    assert x["content_type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert x["file_name"] == "overzicht.xlsx"
    c = publish(w.staff, w.emp["id"], "booking_overview", content=CSV, file_name="x.pdf").json()
    assert c["content_type"].startswith("text/csv") and c["file_name"] == "x.csv"


def test_upload_of_20_mib_plus_one_byte_is_refused(w):
    r = publish(w.staff, w.emp["id"], "invoice", content=PDF + b"0" * (20 * 1024 * 1024 + 1 - len(PDF)),
                expect=None)
    problem(r, 413, "payload_too_large")
    # A body announced larger than the route takes is refused as well.
    r = w.staff.post("/api/v1/documents", data=b"x" * (22 * 1024 * 1024),
                     headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    problem(r, 413, "payload_too_large")


def test_upload_must_be_multipart_with_a_file(w):
    r = w.staff.post("/api/v1/documents", json={"organisation_id": w.emp["id"]})
    problem(r, 415, "unsupported_media_type")
    r = w.staff.post("/api/v1/documents", files={"kind": (None, "invoice")})
    assert ("/file", "required") in {(e["field"], e["code"]) for e in problem(r, 400)["errors"]}


# --- who sees what ----------------------------------------------------------------------

def visible(w, docs, who):
    mine = set(ids(getattr(w, who)))
    return {k for k, d in docs.items() if d["id"] in mine}


@pytest.mark.parametrize("who,expected", [
    ("admin", {"invoice", "booking_income", "rules_pension", "agreement", "addendum_income"}),
    ("finance", {"invoice", "booking_income"}),
    ("hr", {"rules_pension", "agreement", "addendum_income"}),
    ("hr_read", {"rules_pension", "agreement", "addendum_income"}),
    # Limited to the income scheme: its own scheme's and the organisation's.
    ("scoped", {"agreement", "addendum_income"}),
    # A read mandate on the pension scheme: that scheme's legal documents.
    ("int_pension", {"rules_pension"}),
    ("int_none", set()),
    ("admin2", set()),
])
def test_rights_and_mandates_decide_the_list(w, docs, who, expected):
    assert visible(w, docs, who) == expected


@pytest.mark.parametrize("who,doc", [
    ("finance", "agreement"), ("hr", "invoice"), ("int_pension", "addendum_income"),
    ("int_none", "rules_pension"), ("admin2", "invoice"), ("scoped", "rules_pension"),
])
def test_invisible_documents_answer_404(w, docs, who, doc):
    actor, doc_id = getattr(w, who), docs[doc]["id"]
    problem(actor.get(f"/api/v1/documents/{doc_id}"), 404, "not_found")
    problem(actor.get(f"/api/v1/documents/{doc_id}/file"), 404, "not_found")


def test_staff_see_every_document_and_filter_by_organisation(w, docs):
    mine = set(ids(w.staff, organisation_id=w.emp["id"]))
    assert {d["id"] for d in docs.values()} <= mine
    assert not set(ids(w.staff, organisation_id=w.emp2["id"])) & mine


def test_filters_by_category_kind_and_scheme(w, docs):
    assert set(ids(w.admin, category="legal")) >= {docs["rules_pension"]["id"], docs["agreement"]["id"]}
    assert docs["invoice"]["id"] not in ids(w.admin, category="legal")
    assert set(ids(w.admin, kind="addendum")) == {docs["addendum_income"]["id"]}
    assert set(ids(w.admin, scheme_id=w.income["id"])) == {
        docs["booking_income"]["id"], docs["addendum_income"]["id"]}
    problem(w.admin.get("/api/v1/documents", params={"category": "other"}), 400)
    problem(w.admin.get("/api/v1/documents", params={"kind": "secret"}), 400)


def test_list_is_newest_first_and_paginated_with_a_total(w, docs):
    r = w.admin.get("/api/v1/documents", params={"limit": 2})
    assert r.status_code == 200, r.text
    page = r.json()
    assert len(page["items"]) == 2 and page["next_cursor"] and page["total"] >= 5
    seen = [d["id"] for d in page["items"]]
    while page["next_cursor"]:
        page = w.admin.get("/api/v1/documents", params={"limit": 2, "cursor": page["next_cursor"]}).json()
        seen += [d["id"] for d in page["items"]]
    assert len(seen) == len(set(seen)) == page["total"]
    stamps = [d["created_at"] for d in w.admin.get("/api/v1/documents", params={"limit": 200}).json()["items"]]
    assert stamps == sorted(stamps, reverse=True)


# --- downloading ------------------------------------------------------------------------

def test_download_streams_the_file_with_type_name_and_etag(w):
    content = PDF + b"%" + bytes(range(256)) * 40
    d = publish(w.staff, w.emp["id"], "invoice", content=content,
                file_name="..\\..\\Factuur nov;<2026>*.exe").json()
    r = w.finance.get(f"/api/v1/documents/{d['id']}/file")
    assert r.status_code == 200 and r.content == content
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"] == 'attachment; filename="Factuur nov_2026.pdf"'
    assert r.headers["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    assert r.headers["Accept-Ranges"] == "bytes"
    r2 = w.finance.get(f"/api/v1/documents/{d['id']}/file", headers={"If-None-Match": r.headers["ETag"]})
    assert r2.status_code == 304


def test_range_requests_let_a_download_resume(w):
    content = PDF + bytes(range(256)) * 4000  # past one stored chunk (512 KiB)
    d = publish(w.staff, w.emp["id"], "invoice", content=content).json()
    url = f"/api/v1/documents/{d['id']}/file"
    etag = w.finance.get(url).headers["ETag"]
    start = 512 * 1024 - 10
    r = w.finance.get(url, headers={"Range": f"bytes={start}-", "If-Range": etag})
    assert r.status_code == 206, r.text
    assert r.headers["Content-Range"] == f"bytes {start}-{len(content) - 1}/{len(content)}"
    assert r.content == content[start:]
    r = w.finance.get(url, headers={"Range": "bytes=10-19"})
    assert r.status_code == 206 and r.content == content[10:20]
    r = w.finance.get(url, headers={"Range": "bytes=-7"})
    assert r.status_code == 206 and r.content == content[-7:]
    # A stale validator gets the whole file, an impossible range 416.
    r = w.finance.get(url, headers={"Range": "bytes=10-19", "If-Range": '"other"'})
    assert r.status_code == 200 and r.content == content
    r = w.finance.get(url, headers={"Range": f"bytes={len(content)}-"})
    problem(r, 416, "range_not_satisfiable")
    assert r.headers["Content-Range"] == f"bytes */{len(content)}"


def test_read_markers_are_per_user(w):
    d = publish(w.staff, w.emp["id"], "pension_rules", scheme_id=w.pension["id"]).json()
    assert d["id"] in ids(w.hr, unread="true") and d["id"] in ids(w.hr_read, unread="true")
    assert w.hr.get(f"/api/v1/documents/{d['id']}/file").status_code == 200
    assert w.hr.get(f"/api/v1/documents/{d['id']}/file").status_code == 200  # again: no change
    mine = w.hr.get(f"/api/v1/documents/{d['id']}").json()
    theirs = w.hr_read.get(f"/api/v1/documents/{d['id']}").json()
    assert mine["read_at"] and theirs["read_at"] is None
    assert mine["first_read"]["user_id"] == w.hr.id == theirs["first_read"]["user_id"]
    assert mine["first_read"]["by"] == f"Test {w.hr.username}"
    assert mine["first_read"]["at"] == mine["read_at"]
    assert d["id"] not in ids(w.hr, unread="true")
    assert d["id"] in ids(w.hr_read, unread="true")
    # Staff and offices reading do not count as the organisation's first read.
    w.staff.get(f"/api/v1/documents/{d['id']}/file")
    w.int_pension.get(f"/api/v1/documents/{d['id']}/file")
    assert w.hr_read.get(f"/api/v1/documents/{d['id']}").json()["first_read"]["user_id"] == w.hr.id


# --- withdrawing ------------------------------------------------------------------------

def test_staff_withdraw_and_the_audit_keeps_the_fact(w):
    d = publish(w.staff, w.emp["id"], "invoice", title=unique("Intrekken ")).json()
    problem(w.admin.delete(f"/api/v1/documents/{d['id']}"), 403, "forbidden")
    problem(w.admin2.delete(f"/api/v1/documents/{d['id']}"), 404, "not_found")
    r = w.staff.delete(f"/api/v1/documents/{d['id']}")
    assert r.status_code == 204, r.text
    for who in (w.admin, w.finance, w.staff):
        problem(who.get(f"/api/v1/documents/{d['id']}"), 404)
        problem(who.get(f"/api/v1/documents/{d['id']}/file"), 404)
        assert d["id"] not in ids(who)
    problem(w.staff.delete(f"/api/v1/documents/{d['id']}"), 404)
    actions = {(e["action"], e["target_id"]) for e in audit_events(w.admin)}
    assert {("document.published", d["id"]), ("document.withdrawn", d["id"])} <= actions
    left = w.cluster.psql(f"SELECT count(*) FROM blob_chunks c JOIN documents d ON d.blob_id = c.blob_id"
                          f" WHERE d.id = '{d['id']}'")
    assert left.strip() == "0"
