"""Mandates (issue 4 "Scopes and mandates"): an employer's administrator
lets an intermediary office act on chosen schemes; intermediary users with
inkomensverzekering see the income schemes, with pensioenverzekering the
pension schemes, while the mandate lives. Against the real server."""
import pytest

from helpers import unique
from org_helpers import audit_events, fields, new_scheme, problem, world_of


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return world_of(api, mail, server, cluster)


def grant(actor, intermediary_id, scheme_ids, access="read", **kw):
    r = actor.post("/api/v1/mandates", json={"intermediary_id": intermediary_id,
                                             "scheme_ids": scheme_ids, "access": access}, **kw)
    assert r.status_code == 201, r.text
    return r


def visible(actor, scheme):
    return actor.get(f"/api/v1/schemes/{scheme['id']}").status_code


def listed(actor):
    r = actor.get("/api/v1/schemes", params={"limit": 200})
    assert r.status_code == 200, r.text
    return {s["id"] for s in r.json()["items"]}


def test_an_administrator_grants_a_mandate(w):
    r = grant(w.admin_a, w.int_x["id"], [w.income_a["id"], w.pension_a["id"]], "read_write")
    m = r.json()
    assert r.headers["Location"] == f"/api/v1/mandates/{m['id']}"
    assert r.headers["ETag"]
    assert m["employer"] == {"id": w.emp_a["id"], "name": w.emp_a["name"]}
    assert m["intermediary"] == {"id": w.int_x["id"], "name": w.int_x["name"]}
    assert m["access"] == "read_write"
    assert sorted(m["scheme_ids"]) == sorted([w.income_a["id"], w.pension_a["id"]])
    assert m["created_at"].endswith("Z") and m["revoked_at"] is None
    assert set(m) == {"id", "employer", "intermediary", "access", "scheme_ids", "created_at",
                      "revoked_at"}
    g = w.admin_a.get(r.headers["Location"])
    assert g.status_code == 200 and g.json() == m and g.headers["ETag"] == r.headers["ETag"]
    # Who sees it in the list.
    def ids_of(actor, **params):
        r = actor.get("/api/v1/mandates", params=dict({"limit": 200}, **params))
        assert r.status_code == 200, r.text
        return {x["id"] for x in r.json()["items"]}
    assert m["id"] in ids_of(w.admin_a)
    assert m["id"] in ids_of(w.inc_x) and m["id"] in ids_of(w.plain_x)
    assert m["id"] in ids_of(w.staff, employer_id=w.emp_a["id"])
    assert m["id"] in ids_of(w.staff, intermediary_id=w.int_x["id"], status="active")
    assert m["id"] not in ids_of(w.staff, intermediary_id=w.int_y["id"])
    assert m["id"] not in ids_of(w.staff, status="revoked")
    assert m["id"] not in ids_of(w.admin_b) and m["id"] not in ids_of(w.inc_y)
    assert ids_of(w.admin_a, employer_id=w.emp_b["id"]) == set()
    # Each one reads it; others get 404.
    assert w.inc_x.get(r.headers["Location"]).status_code == 200
    for actor in (w.admin_b, w.inc_y):
        problem(actor.get(r.headers["Location"]), 404, "not_found")
    # Audited in the employer's log.
    ev = audit_events(w.admin_a, target_type="mandate", target_id=m["id"])
    assert [e["action"] for e in ev] == ["mandate.created"]
    assert ev[0]["actor"]["user_id"] == w.admin_a.id
    assert ev[0]["changes"]["access"] == {"from": None, "to": "read_write"}
    assert ev[0]["changes"]["intermediary_id"] == {"from": None, "to": w.int_x["id"]}
    w.admin_a.delete(r.headers["Location"])


def test_a_mandate_grants_access_at_once_and_revoking_cuts_it_at_once(w):
    income, pension = w.income_b, w.pension_b
    for actor in (w.inc_x, w.pen_x, w.plain_x):
        assert visible(actor, income) == 404 and visible(actor, pension) == 404
    m = grant(w.admin_b, w.int_x["id"], [income["id"], pension["id"]], "read").json()
    # inkomensverzekering: the income scheme only.
    assert visible(w.inc_x, income) == 200 and visible(w.inc_x, pension) == 404
    assert income["id"] in listed(w.inc_x) and pension["id"] not in listed(w.inc_x)
    # pensioenverzekering: the pension scheme only.
    assert visible(w.pen_x, pension) == 200 and visible(w.pen_x, income) == 404
    assert pension["id"] in listed(w.pen_x) and income["id"] not in listed(w.pen_x)
    # Without a product right nothing; another office nothing.
    assert visible(w.plain_x, income) == 404 and visible(w.plain_x, pension) == 404
    assert visible(w.inc_y, income) == 404
    # Read access sees; it never changes a scheme.
    problem(w.inc_x.patch(f"/api/v1/schemes/{income['id']}", json={"name": "X"}), 403, "forbidden")
    # Revoking cuts access with the very next request.
    r = w.admin_b.delete(f"/api/v1/mandates/{m['id']}")
    assert r.status_code == 204, r.text
    assert visible(w.inc_x, income) == 404 and visible(w.pen_x, pension) == 404
    assert income["id"] not in listed(w.inc_x)
    g = w.admin_b.get(f"/api/v1/mandates/{m['id']}")
    assert g.status_code == 200 and g.json()["revoked_at"]
    r = w.admin_b.get("/api/v1/mandates", params={"status": "revoked", "limit": 200})
    assert m["id"] in {x["id"] for x in r.json()["items"]}


def test_a_mandate_covers_only_its_schemes(w):
    other_income = new_scheme(w.staff, w.emp_b["id"], "income")
    m = grant(w.admin_b, w.int_x["id"], [w.income_b["id"]]).json()
    assert visible(w.inc_x, w.income_b) == 200
    assert visible(w.inc_x, other_income) == 404
    assert w.admin_b.delete(f"/api/v1/mandates/{m['id']}").status_code == 204


def test_unreadable_requests_answer_400(w):
    p = problem(w.admin_a.post("/api/v1/mandates", json={}), 400, "invalid_request")
    assert fields(p) == {("/intermediary_id", "required"), ("/scheme_ids", "required"),
                         ("/access", "required")}
    p = problem(w.admin_a.post("/api/v1/mandates", json={
        "intermediary_id": 7, "scheme_ids": "x", "access": True}), 400, "invalid_request")
    assert fields(p) == {("/intermediary_id", "invalid_type"), ("/scheme_ids", "invalid_type"),
                         ("/access", "invalid_type")}
    p = problem(w.admin_a.post("/api/v1/mandates", json={
        "intermediary_id": w.int_x["id"], "scheme_ids": [w.income_a["id"], 5], "access": "read"}),
        400, "invalid_request")
    assert fields(p) == {("/scheme_ids/1", "invalid_type")}


def test_rule_violations_answer_422_naming_the_field(w):
    body = {"intermediary_id": w.int_x["id"], "scheme_ids": [w.income_a["id"]], "access": "read"}
    for bad in (w.emp_b["id"], w.emp_a["id"], "00000000-0000-0000-0000-000000000000", "kantoor"):
        p = problem(w.admin_a.post("/api/v1/mandates", json=dict(body, intermediary_id=bad)),
                    422, "validation_failed")
        assert fields(p) == {("/intermediary_id", "unknown_id")}
    p = problem(w.admin_a.post("/api/v1/mandates", json=dict(body, access="write")), 422)
    assert fields(p) == {("/access", "invalid_value")}
    p = problem(w.admin_a.post("/api/v1/mandates", json=dict(
        body, scheme_ids=[w.income_a["id"], w.income_b["id"], "abc",
                          "00000000-0000-0000-0000-000000000000"])), 422)
    assert fields(p) == {("/scheme_ids/1", "unknown_id"), ("/scheme_ids/2", "unknown_id"),
                         ("/scheme_ids/3", "unknown_id")}
    p = problem(w.admin_a.post("/api/v1/mandates", json=dict(body, scheme_ids=[])), 422)
    assert fields(p) == {("/scheme_ids", "too_short")}


def test_only_the_employers_administrators_grant(w):
    body = {"intermediary_id": w.int_x["id"], "scheme_ids": [w.income_a["id"]], "access": "read"}
    for actor in (w.hr_a, w.finance_a, w.inc_x, w.staff):
        problem(actor.post("/api/v1/mandates", json=body), 403, "forbidden")


def test_a_limited_administrator_grants_only_schemes_in_scope(w):
    limited = w.user(w.emp_a["id"], ["user_management"], [w.pension_a["id"]])
    p = problem(limited.post("/api/v1/mandates", json={
        "intermediary_id": w.int_x["id"], "scheme_ids": [w.pension_a["id"], w.income_a["id"]],
        "access": "read"}), 403, "forbidden")
    assert fields(p) == {("/scheme_ids/1", "not_allowed")}
    r = grant(limited, w.int_x["id"], [w.pension_a["id"]])
    assert w.admin_a.delete(r.headers["Location"]).status_code == 204


def test_who_reads_and_revokes(w):
    m = grant(w.admin_a, w.int_y["id"], [w.income_a["id"]]).json()
    url = f"/api/v1/mandates/{m['id']}"
    # Same organisation without mandates.manage: 403; the intermediary may
    # read but not revoke; other organisations: 404.
    problem(w.hr_a.get(url), 403, "forbidden")
    problem(w.hr_a.get("/api/v1/mandates"), 403, "forbidden")
    problem(w.hr_a.delete(url), 403, "forbidden")
    assert w.inc_y.get(url).status_code == 200
    problem(w.inc_y.delete(url), 403, "forbidden")
    for actor in (w.admin_b, w.inc_x):
        problem(actor.get(url), 404, "not_found")
        problem(actor.delete(url), 404, "not_found")
    for bad in ("00000000-0000-0000-0000-000000000000", "mandate"):
        problem(w.admin_a.get(f"/api/v1/mandates/{bad}"), 404, "not_found")
        problem(w.admin_a.delete(f"/api/v1/mandates/{bad}"), 404, "not_found")
    assert w.admin_a.get(url).json()["revoked_at"] is None
    # Staff revoke too.
    assert w.staff.get(url).status_code == 200
    assert w.staff.delete(url).status_code == 204
    assert visible(w.inc_y, w.income_a) == 404


def test_delete_honours_if_match_and_is_idempotent(w):
    m = grant(w.admin_a, w.int_x["id"], [w.income_a["id"]])
    url = m.headers["Location"]
    problem(w.admin_a.delete(url, headers={"If-Match": '"0000"'}), 412, "precondition_failed")
    assert w.admin_a.get(url).json()["revoked_at"] is None
    etag = w.admin_a.get(url).headers["ETag"]
    assert w.admin_a.delete(url, headers={"If-Match": etag}).status_code == 204
    # Already revoked: 204 again, and no second event.
    assert w.admin_a.delete(url).status_code == 204
    ev = audit_events(w.admin_a, target_type="mandate", target_id=m.json()["id"])
    assert [e["action"] for e in ev] == ["mandate.revoked", "mandate.created"]
    assert ev[0]["changes"] == {"revoked": {"from": False, "to": True}}


def test_create_honours_idempotency_key(w):
    body = {"intermediary_id": w.int_x["id"], "scheme_ids": [w.pension_a["id"]], "access": "read"}
    key = {"Idempotency-Key": unique("mandate-")}
    first = w.admin_a.post("/api/v1/mandates", json=body, headers=key)
    assert first.status_code == 201, first.text
    again = w.admin_a.post("/api/v1/mandates", json=body, headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    problem(w.admin_a.post("/api/v1/mandates", json=dict(body, access="read_write"), headers=key),
            422, "idempotency_key_reused")
    # The key is the caller's: another administrator may use the same one.
    other = w.admin_b.post("/api/v1/mandates", json=dict(body, scheme_ids=[w.pension_b["id"]]),
                           headers=key)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    w.admin_a.delete(first.headers["Location"])
    w.admin_b.delete(other.headers["Location"])


def test_the_list_is_newest_first_and_keyset_paged(w):
    made = [grant(w.admin_b, w.int_y["id"], [w.income_b["id"]]).json()["id"] for _ in range(3)]
    seen, cursor = [], None
    while True:
        params = {"limit": 1, "intermediary_id": w.int_y["id"]}
        if cursor:
            params["cursor"] = cursor
        r = w.admin_b.get("/api/v1/mandates", params=params)
        assert r.status_code == 200, r.text
        seen += [x["id"] for x in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen[:3] == list(reversed(made))
    assert len(seen) == len(set(seen))
    problem(w.admin_b.get("/api/v1/mandates", params={"cursor": "abc"}), 400, "invalid_cursor")
    p = problem(w.staff.get("/api/v1/mandates", params={"employer_id": "x", "status": "old"}), 400)
    assert fields(p) == {("employer_id", "invalid_format"), ("status", "invalid_value")}
    for mid in made:
        w.admin_b.delete(f"/api/v1/mandates/{mid}")
