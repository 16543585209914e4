"""Sign-in hardening (security review): attempts reserved before the check,
known clients and the unlock link, the reset request's equal work, username
probing at activation, session-only changes, and unknown usernames kept out
of the audit log. Against the real server."""
import concurrent.futures
import hashlib

import pytest

from helpers import (PASSWORD, code_in, create_staff, enrol, invitation_token, link_token,
                     mail_to, new_staff, unique)
from org_helpers import new_scheme, world_of
from test_api_tokens import as_token, make_token
from test_identity import from_address, problem

UNLOCK_SUBJECT = "Inloggen op uw account is tijdelijk geblokkeerd"


@pytest.fixture
def staff(api, mail, server, cluster):
    """A fresh staff user, enrolled (so signed in once) from the test's own
    address, which is therefore a client known to the user."""
    username, email = new_staff(api, mail, server, prefix="hard")
    secret, tokens = enrol(api, username)
    return {"username": username, "email": email, "secret": secret, "tokens": tokens}


def login(session, api, username, password):
    return session.post(api.base + "/api/v1/auth/login", json={"username": username, "password": password})


# --- 4: the attempt is reserved in the statement that checks the counter ------------------

def test_a_parallel_burst_gets_one_guess_where_one_is_left(api, staff, cluster):
    name = staff["username"].lower()
    # Fourteen failures long ago: one attempt may go now, then the wait is 15 minutes.
    cluster.psql(f"INSERT INTO login_throttle (key, failures, last_failure_at) VALUES "
                 f"('user:{name}', 14, now() - interval '1000 seconds') ON CONFLICT (key) DO UPDATE"
                 f" SET failures = 14, last_failure_at = now() - interval '1000 seconds'")
    sessions = [from_address(f"198.51.100.{150 + i}") for i in range(16)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda s: login(s, api, staff["username"], "Wrong-password-1").status_code,
                                sessions))
    assert sorted(answers) == [401] + [429] * 15, answers
    assert cluster.psql(f"SELECT failures FROM login_throttle WHERE key = 'user:{name}'") == "15"


def test_a_right_password_gives_its_attempt_back(api, staff, cluster):
    s = from_address("198.51.100.170")
    for _ in range(3):
        assert login(s, api, staff["username"], PASSWORD).status_code == 200
    name = staff["username"].lower()
    assert cluster.psql(f"SELECT coalesce(sum(failures), 0) FROM login_throttle WHERE key IN "
                        f"('user:{name}', 'addr:198.51.100.170')") == "0"


# --- 5: known clients and the unlock link -----------------------------------------------

def test_many_failures_elsewhere_do_not_lock_the_user_out_of_a_known_client(api, staff, cluster):
    name = staff["username"].lower()
    # Someone elsewhere failed forty times, the last two seconds ago.
    cluster.psql(f"INSERT INTO login_throttle (key, failures, last_failure_at) VALUES "
                 f"('user:{name}', 40, now() - interval '2 seconds') ON CONFLICT (key) DO UPDATE"
                 f" SET failures = 40, last_failure_at = now() - interval '2 seconds'")
    problem(login(from_address("198.51.100.180"), api, staff["username"], PASSWORD), 429, "too_many_attempts")
    # From the client the user signed in from, the right password still works.
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    assert r.status_code == 200, r.text
    # Its own failures there count (on their own counter), five of them free.
    for _ in range(5):
        problem(api.post("/api/v1/auth/login", json={"username": staff["username"], "password": "Wrong-password-1"}),
                401, "invalid_credentials")
    assert cluster.psql(f"SELECT failures FROM login_throttle WHERE key LIKE 'known:{name}|%'") == "5"
    cluster.psql(f"DELETE FROM login_throttle WHERE key LIKE 'known:{name}|%' OR key = 'user:{name}'")


def test_a_throttled_account_gets_a_link_that_lifts_the_wait(api, mail, staff, cluster):
    stranger = from_address("198.51.100.190")
    for _ in range(5):
        problem(login(stranger, api, staff["username"], "Wrong-password-1"), 401, "invalid_credentials")
    token = link_token(mail_to(mail, staff["email"], UNLOCK_SUBJECT), "/unlock")
    # More failures later make the wait long: only the link lifts it now.
    name = staff["username"].lower()
    cluster.psql(f"UPDATE login_throttle SET failures = 15, last_failure_at = now() WHERE key = 'user:{name}'")
    problem(login(from_address("198.51.100.191"), api, staff["username"], PASSWORD), 429, "too_many_attempts")
    assert int(cluster.psql(f"SELECT count(*) FROM mail_outbox WHERE lower(to_address) = lower('{staff['email']}')"
                            f" AND subject = '{UNLOCK_SUBJECT}'")) == 1
    laptop = from_address("198.51.100.191")
    assert laptop.post(api.base + "/api/v1/auth/unlock", json={"token": token}).status_code == 204
    assert login(laptop, api, staff["username"], PASSWORD).status_code == 200
    # The link works once, and the client that used it is known from now on.
    problem(laptop.post(api.base + "/api/v1/auth/unlock", json={"token": token}), 422, "token_invalid")
    cluster.psql(f"INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ('user:{name}', 15,"
                 f" now() - interval '5 seconds') ON CONFLICT (key) DO UPDATE SET failures = 15,"
                 f" last_failure_at = now() - interval '5 seconds'")
    problem(login(stranger, api, staff["username"], PASSWORD), 429, "too_many_attempts")
    assert login(laptop, api, staff["username"], PASSWORD).status_code == 200
    events = cluster.psql("SELECT string_agg(action, ',') FROM audit_events WHERE target_id = "
                          f"(SELECT id::text FROM users WHERE username = '{staff['username']}')")
    assert "login.unlock_link_sent" in events and "login.unlocked" in events
    assert token not in cluster.psql("SELECT string_agg(changes::text, ' ') FROM audit_events")


def test_an_unknown_unlock_token_is_refused(api):
    problem(api.post("/api/v1/auth/unlock", json={"token": "ul_nothing"}), 422, "token_invalid")
    problem(api.post("/api/v1/auth/unlock", json={}), 400, "invalid_request")


# --- 6: a reset request does the same work whether or not the account exists ------------

def test_a_reset_request_for_no_account_does_the_same_work_and_sends_nothing(api, mail, staff, cluster):
    ghost = unique("Geheim-Wachtwoord-")
    r = api.post("/api/v1/auth/password-reset", json={"username": ghost, "email": staff["email"]})
    assert r.status_code == 202 and r.json() == {"status": "accepted"}
    digest = hashlib.sha256(ghost.encode()).hexdigest()
    row = cluster.psql("SELECT action || ' ' || changes::text FROM audit_events "
                       f"WHERE changes->>'username_sha256' = '{digest}'")
    assert row.startswith("password.reset_not_sent"), row
    assert ghost not in cluster.psql("SELECT string_agg(changes::text, ' ') FROM audit_events")
    # Nothing was queued for the address asked about.
    assert cluster.psql("SELECT count(*) FROM mail_outbox WHERE subject = 'Wachtwoord opnieuw instellen'"
                        f" AND lower(to_address) = lower('{staff['email']}')") == "0"


# --- 7: username_taken answers count against the activation code -----------------------

def test_username_probing_uses_up_the_activation_code(api, mail, server):
    taken, _ = new_staff(api, mail, server, "probe")
    username = unique("prober")
    email = f"{username}@verzekeraar.example"
    create_staff(server, email)
    token = invitation_token(mail, email)
    api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    code = code_in(mail_to(mail, email, "verificatiecode"))
    for _ in range(5):
        r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": taken,
                                                 "password": PASSWORD})
        problem(r, 409, "username_taken")
    r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": username,
                                             "password": PASSWORD})
    problem(r, 422, "code_invalid")


# --- 8: changes meant for signed-in people refuse API tokens ----------------------------

def test_organisation_scheme_and_review_changes_refuse_tokens(api, mail, server, cluster):
    w = world_of(api, mail, server, cluster)
    t = make_token(w.staff, ["staff"]).json()
    nobody = "00000000-0000-4000-8000-000000000000"
    refused = [
        ("PATCH", f"/api/v1/organisations/{w.emp_a['id']}", {"name": "Tokenbakkerij"}),
        ("POST", "/api/v1/schemes", {"organisation_id": w.emp_a["id"], "name": "Tokenregeling",
                                     "number": unique("T"), "kind": "pension", "start_date": "2020-01-01"}),
        ("PATCH", f"/api/v1/schemes/{w.pension_a['id']}", {"name": "Tokenregeling"}),
        ("POST", f"/api/v1/reviews/{nobody}/approve", None),
        ("POST", f"/api/v1/reviews/{nobody}/reject", {"reason": "x"}),
    ]
    for method, path, body in refused:
        r = as_token(api, t["secret"], method, path, json=body)
        assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer"), (method, path, r.text)
    # Reading stays open to the token; the signed-in person still changes them.
    assert as_token(api, t["secret"], "GET", f"/api/v1/schemes/{w.pension_a['id']}").status_code == 200
    new_scheme(w.staff, w.emp_a["id"])


# --- 9: what was typed as an unknown username is never stored --------------------------

def test_an_unknown_username_is_audited_only_as_a_hash(api, server, cluster):
    typed = unique("Zomer-Wachtwoord-")
    s = from_address("198.51.100.200")
    for _ in range(6):
        login(s, api, typed, "x" * 12)
    digest = hashlib.sha256(typed.encode()).hexdigest()
    actions = cluster.psql("SELECT string_agg(DISTINCT action, ',') FROM audit_events "
                           f"WHERE changes->>'username_sha256' = '{digest}'")
    assert "login.failed" in actions and "login.throttled" in actions, actions
    assert typed not in cluster.psql("SELECT string_agg(changes::text, ' ') FROM audit_events")
    assert typed not in server.read_log()
