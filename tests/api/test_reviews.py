"""The insurer's review queue (issue 5, DESIGN.md §4.3): registrations and
changes waiting for extra checks, approval (the change applies with its
original dates) and rejection with a reason the employer sees in the
history and in submitted changes. Against the real server."""
import pytest

from org_helpers import fields, new_scheme, problem
from participant_helpers import (add_months, change, days, detail, history, iso, listing,
                                 participant_world, register, registration, today, years_before)


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


def queue(actor, **params):
    items, cursor = [], None
    while True:
        p = dict({"limit": 200}, **params)
        if cursor:
            p["cursor"] = cursor
        r = actor.get("/api/v1/reviews", params=p)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return items


def pending_registration(w, scheme=None, **kw):
    start = days(add_months(today(), -4), -2)
    p = register(w.hr, (scheme or w.pension)["id"], start=start, **kw).json()
    assert p["status"] == "pending_review"
    return p, start


def test_the_queue_lists_what_waits(w):
    p, start = pending_registration(w)
    items = queue(w.staff)
    mine = [i for i in items if i["participant_id"] == p["id"]]
    assert len(mine) == 1
    item = mine[0]
    assert item["id"] == p["registration"]["id"] and item["type"] == "registration"
    assert item["status"] == "pending_review" and item["effective_date"] == iso(start)
    assert item["participant"] == {"id": p["id"], "participant_number": p["participant_number"],
                                   "display_name": p["display_name"]}
    assert item["scheme"]["id"] == w.pension["id"] and item["organisation"]["id"] == w.emp["id"]
    assert [r["id"] for r in item["review_reasons"]] == [
        "effective_date_more_than_three_months_back"]
    # Oldest first; filters; keyset pages.
    times = [i["registered_at"] for i in items]
    assert times == sorted(times)
    assert all(i["type"] == "registration" for i in queue(w.staff, type="registration"))
    only = queue(w.staff, scheme_id=w.pension["id"])
    assert {i["scheme"]["id"] for i in only} == {w.pension["id"]}
    r = w.staff.get("/api/v1/reviews", params={"limit": 1})
    assert len(r.json()["items"]) == 1
    if r.json()["next_cursor"]:
        r2 = w.staff.get("/api/v1/reviews", params={"limit": 1, "cursor": r.json()["next_cursor"]})
        assert r2.json()["items"][0]["id"] != r.json()["items"][0]["id"]
    # Only staff.
    for who in (w.admin, w.hr, w.hr_read, w.int_write, w.token):
        problem(who.get("/api/v1/reviews"), 403, "forbidden")
        # Deciding is for signed-in people: an API token is refused before its rights count.
        decided = (401, "unauthorized") if who is w.token else (403, "forbidden")
        problem(who.post(f"/api/v1/reviews/{item['id']}/approve"), *decided)
        problem(who.post(f"/api/v1/reviews/{item['id']}/reject", json={"reason": "x"}), *decided)
    problem(w.staff.get("/api/v1/reviews", params={"type": "x"}), 400, "invalid_request")


def test_approving_a_registration_applies_its_original_dates(w):
    p, start = pending_registration(w)
    r = w.staff.post(f"/api/v1/reviews/{p['registration']['id']}/approve")
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["status"] == "processed" and c["decided_at"].endswith("Z")
    assert c["effective_date"] == iso(start)
    d = detail(w.hr, p["id"])
    assert d["status"] == "active" and d["employment"]["start_date"] == iso(start)
    assert detail(w.hr, p["id"], as_of=iso(start))["status"] == "active"
    assert p["id"] not in {i["participant_id"] for i in queue(w.staff)}
    assert history(w.hr, p["id"])[0]["status"] == "processed"
    # Decided already.
    problem(w.staff.post(f"/api/v1/reviews/{c['id']}/approve"), 409, "review_not_pending")
    problem(w.staff.post(f"/api/v1/reviews/{c['id']}/reject", json={"reason": "x"}), 409,
            "review_not_pending")
    problem(w.staff.post("/api/v1/reviews/nope/approve"), 404, "not_found")
    problem(w.staff.post("/api/v1/reviews/00000000-0000-4000-8000-000000000000/approve"), 404,
            "not_found")


def test_rejecting_a_registration_shows_the_reason_and_frees_the_bsn(w):
    start = days(today(), -5)
    body = registration(w.pension["id"], start=start,
                        birth_date=iso(years_before(start, 70)))
    p = register(w.hr, w.pension["id"], body=body).json()
    assert [x["id"] for x in p["registration"]["review_reasons"]] == ["age_67_or_over"]
    rid = p["registration"]["id"]
    body_400 = problem(w.staff.post(f"/api/v1/reviews/{rid}/reject", json={}), 400,
                       "invalid_request")
    assert ("/reason", "required") in fields(body_400)
    r = w.staff.post(f"/api/v1/reviews/{rid}/reject",
                     json={"reason": "Geboortedatum klopt niet met de BRP."})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "rejected"
    # The employer sees status and reason.
    d = detail(w.hr, p["id"])
    assert d["status"] == "rejected"
    h = history(w.hr, p["id"])
    assert h[0]["status"] == "rejected"
    assert h[0]["rejection_reason"] == "Geboortedatum klopt niet met de BRP."
    rows = w.hr.get("/api/v1/changes", params={"scheme_id": w.pension["id"], "status": "rejected",
                                               "limit": 200}).json()["items"]
    assert rid in {x["id"] for x in rows}
    assert listing(w.hr, scheme_id=w.pension["id"], q=p["participant_number"],
                   status="rejected")[0]["id"] == p["id"]
    # A rejected participant cannot be changed; the BSN may be registered anew.
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                      json={"type": "salary_change", "effective_date": iso(today()),
                            "salary": "1.00"}), 409, "participant_rejected")
    again = dict(body)
    again["person"] = dict(body["person"], birth_date="1980-05-01")
    q = register(w.hr, w.pension["id"], body=again).json()
    assert q["id"] != p["id"] and q["status"] == "active"


def test_a_change_waiting_for_review_applies_only_when_approved(w):
    t = today()
    p, start = pending_registration(w, salary="40000.00")
    w.staff.post(f"/api/v1/reviews/{p['registration']['id']}/approve")
    back = days(add_months(t, -3), -5)
    c = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(back),
                               "salary": "45000.00"}).json()
    assert c["status"] == "pending_review"
    assert detail(w.hr, p["id"])["employment"]["salary"] == "40000.00"
    assert c["id"] in {i["id"] for i in queue(w.staff)}
    r = w.staff.post(f"/api/v1/reviews/{c['id']}/approve")
    assert r.status_code == 200, r.text
    assert detail(w.hr, p["id"])["employment"]["salary"] == "45000.00"
    assert detail(w.hr, p["id"], as_of=iso(back))["employment"]["salary"] == "45000.00"
    assert detail(w.hr, p["id"], as_of=iso(days(back, -1)))["employment"]["salary"] == "40000.00"
    # A rejected change never applies; the employer sees why.
    d = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(back),
                               "salary": "99000.00"}).json()
    w.staff.post(f"/api/v1/reviews/{d['id']}/reject", json={"reason": "Geen loonstrook."})
    assert detail(w.hr, p["id"])["employment"]["salary"] == "45000.00"
    one = w.hr.get(f"/api/v1/changes/{d['id']}").json()
    assert one["status"] == "rejected" and one["rejection_reason"] == "Geen loonstrook."
    # A pending change may also be withdrawn by the employer; it leaves the queue.
    e = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(back),
                               "salary": "46000.00"}).json()
    r = w.hr.post(f"/api/v1/changes/{e['id']}/cancel", json={"reason": "Vergissing"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert e["id"] not in {i["id"] for i in queue(w.staff)}
    problem(w.staff.post(f"/api/v1/reviews/{e['id']}/approve"), 409, "review_not_pending")


def test_approval_waits_while_a_batch_runs(w):
    scheme = new_scheme(w.staff, w.emp["id"], "pension")
    p, _ = pending_registration(w, scheme)
    w.psql(f"INSERT INTO scheme_locks (scheme_id, batch_id) VALUES ('{scheme['id']}',"
           " gen_random_uuid())")
    problem(w.staff.post(f"/api/v1/reviews/{p['registration']['id']}/approve"), 409,
            "scheme_locked_by_batch")
    w.psql(f"DELETE FROM scheme_locks WHERE scheme_id = '{scheme['id']}'")
    assert w.staff.post(f"/api/v1/reviews/{p['registration']['id']}/approve").status_code == 200
