"""An administrator limited to some schemes (users.scheme_ids) manages only
what stays inside them: users, API tokens and mandates whose schemes lie
outside are not theirs to see or change (404, and left out of lists), and
the audit log, which covers every scheme, is not for them (403)."""
import pytest

from helpers import unique
from org_helpers import in_days, problem, world_of


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return world_of(api, mail, server, cluster)


def ids(r):
    assert r.status_code == 200, r.text
    return {x["id"] for x in r.json()["items"]}


def test_a_scheme_limited_administrator_keeps_to_their_schemes(api, w):
    a, pension, income = w.emp_a["id"], w.pension_a["id"], w.income_a["id"]
    limited = w.user(a, ["user_management"], [pension], inviter=w.admin_a)
    inside = w.user(a, ["hr"], [pension], inviter=w.admin_a)
    everywhere = w.user(a, ["hr_read"], None, inviter=w.admin_a)

    # Users: those limited to the same schemes, not the ones reaching further.
    seen = ids(limited.get("/api/v1/users", params={"limit": 200}))
    assert inside.id in seen and limited.id in seen
    assert everywhere.id not in seen and w.admin_a.id not in seen
    problem(limited.get(f"/api/v1/users/{everywhere.id}"), 404, "not_found")
    problem(limited.patch(f"/api/v1/users/{everywhere.id}", json={"rights": ["hr"]}), 404, "not_found")
    problem(limited.delete(f"/api/v1/users/{everywhere.id}"), 404, "not_found")
    assert w.admin_a.get(f"/api/v1/users/{everywhere.id}").json()["rights"] == ["hr_read"]
    url = f"/api/v1/users/{inside.id}"
    r = limited.patch(url, headers={"If-Match": limited.get(url).headers["ETag"]}, json={"rights": ["hr_read"]})
    assert r.status_code == 200 and r.json()["rights"] == ["hr_read"], r.text

    # API tokens: the organisation's token for every scheme is not theirs.
    def token(schemes):
        r = w.admin_a.post("/api/v1/api-tokens", json={"name": unique("Salaris "), "rights": ["hr_read"],
                                                       "scheme_ids": schemes, "expires_at": in_days(30)})
        assert r.status_code == 201, r.text
        return r.json()["id"]
    wide, narrow = token(None), token([pension])
    seen = ids(limited.get("/api/v1/api-tokens", params={"limit": 200}))
    assert narrow in seen and wide not in seen
    problem(limited.get(f"/api/v1/api-tokens/{wide}"), 404, "not_found")
    problem(limited.delete(f"/api/v1/api-tokens/{wide}"), 404, "not_found")
    assert w.admin_a.get(f"/api/v1/api-tokens/{wide}").json()["status"] == "active"
    assert limited.delete(f"/api/v1/api-tokens/{narrow}").status_code == 204

    # Mandates: one on a scheme outside is neither listed nor revocable.
    def mandate(schemes):
        r = w.admin_a.post("/api/v1/mandates", json={"intermediary_id": w.int_y["id"], "scheme_ids": schemes,
                                                     "access": "read"})
        assert r.status_code == 201, r.text
        return r.json()["id"]
    on_income, on_pension = mandate([income]), mandate([pension])
    seen = ids(limited.get("/api/v1/mandates", params={"limit": 200}))
    assert on_pension in seen and on_income not in seen
    problem(limited.get(f"/api/v1/mandates/{on_income}"), 404, "not_found")
    problem(limited.delete(f"/api/v1/mandates/{on_income}"), 404, "not_found")
    assert w.admin_a.get(f"/api/v1/mandates/{on_income}").json()["revoked_at"] is None
    assert limited.delete(f"/api/v1/mandates/{on_pension}").status_code == 204

    # The audit log covers every scheme.
    problem(limited.get("/api/v1/audit-events"), 403, "forbidden")
    assert w.admin_a.get("/api/v1/audit-events").status_code == 200
