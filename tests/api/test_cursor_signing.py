"""Page cursors are signed by the server: a cursor anyone could compute (the
old unkeyed SHA-256 check) or one whose keys have the wrong types answers 400
invalid_cursor, never 500, and client text never writes a log line of its
own."""
import base64
import hashlib
import json

import pytest

from helpers import create_org, invite, staff_session, unique, user_session


def problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["code"] == code, r.text
    return r.json()


def unkeyed_cursor(values, check_len=8):
    """A cursor as anyone could make one: JSON plus a plain SHA-256 prefix."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    raw += hashlib.sha256(raw).digest()[:check_len]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture(scope="module")
def staff(api, mail, server):
    return staff_session(api, mail, server)


@pytest.fixture(scope="module")
def admin(api, mail, staff):
    org = create_org(api, staff, "employer", unique("Cursorbakkerij "))
    return user_session(api, mail, staff, organisation_id=org["id"], rights=["user_management"])


FORGED = [
    ["users:name", "x", "y", "not-a-uuid"],
    ["users:name", "x\nevent=login_succeeded username=admin", "y", "also\nnot-a-uuid"],
    ["users:name", 1, {"a": 1}, None],
]


@pytest.mark.parametrize("values", FORGED)
@pytest.mark.parametrize("check_len", [8, 16])
def test_users_list_refuses_unkeyed_cursors(api, admin, values, check_len):
    cursor = unkeyed_cursor(values, check_len)
    problem(api.get("/api/v1/users", params={"cursor": cursor}, headers=admin["headers"]),
            400, "invalid_cursor")


@pytest.mark.parametrize("values", [
    ["organisations:name", "x", "not-a-uuid"],
    ["organisations:name", "x\nevent=forged", "y\n"],
    ["organisations:name", 5, 6],
])
def test_organisations_list_refuses_unkeyed_cursors(api, staff, values):
    problem(api.get("/api/v1/organisations", params={"cursor": unkeyed_cursor(values)}, headers=staff),
            400, "invalid_cursor")


def test_server_cursor_works_and_an_edited_one_does_not(api, admin):
    headers = admin["headers"]
    last = unique("Cursor")
    for first in ("Bram", "Cor", "Dirk"):
        invite(api, headers, first_name=first, last_name=last, rights=["hr_read"])
    page1 = api.get(f"/api/v1/users?q={last}&limit=2", headers=headers).json()
    cursor = page1["next_cursor"]
    assert cursor
    page2 = api.get(f"/api/v1/users?q={last}&limit=2&cursor={cursor}", headers=headers)
    assert page2.status_code == 200 and [u["first_name"] for u in page2.json()["items"]] == ["Dirk"]
    # Same keys with a recomputed unkeyed check: refused.
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    body = json.loads(raw[:raw.rindex(b"]") + 1])
    problem(api.get("/api/v1/users", params={"cursor": unkeyed_cursor(body, 16)}, headers=headers),
            400, "invalid_cursor")
    # The keys changed under the server's check: refused.
    body[1] = "A"
    edited = json.dumps(body, separators=(",", ":")).encode() + raw[raw.rindex(b"]") + 1:]
    edited_text = base64.urlsafe_b64encode(edited).decode().rstrip("=")
    problem(api.get("/api/v1/users", params={"cursor": edited_text}, headers=headers),
            400, "invalid_cursor")


def test_no_forged_log_line(api, admin, server):
    problem(api.get("/api/v1/users", params={"cursor": unkeyed_cursor(FORGED[1])},
                    headers=admin["headers"]), 400, "invalid_cursor")
    for line in server.read_log().splitlines():
        assert "event=login_succeeded username=admin" not in line
        assert "event=forged" not in line
