"""Exports as of any date (issue 6): the hand-worked example with a
retroactive change and a cancellation, both formats read back, formula
neutralising, history, visibility and expiry."""
import csv
import io
import time

import openpyxl
import pytest

from helpers import unique
from org_helpers import new_scheme, problem
from participant_helpers import change, days, iso, participant_world, register, today


def wait_ready(actor, export_id, timeout=30):
    deadline = time.time() + timeout
    while True:
        r = actor.get(f"/api/v1/exports/{export_id}")
        assert r.status_code == 200, r.text
        if r.json()["status"] in ("ready", "failed"):
            return r.json()
        assert time.time() < deadline, r.text
        time.sleep(0.2)


def export(actor, scheme_ids, as_of, fmt="csv", **headers):
    r = actor.post("/api/v1/exports", json={"scheme_ids": scheme_ids, "as_of": iso(as_of), "format": fmt},
                   headers=headers or None)
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["status"] in ("pending", "ready") and r.headers["Location"].endswith(body["id"])
    done = wait_ready(actor, body["id"])
    assert done["status"] == "ready", done
    f = actor.get(f"/api/v1/exports/{body['id']}/file")
    assert f.status_code == 200, f.text
    return done, f


def csv_rows(f):
    assert f.headers["Content-Type"].startswith("text/csv")
    assert f.content.count(b"\r\n") >= 1 and b"\n" not in f.content.replace(b"\r\n", b"")
    return list(csv.DictReader(io.StringIO(f.content.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def pw(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


@pytest.fixture(scope="module")
def example(pw):
    """Worked example in a scheme of its own:
         A starts T0 at 40000.00; a retroactive salary change to 45000.00 from T1.
         B starts T0 at 50000.00; terminated at T2, then the termination is cancelled.
         C starts in the future (T3).
    """
    scheme = new_scheme(pw.staff, pw.emp["id"], "pension", number=unique("EX"))["id"]
    t = today()
    T0, T1, T2, T3 = days(t, -60), days(t, -30), days(t, -10), days(t, 30)
    a = register(pw.hr, scheme, start=T0, salary="40000.00", surname="Aalbers", surname_prefix=None,
                 first_name="Anna", initials="A.").json()
    b = register(pw.hr, scheme, start=T0, salary="50000.00", surname="Bakker", surname_prefix=None,
                 first_name="Bert", initials="B.").json()
    c = register(pw.hr, scheme, start=T3, salary="60000.00", surname="Claessen", surname_prefix=None,
                 first_name="Cor", initials="C.").json()
    change(pw.hr, a["id"], {"type": "salary_change", "effective_date": iso(T1), "salary": "45000.00"})
    termination = change(pw.hr, b["id"], {"type": "termination", "effective_date": iso(T2)}).json()
    return {"scheme": scheme, "a": a, "b": b, "c": c, "termination": termination,
            "T0": T0, "T1": T1, "T2": T2, "T3": T3}


def by_name(rows):
    return {r["display_name"].split(",")[0]: r for r in rows}


def test_as_of_export_follows_retroactive_changes_and_cancellations(pw, example):
    s, t = example["scheme"], today()
    _, f = export(pw.hr, [s], days(t, -45))
    rows = by_name(csv_rows(f))
    assert set(rows) == {"Aalbers", "Bakker"}  # C has not started yet
    assert rows["Aalbers"]["salary"] == "40000.00" and rows["Bakker"]["status"] == "active"
    assert list(rows["Aalbers"].keys())[:9] == ["participant_number", "display_name", "bsn", "birth_date",
                                                  "gender", "employment_start", "employment_end", "salary",
                                                  "parttime_percentage"]
    # As of today: A's retroactive raise applies, B's termination too.
    _, f = export(pw.hr, [s], t)
    rows = by_name(csv_rows(f))
    assert rows["Aalbers"]["salary"] == "45000.00"
    assert rows["Bakker"]["status"] == "dormant" and rows["Bakker"]["employment_end"] == iso(example["T2"])
    assert rows["Aalbers"]["scheme_number"].startswith("EX") and rows["Aalbers"]["employment_start"] == iso(example["T0"])
    # Cancel the mistaken termination: every as-of view follows.
    r = pw.hr.post(f"/api/v1/changes/{example['termination']['id']}/cancel", json={"reason": "Per abuis"})
    assert r.status_code in (200, 201), r.text
    _, f = export(pw.hr, [s], t)
    rows = by_name(csv_rows(f))
    assert rows["Bakker"]["status"] == "active" and rows["Bakker"]["employment_end"] == ""
    _, f = export(pw.hr, [s], days(t, 40))
    rows = by_name(csv_rows(f))
    assert set(rows) == {"Aalbers", "Bakker", "Claessen"} and rows["Claessen"]["salary"] == "60000.00"


def test_xlsx_has_real_numbers_dates_and_a_frozen_header(pw, example):
    done, f = export(pw.hr, [example["scheme"]], today(), "xlsx")
    assert f.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in f.headers["Content-Disposition"] and ".xlsx" in f.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(f.content))
    sheet = book.active
    keys = [c.value for c in sheet[1]]
    assert keys[:3] == ["participant_number", "display_name", "bsn"]
    assert sheet[2][1].value == "Naam"  # Dutch titles below the keys
    assert sheet.freeze_panes == "A3"
    data = {row[1].value.split(",")[0]: row for row in sheet.iter_rows(min_row=3)}
    salary = data["Aalbers"][keys.index("salary")]
    assert isinstance(salary.value, (int, float)) and abs(salary.value - 45000.0) < 0.001
    assert salary.number_format == "#,##0.00"
    start = data["Aalbers"][keys.index("employment_start")]
    assert start.is_date and start.value.date() == example["T0"]
    assert done["row_count"] == len(data) and done["size_bytes"] == len(f.content)


def test_formula_like_text_is_neutralised_in_both_formats(pw):
    scheme = new_scheme(pw.staff, pw.emp["id"], "pension")["id"]
    register(pw.hr, scheme, surname="=HYPERLINK(\"http://x.example\")", surname_prefix=None,
             first_name="@Evil", initials="E.")
    _, f = export(pw.hr, [scheme], today())
    name = csv_rows(f)[0]["display_name"]
    assert name.startswith("'=HYPERLINK")
    _, f = export(pw.hr, [scheme], today(), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(f.content)).active
    cell = sheet.cell(row=3, column=2)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


def test_bsn_in_exports_follows_the_right_to_see_it(pw, example):
    _, f = export(pw.hr, [example["scheme"]], today())
    assert all(len(r["bsn"]) == 9 and r["bsn"].isdigit() for r in csv_rows(f))
    # hr_read cannot export at all; a read-write intermediary sees the full BSN like hr.
    problem(pw.hr_read.post("/api/v1/exports", json={"scheme_ids": [example["scheme"]], "as_of": iso(today())}),
            403, "forbidden")
    # Nor see or download one someone else made: finance sees the scheme,
    # hr_read its participants without their BSNs; neither may export.
    ready = pw.hr.get("/api/v1/exports", params={"limit": 1}).json()["items"][0]
    for reader in (pw.finance, pw.hr_read):
        assert ready["id"] not in [i["id"] for i in reader.get("/api/v1/exports").json()["items"]]
        problem(reader.get(f"/api/v1/exports/{ready['id']}"), 403, "forbidden")
        problem(reader.get(f"/api/v1/exports/{ready['id']}/file"), 403, "forbidden")
    assert pw.admin.get(f"/api/v1/exports/{ready['id']}/file").status_code == 200


def test_history_visibility_and_errors(pw, example, cluster):
    done, _ = export(pw.hr, [example["scheme"]], today())
    items = pw.admin.get("/api/v1/exports").json()["items"]
    mine = next(i for i in items if i["id"] == done["id"])
    assert mine["as_of"] == iso(today()) and mine["format"] == "csv" and mine["created_by"]["name"]
    # Another employer's administrator sees nothing of it.
    assert done["id"] not in [i["id"] for i in pw.admin2.get("/api/v1/exports").json()["items"]]
    problem(pw.admin2.get(f"/api/v1/exports/{done['id']}"), 404, "not_found")
    problem(pw.admin2.get(f"/api/v1/exports/{done['id']}/file"), 404, "not_found")
    # A user scoped to another scheme does not see it either.
    assert done["id"] not in [i["id"] for i in pw.scoped.get("/api/v1/exports").json()["items"]]
    problem(pw.admin2.post("/api/v1/exports", json={"scheme_ids": [example["scheme"]], "as_of": iso(today())}),
            404, "not_found")
    problem(pw.finance.post("/api/v1/exports", json={"scheme_ids": [example["scheme"]], "as_of": iso(today())}),
            403, "forbidden")
    problem(pw.hr.post("/api/v1/exports", json={"scheme_ids": [example["scheme"]], "as_of": "2024-02-30"}),
            422, "validation_failed")
    problem(pw.hr.post("/api/v1/exports", json={"scheme_ids": [], "as_of": iso(today())}), 422, "validation_failed")
    problem(pw.hr.post("/api/v1/exports", json={"scheme_ids": "x", "as_of": iso(today())}), 400, "invalid_request")
    problem(pw.hr.post("/api/v1/exports", json={"scheme_ids": [example["scheme"]], "as_of": iso(today()),
                                                "format": "pdf"}), 422, "validation_failed")
    # Audited: creation and download.
    actions = cluster.psql(f"SELECT string_agg(action, ',' ORDER BY id) FROM audit_events WHERE target_id = '{done['id']}'")
    assert actions == "export.created,export.downloaded"


def test_expired_and_unfinished_exports(pw, example, cluster):
    done, _ = export(pw.hr, [example["scheme"]], today())
    cluster.psql(f"UPDATE exports SET expires_at = now() - interval '1 second' WHERE id = '{done['id']}'")
    problem(pw.hr.get(f"/api/v1/exports/{done['id']}/file"), 410, "gone")
    assert pw.hr.get(f"/api/v1/exports/{done['id']}").json()["status"] == "expired"
    pending = cluster.psql(
        "INSERT INTO exports (organisation_id, created_by_name, scheme_ids, as_of, format)"
        f" VALUES ('{pw.emp['id']}', 'Test', ARRAY['{example['scheme']}']::uuid[], current_date, 'csv') RETURNING id"
    ).splitlines()[0]
    r = pw.hr.get(f"/api/v1/exports/{pending}/file")
    problem(r, 409, "export_not_ready")
    assert r.headers["Retry-After"]


def test_idempotent_export_request(pw, example):
    key = {"Idempotency-Key": unique("exp")}
    body = {"scheme_ids": [example["scheme"]], "as_of": iso(today()), "format": "csv"}
    a = pw.hr.post("/api/v1/exports", json=body, headers=key)
    b = pw.hr.post("/api/v1/exports", json=body, headers=key)
    assert a.status_code == b.status_code == 202 and a.json()["id"] == b.json()["id"]


def test_export_whose_job_gives_up_is_marked_failed(pw, example, cluster):
    """When every attempt of the build fails, the export ends as failed in the
    history (not pending for ever) and its file answers 409 without Retry-After."""
    cluster.psql("ALTER FUNCTION portal_export_rows(uuid[], date, boolean, boolean) RENAME TO portal_export_rows_away")
    try:
        pending = cluster.psql(
            "INSERT INTO exports (organisation_id, created_by_name, scheme_ids, as_of, format)"
            f" VALUES ('{pw.emp['id']}', 'Test', ARRAY['{example['scheme']}']::uuid[], current_date, 'csv')"
            " RETURNING id").splitlines()[0]
        cluster.psql("INSERT INTO jobs (kind, payload, max_attempts)"
                     f" VALUES ('export', jsonb_build_object('export_id', '{pending}'), 2)")
        cluster.psql("NOTIFY portal_jobs")
        # The second attempt comes after the first backoff (5 s).
        done = wait_ready(pw.hr, pending, timeout=30)
    finally:
        cluster.psql("ALTER FUNCTION portal_export_rows_away(uuid[], date, boolean, boolean) RENAME TO portal_export_rows")
    assert done["status"] == "failed"
    r = pw.hr.get(f"/api/v1/exports/{pending}/file")
    problem(r, 409, "export_not_ready")
    assert "Retry-After" not in r.headers
    listed = pw.hr.get("/api/v1/exports", params={"limit": 100}).json()["items"]
    assert [e["status"] for e in listed if e["id"] == pending] == ["failed"]
    # The next export builds again.
    again, _ = export(pw.hr, [example["scheme"]], today())
    assert again["status"] == "ready"


def test_an_office_export_shows_in_the_employers_audit_log(pw, cluster):
    """An adviser's office with a read-write mandate may export (full BSNs,
    like hr); the employer whose participants they are sees that it did, and
    that it downloaded the file, in its own audit log."""
    done, _ = export(pw.int_write, [pw.pension["id"]], today())
    r = pw.admin.get("/api/v1/audit-events", params={"target_id": done["id"]})
    assert r.status_code == 200, r.text
    assert sorted(e["action"] for e in r.json()["items"]) == ["export.created", "export.downloaded"]
    assert all(e["actor"]["user_id"] == pw.int_write.id for e in r.json()["items"])
    # The office keeps its own record too.
    assert cluster.psql(f"SELECT count(*) FROM audit_events WHERE target_id = '{done['id']}'"
                        f" AND organisation_id = '{pw.office_rw['id']}'") == "2"
    # The office's export stays the office's: not in the employer's history.
    assert done["id"] not in [i["id"] for i in pw.admin.get("/api/v1/exports").json()["items"]]
