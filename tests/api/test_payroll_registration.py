"""Payroll sync registrations set-based (issue 15, migration 0021): the clean
registrations of a period go through portal_registration_apply, shared with
collective changes; a re-hire, a registration waiting for review and a
refused row still go through the use case one by one. Each must land as an
individual registration does: the same participant, history and audit."""
import json
import subprocess

from org_helpers import audit_events
from participant_helpers import add_months, iso, new_bsn, today
from test_batch_apply import NEW_HEADER, csv_bytes, new_rows
from test_faults import wait_until
from test_payroll_periods import by_number, current_periods, history, person, put, w  # noqa: F401


def psql_script(cluster, sql):
    """Runs a script in one psql session; returns its output lines."""
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                          cluster.sock, "-p", str(cluster.port), "-U", "postgres", "-d",
                          "portal"], input=sql, check=True, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


def registrations(w, pid):
    return [e for e in audit_events(w.admin, target_type="participant", target_id=pid)
            if e["action"] in ("participant.registered", "participant.rehired")]


def change_row(w, pid):
    """The stored registration change, without its ids and time."""
    return json.loads(w.cluster.psql(
        "SELECT json_build_object('type', type, 'effective_date', effective_date,"
        " 'kind', registered_by_kind, 'user', registered_by_user_id,"
        " 'token', registered_by_token_id, 'batch', registered_by_batch_id, 'status', status,"
        " 'reasons', review_reasons, 'payload', payload) FROM participant_changes"
        f" WHERE participant_id = '{pid}' AND type = 'registration'"))


def periods(w, pid):
    """The current periods, without ids, numbers and times."""
    return json.loads(w.cluster.psql(
        "SELECT json_agg(json_build_object('valid', valid::text, 'first', first_period,"
        " 'status', status, 'name', display_name, 'first_name', first_name,"
        " 'initials', initials, 'prefix', surname_prefix, 'surname', surname,"
        " 'birth', birth_date, 'gender', gender, 'email', email, 'address', address,"
        " 'start', employment_start, 'end', employment_end, 'salary', salary,"
        " 'parttime', parttime_percentage, 'partner', partner, 'children', children)"
        f" ORDER BY valid) FROM participant_periods WHERE participant_id = '{pid}'"
        " AND superseded_at IS NULL"))


def version(w, pid):
    return w.cluster.psql(f"SELECT version FROM participants WHERE id = '{pid}'")


def test_a_first_period_mixing_clean_rehire_review_and_refused_rows(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    start = iso(first)
    leaver = person("R", "Terug", start, "40000.00")
    put(w.token, scheme, prev, [dict(leaver, end_date=iso(first.replace(day=10)))])
    long_ago = iso(add_months(today().replace(day=1), -6))
    rows = [
        person("c1", "Schoon", start, "41000.00"),
        person("rv", "Oud", long_ago, "41000.00"),
        dict(leaver, start_date=iso(first.replace(day=20))),
        person("x", "Anders", start, "41000.00", gender="x"),
        person("c2", "Netjes", start, "42000.00", surname_prefix="van"),
    ]
    answer = put(w.token, scheme, cur, rows)
    fb = by_number(answer["feedback"])
    assert [f["seq"] for f in answer["feedback"]] == [1, 2, 3, 4, 5]
    got = {k: (f["result"], f["changes"], f["code"]) for k, f in fb.items()}
    assert got == {
        "P-c1": ("accepted", ["registration"], None),
        "P-rv": ("accepted", ["registration"], None),
        "P-R": ("accepted", ["rehire"], None),
        "P-x": ("rejected", [], "validation_failed"),
        "P-c2": ("accepted", ["registration"], None),
    }
    assert fb["P-rv"]["message"] and fb["P-c1"]["message"] is None
    assert fb["P-x"]["participant_id"] is None
    ids = {k: fb[k]["participant_id"] for k in ("P-c1", "P-rv", "P-R", "P-c2")}
    assert all(ids.values()) and len(set(ids.values())) == 4
    # The history of each, registered by the token with the period's label.
    for key, status in (("P-c1", "processed"), ("P-c2", "processed"),
                        ("P-rv", "pending_review")):
        items = history(w.token, ids[key])
        assert [(c["type"], c["status"]) for c in items] == [("registration", status)]
        assert items[0]["registered_by"]["kind"] == "api_token"
        assert items[0]["batch_id"] is None
        assert version(w, ids[key]) == "2"
    kinds = sorted((c["type"], c["effective_date"]) for c in history(w.token, ids["P-R"]))
    assert kinds == [("registration", start), ("registration", iso(first.replace(day=20))),
                     ("termination", iso(first.replace(day=10)))]
    # The audit events, as the use case records them.
    for key, action, status in (("P-c1", "participant.registered", "processed"),
                                ("P-c2", "participant.registered", "processed"),
                                ("P-rv", "participant.registered", "pending_review")):
        ev = registrations(w, ids[key])
        assert [e["action"] for e in ev] == [action]
        assert set(ev[0]["changes"]) == {"change_id", "participant_number", "start_date", "status"}
        assert ev[0]["changes"]["status"]["to"] == status
    rehire = registrations(w, ids["P-R"])
    assert sorted(e["action"] for e in rehire) == ["participant.registered",
                                                   "participant.rehired"]
    # Every participant has its own number; the periods as registered.
    numbers = w.cluster.psql(
        "SELECT count(DISTINCT participant_number) FROM participants WHERE id IN ("
        + ",".join(f"'{i}'" for i in ids.values()) + ")")
    assert numbers == "4"
    c2 = periods(w, ids["P-c2"])
    assert len(c2) == 1 and c2[0]["status"] == "active" and c2[0]["prefix"] == "van"
    assert c2[0]["valid"] == f"[{start},)" and c2[0]["salary"] == 42000.00
    assert periods(w, ids["P-rv"])[0]["status"] == "pending_review"


def test_a_payroll_registration_and_a_web_one_are_the_same(w):
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    start = iso(first)
    row = person("same", "Gelijk", start, "43000.00", surname_prefix="de")
    fb = put(w.token, scheme, cur, [row])["feedback"][0]
    assert fb["result"] == "accepted" and fb["changes"] == ["registration"]
    via_payroll = fb["participant_id"]
    a = row["address"]
    body = {"scheme_id": scheme["id"],
            "person": {"first_name": row["first_name"], "initials": row["initials"],
                       "surname_prefix": "de", "surname": row["surname"],
                       "birth_date": row["birth_date"], "gender": row["gender"], "bsn": new_bsn(),
                       "address": {k: a[k] for k in ("street", "house_number", "postal_code",
                                                     "city", "country")}},
            "employment": {"start_date": start, "salary": row["salary"],
                           "parttime_percentage": row["parttime_percentage"]}}
    r = w.token.post("/api/v1/participants", json=body)
    assert r.status_code == 201, r.text
    via_web = r.json()["id"]
    assert periods(w, via_payroll) == periods(w, via_web)
    assert change_row(w, via_payroll) == change_row(w, via_web)
    assert version(w, via_payroll) == version(w, via_web) == "2"
    p_items, w_items = history(w.token, via_payroll), history(w.token, via_web)
    drop = ("id", "participant_id", "registered_at", "registered_by")
    assert [{k: v for k, v in c.items() if k not in drop} for c in p_items] == \
        [{k: v for k, v in c.items() if k not in drop} for c in w_items]
    assert p_items[0]["registered_by"]["kind"] == w_items[0]["registered_by"]["kind"]
    p_ev, w_ev = registrations(w, via_payroll), registrations(w, via_web)
    assert len(p_ev) == len(w_ev) == 1
    p_ev, w_ev = p_ev[0], w_ev[0]
    assert p_ev["action"] == w_ev["action"] == "participant.registered"
    assert set(p_ev["changes"]) == set(w_ev["changes"])
    for k in ("start_date", "status"):
        assert p_ev["changes"][k] == w_ev["changes"][k]
    same = ("actor_label", "organisation_id", "target_type")
    events = json.loads(w.cluster.psql(
        "SELECT json_object_agg(target_id, json_build_object('actor_label', actor_label,"
        " 'organisation_id', organisation_id, 'target_type', target_type,"
        " 'user', actor_user_id, 'token', actor_token_id))"
        f" FROM audit_events WHERE target_id IN ('{via_payroll}', '{via_web}')"
        " AND action = 'participant.registered'"))
    assert events[via_payroll] == events[via_web]
    assert all(events[via_web][k] for k in same)


def test_the_shared_registration_skips_a_taken_bsn_and_numbers_in_row_order(w):
    """portal_registration_apply itself, in a rolled-back transaction: a BSN
    registered meanwhile is skipped, the others get numbers in row order."""
    scheme = w.scheme("pension")
    cur, prev, first = current_periods()
    taken = person("t", "Bezet", iso(first), "40000.00")
    put(w.token, scheme, cur, [taken])
    payload = json.dumps({"display_name": "X. Nieuw", "person": {"initials": "X.",
                          "surname": "Nieuw", "birth_date": "1980-01-01", "gender": "male"},
                          "employment": {"start_date": iso(first), "salary": "1000.00",
                                         "parttime_percentage": "100.000"}})
    rows = [{"row_key": k, "bsn": b, "status": "processed", "review_reasons": [],
             "effective_date": iso(first), "payload": json.loads(payload)}
            for k, b in ((3, new_bsn()), (1, taken["bsn"]), (2, new_bsn()))]
    lines = psql_script(w.cluster, f"""
        BEGIN;
        SELECT a.row_key || ':' || coalesce(a.skip, 'ok') || ':' || coalesce(a.participant_number, '')
          FROM portal_registration_apply('{scheme["id"]}', '{json.dumps(rows)}'::jsonb, 'batch',
               NULL, NULL, NULL, 'test', NULL, 'system', NULL, NULL, true) a ORDER BY a.row_key;
        ROLLBACK;
        """)
    assert [line.split(":")[:2] for line in lines] == [["1", "participant_exists"], ["2", "ok"],
                                                       ["3", "ok"]]
    assert lines[0].split(":")[2] == ""
    assert int(lines[1].split(":")[2]) < int(lines[2].split(":")[2])


def test_a_collective_registration_records_its_batch_on_change_and_audit(w):
    """The shared function records a collective change's registrations as
    the batch's: kind batch and the batch id on the change, the batch id in
    the audit event, label batch."""
    scheme = w.scheme("pension")
    r = w.token.post("/api/v1/batches", params={"scheme_id": scheme["id"],
                                                "kind": "new_participants", "submit": "true"},
                     data=csv_bytes(NEW_HEADER, new_rows(2) + new_rows(1, numbered=False)),
                     headers={"Content-Type": "text/csv"})
    assert r.status_code == 202, r.text
    batch = r.json()["id"]
    wait_until("the batch", lambda: w.cluster.psql(
        f"SELECT status FROM batches WHERE id = '{batch}'") == "processed", timeout=120)
    pids = w.cluster.psql(f"SELECT string_agg(participant_id::text, ',' ORDER BY row_number)"
                          f" FROM batch_rows WHERE batch_id = '{batch}'").split(",")
    assert len(pids) == 3
    for pid in pids:
        row = change_row(w, pid)
        assert (row["kind"], row["batch"], row["status"]) == ("batch", batch, "processed")
        assert history(w.token, pid)[0]["batch_id"] == batch
        assert version(w, pid) == "2"
        ev = w.cluster.psql(
            "SELECT actor_label || ':' || (changes -> 'batch_id' ->> 'to') FROM audit_events"
            f" WHERE target_id = '{pid}' AND action = 'participant.registered'")
        assert ev == f"batch:{batch}"
