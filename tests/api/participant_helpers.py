"""Shared set-up for the participant, change and review tests (issue 5): an
employer of its own with two pension schemes and an income scheme, users
with each right, a scheme-scoped user, intermediary offices with a read, a
read_write and no mandate, an API token and another employer, all made
through the public API; plus dates relative to today in Europe/Amsterdam,
valid BSNs and registration bodies.

The world is built once per test session and shared by test_participants,
test_changes and test_reviews. It is separate from org_helpers' World so
that the mandates made here do not change what other modules expect.
"""
import calendar
import datetime
import itertools
import random
from zoneinfo import ZoneInfo

from helpers import unique
from org_helpers import new_org, new_scheme, new_user, world_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# --- dates ------------------------------------------------------------------------------

def today():
    """Today's calendar date in Europe/Amsterdam (what the server uses)."""
    return datetime.datetime.now(AMSTERDAM).date()


def add_months(d, months):
    """d plus months, the day clamped to the end of the target month."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def days(d, n):
    return d + datetime.timedelta(days=n)


def iso(d):
    return d.isoformat()


def years_before(d, years):
    """The same day `years` years earlier (28 February for 29 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


# --- BSNs -------------------------------------------------------------------------------

_rng = random.Random()
_used = set()


def bsn_valid(bsn):
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(c) * w for c, w in zip(bsn, weights)) % 11 == 0 and bsn != "000000000"


def new_bsn():
    """A fresh BSN that passes the 11-proef and was not handed out before."""
    while True:
        head = str(_rng.randint(10_000_000, 99_999_999))
        total = sum(int(c) * w for c, w in zip(head, [9, 8, 7, 6, 5, 4, 3, 2]))
        last = total % 11
        if last < 10 and head + str(last) not in _used:
            bsn = head + str(last)
            assert bsn_valid(bsn)
            _used.add(bsn)
            return bsn


def bad_bsn():
    """Nine digits that fail the 11-proef."""
    bsn = new_bsn()
    return bsn[:8] + str((int(bsn[8]) + 1) % 10)


_numbers = itertools.count(1)


def new_number():
    return f"9{unique('')[-5:]}{next(_numbers):03d}"[:20]


# --- bodies -----------------------------------------------------------------------------

def person(**overrides):
    body = {"first_name": "Gerrit", "initials": "G.", "surname_prefix": "ter", "surname": "Assob",
            "birth_date": "1980-05-01", "gender": "male", "bsn": new_bsn(),
            "email": "g.terassob@voorbeeld.nl",
            "address": {"street": "Coolsingel", "house_number": "40", "postal_code": "3011 AD",
                        "city": "Rotterdam", "country": "NL"}}
    body.update(overrides)
    return body


def registration(scheme_id, start=None, salary="52242.28", parttime="100.000", number=None,
                 **person_overrides):
    body = {"scheme_id": scheme_id,
            "person": person(**person_overrides),
            "employment": {"start_date": iso(start or days(today(), -30)), "salary": salary,
                           "parttime_percentage": parttime}}
    if number:
        body["participant_number"] = number
    return body


def register(actor, scheme_id, expect=201, **kw):
    """POST /participants; asserts the status; returns the response."""
    headers = kw.pop("headers", None)
    body = kw.pop("body", None) or registration(scheme_id, **kw)
    r = actor.post("/api/v1/participants", json=body, headers=headers)
    assert r.status_code == expect, r.text
    return r


def change(actor, participant_id, body, expect=201, headers=None):
    r = actor.post(f"/api/v1/participants/{participant_id}/changes", json=body, headers=headers)
    assert r.status_code == expect, r.text
    return r


def history(actor, participant_id):
    r = actor.get(f"/api/v1/participants/{participant_id}/changes", params={"limit": 200})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def detail(actor, participant_id, **params):
    r = actor.get(f"/api/v1/participants/{participant_id}", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def listing(actor, **params):
    r = actor.get("/api/v1/participants", params=dict({"limit": 200}, **params))
    assert r.status_code == 200, r.text
    return r.json()["items"]


def partner(**overrides):
    body = {"first_name": "Anna", "surname": "Jansen", "birth_date": "1982-03-04",
            "bsn": new_bsn(), "relationship": "married"}
    body.update(overrides)
    return body


def child(**overrides):
    body = {"first_name": "Sem", "surname": "Assob", "surname_prefix": "ter",
            "birth_date": iso(years_before(today(), 4)), "bsn": new_bsn()}
    body.update(overrides)
    return body


class TokenActor:
    """An API token used like an Actor."""

    def __init__(self, api, secret):
        self.api, self.secret = api, secret

    def request(self, method, path, headers=None, **kw):
        h = {"Authorization": f"Bearer {self.secret}"}
        h.update(headers or {})
        return self.api.request(method, path, headers=h, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)


def grant(admin, intermediary_id, scheme_ids, access):
    r = admin.post("/api/v1/mandates", json={"intermediary_id": intermediary_id,
                                             "scheme_ids": scheme_ids, "access": access})
    assert r.status_code == 201, r.text


class ParticipantWorld:
    """An employer with pension, pension2 and income schemes; users with each
    right; offices with read, read_write and no mandate; a token; and
    another employer with its own administrator and pension scheme."""

    def __init__(self, api, mail, server, cluster):
        base = world_of(api, mail, server, cluster)
        self.api, self.cluster = api, cluster
        self.staff = base.staff
        s = self.staff
        self.emp = new_org(s, "employer", unique("Deelnemers BV "))
        self.pension = new_scheme(s, self.emp["id"], "pension")
        self.pension2 = new_scheme(s, self.emp["id"], "pension")
        self.income = new_scheme(s, self.emp["id"], "income")
        e = self.emp["id"]

        def user(org, rights, scheme_ids=None, inviter=None):
            return new_user(api, mail, cluster, inviter or s, org, rights, scheme_ids)

        self.admin = user(e, ["user_management"])
        self.hr = user(e, ["hr"], inviter=self.admin)
        self.hr_read = user(e, ["hr_read"], inviter=self.admin)
        self.finance = user(e, ["finance"], inviter=self.admin)
        self.scoped = user(e, ["hr"], [self.pension["id"]], inviter=self.admin)
        product = ["inkomensverzekering", "pensioenverzekering", "premiepensioenvorderingen"]
        self.office_r = new_org(s, "intermediary", unique("Advies Lezen "))
        self.office_rw = new_org(s, "intermediary", unique("Advies Schrijven "))
        self.office_none = new_org(s, "intermediary", unique("Advies Zonder "))
        self.int_read = user(self.office_r["id"], product)
        self.int_write = user(self.office_rw["id"], product)
        self.int_none = user(self.office_none["id"], product)
        all_schemes = [self.pension["id"], self.pension2["id"], self.income["id"]]
        grant(self.admin, self.office_r["id"], all_schemes, "read")
        grant(self.admin, self.office_rw["id"], all_schemes, "read_write")
        r = self.admin.post("/api/v1/api-tokens", json={
            "name": unique("Salarispakket "), "rights": ["hr"],
            "expires_at": iso(days(today(), 180))})
        assert r.status_code == 201, r.text
        self.token = TokenActor(api, r.json()["secret"])
        self.token_name = r.json()["name"]
        self.emp2 = new_org(s, "employer", unique("Andere Werkgever "))
        self.pension_other = new_scheme(s, self.emp2["id"], "pension")
        self.admin2 = user(self.emp2["id"], ["user_management"])

    def psql(self, sql):
        return self.cluster.psql(sql)


_world = {}


def participant_world(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = ParticipantWorld(api, mail, server, cluster)
    return _world["w"]
