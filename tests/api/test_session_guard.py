"""An authenticated read by a session the server has seen lately sends its
session check with the read's own statement (one round trip; README
"Performance"). The check still decides everything, at once: a session
ended, a user deleted, rights or scheme scope changed apply to the very next
read, the refusal is not logged as a database error, and a read that had
to run again for a changed caller did its audited work once."""
import re
import shutil

import requests

from conftest import Server
from helpers import bearer, unique
from org_helpers import new_org, new_scheme, new_user, staff_actor
from participant_helpers import days, registration, today


def test_cached_sessions_follow_every_change_at_once(api, mail, server, cluster):
    staff = staff_actor(api, mail, server, cluster)
    emp = new_org(staff, "employer", unique("Sessiecontrole BV "))
    pension = new_scheme(staff, emp["id"], "pension")
    other = new_scheme(staff, emp["id"], "pension")
    admin = new_user(api, mail, cluster, staff, emp["id"], ["user_management"])
    hr = new_user(api, mail, cluster, admin, emp["id"], ["hr"])
    r = hr.post("/api/v1/participants", json=registration(pension["id"], start=days(today(), -30)))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]

    def viewed():
        return int(cluster.psql(
            "SELECT count(*) FROM audit_events WHERE action = 'participant.bsn_viewed'"
            f" AND actor_user_id = '{hr.id}' AND target_id = '{pid}'"))

    def set_user(user, **fields):
        r = admin.get(f"/api/v1/users/{user.id}")
        assert r.status_code == 200, r.text
        r = admin.patch(f"/api/v1/users/{user.id}", headers={"If-Match": r.headers["ETag"]}, json=fields)
        assert r.status_code == 200, r.text

    # Reads by a session seen before (the first one loads and remembers it).
    for _ in range(3):
        assert hr.get("/api/v1/participants", params={"scheme_id": pension["id"]}).status_code == 200
    assert hr.get(f"/api/v1/participants/{pid}").status_code == 200
    assert viewed() == 1

    # Scheme scope narrowed to the other scheme: the participant is gone at once.
    set_user(hr, scheme_ids=[other["id"]])
    assert hr.get(f"/api/v1/participants/{pid}").status_code == 404
    assert viewed() == 1

    # Scope back: the read that found its cached caller stale ran again, once.
    set_user(hr, scheme_ids=None)
    r = hr.get(f"/api/v1/participants/{pid}")
    assert r.status_code == 200 and len(r.json()["person"]["bsn"]) == 9, r.text
    assert viewed() == 2

    # Rights taken away: refused at once, with the same token.
    set_user(hr, rights=["finance"])
    assert hr.get("/api/v1/participants", params={"scheme_id": pension["id"]}).status_code == 403

    # The user deleted: the same token is refused at once.
    assert hr.get("/api/v1/me").status_code == 200
    r = admin.get(f"/api/v1/users/{hr.id}")
    r = admin.delete(f"/api/v1/users/{hr.id}", headers={"If-Match": r.headers["ETag"]})
    assert r.status_code == 204, r.text
    r = api.get("/api/v1/me", headers=bearer(hr.access_token))
    assert r.status_code == 401, r.text
    assert r.headers["WWW-Authenticate"].startswith("Bearer")

    # A logout ends the reads of a remembered session too.
    assert admin.get("/api/v1/me").status_code == 200
    assert api.post("/api/v1/auth/logout", headers=bearer(admin.access_token)).status_code == 204
    assert api.get("/api/v1/me", headers=bearer(admin.access_token)).status_code == 401

    # Refusals by the session check are expected outcomes, not database errors.
    assert "sqlstate=42704" not in server.read_log()


def test_a_list_page_and_me_are_one_round_trip_each(api, mail, server, cluster):
    """The session check rides with the read's first statement, and /me is
    one statement: once the caller is remembered and the statements are
    prepared, each request's log line says db_round_trips=1. A server of
    its own (no workers, one HTTP thread) so that every request takes the
    same pool connection."""
    staff = staff_actor(api, mail, server, cluster)
    emp = new_org(staff, "employer", unique("Rondgang BV "))
    pension = new_scheme(staff, emp["id"], "pension")
    admin = new_user(api, mail, cluster, staff, emp["id"], ["user_management"])
    hr = new_user(api, mail, cluster, admin, emp["id"], ["hr"])
    for _ in range(3):
        r = hr.post("/api/v1/participants", json=registration(pension["id"], start=days(today(), -30)))
        assert r.status_code == 201, r.text
    own = Server(cluster, mail, {"PORTAL_WORKERS": "0", "PORTAL_HTTP_THREADS": "1",
                                 "PORTAL_JWT_PRIVATE_KEY_FILE":
                                     server.env["PORTAL_JWT_PRIVATE_KEY_FILE"],
                                 "PORTAL_PUBLIC_URL": server.env["PORTAL_PUBLIC_URL"]})
    try:
        reads = {"me": "/api/v1/me",
                 "list": f"/api/v1/participants?scheme_id={pension['id']}&limit=2"}
        trips = {}
        for name, path in reads.items():
            for i in range(6):
                rid = unique(f"trips-{name}-")
                r = requests.get(own.url + path, timeout=10,
                                 headers={**bearer(hr.access_token), "X-Request-Id": rid})
                assert r.status_code == 200, r.text
                trips.setdefault(name, []).append(rid)
        assert r.json()["next_cursor"], "the list page has a next page (its cursor signed)"

        def round_trips(rid):
            line = own.request_line_of(rid)
            assert line, f"no request line for {rid}"
            return int(re.search(r"db_round_trips=(\d+) ", line).group(1))

        for name, rids in trips.items():
            counts = [round_trips(rid) for rid in rids]
            # The first request of each kind loads the caller or prepares
            # the statement; from the third on, one round trip.
            assert counts[2:] == [1] * (len(counts) - 2), (name, counts)
            assert counts[0] > 1, (name, counts)
    finally:
        assert own.stop() == 0
        reports = own.sanitizer_reports()
        shutil.rmtree(own.dir, ignore_errors=True)
        assert not reports, reports
