"""API tokens (issue 4 "API tokens"): created in a session by a user with
tokens.manage, a subset of the creator's rights and scope, the secret shown
once and stored hashed; used as `Authorization: Bearer pat_…`; refused on
session-only routes, after revocation, expiry or the creator's deletion.
Against the real server."""
import datetime
import hashlib
import re

import pytest

from helpers import bearer, unique
from org_helpers import audit_events, fields, in_days, problem, world_of

SECRET = re.compile(r"^pat_[A-Za-z0-9_-]{43}$")


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return world_of(api, mail, server, cluster)


def make_token(actor, rights, scheme_ids=None, expires_at=None, name=None, **kw):
    r = actor.post("/api/v1/api-tokens", json={
        "name": name or unique("Salarispakket "), "rights": rights, "scheme_ids": scheme_ids,
        "expires_at": expires_at or in_days(30)}, **kw)
    assert r.status_code == 201, r.text
    return r


def as_token(api, secret, method, path, **kw):
    return api.request(method, path, headers=bearer(secret), **kw)


# --- creating ------------------------------------------------------------------

def test_the_secret_is_shown_once_and_stored_only_as_a_hash(w, cluster):
    r = make_token(w.admin_a, ["hr_read"], name="Loonadministratie")
    t = r.json()
    assert SECRET.match(t["secret"]), t["secret"]
    assert t["prefix"] == t["secret"][4:12]
    assert r.headers["Location"] == f"/api/v1/api-tokens/{t['id']}" and r.headers["ETag"]
    assert t["name"] == "Loonadministratie"
    assert t["created_by"] == {"id": w.admin_a.id, "name": f"Test {w.admin_a.username}"}
    assert t["rights"] == ["hr_read"] and t["scheme_ids"] is None
    assert t["expires_at"].endswith("Z") and t["created_at"].endswith("Z")
    assert t["last_used_at"] is None and t["revoked_at"] is None and t["status"] == "active"
    # Only the SHA-256 hash is stored; the secret is nowhere in the row.
    row = cluster.psql(f"SELECT row_to_json(a)::text FROM api_tokens a WHERE id = '{t['id']}'")
    assert t["secret"] not in row and t["secret"][4:] not in row
    assert hashlib.sha256(t["secret"].encode()).hexdigest() in row
    # Never shown again.
    one = w.admin_a.get(r.headers["Location"])
    assert one.status_code == 200 and one.headers["ETag"] == r.headers["ETag"]
    assert "secret" not in one.json() and "token_hash" not in one.json()
    assert one.json() == {k: v for k, v in t.items() if k != "secret"}
    listed = w.admin_a.get("/api/v1/api-tokens", params={"limit": 200}).json()["items"]
    mine = [x for x in listed if x["id"] == t["id"]]
    assert len(mine) == 1 and "secret" not in mine[0] and "token_hash" not in mine[0]
    assert set(mine[0]) >= {"id", "name", "prefix", "created_by", "created_at", "last_used_at",
                            "expires_at", "rights", "scheme_ids", "revoked_at"}
    # Audited without the secret.
    ev = audit_events(w.admin_a, target_type="api_token", target_id=t["id"])
    assert [e["action"] for e in ev] == ["api_token.created"]
    assert ev[0]["changes"]["rights"] == {"from": None, "to": ["hr_read"]}
    assert ev[0]["changes"]["name"] == {"from": None, "to": "Loonadministratie"}
    assert t["secret"] not in str(ev[0])


def test_unreadable_requests_answer_400(w):
    p = problem(w.admin_a.post("/api/v1/api-tokens", json={}), 400, "invalid_request")
    assert fields(p) == {("/name", "required"), ("/rights", "required"), ("/expires_at", "required")}
    p = problem(w.admin_a.post("/api/v1/api-tokens", json={
        "name": 1, "rights": ["hr", 2], "scheme_ids": "all", "expires_at": 20301231}), 400)
    assert fields(p) == {("/name", "invalid_type"), ("/rights/1", "invalid_type"),
                         ("/scheme_ids", "invalid_type"), ("/expires_at", "invalid_type")}


def test_expiry_is_in_the_future_and_at_most_a_year_ahead(w):
    body = {"name": "x", "rights": ["hr_read"], "scheme_ids": None}
    for bad in ("morgen", "2026-02-30", "2026-01-01 10:00", "2026-01-01T10:00:00"):
        p = problem(w.admin_a.post("/api/v1/api-tokens", json=dict(body, expires_at=bad)),
                    422, "validation_failed")
        assert fields(p) == {("/expires_at", "invalid_format")}, bad
    now = datetime.datetime.now(datetime.timezone.utc)
    for bad in (in_days(-1), in_days(370), (now - datetime.timedelta(minutes=1)).isoformat(),
                (now + datetime.timedelta(days=370)).strftime("%Y-%m-%dT%H:%M:%SZ")):
        p = problem(w.admin_a.post("/api/v1/api-tokens", json=dict(body, expires_at=bad)),
                    422, "validation_failed")
        assert fields(p) == {("/expires_at", "out_of_range")}, bad
    # RFC 3339 with an offset is kept as that instant, shown in UTC.
    at = (now + datetime.timedelta(days=10)).replace(microsecond=0)
    local = at.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
    r = make_token(w.admin_a, ["hr_read"], expires_at=local.isoformat())
    assert r.json()["expires_at"] == at.strftime("%Y-%m-%dT%H:%M:%SZ")
    # A date means through that day (Europe/Amsterdam), up to a year ahead.
    r = make_token(w.admin_a, ["hr_read"], expires_at=in_days(365))
    day = datetime.date.fromisoformat(in_days(366))
    assert r.json()["expires_at"][:10] in (in_days(365), day.isoformat())
    assert r.json()["expires_at"][11:] in ("22:00:00Z", "23:00:00Z")


def test_rights_must_exist_and_be_held_by_the_creator(w):
    problem(w.hr_a.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["hr"], "expires_at": in_days(5)}), 403, "forbidden")
    problem(w.inc_x.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["inkomensverzekering"], "expires_at": in_days(5)}), 403, "forbidden")
    # An employer's administrator holds every employer right.
    r = make_token(w.admin_a, ["hr", "finance", "hr"])
    assert sorted(r.json()["rights"]) == ["finance", "hr"]
    p = problem(w.admin_a.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["hr", "inkomensverzekering", "staff", "nonsense"],
        "expires_at": in_days(5)}), 422, "validation_failed")
    assert fields(p) == {("/rights/1", "unknown_id"), ("/rights/2", "unknown_id"),
                         ("/rights/3", "unknown_id")}
    p = problem(w.admin_a.post("/api/v1/api-tokens", json={
        "name": "x", "rights": [], "expires_at": in_days(5)}), 422)
    assert fields(p) == {("/rights", "too_short")}
    # An office's limited administrator: only the rights it holds (403
    # naming them), and rights of the office's catalogue (422).
    first = w.user(w.int_y["id"], ["user_management"])
    limited = w.user(w.int_y["id"], ["user_management", "inkomensverzekering"], inviter=first)
    assert sorted(limited.me["rights"]) == ["inkomensverzekering", "user_management"]
    p = problem(limited.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["inkomensverzekering", "pensioenverzekering", "klantbeeld"],
        "expires_at": in_days(5)}), 403, "forbidden")
    assert fields(p) == {("/rights/1", "not_allowed"), ("/rights/2", "not_allowed")}
    p = problem(limited.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["pensioenverzekering", "hr"], "expires_at": in_days(5)}), 422)
    assert fields(p) == {("/rights/0", "not_allowed"), ("/rights/1", "unknown_id")}
    assert make_token(limited, ["inkomensverzekering"]).json()["rights"] == ["inkomensverzekering"]


def test_schemes_must_lie_within_the_creators_scope(w):
    limited = w.user(w.emp_a["id"], ["user_management"], [w.pension_a["id"]])
    p = problem(limited.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["hr"], "scheme_ids": [w.pension_a["id"], w.income_a["id"]],
        "expires_at": in_days(5)}), 403, "forbidden")
    assert fields(p) == {("/scheme_ids/1", "not_allowed")}
    p = problem(limited.post("/api/v1/api-tokens", json={
        "name": "x", "rights": ["hr"], "scheme_ids": [w.pension_b["id"], "x", w.income_a["id"]],
        "expires_at": in_days(5)}), 422, "validation_failed")
    assert fields(p) == {("/scheme_ids/0", "unknown_id"), ("/scheme_ids/1", "unknown_id"),
                         ("/scheme_ids/2", "not_allowed")}
    # null: the creator's whole scope, copied.
    assert make_token(limited, ["hr"]).json()["scheme_ids"] == [w.pension_a["id"]]
    assert make_token(limited, ["hr"], [w.pension_a["id"]]).json()["scheme_ids"] == [w.pension_a["id"]]
    assert make_token(w.admin_a, ["hr"], []).json()["scheme_ids"] == []


# --- using ---------------------------------------------------------------------------

def test_a_token_works_with_its_own_rights_and_schemes(api, w):
    t = make_token(w.admin_a, ["hr_read"], [w.pension_a["id"]]).json()
    secret = t["secret"]
    me = as_token(api, secret, "GET", "/api/v1/me")
    assert me.status_code == 200, me.text
    assert me.json()["auth"] == "api_token" and me.json()["id"] == w.admin_a.id
    assert me.json()["rights"] == ["hr_read"] and me.json()["scheme_ids"] == [w.pension_a["id"]]
    r = as_token(api, secret, "GET", "/api/v1/schemes")
    assert r.status_code == 200 and [s["id"] for s in r.json()["items"]] == [w.pension_a["id"]]
    assert as_token(api, secret, "GET", f"/api/v1/schemes/{w.pension_a['id']}").status_code == 200
    for other in (w.income_a, w.pension_b):
        problem(as_token(api, secret, "GET", f"/api/v1/schemes/{other['id']}"), 404, "not_found")
    # Its rights, not its creator's.
    problem(as_token(api, secret, "GET", "/api/v1/audit-events"), 403, "forbidden")
    problem(as_token(api, secret, "GET", "/api/v1/mandates"), 403, "forbidden")
    assert as_token(api, secret, "POST", "/api/v1/mandates", json={
        "intermediary_id": w.int_x["id"], "scheme_ids": [w.pension_a["id"]], "access": "read"}).status_code in (401, 403)
    # Session-only routes refuse it.
    assert as_token(api, secret, "PATCH", "/api/v1/me", json={"theme": "dark"}).status_code in (401, 403)
    assert as_token(api, secret, "POST", "/api/v1/api-tokens", json={
        "name": "x", "rights": ["hr_read"], "expires_at": in_days(5)}).status_code in (401, 403)
    assert as_token(api, secret, "DELETE", f"/api/v1/api-tokens/{t['id']}").status_code in (401, 403)
    assert w.admin_a.get("/api/v1/me").json()["theme"] == "light"
    # The last use shows in the list.
    one = w.admin_a.get(f"/api/v1/api-tokens/{t['id']}").json()
    assert one["last_used_at"] and one["revoked_at"] is None
    # A wrong or mangled secret is refused.
    assert as_token(api, secret[:-1] + ("A" if secret[-1] != "A" else "B"), "GET",
                    "/api/v1/me").status_code == 401


def test_requests_made_with_a_token_are_audited_with_its_id(api, w):
    t = make_token(w.admin_a, ["user_management"]).json()
    r = as_token(api, t["secret"], "POST", "/api/v1/exports", json={
        "scheme_ids": [w.pension_a["id"]], "as_of": in_days(0)[:10], "format": "csv"})
    assert r.status_code == 202, r.text
    eid = r.json()["id"]
    ev = audit_events(w.admin_a, target_type="export", target_id=eid)
    assert [e["action"] for e in ev] == ["export.created"]
    assert ev[0]["actor"] == {"user_id": w.admin_a.id, "token_id": t["id"], "label": "api_token"}
    # The token reads the audit log too (user_management gives audit.read).
    r = as_token(api, t["secret"], "GET", "/api/v1/audit-events", params={"target_id": eid})
    assert r.status_code == 200 and len(r.json()["items"]) == 1


def test_accounts_and_mandates_are_made_by_people_not_tokens(api, w):
    """An account or a mandate outlives the token: only a signed-in person
    makes, changes or removes one (or changes the company's details),
    whatever rights the token holds."""
    t = make_token(w.admin_a, ["user_management"]).json()
    someone = w.admin_a.get("/api/v1/users").json()["items"][0]["id"]
    refused = [
        ("POST", "/api/v1/users", {"first_name": "Tim", "last_name": "Token", "email": unique("tok") + "@x.example",
                                   "rights": ["user_management"]}),
        ("PATCH", f"/api/v1/users/{someone}", {"rights": ["hr"]}),
        ("DELETE", f"/api/v1/users/{someone}", None),
        ("POST", f"/api/v1/users/{someone}/invitation", None),
        ("POST", "/api/v1/mandates", {"intermediary_id": w.int_x["id"], "scheme_ids": [w.pension_a["id"]],
                                      "access": "read"}),
        ("PATCH", "/api/v1/organisation", {"postal_address": {"street": "Tokenstraat", "house_number": "1",
                                                              "postal_code": "1234 AB", "city": "Utrecht"}}),
    ]
    for method, path, body in refused:
        r = as_token(api, t["secret"], method, path, json=body)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer"), (method, path, r.text)
    # Reading them is fine.
    assert as_token(api, t["secret"], "GET", "/api/v1/users").status_code == 200
    assert as_token(api, t["secret"], "GET", "/api/v1/mandates").status_code == 200


def test_revoking_stops_a_token_at_once(api, w):
    r = make_token(w.admin_a, ["hr_read"])
    secret, url = r.json()["secret"], r.headers["Location"]
    assert as_token(api, secret, "GET", "/api/v1/schemes").status_code == 200
    problem(w.admin_a.delete(url, headers={"If-Match": '"stale"'}), 412, "precondition_failed")
    assert as_token(api, secret, "GET", "/api/v1/schemes").status_code == 200
    assert w.admin_a.delete(url, headers={"If-Match": w.admin_a.get(url).headers["ETag"]}).status_code == 204
    assert as_token(api, secret, "GET", "/api/v1/schemes").status_code == 401
    assert as_token(api, secret, "GET", "/api/v1/me").status_code == 401
    one = w.admin_a.get(url).json()
    assert one["revoked_at"] and one["status"] == "revoked"
    # Revoking again is fine and records nothing new.
    assert w.admin_a.delete(url).status_code == 204
    ev = audit_events(w.admin_a, target_type="api_token", target_id=one["id"])
    assert [e["action"] for e in ev] == ["api_token.revoked", "api_token.created"]


def test_an_expired_token_is_refused(api, w, cluster):
    t = make_token(w.admin_a, ["hr_read"]).json()
    assert as_token(api, t["secret"], "GET", "/api/v1/me").status_code == 200
    cluster.psql(f"UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = '{t['id']}'")
    assert as_token(api, t["secret"], "GET", "/api/v1/me").status_code == 401
    assert w.admin_a.get(f"/api/v1/api-tokens/{t['id']}").json()["status"] == "expired"


def test_a_token_stops_when_its_creator_is_deleted(api, w):
    creator = w.user(w.emp_a["id"], ["user_management"], inviter=w.admin_a)
    t = make_token(creator, ["hr_read"]).json()
    assert as_token(api, t["secret"], "GET", "/api/v1/schemes").status_code == 200
    r = w.admin_a.delete(f"/api/v1/users/{creator.id}")
    assert r.status_code == 204, r.text
    assert as_token(api, t["secret"], "GET", "/api/v1/schemes").status_code == 401
    # The organisation still lists it (history), with its creator.
    assert w.admin_a.get(f"/api/v1/api-tokens/{t['id']}").json()["created_by"]["id"] == creator.id


def test_a_token_never_holds_more_than_its_creator_holds_now(api, w):
    creator = w.user(w.emp_a["id"], ["user_management", "hr"], [w.pension_a["id"], w.income_a["id"]],
                     inviter=w.admin_a)
    t = make_token(creator, ["hr", "hr_read"]).json()
    me = as_token(api, t["secret"], "GET", "/api/v1/me").json()
    assert sorted(me["rights"]) == ["hr", "hr_read"]
    assert sorted(me["scheme_ids"]) == sorted([w.pension_a["id"], w.income_a["id"]])
    # The creator loses the administrator right and a scheme: so does the token.
    url = f"/api/v1/users/{creator.id}"
    r = w.admin_a.patch(url, headers={"If-Match": w.admin_a.get(url).headers["ETag"]},
                        json={"rights": ["hr_read"], "scheme_ids": [w.pension_a["id"]]})
    assert r.status_code == 200, r.text
    me = as_token(api, t["secret"], "GET", "/api/v1/me").json()
    assert me["rights"] == ["hr_read"] and me["scheme_ids"] == [w.pension_a["id"]]
    problem(as_token(api, t["secret"], "GET", f"/api/v1/schemes/{w.income_a['id']}"), 404, "not_found")
    assert as_token(api, t["secret"], "GET", f"/api/v1/schemes/{w.pension_a['id']}").status_code == 200
    # Given back, the token has its own rights again (never more than those).
    r = w.admin_a.patch(url, headers={"If-Match": w.admin_a.get(url).headers["ETag"]},
                        json={"rights": ["user_management"], "scheme_ids": None})
    assert r.status_code == 200, r.text
    me = as_token(api, t["secret"], "GET", "/api/v1/me").json()
    assert sorted(me["rights"]) == ["hr", "hr_read"]
    assert sorted(me["scheme_ids"]) == sorted([w.pension_a["id"], w.income_a["id"]])


# --- reading and revoking --------------------------------------------------------------

def test_tokens_are_the_organisations_own(w):
    t = make_token(w.admin_a, ["hr_read"]).json()
    url = f"/api/v1/api-tokens/{t['id']}"
    for actor in (w.admin_b, w.staff, w.inc_x):
        problem(actor.get(url), 404, "not_found")
        problem(actor.delete(url), 404, "not_found")
        ids = {x["id"] for x in actor.get("/api/v1/api-tokens", params={"limit": 200}).json().get("items", [])}
        assert t["id"] not in ids
    # Same organisation without tokens.manage: 403.
    problem(w.hr_a.get(url), 403, "forbidden")
    problem(w.hr_a.delete(url), 403, "forbidden")
    problem(w.hr_a.get("/api/v1/api-tokens"), 403, "forbidden")
    for bad in ("00000000-0000-0000-0000-000000000000", "pat_x"):
        problem(w.admin_a.get(f"/api/v1/api-tokens/{bad}"), 404, "not_found")
        problem(w.admin_a.delete(f"/api/v1/api-tokens/{bad}"), 404, "not_found")
    assert w.admin_a.get(url).json()["revoked_at"] is None


def test_the_list_is_newest_first_and_keyset_paged(w):
    made = [make_token(w.admin_b, ["hr_read"]).json()["id"] for _ in range(3)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = w.admin_b.get("/api/v1/api-tokens", params=params)
        assert r.status_code == 200, r.text
        seen += [x["id"] for x in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen[:3] == list(reversed(made)) and len(seen) == len(set(seen))


def test_create_honours_idempotency_key_without_replaying_the_secret(w, cluster):
    body = {"name": unique("Idem "), "rights": ["hr_read"], "scheme_ids": None,
            "expires_at": in_days(20)}
    key = {"Idempotency-Key": unique("token-")}
    first = w.admin_a.post("/api/v1/api-tokens", json=body, headers=key)
    assert first.status_code == 201 and "secret" in first.json()
    again = w.admin_a.post("/api/v1/api-tokens", json=body, headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "secret" not in again.json()
    assert first.json()["secret"] not in cluster.psql(
        "SELECT coalesce(string_agg(response_body, ''), '') FROM idempotency_keys")
    assert cluster.psql(f"SELECT count(*) FROM api_tokens WHERE name = '{body['name']}'") == "1"
    problem(w.admin_a.post("/api/v1/api-tokens", json=dict(body, name="anders"), headers=key),
            422, "idempotency_key_reused")
