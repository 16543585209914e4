"""Files of a reconciliation: the insured wages uploaded as CSV or XLSX
(every error at its row, nothing applied while any row is wrong), and the
evidence files read back by those who may read the reconciliation, with
Idempotency-Key on their upload."""
import io
import random

import openpyxl
import pytest

from document_helpers import PDF
from helpers import unique
from org_helpers import problem
from participant_helpers import new_bsn
from test_reconciliations import (BASE, ReconWorld, employment, fresh_scheme, open_recon)

_world = {}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = ReconWorld(api, mail, server, cluster)
    return _world["w"]


def bsn_with_leading_zero():
    """A valid BSN starting with 0 (a spreadsheet shows it as 8 digits)."""
    while True:
        head = "0" + str(random.randint(1_000_000, 9_999_999))
        last = sum(int(c) * w for c, w in zip(head, [9, 8, 7, 6, 5, 4, 3, 2])) % 11
        if last < 10:
            return head + str(last)


def employee(actor, rid, surname, bsn=None):
    bsn = bsn or new_bsn()
    r = actor.post(f"{BASE}/{rid}/employees", json={
        "person": {"initials": "A.", "surname": surname, "birth_date": "1980-01-01",
                   "gender": "female", "bsn": bsn},
        "employments": [employment("2025-04-01")]})
    assert r.status_code == 201, r.text
    return r.json()


def wages_of(actor, rid):
    return {e["id"]: e["insured_wage"]
            for e in actor.get(f"{BASE}/{rid}/employees").json()["items"]}


def upload(actor, rid, content, name="lonen.csv", ctype="text/csv"):
    return actor.post(f"{BASE}/{rid}/wages", files={"file": (name, content, ctype)})


def xlsx(rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_errors(body):
    return [(e["row"], e["column"], e["code"]) for e in body["errors"]]


def test_wage_file_with_errors_changes_nothing(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    a = employee(w.hr, rid, "Aalbers")
    b = employee(w.hr, rid, "Bakker")
    csv = (f"BSN;Naam;Verzekerd loon\n"
           f"{a['bsn']};Aalbers;41000,00\n"
           f"123456789;Fout;100\n"
           f"{b['bsn']};Bakker;veertig\n"
           f"{a['bsn']};Aalbers;1,00\n"
           f"{new_bsn()};Onbekend;100\n"
           f";Leeg;\n").encode()
    body = problem(upload(w.hr, rid, csv), 422, "wage_file_invalid")
    assert row_errors(body) == [(3, "A", "invalid_bsn"), (4, "C", "invalid_format"),
                                (5, "A", "duplicate_in_file"), (6, "A", "employee_unknown"),
                                (7, "A", "required"), (7, "C", "required")]
    assert body["error_count"] == 6
    assert body["errors"][0]["field"] == "/rows/3/bsn" and body["errors"][0]["message"]
    assert set(wages_of(w.hr, rid).values()) == {None}

    body = problem(upload(w.hr, rid, b"BSN;Naam\n"), 422, "wage_file_invalid")
    assert row_errors(body) == [(1, "", "column_missing")]
    assert body["errors"][0]["field"] == "/rows/1/insured_wage"
    problem(upload(w.hr, rid, PDF, "lonen.pdf", "application/pdf"), 415)
    problem(w.hr.post(f"{BASE}/{rid}/wages", files={"other": ("x.csv", b"a", "text/csv")}), 400)


def test_wage_file_applies_every_row(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    a = employee(w.hr, rid, "Aalbers")
    b = employee(w.hr, rid, "Bakker")
    c = employee(w.hr, rid, "Claassen")
    r = upload(w.hr, rid, f"bsn,insured_wage\n{a['bsn']},41000.00\n{b['bsn']},30000\n".encode())
    assert r.status_code == 200, r.text
    assert r.json() == {"rows": 2, "updated": 2}
    assert wages_of(w.hr, rid) == {a["id"]: "41000.00", b["id"]: "30000.00", c["id"]: None}

    # XLSX: numbers as numbers, a BSN whose leading zero the spreadsheet dropped.
    zero = employee(w.hr, rid, "Nul", bsn_with_leading_zero())
    content = xlsx([["BSN", "Verzekerd loon"], [int(zero["bsn"]), 12345.6],
                    [int(c["bsn"]), 50000]])
    r = upload(w.hr, rid, content, "lonen.xlsx",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert r.status_code == 200, r.text
    assert wages_of(w.hr, rid)[zero["id"]] == "12345.60"
    assert wages_of(w.hr, rid)[c["id"]] == "50000.00"

    content = xlsx([["BSN", "Verzekerd loon"], [int(c["bsn"]), 1], ["geen bsn", "x"]])
    body = problem(upload(w.hr, rid, content, "lonen.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                   422, "wage_file_invalid")
    assert row_errors(body) == [(3, "A", "invalid_bsn"), (3, "B", "invalid_format")]
    assert wages_of(w.hr, rid)[c["id"]] == "50000.00"

    problem(upload(w.hr_read, rid, b"bsn,loon\n"), 403, "forbidden")
    problem(upload(w.admin2, rid, b"bsn,loon\n"), 404, "not_found")
    assert w.hr.post(f"{BASE}/{rid}/submit").status_code == 200
    problem(upload(w.hr, rid, b"bsn,loon\n"), 409, "reconciliation_submitted")


def evidence(actor, rid, content=PDF, kind="payroll_summary", key=None, name="loonstaat.pdf"):
    headers = {"Idempotency-Key": key} if key else {}
    return actor.post(f"{BASE}/{rid}/evidence", headers=headers,
                      data={"kind": kind, "checklist_confirmed": "true"},
                      files={"file": (name, content, "application/pdf")})


def test_evidence_upload_takes_an_idempotency_key(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    key = unique("bewijs-")
    first = evidence(w.hr, rid, key=key)
    assert first.status_code == 201, first.text
    again = evidence(w.hr, rid, key=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"], again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    # The same key with another file or another kind is another request.
    problem(evidence(w.hr, rid, PDF + b"\n%% ander bestand\n", key=key), 422,
            "idempotency_key_reused")
    problem(evidence(w.hr, rid, kind="absence_report", key=key), 422, "idempotency_key_reused")
    assert [e["id"] for e in w.hr.get(f"{BASE}/{rid}").json()["evidence"]] == [first.json()["id"]]
    # Without a key each upload is a new file.
    assert evidence(w.hr, rid).status_code == 201
    assert len(w.hr.get(f"{BASE}/{rid}").json()["evidence"]) == 2


def test_evidence_is_read_back_by_those_who_read_the_reconciliation(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    other = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    content = PDF + b"\n% verzamelloonstaat 2025\n"
    ev = evidence(w.hr, rid, content, name="Verzamelloonstaat 2025.pdf").json()
    url = f"{BASE}/{rid}/evidence/{ev['id']}"
    for reader in (w.hr, w.hr_read, w.finance, w.staff):
        r = reader.get(url)
        assert r.status_code == 200, r.text
        assert r.content == content
        assert r.headers["Content-Type"] == "application/pdf"
        assert r.headers["Content-Disposition"] == \
            'attachment; filename="Verzamelloonstaat 2025.pdf"'
    problem(w.admin2.get(url), 404, "not_found")
    problem(w.int_none.get(url), 404, "not_found")
    problem(w.hr.get(f"{BASE}/{other}/evidence/{ev['id']}"), 404, "not_found")
    problem(w.hr.get(f"{BASE}/{rid}/evidence/niet-een-id"), 404, "not_found")
