"""Authorization matrix rows for participants, changes and reviews (issue 5),
as plain data: (method, path template, body, {caller: expected status}),
for the callers of test_authz_matrix.py (CALLERS below is the same list).

The matrix world there has employer A with pension_a and income_a; office X
reads income_a (office_read), office Y reads and writes both
(office_read_write); scoped_hr and limited_admin are limited to pension_a.

Write rows use bodies that pass every access check but break a rule, so a
caller who may write gets 422 (or 409 for a cancellation or a decision that
cannot apply) and nothing is ever stored: the rows can run in any order and
any number of times.

ROWS use only the ids the matrix already has ({pension_a}, {income_a}).
SETUP_ROWS also name participants and changes that prepare(world) creates and
have bodies holding {pension_a}/{income_a}: run them with
formatted(SETUP_ROWS, dict(ids, **prepare(world))), which formats paths and
bodies alike (test_authz_participants.py does exactly that).
"""
import copy
import datetime
from zoneinfo import ZoneInfo

CALLERS = ["staff", "admin", "hr", "hr_read", "finance", "hr_finance", "limited_admin", "scoped_hr",
           "expired", "office_read", "office_read_write", "office_no_mandate", "token_hr",
           "other_admin"]


def expect(default, **overrides):
    out = {c: default for c in CALLERS}
    out["expired"] = 401
    out.update(overrides)
    return out


# Reading: participants.read on the scheme (finance sees the scheme but no
# participant data: 403; invisible schemes: 404).
READ_PENSION = expect(200, finance=403, office_read=404, office_no_mandate=404, other_admin=404)
READ_INCOME = expect(200, finance=403, limited_admin=404, scoped_hr=404, office_no_mandate=404,
                     other_admin=404)
# Writing: participants.write; hr_read and a read mandate may only look.
WRITE_PENSION = expect(422, hr_read=403, finance=403, office_read=404, office_no_mandate=404,
                       other_admin=404)
WRITE_INCOME = expect(422, hr_read=403, finance=403, office_read=403, limited_admin=404,
                      scoped_hr=404, office_no_mandate=404, other_admin=404)
CANCEL_PENSION = dict(WRITE_PENSION, **{c: 409 for c, s in WRITE_PENSION.items() if s == 422})
CANCEL_INCOME = dict(WRITE_INCOME, **{c: 409 for c, s in WRITE_INCOME.items() if s == 422})
# Lists over every readable scheme: finance reads none of them.
LIST_ALL = expect(200, finance=403)
STAFF_ONLY = expect(403, staff=200)

BAD_REGISTRATION = {
    "person": {"first_name": "Gerrit", "initials": "G.", "surname_prefix": "ter",
               "surname": "Assob", "birth_date": "1980-05-01", "gender": "male",
               "bsn": "123456789"},
    "employment": {"start_date": "2026-01-01", "salary": "52242.28",
                   "parttime_percentage": "100.000"}}
BAD_SALARY_CHANGE = {"type": "salary_change", "effective_date": "2026-01-01", "salary": "-1"}
NOBODY = "00000000-0000-4000-8000-000000000000"

ROWS = [
    ("GET", "/api/v1/participants", None, LIST_ALL),
    ("GET", "/api/v1/participants?scheme_id={pension_a}", None, READ_PENSION),
    ("GET", "/api/v1/participants?scheme_id={income_a}", None, READ_INCOME),
    ("GET", "/api/v1/participants/" + NOBODY, None, expect(404)),
    ("POST", "/api/v1/participants/" + NOBODY + "/changes", BAD_SALARY_CHANGE, expect(404)),
    ("GET", "/api/v1/changes", None, LIST_ALL),
    ("GET", "/api/v1/changes?scheme_id={pension_a}", None, READ_PENSION),
    ("GET", "/api/v1/changes?scheme_id={income_a}", None, READ_INCOME),
    ("POST", "/api/v1/changes/" + NOBODY + "/cancel", {"reason": "x"}, expect(404)),
    ("GET", "/api/v1/reviews", None, STAFF_ONLY),
    ("POST", "/api/v1/reviews/" + NOBODY + "/approve", None, expect(403, staff=404, token_hr=401)),
]

SETUP_ROWS = [
    ("POST", "/api/v1/participants", dict(BAD_REGISTRATION, scheme_id="{pension_a}"),
     WRITE_PENSION),
    ("POST", "/api/v1/participants", dict(BAD_REGISTRATION, scheme_id="{income_a}"), WRITE_INCOME),
    ("GET", "/api/v1/participants/{participant_pension_a}", None, READ_PENSION),
    ("GET", "/api/v1/participants/{participant_income_a}", None, READ_INCOME),
    ("GET", "/api/v1/participants/{participant_pension_a}/changes", None, READ_PENSION),
    ("GET", "/api/v1/participants/{participant_income_a}/changes", None, READ_INCOME),
    ("POST", "/api/v1/participants/{participant_pension_a}/changes", BAD_SALARY_CHANGE,
     WRITE_PENSION),
    ("POST", "/api/v1/participants/{participant_income_a}/changes", BAD_SALARY_CHANGE,
     WRITE_INCOME),
    ("GET", "/api/v1/changes/{registration_pension_a}", None, READ_PENSION),
    ("GET", "/api/v1/changes/{registration_income_a}", None, READ_INCOME),
    # A registration cannot be cancelled: 409 for whoever may write.
    ("POST", "/api/v1/changes/{registration_pension_a}/cancel", {"reason": "x"}, CANCEL_PENSION),
    ("POST", "/api/v1/changes/{registration_income_a}/cancel", {"reason": "x"}, CANCEL_INCOME),
    # Processed already: 409 for staff, 403 for everyone else.
    ("POST", "/api/v1/reviews/{registration_pension_a}/approve", None, expect(403, staff=409, token_hr=401)),
    ("POST", "/api/v1/reviews/{registration_income_a}/reject", {"reason": "x"},
     expect(403, staff=409, token_hr=401)),
]


def prepare(world):
    """Registers one participant in pension_a and one in income_a (as staff,
    once per world) and returns the ids SETUP_ROWS name."""
    if getattr(world, "authz_participants", None):
        return world.authz_participants
    today = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    start = (today - datetime.timedelta(days=10)).isoformat()
    ids = {}
    for key, scheme, bsn in (("pension_a", world.pension_a, "111222333"),
                             ("income_a", world.income_a, "111222333")):
        body = copy.deepcopy(BAD_REGISTRATION)
        body["scheme_id"] = scheme["id"]
        body["person"]["bsn"] = bsn
        body["employment"]["start_date"] = start
        r = world.staff.post("/api/v1/participants", json=body)
        assert r.status_code in (201, 409), r.text
        if r.status_code == 409:  # registered by an earlier run in this session
            found = world.staff.get("/api/v1/participants",
                                    params={"scheme_id": scheme["id"], "q": "assob"}).json()
            pid = found["items"][0]["id"]
        else:
            pid = r.json()["id"]
        history = world.staff.get(f"/api/v1/participants/{pid}/changes").json()["items"]
        ids["participant_" + key] = pid
        ids["registration_" + key] = history[-1]["id"]
    world.authz_participants = ids
    return ids


def _format(value, ids):
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: _format(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_format(v, ids) for v in value]
    return value


def formatted(rows, ids):
    """rows with path templates and bodies formatted with ids."""
    return [(m, _format(p, ids), _format(b, ids), e) for m, p, b, e in rows]
