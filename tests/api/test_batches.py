"""Collective changes (DESIGN.md §4.4, seed 001 §4.4): upload as multipart
and as a raw body, every row checked with the individual rules and each
error at its row and column, submit with and without skipping invalid rows,
discard, background processing with the batch id in the history, the scheme
lock, hostile files, rights and the payroll-software path with an API token
and Idempotency-Key. Against the real server."""
import io
import subprocess
import time
import uuid
import zipfile

import openpyxl
import pytest

from conftest import BINARY
from helpers import body_of, mail_to

from org_helpers import new_scheme, problem
from participant_helpers import (add_months, bad_bsn, change, days, detail, history, iso,
                                 new_bsn, new_number, participant_world, register, today)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALARY_HEADER = ["participant_number", "display_name", "birth_date", "salary",
                 "parttime_percentage", "new_salary", "new_parttime_percentage"]
NEW_HEADER = ["participant_number", "first_name", "initials", "surname_prefix", "surname",
              "birth_date", "gender", "bsn", "email", "street", "house_number", "postal_code",
              "city", "country", "start_date", "salary", "parttime_percentage"]


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


def csv_bytes(header, rows, sep=","):
    lines = [sep.join(header)] + [sep.join(str(c) for c in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(actor, scheme_id, content, kind="salary_change", effective=None, filename="b.csv",
           ctype="text/csv", headers=None, submit=None):
    data = {"scheme_id": scheme_id, "kind": kind}
    if kind == "salary_change":
        data["effective_date"] = effective or iso(today())
    if submit is not None:
        data["submit"] = "true" if submit else "false"
    return actor.post("/api/v1/batches", files={"file": (filename, content, ctype)}, data=data,
                      headers=headers)


def accepted(r):
    assert r.status_code == 202, r.text
    b = r.json()
    assert r.headers["Location"] == f"/api/v1/batches/{b['id']}"
    return b


def wait_for(actor, batch_id, statuses=("processed", "failed")):
    """Polls until the batch reaches one of statuses (the worker runs it)."""
    deadline = time.time() + 120
    while True:
        b = actor.get(f"/api/v1/batches/{batch_id}").json()
        if b["status"] in statuses or time.time() > deadline:
            return b
        time.sleep(0.2)


def errors_of(actor, batch_id, **params):
    r = actor.get(f"/api/v1/batches/{batch_id}/errors", params=dict({"limit": 200}, **params))
    assert r.status_code == 200, r.text
    return r.json()


def scheme_with(w, n=3, kind="pension", start_days=-60, salary="40000.00"):
    """A fresh scheme with n participants started start_days ago."""
    s = new_scheme(w.staff, w.emp["id"], kind)
    people = [register(w.hr, s["id"], start=days(today(), start_days), salary=salary,
                       number=new_number()).json() for _ in range(n)]
    return s, people


# --- salary change: happy path ------------------------------------------------------------

def test_salary_change_upload_submit_and_process(w, mail):
    s, people = scheme_with(w, 3)
    a, b, c = people
    rows = [[a["participant_number"], "", "", "", "", "45000.00", ""],
            [b["participant_number"], "", "", "", "", "", "80"],
            [c["participant_number"], "", "", "", "", "", ""]]  # unchanged: skipped
    r = upload(w.hr, s["id"], csv_bytes(SALARY_HEADER, rows), effective=iso(today()))
    batch = accepted(r)
    assert set(batch) >= {"id", "scheme_id", "kind", "effective_date", "status", "row_count",
                          "valid_row_count", "error_count", "created_at", "created_by"}
    assert batch["status"] == "valid" and batch["kind"] == "salary_change"
    assert batch["row_count"] == 2 and batch["valid_row_count"] == 2
    assert batch["error_count"] == 0 and batch["effective_date"] == iso(today())
    assert batch["created_by"]["kind"] == "user"
    # Nothing is applied before the user confirms.
    assert detail(w.hr, a["id"])["employment"]["salary"] == "40000.00"
    r = w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={"skip_invalid_rows": False})
    assert r.status_code == 202, r.text
    assert r.json()["status"] in ("queued", "processing", "processed")
    done = wait_for(w.hr, batch["id"])
    assert done["status"] == "processed" and done["applied_row_count"] == 2
    assert detail(w.hr, a["id"])["employment"]["salary"] == "45000.00"
    assert detail(w.hr, b["id"])["employment"]["parttime_percentage"] == "80.000"
    assert detail(w.hr, c["id"])["employment"]["salary"] == "40000.00"
    top = history(w.hr, a["id"])[0]
    assert top["type"] == "salary_change" and top["batch_id"] == batch["id"]
    assert top["registered_by"]["kind"] == "batch"
    listed = w.hr.get("/api/v1/batches", params={"scheme_id": s["id"]}).json()["items"]
    assert [x["id"] for x in listed] == [batch["id"]]
    assert w.hr.get("/api/v1/batches", params={"status": "processed"}).status_code == 200
    # The lock is gone with the batch.
    assert w.psql(f"SELECT count(*) FROM scheme_locks WHERE scheme_id = '{s['id']}'") == "0"
    # The uploader gets a mail with counts and a link, no personal data.
    m = mail_to(mail, w.hr.me["email"], "collectieve wijziging is verwerkt")
    text = body_of(m)
    assert f"/batches/{batch['id']}" in text and "Verwerkt: 2" in text
    assert a["participant_number"] not in text
    # Audited: the upload and the submit.
    actions = w.psql("SELECT string_agg(action, ',' ORDER BY occurred_at) FROM audit_events"
                     f" WHERE target_id = '{batch['id']}'")
    assert actions.startswith("batch.uploaded,batch.submitted") and "batch.processed" in actions
    applied = w.psql("SELECT count(*) FROM audit_events WHERE action ="
                     " 'participant.change_registered' AND changes -> 'batch_id' ->> 'to' ="
                     f" '{batch['id']}'")
    assert applied == "2"


def test_xlsx_upload_with_labels_and_numbers(w):
    s, (a, b) = scheme_with(w, 2)
    content = xlsx_bytes(SALARY_HEADER, [[a["participant_number"], "x", None, 40000, 100,
                                          46000.5, None],
                                         [int(b["participant_number"]), "y", None, 40000, 100,
                                          None, 60]])
    batch = accepted(upload(w.hr, s["id"], content, filename="b.xlsx", ctype=XLSX))
    assert batch["status"] == "valid", errors_of(w.hr, batch["id"])
    assert batch["valid_row_count"] == 2 and batch["file_format"] == "xlsx"


def test_raw_csv_body_with_api_token_idempotency_and_submit(w):
    s, (a,) = scheme_with(w, 1)
    body = csv_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "", "", "50000", ""]])
    key = str(uuid.uuid4())
    params = {"scheme_id": s["id"], "kind": "salary_change", "effective_date": iso(today()),
              "submit": "true"}
    r = w.token.post("/api/v1/batches", params=params, data=body,
                     headers={"Content-Type": "text/csv", "Idempotency-Key": key})
    batch = accepted(r)
    assert batch["status"] == "queued" and batch["created_by"]["kind"] == "api_token"
    again = w.token.post("/api/v1/batches", params=params, data=body,
                         headers={"Content-Type": "text/csv", "Idempotency-Key": key})
    assert again.status_code == 202 and again.json()["id"] == batch["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert wait_for(w.token, batch["id"])["status"] == "processed"
    assert detail(w.hr, a["id"])["employment"]["salary"] == "50000.00"


def test_the_same_file_while_unfinished_is_409_with_the_earlier_batch(w):
    s, (a,) = scheme_with(w, 1)
    content = csv_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "", "", "41000", ""]])
    first = accepted(upload(w.hr, s["id"], content))
    r = upload(w.hr, s["id"], content)
    body = problem(r, 409, "batch_duplicate_file")
    assert body["batch_id"] == first["id"]
    # Discarded, the file may come again.
    r = w.hr.post(f"/api/v1/batches/{first['id']}/discard")
    assert r.status_code == 200 and r.json()["status"] == "discarded"
    accepted(upload(w.hr, s["id"], content))


# --- every error at its row and column ------------------------------------------------------

def test_every_salary_error_at_its_row_and_column(w):
    t = today()
    s, (a, b, c, d) = scheme_with(w, 4)
    change(w.hr, d["id"], {"type": "termination", "effective_date": iso(days(t, -5))})
    rows = [[a["participant_number"], "", "", "", "", "42000", ""],      # row 2 fine
            ["999999999", "", "", "", "", "42000", ""],                  # 3 unknown
            [a["participant_number"], "", "", "", "", "43000", ""],      # 4 duplicate
            [b["participant_number"], "", "", "", "", "-5", "0"],        # 5 bad values
            [c["participant_number"], "", "", "", "", "40000.00", ""],   # 6 no change
            [d["participant_number"], "", "", "", "", "42000", ""],      # 7 dormant
            ["", "", "", "", "", "42000", ""]]                           # 8 required
    batch = accepted(upload(w.hr, s["id"], csv_bytes(SALARY_HEADER, rows)))
    assert batch["status"] == "invalid"
    assert batch["row_count"] == 7 and batch["valid_row_count"] == 1
    items = errors_of(w.hr, batch["id"])["items"]
    got = {(e["row"], e["column"], e["field"], e["code"]) for e in items}
    assert got == {
        (3, "A", "participant_number", "unknown_participant"),
        (4, "A", "participant_number", "duplicate_in_file"),
        (5, "F", "new_salary", "salary_invalid"),
        (5, "G", "new_parttime_percentage", "parttime_percentage_invalid"),
        (6, "F", "new_salary", "no_change"),
        (7, "A", "participant_number", "participant_dormant"),
        (8, "A", "participant_number", "required"),
    }
    assert batch["error_count"] == len(items)
    assert all(e["message"] for e in items)
    en = w.hr.get(f"/api/v1/batches/{batch['id']}/errors",
                  headers={"Accept-Language": "en"}).json()["items"]
    nl = {e["row"]: e["message"] for e in items}
    assert any(e["message"] != nl[e["row"]] for e in en)
    # Errors: confirming is refused unless only the valid rows are applied.
    problem(w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={}), 409, "batch_has_errors")
    r = w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={"skip_invalid_rows": True})
    assert r.status_code == 202, r.text
    done = wait_for(w.hr, batch["id"])
    assert done["status"] == "processed" and done["applied_row_count"] == 1
    assert detail(w.hr, a["id"])["employment"]["salary"] == "42000.00"
    assert detail(w.hr, b["id"])["employment"]["salary"] == "40000.00"
    # Submitted once: not again, and not discarded.
    problem(w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={}), 409,
            "batch_not_submittable")
    problem(w.hr.post(f"/api/v1/batches/{batch['id']}/discard"), 409, "batch_not_discardable")


def test_errors_are_paginated(w):
    s, _ = scheme_with(w, 1)
    rows = [[f"88{i:05d}", "", "", "", "", "1", ""] for i in range(7)]
    batch = accepted(upload(w.hr, s["id"], csv_bytes(SALARY_HEADER, rows)))
    page = errors_of(w.hr, batch["id"], limit=3)
    seen = [e["row"] for e in page["items"]]
    while page["next_cursor"]:
        page = errors_of(w.hr, batch["id"], limit=3, cursor=page["next_cursor"])
        seen += [e["row"] for e in page["items"]]
    assert seen == list(range(2, 9))


def test_effective_date_window_and_review(w):
    t = today()
    s, (a,) = scheme_with(w, 1, start_days=-200)
    r = upload(w.hr, s["id"], csv_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "",
                                                         "", "1", ""]]),
               effective=iso(days(add_months(t, 3), 1)))
    body = problem(r, 422, "effective_date_out_of_range")
    assert body["errors"][0]["field"] == "/effective_date"
    # More than three months back: every row waits for review, as individually.
    batch = accepted(upload(w.hr, s["id"], csv_bytes(SALARY_HEADER, [[a["participant_number"],
                                                                      "", "", "", "", "47000",
                                                                      ""]]),
                            effective=iso(days(add_months(t, -3), -1))))
    assert batch["status"] == "valid" and batch["review_row_count"] == 1
    w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={})
    assert wait_for(w.hr, batch["id"])["status"] == "processed"
    top = history(w.hr, a["id"])[0]
    assert top["status"] == "pending_review" and top["batch_id"] == batch["id"]
    assert detail(w.hr, a["id"])["employment"]["salary"] == "40000.00"


def test_missing_columns_and_decimal_comma(w):
    s, (a,) = scheme_with(w, 1)
    batch = accepted(upload(w.hr, s["id"], csv_bytes(["participant_number", "salary"],
                                                     [[a["participant_number"], "1"]])))
    items = errors_of(w.hr, batch["id"])["items"]
    assert {(e["row"], e["field"], e["code"]) for e in items} == {
        (1, "new_salary", "column_missing"), (1, "new_parttime_percentage", "column_missing")}
    # Labels in Dutch or English, in any order, instead of the keys.
    content = csv_bytes(["Nieuw salaris", "Participant number", "New part-time percentage"],
                        [["43000", a["participant_number"], ""]])
    batch = accepted(upload(w.hr, s["id"], content))
    assert batch["status"] == "valid", errors_of(w.hr, batch["id"])
    content = csv_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "", "", "52242,28",
                                         "80,5"]], sep=";")
    batch = accepted(upload(w.hr, s["id"], content))
    assert batch["status"] == "valid", errors_of(w.hr, batch["id"])


# --- new participants -----------------------------------------------------------------------

def new_row(**kw):
    row = {"participant_number": "", "first_name": "Piet", "initials": "P.",
           "surname_prefix": "de", "surname": "Vries", "birth_date": "1985-03-04",
           "gender": "male", "bsn": new_bsn(), "email": "", "street": "Dorpsstraat",
           "house_number": "1", "postal_code": "1234 AB", "city": "Utrecht", "country": "NL",
           "start_date": iso(days(today(), -10)), "salary": "36000.00",
           "parttime_percentage": "100"}
    row.update(kw)
    return [row[k] for k in NEW_HEADER]


def test_new_participants_are_registered_through_a_batch(w):
    s = new_scheme(w.staff, w.emp["id"], "pension")
    number = new_number()
    rows = [new_row(participant_number=number),
            new_row(birth_date="04-03-1950", start_date=iso(today())),  # 67+: review
            new_row(first_name="Jan", initials="")]
    content = xlsx_bytes(NEW_HEADER, rows)
    batch = accepted(upload(w.hr, s["id"], content, kind="new_participants", filename="n.xlsx",
                            ctype=XLSX))
    assert batch["status"] == "valid", errors_of(w.hr, batch["id"])
    assert batch["row_count"] == 3 and batch["review_row_count"] == 1
    w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={})
    assert wait_for(w.hr, batch["id"])["applied_row_count"] == 3
    listed = w.hr.get("/api/v1/participants", params={"scheme_id": s["id"], "limit": 50}).json()
    assert len(listed["items"]) == 3
    mine = [p for p in listed["items"] if p["participant_number"] == number][0]
    h = history(w.hr, mine["id"])
    assert h[0]["type"] == "registration" and h[0]["batch_id"] == batch["id"]
    statuses = sorted(p["status"] for p in listed["items"])
    assert statuses == ["active", "active", "pending_review"]


def test_new_participant_errors(w):
    s = new_scheme(w.staff, w.emp["id"], "pension")
    existing = register(w.hr, s["id"], number=new_number()).json()
    bsn = new_bsn()
    rows = [new_row(bsn=bad_bsn()),                                         # 2
            new_row(bsn=bsn), new_row(bsn=bsn),                              # 3, 4 dup
            new_row(birth_date=iso(days(today(), -365 * 10))),              # 5 too young
            new_row(start_date=iso(days(add_months(today(), 3), 1))),      # 6 too far ahead
            new_row(surname="", gender="x-ray"),                            # 7
            new_row(participant_number=existing["participant_number"]),   # 8 number taken
            new_row(salary="12.345", postal_code="ABC")]                    # 9
    batch = accepted(upload(w.hr, s["id"], csv_bytes(NEW_HEADER, rows), kind="new_participants"))
    got = {(e["row"], e["column"], e["code"]) for e in errors_of(w.hr, batch["id"])["items"]}
    assert (2, "H", "invalid_bsn") in got
    assert (4, "H", "duplicate_in_file") in got and not any(r == 3 for r, _, _ in got)
    assert (5, "F", "birth_date_implausible") in got
    assert (6, "O", "effective_date_out_of_range") in got
    assert (7, "E", "required") in got and (7, "G", "gender_invalid") in got
    assert (8, "A", "not_unique") in got
    assert (9, "P", "salary_invalid") in got and (9, "L", "invalid_format") in got
    assert batch["valid_row_count"] == 1


def test_the_untouched_example_row_is_ignored(w):
    s = new_scheme(w.staff, w.emp["id"], "pension")
    example = new_row(bsn="111222333", first_name="Jan", surname="Vries", birth_date="1980-01-31")
    batch = accepted(upload(w.hr, s["id"], csv_bytes(NEW_HEADER, [example, new_row()]),
                            kind="new_participants"))
    assert batch["row_count"] == 1 and batch["status"] == "valid"


# --- hostile and wrong files ----------------------------------------------------------------

def test_wrong_and_hostile_files(w):
    s, (a,) = scheme_with(w, 1)
    good = csv_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "", "", "1", ""]])
    # Windows-1252: unreadable, with how to save as UTF-8.
    cp1252 = "participant_number,display_name,new_salary,new_parttime_percentage\r\n" \
             f"{a['participant_number']},Müller,1,\r\n"
    body = problem(upload(w.hr, s["id"], cp1252.encode("cp1252")), 422, "file_unreadable")
    assert "UTF-8" in body["detail"]
    # Legacy .xls and an encrypted workbook (OLE2): not a type we take.
    ole2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 2048
    problem(upload(w.hr, s["id"], ole2, filename="b.xls", ctype="application/vnd.ms-excel"),
            415, "unsupported_media_type")
    # A truncated workbook.
    xlsx = xlsx_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "", "", 1, None]])
    problem(upload(w.hr, s["id"], xlsx[: len(xlsx) // 2], filename="b.xlsx", ctype=XLSX), 422,
            "file_unreadable")
    # XXE: a DOCTYPE in the sheet.
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                at = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
                data = data[:at] + doctype + data[at:]
            z.writestr(item.filename, data)
    problem(upload(w.hr, s["id"], out.getvalue(), filename="b.xlsx", ctype=XLSX), 422,
            "file_unreadable")
    # A zip bomb: one part expanding far past the ratio cap.
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b"<!--" + b" " * (60 * 1024 * 1024) +
                                    b"--></worksheet>")
            z.writestr(item.filename, data)
    problem(upload(w.hr, s["id"], out.getvalue(), filename="b.xlsx", ctype=XLSX), 422,
            "file_unreadable")
    # Not a spreadsheet at all.
    problem(upload(w.hr, s["id"], b"\x7fELF" + b"\0" * 100, filename="b.csv"), 415,
            "unsupported_media_type")
    # Wrong request type and too large.
    problem(w.hr.post("/api/v1/batches", json={"scheme_id": s["id"]}), 415,
            "unsupported_media_type")
    big = b"participant_number\r\n" + b"1\r\n" * (7 * 1024 * 1024)  # 21 MiB
    problem(w.hr.post("/api/v1/batches", params={"scheme_id": s["id"], "kind": "salary_change",
                                                 "effective_date": iso(today())},
                      data=big, headers={"Content-Type": "text/csv"}, timeout=300), 413,
            "payload_too_large")
    accepted(upload(w.hr, s["id"], good))


def test_formula_looking_cells_stay_text(w):
    s = new_scheme(w.staff, w.emp["id"], "pension")
    rows = [new_row(first_name="=HYPERLINK(\"x\")", surname="+Vries")]
    batch = accepted(upload(w.hr, s["id"], csv_bytes(NEW_HEADER, rows), kind="new_participants"))
    assert batch["status"] == "valid", errors_of(w.hr, batch["id"])
    w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={})
    assert wait_for(w.hr, batch["id"])["status"] == "processed"
    p = w.hr.get("/api/v1/participants", params={"scheme_id": s["id"]}).json()["items"][0]
    assert p["display_name"].startswith("+Vries")


# --- rights ---------------------------------------------------------------------------------

def test_rights_and_other_organisations(w):
    s, (a,) = scheme_with(w, 1)
    content = csv_bytes(SALARY_HEADER, [[a["participant_number"], "", "", "", "", "1", ""]])
    problem(upload(w.hr_read, s["id"], content), 403, "forbidden")
    problem(upload(w.admin2, s["id"], content), 404, "not_found")
    batch = accepted(upload(w.hr, s["id"], content))
    problem(w.admin2.get(f"/api/v1/batches/{batch['id']}"), 404, "not_found")
    problem(w.admin2.get(f"/api/v1/batches/{batch['id']}/errors"), 404, "not_found")
    problem(w.admin2.post(f"/api/v1/batches/{batch['id']}/submit", json={}), 404, "not_found")
    assert batch["id"] not in [b["id"] for b in
                               w.admin2.get("/api/v1/batches").json()["items"]]
    problem(w.hr.get(f"/api/v1/batches/{uuid.uuid4()}"), 404, "not_found")


# --- the scheme lock ------------------------------------------------------------------------

def test_the_scheme_is_locked_while_the_batch_runs(w, cluster):
    s, (a, b) = scheme_with(w, 2)
    batch = accepted(upload(w.hr, s["id"], csv_bytes(
        SALARY_HEADER, [[a["participant_number"], "", "", "", "", "43000", ""]])))
    # Hold participant a's row: the job stops inside its chunk, the batch
    # stays processing and the lock stays.
    holder = subprocess.Popen(
        ["psql", "-X", "-q", "-h", cluster.sock, "-p", str(cluster.port), "-U", "postgres",
         "-d", "portal"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write(f"BEGIN; SELECT 1 FROM participants WHERE id = '{a['id']}' "
                           "FOR UPDATE;\n")
        holder.stdin.flush()
        deadline = time.time() + 60
        while w.psql("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                     " AND query LIKE '%FOR UPDATE%'") == "0" and time.time() < deadline:
            time.sleep(0.1)
        r = w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={})
        assert r.status_code == 202, r.text
        assert wait_for(w.hr, batch["id"], ("processing",))["status"] == "processing"
        body = {"type": "salary_change", "effective_date": iso(today()), "salary": "1.00"}
        problem(w.hr.post(f"/api/v1/participants/{b['id']}/changes", json=body), 409,
                "scheme_locked_by_batch")
    finally:
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert wait_for(w.hr, batch["id"])["status"] == "processed"
    change(w.hr, b["id"], {"type": "salary_change", "effective_date": iso(today()),
                           "salary": "1.00"})


def test_housekeeping_releases_a_lock_whose_batch_died(w, server):
    s, _ = scheme_with(w, 1)
    w.psql(f"INSERT INTO scheme_locks (scheme_id, batch_id, locked_at) VALUES ('{s['id']}',"
           " gen_random_uuid(), now() - interval '1 hour')")
    out = subprocess.run([BINARY, "maintenance"], env=server.env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert w.psql(f"SELECT count(*) FROM scheme_locks WHERE scheme_id = '{s['id']}'") == "0"


# --- templates and the errors file ----------------------------------------------------------

def test_salary_template_lists_active_participants_and_round_trips(w):
    t = today()
    s, (a, b, c) = scheme_with(w, 3)
    change(w.hr, c["id"], {"type": "termination", "effective_date": iso(days(t, -5))})
    r = w.hr.get(f"/api/v1/schemes/{s['id']}/templates/salary-change.xlsx",
                 params={"effective_date": iso(t)})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == XLSX
    assert "attachment" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Deelnemernummer" and rows[0][5] == "Nieuw salaris"
    numbers = [str(x[0]) for x in rows[1:]]
    assert numbers == sorted([a["participant_number"], b["participant_number"]])
    assert ws.protection.sheet
    assert ws.cell(row=2, column=1).protection.locked
    assert not ws.cell(row=2, column=6).protection.locked
    # Filled in F and uploaded as it is.
    ws.cell(row=2, column=6).value = 44000
    out = io.BytesIO()
    wb.save(out)
    batch = accepted(upload(w.hr, s["id"], out.getvalue(), filename="t.xlsx", ctype=XLSX))
    assert batch["status"] == "valid" and batch["row_count"] == 1, errors_of(w.hr, batch["id"])
    en = w.hr.get(f"/api/v1/schemes/{s['id']}/templates/salary-change.csv",
                  params={"effective_date": iso(t)}, headers={"Accept-Language": "en"})
    assert en.status_code == 200 and en.headers["Content-Type"].startswith("text/csv")
    assert en.text.splitlines()[0] == ",".join(SALARY_HEADER)
    problem(w.hr.get(f"/api/v1/schemes/{s['id']}/templates/salary-change.xlsx"), 400,
            "invalid_request")
    problem(w.hr_read.get(f"/api/v1/schemes/{s['id']}/templates/salary-change.csv",
                          params={"effective_date": iso(t)}), 403, "forbidden")
    problem(w.admin2.get(f"/api/v1/schemes/{s['id']}/templates/new-participants.csv"), 404,
            "not_found")


def test_new_participants_template_example_is_ignored_when_uploaded_untouched(w):
    s = new_scheme(w.staff, w.emp["id"], "pension")
    r = w.hr.get(f"/api/v1/schemes/{s['id']}/templates/new-participants.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    assert ws.max_row == 2
    batch = accepted(upload(w.hr, s["id"], r.content, kind="new_participants", filename="n.xlsx",
                            ctype=XLSX))
    assert batch["row_count"] == 0
    csv_t = w.hr.get(f"/api/v1/schemes/{s['id']}/templates/new-participants.csv")
    assert csv_t.text.splitlines()[0] == ",".join(NEW_HEADER)


def test_errors_file_holds_the_rows_with_their_errors(w):
    s, (a,) = scheme_with(w, 1)
    rows = [[a["participant_number"], "", "", "", "", "42000", ""],
            ["999999999", "=cmd|' /C calc'!A0", "", "", "", "abc", ""]]
    batch = accepted(upload(w.hr, s["id"], csv_bytes(SALARY_HEADER, rows)))
    r = w.hr.get(f"/api/v1/batches/{batch['id']}/errors.xlsx")
    assert r.status_code == 200 and r.headers["Content-Type"] == XLSX
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    got = list(ws.iter_rows(values_only=True))
    assert got[0][:7] == tuple(SALARY_HEADER) and got[0][7] == "Fout"
    assert got[1][7] in (None, "")
    assert "A:" in got[2][7] and "F:" in got[2][7]
    # A formula-looking cell stays text.
    assert got[2][1] == "=cmd|' /C calc'!A0"
    assert ws.cell(row=3, column=2).data_type == "s"
    problem(w.admin2.get(f"/api/v1/batches/{batch['id']}/errors.xlsx"), 404, "not_found")


# --- exactly once ----------------------------------------------------------------------------

def test_a_worker_dying_mid_chunk_applies_every_row_exactly_once(w, cluster):
    s, (a, b) = scheme_with(w, 2)
    batch = accepted(upload(w.hr, s["id"], csv_bytes(
        SALARY_HEADER, [[a["participant_number"], "", "", "", "", "43000", ""],
                        [b["participant_number"], "", "", "", "", "44000", ""]])))
    holder = subprocess.Popen(
        ["psql", "-X", "-q", "-h", cluster.sock, "-p", str(cluster.port), "-U", "postgres",
         "-d", "portal"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        holder.stdin.write(f"BEGIN; SELECT 1 FROM participants WHERE id = '{b['id']}' "
                           "FOR UPDATE;\n")
        holder.stdin.flush()
        deadline = time.time() + 60
        while w.psql("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
                     " AND query LIKE '%FOR UPDATE%'") == "0" and time.time() < deadline:
            time.sleep(0.1)
        assert w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={}).status_code == 202
        # The worker is inside its chunk, waiting for b: it dies there.
        waiting = ""
        while not waiting and time.time() < deadline:
            waiting = w.psql("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                             " AND query LIKE '%portal_batch_apply%' LIMIT 1")
            time.sleep(0.1)
        assert waiting, "the job did not reach its chunk"
        w.psql(f"SELECT pg_terminate_backend({waiting})")
    finally:
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    # Nothing of the chunk stands; the job is claimed again (its lease ended).
    w.psql("UPDATE jobs SET run_at = now(), locked_until = now() - interval '1 second'"
           f" WHERE kind = 'batch' AND payload ->> 'batch_id' = '{batch['id']}'"
           " AND status IN ('pending', 'running')")
    done = wait_for(w.hr, batch["id"])
    assert done["status"] == "processed" and done["applied_row_count"] == 2
    for p, salary in ((a, "43000.00"), (b, "44000.00")):
        mine = [c for c in history(w.hr, p["id"]) if c["batch_id"] == batch["id"]]
        assert len(mine) == 1 and mine[0]["data"]["salary"] == salary
        assert detail(w.hr, p["id"])["employment"]["salary"] == salary
