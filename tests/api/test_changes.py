"""Individual changes on participants (issue 5, DESIGN.md §4.3, seed 001
§4.2 and §4.5): every type and rule with its code, the three-month window in
Europe/Amsterdam dates, terminations and their cancellation, If-Match,
Idempotency-Key, concurrent changes, the batch lock, the participant's
history and the submitted-changes view with the seed's ordering example.
Against the real server."""
import threading

import pytest

from org_helpers import fields, new_scheme, problem
from participant_helpers import (add_months, bad_bsn, change, child, days, detail, history, iso,
                                 listing, new_number, participant_world, partner, register,
                                 registration, today)


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


def fresh(w, scheme=None, start_days=-60, **kw):
    """A participant started start_days ago (within the direct window)."""
    return register(w.hr, (scheme or w.pension)["id"], start=days(today(), start_days), **kw).json()


def submitted(actor, **params):
    r = actor.get("/api/v1/changes", params=dict({"limit": 200}, **params))
    assert r.status_code == 200, r.text
    return r.json()["items"]


# --- salary and part-time ------------------------------------------------------------------

def test_salary_change_applies_from_its_date(w):
    t = today()
    p = fresh(w, salary="40000.00")
    r = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(days(t, -10)),
                               "salary": "42000", "parttime_percentage": "80"})
    c = r.json()
    assert set(c) == {"id", "participant_id", "type", "effective_date", "registered_at", "status",
                      "review_reasons"}
    assert c["participant_id"] == p["id"] and c["type"] == "salary_change"
    assert c["status"] == "processed" and c["effective_date"] == iso(days(t, -10))
    assert r.headers["Location"] == f"/api/v1/changes/{c['id']}"
    now = detail(w.hr, p["id"])
    assert now["employment"]["salary"] == "42000.00"
    assert now["employment"]["parttime_percentage"] == "80.000"
    before = detail(w.hr, p["id"], as_of=iso(days(t, -11)))
    assert before["employment"]["salary"] == "40000.00"
    row = listing(w.hr, scheme_id=w.pension["id"], q=p["participant_number"])[0]
    assert row["salary"] == "42000.00" and row["parttime_percentage"] == "80.000"
    # Only part-time: the salary stays. A change ahead does not show today.
    change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(days(t, 10)),
                           "parttime_percentage": "100.000"})
    assert detail(w.hr, p["id"])["employment"]["parttime_percentage"] == "80.000"
    ahead = detail(w.hr, p["id"], as_of=iso(days(t, 10)))["employment"]
    assert ahead == {"start_date": p["employment"]["start_date"], "end_date": None,
                     "salary": "42000.00", "parttime_percentage": "100.000"}
    one = w.hr.get(f"/api/v1/changes/{c['id']}").json()
    assert one["data"] == {"salary": "42000.00", "parttime_percentage": "80.000"}
    assert one["participant_number"] == p["participant_number"]


def periods(w, participant_id, where="superseded_at IS NULL"):
    """The participant's periods (id, registered_at, valid, salary), by id."""
    out = w.cluster.psql(
        "SELECT string_agg(concat_ws('|', id, registered_at, valid, salary), ';' ORDER BY id)"
        f" FROM participant_periods WHERE participant_id = '{participant_id}' AND {where}")
    return [tuple(x.split("|")) for x in out.split(";")] if out else []


def test_a_change_rewrites_only_the_periods_it_changes(w):
    """A rebuild supersedes only the current periods it derives differently
    and inserts only the new ones (migration 0022); kept periods keep their
    registered_at, and what was known before the change is still answered."""
    t = today()
    p = fresh(w, salary="40000.00")
    change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(days(t, -20)),
                           "salary": "41000"})
    change(w.hr, p["id"], {"type": "address_change", "effective_date": iso(days(t, -10)),
                           "address": {"street": "Kerkstraat", "house_number": "1",
                                       "postal_code": "1234 AB", "city": "Utrecht",
                                       "country": "NL"}})
    before = periods(w, p["id"])
    assert len(before) == 3
    everything = len(periods(w, p["id"], "true"))
    known_before = w.cluster.psql("SELECT clock_timestamp()")
    change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(t), "salary": "43000"})
    after = periods(w, p["id"])
    # The first two periods are the same rows; the last one is split in two.
    assert after[:2] == before[:2]
    assert [x[2:] for x in after[2:]] == [(f"[{iso(days(t, -10))},{iso(t)})", "41000.00"),
                                          (f"[{iso(t)},)", "43000.00")]
    assert len(periods(w, p["id"], "true")) == everything + 2
    assert periods(w, p["id"], "superseded_at IS NOT NULL AND superseded_at > "
                   f"'{known_before}'") == [before[2]]
    # The current periods are what a full derivation gives, and a rebuild
    # with nothing new writes nothing (only the version moves).
    w.cluster.psql(f"SELECT portal_participant_rebuild('{p['id']}')")
    assert periods(w, p["id"]) == after
    assert len(periods(w, p["id"], "true")) == everything + 2
    # As known before the change: the old salary today; as known now: the new.
    scheme = w.pension["id"]
    for known, salary in ((known_before, "41000.00"), ("now()", "43000.00")):
        at = f"'{known}'" if known != "now()" else known
        assert w.cluster.psql(
            f"SELECT salary FROM portal_participants_as_known_at(ARRAY['{scheme}'::uuid],"
            f" '{iso(t)}', {at}) WHERE participant_id = '{p['id']}'") == salary
    # Cancelling the change derives the old last period again, as a new row.
    changes = history(w.hr, p["id"])
    last = next(c for c in changes if c["effective_date"] == iso(t))
    r = w.hr.post(f"/api/v1/changes/{last['id']}/cancel", json={"reason": "Vergissing"})
    assert r.status_code == 200, r.text
    restored = periods(w, p["id"])
    assert restored[:2] == before[:2]
    assert [x[2:] for x in restored[2:]] == [(f"[{iso(days(t, -10))},)", "41000.00")]
    assert detail(w.hr, p["id"])["employment"]["salary"] == "41000.00"


def test_salary_change_fields(w):
    p = fresh(w)
    base = {"type": "salary_change", "effective_date": iso(today())}
    body = problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes", json=base), 422,
                   "validation_failed")
    assert ("/salary", "salary_change_empty") in fields(body)
    for salary in ("-1", "1.001", "abc"):
        body = problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                                 json=dict(base, salary=salary)), 422, "validation_failed")
        assert ("/salary", "salary_invalid") in fields(body)
    body = problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                             json=dict(base, parttime_percentage="0")), 422, "validation_failed")
    assert ("/parttime_percentage", "parttime_percentage_invalid") in fields(body)
    body = problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                             json=dict(base, salary=50000)), 400, "invalid_request")
    assert ("/salary", "invalid_type") in fields(body)


def test_the_three_month_window(w):
    t = today()
    p = register(w.hr, w.pension["id"], start=add_months(t, -3)).json()
    url = f"/api/v1/participants/{p['id']}/changes"

    def post(date, expect):
        return change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(date),
                                      "salary": "50000.00"}, expect=expect)

    # Ahead: up to and including today plus three months (clamped).
    post(add_months(t, 3), 201)
    body = post(days(add_months(t, 3), 1), 422).json()
    assert body["code"] == "effective_date_out_of_range"
    assert ("/effective_date", "effective_date_out_of_range") in fields(body)
    # Back: today minus three months is direct.
    assert post(add_months(t, -3), 201).json()["status"] == "processed"
    # Before the employment start: out of range.
    body = post(days(add_months(t, -3), -1), 422).json()
    assert body["code"] == "effective_date_out_of_range"
    body = problem(w.hr.post(url, json={"type": "salary_change", "effective_date": "1949-12-31",
                                        "salary": "1.00"}), 422, "effective_date_out_of_range")
    body = problem(w.hr.post(url, json={"type": "salary_change", "effective_date": "2023-02-30",
                                        "salary": "1.00"}), 422, "validation_failed")
    assert ("/effective_date", "date_invalid") in fields(body)
    problem(w.hr.post(url, json={"type": "salary_change", "salary": "1.00"}), 400,
            "invalid_request")


def test_a_change_more_than_three_months_back_needs_review(w):
    t = today()
    # Registered five months back (itself under review), changed four months back.
    p = register(w.hr, w.pension["id"], start=add_months(t, -5)).json()
    assert p["status"] == "pending_review"
    c = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(add_months(t, -4)),
                               "salary": "61000.00"}).json()
    assert c["status"] == "pending_review"
    assert [r["id"] for r in c["review_reasons"]] == ["effective_date_more_than_three_months_back"]
    # It does not apply until approved.
    assert detail(w.hr, p["id"])["employment"]["salary"] == "52242.28"


# --- termination, dormant and ended --------------------------------------------------------

def test_termination_makes_pension_participants_dormant_from_the_day_after(w):
    t = today()
    p = fresh(w)
    end = days(t, -1)
    c = change(w.hr, p["id"], {"type": "termination", "effective_date": iso(end)}).json()
    assert c["status"] == "processed"
    on_end = detail(w.hr, p["id"], as_of=iso(end))
    assert on_end["status"] == "active" and on_end["employment"]["end_date"] == iso(end)
    now = detail(w.hr, p["id"])
    assert now["status"] == "dormant" and now["employment"]["end_date"] == iso(end)
    # A dormant participant cannot be changed.
    for body in ({"type": "salary_change", "effective_date": iso(end), "salary": "1.00"},
                 {"type": "address_change", "effective_date": iso(t),
                  "address": {"street": "A", "house_number": "1", "postal_code": "1234 AB",
                              "city": "B"}},
                 {"type": "termination", "effective_date": iso(t)}):
        problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes", json=body), 409,
                "participant_dormant")


def test_termination_in_an_income_scheme_ends(w):
    p = fresh(w, w.income)
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(today(), -2))})
    assert detail(w.hr, p["id"])["status"] == "ended"
    assert listing(w.hr, scheme_id=w.income["id"], q=p["participant_number"])[0]["status"] == \
        "ended"
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                      json={"type": "salary_change", "effective_date": iso(today()),
                            "salary": "1.00"}), 409, "participant_dormant")


def test_a_termination_ahead_limits_later_changes(w):
    t = today()
    p = fresh(w)
    end = days(t, 10)
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(end)})
    assert detail(w.hr, p["id"])["status"] == "active"
    assert detail(w.hr, p["id"])["employment"]["end_date"] == iso(end)
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                      json={"type": "termination", "effective_date": iso(days(t, 5))}), 409,
            "termination_already_registered")
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                      json={"type": "salary_change", "effective_date": iso(days(end, 1)),
                            "salary": "1.00"}), 409, "participant_dormant")
    change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(end), "salary": "1.00"})


def test_termination_dates(w):
    t = today()
    start = days(t, -20)
    p = register(w.hr, w.pension["id"], start=start).json()
    body = problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes",
                             json={"type": "termination", "effective_date": iso(days(start, -1))}),
                   422, "effective_date_out_of_range")
    assert ("/effective_date", "effective_date_out_of_range") in fields(body)
    # On the start date itself: allowed (employed for one day).
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(start)})
    assert detail(w.hr, p["id"], as_of=iso(start))["status"] == "active"
    assert detail(w.hr, p["id"], as_of=iso(days(start, 1)))["status"] == "dormant"


# --- partner, child, address ----------------------------------------------------------------

def test_partner_and_child_in_pension_schemes_only(w):
    t = today()
    p = fresh(w)
    pa = partner(relationship="registered_partnership")
    c1 = change(w.hr, p["id"], {"type": "partner_registration", "effective_date": iso(t),
                                "partner": pa}).json()
    ch = child()
    change(w.hr, p["id"], {"type": "child_registration", "effective_date": iso(t), "child": ch})
    d = detail(w.hr, p["id"])
    assert d["partner"]["bsn"] == pa["bsn"]
    assert d["partner"]["relationship"] == "registered_partnership"
    assert d["children"][0]["bsn"] == ch["bsn"] and d["children"][0]["surname_prefix"] == "ter"
    # In the history the BSNs are masked for everyone.
    h = history(w.hr, p["id"])
    assert h[0]["data"]["child"]["bsn"] == "*****" + ch["bsn"][-4:] or \
        h[1]["data"]["partner"]["bsn"] == "*****" + pa["bsn"][-4:]
    assert pa["bsn"] not in str(h) and ch["bsn"] not in str(h)
    one = w.hr.get(f"/api/v1/changes/{c1['id']}").json()
    assert one["data"]["partner"]["bsn"].startswith("*****")
    # Rules: BSN 11-proef, relationship, birth date; 400 for what is missing.
    url = f"/api/v1/participants/{p['id']}/changes"
    body = problem(w.hr.post(url, json={"type": "partner_registration", "effective_date": iso(t),
                                        "partner": partner(bsn=bad_bsn())}), 422, "invalid_bsn")
    assert fields(body) == {("/partner/bsn", "invalid_bsn")}
    body = problem(w.hr.post(url, json={"type": "child_registration", "effective_date": iso(t),
                                        "child": child(bsn=bad_bsn())}), 422, "invalid_bsn")
    assert fields(body) == {("/child/bsn", "invalid_bsn")}
    body = problem(w.hr.post(url, json={"type": "partner_registration", "effective_date": iso(t),
                                        "partner": partner(relationship="friends")}), 422,
                   "validation_failed")
    assert ("/partner/relationship", "relationship_invalid") in fields(body)
    body = problem(w.hr.post(url, json={"type": "child_registration", "effective_date": iso(t),
                                        "child": child(birth_date=iso(days(t, 3)))}), 422,
                   "validation_failed")
    assert ("/child/birth_date", "family_birth_date_in_future") in fields(body)
    c = child()
    del c["bsn"]
    body = problem(w.hr.post(url, json={"type": "child_registration", "effective_date": iso(t),
                                        "child": c}), 400, "invalid_request")
    assert ("/child/bsn", "required") in fields(body)
    body = problem(w.hr.post(url, json={"type": "partner_registration", "effective_date": iso(t)}),
                   400, "invalid_request")
    assert ("/partner", "required") in fields(body)
    # Not in an income scheme.
    q = fresh(w, w.income)
    body = problem(w.hr.post(f"/api/v1/participants/{q['id']}/changes",
                             json={"type": "partner_registration", "effective_date": iso(t),
                                   "partner": partner()}), 422, "validation_failed")
    assert ("/type", "family_requires_pension_scheme") in fields(body)
    problem(w.hr.post(f"/api/v1/participants/{q['id']}/changes",
                      json={"type": "child_registration", "effective_date": iso(t),
                            "child": child()}), 422, "validation_failed")


def test_address_change_and_unknown_types(w):
    t = today()
    p = fresh(w)
    url = f"/api/v1/participants/{p['id']}/changes"
    change(w.hr, p["id"], {"type": "address_change", "effective_date": iso(days(t, 7)),
                           "address": {"street": "Lange Voorhout", "house_number": "9",
                                       "postal_code": "2514ea", "city": "Den Haag"}})
    assert detail(w.hr, p["id"])["person"]["address"]["city"] == "Rotterdam"
    later = detail(w.hr, p["id"], as_of=iso(days(t, 7)))["person"]["address"]
    assert later == {"street": "Lange Voorhout", "house_number": "9", "postal_code": "2514 EA",
                     "city": "Den Haag", "country": "NL"}
    body = problem(w.hr.post(url, json={"type": "address_change", "effective_date": iso(t),
                                        "address": {"street": "A", "house_number": "1",
                                                    "postal_code": "12345", "city": "B"}}),
                   422, "validation_failed")
    assert ("/address/postal_code", "invalid_format") in fields(body)
    body = problem(w.hr.post(url, json={"type": "address_change", "effective_date": iso(t),
                                        "address": {"street": "A"}}), 400, "invalid_request")
    assert ("/address/city", "required") in fields(body)
    for kind in ("registration", "name_change"):
        body = problem(w.hr.post(url, json={"type": kind, "effective_date": iso(t)}), 422,
                       "validation_failed")
        assert ("/type", "invalid_value") in fields(body)
    problem(w.hr.post(url, json={"effective_date": iso(t)}), 400, "invalid_request")
    problem(w.hr.post("/api/v1/participants/nope/changes",
                      json={"type": "termination", "effective_date": iso(t)}), 404, "not_found")


# --- concurrency, If-Match, Idempotency-Key, batch lock ------------------------------------

def test_if_match_guards_against_lost_updates(w):
    p = fresh(w)
    etag = w.hr.get(f"/api/v1/participants/{p['id']}").headers["ETag"]
    body = {"type": "salary_change", "effective_date": iso(today()), "salary": "43000.00"}
    change(w.hr, p["id"], body, headers={"If-Match": etag})
    # The first change moved the ETag on: the same If-Match is now stale.
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes", json=dict(body, salary="44000"),
                      headers={"If-Match": etag}), 412, "precondition_failed")
    fresh_etag = w.hr.get(f"/api/v1/participants/{p['id']}").headers["ETag"]
    assert fresh_etag != etag
    change(w.hr, p["id"], dict(body, salary="44000"), headers={"If-Match": fresh_etag})
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes", json=body,
                      headers={"If-Match": '"nonsense"'}), 412, "precondition_failed")
    assert detail(w.hr, p["id"])["employment"]["salary"] == "44000.00"


def test_idempotent_changes(w):
    p = fresh(w)
    key = {"Idempotency-Key": new_number() + "-chg"}
    body = {"type": "salary_change", "effective_date": iso(today()), "salary": "47000.00"}
    a = change(w.hr, p["id"], body, headers=key)
    b = change(w.hr, p["id"], body, headers=key)
    assert a.json() == b.json() and b.headers.get("Idempotent-Replayed") == "true"
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes", json=dict(body, salary="1"),
                      headers=key), 422, "idempotency_key_reused")
    assert [c["type"] for c in history(w.hr, p["id"])] == ["salary_change", "registration"]


def test_two_concurrent_changes_serialise(w):
    p = fresh(w)
    url = f"/api/v1/participants/{p['id']}/changes"
    results = []

    def post(salary, headers=None):
        r = w.hr.post(url, json={"type": "salary_change", "effective_date": iso(today()),
                                 "salary": salary}, headers=headers)
        results.append(r)

    threads = [threading.Thread(target=post, args=(s,)) for s in ("50001.00", "50002.00")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(r.status_code for r in results) == [201, 201]
    h = history(w.hr, p["id"])
    assert sorted(c["data"]["salary"] for c in h if c["type"] == "salary_change") == [
        "50001.00", "50002.00"]
    # Same effective date: the one registered last wins, and its time is later.
    last = h[0]
    assert last["registered_at"] > h[1]["registered_at"]
    assert detail(w.hr, p["id"])["employment"]["salary"] == last["data"]["salary"]
    # With If-Match both read the same ETag: exactly one wins, the other gets 412.
    etag = w.hr.get(f"/api/v1/participants/{p['id']}").headers["ETag"]
    results.clear()
    threads = [threading.Thread(target=post, args=(s, {"If-Match": etag}))
               for s in ("60001.00", "60002.00")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(r.status_code for r in results) == [201, 412]
    won = next(r for r in results if r.status_code == 201).json()
    h = history(w.hr, p["id"])
    assert len([c for c in h if c["type"] == "salary_change"]) == 3 and h[0]["id"] == won["id"]


def test_changes_wait_while_a_batch_runs(w):
    scheme = new_scheme(w.staff, w.emp["id"], "pension")
    p = fresh(w, scheme)
    w.psql(f"INSERT INTO scheme_locks (scheme_id, batch_id) VALUES ('{scheme['id']}',"
           " gen_random_uuid())")
    body = {"type": "salary_change", "effective_date": iso(today()), "salary": "1.00"}
    problem(w.hr.post(f"/api/v1/participants/{p['id']}/changes", json=body), 409,
            "scheme_locked_by_batch")
    first = history(w.hr, p["id"])[0]
    problem(w.hr.post(f"/api/v1/changes/{first['id']}/cancel", json={"reason": "x"}), 409,
            "scheme_locked_by_batch")
    problem(w.hr.post("/api/v1/participants", json=registration(scheme["id"])), 409,
            "scheme_locked_by_batch")
    w.psql(f"DELETE FROM scheme_locks WHERE scheme_id = '{scheme['id']}'")
    change(w.hr, p["id"], body)


# --- cancellation ----------------------------------------------------------------------------

def test_cancelling_a_mistaken_termination(w):
    t = today()
    p = fresh(w)
    term = change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(t, -3))}).json()
    assert detail(w.hr, p["id"])["status"] == "dormant"
    etag = w.hr.get(f"/api/v1/participants/{p['id']}").headers["ETag"]
    r = w.hr.post(f"/api/v1/changes/{term['id']}/cancel", json={"reason": "Verkeerde werknemer"},
                  headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    c = r.json()
    assert c["status"] == "cancelled" and c["cancel_reason"] == "Verkeerde werknemer"
    assert c["cancelled_at"].endswith("Z") and c["cancelled_by"]["kind"] == "user"
    # Every view follows: state now and as of any date, the list, the history.
    d = detail(w.hr, p["id"])
    assert d["status"] == "active" and d["employment"]["end_date"] is None
    assert detail(w.hr, p["id"], as_of=iso(days(t, -1)))["status"] == "active"
    assert listing(w.hr, scheme_id=w.pension["id"], q=p["participant_number"])[0]["status"] == \
        "active"
    h = history(w.hr, p["id"])
    assert [(x["type"], x["status"]) for x in h] == [("termination", "cancelled"),
                                                     ("registration", "processed")]
    # Changes are possible again, and the termination can be given anew.
    change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(t), "salary": "1.00"})
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(t, 2))})
    # Cancelling twice, or the registration, is refused; so is a stale If-Match.
    problem(w.hr.post(f"/api/v1/changes/{term['id']}/cancel", json={"reason": "x"}), 409,
            "change_not_cancellable")
    problem(w.hr.post(f"/api/v1/changes/{h[-1]['id']}/cancel", json={"reason": "x"}), 409,
            "change_not_cancellable")
    problem(w.hr.post(f"/api/v1/changes/{term['id']}/cancel", json={"reason": "x"},
                      headers={"If-Match": etag}), 412, "precondition_failed")
    problem(w.hr.post(f"/api/v1/changes/{term['id']}/cancel", json={}), 400, "invalid_request")
    problem(w.hr.post("/api/v1/changes/nope/cancel", json={"reason": "x"}), 404, "not_found")
    problem(w.hr.post("/api/v1/changes/00000000-0000-4000-8000-000000000000/cancel",
                      json={"reason": "x"}), 404, "not_found")
    problem(w.hr_read.post(f"/api/v1/changes/{term['id']}/cancel", json={"reason": "x"}), 403,
            "forbidden")


def test_cancelling_a_retroactive_salary_change_restores_the_old_salary(w):
    t = today()
    p = fresh(w, salary="30000.00")
    c = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(days(t, -30)),
                               "salary": "35000.00"}).json()
    assert detail(w.hr, p["id"])["employment"]["salary"] == "35000.00"
    r = w.hr.post(f"/api/v1/changes/{c['id']}/cancel", json={"reason": "Dubbel ingevoerd"})
    assert r.status_code == 200, r.text
    assert detail(w.hr, p["id"])["employment"]["salary"] == "30000.00"
    assert detail(w.hr, p["id"], as_of=iso(days(t, -20)))["employment"]["salary"] == "30000.00"
    # On a dormant participant only the termination itself can be withdrawn.
    s = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(days(t, -20)),
                               "salary": "36000.00"}).json()
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(t, -1))})
    problem(w.hr.post(f"/api/v1/changes/{s['id']}/cancel", json={"reason": "x"}), 409,
            "participant_dormant")


def test_a_termination_before_a_rehire_cannot_be_cancelled(w):
    t = today()
    body = registration(w.pension["id"], start=days(t, -60))
    p = register(w.hr, w.pension["id"], body=body).json()
    term = change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(t, -30))}).json()
    register(w.hr, w.pension["id"], body=registration(w.pension["id"], start=days(t, -10),
                                                      bsn=body["person"]["bsn"]))
    problem(w.hr.post(f"/api/v1/changes/{term['id']}/cancel", json={"reason": "x"}), 409,
            "change_not_cancellable")


# --- history and submitted changes ------------------------------------------------------------

def test_history_names_who_registered_each_change(w):
    p = fresh(w)
    t = iso(today())
    change(w.hr, p["id"], {"type": "salary_change", "effective_date": t, "salary": "1.00"})
    change(w.token, p["id"], {"type": "salary_change", "effective_date": t, "salary": "2.00"})
    change(w.staff, p["id"], {"type": "salary_change", "effective_date": t, "salary": "3.00"})
    change(w.int_write, p["id"], {"type": "salary_change", "effective_date": t, "salary": "4.00"})
    h = history(w.hr_read, p["id"])
    by = [(c["data"].get("salary"), c["registered_by"]["kind"]) for c in h[:4]]
    assert by == [("4.00", "user"), ("3.00", "staff"), ("2.00", "api_token"), ("1.00", "user")]
    assert h[2]["registered_by"]["name"] == w.token_name
    assert w.office_rw["name"] in h[0]["registered_by"]["name"]
    keys = {"id", "participant_id", "scheme_id", "type", "effective_date", "registered_at",
            "registered_by", "batch_id", "status", "review_reasons", "rejection_reason", "decided_at",
            "cancelled_at", "cancel_reason", "cancelled_by", "data"}
    assert all(set(c) == keys for c in h)
    # Keyset pages.
    r = w.hr.get(f"/api/v1/participants/{p['id']}/changes", params={"limit": 2})
    page1 = r.json()
    r = w.hr.get(f"/api/v1/participants/{p['id']}/changes",
                 params={"limit": 2, "cursor": page1["next_cursor"]})
    page2 = r.json()
    assert [c["id"] for c in page1["items"] + page2["items"]] == [c["id"] for c in h[:4]]
    problem(w.finance.get(f"/api/v1/participants/{p['id']}/changes"), 403, "forbidden")


def test_submitted_changes_follow_the_seed_example(w):
    """Seed 001 §4.5: a retroactive salary change registered later sits below
    an intermediary's change with a later effective date; the overview shows
    the latest change per participant by effective date."""
    t = today()
    scheme = new_scheme(w.staff, w.emp["id"], "pension")
    start = days(t, -80)
    p = register(w.hr, scheme["id"], start=start).json()
    # "Tussenpersoon wijziging" per 1 August, registered 2 August (first; an
    # address change stands in for it) ...
    inter = change(w.hr, p["id"], {"type": "address_change",
                                          "effective_date": iso(days(start, 30)),
                                          "address": {"street": "Kade", "house_number": "2",
                                                      "postal_code": "3011 AB",
                                                      "city": "Rotterdam"}}).json()
    # ... then on 10 October a salary change back to 1 June.
    salary = change(w.hr, p["id"], {"type": "salary_change",
                                    "effective_date": iso(days(start, 10)),
                                    "salary": "55000.00"}).json()
    assert salary["registered_at"] > inter["registered_at"]
    h = history(w.hr, p["id"])
    assert [c["id"] for c in h][:2] == [inter["id"], salary["id"]]
    assert [c["type"] for c in h] == ["address_change", "salary_change", "registration"]
    # The salary change applies from its own date all the same.
    assert detail(w.hr, p["id"], as_of=iso(days(start, 10)))["employment"]["salary"] == "55000.00"
    rows = submitted(w.hr, scheme_id=scheme["id"])
    mine = [r for r in rows if r["participant_id"] == p["id"]]
    assert [r["id"] for r in mine] == [inter["id"]]
    assert mine[0]["participant_number"] == p["participant_number"]
    assert mine[0]["display_name"] == p["display_name"]
    # Ties on the effective date go to the later registration; staff's too.
    q = register(w.hr, scheme["id"], start=start).json()
    change(w.hr, q["id"], {"type": "salary_change", "effective_date": iso(days(t, -5)),
                           "salary": "1.00"})
    by_staff = change(w.staff, q["id"], {"type": "salary_change",
                                         "effective_date": iso(days(t, -5)),
                                         "salary": "2.00"}).json()
    rows = submitted(w.hr, scheme_id=scheme["id"])
    assert [r["id"] for r in rows if r["participant_id"] == q["id"]] == [by_staff["id"]]
    assert rows[0]["id"] == by_staff["id"] and rows[0]["registered_by"]["kind"] == "staff"
    # Newest effective date first across participants.
    dates = [r["effective_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    # Keyset pages walk the same rows.
    seen, cursor = [], None
    while True:
        params = {"scheme_id": scheme["id"], "limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = w.hr.get("/api/v1/changes", params=params).json()
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [r["id"] for r in rows]
    # Filters.
    assert {r["type"] for r in submitted(w.hr, scheme_id=scheme["id"], type="salary_change")} == {
        "salary_change"}
    assert submitted(w.hr, scheme_id=scheme["id"], status="rejected") == []


def test_submitted_changes_visibility(w):
    p = fresh(w, w.income)
    c = change(w.hr, p["id"], {"type": "salary_change", "effective_date": iso(today()),
                               "salary": "1.00"}).json()
    assert c["id"] in {r["id"] for r in submitted(w.hr)}
    assert c["id"] in {r["id"] for r in submitted(w.int_read)}
    assert c["id"] not in {r["id"] for r in submitted(w.scoped)}
    problem(w.scoped.get("/api/v1/changes", params={"scheme_id": w.income["id"]}), 404,
            "not_found")
    problem(w.finance.get("/api/v1/changes", params={"scheme_id": w.income["id"]}), 403,
            "forbidden")
    problem(w.admin2.get("/api/v1/changes", params={"scheme_id": w.income["id"]}), 404,
            "not_found")
    problem(w.admin2.get(f"/api/v1/changes/{c['id']}"), 404, "not_found")
    problem(w.finance.get(f"/api/v1/changes/{c['id']}"), 403, "forbidden")
    assert w.int_read.get(f"/api/v1/changes/{c['id']}").status_code == 200
    problem(w.hr.get("/api/v1/changes", params={"status": "done"}), 400, "invalid_request")
    problem(w.hr.get("/api/v1/changes", params={"type": "x"}), 400, "invalid_request")
    problem(w.hr.get("/api/v1/changes", params={"cursor": "AAAA"}), 400, "invalid_cursor")
