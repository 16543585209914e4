"""The authorization matrix (issue 4): for every endpoint and every kind of
caller, the expected status. The matrix is data: later endpoints add rows
(see authz_*.py modules next to this file). Cross-organisation reads, writes
and deletes must all be 404; a visible resource without the right is 403."""
import glob
import importlib
import os

import pytest

from helpers import bearer
from helpers import unique
from org_helpers import Actor, new_org, world_of

CALLERS = ["staff", "admin", "hr", "hr_read", "finance", "hr_finance", "limited_admin", "scoped_hr",
           "expired", "office_read", "office_read_write", "office_no_mandate", "token_hr", "other_admin"]


class TokenCaller:
    """An API token used as a caller."""

    def __init__(self, api, secret):
        self.api, self.secret = api, secret

    def request(self, method, path, **kw):
        return self.api.request(method, path, headers=bearer(self.secret), **kw)


@pytest.fixture(scope="module")
def matrix_world(api, mail, server, cluster):
    w = world_of(api, mail, server, cluster)
    if not hasattr(w, "matrix"):
        a = w.emp_a["id"]
        # Offices of its own, so the mandates below change nothing other tests rely on.
        office_r = new_org(w.staff, "intermediary", unique("Matrix lezen "))
        office_rw = new_org(w.staff, "intermediary", unique("Matrix schrijven "))
        callers = {
            "staff": w.staff,
            "admin": w.admin_a,
            "hr": w.hr_a,
            "hr_read": w.user(a, ["hr_read"]),
            "finance": w.finance_a,
            "hr_finance": w.user(a, ["hr", "finance"]),
            "limited_admin": w.user(a, ["user_management"], [w.pension_a["id"]]),
            "scoped_hr": w.user(a, ["hr"], [w.pension_a["id"]]),
            "expired": w.user(a, ["hr"]),
            "office_read": w.user(office_r["id"], ["inkomensverzekering", "pensioenverzekering",
                                                   "premiepensioenvorderingen"]),
            "office_read_write": w.user(office_rw["id"], ["inkomensverzekering", "pensioenverzekering",
                                                         "premiepensioenvorderingen"]),
            "office_no_mandate": w.user(office_r["id"], ["financieel_rekening_courant"]),
            "other_admin": w.admin_b,
        }
        # One office reads employer A's income scheme; the other reads and writes both.
        r = w.admin_a.post("/api/v1/mandates", json={"intermediary_id": office_r["id"], "access": "read",
                                                     "scheme_ids": [w.income_a["id"]]})
        assert r.status_code == 201, r.text
        r = w.admin_a.post("/api/v1/mandates", json={"intermediary_id": office_rw["id"], "access": "read_write",
                                                     "scheme_ids": [w.income_a["id"], w.pension_a["id"]]})
        assert r.status_code == 201, r.text
        r = w.admin_a.post("/api/v1/api-tokens", json={"name": "Salarispakket", "rights": ["hr"],
                                                       "expires_at": "2027-06-30"})
        assert r.status_code == 201, r.text
        callers["token_hr"] = TokenCaller(api, r.json()["secret"])
        expired = callers["expired"]
        cluster.psql(f"UPDATE users SET expires_at = now() - interval '1 second' WHERE id = '{expired.id}'")
        w.matrix = callers
    ids = {"employer_a": w.emp_a["id"], "pension_a": w.pension_a["id"], "income_a": w.income_a["id"],
           "admin_a": w.admin_a.id, "hr_a": w.hr_a.id}
    return w.matrix, ids


def expect(default, **overrides):
    """A row's expectations: `default` for every caller unless overridden."""
    out = {c: default for c in CALLERS}
    out["expired"] = 401
    out.update(overrides)
    return out


EVERYONE = expect(200)
STAFF_ONLY = expect(403, staff=200)
ADMINS = expect(403, staff=200, admin=200, limited_admin=200, other_admin=200)

ROWS = [
    ("GET", "/api/v1/me", None, EVERYONE),
    ("GET", "/api/v1/organisation", None, EVERYONE),
    ("GET", "/api/v1/rights", None, EVERYONE),
    ("GET", "/api/v1/organisations", None, STAFF_ONLY),
    ("GET", "/api/v1/organisations/{employer_a}", None, expect(404, staff=200)),
    ("PATCH", "/api/v1/organisations/{employer_a}", {}, expect(404, staff=200, token_hr=401)),
    ("GET", "/api/v1/intermediaries", None, expect(403, staff=200, admin=200, limited_admin=200, other_admin=200)),
    ("GET", "/api/v1/users", None, ADMINS),
    # hr_a reaches every scheme: an administrator limited to one does not
    # manage them (404). Accounts are made and changed in a session only.
    ("GET", "/api/v1/users/{hr_a}", None, dict(ADMINS, other_admin=404, limited_admin=404)),
    ("PATCH", "/api/v1/users/{hr_a}", {}, dict(ADMINS, other_admin=404, limited_admin=404, token_hr=401)),
    ("DELETE", "/api/v1/users/00000000-0000-4000-8000-000000000000", None, dict(ADMINS, staff=404, admin=404,
                                                                                limited_admin=404, other_admin=404,
                                                                                token_hr=401)),
    ("GET", "/api/v1/schemes", None, expect(200, office_no_mandate=200)),
    ("GET", "/api/v1/schemes/{pension_a}", None,
     expect(200, office_read=404, office_no_mandate=404, other_admin=404)),
    ("GET", "/api/v1/schemes/{income_a}", None,
     expect(200, limited_admin=404, scoped_hr=404, office_no_mandate=404, other_admin=404)),
    ("PATCH", "/api/v1/schemes/{pension_a}", {},
     expect(403, staff=200, office_read=404, office_no_mandate=404, other_admin=404, token_hr=401)),
    ("GET", "/api/v1/mandates", None,
     expect(403, staff=200, admin=200, limited_admin=200, other_admin=200, office_read=200,
            office_read_write=200, office_no_mandate=200)),
    ("GET", "/api/v1/api-tokens", None, ADMINS),
    # The log covers every scheme: not for an administrator limited to some.
    ("GET", "/api/v1/audit-events", None, dict(ADMINS, limited_admin=403)),
]


def extra_rows():
    """Rows contributed by later resources (tests/api/authz_*.py: ROWS)."""
    rows = []
    here = os.path.dirname(__file__)
    for path in sorted(glob.glob(os.path.join(here, "authz_*.py"))):
        module = importlib.import_module(os.path.basename(path)[:-3])
        rows.extend(getattr(module, "ROWS", []))
    return rows


def test_authorization_matrix(api, matrix_world):
    callers, ids = matrix_world
    mismatches = []
    rows = ROWS + extra_rows()
    for method, template, body, expected in rows:
        path = template.format(**ids) if "{" in template else template
        for caller_name in CALLERS:
            if caller_name not in expected:
                continue
            caller = callers[caller_name]
            kw = {"json": body} if body is not None else {}
            r = caller.request(method, path, **kw)
            if r.status_code != expected[caller_name]:
                mismatches.append(f"{method} {template} as {caller_name}: {r.status_code} "
                                  f"(expected {expected[caller_name]}) {r.text[:120]}")
    assert not mismatches, "\n".join(mismatches)
    assert len(rows) >= len(ROWS)
