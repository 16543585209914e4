"""Processing a collective change set-based (migration 0019): the periods a
batch writes are what portal_participant_rebuild() derives from the same
changes, the effects are those of the individual use case, and a portal
process killed with SIGKILL in the middle of a large batch applies every row
exactly once after a restart.

Runs against its own PostgreSQL cluster, SMTP sink and server (the Faulty
world of test_faults.py), because it kills the server. No timed assertions:
waits are bounded polls."""
import subprocess
import uuid

import pytest

from participant_helpers import days, iso, new_bsn, today
from test_faults import Faulty, wait_until

NEW_HEADER = ["participant_number", "first_name", "initials", "surname_prefix", "surname",
              "birth_date", "gender", "bsn", "email", "street", "house_number", "postal_code",
              "city", "country", "start_date", "salary", "parttime_percentage"]
SALARY_HEADER = ["participant_number", "new_salary", "new_parttime_percentage"]
CHUNK = 2000  # BATCH_CHUNK_ROWS

# The columns of a period that a derivation decides (not its id or times).
PERIOD = ("participant_id, scheme_id, participant_number, valid, first_period, status,"
          " first_name, initials, surname_prefix, surname, display_name, birth_date, gender,"
          " email, address, employment_start, employment_end, salary, parttime_percentage,"
          " partner, children")


@pytest.fixture(scope="module")
def f():
    world = Faulty()
    yield world
    world.close()


def csv_bytes(header, rows):
    return ("\r\n".join([",".join(header)] + [",".join(r) for r in rows]) + "\r\n").encode()


def new_rows(n, numbered=True, start=None, birth="1985-03-04"):
    tag = uuid.uuid4().hex[:6].upper()
    start = start or iso(days(today(), -10))
    return [[f"B{tag}{i:06d}" if numbered else "", "Piet", "P.", "de", f"Vries{i}", birth,
             "male", new_bsn(), "", "Dorpsstraat", str(i % 200 + 1), "1234 AB", "Utrecht",
             "NL", start, f"{30000 + i}.00", "100"] for i in range(n)]


def upload(f, kind, rows, effective=None, submit=True):
    params = {"scheme_id": f.scheme["id"], "kind": kind, "submit": "true" if submit else "false"}
    if effective:
        params["effective_date"] = effective
    header = NEW_HEADER if kind == "new_participants" else SALARY_HEADER
    r = f.hr.post("/api/v1/batches", params=params, data=csv_bytes(header, rows),
                  headers={"Content-Type": "text/csv"})
    assert r.status_code == 202, r.text
    assert r.json()["error_count"] == 0, r.json()
    return r.json()


def status_of(f, batch_id):
    return f.cluster.psql(f"SELECT status FROM batches WHERE id = '{batch_id}'")


def psql_script(f, sql):
    """Runs a script in one psql session; returns its output lines."""
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
                          f.cluster.sock, "-p", str(f.cluster.port), "-U", "postgres", "-d",
                          "portal"], input=sql, check=True, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


def differs_from_rebuild(f, batch_id):
    """Re-derives the batch's participants with portal_participant_rebuild()
    in a rolled-back transaction; returns how many current periods differ
    either way, and how many participants were compared."""
    ids = (f"SELECT participant_id FROM batch_rows WHERE batch_id = '{batch_id}'"
           " AND change_id IS NOT NULL")
    lines = psql_script(f, f"""
        BEGIN;
        CREATE TEMP TABLE stored AS SELECT {PERIOD} FROM participant_periods
         WHERE superseded_at IS NULL AND participant_id IN ({ids});
        SELECT count(*) FROM (SELECT portal_participant_rebuild(p) FROM ({ids}) x (p)) y;
        SELECT count(*) FROM ((SELECT {PERIOD} FROM participant_periods
                                WHERE superseded_at IS NULL AND participant_id IN ({ids})
                               EXCEPT ALL SELECT * FROM stored)
                              UNION ALL
                              (SELECT * FROM stored EXCEPT ALL
                               SELECT {PERIOD} FROM participant_periods
                                WHERE superseded_at IS NULL AND participant_id IN ({ids}))) d;
        ROLLBACK;
        """)
    return int(lines[-1]), int(lines[-2])


def test_new_participants_set_based_are_what_the_rebuild_derives(f):
    rows = new_rows(3) + new_rows(2, numbered=False)
    rows += new_rows(1, birth="1950-03-04", start=iso(today()))  # 67+: waits for review
    batch = upload(f, "new_participants", rows)
    wait_until("the batch", lambda: status_of(f, batch["id"]) == "processed", timeout=120)
    diff, compared = differs_from_rebuild(f, batch["id"])
    assert compared == 6 and diff == 0
    # Created and rebuilt once, as an individual registration.
    assert f.cluster.psql(
        "SELECT string_agg(DISTINCT p.version::text, ',') FROM participants p JOIN batch_rows br"
        f" ON br.participant_id = p.id WHERE br.batch_id = '{batch['id']}'") == "2"
    # Numbers handed out for the rows without one, each once.
    numbers = f.cluster.psql(
        "SELECT count(DISTINCT p.participant_number) FROM participants p JOIN batch_rows br"
        f" ON br.participant_id = p.id WHERE br.batch_id = '{batch['id']}'")
    assert numbers == "6"
    audit = f.cluster.psql(
        "SELECT count(*) FROM audit_events WHERE action = 'participant.registered'"
        f" AND changes -> 'batch_id' ->> 'to' = '{batch['id']}'"
        " AND changes -> 'participant_number' ->> 'to' IS NOT NULL")
    assert audit == "6"
    assert f.cluster.psql(
        "SELECT count(*) FROM participant_periods x JOIN batch_rows br ON br.participant_id ="
        f" x.participant_id WHERE br.batch_id = '{batch['id']}' AND x.superseded_at IS NULL"
        " AND x.status = 'pending_review'") == "1"


def test_salary_changes_set_based_are_what_the_rebuild_derives(f):
    batch = upload(f, "new_participants", new_rows(4, start=iso(days(today(), -40))))
    wait_until("the registrations", lambda: status_of(f, batch["id"]) == "processed",
               timeout=120)
    numbers = f.cluster.psql(
        "SELECT string_agg(participant_number, ',' ORDER BY row_number) FROM batch_rows"
        f" WHERE batch_id = '{batch['id']}'").split(",")
    rows = [[numbers[0], "41000.00", ""], [numbers[1], "", "80"], [numbers[2], "42000", "60"]]
    change = upload(f, "salary_change", rows, effective=iso(days(today(), -5)))
    wait_until("the salary changes", lambda: status_of(f, change["id"]) == "processed",
               timeout=120)
    diff, compared = differs_from_rebuild(f, change["id"])
    assert compared == 3 and diff == 0
    audit = f.cluster.psql(
        "SELECT string_agg(coalesce(changes -> 'salary' ->> 'to', '-') || '/' ||"
        " coalesce(changes -> 'parttime_percentage' ->> 'to', '-'), ',' ORDER BY id)"
        " FROM audit_events WHERE action = 'participant.change_registered'"
        f" AND changes -> 'batch_id' ->> 'to' = '{change['id']}'")
    assert audit == "41000.00/-,-/80.000,42000.00/60.000"


def test_sigkill_mid_batch_then_restart_applies_every_row_exactly_once(f):
    """Three chunks of new participants: the first with numbers, the rest
    without, so the worker needs the scheme's number counter in the second
    chunk. A session holds that counter row; once the first chunk is
    committed and the worker waits inside the second, the portal process is
    killed with SIGKILL, the session lets go, the server starts again and
    the job's lease passes (simulated time, as in test_faults.py)."""
    scheme = f.scheme["id"]
    f.cluster.psql("INSERT INTO participant_number_counters (scheme_id, last_number)"
                   f" VALUES ('{scheme}', 1000001) ON CONFLICT (scheme_id) DO NOTHING")
    before = int(f.cluster.psql(f"SELECT count(*) FROM participants WHERE scheme_id = '{scheme}'"))
    rows = new_rows(CHUNK) + new_rows(CHUNK + 500, numbered=False)
    holder = subprocess.Popen(
        ["psql", "-X", "-q", "-h", f.cluster.sock, "-p", str(f.cluster.port), "-U", "postgres",
         "-d", "portal"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write("BEGIN; SELECT 1 FROM participant_number_counters"
                           f" WHERE scheme_id = '{scheme}' FOR UPDATE;\n")
        holder.stdin.flush()
        wait_until("the counter lock", lambda: f.cluster.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
            " AND query LIKE '%participant_number_counters%'") == "1")
        batch = upload(f, "new_participants", rows)
        bid = batch["id"]
        wait_until("the worker to wait inside the second chunk", lambda: f.cluster.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query LIKE '%portal_batch_apply%'") == "1", timeout=300)
        # The first chunk is committed (rows 2 .. CHUNK - 1; the header is row 1).
        assert f.cluster.psql(f"SELECT status, next_row, applied_row_count FROM batches"
                              f" WHERE id = '{bid}'") == f"processing|{CHUNK}|{CHUNK - 2}"
        f.kill()
    finally:
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    wait_until("the dead worker's session to end", lambda: f.cluster.psql(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%portal_batch_apply%'"
        " AND pid <> pg_backend_pid()") == "0")
    # Only the committed chunk stands.
    assert f.cluster.psql(f"SELECT count(*) FROM participant_changes"
                          f" WHERE registered_by_batch_id = '{bid}'") == str(CHUNK - 2)
    f.server.start()
    f.cluster.psql("UPDATE jobs SET run_at = now(), locked_until = now() - interval '1 second'"
                   f" WHERE kind = 'batch' AND payload ->> 'batch_id' = '{bid}'"
                   " AND status IN ('pending', 'running')")
    wait_until("the batch to finish", lambda: status_of(f, bid) == "processed", timeout=300)
    total = len(rows)
    b = f.cluster.psql(f"SELECT applied_row_count, skipped_row_count FROM batches WHERE id = '{bid}'")
    assert b == f"{total}|0"
    # Row by row: each row has its change, its participant and one period.
    per_row = f.cluster.psql(f"""
        SELECT count(*) FILTER (WHERE br.applied_at IS NULL OR br.change_id IS NULL
                                   OR ch.n <> 1 OR pe.n <> 1 OR p.bsn <> br.bsn),
               count(DISTINCT br.participant_id)
          FROM batch_rows br
          JOIN participants p ON p.id = br.participant_id
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM participant_changes c
                               WHERE c.participant_id = br.participant_id) ch
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM participant_periods x
                               WHERE x.participant_id = br.participant_id
                                 AND x.superseded_at IS NULL) pe
         WHERE br.batch_id = '{bid}'""")
    assert per_row == f"0|{total}"
    assert f.cluster.psql(f"SELECT count(*) FROM participants WHERE scheme_id = '{scheme}'") \
        == str(before + total)
    n, distinct = f.cluster.psql("SELECT count(*), count(DISTINCT bsn) FROM participants"
                                 f" WHERE scheme_id = '{scheme}'").split("|")
    assert n == distinct
    assert f.cluster.psql(f"SELECT count(*) FROM participant_changes"
                          f" WHERE registered_by_batch_id = '{bid}'") == str(total)
    assert f.cluster.psql("SELECT count(*) FROM audit_events WHERE action ="
                          f" 'participant.registered' AND changes -> 'batch_id' ->> 'to' = '{bid}'"
                          ) == str(total)
    assert f.cluster.psql(f"SELECT count(*) FROM scheme_locks WHERE batch_id = '{bid}'") == "0"
