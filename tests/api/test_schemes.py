"""Schemes (issue 4 "Schemes", DESIGN.md §4.2/§4.3): staff create and change
an employer's schemes; whoever may see a scheme reads it (scope and mandates
apply); employers never change them. Against the real server."""
import pytest

from helpers import unique
from org_helpers import audit_events, fields, new_scheme, problem, world_of


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return world_of(api, mail, server, cluster)


def scheme_body(w, kind="pension", **extra):
    body = {"organisation_id": w.emp_a["id"], "name": unique("Regeling "),
            "number": unique("N"), "kind": kind, "start_date": "2021-03-01"}
    if kind == "income":
        body.update({"variant": "no_claim", "insured_wage_type": "pensionable_salary"})
    body.update(extra)
    return body


# --- creating ------------------------------------------------------------------

def test_staff_create_a_pension_scheme_with_coverages_and_premium(w):
    body = scheme_body(w, coverages=[
        {"name": "Ouderdomspensioen", "description": "Middelloon",
         "figures": {"accrual_rate": "1.875", "retirement_age": "68"}},
        {"name": "Partnerpensioen"}],
        premium={"employer_share": "66.667", "frequency": "monthly",
                 "rates": {"base": "21.500"}, "indexed": True})
    r = w.staff.post("/api/v1/schemes", json=body)
    assert r.status_code == 201, r.text
    s = r.json()
    assert r.headers["Location"] == f"/api/v1/schemes/{s['id']}"
    assert r.headers["ETag"].startswith('"')
    assert s["organisation_id"] == w.emp_a["id"]
    assert s["organisation"] == {"id": w.emp_a["id"], "name": w.emp_a["name"]}
    assert (s["name"], s["number"], s["kind"], s["start_date"]) == \
        (body["name"], body["number"], "pension", "2021-03-01")
    assert s["coverages"] == [
        {"name": "Ouderdomspensioen", "description": "Middelloon",
         "figures": {"accrual_rate": "1.875", "retirement_age": "68"}},
        {"name": "Partnerpensioen", "description": None, "figures": {}}]
    assert s["premium"] == body["premium"]
    assert s["variant"] is None and s["insured_wage_type"] is None
    assert s["created_at"].endswith("Z") and s["updated_at"].endswith("Z")
    # Read back with the same ETag.
    g = w.staff.get(r.headers["Location"])
    assert g.status_code == 200 and g.json() == s
    assert g.headers["ETag"] == r.headers["ETag"]
    # Audited in the employer's log with what was set.
    ev = audit_events(w.staff, target_type="scheme", target_id=s["id"])
    assert [e["action"] for e in ev] == ["scheme.created"]
    assert ev[0]["organisation_id"] == w.emp_a["id"]
    assert ev[0]["actor"]["user_id"] == w.staff.id
    assert ev[0]["changes"]["number"] == {"from": None, "to": body["number"]}
    assert ev[0]["changes"]["kind"] == {"from": None, "to": "pension"}


def test_an_income_scheme_needs_variant_and_insured_wage_type(w):
    r = w.staff.post("/api/v1/schemes", json=scheme_body(w, "income", variant="stop_loss",
                                                          insured_wage_type="uniform_wage_excl_car"))
    assert r.status_code == 201, r.text
    assert (r.json()["variant"], r.json()["insured_wage_type"]) == ("stop_loss", "uniform_wage_excl_car")
    body = scheme_body(w, "income")
    del body["variant"], body["insured_wage_type"]
    p = problem(w.staff.post("/api/v1/schemes", json=body), 422, "validation_failed")
    assert fields(p) == {("/variant", "required"), ("/insured_wage_type", "required")}
    p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(
        w, "income", variant="both", insured_wage_type="salary")), 422, "validation_failed")
    assert fields(p) == {("/variant", "invalid_value"), ("/insured_wage_type", "invalid_value")}
    # Refused for pension schemes.
    p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(
        w, "pension", variant="stop_loss", insured_wage_type="uniform_wage")), 422, "validation_failed")
    assert fields(p) == {("/variant", "not_allowed"), ("/insured_wage_type", "not_allowed")}


def test_unreadable_bodies_answer_400_naming_every_field(w):
    p = problem(w.staff.post("/api/v1/schemes", json={}), 400, "invalid_request")
    assert fields(p) == {("/organisation_id", "required"), ("/name", "required"),
                         ("/number", "required"), ("/kind", "required"),
                         ("/start_date", "required")}
    p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(
        w, name=5, coverages=[{"name": "A", "figures": {"rate": 1.5}}, "x", {"description": "d"}],
        premium={"amount": 12.5, "nested": {"list": [1]}})), 400, "invalid_request")
    assert fields(p) == {("/name", "invalid_type"), ("/coverages/0/figures/rate", "invalid_type"),
                         ("/coverages/1", "invalid_type"), ("/coverages/2/name", "required"),
                         ("/premium/amount", "invalid_type"), ("/premium/nested/list", "invalid_type")}
    p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(w, coverages="none", premium=[])),
                400, "invalid_request")
    assert fields(p) == {("/coverages", "invalid_type"), ("/premium", "invalid_type")}
    r = w.staff.post("/api/v1/schemes", data="{", headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_rule_violations_answer_422(w):
    for org in (w.int_x["id"], "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(w, organisation_id=org)),
                    422, "validation_failed")
        assert fields(p) == {("/organisation_id", "unknown_id")}
    p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(w, kind="life")), 422)
    assert fields(p) == {("/kind", "invalid_value")}
    for bad in ("2024-02-30", "01-03-2021", "2021-3-1"):
        p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(w, start_date=bad)), 422)
        assert fields(p) == {("/start_date", "invalid_date")}


def test_scheme_numbers_are_unique(w):
    first = new_scheme(w.staff, w.emp_a["id"])
    p = problem(w.staff.post("/api/v1/schemes", json=scheme_body(w, number=first["number"])),
                409, "conflict")
    assert fields(p) == {("/number", "already_exists")}
    other = new_scheme(w.staff, w.emp_b["id"])
    p = problem(w.staff.patch(f"/api/v1/schemes/{other['id']}", json={"number": first["number"]}),
                409, "conflict")
    assert fields(p) == {("/number", "already_exists")}


def test_employers_and_intermediaries_never_create_or_change_schemes(w):
    for actor in (w.admin_a, w.hr_a, w.finance_a, w.inc_x):
        problem(actor.post("/api/v1/schemes", json=scheme_body(w)), 403, "forbidden")
    # Their own (visible) scheme: 403; another employer's: 404.
    for actor in (w.admin_a, w.hr_a, w.finance_a):
        problem(actor.patch(f"/api/v1/schemes/{w.pension_a['id']}", json={"name": "X"}),
                403, "forbidden")
        problem(actor.patch(f"/api/v1/schemes/{w.pension_b['id']}", json={"name": "X"}),
                404, "not_found")
    assert w.staff.get(f"/api/v1/schemes/{w.pension_a['id']}").json()["name"] == w.pension_a["name"]


# --- changing --------------------------------------------------------------------

def test_staff_change_a_scheme_with_if_match(w):
    s = new_scheme(w.staff, w.emp_a["id"], "income")
    url = f"/api/v1/schemes/{s['id']}"
    etag = w.staff.get(url).headers["ETag"]
    change = {"name": s["name"] + " 2025", "start_date": "2022-01-01", "variant": "no_claim",
              "coverages": [{"name": "Loondoorbetaling", "figures": {"insured_percentage": "70.000"}}],
              "premium": {"rate": "1.250"}}
    r = w.staff.patch(url, json=change, headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["name"] == change["name"] and new["start_date"] == "2022-01-01"
    assert new["variant"] == "no_claim" and new["insured_wage_type"] == "uniform_wage"
    assert new["coverages"][0]["figures"] == {"insured_percentage": "70.000"}
    assert new["premium"] == {"rate": "1.250"}
    assert r.headers["ETag"] != etag
    assert w.staff.get(url).headers["ETag"] == r.headers["ETag"]
    # The old ETag no longer matches.
    problem(w.staff.patch(url, json={"name": "Stale"}, headers={"If-Match": etag}),
            412, "precondition_failed")
    assert w.staff.get(url).json()["name"] == change["name"]
    # Audited with from and to.
    ev = audit_events(w.staff, target_type="scheme", target_id=s["id"])
    assert [e["action"] for e in ev] == ["scheme.updated", "scheme.created"]
    ch = ev[0]["changes"]
    assert ch["name"] == {"from": s["name"], "to": change["name"]}
    assert ch["variant"] == {"from": "stop_loss", "to": "no_claim"}
    assert ch["start_date"] == {"from": "2020-01-01", "to": "2022-01-01"}
    assert "insured_wage_type" not in ch and "kind" not in ch
    # Nothing to change: no new version, no event.
    r = w.staff.patch(url, json={"name": change["name"]})
    assert r.status_code == 200 and r.headers["ETag"] == w.staff.get(url).headers["ETag"]
    assert len(audit_events(w.staff, target_type="scheme", target_id=s["id"])) == 2


def test_organisation_and_kind_cannot_change(w):
    s = new_scheme(w.staff, w.emp_a["id"], "income")
    url = f"/api/v1/schemes/{s['id']}"
    p = problem(w.staff.patch(url, json={"kind": "pension", "organisation_id": w.emp_b["id"]}), 422)
    assert fields(p) == {("/kind", "immutable"), ("/organisation_id", "immutable")}
    # Repeating the current values is fine (GET, edit, PATCH).
    r = w.staff.patch(url, json={"kind": "income", "organisation_id": w.emp_a["id"]})
    assert r.status_code == 200, r.text
    p = problem(w.staff.patch(url, json={"variant": None, "insured_wage_type": "pension"}), 422)
    assert fields(p) == {("/variant", "required"), ("/insured_wage_type", "invalid_value")}
    p = problem(w.staff.patch(url, json={"name": "  ", "number": None, "start_date": "2021-13-01"}), 422)
    assert fields(p) == {("/name", "required"), ("/number", "required"),
                         ("/start_date", "invalid_date")}
    p = problem(w.staff.patch(url, json={"name": 1, "premium": "x"}), 400, "invalid_request")
    assert fields(p) == {("/name", "invalid_type"), ("/premium", "invalid_type")}
    pension = new_scheme(w.staff, w.emp_a["id"], "pension")
    p = problem(w.staff.patch(f"/api/v1/schemes/{pension['id']}", json={"variant": "stop_loss"}), 422)
    assert fields(p) == {("/variant", "not_allowed")}
    # Clearing premium and coverages with null.
    r = w.staff.patch(url, json={"premium": None, "coverages": None})
    assert r.status_code == 200 and r.json()["premium"] == {} and r.json()["coverages"] == []


def test_patch_of_unknown_or_malformed_ids_is_404(w):
    for sid in ("00000000-0000-0000-0000-000000000000", "nope", "1"):
        problem(w.staff.patch(f"/api/v1/schemes/{sid}", json={"name": "X"}), 404, "not_found")
        problem(w.staff.get(f"/api/v1/schemes/{sid}"), 404, "not_found")


def test_create_honours_idempotency_key(w):
    body = scheme_body(w)
    key = {"Idempotency-Key": unique("scheme-")}
    first = w.staff.post("/api/v1/schemes", json=body, headers=key)
    assert first.status_code == 201, first.text
    again = w.staff.post("/api/v1/schemes", json=body, headers=key)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.headers["Location"] == first.headers["Location"]
    other = dict(body, name="Iets anders")
    problem(w.staff.post("/api/v1/schemes", json=other, headers=key), 422, "idempotency_key_reused")
    assert len(audit_events(w.staff, target_type="scheme", target_id=first.json()["id"])) == 1
    # A failed attempt leaves the key free for the corrected request.
    key2 = {"Idempotency-Key": unique("scheme-")}
    problem(w.staff.post("/api/v1/schemes", json=dict(body, number=unique("N"), kind="x"),
                         headers=key2), 422)
    assert w.staff.post("/api/v1/schemes", json=dict(body, number=unique("N")),
                        headers=key2).status_code == 201


# --- reading -------------------------------------------------------------------------

def ids(items):
    return {s["id"] for s in items}


def list_all(actor, **params):
    items, cursor = [], None
    while True:
        q = dict(params)
        if cursor:
            q["cursor"] = cursor
        r = actor.get("/api/v1/schemes", params=q)
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return items


def test_employer_users_read_their_own_schemes_only(w):
    mine = {w.pension_a["id"], w.income_a["id"]}
    for actor in (w.admin_a, w.hr_a, w.finance_a):
        got = ids(list_all(actor))
        assert mine <= got
        assert not got & {w.pension_b["id"], w.income_b["id"]}
        r = actor.get(f"/api/v1/schemes/{w.income_a['id']}")
        assert r.status_code == 200 and r.headers["ETag"]
        assert r.json()["variant"] == "stop_loss"
        problem(actor.get(f"/api/v1/schemes/{w.income_b['id']}"), 404, "not_found")
    # An employer asking for another organisation's schemes finds nothing.
    r = w.admin_a.get("/api/v1/schemes", params={"organisation_id": w.emp_b["id"]})
    assert r.status_code == 200 and r.json()["items"] == []


def test_staff_list_everything_and_filter(w):
    got = ids(list_all(w.staff, limit=200))
    assert {w.pension_a["id"], w.income_a["id"], w.pension_b["id"], w.income_b["id"]} <= got
    only_b = list_all(w.staff, organisation_id=w.emp_b["id"])
    assert {s["organisation_id"] for s in only_b} == {w.emp_b["id"]}
    income_b = list_all(w.staff, organisation_id=w.emp_b["id"], kind="income")
    assert {s["kind"] for s in income_b} == {"income"} and w.income_b["id"] in ids(income_b)
    p = problem(w.staff.get("/api/v1/schemes", params={"organisation_id": "x", "kind": "life"}),
                400, "invalid_request")
    assert fields(p) == {("organisation_id", "invalid_format"), ("kind", "invalid_value")}


def test_the_list_is_sorted_by_name_and_keyset_paged(w):
    org = w.emp_a["id"]
    for name in ("Zeta", "Alfa", "Mu"):
        new_scheme(w.staff, org, name=f"{name} {unique('')}")
    whole = list_all(w.staff, organisation_id=org, limit=200)
    names = [s["name"] for s in whole]
    assert names == sorted(names) or names == sorted(names, key=str.lower)
    paged = list_all(w.staff, organisation_id=org, limit=2)
    assert [s["id"] for s in paged] == [s["id"] for s in whole]
    first = w.staff.get("/api/v1/schemes", params={"organisation_id": org, "limit": 1}).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    problem(w.staff.get("/api/v1/schemes", params={"cursor": first["next_cursor"] + "x"}),
            400, "invalid_cursor")
    problem(w.staff.get("/api/v1/schemes", params={"limit": 0}), 400, "invalid_request")


def test_a_scoped_user_sees_only_the_schemes_in_scope(w):
    scoped = w.user(w.emp_a["id"], ["hr"], [w.pension_a["id"]])
    got = ids(list_all(scoped))
    assert got == {w.pension_a["id"]}
    assert scoped.get(f"/api/v1/schemes/{w.pension_a['id']}").status_code == 200
    problem(scoped.get(f"/api/v1/schemes/{w.income_a['id']}"), 404, "not_found")


def test_a_visible_scheme_without_schemes_read_is_403(w, cluster):
    user = w.user(w.emp_a["id"], ["hr_read"])
    assert user.get(f"/api/v1/schemes/{w.pension_a['id']}").status_code == 200
    # Rights removed (test set-up with SQL): applies from the next request.
    cluster.psql(f"DELETE FROM user_rights WHERE user_id = '{user.id}'")
    problem(user.get(f"/api/v1/schemes/{w.pension_a['id']}"), 403, "forbidden")
    problem(user.get(f"/api/v1/schemes/{w.pension_b['id']}"), 404, "not_found")
    assert user.get("/api/v1/schemes").json()["items"] == []


def test_intermediaries_see_nothing_without_a_mandate(w):
    for actor in (w.inc_x, w.pen_x, w.plain_x, w.inc_y):
        problem(actor.get(f"/api/v1/schemes/{w.income_b['id']}"), 404, "not_found")
        problem(actor.patch(f"/api/v1/schemes/{w.income_b['id']}", json={"name": "X"}),
                404, "not_found")
        assert not ids(list_all(actor)) & {w.pension_b["id"], w.income_b["id"]}


def test_unauthenticated_requests_are_401(api, w):
    assert api.get("/api/v1/schemes").status_code == 401
    assert api.get(f"/api/v1/schemes/{w.pension_a['id']}").status_code == 401
    assert api.post("/api/v1/schemes", json={}).status_code == 401
