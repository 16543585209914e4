"""Payroll sync (issue 15, DESIGN.md §4.7): payroll software sends the whole
state of each pay period; the portal derives the changes through the same
rules and review queue as individual changes and answers per employment.

The main test runs a year of twelve monthly snapshots of last year (so every
change is more than three months back and waits for review, which staff
approve) with a hire, a raise, a part-time change, a termination and a
corrected earlier period, and checks the derived history and the
naverrekening's pre-fill against the example worked out below. Then every
rejection code, the idempotent resend, periods out of order, the CSV body,
a large body as a job, rights and 404 across organisations."""
import csv
import io
import time

import pytest

from helpers import unique
from org_helpers import audit_events, new_org, new_scheme, new_user, problem, world_of
from participant_helpers import (TokenActor, add_months, bad_bsn, days, iso, new_bsn, today)

Y = today().year - 1

# The worked example (scheme: income, stop-loss, policy start 2020-01-01).
#
#   A  Jansen    employed since 2018-03-01, 36,000.00 full-time, 100 %;
#                raise to 39,600.00 in June (from Y-06-01).
#                insured wage 3,000.00 a month Jan-May, 3,300.00 Jun-Dec:
#                5 x 3,000.00 + 7 x 3,300.00 = 15,000.00 + 23,100.00 = 38,100.00
#   B  de Vries  employed since 2019-09-01, 48,000.00, 100 %; part-time 80 %
#                from April as first sent (Y-04-01); the payroll then
#                corrects March: part-time 80 % already from March (Y-03-01),
#                March's wage 3,200.00 instead of 4,000.00.
#                2 x 4,000.00 + 10 x 3,200.00 = 8,000.00 + 32,000.00 = 40,000.00
#   C  Bakker    hired on Y-05-01 (first in the May snapshot), 30,000.00, 100 %;
#                2,500.00 a month May-Dec: 8 x 2,500.00 = 20,000.00
#   D  Smit      employed since 2015-01-01, 60,000.00, 100 %; leaves on
#                Y-08-31 (the August snapshot has the end date; gone from
#                September): 8 x 5,000.00 = 40,000.00
#
# Derived history (every change dated more than three months back, so each
# waits for review and is approved): A registration (2018-03-01) and a
# salary change 39,600.00 (Y-06-01); B registration (2019-09-01), part-time
# 80.000 (Y-04-01) and, from the correction, part-time 80.000 (Y-03-01);
# C registration (Y-05-01); D registration (2015-01-01) and termination
# (Y-08-31), ended from Y-09-01.
EXPECTED_WAGES = {"A": "38100.00", "B": "40000.00", "C": "20000.00", "D": "40000.00"}


class PayrollWorld:
    def __init__(self, api, mail, server, cluster):
        base = world_of(api, mail, server, cluster)
        self.api, self.cluster = api, cluster
        self.staff = s = base.staff
        self.emp = new_org(s, "employer", unique("Loonsync BV "))
        e = self.emp["id"]
        self.admin = new_user(api, mail, cluster, s, e, ["user_management"])
        self.finance = new_user(api, mail, cluster, self.admin, e, ["finance"])
        self.token = self.make_token(self.admin, ["hr"])
        self.read_token = self.make_token(self.admin, ["hr_read"])
        self.emp2 = new_org(s, "employer", unique("Andere Loon BV "))
        self.admin2 = new_user(api, mail, cluster, s, self.emp2["id"], ["user_management"])
        self.token2 = self.make_token(self.admin2, ["hr"])

    def make_token(self, admin, rights):
        r = admin.post("/api/v1/api-tokens", json={
            "name": unique("Salarispakket "), "rights": rights,
            "expires_at": iso(days(today(), 180))})
        assert r.status_code == 201, r.text
        return TokenActor(self.api, r.json()["secret"])

    def scheme(self, kind="income"):
        extra = {"start_date": "2020-01-01"}
        if kind == "income":
            extra.update(variant="stop_loss")
        return new_scheme(self.staff, self.emp["id"], kind, **extra)


_world = {}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = PayrollWorld(api, mail, server, cluster)
    return _world["w"]


def path(scheme, period=None):
    base = f"/api/v1/schemes/{scheme['id']}/payroll-periods"
    return f"{base}/{period}" if period else base


def put(actor, scheme, period, employments, expect=200, **kw):
    r = actor.request("PUT", path(scheme, period), json={"employments": employments}, **kw)
    assert r.status_code == expect, r.text
    return r.json()


def person(key, surname, start, salary, bsn=None, **extra):
    row = {"personnel_number": f"P-{key}", "employment_number": "1", "bsn": bsn or new_bsn(),
           "first_name": "Test", "initials": f"{key[0].upper()}.", "surname": surname,
           "birth_date": "1980-02-03", "gender": "female",
           "address": {"street": "Coolsingel", "house_number": "40", "postal_code": "3011 AD",
                       "city": "Rotterdam", "country": "NL"},
           "start_date": start, "salary": salary, "parttime_percentage": "100.000",
           "hours": "38.00"}
    row.update(extra)
    return row


def by_number(feedback):
    return {f["personnel_number"]: f for f in feedback}


def approve_all(w, scheme):
    """Staff approve everything of the scheme waiting for review."""
    r = w.staff.get("/api/v1/reviews", params={"limit": 200, "scheme_id": scheme["id"]})
    assert r.status_code == 200, r.text
    for item in r.json()["items"]:
        a = w.staff.post(f"/api/v1/reviews/{item['id']}/approve")
        assert a.status_code == 200, a.text


def history(actor, participant_id):
    r = actor.get(f"/api/v1/participants/{participant_id}/changes", params={"limit": 200})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def state(actor, participant_id, as_of):
    r = actor.get(f"/api/v1/participants/{participant_id}", params={"as_of": as_of})
    assert r.status_code == 200, r.text
    return r.json()


def year_snapshot(people, month, corrected=False):
    """The employments of month m of the worked example."""
    a, b, c, d = people["A"], people["B"], people["C"], people["D"]
    rows = []
    rows.append(dict(a, salary="39600.00" if month >= 6 else "36000.00",
                     insured_wage="3300.00" if month >= 6 else "3000.00"))
    part = month >= 4 or (month == 3 and corrected)
    rows.append(dict(b, parttime_percentage="80.000" if part else "100.000",
                     insured_wage="3200.00" if part else "4000.00"))
    if month >= 5:
        rows.append(dict(c, insured_wage="2500.00"))
    if month <= 8:
        rows.append(dict(d, insured_wage="5000.00",
                         **({"end_date": f"{Y}-08-31"} if month == 8 else {})))
    return rows


def test_a_year_of_snapshots_derives_history_and_prefills_the_naverrekening(w):
    scheme = w.scheme()
    people = {"A": person("A", "Jansen", "2018-03-01", "36000.00"),
              "B": person("B", "Vries", "2019-09-01", "48000.00", surname_prefix="de"),
              "C": person("C", "Bakker", f"{Y}-05-01", "30000.00"),
              "D": person("D", "Smit", "2015-01-01", "60000.00")}
    answers = {}
    for month in range(1, 13):
        period = f"{Y}-{month:02d}"
        answers[month] = put(w.token, scheme, period, year_snapshot(people, month))
        assert answers[month]["status"] == "processed"
        approve_all(w, scheme)

    def results(month):
        return {k[2:]: (f["result"], f["changes"]) for k, f in
                by_number(answers[month]["feedback"]).items()}

    assert results(1) == {k: ("accepted", ["registration"]) for k in "ABD"}
    fb = by_number(answers[1]["feedback"])["P-A"]
    assert fb["code"] is None and fb["employment_number"] == "1" and fb["name"] == "A. Jansen"
    assert "beoordeling" in fb["message"]  # waits for the insurer's review
    assert results(2) == {k: ("unchanged", []) for k in "ABD"}
    assert results(4)["B"] == ("accepted", ["parttime_change"])
    assert results(5)["C"] == ("accepted", ["registration"])
    assert results(6)["A"] == ("accepted", ["salary_change"])
    assert results(8)["D"] == ("accepted", ["termination"])
    assert results(9) == {k: ("unchanged", []) for k in "ABC"}
    assert answers[12]["employments"] == 3 and answers[12]["unchanged"] == 3

    # The corrected March: B part-time from March; the rest as before.
    corrected = put(w.token, scheme, f"{Y}-03", year_snapshot(people, 3, corrected=True))
    assert corrected["revision"] == 2
    assert {k[2:]: (f["result"], f["changes"]) for k, f in
            by_number(corrected["feedback"]).items()} == {
        "A": ("unchanged", []), "B": ("accepted", ["parttime_change"]), "D": ("unchanged", [])}
    approve_all(w, scheme)

    ids = {k: by_number(answers[12 if k != "D" else 8]["feedback"])[f"P-{k}"]["participant_id"]
           for k in "ABCD"}
    hr = w.token

    def changes(k):
        return sorted((c["type"], c["effective_date"], c["status"]) for c in history(hr, ids[k]))

    assert changes("A") == [("registration", "2018-03-01", "processed"),
                            ("salary_change", f"{Y}-06-01", "processed")]
    assert changes("B") == [("registration", "2019-09-01", "processed"),
                            ("salary_change", f"{Y}-03-01", "processed"),
                            ("salary_change", f"{Y}-04-01", "processed")]
    assert changes("C") == [("registration", f"{Y}-05-01", "processed")]
    assert changes("D") == [("registration", "2015-01-01", "processed"),
                            ("termination", f"{Y}-08-31", "processed")]
    assert state(hr, ids["A"], f"{Y}-05-31")["employment"]["salary"] == "36000.00"
    assert state(hr, ids["A"], f"{Y}-06-01")["employment"]["salary"] == "39600.00"
    assert state(hr, ids["B"], f"{Y}-02-28")["employment"]["parttime_percentage"] == "100.000"
    assert state(hr, ids["B"], f"{Y}-03-01")["employment"]["parttime_percentage"] == "80.000"
    assert state(hr, ids["D"], f"{Y}-08-31")["status"] == "active"
    assert state(hr, ids["D"], f"{Y}-09-01")["status"] == "ended"

    # The list, newest first, with the counts.
    r = hr.get(path(scheme), params={"limit": 5})
    assert r.status_code == 200, r.text
    page = r.json()
    assert [i["period"] for i in page["items"]] == [f"{Y}-{m:02d}" for m in (12, 11, 10, 9, 8)]
    assert page["next_cursor"]
    aug = page["items"][4]
    assert (aug["status"], aug["employments"], aug["accepted"], aug["unchanged"],
            aug["rejected"]) == ("processed", 4, 1, 3, 0)
    assert aug["received_at"].endswith("Z")
    rest = hr.get(path(scheme), params={"limit": 50, "cursor": page["next_cursor"]}).json()
    assert [i["period"] for i in rest["items"]] == [f"{Y}-{m:02d}" for m in range(7, 0, -1)]
    assert rest["next_cursor"] is None

    # The naverrekening of the year is pre-filled from the snapshots.
    r = w.staff.post("/api/v1/reconciliations", json={
        "scheme_id": scheme["id"], "year": Y, "deadline": iso(days(today(), 60)),
        "premium_rate": "2.000", "provisional_premium": "3000.00", "wage_cap": "75864.00",
        "own_risk_percentage": "5.000", "continued_pay_percentage": "70.000",
        "maximum_reimbursement": "5000.00"})
    assert r.status_code == 201, r.text
    employees = w.admin.get(f"/api/v1/reconciliations/{r.json()['id']}/employees",
                            params={"limit": 200}).json()["items"]
    got = {e["participant_id"]: e for e in employees}
    assert set(got) == set(ids.values())
    for k, wage in EXPECTED_WAGES.items():
        assert got[ids[k]]["insured_wage"] == wage, k
    assert [(m["start_date"], m["end_date"]) for m in got[ids["D"]]["employments"]] == \
        [("2015-01-01", f"{Y}-08-31")]
    assert [(m["start_date"], m["end_date"]) for m in got[ids["C"]]["employments"]] == \
        [(f"{Y}-05-01", None)]


def current_periods():
    """This month's and last month's keys, with last month's first day."""
    t = today()
    prev = add_months(t.replace(day=1), -1)
    return f"{t.year}-{t.month:02d}", f"{prev.year}-{prev.month:02d}", prev


def test_every_rejection_code_and_one_bad_row_never_stops_the_others(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    start = iso(first)
    leaver = person("L", "Leaver", start, "40000.00")
    mismatch = person("M", "Mismatch", start, "40000.00")
    put(w.token, scheme, prev, [dict(leaver, end_date=iso(days(first, 14))), mismatch])
    dup = new_bsn()
    rows = [
        person("ok", "Goed", start, "41000.00"),
        person("bsn", "Fout", start, "41000.00", bsn=bad_bsn()),
        person("early", "Vroeg", iso(add_months(today(), 4)), "41000.00"),
        person("gender", "Anders", start, "41000.00", gender="x"),
        person("dup1", "Dubbel", start, "41000.00", bsn=dup),
        person("dup2", "Dubbel", start, "41000.00", bsn=dup),
        dict(mismatch, start_date=iso(days(first, 1))),
        dict(leaver),
        person("wage", "Loon", start, "41000.00", insured_wage="veel"),
        person("date", "Datum", "morgen", "41000.00"),
    ]
    fb = by_number(put(w.token, scheme, cur, rows)["feedback"])
    assert fb["P-ok"]["result"] == "accepted" and fb["P-ok"]["changes"] == ["registration"]
    codes = {k: (f["result"], f["code"]) for k, f in fb.items() if k != "P-ok"}
    assert codes == {
        "P-bsn": ("rejected", "invalid_bsn"),
        "P-early": ("rejected", "effective_date_out_of_range"),
        "P-gender": ("rejected", "validation_failed"),
        "P-dup1": ("accepted", None),
        "P-dup2": ("rejected", "duplicate_in_file"),
        "P-M": ("rejected", "start_date_mismatch"),
        "P-L": ("rejected", "participant_dormant"),
        "P-wage": ("rejected", "validation_failed"),
        "P-date": ("rejected", "validation_failed"),
    }
    assert all(f["message"] for f in fb.values() if f["result"] == "rejected")
    assert fb["P-wage"]["message"].startswith("insured_wage")
    # Another end date than the one registered (a resend of the period).
    fb = put(w.token, scheme, cur, [dict(leaver, end_date=iso(days(first, 20)))])["feedback"]
    assert (fb[0]["result"], fb[0]["code"]) == ("rejected", "termination_already_registered")
    # Whole-request refusals: the period key and its window.
    problem(w.token.request("PUT", path(scheme, f"{Y}-13"), json={"employments": []}), 422,
            "invalid_period")
    far = add_months(today(), 5)
    problem(w.token.request("PUT", path(scheme, f"{far.year}-{far.month:02d}"),
                            json={"employments": []}), 422, "effective_date_out_of_range")
    problem(w.token.request("PUT", path(scheme, cur), json={"employments": [{"bsn": 1}]}), 400,
            "invalid_request")
    problem(w.token.request("PUT", path(scheme, cur), json={}), 400, "invalid_request")


def test_identical_resend_is_a_no_op_and_a_changed_one_corrects(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    a = person("A", "Eerst", iso(first), "40000.00")
    first_answer = put(w.token, scheme, prev, [a])
    pid = first_answer["feedback"][0]["participant_id"]
    again = put(w.token, scheme, prev, [a])
    assert again["revision"] == 1 and again["accepted"] == 1
    assert again["feedback"] == first_answer["feedback"]
    assert len(history(w.token, pid)) == 1
    corrected = put(w.token, scheme, prev, [dict(a, salary="40500.00")])
    assert corrected["revision"] == 2
    assert corrected["feedback"][0]["changes"] == ["salary_change"]
    kinds = sorted((c["type"], c["effective_date"]) for c in history(w.token, pid))
    assert kinds == [("registration", iso(first)), ("salary_change", iso(first))]
    assert state(w.token, pid, iso(first))["employment"]["salary"] == "40500.00"
    # Audited as an individual change is, by the token.
    ev = [e for e in audit_events(w.admin, target_type="participant", target_id=pid)
          if e["action"] == "participant.change_registered"]
    assert len(ev) == 1 and ev[0]["changes"]["salary"] == {"from": None, "to": "40500.00"}
    assert ev[0]["changes"]["effective_date"]["to"] == iso(first)


def test_periods_out_of_order(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    a = person("A", "Later", iso(first), "42000.00")
    # The current month first: registered with 42,000.00 from last month's first day.
    put(w.token, scheme, cur, [a])
    # Then last month, with 40,000.00: that month's salary, 42,000.00 again from this month.
    fb = put(w.token, scheme, prev, [dict(a, salary="40000.00")])["feedback"][0]
    assert fb["result"] == "accepted" and fb["changes"] == ["salary_change"]
    pid = fb["participant_id"]
    this_month = today().replace(day=1)
    assert state(w.token, pid, iso(first))["employment"]["salary"] == "40000.00"
    assert state(w.token, pid, iso(this_month))["employment"]["salary"] == "42000.00"
    # Sending the current month again changes nothing.
    assert put(w.token, scheme, cur, [a])["accepted"] == 1  # the same body: no-op
    listed = [i["period"] for i in w.token.get(path(scheme)).json()["items"]]
    assert listed == [cur, prev]


def test_csv_body_with_the_same_columns(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    rows = [person("C1", "Csv", iso(first), "38000.00"),
            person("C2", "Puntkomma", iso(first), "39000.00", surname_prefix="van")]
    out = io.StringIO()
    keys = ["personnel_number", "employment_number", "bsn", "first_name", "initials",
            "surname_prefix", "surname", "birth_date", "gender", "street", "house_number",
            "postal_code", "city", "country", "start_date", "end_date", "salary",
            "parttime_percentage", "hours", "insured_wage"]
    writer = csv.writer(out, delimiter=";")
    writer.writerow(keys)
    for r in rows:
        flat = dict(r, **r["address"], insured_wage="3166.67")
        flat["salary"] = flat["salary"].replace(".", ",")
        writer.writerow([flat.get(k, "") for k in keys])
    r = w.token.request("PUT", path(scheme, prev), data=out.getvalue().encode(),
                        headers={"Content-Type": "text/csv"})
    assert r.status_code == 200, r.text
    fb = by_number(r.json()["feedback"])
    assert {k: f["result"] for k, f in fb.items()} == {"P-C1": "accepted", "P-C2": "accepted"}
    assert fb["P-C2"]["name"] == "C. van Puntkomma"
    assert state(w.token, fb["P-C1"]["participant_id"], iso(first))["employment"]["salary"] == \
        "38000.00"
    # The same employments as JSON are the same body.
    again = put(w.token, scheme, prev, [dict(r2, insured_wage="3166.67") for r2 in rows])
    assert again["revision"] == 1
    # As the file part of a multipart body (how periods over 1 MiB come).
    r = w.token.request("PUT", path(scheme, cur),
                        files={"file": ("loon.csv", out.getvalue().encode(), "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["unchanged"] == 2
    bad = w.token.request("PUT", path(scheme, prev), data=b"bsn;salaris\n123;1\n",
                          headers={"Content-Type": "text/csv"})
    problem(bad, 400, "invalid_request")


def test_a_large_period_runs_as_a_job(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    rows = [person(f"J{i}", f"Groot{i}", iso(first), "30000.00") for i in range(501)]
    r = w.token.request("PUT", path(scheme, prev), json={"employments": rows})
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == path(scheme, prev)
    assert r.json()["status"] == "processing"
    item = None
    for _ in range(600):
        item = w.token.get(path(scheme, prev), params={"limit": 200}).json()
        if item["status"] != "processing":
            break
        time.sleep(0.5)
    assert item["status"] == "processed" and item["accepted"] == 501
    assert len(item["feedback"]) == 200 and item["next_cursor"]
    rest = w.token.get(path(scheme, prev), params={"limit": 1000,
                                                  "cursor": item["next_cursor"]}).json()
    assert len(rest["feedback"]) == 301 and rest["next_cursor"] is None
    assert rest["feedback"][0]["personnel_number"] == "P-J200"


def test_rights_and_other_organisations(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    rows = [person("R", "Recht", iso(first), "40000.00")]
    problem(w.read_token.request("PUT", path(scheme, prev), json={"employments": rows}), 403,
            "forbidden")
    put(w.token, scheme, prev, rows)
    assert w.read_token.get(path(scheme)).status_code == 200
    assert w.read_token.get(path(scheme, prev)).status_code == 200
    problem(w.finance.get(path(scheme)), 403, "forbidden")
    # Another employer sees nothing of it, and cannot send to it.
    for who in (w.token2, w.admin2):
        problem(who.get(path(scheme)), 404, "not_found")
        problem(who.get(path(scheme, prev)), 404, "not_found")
        problem(who.request("PUT", path(scheme, prev), json={"employments": rows}), 404,
                "not_found")
    # Unknown scheme and period; a session works as well as a token.
    problem(w.token.get("/api/v1/schemes/00000000-0000-4000-8000-000000000000/payroll-periods"),
            404, "not_found")
    problem(w.token.get(path(scheme, cur)), 404, "not_found")
    problem(w.token.get(path(scheme, "nonsense")), 404, "not_found")
    assert w.admin.get(path(scheme, prev)).json()["employments"] == 1


def test_a_scheme_locked_by_a_collective_change_refuses_the_period(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    rows = [person("S", "Slot", iso(first), "40000.00")]
    lock = "5b0e4d2c-7a1f-4c3e-9d8b-2f6a1e0c9b7d"
    w.cluster.psql(f"INSERT INTO scheme_locks (scheme_id, batch_id) VALUES"
                   f" ('{scheme['id']}', '{lock}')")
    try:
        problem(w.token.request("PUT", path(scheme, prev), json={"employments": rows}), 409,
                "scheme_locked_by_batch")
        problem(w.token.get(path(scheme, prev)), 404, "not_found")
    finally:
        w.cluster.psql(f"DELETE FROM scheme_locks WHERE batch_id = '{lock}'")
    assert put(w.token, scheme, prev, rows)["accepted"] == 1
