"""Staff's side of the reconciliation beyond opening one: opening a year for
every income scheme in one call, and the reminder mails before the
deadline."""
import subprocess

import pytest

from conftest import BINARY
from helpers import body_of, unique
from org_helpers import fields, new_org, new_scheme, new_user, problem
from test_reconciliations import BASE, ReconWorld, STOP_LOSS_PARAMS, open_recon

_world = {}

YEAR = 2001  # no other test opens this year; only the schemes below started before it ends


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = ReconWorld(api, mail, server, cluster)
    return _world["w"]


def bulk_body(**extra):
    body = {"year": YEAR, "deadline": "2002-03-31", **STOP_LOSS_PARAMS}
    body.update(extra)
    return body


def test_open_every_income_scheme_of_a_year(w, cluster):
    e = w.emp["id"]
    s1 = new_scheme(w.staff, e, "income", start_date="2000-01-01", variant="stop_loss")
    s2 = new_scheme(w.staff, e, "income", start_date="2000-06-01", variant="no_claim")
    later = new_scheme(w.staff, e, "income", start_date="2002-01-01", variant="stop_loss")
    done = new_scheme(w.staff, e, "income", start_date="2000-01-01", variant="no_claim")
    existing = open_recon(w.staff, done["id"], year=YEAR, deadline="2002-03-31")
    url = f"{BASE}/bulk"

    problem(w.hr.post(url, json=bulk_body()), 403, "forbidden")
    body = problem(w.staff.post(url, json={"year": YEAR}), 422)
    assert ("/deadline", "required") in fields(body)
    # One scheme's parameters are wrong: nothing is opened.
    body = problem(w.staff.post(url, json=bulk_body(overrides=[
        {"scheme_id": s1["id"], "premium_rate": "twee"}])), 422)
    assert (f"/schemes/{s1['id']}/premium_rate", "invalid_format") in fields(body)
    body = problem(w.staff.post(url, json=bulk_body(overrides=[
        {"scheme_id": later["id"], "premium_rate": "3.000"}])), 422)
    assert ("/overrides/0/scheme_id", "not_opened") in fields(body)
    assert w.staff.get(BASE, params={"scheme_id": s1["id"]}).json()["items"] == []

    r = w.staff.post(url, json=bulk_body(overrides=[
        {"scheme_id": s1["id"], "premium_rate": "3.000", "provisional_premium": "100.00"}]))
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["year"] == YEAR
    opened = {x["scheme_id"]: x for x in answer["opened"]}
    assert opened[s1["id"]]["premium_rate"] == "3.000"
    assert opened[s1["id"]]["provisional_premium"] == "100.00"
    assert opened[s2["id"]]["premium_rate"] == "2.000"
    assert opened[s2["id"]]["own_risk_percentage"] is None  # no-claim takes no stop-loss terms
    assert all(x["status"] == "open" and x["deadline"] == "2002-03-31" for x in opened.values())
    skipped = {x["scheme_id"]: x["reason"] for x in answer["skipped"]}
    assert skipped[later["id"]] == "not_started" and skipped[done["id"]] == "exists"
    assert later["id"] not in opened and done["id"] not in opened
    # Each opening queued the employer's notification, as a single opening does.
    for rid in (opened[s1["id"]]["id"], opened[s2["id"]]["id"], existing["id"]):
        assert cluster.psql(
            "SELECT count(*) FROM employer_notifications WHERE kind = 'reconciliation.open'"
            f" AND organisation_id = '{e}' AND link = '/reconciliations/{rid}'") == "1"
    # Again: everything exists now.
    again = w.staff.post(url, json=bulk_body()).json()
    assert not [x for x in again["opened"] if x["scheme_id"] in (s1["id"], s2["id"])]
    assert {x["scheme_id"]: x["reason"] for x in again["skipped"]}[s1["id"]] == "exists"


def run_maintenance(server, days="14,3"):
    env = dict(server.env, PORTAL_RECONCILIATION_REMINDER_DAYS=days)
    out = subprocess.run([BINARY, "maintenance"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def reminders_to(cluster, address):
    return int(cluster.psql(
        f"SELECT count(*) FROM mail_outbox WHERE to_address = '{address}'"
        " AND subject IN ('Herinnering: lever uw naverrekening aan',"
        " 'Reminder: hand in your reconciliation')"))


def move_deadline(cluster, rid, days):
    cluster.psql("UPDATE reconciliations SET deadline ="
                 f" (now() AT TIME ZONE 'Europe/Amsterdam')::date + {int(days)}"
                 f" WHERE id = '{rid}'")


def test_reminders_before_the_deadline(w, api, mail, server, cluster):
    address = f"{unique('herinnering')}@werkgever.example"
    org = new_org(w.staff, "employer", unique("Herinnering BV "), notification_email=address)
    scheme = new_scheme(w.staff, org["id"], "income", start_date="2025-04-01",
                        variant="no_claim")
    other = new_scheme(w.staff, org["id"], "income", start_date="2025-04-01",
                       variant="no_claim")
    admin = new_user(api, mail, cluster, w.staff, org["id"], ["user_management"])
    hr = new_user(api, mail, cluster, admin, org["id"], ["hr"])
    hr_read = new_user(api, mail, cluster, admin, org["id"], ["hr_read"])
    elsewhere = new_user(api, mail, cluster, admin, org["id"], ["hr"], scheme_ids=[other["id"]])
    emails = {a: f"{a.username}@klant.example" for a in (admin, hr, hr_read, elsewhere)}
    rid = open_recon(w.staff, scheme["id"], deadline="2099-12-31")["id"]

    run_maintenance(server)
    assert reminders_to(cluster, address) == 0
    move_deadline(cluster, rid, 14)
    run_maintenance(server, "none")  # reminders switched off
    run_maintenance(server, "2")  # only two days before
    assert reminders_to(cluster, address) == 0
    assert "reconciliation reminders sent:" in run_maintenance(server)
    assert reminders_to(cluster, address) == 1
    assert reminders_to(cluster, emails[hr]) == 1
    assert reminders_to(cluster, emails[admin]) == 1
    assert reminders_to(cluster, emails[hr_read]) == 0  # reads only
    assert reminders_to(cluster, emails[elsewhere]) == 0  # not this scheme
    m = mail.wait_for(lambda m: address in m["to"] and "Herinnering" in m["message"]["Subject"])
    text = body_of(m)
    assert "nog 14 dag(en)" in text and f"/reconciliations/{rid}" in text
    assert scheme["name"] in text

    # Once per reminder: the next rounds send nothing new.
    run_maintenance(server)
    move_deadline(cluster, rid, 10)
    run_maintenance(server)
    assert reminders_to(cluster, address) == 1 and reminders_to(cluster, emails[hr]) == 1

    move_deadline(cluster, rid, 3)
    run_maintenance(server)
    run_maintenance(server)
    assert reminders_to(cluster, address) == 2 and reminders_to(cluster, emails[hr]) == 2
    mail.wait_for(lambda m: address in m["to"] and "nog 3 dag(en)" in body_of(m))

    # A deadline extended past the one a reminder went for arms it again.
    cluster.psql("UPDATE reconciliation_reminders SET deadline = deadline - 30"
                 f" WHERE reconciliation_id = '{rid}' AND days_before = 14")
    move_deadline(cluster, rid, 12)
    run_maintenance(server)
    assert reminders_to(cluster, address) == 3

    # Past the deadline, or handed in: no reminders.
    cluster.psql(f"DELETE FROM reconciliation_reminders WHERE reconciliation_id = '{rid}'")
    move_deadline(cluster, rid, -1)
    run_maintenance(server)
    assert reminders_to(cluster, address) == 3
    move_deadline(cluster, rid, 14)
    r = hr.post(f"{BASE}/{rid}/submit")
    assert r.status_code == 200, r.text
    run_maintenance(server)
    assert reminders_to(cluster, address) == 3
    assert reminders_to(cluster, emails[hr]) == 3
