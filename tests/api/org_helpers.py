"""Shared set-up for the tests of schemes, mandates, API tokens and the audit
log: insurer staff, customer organisations, invited and enrolled users of
each kind, and schemes, all made through the public API the way a client
would (staff create organisations and users; users activate from the mail).

The `world` is built once per test session (the server and database are
session-scoped too) and cached here, so every test module shares it.
"""
import datetime
import time

from helpers import activate, bearer, enrol, invitation_token, login, new_staff, unique

ACCESS_TOKEN_REFRESH_AFTER = 600  # seconds; access tokens live 15 minutes


def problem(r, status, code=None):
    """Asserts an RFC 9457 problem with status (and code); returns its body."""
    assert r.status_code == status, f"{r.status_code}: {r.text}"
    assert r.headers["Content-Type"].startswith("application/problem+json"), r.headers
    body = r.json()
    if code:
        assert body["code"] == code, r.text
    return body


def fields(body):
    """The (field, code) pairs of a problem's errors."""
    return {(e["field"], e["code"]) for e in body.get("errors", [])}


def in_days(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


class Actor:
    """A signed-in user: requests carry a fresh access token."""

    def __init__(self, api, cluster, username, secret, tokens):
        self.api = api
        self.cluster = cluster
        self.username = username
        self.secret = secret
        self.access_token = tokens["access_token"]
        self.issued = time.time()
        me = self.get("/api/v1/me")
        assert me.status_code == 200, me.text
        self.me = me.json()
        self.id = self.me["id"]
        self.organisation_id = self.me["organisation"]["id"]

    def headers(self, extra=None):
        if time.time() - self.issued > ACCESS_TOKEN_REFRESH_AFTER:
            r = login(self.api, self.cluster, self.username, self.secret)
            self.access_token = r.json()["access_token"]
            self.issued = time.time()
        h = bearer(self.access_token)
        h.update(extra or {})
        return h

    def request(self, method, path, headers=None, **kw):
        return self.api.request(method, path, headers=self.headers(headers), **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def staff_actor(api, mail, server, cluster):
    username, _ = new_staff(api, mail, server)
    secret, tokens = enrol(api, username)
    return Actor(api, cluster, username, secret, tokens)


def new_org(staff, kind, name=None, **extra):
    body = {"kind": kind, "name": name or unique(f"{kind.capitalize()} "),
            "registration_number": unique("")[:8]}
    body.update(extra)
    r = staff.post("/api/v1/organisations", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def new_user(api, mail, cluster, inviter, organisation_id, rights, scheme_ids=None, **extra):
    """Invites a user (by staff or an administrator), activates and enrols
    it; returns the signed-in Actor."""
    username = unique("u")
    email = f"{username}@klant.example"
    body = {"organisation_id": organisation_id, "first_name": "Test",
            "last_name": username, "email": email, "rights": rights,
            "scheme_ids": scheme_ids}
    body.update(extra)
    r = inviter.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    activate(api, mail, invitation_token(mail, email), email, username)
    secret, tokens = enrol(api, username)
    return Actor(api, cluster, username, secret, tokens)


def new_scheme(staff, organisation_id, kind="pension", **extra):
    body = {"organisation_id": organisation_id, "name": unique(f"{kind} scheme "),
            "number": unique("S"), "kind": kind, "start_date": "2020-01-01"}
    if kind == "income":
        body.update({"variant": "stop_loss", "insured_wage_type": "uniform_wage"})
    body.update(extra)
    r = staff.post("/api/v1/schemes", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def audit_events(who, **params):
    r = who.get("/api/v1/audit-events", params=dict({"limit": 200}, **params))
    assert r.status_code == 200, r.text
    return r.json()["items"]


class World:
    """Two employers with a pension and an income scheme each, two
    intermediary offices, insurer staff, and users with each kind of right."""

    def __init__(self, api, mail, server, cluster):
        self.api, self.mail, self.server, self.cluster = api, mail, server, cluster
        self.staff = staff_actor(api, mail, server, cluster)
        s = self.staff
        self.emp_a = new_org(s, "employer", unique("Bakkerij A "))
        self.emp_b = new_org(s, "employer", unique("Garage B "))
        self.int_x = new_org(s, "intermediary", unique("Adviseurs X "))
        self.int_y = new_org(s, "intermediary", unique("Adviseurs Y "))
        self.pension_a = new_scheme(s, self.emp_a["id"], "pension")
        self.income_a = new_scheme(s, self.emp_a["id"], "income")
        self.pension_b = new_scheme(s, self.emp_b["id"], "pension")
        self.income_b = new_scheme(s, self.emp_b["id"], "income")
        a, x = self.emp_a["id"], self.int_x["id"]
        self.admin_a = self.user(a, ["user_management"])
        self.hr_a = self.user(a, ["hr"])
        self.finance_a = self.user(a, ["finance"])
        self.admin_b = self.user(self.emp_b["id"], ["user_management"])
        self.inc_x = self.user(x, ["inkomensverzekering"])
        self.pen_x = self.user(x, ["pensioenverzekering", "premiepensioenvorderingen"])
        self.plain_x = self.user(x, ["financieel_rekening_courant"])
        self.inc_y = self.user(self.int_y["id"], ["inkomensverzekering"])

    def user(self, organisation_id, rights, scheme_ids=None, inviter=None, **extra):
        return new_user(self.api, self.mail, self.cluster, inviter or self.staff,
                        organisation_id, rights, scheme_ids, **extra)


_world = {}


def world_of(api, mail, server, cluster):
    """The session's shared World (built on first use)."""
    if "w" not in _world:
        _world["w"] = World(api, mail, server, cluster)
    return _world["w"]
