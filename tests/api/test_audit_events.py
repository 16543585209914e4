"""The audit log (issue 4 "Audit log"): who did what, when and from where,
for the own organisation (audit.read) or every organisation (staff,
audit.read_all); filters by actor, target and time; keyset-paged newest
first; one organisation never sees another's events. Against the real
server."""
import datetime
import json

import pytest

from helpers import unique
from org_helpers import audit_events, fields, in_days, new_scheme, problem, world_of


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return world_of(api, mail, server, cluster)


def all_events(who, **params):
    items, cursor = [], None
    while True:
        q = dict(params)
        if cursor:
            q["cursor"] = cursor
        r = who.get("/api/v1/audit-events", params=q)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return items


def test_each_action_is_listed_with_actor_target_and_changes(w):
    rid = unique("req-")
    m = w.admin_a.post("/api/v1/mandates", headers={"X-Request-Id": rid}, json={
        "intermediary_id": w.int_x["id"], "scheme_ids": [w.pension_a["id"]], "access": "read"})
    assert m.status_code == 201, m.text
    mid = m.json()["id"]
    ev = audit_events(w.admin_a, target_id=mid)
    assert len(ev) == 1
    e = ev[0]
    assert set(e) == {"id", "occurred_at", "actor", "organisation_id", "action", "target_type",
                      "target_id", "request_id", "client_address", "changes"}
    assert e["action"] == "mandate.created" and e["target_type"] == "mandate"
    assert e["actor"] == {"user_id": w.admin_a.id, "token_id": None, "label": "user"}
    assert e["organisation_id"] == w.emp_a["id"]
    assert e["request_id"] == rid and e["client_address"] == "127.0.0.1"
    assert isinstance(e["id"], int)
    occurred = datetime.datetime.fromisoformat(e["occurred_at"].replace("Z", "+00:00"))
    assert abs((datetime.datetime.now(datetime.timezone.utc) - occurred).total_seconds()) < 120
    assert e["changes"]["scheme_ids"] == {"from": None, "to": [w.pension_a["id"]]}
    # Staff actions on the employer's schemes show in the employer's log.
    s = new_scheme(w.staff, w.emp_a["id"])
    ev = audit_events(w.admin_a, target_type="scheme", target_id=s["id"])
    assert [x["action"] for x in ev] == ["scheme.created"]
    assert ev[0]["actor"]["label"] == "staff" and ev[0]["actor"]["user_id"] == w.staff.id
    # Revocation and token events as well.
    assert w.admin_a.delete(f"/api/v1/mandates/{mid}").status_code == 204
    t = w.admin_a.post("/api/v1/api-tokens", json={"name": "Log", "rights": ["hr_read"],
                                                   "expires_at": in_days(3)}).json()
    assert w.admin_a.delete(f"/api/v1/api-tokens/{t['id']}").status_code == 204
    actions = [x["action"] for x in audit_events(w.admin_a, actor=w.admin_a.id)]
    for a in ("mandate.created", "mandate.revoked", "api_token.created", "api_token.revoked"):
        assert a in actions


def test_changes_are_passed_through_as_stored(w, cluster):
    ev = audit_events(w.admin_a, target_type="user")
    assert ev, "the world's users were invited"
    for e in ev[:5]:
        stored = cluster.psql(f"SELECT changes::text FROM audit_events WHERE id = {e['id']}")
        assert e["changes"] == json.loads(stored)


def test_filters(w):
    mine = all_events(w.admin_a, actor=w.admin_a.id, limit=200)
    assert mine and {e["actor"]["user_id"] for e in mine} == {w.admin_a.id}
    mandates = all_events(w.admin_a, target_type="mandate", limit=200)
    assert mandates and {e["target_type"] for e in mandates} == {"mandate"}
    one = mandates[0]["target_id"]
    assert {e["target_id"] for e in all_events(w.admin_a, target_id=one)} == {one}
    everything = all_events(w.admin_a, limit=200)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert all_events(w.admin_a, **{"from": (now + datetime.timedelta(hours=1)).isoformat()}) == []
    assert all_events(w.admin_a, to="2000-01-01") == []
    assert all_events(w.admin_a, to="2000-01-01T00:00:00Z") == []
    today = all_events(w.admin_a, **{"from": in_days(-1), "to": in_days(1), "limit": 200})
    assert [e["id"] for e in today] == [e["id"] for e in everything]
    window = all_events(w.admin_a, **{"from": everything[-1]["occurred_at"],
                                      "to": everything[0]["occurred_at"], "limit": 200})
    assert len(window) == len(everything)
    p = problem(w.admin_a.get("/api/v1/audit-events", params={
        "actor": "me", "from": "gisteren", "to": "2024-13-01", "organisation_id": "x"}),
        400, "invalid_request")
    assert fields(p) == {("actor", "invalid_format"), ("from", "invalid_format"),
                         ("to", "invalid_format"), ("organisation_id", "invalid_format")}


def test_one_organisation_never_sees_anothers_events(w):
    a_events = all_events(w.admin_a, limit=200)
    assert a_events and {e["organisation_id"] for e in a_events} == {w.emp_a["id"]}
    b_events = all_events(w.admin_b, limit=200)
    assert {e["organisation_id"] for e in b_events} == {w.emp_b["id"]}
    assert not {e["id"] for e in a_events} & {e["id"] for e in b_events}
    # Asking for A's organisation or A's targets finds nothing for B.
    assert all_events(w.admin_b, organisation_id=w.emp_a["id"]) == []
    assert all_events(w.admin_b, target_id=a_events[0]["target_id"]) == []
    assert all_events(w.admin_b, actor=w.admin_a.id) == []


def test_staff_read_every_organisation_and_filter_by_one(w):
    staff_all = all_events(w.staff, limit=200)
    orgs = {e["organisation_id"] for e in staff_all}
    assert {w.emp_a["id"], w.emp_b["id"]} <= orgs
    only_b = all_events(w.staff, organisation_id=w.emp_b["id"], limit=200)
    assert only_b and {e["organisation_id"] for e in only_b} == {w.emp_b["id"]}


def test_who_may_read_the_log(w):
    for actor in (w.hr_a, w.finance_a, w.inc_x):
        problem(actor.get("/api/v1/audit-events"), 403, "forbidden")
    office_admin = w.user(w.int_x["id"], ["user_management"])
    got = all_events(office_admin, limit=200)
    assert {e["organisation_id"] for e in got} <= {w.int_x["id"]}


def test_newest_first_and_keyset_paged(w):
    whole = all_events(w.admin_a, limit=200)
    ids = [e["id"] for e in whole]
    assert ids == sorted(ids, reverse=True)
    paged = all_events(w.admin_a, limit=3)
    assert [e["id"] for e in paged] == ids
    problem(w.admin_a.get("/api/v1/audit-events", params={"cursor": "AAAA"}), 400, "invalid_cursor")
    problem(w.admin_a.get("/api/v1/audit-events", params={"limit": 201}), 400, "invalid_request")
