"""Publishing a document, as the other creating POSTs: an Idempotency-Key
replays the first answer for the same upload (one document, one
notification) and refuses another upload under the same key; and an upload
without valid credentials is refused before any of its bytes reach the
disk (the upload spool counts it as refused, never as spooled)."""
import re

import pytest
import requests

from document_helpers import CSV, PDF, document_world
from helpers import unique
from org_helpers import problem


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return document_world(api, mail, server, cluster)


def post(actor, w, key, content=PDF, title=None, file_name="factuur.pdf"):
    data = {"organisation_id": w.emp["id"], "kind": "invoice", "title": title or "Factuur",
            "document_date": "2026-11-30"}
    return actor.post("/api/v1/documents", data=data, timeout=120, headers={"Idempotency-Key": key},
                      files={"file": (file_name, content, "application/octet-stream")})


def count_documents(w, title):
    return int(w.cluster.psql(f"SELECT count(*) FROM documents WHERE title = '{title}'"))


def test_same_key_and_upload_replays_the_first_answer(w):
    key, title = unique("doc-key-"), unique("Factuur ")
    first = post(w.staff, w, key, title=title)
    assert first.status_code == 201, first.text
    again = post(w.staff, w, key, title=title)
    assert again.status_code == 201, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert count_documents(w, title) == 1
    # A new key publishes again.
    assert post(w.staff, w, unique("doc-key-"), title=title).status_code == 201
    assert count_documents(w, title) == 2


@pytest.mark.parametrize("change", ["file", "title"])
def test_same_key_with_another_upload_is_refused(w, change):
    key, title = unique("doc-key-"), unique("Factuur ")
    assert post(w.staff, w, key, title=title).status_code == 201
    if change == "file":
        r = post(w.staff, w, key, content=PDF + b"% another\n", title=title)
    else:
        r = post(w.staff, w, key, title=title + " b")
    problem(r, 422, "idempotency_key_reused")
    assert count_documents(w, title) == 1


def test_a_refused_upload_leaves_the_key_free(w):
    key, title = unique("doc-key-"), unique("Factuur ")
    r = w.staff.post("/api/v1/documents", timeout=120, headers={"Idempotency-Key": key},
                     data={"organisation_id": w.emp["id"], "kind": "invoice", "title": title},
                     files={"file": ("f.csv", CSV, "application/octet-stream")})
    problem(r, 422)
    assert post(w.staff, w, key, title=title).status_code == 201


def upload_counts(server):
    text = requests.get(server.url + "/metrics", timeout=30).text
    found = dict(re.findall(r"^(portal_upload_spools_total|portal_uploads_refused_total) (\d+)$",
                            text, re.M))
    return int(found["portal_upload_spools_total"]), int(found["portal_uploads_refused_total"])


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Bearer pat_unknown"])
def test_an_unauthenticated_upload_is_refused_before_it_is_spooled(w, server, authorization):
    spooled, refused = upload_counts(server)
    headers = {"Authorization": authorization} if authorization else {}
    r = requests.post(server.url + "/api/v1/documents", timeout=120, headers=headers,
                      data={"organisation_id": w.emp["id"], "kind": "invoice", "title": "x"},
                      files={"file": ("f.pdf", PDF + b"0" * (2 * 1024 * 1024), "application/pdf")})
    problem(r, 401, "unauthorized")
    assert upload_counts(server) == (spooled, refused + 1)
    # An authenticated upload is spooled as before.
    assert post(w.staff, w, unique("doc-key-")).status_code == 201
    assert upload_counts(server) == (spooled + 1, refused + 1)
