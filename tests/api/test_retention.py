"""Privacy retention (AVG): a former participant stays fully visible to the
employer for the scheme's former_participant_months after the end of
employment; after it employer and office users see only participant_number,
display_name, birth_date, employment_start, employment_end and status, in
detail, lists and exports alike, while staff see everything. Housekeeping
records who passed the limit and, when the scheme states a legal period,
pseudonymises what no rule requires to keep, never with a change pending."""
import subprocess

import pytest

from conftest import BINARY
from helpers import unique
from org_helpers import audit_events, new_org, new_scheme, new_user, problem, world_of
from participant_helpers import change, days, grant, iso, register, registration, today
from test_exports import csv_rows, export

ALLOWED = {"participant_number", "display_name", "birth_date", "employment_start",
           "employment_end", "status"}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    base = world_of(api, mail, server, cluster)

    class W:
        pass

    w = W()
    w.staff = base.staff
    w.emp = new_org(w.staff, "employer", unique("Bewaar BV "))
    w.scheme = new_scheme(w.staff, w.emp["id"], "pension")
    w.admin = new_user(api, mail, cluster, w.staff, w.emp["id"], ["user_management"])
    w.office = new_org(w.staff, "intermediary", unique("Bewaar Advies "))
    w.adviser = new_user(api, mail, cluster, w.staff, w.office["id"],
                         ["pensioenverzekering", "premiepensioenvorderingen", "inkomensverzekering"])
    grant(w.admin, w.office["id"], [w.scheme["id"]], "read_write")
    w.active = register(w.admin, w.scheme["id"]).json()
    w.former = register(w.admin, w.scheme["id"]).json()
    change(w.admin, w.former["id"], {"type": "termination", "effective_date": iso(days(today(), -3))})
    w.cluster = cluster
    return w


def detail(actor, pid):
    r = actor.get(f"/api/v1/participants/{pid}")
    assert r.status_code == 200, r.text
    return r.json()


def listed(actor, w):
    r = actor.get("/api/v1/participants", params={"scheme_id": w.scheme["id"], "limit": 200})
    assert r.status_code == 200, r.text
    return {p["id"]: p for p in r.json()["items"]}


def set_months(actor, w, months, pseudonymise=None):
    return actor.request("PUT", f"/api/v1/schemes/{w.scheme['id']}/retention",
                         json={"former_participant_months": months,
                               "pseudonymise_after_months": pseudonymise})


def maintenance(server):
    out = subprocess.run([BINARY, "maintenance"], env=server.env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "maintenance_failed" not in out.stderr + out.stdout, out.stderr + out.stdout


def test_before_the_limit_everything_shows_and_after_it_only_the_allowed_fields(w, server):
    r = w.admin.get(f"/api/v1/schemes/{w.scheme['id']}/retention")
    assert r.json()["former_participant_months"] == 12 and r.json()["pseudonymise_after_months"] is None
    d = detail(w.admin, w.former["id"])
    assert d["status"] == "dormant" and d["employment"]["salary"] and d["person"]["bsn"]
    assert listed(w.admin, w)[w.former["id"]]["salary"]
    # Only staff set the period.
    problem(set_months(w.admin, w, 0), 403, "forbidden")
    r = set_months(w.staff, w, 0)
    assert r.status_code == 200 and r.json()["former_participant_months"] == 0, r.text
    for who in (w.admin, w.adviser):
        d = detail(who, w.former["id"])
        assert d["restricted"] is True
        flat = {"participant_number", "display_name", "status"} | {
            f"person.{k}" for k in d["person"]} | {f"employment.{k}" for k in d["employment"]}
        assert "person.bsn" not in flat and "employment.salary" not in flat
        assert set(d["employment"]) == {"start_date", "end_date"} and set(d["person"]) == {"birth_date"}
        assert "partner" not in d and "children" not in d and "address" not in d["person"]
        row = listed(who, w)[w.former["id"]]
        assert row["salary"] is None and row["parttime_percentage"] is None
        assert row["display_name"] and row["employment_start"] and row["status"] == "dormant"
        # The active participant is untouched.
        assert detail(who, w.active["id"]).get("restricted") is None
        assert listed(who, w)[w.active["id"]]["salary"] is not None
    # Staff still see everything.
    d = detail(w.staff, w.former["id"])
    assert d["employment"]["salary"] and d["person"]["bsn"] and "restricted" not in d
    assert listed(w.staff, w)[w.former["id"]]["salary"] is not None


def test_exports_keep_to_the_same_rule(w):
    assert set_months(w.staff, w, 0).status_code == 200
    for who, restricted in ((w.admin, True), (w.staff, False)):
        _, f = export(who, [w.scheme["id"]], today())
        rows = {r["participant_number"]: r for r in csv_rows(f)}
        former = rows[w.former["participant_number"]]
        active = rows[w.active["participant_number"]]
        assert active["salary"] and active["bsn"]
        if restricted:
            assert former["salary"] == "" and former["bsn"] == "" and former["gender"] == ""
            assert former["parttime_percentage"] == ""
            assert former["display_name"] and former["birth_date"] and former["employment_end"]
        else:
            assert former["salary"] and former["bsn"]
    # Back to twelve months: the former participant shows in full again.
    assert set_months(w.staff, w, 12).status_code == 200
    _, f = export(w.admin, [w.scheme["id"]], today())
    assert {r["participant_number"]: r for r in csv_rows(f)}[w.former["participant_number"]]["salary"]


def test_the_limit_check_is_inlined_and_keeps_its_rule(w):
    """portal_participant_restricted() is a plain expression that PostgreSQL
    inlines (migrations 0025 and 0027): a list row of an active participant
    never looks the scheme up, and the look-ups keep their plans (migration
    0026). The rule stays: dormant or ended, with an end of employment more
    than the scheme's months ago."""
    plan = w.cluster.psql("EXPLAIN (VERBOSE, COSTS OFF) SELECT"
                          " portal_participant_restricted(id, 'dormant', current_date - 400)"
                          " FROM schemes")
    assert "portal_participant_restricted" not in plan and "portal_scheme_former_months" in plan
    # The look-ups have sub-queries, so they cannot be inlined: as SQL
    # functions they would be parsed and planned again in every list or
    # detail statement; PL/pgSQL keeps their plans for the connection.
    assert w.cluster.psql("SELECT string_agg(p.proname || ' ' || l.lanname, ',' ORDER BY 1)"
                          " FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
                          " WHERE p.proname IN ('portal_scheme_former_months',"
                          " 'portal_participant_restricted_now')") == (
        "portal_participant_restricted_now plpgsql,portal_scheme_former_months plpgsql")
    sid = w.scheme["id"]

    def restricted(status, end, day="current_date"):
        return w.cluster.psql(f"SELECT portal_participant_restricted('{sid}', '{status}',"
                              f" {end}, {day})")
    assert set_months(w.staff, w, 12).status_code == 200
    assert restricted("dormant", "current_date - 400") == "t"
    assert restricted("ended", "current_date - 400") == "t"
    assert restricted("dormant", "current_date - 300") == "f"
    assert restricted("active", "current_date - 400") == "f"
    assert restricted("dormant", "NULL::date") == "f"
    assert restricted("dormant", "current_date - 400", "current_date - 300") == "f"


def test_housekeeping_records_who_passed_the_limit_once(w, server):
    assert set_months(w.staff, w, 12).status_code == 200
    # The server's own ten-minute housekeeping may have run while an earlier
    # test left the limit at 0: start from a participant not yet limited, and
    # count only the events this test causes.
    w.cluster.psql(f"UPDATE participants SET retention_limited_at = NULL"
                   f" WHERE id = '{w.former['id']}'")
    def limited_events():
        return [e["target_id"] for e in audit_events(w.admin)
                if e["action"] == "participant.retention_limited"]
    before = limited_events()
    maintenance(server)
    assert w.cluster.psql(f"SELECT retention_limited_at IS NULL FROM participants"
                          f" WHERE id = '{w.former['id']}'") == "t"
    # Re-hired after an end of employment: what counts is the employment of
    # today, not the ended one before it.
    body = registration(w.scheme["id"], start=days(today(), -60))
    back = register(w.admin, w.scheme["id"], body=body).json()
    change(w.admin, back["id"], {"type": "termination", "effective_date": iso(days(today(), -20))})
    again = register(w.admin, w.scheme["id"], body=registration(
        w.scheme["id"], start=days(today(), -5), bsn=body["person"]["bsn"])).json()
    assert again["id"] == back["id"] and again["rehired"] is True
    assert set_months(w.staff, w, 0).status_code == 200
    maintenance(server)
    maintenance(server)
    assert w.cluster.psql(f"SELECT retention_limited_at IS NOT NULL FROM participants"
                          f" WHERE id = '{w.former['id']}'") == "t"
    assert w.cluster.psql(f"SELECT retention_limited_at IS NULL FROM participants"
                          f" WHERE id = '{back['id']}'") == "t"
    assert sorted(limited_events()) == sorted(before + [w.former["id"]])


def test_an_ended_income_participant_passes_the_limit_too(w, server):
    """An income scheme's former participant is 'ended', not 'dormant':
    housekeeping limits them the same way."""
    scheme = new_scheme(w.staff, w.emp["id"], "income")
    p = register(w.admin, scheme["id"]).json()
    change(w.admin, p["id"], {"type": "termination", "effective_date": iso(days(today(), -3))})
    assert w.cluster.psql(f"SELECT status FROM participant_periods WHERE participant_id ="
                          f" '{p['id']}' AND superseded_at IS NULL AND valid @> current_date") == "ended"
    r = w.staff.request("PUT", f"/api/v1/schemes/{scheme['id']}/retention",
                        json={"former_participant_months": 0, "pseudonymise_after_months": None})
    assert r.status_code == 200, r.text
    maintenance(server)
    assert w.cluster.psql(f"SELECT retention_limited_at IS NOT NULL FROM participants"
                          f" WHERE id = '{p['id']}'") == "t"


def test_pseudonymisation_is_off_by_default_and_spares_pending_changes(w, server):
    other = register(w.admin, w.scheme["id"]).json()
    change(w.admin, other["id"], {"type": "termination", "effective_date": iso(days(today(), -3))})
    # Both ended long ago (test set-up: move the end of employment back).
    for pid in (w.former["id"], other["id"]):
        w.cluster.psql(f"UPDATE participant_periods SET employment_end = employment_end - 400"
                       f" WHERE participant_id = '{pid}' AND employment_end IS NOT NULL")
    w.cluster.psql(
        "INSERT INTO participant_changes (participant_id, scheme_id, type, effective_date,"
        " registered_by_kind, registered_by_label, status, review_reasons)"
        f" VALUES ('{other['id']}', '{w.scheme['id']}', 'address_change', current_date, 'staff',"
        " 'Test', 'pending_review', '{test}')")
    maintenance(server)
    assert w.cluster.psql(f"SELECT count(*) FROM participants WHERE pseudonymised_at IS NOT NULL"
                          f" AND scheme_id = '{w.scheme['id']}'") == "0"
    problem(set_months(w.staff, w, 12, 6), 422)  # not before the visibility period
    assert set_months(w.staff, w, 0, 1).status_code == 200
    maintenance(server)
    assert w.cluster.psql(f"SELECT pseudonymised_at IS NOT NULL FROM participants"
                          f" WHERE id = '{w.former['id']}'") == "t"
    assert w.cluster.psql(f"SELECT count(*) FROM participant_periods WHERE participant_id ="
                          f" '{w.former['id']}' AND (email IS NOT NULL OR address IS NOT NULL"
                          f" OR first_name IS NOT NULL)") == "0"
    assert w.cluster.psql(f"SELECT pseudonymised_at IS NULL FROM participants"
                          f" WHERE id = '{other['id']}'") == "t"
    d = detail(w.staff, w.former["id"])
    assert d["person"]["email"] is None and d["person"]["address"] is None and d["person"]["surname"]
    assert "participant.pseudonymised" in {e["action"] for e in audit_events(w.admin)}
