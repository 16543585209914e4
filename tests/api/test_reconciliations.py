"""Reconciliation (naverrekening, DESIGN.md §4.6): staff open one, the
employer's hr fills it in and hands it in, a job computes it. The worked
example of the README (and tests/unit/test_reconciliation_rules.c) runs
through the API with every figure asserted, as stop-loss and as no-claim;
then every completeness problem, the lock after submission and reopening,
the rights of each kind of user and the closed sick reports of no-claim."""
import io
import time

import openpyxl

import pytest

from document_helpers import ELF, PDF
from helpers import body_of, unique
from org_helpers import fields, new_org, new_scheme, new_user, problem, world_of
from participant_helpers import days, grant, new_bsn, register, today

BASE = "/api/v1/reconciliations"

STOP_LOSS_PARAMS = {"premium_rate": "2.000", "provisional_premium": "3000.00",
                    "wage_cap": "75864.00", "own_risk_percentage": "5.000",
                    "continued_pay_percentage": "70.000", "maximum_reimbursement": "5000.00"}


class ReconWorld:
    def __init__(self, api, mail, server, cluster):
        base = world_of(api, mail, server, cluster)
        self.staff = s = base.staff
        self.emp = new_org(s, "employer", unique("Naverrekening BV "))
        e = self.emp["id"]
        self.stop_loss = new_scheme(s, e, "income", start_date="2025-04-01", variant="stop_loss")
        self.no_claim = new_scheme(s, e, "income", start_date="2025-04-01", variant="no_claim")
        self.pension = new_scheme(s, e, "pension")

        def user(org, rights, inviter=None):
            return new_user(api, mail, cluster, inviter or s, org, rights)

        self.admin = user(e, ["user_management"])
        self.hr = user(e, ["hr"], self.admin)
        self.hr_read = user(e, ["hr_read"], self.admin)
        self.finance = user(e, ["finance"], self.admin)
        self.emp2 = new_org(s, "employer", unique("Ander Bedrijf "))
        self.admin2 = user(self.emp2["id"], ["user_management"])
        self.office_read = new_org(s, "intermediary", unique("Advies Lezen "))
        self.office_write = new_org(s, "intermediary", unique("Advies Schrijven "))
        self.office_none = new_org(s, "intermediary", unique("Advies Zonder "))
        self.int_read = user(self.office_read["id"], ["inkomensverzekering"])
        self.int_write = user(self.office_write["id"], ["inkomensverzekering"])
        self.int_none = user(self.office_none["id"], ["inkomensverzekering"])


_world = {}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = ReconWorld(api, mail, server, cluster)
    return _world["w"]


def open_recon(staff, scheme_id, year=2025, expect=201, **overrides):
    body = {"scheme_id": scheme_id, "year": year, "deadline": "2026-03-31"}
    body.update(STOP_LOSS_PARAMS)
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    r = staff.post(BASE, json=body)
    assert r.status_code == expect, r.text
    return r.json()


def fresh_scheme(w, variant="stop_loss", start="2025-04-01"):
    return new_scheme(w.staff, w.emp["id"], "income", start_date=start, variant=variant)


def add_employee(actor, rid, surname, employments, wage=None, expect=201, bsn=None):
    body = {"person": {"initials": surname[0] + ".", "surname": surname,
                       "birth_date": "1980-01-01", "gender": "female", "bsn": bsn or new_bsn()},
            "employments": employments}
    if wage is not None:
        body["insured_wage"] = wage
    r = actor.post(f"{BASE}/{rid}/employees", json=body)
    assert r.status_code == expect, r.text
    return r.json()


def employment(start, end=None, fixed_term=False):
    return {"start_date": start, "end_date": end, "fixed_term": fixed_term}


def sick(actor, rid, employee_id, first, recovery=None, ao="100.000", expect=201, report=None):
    body = {"employee_id": employee_id, "first_sick_day": first, "report_date": report or first,
            "recovery_date": recovery, "ao_percentage": ao, "atw_percentage": "0"}
    r = actor.post(f"{BASE}/{rid}/sick-reports", json=body)
    assert r.status_code == expect, r.text
    return r.json()


def wait_processed(actor, rid):
    deadline = time.time() + 30
    while time.time() < deadline:
        r = actor.get(f"{BASE}/{rid}")
        assert r.status_code == 200, r.text
        if r.json()["status"] == "processed":
            return r.json()
        time.sleep(0.1)
    raise AssertionError("reconciliation not processed")


def worked_example(w, variant):
    """The README's three employees (and for stop-loss its two sick reports)."""
    scheme = fresh_scheme(w, variant)
    rec = open_recon(w.staff, scheme["id"])
    rid = rec["id"]
    a = add_employee(w.hr, rid, "Aalbers", [employment("2019-05-01")], "41000.00")
    b = add_employee(w.hr, rid, "Bakker", [employment("2025-07-15")], "30000.00")
    c = add_employee(w.hr, rid, "Claassen", [employment("2020-01-01", "2025-09-30")], "60000.00")
    if variant == "stop_loss":
        sick(w.hr, rid, c["id"], "2025-06-02", "2025-07-14", "100.000")
        sick(w.hr, rid, a["id"], "2025-11-03", None, "50.000")
    r = w.hr.post(f"{BASE}/{rid}/submit")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted"
    return rid, {"A": a["id"], "B": b["id"], "C": c["id"]}


def test_worked_example_stop_loss(w):
    rid, emp = worked_example(w, "stop_loss")
    rec = wait_processed(w.hr, rid)
    assert rec["result"] == {"capped_wage_total": "109035.92", "definitive_premium": "2180.72",
                             "provisional_premium": "3000.00", "settlement": "-819.28",
                             "own_risk": "5451.80", "sick_pay_cost": "9189.50",
                             "reimbursement": "3737.70"}
    items = w.hr.get(f"{BASE}/{rid}/employees").json()["items"]
    lines = {e["id"]: e["line"] for e in items}
    assert lines[emp["A"]] == {"days": 275, "prorated_cap": "57157.81", "capped_wage": "41000.00",
                               "premium": "820.00"}
    assert lines[emp["B"]] == {"days": 170, "prorated_cap": "35333.92", "capped_wage": "30000.00",
                               "premium": "600.00"}
    assert lines[emp["C"]] == {"days": 183, "prorated_cap": "38035.92", "capped_wage": "38035.92",
                               "premium": "760.72"}
    reports = w.hr.get(f"{BASE}/{rid}/sick-reports").json()["items"]
    costs = {(r["employee_id"], r["sick_days"], r["daily_wage"], r["cost"]) for r in reports}
    assert costs == {(emp["C"], 42, "207.85", "6110.79"), (emp["A"], 59, "149.09", "3078.71")}
    # The specification is published as two financial documents of the scheme.
    r = w.finance.get("/api/v1/documents", params={"kind": "reconciliation_specification",
                                                   "scheme_id": rec["scheme_id"]})
    assert r.status_code == 200, r.text
    docs = {d["content_type"]: d for d in r.json()["items"]}
    assert set(docs) == {"application/pdf",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert all(d["amount"] == "-819.28" and d["category"] == "financial" for d in docs.values())
    pdf = w.finance.get(f"/api/v1/documents/{docs['application/pdf']['id']}/file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    xlsx_id = docs["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]["id"]
    xlsx = w.finance.get(f"/api/v1/documents/{xlsx_id}/file")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    by_name = {r[0]: r for r in rows}
    assert by_name["Claassen, C."][2:] == [183, 60000, 38035.92, 38035.92, 760.72]
    assert len(rows) == 3
    # hr has no financial documents (DESIGN.md §4.2): it does not see them.
    assert w.hr.get("/api/v1/documents", params={"kind": "reconciliation_specification"}
                    ).json()["items"] == []


def test_worked_example_no_claim(w):
    rid, _ = worked_example(w, "no_claim")
    rec = wait_processed(w.hr, rid)
    assert rec["result"] == {"capped_wage_total": "109035.92", "definitive_premium": "2180.72",
                             "provisional_premium": "3000.00", "settlement": "-819.28",
                             "own_risk": None, "sick_pay_cost": None, "reimbursement": None}
    assert rec["own_risk_percentage"] is None and rec["variant"] == "no_claim"


def test_sick_reports_closed_for_no_claim(w):
    rid = open_recon(w.staff, fresh_scheme(w, "no_claim")["id"])["id"]
    e = add_employee(w.hr, rid, "Dekker", [employment("2019-05-01")], "41000.00")
    body = problem(w.hr.post(f"{BASE}/{rid}/sick-reports", json={
        "employee_id": e["id"], "first_sick_day": "2025-06-02", "report_date": "2025-06-02",
        "ao_percentage": "100"}), 409, "sick_reports_closed")
    assert body["status"] == 409


def test_create_rules(w):
    hr = problem(w.hr.post(BASE, json={"scheme_id": w.stop_loss["id"], "year": 2025,
                                       "deadline": "2026-03-31", **STOP_LOSS_PARAMS}), 403,
                 "forbidden")
    assert hr
    body = problem(w.staff.post(BASE, json={"scheme_id": w.pension["id"], "year": 2025,
                                            "deadline": "2026-03-31", **STOP_LOSS_PARAMS}), 422)
    assert ("/scheme_id", "scheme_not_income") in fields(body)
    scheme = fresh_scheme(w)
    both = problem(w.staff.post(BASE, json={"scheme_id": scheme["id"], "year": 2025,
                                            "deadline": "2026-03-31", **STOP_LOSS_PARAMS,
                                            "own_risk_amount": "1000.00"}), 422)
    assert ("/own_risk_amount", "own_risk_ambiguous") in fields(both) or \
        ("/own_risk_percentage", "own_risk_ambiguous") in fields(both)
    none = dict(STOP_LOSS_PARAMS, own_risk_percentage=None)
    body = problem(w.staff.post(BASE, json={"scheme_id": scheme["id"], "year": 2025,
                                            "deadline": "2026-03-31",
                                            **{k: v for k, v in none.items() if v}}), 422)
    assert "own_risk_required" in {c for _, c in fields(body)}
    late = fresh_scheme(w, start="2026-01-01")
    body = problem(w.staff.post(BASE, json={"scheme_id": late["id"], "year": 2025,
                                            "deadline": "2026-03-31", **STOP_LOSS_PARAMS}), 422)
    assert "policy_start_after_year" in {c for _, c in fields(body)}
    # The wage cap defaults to the year's statutory maximum; an unknown year needs one.
    no_cap = {k: v for k, v in STOP_LOSS_PARAMS.items() if k != "wage_cap"}
    body = problem(w.staff.post(BASE, json={"scheme_id": scheme["id"], "year": 2019,
                                            "deadline": "2026-03-31", **no_cap}), 422)
    assert ("/wage_cap", "wage_cap_unknown") in fields(body)
    rec = open_recon(w.staff, scheme["id"], 2025, wage_cap=None)
    assert rec["wage_cap"] == "75864.00" and rec["status"] == "open"
    problem(w.staff.post(BASE, json={"scheme_id": scheme["id"], "year": 2025,
                                     "deadline": "2026-03-31", **STOP_LOSS_PARAMS}), 409,
            "reconciliation_exists")


def test_prefilled_from_participants(w):
    scheme = fresh_scheme(w, start="2020-01-01")
    start = days(today(), -30)
    p = register(w.hr, scheme["id"], start=start, surname="Vooraf").json()
    rec = open_recon(w.staff, scheme["id"], start.year, wage_cap=None)
    items = w.hr.get(f"{BASE}/{rec['id']}/employees").json()["items"]
    assert [e["participant_id"] for e in items] == [p["id"]]
    e = items[0]
    assert e["employments"] == [{"start_date": start.isoformat(), "end_date": None,
                                 "fixed_term": False}]
    assert e["insured_wage"] is None and e["line"] is None
    assert len(e["bsn"]) == 9 and "*" not in e["bsn"]
    masked = w.hr_read.get(f"{BASE}/{rec['id']}/employees").json()["items"][0]
    assert masked["bsn"].startswith("*****")


def test_every_completeness_problem(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    no_job = add_employee(w.hr, rid, "Geenbaan", [], "1000.00")
    fixed = add_employee(w.hr, rid, "Tijdelijk", [employment("2025-05-01", None, True)], "1000.00")
    backwards = add_employee(w.hr, rid, "Omgekeerd", [employment("2025-06-01", "2025-05-01")],
                             "1000.00")
    overlap = add_employee(w.hr, rid, "Dubbel", [employment("2025-04-01", "2025-08-31"),
                                                  employment("2025-08-01", "2025-12-31")],
                           "1000.00")
    open_then = add_employee(w.hr, rid, "Opnieuw", [employment("2025-04-01"),
                                                     employment("2025-09-01")], "1000.00")
    no_wage = add_employee(w.hr, rid, "Zonderloon", [employment("2025-04-01")])
    before = add_employee(w.hr, rid, "Voorheen", [employment("2020-01-01", "2025-01-31")])
    old = add_employee(w.hr, rid, "Oud", [employment("1949-12-31", "2025-12-31")], "1000.00")
    ok = add_employee(w.hr, rid, "Goed", [employment("2025-04-01")], "1000.00")
    r1 = sick(w.hr, rid, ok["id"], "2025-06-10", "2025-06-01")
    r2 = sick(w.hr, rid, ok["id"], "2024-02-01", "2024-03-01")
    r3 = sick(w.hr, rid, before["id"], "2025-01-10", "2025-01-20")
    r4 = sick(w.hr, rid, ok["id"], "2025-07-01", days(today(), 10).isoformat())
    body = problem(w.hr.post(f"{BASE}/{rid}/submit"), 422, "reconciliation_incomplete")
    found = fields(body)
    assert body["error_count"] == len(body["errors"])
    expected = {
        (f"/employees/{no_job['id']}/employments", "employment_required"),
        (f"/employees/{fixed['id']}/employments/0/end_date", "fixed_term_end_required"),
        (f"/employees/{backwards['id']}/employments/0/end_date", "employment_end_before_start"),
        (f"/employees/{overlap['id']}/employments/1/start_date", "employments_overlap"),
        (f"/employees/{open_then['id']}/employments/0/end_date", "employment_end_required"),
        (f"/employees/{no_wage['id']}/insured_wage", "insured_wage_required"),
        (f"/employees/{old['id']}/employments/0/start_date", "date_out_of_range"),
        (f"/sick_reports/{r1['id']}/recovery_date", "recovery_before_first_sick_day"),
        (f"/sick_reports/{r2['id']}/recovery_date", "sick_report_outside_year"),
        (f"/sick_reports/{r3['id']}/employee_id", "sick_report_not_insured"),
        (f"/sick_reports/{r4['id']}/recovery_date", "date_in_future"),
    }
    missing = {c for c in expected if c not in found}
    assert not missing, (missing, found)
    assert all(e["message"] for e in body["errors"])
    # Entry-level checks answer with the rules' codes at once.
    body = problem(w.hr.post(f"{BASE}/{rid}/employees", json={
        "person": {"initials": "X.", "surname": "Veel", "birth_date": "1980-01-01",
                   "gender": "male", "bsn": new_bsn()},
        "employments": [employment(f"20{10 + i}-01-01", f"20{10 + i}-01-02") for i in range(33)]}),
        422)
    assert ("/employments", "too_many_employments") in fields(body)
    body = problem(w.hr.post(f"{BASE}/{rid}/sick-reports", json={
        "employee_id": ok["id"], "first_sick_day": "2025-06-10", "report_date": "2025-06-10",
        "ao_percentage": "0"}), 422)
    assert ("/ao_percentage", "ao_percentage_invalid") in fields(body)
    # Every broken field at once, the AO range included.
    body = problem(w.hr.post(f"{BASE}/{rid}/sick-reports", json={
        "employee_id": ok["id"], "first_sick_day": "2025-13-10", "report_date": "2025-06-10",
        "ao_percentage": "0"}), 422)
    assert {("/first_sick_day", "date_invalid"), ("/ao_percentage", "ao_percentage_invalid")} <= \
        fields(body)
    body = problem(w.hr.post(f"{BASE}/{rid}/sick-reports", json={
        "employee_id": ok["id"], "first_sick_day": "2025-02-30", "report_date": "2025-06-10",
        "ao_percentage": "50", "atw_percentage": "101"}), 422)
    assert {("/first_sick_day", "date_invalid"), ("/atw_percentage", "atw_percentage_invalid")} <= \
        fields(body)
    body = problem(w.hr.patch(f"{BASE}/{rid}/employees/{ok['id']}",
                              json={"insured_wage": "-5.00"}), 422)
    assert ("/insured_wage", "invalid_format") in fields(body)


def test_lock_and_reopen(w):
    rid, emp = worked_example(w, "stop_loss")
    for r in (w.hr.patch(f"{BASE}/{rid}/employees/{emp['A']}", json={"insured_wage": "1.00"}),
              w.hr.post(f"{BASE}/{rid}/sick-reports", json={
                  "employee_id": emp["A"], "first_sick_day": "2025-06-02",
                  "report_date": "2025-06-02", "ao_percentage": "100"}),
              w.hr.post(f"{BASE}/{rid}/submit"),
              add_employee_raw(w.hr, rid),
              w.hr.post(f"{BASE}/{rid}/evidence", data={"kind": "payroll_summary",
                                                        "checklist_confirmed": "true"},
                        files={"file": ("loonstaat.pdf", PDF, "application/pdf")})):
        problem(r, 409, "reconciliation_submitted")
    wait_processed(w.hr, rid)
    problem(w.hr.post(f"{BASE}/{rid}/reopen", json={"reason": "Loon fout"}), 403, "forbidden")
    r = w.staff.post(f"{BASE}/{rid}/reopen", json={"reason": "Loon van Aalbers was fout"})
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["status"] == "open" and rec["result"] is None
    assert rec["reopen_reason"] == "Loon van Aalbers was fout"
    problem(w.staff.post(f"{BASE}/{rid}/reopen", json={"reason": "nog eens"}), 409,
            "reconciliation_open")
    r = w.hr.patch(f"{BASE}/{rid}/employees/{emp['A']}", json={"insured_wage": "51000.00"})
    assert r.status_code == 200, r.text
    assert r.json()["insured_wage"] == "51000.00" and r.json()["line"] is None
    assert w.hr.post(f"{BASE}/{rid}/submit").status_code == 200
    rec = wait_processed(w.hr, rid)
    # A's premium is now 51,000.00 x 2% = 1,020.00: 200.00 more than before.
    assert rec["result"]["definitive_premium"] == "2380.72"


def add_employee_raw(actor, rid):
    return actor.post(f"{BASE}/{rid}/employees", json={
        "person": {"initials": "L.", "surname": "Laat", "birth_date": "1980-01-01",
                   "gender": "male", "bsn": new_bsn()},
        "employments": [employment("2025-04-01")], "insured_wage": "100.00"})


def test_evidence(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    url = f"{BASE}/{rid}/evidence"
    r = w.hr.post(url, data={"kind": "payroll_summary", "checklist_confirmed": "true"},
                  files={"file": ("loonstaat.pdf", PDF, "application/octet-stream")})
    assert r.status_code == 201, r.text
    ev = r.json()
    assert ev["kind"] == "payroll_summary" and ev["content_type"] == "application/pdf"
    assert ev["size"] == len(PDF) and ev["checklist_confirmed"] is True
    problem(w.hr.post(url, data={"kind": "absence_report", "checklist_confirmed": "true"},
                      files={"file": ("rapport.pdf", ELF, "application/pdf")}), 415)
    problem(w.hr.post(url, data={"kind": "absence_report", "checklist_confirmed": "true"},
                      files={"file": ("leeg.csv", b"", "text/csv")}), 415)
    body = problem(w.hr.post(url, data={"kind": "absence_report"},
                             files={"file": ("rapport.pdf", PDF, "application/pdf")}), 422)
    assert ("/checklist_confirmed", "checklist_not_confirmed") in fields(body)
    body = problem(w.hr.post(url, data={"kind": "selfie", "checklist_confirmed": "true"},
                             files={"file": ("rapport.pdf", PDF, "application/pdf")}), 422)
    assert ("/kind", "invalid_value") in fields(body)
    problem(w.hr_read.post(url, data={"kind": "payroll_summary", "checklist_confirmed": "true"},
                           files={"file": ("l.pdf", PDF, "application/pdf")}), 403)
    rec = w.hr.get(f"{BASE}/{rid}").json()
    assert [e["id"] for e in rec["evidence"]] == [ev["id"]]


def test_rights(w):
    rid, emp = worked_example(w, "stop_loss")
    wait_processed(w.hr, rid)
    # hr_read consults, but changes nothing.
    assert w.hr_read.get(f"{BASE}/{rid}").status_code == 200
    assert w.hr_read.get(f"{BASE}/{rid}/employees").status_code == 200
    problem(w.hr_read.post(f"{BASE}/{rid}/submit"), 403, "forbidden")
    problem(w.hr_read.patch(f"{BASE}/{rid}/employees/{emp['A']}", json={"insured_wage": "1"}),
            403, "forbidden")
    # finance reads the reconciliation and its result, not the people.
    r = w.finance.get(f"{BASE}/{rid}")
    assert r.status_code == 200 and r.json()["result"]["settlement"] == "-819.28"
    problem(w.finance.get(f"{BASE}/{rid}/employees"), 403, "forbidden")
    assert rid in [x["id"] for x in w.finance.get(BASE, params={"limit": 200}).json()["items"]]
    # Another employer sees nothing of it.
    problem(w.admin2.get(f"{BASE}/{rid}"), 404, "not_found")
    problem(w.admin2.get(f"{BASE}/{rid}/employees"), 404, "not_found")
    problem(w.admin2.post(f"{BASE}/{rid}/submit"), 404, "not_found")
    assert rid not in [x["id"] for x in w.admin2.get(BASE, params={"limit": 200}).json()["items"]]


def test_staff_overview_not_handed_in(w):
    s1 = fresh_scheme(w)
    s2 = fresh_scheme(w)
    early = open_recon(w.staff, s1["id"], deadline="2026-01-15")
    late = open_recon(w.staff, s2["id"], deadline="2026-06-30")
    r = w.staff.get(BASE, params={"status": "open", "deadline_before": "2026-02-01",
                                  "limit": 200})
    assert r.status_code == 200, r.text
    ids = [x["id"] for x in r.json()["items"]]
    assert early["id"] in ids and late["id"] not in ids
    assert all(x["status"] == "open" and x["deadline"] < "2026-02-01" for x in r.json()["items"])
    item = next(x for x in r.json()["items"] if x["id"] == early["id"])
    assert item["organisation_id"] == w.emp["id"] and item["organisation_name"]
    r = w.staff.get(BASE, params={"scheme_id": s2["id"], "year": 2025})
    assert [x["id"] for x in r.json()["items"]] == [late["id"]]
    problem(w.staff.get(BASE, params={"status": "lost"}), 400, "invalid_request")


def test_mandated_offices_follow_their_mandate(w):
    scheme = fresh_scheme(w)
    rid = open_recon(w.staff, scheme["id"])["id"]
    grant(w.admin, w.office_read["id"], [scheme["id"]], "read")
    grant(w.admin, w.office_write["id"], [scheme["id"]], "read_write")
    # A read mandate consults (as hr_read); a read-write mandate fills in (as hr).
    assert w.int_read.get(f"{BASE}/{rid}").status_code == 200
    assert w.int_read.get(f"{BASE}/{rid}/employees").json()["items"] == []
    problem(add_employee_raw(w.int_read, rid), 403, "forbidden")
    e = add_employee(w.int_write, rid, "Kantoor", [employment("2025-04-01")], "1000.00")
    assert e["insured_wage"] == "1000.00"
    # An office without a mandate on the scheme sees nothing.
    problem(w.int_none.get(f"{BASE}/{rid}"), 404, "not_found")
    assert rid not in [x["id"] for x in w.int_none.get(BASE, params={"limit": 200}).json()["items"]]
    assert rid in [x["id"] for x in w.int_read.get(BASE, params={"limit": 200}).json()["items"]]


def test_idempotency_key_and_if_match(w):
    scheme = fresh_scheme(w)
    body = {"scheme_id": scheme["id"], "year": 2025, "deadline": "2026-03-31",
            **STOP_LOSS_PARAMS}
    key = {"Idempotency-Key": unique("recon-")}
    first = w.staff.post(BASE, json=body, headers=key)
    assert first.status_code == 201, first.text
    again = w.staff.post(BASE, json=body, headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    problem(w.staff.post(BASE, json=dict(body, deadline="2026-04-30"), headers=key), 422,
            "idempotency_key_reused")
    rid = first.json()["id"]
    emp_key = {"Idempotency-Key": unique("emp-")}
    e1 = w.hr.post(f"{BASE}/{rid}/employees", headers=emp_key, json={
        "person": {"initials": "I.", "surname": "Eenmaal", "birth_date": "1980-01-01",
                   "gender": "male", "bsn": new_bsn()},
        "employments": [employment("2025-04-01")], "insured_wage": "1000.00"})
    assert e1.status_code == 201, e1.text
    e2 = w.hr.post(f"{BASE}/{rid}/employees", headers=emp_key, json=json_of(e1.request.body))
    assert e2.status_code == 201 and e2.json()["id"] == e1.json()["id"], e2.text
    assert len(w.hr.get(f"{BASE}/{rid}/employees").json()["items"]) == 1
    # ETag and If-Match: a stale ETag is refused, the current one goes ahead.
    r = w.hr.get(f"{BASE}/{rid}")
    etag = r.headers["ETag"]
    w.hr.patch(f"{BASE}/{rid}/employees/{e1.json()['id']}", json={"insured_wage": "1200.00"})
    problem(w.hr.post(f"{BASE}/{rid}/submit", headers={"If-Match": etag}), 412,
            "precondition_failed")
    current = w.hr.get(f"{BASE}/{rid}").headers["ETag"]
    assert current != etag
    r = w.hr.post(f"{BASE}/{rid}/submit", headers={"If-Match": current})
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] != current


def json_of(raw):
    import json
    return json.loads(raw)


def test_employer_is_mailed_to_hand_in(w, mail, cluster):
    """Opening a reconciliation queues a notification; the digest mail to the
    employer's notification address names the reconciliation to hand in."""
    address = f"{unique('naverrekening')}@werkgever.example"
    org = new_org(w.staff, "employer", unique("Mail BV "), notification_email=address)
    scheme = new_scheme(w.staff, org["id"], "income", start_date="2025-04-01",
                        variant="no_claim")
    rid = open_recon(w.staff, scheme["id"])["id"]
    cluster.psql("UPDATE jobs SET run_at = now() WHERE kind = 'notification_digest'"
                 f" AND status = 'pending' AND payload->>'organisation_id' = '{org['id']}'")
    m = mail.wait_for(lambda m: address in m["to"])
    body = body_of(m)
    assert "Naverrekening 2025 aanleveren" in body
    assert f"/reconciliations/{rid}" in body
