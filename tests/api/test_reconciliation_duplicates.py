"""Likely duplicate employees in a reconciliation (seed 002 §16): pairs with
the same name and birth date are listed, merged (employments, wage and sick
reports move to the employee kept) or declared two people; hand-in refuses
while a pair is unresolved. (The same BSN twice cannot be entered: the
second is refused with employee_exists.)"""
import pytest

from org_helpers import fields, problem
from participant_helpers import new_bsn
from test_reconciliations import (BASE, ReconWorld, employment, fresh_scheme, open_recon, sick)

_world = {}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = ReconWorld(api, mail, server, cluster)
    return _world["w"]


def person(actor, rid, surname, initials, birth, employments, wage=None, prefix=None):
    body = {"person": {"initials": initials, "surname": surname, "surname_prefix": prefix,
                       "birth_date": birth, "gender": "male", "bsn": new_bsn()},
            "employments": employments}
    if prefix is None:
        del body["person"]["surname_prefix"]
    if wage is not None:
        body["insured_wage"] = wage
    r = actor.post(f"{BASE}/{rid}/employees", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_pairs_are_listed_and_block_hand_in_until_merged(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    a = person(w.hr, rid, "Jansen", "J.", "1980-02-03",
               [employment("2019-05-01", "2025-06-30")], "10000.00")
    # The same person entered again: initials without the dot, surname in capitals.
    b = person(w.hr, rid, "JANSEN", "J", "1980-02-03", [employment("2025-09-01")], "5000.00")
    person(w.hr, rid, "Jansen", "J.", "1981-02-03", [employment("2025-04-01")], "1000.00")
    person(w.hr, rid, "Jansen", "K.", "1980-02-03", [employment("2025-04-01")], "1000.00")
    report = sick(w.hr, rid, b["id"], "2025-10-06", "2025-10-10")

    r = w.hr.get(f"{BASE}/{rid}/duplicates")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 1
    assert body["items"][0]["reason"] == "same_name_and_birth_date"
    assert [e["id"] for e in body["items"][0]["employees"]] == [a["id"], b["id"]]

    r = w.hr.post(f"{BASE}/{rid}/submit")
    body = problem(r, 422, "reconciliation_incomplete")
    dup = [e for e in body["errors"] if e["code"] == "likely_duplicate"]
    assert [(e["field"], e["duplicate_of"]) for e in dup] == [
        (f"/employees/{b['id']}/duplicate_of", a["id"])]

    url = f"{BASE}/{rid}/duplicates/merge"
    body = problem(w.hr.post(url, json={"keep_employee_id": a["id"],
                                        "merge_employee_id": a["id"]}), 422)
    assert ("/merge_employee_id", "same_employee") in fields(body)
    others = w.hr.get(f"{BASE}/{rid}/employees").json()["items"]
    not_pair = next(e for e in others if e["birth_date"] == "1981-02-03")
    body = problem(w.hr.post(url, json={"keep_employee_id": a["id"],
                                        "merge_employee_id": not_pair["id"]}), 422)
    assert ("/merge_employee_id", "not_a_duplicate") in fields(body)
    body = problem(w.hr.post(url, json={"keep_employee_id": a["id"]}), 400)
    problem(w.hr_read.post(url, json={"keep_employee_id": a["id"],
                                      "merge_employee_id": b["id"]}), 403, "forbidden")
    problem(w.admin2.post(url, json={"keep_employee_id": a["id"],
                                     "merge_employee_id": b["id"]}), 404, "not_found")

    r = w.hr.post(url, json={"keep_employee_id": a["id"], "merge_employee_id": b["id"]})
    assert r.status_code == 200, r.text
    kept = r.json()
    assert kept["id"] == a["id"] and kept["insured_wage"] == "15000.00"
    assert kept["employments"] == [employment("2019-05-01", "2025-06-30"),
                                   employment("2025-09-01")]
    ids = [e["id"] for e in w.hr.get(f"{BASE}/{rid}/employees").json()["items"]]
    assert b["id"] not in ids and a["id"] in ids
    reports = w.hr.get(f"{BASE}/{rid}/sick-reports").json()["items"]
    assert [(x["id"], x["employee_id"]) for x in reports] == [(report["id"], a["id"])]
    assert w.hr.get(f"{BASE}/{rid}/duplicates").json() == {"items": [], "total": 0}

    r = w.hr.post(f"{BASE}/{rid}/submit")
    assert r.status_code == 200, r.text
    problem(w.hr.post(url, json={"keep_employee_id": a["id"], "merge_employee_id": b["id"]}),
            409, "reconciliation_submitted")


def test_two_people_after_all(w):
    rid = open_recon(w.staff, fresh_scheme(w)["id"])["id"]
    a = person(w.hr, rid, "Berg", "P.", "1975-07-07", [employment("2025-04-01")], "1000.00",
               prefix="van den")
    b = person(w.hr, rid, "Berg", "P", "1975-07-07", [employment("2025-04-01")], "2000.00",
               prefix="Van Den")
    # Reading: hr_read sees the pairs; finance does not see people.
    assert w.hr_read.get(f"{BASE}/{rid}/duplicates").json()["total"] == 1
    problem(w.finance.get(f"{BASE}/{rid}/duplicates"), 403, "forbidden")
    problem(w.admin2.get(f"{BASE}/{rid}/duplicates"), 404, "not_found")
    url = f"{BASE}/{rid}/duplicates/dismiss"
    problem(w.hr.post(url, json={"employee_ids": [a["id"]]}), 400, "invalid_request")
    problem(w.hr_read.post(url, json={"employee_ids": [a["id"], b["id"]]}), 403, "forbidden")
    r = w.hr.post(url, json={"employee_ids": [b["id"], a["id"]]})
    assert r.status_code == 204, r.text
    assert w.hr.post(url, json={"employee_ids": [a["id"], b["id"]]}).status_code == 204
    assert w.hr.get(f"{BASE}/{rid}/duplicates").json()["total"] == 0
    r = w.hr.post(f"{BASE}/{rid}/submit")
    assert r.status_code == 200, r.text
