"""Changing an employee inside a reconciliation (seed 002 §15): the general
data (names, birth date, gender, BSN) beside the employments and the wage,
checked by the rules of adding one; locked once handed in. And the evidence
staff ask for when opening one (§19-21): handing in needs each file asked."""
from document_helpers import PDF
from org_helpers import fields, problem
from participant_helpers import new_bsn
from test_reconciliations import BASE, add_employee, employment, fresh_scheme, open_recon, w

assert w  # the module fixture, shared with test_reconciliations


def person(surname, bsn, **overrides):
    p = {"first_name": "Anna", "initials": "A.", "surname_prefix": "van", "surname": surname,
         "birth_date": "1985-02-03", "gender": "female", "bsn": bsn}
    p.update(overrides)
    return {k: v for k, v in p.items() if v is not None}


def test_change_general_data(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    e = add_employee(w.hr, rid, "Eerst", [employment("2025-04-01")], "41000.00")
    bsn = new_bsn()
    r = w.hr.patch(f"{BASE}/{rid}/employees/{e['id']}",
                   json={"person": person("Dijk", bsn, gender="male"), "insured_wage": "42000.00"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["first_name"], got["initials"], got["surname_prefix"], got["surname"]) == \
        ("Anna", "A.", "van", "Dijk")
    assert got["display_name"] == "Dijk, A., van"
    assert (got["birth_date"], got["gender"], got["bsn"]) == ("1985-02-03", "male", bsn)
    assert got["insured_wage"] == "42000.00"
    assert got["employments"] == e["employments"]
    # Without "person" the general data stay as they are.
    r = w.hr.patch(f"{BASE}/{rid}/employees/{e['id']}", json={"insured_wage": "43000.00"})
    assert r.status_code == 200, r.text
    assert r.json()["surname"] == "Dijk" and r.json()["bsn"] == bsn


def test_change_checked_like_creation(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    e = add_employee(w.hr, rid, "Tweede", [employment("2025-04-01")], "41000.00")
    other = add_employee(w.hr, rid, "Ander", [employment("2025-04-01")], "41000.00")
    url = f"{BASE}/{rid}/employees/{e['id']}"
    good = new_bsn()
    bad = good[:8] + str((int(good[8]) + 1) % 10)
    body = problem(w.hr.patch(url, json={"person": person("Fout", bad)}), 422)
    assert ("/person/bsn", "invalid_bsn") in fields(body)
    # A missing mandatory field is refused when the body is read, as on adding.
    body = problem(w.hr.patch(url, json={"person": person(None, good)}), 400, "invalid_request")
    assert ("/person/surname", "required") in fields(body)
    body = problem(w.hr.patch(url, json={"person": person("Fout", good, gender="x")}), 422)
    assert ("/person/gender", "invalid_value") in fields(body)
    problem(w.hr.patch(url, json={"person": person("Dubbel", other["bsn"])}), 409,
            "employee_exists")
    # Nothing of the refused changes stuck.
    items = w.hr.get(f"{BASE}/{rid}/employees").json()["items"]
    mine = [i for i in items if i["id"] == e["id"]][0]
    assert mine["surname"] == "Tweede" and mine["bsn"] == e["bsn"]


def test_change_locked_after_submit(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    e = add_employee(w.hr, rid, "Slot", [employment("2025-04-01")], "41000.00")
    assert w.hr.post(f"{BASE}/{rid}/submit").status_code == 200
    problem(w.hr.patch(f"{BASE}/{rid}/employees/{e['id']}",
                       json={"person": person("Later", new_bsn())}), 409,
            "reconciliation_submitted")


def test_evidence_asked_when_opening(w):
    problem(w.staff.post(BASE, json={
        "scheme_id": fresh_scheme(w)["id"], "year": 2025, "deadline": "2026-03-31",
        "premium_rate": "2.000", "provisional_premium": "3000.00",
        "evidence_requested": ["selfie"]}), 400)
    plain = open_recon(w.staff, fresh_scheme(w)["id"])
    assert plain["evidence_requested"] == []
    rec = open_recon(w.staff, fresh_scheme(w)["id"],
                     evidence_requested=["absence_report", "payroll_summary"])
    rid = rec["id"]
    assert rec["evidence_requested"] == ["payroll_summary", "absence_report"]
    assert w.hr.get(f"{BASE}/{rid}").json()["evidence_requested"] == \
        ["payroll_summary", "absence_report"]
    add_employee(w.hr, rid, "Bewijs", [employment("2025-04-01")], "41000.00")
    body = problem(w.hr.post(f"{BASE}/{rid}/submit"), 422, "reconciliation_incomplete")
    assert {("/evidence/payroll_summary", "evidence_missing"),
            ("/evidence/absence_report", "evidence_missing")} <= fields(body)
    r = w.hr.post(f"{BASE}/{rid}/evidence",
                  data={"kind": "payroll_summary", "checklist_confirmed": "true"},
                  files={"file": ("loonstaat.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.text
    body = problem(w.hr.post(f"{BASE}/{rid}/submit"), 422, "reconciliation_incomplete")
    assert fields(body) == {("/evidence/absence_report", "evidence_missing")}
    r = w.hr.post(f"{BASE}/{rid}/evidence",
                  data={"kind": "absence_report", "checklist_confirmed": "true"},
                  files={"file": ("arbo.pdf", PDF, "application/pdf")})
    assert r.status_code == 201, r.text
    r = w.hr.post(f"{BASE}/{rid}/submit")
    assert r.status_code == 200, r.text
