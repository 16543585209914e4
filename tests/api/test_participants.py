"""Participants (issue 5, DESIGN.md §4.3, seed 001 §4.1/§4.3, seed 002 §17):
registration with every rule and its code, server-assigned numbers,
re-hire, the overview with filters, sorting and keyset pagination as valid
today, the detail with its ETag, BSN masking per right (and the audit of a
full view), scope, mandates and other organisations. Against the real
server."""
import http.client
import json
import time

import pytest

from org_helpers import audit_events, fields, new_scheme, problem
from participant_helpers import (add_months, bad_bsn, change, days, detail, history, iso, listing,
                                 new_bsn, new_number, participant_world, register, registration,
                                 today, years_before)

ROW_KEYS = {"id", "scheme_id", "participant_number", "display_name", "employment_start", "salary",
            "parttime_percentage", "status"}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


# --- registration ------------------------------------------------------------------------

def test_registration_is_active_at_once_and_shows_in_history(w):
    number = new_number()
    body = registration(w.pension["id"], start=days(today(), -10), number=number)
    r = w.hr.post("/api/v1/participants", json=body)
    assert r.status_code == 201, r.text
    p = r.json()
    assert r.headers["Location"] == f"/api/v1/participants/{p['id']}"
    assert r.headers["ETag"]
    assert p["status"] == "active" and p["participant_number"] == number
    assert p["display_name"] == "Assob, G., ter"
    assert p["scheme_id"] == w.pension["id"] and p["scheme"]["kind"] == "pension"
    assert p["person"]["bsn"] == "*****" + body["person"]["bsn"][-4:]
    assert p["person"]["address"] == body["person"]["address"]
    assert p["employment"] == {"start_date": body["employment"]["start_date"], "end_date": None,
                               "salary": "52242.28", "parttime_percentage": "100.000"}
    assert p["registration"]["type"] == "registration"
    assert p["registration"]["status"] == "processed" and p["registration"]["review_reasons"] == []
    assert p["registration"]["registered_at"].endswith("Z")
    assert p["rehired"] is False
    assert p["partner"] is None and p["children"] == []
    assert p["links"]["changes"] == f"/api/v1/participants/{p['id']}/changes"
    g = w.hr.get(f"/api/v1/participants/{p['id']}")
    assert g.status_code == 200 and g.headers["ETag"] == r.headers["ETag"]
    assert g.json()["person"]["bsn"] == body["person"]["bsn"]
    h = history(w.hr, p["id"])
    assert [(c["type"], c["status"]) for c in h] == [("registration", "processed")]
    assert h[0]["effective_date"] == body["employment"]["start_date"]
    assert h[0]["registered_by"] == {"kind": "user", "name": f"Test {w.hr.username}"}
    assert h[0]["data"]["employment"]["salary"] == "52242.28"
    assert "bsn" not in json.dumps(h)


def test_names_and_fields_are_normalised(w):
    body = registration(w.pension["id"], initials=None, first_name="jan-willem gerrit",
                        surname_prefix="van der", surname="Berg", gender="unknown",
                        email=" jw@voorbeeld.nl ",
                        address={"street": "Dorpsstraat", "house_number": "1a",
                                 "postal_code": "1234ab", "city": "Utrecht"})
    del body["person"]["initials"]
    p = register(w.hr, w.pension["id"], body=body).json()
    assert p["display_name"] == "Berg, J.W.G., van der"
    assert p["person"]["initials"] == "J.W.G." and p["person"]["gender"] == "unknown"
    assert p["person"]["address"] == {"street": "Dorpsstraat", "house_number": "1a",
                                      "postal_code": "1234 AB", "city": "Utrecht", "country": "NL"}
    assert p["person"]["email"] == "jw@voorbeeld.nl"
    body = registration(w.pension["id"], initials="th j", surname_prefix="")
    assert register(w.hr, w.pension["id"], body=body).json()["display_name"] == "Assob, T.H.J."


def test_server_assigns_participant_numbers(w):
    a = register(w.hr, w.pension["id"]).json()["participant_number"]
    b = register(w.hr, w.pension["id"]).json()["participant_number"]
    assert a.isdigit() and b.isdigit() and int(b) > int(a) >= 1000001
    # A number in use in the scheme is refused; another scheme may use it.
    p = problem(w.hr.post("/api/v1/participants", json=registration(w.pension["id"], number=a)),
                409, "conflict")
    assert ("/participant_number", "not_unique") in fields(p)
    register(w.hr, w.pension2["id"], number=a)


def test_review_rules_on_registration(w):
    t = today()
    edge = add_months(t, -3)
    # On today minus three months (clamped) is direct; the day before needs review.
    assert register(w.hr, w.pension["id"], start=edge).json()["status"] == "active"
    p = register(w.hr, w.pension["id"], start=days(edge, -1)).json()
    assert p["status"] == "pending_review"
    assert p["registration"]["status"] == "pending_review"
    assert [x["id"] for x in p["registration"]["review_reasons"]] == [
        "effective_date_more_than_three_months_back"]
    assert p["registration"]["review_reasons"][0]["message"]
    start = days(t, -5)
    # 67 or older on the start date, or younger than 15: review; 15 up to 66: direct.
    old = register(w.hr, w.pension["id"], start=start, birth_date=iso(years_before(start, 67))).json()
    assert old["status"] == "pending_review"
    assert [x["id"] for x in old["registration"]["review_reasons"]] == ["age_67_or_over"]
    young = register(w.hr, w.pension["id"], start=start,
                     birth_date=iso(years_before(start, 14))).json()
    assert [x["id"] for x in young["registration"]["review_reasons"]] == ["age_under_15"]
    fine = register(w.hr, w.pension["id"], start=start,
                    birth_date=iso(days(years_before(start, 67), 1))).json()
    assert fine["status"] == "active"
    assert register(w.hr, w.pension["id"], start=start,
                    birth_date=iso(years_before(start, 15))).json()["status"] == "active"
    # The pending ones show as such in the list.
    statuses = {x["id"]: x["status"] for x in listing(w.hr, scheme_id=w.pension["id"],
                                                      status="pending_review")}
    assert statuses[p["id"]] == "pending_review" and old["id"] in statuses


def test_registration_rule_breaks_answer_422_with_codes(w):
    s = w.pension["id"]
    t = today()

    def refused(code, field, field_code, **kw):
        body = kw.pop("body", None) or registration(s, **kw)
        p = problem(w.hr.post("/api/v1/participants", json=body), 422, code)
        assert (field, field_code) in fields(p), p
        return p

    refused("invalid_bsn", "/person/bsn", "invalid_bsn", bsn=bad_bsn())
    refused("invalid_bsn", "/person/bsn", "invalid_bsn", bsn="12345678")
    refused("effective_date_out_of_range", "/employment/start_date", "effective_date_out_of_range",
            start=days(add_months(t, 3), 1))
    assert register(w.hr, s, start=add_months(t, 3)).json()["status"] == "active"
    body = registration(s, birth_date="1920-01-01")
    body["employment"]["start_date"] = "1949-12-31"
    refused("effective_date_out_of_range", "/employment/start_date", "effective_date_out_of_range",
            body=body)
    for salary in ("-1.00", "1.234", "12,50", "1e5", ""):
        if salary == "":
            continue
        refused("validation_failed", "/employment/salary", "salary_invalid", salary=salary)
    for parttime in ("0.000", "100.001", "50.1234", "-5"):
        refused("validation_failed", "/employment/parttime_percentage",
                "parttime_percentage_invalid", parttime=parttime)
    refused("validation_failed", "/person/gender", "gender_invalid", gender="man")
    refused("validation_failed", "/person/birth_date", "date_invalid", birth_date="1980-02-30")
    refused("validation_failed", "/person/birth_date", "birth_date_implausible",
            birth_date=iso(days(t, 1)))
    refused("validation_failed", "/person/birth_date", "birth_date_implausible",
            start=days(t, -5), birth_date=iso(years_before(days(t, -5), 12)))
    refused("validation_failed", "/person/address/postal_code", "invalid_format",
            address={"street": "A", "house_number": "1", "postal_code": "0123 AB", "city": "B"})
    refused("validation_failed", "/person/address/country", "invalid_format",
            address={"street": "A", "house_number": "1", "postal_code": "1234 AB", "city": "B",
                     "country": "nl"})
    refused("validation_failed", "/person/email", "invalid_email", email="niet-een-adres")
    refused("validation_failed", "/person/initials", "invalid_format", initials="G1")
    refused("validation_failed", "/participant_number", "invalid_format", number="12 34")
    # Several at once: every field is listed, the code is the general one.
    p = refused("validation_failed", "/person/bsn", "invalid_bsn", bsn=bad_bsn(), gender="x",
                salary="-1")
    assert {e["field"] for e in p["errors"]} == {"/person/bsn", "/person/gender",
                                                 "/employment/salary"}
    en = w.hr.post("/api/v1/participants", json=registration(s, bsn=bad_bsn()),
                   headers={"Accept-Language": "en"}).json()
    assert "eleven" in en["errors"][0]["message"]


def test_unreadable_registrations_answer_400(w):
    s = w.pension["id"]
    body = registration(s)
    del body["person"]
    p = problem(w.hr.post("/api/v1/participants", json=body), 400, "invalid_request")
    assert ("/person", "required") in fields(p)
    body = registration(s)
    body["employment"]["salary"] = 52242.28
    del body["person"]["bsn"]
    p = problem(w.hr.post("/api/v1/participants", json=body), 400, "invalid_request")
    assert fields(p) == {("/employment/salary", "invalid_type"), ("/person/bsn", "required")}
    body = registration(s)
    del body["person"]["initials"]
    del body["person"]["first_name"]
    p = problem(w.hr.post("/api/v1/participants", json=body), 400, "invalid_request")
    assert ("/person/initials", "required") in fields(p)
    body = registration(s)
    del body["scheme_id"]
    assert ("/scheme_id", "required") in fields(
        problem(w.hr.post("/api/v1/participants", json=body), 400, "invalid_request"))
    r = w.hr.post("/api/v1/participants", data="{", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    # A scheme that cannot exist or cannot be seen: 404.
    problem(w.hr.post("/api/v1/participants", json=registration("not-a-uuid")), 404, "not_found")
    problem(w.hr.post("/api/v1/participants", json=registration(w.pension_other["id"])), 404,
            "not_found")


def test_an_active_bsn_exists_once_per_scheme(w):
    body = registration(w.pension["id"])
    first = register(w.hr, w.pension["id"], body=body).json()
    again = dict(body, participant_number=None)
    del again["participant_number"]
    problem(w.hr.post("/api/v1/participants", json=again), 409, "participant_exists")
    # Pending review counts as existing too.
    pending = registration(w.pension["id"], start=days(add_months(today(), -3), -3))
    register(w.hr, w.pension["id"], body=pending)
    problem(w.hr.post("/api/v1/participants", json=pending), 409, "participant_exists")
    # The same person may take part in another scheme.
    other = register(w.hr, w.income["id"], body=dict(body, scheme_id=w.income["id"])).json()
    assert other["id"] != first["id"]


def test_rehire_adds_an_employment_to_the_same_participant(w):
    t = today()
    body = registration(w.pension["id"], start=days(t, -60), salary="40000.00")
    p = register(w.hr, w.pension["id"], body=body).json()
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(t, -20))})
    assert detail(w.hr, p["id"])["status"] == "dormant"
    # Registering the BSN again re-hires: same participant, new employment.
    rehire = registration(w.pension["id"], start=days(t, -5), salary="45000.00",
                          bsn=body["person"]["bsn"], surname="Assob-Jansen")
    r = w.hr.post("/api/v1/participants", json=rehire)
    assert r.status_code == 201, r.text
    q = r.json()
    assert q["id"] == p["id"] and q["rehired"] is True
    assert q["participant_number"] == p["participant_number"]
    assert q["status"] == "active" and q["display_name"] == "Assob-Jansen, G., ter"
    assert q["employment"] == {"start_date": iso(days(t, -5)), "end_date": None,
                               "salary": "45000.00", "parttime_percentage": "100.000"}
    # The earlier employment is still there as it was.
    old = detail(w.hr, p["id"], as_of=iso(days(t, -30)))
    assert old["status"] == "active" and old["employment"]["end_date"] == iso(days(t, -20))
    assert old["employment"]["salary"] == "40000.00"
    gap = detail(w.hr, p["id"], as_of=iso(days(t, -10)))
    assert gap["status"] == "dormant"
    assert [c["type"] for c in history(w.hr, p["id"])] == ["registration", "termination",
                                                           "registration"]
    row = [x for x in listing(w.hr, scheme_id=w.pension["id"], q=p["participant_number"])]
    assert [(x["id"], x["status"], x["employment_start"]) for x in row] == [
        (p["id"], "active", iso(days(t, -5)))]
    # Active again: a further registration is refused; a different number too.
    problem(w.hr.post("/api/v1/participants", json=rehire), 409, "participant_exists")


def test_rehire_after_a_future_termination_and_number_mismatch(w):
    t = today()
    body = registration(w.pension["id"], start=days(t, -30))
    p = register(w.hr, w.pension["id"], body=body).json()
    change(w.hr, p["id"], {"type": "termination", "effective_date": iso(days(t, 5))})
    # Still employed on the new start date: exists.
    problem(w.hr.post("/api/v1/participants", json=registration(
        w.pension["id"], start=days(t, 3), bsn=body["person"]["bsn"])), 409, "participant_exists")
    wrong = registration(w.pension["id"], start=days(t, 10), bsn=body["person"]["bsn"],
                         number=new_number())
    p422 = problem(w.hr.post("/api/v1/participants", json=wrong), 422, "validation_failed")
    assert ("/participant_number", "invalid_value") in fields(p422)
    again = registration(w.pension["id"], start=days(t, 10), bsn=body["person"]["bsn"],
                         number=p["participant_number"])
    q = register(w.hr, w.pension["id"], body=again).json()
    assert q["id"] == p["id"] and q["rehired"] and q["status"] == "active"
    assert q["as_of"] == iso(days(t, 10))
    # Today the first employment still runs, ending in five days.
    now = detail(w.hr, p["id"])
    assert now["status"] == "active" and now["employment"]["end_date"] == iso(days(t, 5))


def test_routes_take_their_path_parameters_by_segment(w, server):
    """The router finds a route by its segments and hands the handler the
    segment's value, as ulfius did for an endpoint of its own."""
    p = register(w.hr, w.pension["id"]).json()
    base = f"/api/v1/participants/{p['id']}"
    assert w.hr.get(base).json()["id"] == p["id"]
    assert w.hr.get(base + "/").json()["id"] == p["id"]  # a trailing slash is tolerated
    r = w.hr.get(base + "/changes")
    assert r.status_code == 200 and isinstance(r.json()["items"], list)
    assert "participant_number" not in r.json()  # the nested route, not the detail
    # A query value named like the path parameter is joined to it ("a,b"),
    # which names no participant.
    assert problem(w.hr.get(base, params={"id": p["id"]}), 404)["code"] == "not_found"
    # A value that is not UTF-8, or longer than any id, names nothing either.
    assert problem(w.hr.get("/api/v1/participants/%FF%FE"), 404)["code"] == "not_found"
    assert problem(w.hr.get("/api/v1/participants/" + "a" * 300), 404)["code"] == "not_found"
    # Empty segments are not skipped, and methods are case-sensitive.
    assert problem(w.hr.get(f"/api/v1//participants/{p['id']}"), 404)["code"] == "not_found"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("get", base, headers=w.hr.headers())
    r = conn.getresponse()
    assert r.status == 405 and "GET" in r.getheader("Allow")
    conn.close()


def test_idempotent_registration(w):
    key = {"Idempotency-Key": new_number() + "-reg"}
    body = registration(w.pension["id"])
    a = w.hr.post("/api/v1/participants", json=body, headers=key)
    b = w.hr.post("/api/v1/participants", json=body, headers=key)
    assert a.status_code == b.status_code == 201
    assert a.json() == b.json() and b.headers.get("Idempotent-Replayed") == "true"
    other = registration(w.pension["id"])
    problem(w.hr.post("/api/v1/participants", json=other, headers=key), 422,
            "idempotency_key_reused")
    found = listing(w.hr, scheme_id=w.pension["id"], q=a.json()["participant_number"])
    assert len(found) == 1


def test_registration_waits_while_a_batch_runs(w):
    scheme = new_scheme(w.staff, w.emp["id"], "pension")
    w.psql(f"INSERT INTO scheme_locks (scheme_id, batch_id) VALUES ('{scheme['id']}',"
           " gen_random_uuid())")
    problem(w.hr.post("/api/v1/participants", json=registration(scheme["id"])), 409,
            "scheme_locked_by_batch")
    w.psql(f"DELETE FROM scheme_locks WHERE scheme_id = '{scheme['id']}'")
    register(w.hr, scheme["id"])


# --- the overview --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def listed(w):
    """A fresh scheme with five participants of known names, numbers, start
    dates and salaries (one starting next month, one dormant)."""
    t = today()
    scheme = new_scheme(w.staff, w.emp["id"], "pension")
    s = scheme["id"]
    specs = [("Zwart", "de", "A.", "30000.00", -85, "1000105"),
             ("Assob", "ter", "G.", "52242.28", -80, "1000101"),
             ("Bakker", None, "P.", "41000.50", -70, "1000103"),
             ("Mulder", None, "K.", "99999.99", 20, "1000102"),
             ("Jansen", "van", "E.", "25000.00", -50, "1000104")]
    made = {}
    for surname, prefix, initials, salary, offset, number in specs:
        start = days(t, offset)
        body = registration(s, start=start, salary=salary, number=number, surname=surname,
                            surname_prefix=prefix, initials=initials, first_name=None)
        made[surname] = register(w.hr, s, body=body).json()
        made[surname]["start"] = iso(start)
    change(w.hr, made["Jansen"]["id"], {"type": "termination", "effective_date": iso(days(t, -1))})
    # A raise from next month does not show today.
    change(w.hr, made["Bakker"]["id"], {"type": "salary_change",
                                        "effective_date": iso(days(t, 20)), "salary": "50000.00"})
    return scheme, made


def test_rows_show_the_state_valid_today(w, listed):
    scheme, made = listed
    rows = listing(w.hr, scheme_id=scheme["id"])
    assert [set(r) for r in rows] == [ROW_KEYS] * 5
    by = {r["display_name"]: r for r in rows}
    assert set(by) == {"Assob, G., ter", "Bakker, P.", "Jansen, E., van", "Mulder, K.",
                       "Zwart, A., de"}
    assert by["Bakker, P."]["salary"] == "41000.50"
    assert by["Jansen, E., van"]["status"] == "dormant"
    # Not started yet: shown with its first state.
    assert by["Mulder, K."]["status"] == "active"
    assert by["Mulder, K."]["employment_start"] == made["Mulder"]["start"]
    assert by["Assob, G., ter"]["parttime_percentage"] == "100.000"
    assert by["Assob, G., ter"]["participant_number"] == "1000101"


@pytest.mark.parametrize("sort,expected", [
    ("name", ["Assob", "Bakker", "Jansen", "Mulder", "Zwart"]),
    ("-name", ["Zwart", "Mulder", "Jansen", "Bakker", "Assob"]),
    ("number", ["Assob", "Mulder", "Bakker", "Jansen", "Zwart"]),
    ("-number", ["Zwart", "Jansen", "Bakker", "Mulder", "Assob"]),
    ("salary", ["Jansen", "Zwart", "Bakker", "Assob", "Mulder"]),
    ("-salary", ["Mulder", "Assob", "Bakker", "Zwart", "Jansen"]),
    ("start_date", ["Zwart", "Assob", "Bakker", "Jansen", "Mulder"]),
    ("-start_date", ["Mulder", "Jansen", "Bakker", "Assob", "Zwart"]),
])
def test_sorting_and_keyset_pages(w, listed, sort, expected):
    scheme, made = listed
    ids = {made[n]["id"]: n for n in made}
    seen, cursor = [], None
    for _ in range(10):
        params = {"scheme_id": scheme["id"], "sort": sort, "limit": 2}
        if cursor:
            params["cursor"] = cursor
        r = w.hr.get("/api/v1/participants", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 2
        seen += [ids[x["id"]] for x in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected


def test_cursors_are_bound_to_their_sort(w, listed):
    scheme, _ = listed
    r = w.hr.get("/api/v1/participants", params={"scheme_id": scheme["id"], "limit": 1})
    cursor = r.json()["next_cursor"]
    problem(w.hr.get("/api/v1/participants", params={"scheme_id": scheme["id"], "limit": 1,
                                                     "sort": "salary", "cursor": cursor}),
            400, "invalid_cursor")
    problem(w.hr.get("/api/v1/participants", params={"sort": "age"}), 400, "invalid_request")
    problem(w.hr.get("/api/v1/participants", params={"status": "sleeping"}), 400,
            "invalid_request")


def test_filters_status_and_search(w, listed):
    scheme, made = listed
    s = scheme["id"]
    assert [x["display_name"] for x in listing(w.hr, scheme_id=s, status="dormant")] == [
        "Jansen, E., van"]
    assert len(listing(w.hr, scheme_id=s, status="active")) == 4
    assert listing(w.hr, scheme_id=s, status="ended") == []
    assert [x["id"] for x in listing(w.hr, scheme_id=s, q="assob")] == [made["Assob"]["id"]]
    assert [x["id"] for x in listing(w.hr, scheme_id=s, q="ter Assob")] == [made["Assob"]["id"]]
    assert [x["id"] for x in listing(w.hr, scheme_id=s, q="1000103")] == [made["Bakker"]["id"]]
    assert [x["id"] for x in listing(w.hr, scheme_id=s, q="100010")] != []
    assert listing(w.hr, scheme_id=s, q="Pietersen") == []
    # Search and status together; LIKE's wildcards are plain characters.
    assert [x["id"] for x in listing(w.hr, scheme_id=s, q="van jansen", status="dormant")] == [
        made["Jansen"]["id"]]
    assert listing(w.hr, scheme_id=s, q="jansen", status="active") == []
    assert listing(w.hr, scheme_id=s, q="%") == [] and listing(w.hr, scheme_id=s, q="_") == []
    assert listing(w.hr, scheme_id=s, q="a\\") == []
    names = [x["display_name"] for x in listing(w.hr, scheme_id=s, q="a", sort="-name")]
    assert names == sorted(names, key=str.lower, reverse=True) and "Assob, G., ter" in names
    problem(w.hr.get("/api/v1/participants", params={"q": "x" * 101}), 400, "invalid_request")


def status_index_scans(cluster):
    return int(cluster.psql("SELECT idx_scan FROM pg_stat_user_indexes"
                            " WHERE indexrelname = 'participant_periods_status_name'"))


def test_a_rare_status_reads_the_status_index(w, listed):
    """The status indexes leave active periods out (migration 0024), so the
    list's statement must say so for a generic plan to use them. Both a
    rare status and status=active (the plain list's statement with the
    status as a filter) keep their rows. The test tables are small enough for a sequential scan to win, so those are
    off while this test runs (ANALYZE makes the server's cached plans plan
    again). A server connection reports its index scans up to ten seconds
    after it goes idle, and nothing else reads this index."""
    scheme, made = listed
    w.cluster.psql("ALTER SYSTEM SET enable_seqscan = off")
    w.cluster.psql("SELECT pg_reload_conf()")
    w.cluster.psql("ANALYZE participant_periods")
    try:
        before = status_index_scans(w.cluster)
        by_status = {st: [x["id"] for x in listing(w.hr, scheme_id=scheme["id"], status=st)]
                     for st in ("dormant", "active")}
        deadline = time.time() + 15
        while status_index_scans(w.cluster) == before and time.time() < deadline:
            time.sleep(0.2)
        assert status_index_scans(w.cluster) > before
    finally:
        w.cluster.psql("ALTER SYSTEM RESET enable_seqscan")
        w.cluster.psql("SELECT pg_reload_conf()")
    everyone = [x["id"] for x in listing(w.hr, scheme_id=scheme["id"])]
    assert by_status["dormant"] == [made["Jansen"]["id"]]
    assert by_status["active"] == [i for i in everyone if i != made["Jansen"]["id"]]
    assert len(by_status["active"]) == 4


def test_several_schemes_and_visibility(w, listed):
    scheme, made = listed
    p_inc = register(w.hr, w.income["id"]).json()
    r = w.hr.get(f"/api/v1/participants?scheme_id={scheme['id']},{w.income['id']}&limit=200")
    assert r.status_code == 200, r.text
    both = r.json()["items"]
    assert {x["scheme_id"] for x in both} == {scheme["id"], w.income["id"]}
    names = [x["display_name"].lower() for x in both]
    assert names == sorted(names)
    repeated = w.hr.get(f"/api/v1/participants?scheme_id={scheme['id']}&scheme_id={w.income['id']}"
                        "&limit=200").json()["items"]
    assert [x["id"] for x in repeated] == [x["id"] for x in both]
    # A client that encodes the comma (requests, URLSearchParams) means the same.
    encoded = w.hr.get("/api/v1/participants", params={"scheme_id": f"{scheme['id']},{w.income['id']}",
                                                       "limit": 200})
    assert "%2C" in encoded.url and [x["id"] for x in encoded.json()["items"]] == [x["id"] for x in both]
    # Without scheme_id: every readable scheme.
    ids = {x["id"] for x in listing(w.hr)}
    assert p_inc["id"] in ids and made["Assob"]["id"] in ids
    # A user scoped to the first pension scheme sees only that one.
    scoped = {x["scheme_id"] for x in listing(w.scoped)}
    assert scoped <= {w.pension["id"]}
    problem(w.scoped.get("/api/v1/participants", params={"scheme_id": w.income["id"]}), 404,
            "not_found")
    problem(w.scoped.get(f"/api/v1/participants?scheme_id={w.pension['id']},{w.income['id']}"),
            404, "not_found")
    # Unknown, malformed and other organisations' schemes: 404. Finance: 403.
    problem(w.hr.get("/api/v1/participants", params={"scheme_id": w.pension_other["id"]}), 404,
            "not_found")
    problem(w.hr.get("/api/v1/participants", params={"scheme_id": "nope"}), 404, "not_found")
    problem(w.finance.get("/api/v1/participants", params={"scheme_id": w.pension["id"]}), 403,
            "forbidden")
    problem(w.finance.get("/api/v1/participants"), 403, "forbidden")
    # Mandated offices read; an office without a mandate sees nothing.
    # The new scheme is not mandated: invisible to the office.
    problem(w.int_read.get("/api/v1/participants", params={"scheme_id": scheme["id"]}), 404,
            "not_found")
    assert {x["scheme_id"] for x in listing(w.int_read)} <= {w.pension["id"], w.pension2["id"],
                                                             w.income["id"]}
    assert listing(w.int_none) == []
    problem(w.int_none.get("/api/v1/participants", params={"scheme_id": w.pension["id"]}), 404,
            "not_found")
    assert made["Assob"]["id"] not in {x["id"] for x in listing(w.admin2)}


# --- the detail and BSNs --------------------------------------------------------------------

@pytest.fixture(scope="module")
def family(w):
    t = today()
    body = registration(w.pension["id"], start=days(t, -40))
    p = register(w.hr, w.pension["id"], body=body).json()
    pa = change(w.hr, p["id"], {"type": "partner_registration", "effective_date": iso(t),
                                "partner": {"first_name": "Anna", "surname": "Jansen",
                                            "birth_date": "1982-03-04", "bsn": new_bsn(),
                                            "relationship": "married"}}).json()
    ch = change(w.hr, p["id"], {"type": "child_registration", "effective_date": iso(t),
                                "child": {"first_name": "Sem", "surname": "Assob",
                                          "birth_date": iso(days(t, -30)), "bsn": new_bsn()}}).json()
    return p, body["person"]["bsn"], pa, ch


def test_bsn_masking_per_right(w, family):
    p, bsn, _, _ = family
    masked = "*****" + bsn[-4:]
    full_callers = {"staff": w.staff, "admin": w.admin, "hr": w.hr, "int_write": w.int_write,
                    "token": w.token}
    masked_callers = {"hr_read": w.hr_read, "int_read": w.int_read}
    for name, who in full_callers.items():
        d = who.get(f"/api/v1/participants/{p['id']}")
        assert d.status_code == 200, (name, d.text)
        assert d.json()["person"]["bsn"] == bsn, name
        assert len(d.json()["partner"]["bsn"]) == 9 and "*" not in d.json()["partner"]["bsn"]
    for name, who in masked_callers.items():
        d = who.get(f"/api/v1/participants/{p['id']}")
        assert d.status_code == 200, (name, d.text)
        body = d.json()
        assert body["person"]["bsn"] == masked, name
        assert body["partner"]["bsn"].startswith("*****")
        assert all(c["bsn"].startswith("*****") for c in body["children"])
        assert bsn not in d.text
    problem(w.finance.get(f"/api/v1/participants/{p['id']}"), 403, "forbidden")
    problem(w.int_none.get(f"/api/v1/participants/{p['id']}"), 404, "not_found")
    problem(w.admin2.get(f"/api/v1/participants/{p['id']}"), 404, "not_found")
    problem(w.hr.get("/api/v1/participants/not-a-uuid"), 404, "not_found")
    problem(w.hr.get("/api/v1/participants/00000000-0000-4000-8000-000000000000"), 404,
            "not_found")


def test_a_full_bsn_view_is_audited_without_the_bsn(w, family):
    p, bsn, _, _ = family
    w.admin.get(f"/api/v1/participants/{p['id']}")
    events = audit_events(w.admin, target_type="participant", target_id=p["id"])
    actions = [e["action"] for e in events]
    assert "participant.bsn_viewed" in actions and "participant.registered" in actions
    viewed = [e for e in events if e["action"] == "participant.bsn_viewed"]
    assert any(e["actor"]["user_id"] == w.admin.id for e in viewed)
    assert bsn not in json.dumps(events)
    # A masked view writes no such event.
    before = len(viewed)
    w.hr_read.get(f"/api/v1/participants/{p['id']}")
    after = [e for e in audit_events(w.admin, target_type="participant", target_id=p["id"])
             if e["action"] == "participant.bsn_viewed"]
    assert len(after) == before


def test_detail_holds_coverages_partner_children_and_state_as_of(w, family):
    p, _, pa, ch = family
    d = detail(w.hr, p["id"])
    assert d["coverages"] == w.pension.get("coverages", [])
    assert d["partner"]["first_name"] == "Anna" and d["partner"]["relationship"] == "married"
    assert d["partner"]["effective_date"] == pa["effective_date"]
    assert [c["first_name"] for c in d["children"]] == ["Sem"]
    before = detail(w.hr, p["id"], as_of=iso(days(today(), -1)))
    assert before["partner"] is None and before["children"] == []
    assert before["as_of"] == iso(days(today(), -1))
    problem(w.hr.get(f"/api/v1/participants/{p['id']}", params={"as_of": "gisteren"}), 400,
            "invalid_request")


def test_hr_read_consults_but_changes_nothing(w, family):
    p, _, _, _ = family
    assert w.hr_read.get(f"/api/v1/participants/{p['id']}/changes").status_code == 200
    problem(w.hr_read.post("/api/v1/participants", json=registration(w.pension["id"])), 403,
            "forbidden")
    problem(w.hr_read.post(f"/api/v1/participants/{p['id']}/changes",
                           json={"type": "termination", "effective_date": iso(today())}),
            403, "forbidden")
    problem(w.int_read.post("/api/v1/participants", json=registration(w.pension["id"])), 403,
            "forbidden")
    problem(w.finance.post("/api/v1/participants", json=registration(w.pension["id"])), 403,
            "forbidden")


def test_other_organisations_and_scopes_get_404(w, family):
    p, _, pa, _ = family
    other = register(w.admin2, w.pension_other["id"]).json()
    for path in (f"/api/v1/participants/{other['id']}",
                 f"/api/v1/participants/{other['id']}/changes"):
        problem(w.hr.get(path), 404, "not_found")
        problem(w.int_write.get(path), 404, "not_found")
    problem(w.hr.post(f"/api/v1/participants/{other['id']}/changes",
                      json={"type": "termination", "effective_date": iso(today())}), 404,
            "not_found")
    problem(w.hr.post("/api/v1/participants", json=registration(w.pension_other["id"])), 404,
            "not_found")
    problem(w.admin2.post(f"/api/v1/changes/{pa['id']}/cancel", json={"reason": "x"}), 404,
            "not_found")
    # A user scoped to another scheme cannot reach a participant outside it.
    q = register(w.hr, w.income["id"]).json()
    problem(w.scoped.get(f"/api/v1/participants/{q['id']}"), 404, "not_found")
    problem(w.scoped.post(f"/api/v1/participants/{q['id']}/changes",
                          json={"type": "termination", "effective_date": iso(today())}), 404,
            "not_found")
    assert w.scoped.get(f"/api/v1/participants/{p['id']}").status_code == 200


def test_api_tokens_and_intermediaries_register(w):
    t = register(w.token, w.pension["id"]).json()
    h = history(w.hr, t["id"])
    assert h[0]["registered_by"] == {"kind": "api_token", "name": w.token_name}
    i = register(w.int_write, w.pension["id"]).json()
    by = history(w.hr, i["id"])[0]["registered_by"]
    assert by["kind"] == "user" and w.office_rw["name"] in by["name"]
    s = register(w.staff, w.pension["id"]).json()
    assert history(w.hr, s["id"])[0]["registered_by"]["kind"] == "staff"
