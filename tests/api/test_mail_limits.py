"""Limits on the mails and SMS that sign-in endpoints send: at most 5 per
account in 15 minutes (however the address is spelled), and 30
requests per client address in 15 minutes to the anonymous endpoints. The
anonymous endpoints keep answering 202 at the account limit (they never tell
whether an account exists); they simply send nothing more."""
import time

from helpers import (bearer, code_in, create_staff, enrol, invitation_token, mail_to,
                     new_staff, unique)
from test_identity import from_address, problem

RESET_SUBJECT = "Wachtwoord opnieuw instellen"
REMINDER_SUBJECT = "Uw gebruikersnaam"
CODE_SUBJECT = "Uw verificatiecode"


def queued(cluster, address, subject):
    """Mails the server queued for address with this subject."""
    return int(cluster.psql(f"SELECT count(*) FROM mail_outbox WHERE lower(to_address) = "
                            f"lower('{address}') AND subject = '{subject}'"))


def delivered(mail, address, subject):
    return len([m for m in mail.messages
                if address.lower() in [t.lower() for t in m["to"]] and m["message"]["Subject"] == subject])


def wait_delivered(cluster, mail, address, subject, expected):
    """Waits until the outbox for address is delivered; returns what the sink got."""
    deadline = time.time() + 15
    while time.time() < deadline:
        pending = cluster.psql(f"SELECT count(*) FROM mail_outbox WHERE lower(to_address) = "
                               f"lower('{address}') AND status = 'pending'")
        if pending == "0" and delivered(mail, address, subject) >= expected:
            break
        time.sleep(0.1)
    return delivered(mail, address, subject)


def reset(session, base, username, email):
    r = session.post(base + "/api/v1/auth/password-reset", json={"username": username, "email": email})
    assert r.status_code == 202, r.text
    assert r.json() == {"status": "accepted"}


def test_the_sixth_reset_request_in_the_window_sends_no_mail(api, mail, server, cluster):
    username, email = new_staff(api, mail, server, prefix="lim")
    other_name, other_email = new_staff(api, mail, server, prefix="lim")
    s = from_address("198.51.100.101")
    for _ in range(5):
        reset(s, api.base, username, email)
    assert queued(cluster, email, RESET_SUBJECT) == 5
    # The sixth answers exactly like the others, but nothing is sent.
    reset(s, api.base, username, email)
    assert queued(cluster, email, RESET_SUBJECT) == 5
    # Another account is not affected.
    reset(s, api.base, other_name, other_email)
    mail_to(mail, other_email, RESET_SUBJECT)
    assert wait_delivered(cluster, mail, email, RESET_SUBJECT, 5) == 5
    # The event is audited on the account, without the address; the throttle
    # table and the log hold neither the address nor the account in the clear.
    user_id = cluster.psql(f"SELECT id FROM users WHERE username = '{username}'")
    changes = cluster.psql("SELECT changes::text FROM audit_events WHERE action = 'message.limited'"
                           f" AND target_id = '{user_id}'")
    assert "password_reset" in changes and email not in changes
    assert cluster.psql("SELECT count(*) FROM login_throttle WHERE key ILIKE "
                        f"'%{email}%' OR key LIKE '%{user_id}%' OR key LIKE '%198.51.100.101%'") == "0"
    assert email not in server.read_log()


def test_the_account_limit_holds_from_any_address(api, mail, server, cluster):
    username, email = new_staff(api, mail, server, prefix="lim")
    for i in range(6):
        reset(from_address(f"198.51.100.{110 + i}"), api.base, username, email)
    assert queued(cluster, email, RESET_SUBJECT) == 5


def test_a_username_reminder_is_mailed_five_times_at_most(api, mail, server, cluster):
    _, email = new_staff(api, mail, server, prefix="lim")
    s = from_address("198.51.100.102")
    for spelling in (email.upper(), email, email.title(), email.upper(), email.swapcase(), email):
        r = s.post(api.base + "/api/v1/auth/username-reminder", json={"email": spelling})
        assert r.status_code == 202, r.text
    assert queued(cluster, email, REMINDER_SUBJECT) == 5
    assert wait_delivered(cluster, mail, email, REMINDER_SUBJECT, 5) == 5


def test_one_client_address_gets_thirty_requests_then_waits(api, mail, server, cluster):
    s = from_address("198.51.100.103")
    for i in range(30):
        if i % 2:
            r = s.post(api.base + "/api/v1/auth/username-reminder", json={"email": unique("nobody") + "@nowhere.example"})
        else:
            r = s.post(api.base + "/api/v1/auth/password-reset", json={"username": unique("ghost"), "email": "x@nowhere.example"})
        assert r.status_code == 202, r.text
    r = s.post(api.base + "/api/v1/auth/password-reset", json={"username": unique("ghost"), "email": "x@nowhere.example"})
    problem(r, 429, "too_many_attempts")
    assert 0 < int(r.headers["Retry-After"]) <= 900
    problem(s.post(api.base + "/api/v1/auth/username-reminder", json={"email": "a@nowhere.example"}), 429, "too_many_attempts")
    # A real account asked from there gets nothing either; from elsewhere it does.
    username, email = new_staff(api, mail, server, prefix="lim")
    problem(s.post(api.base + "/api/v1/auth/password-reset", json={"username": username, "email": email}), 429, "too_many_attempts")
    assert queued(cluster, email, RESET_SUBJECT) == 0
    reset(from_address("198.51.100.104"), api.base, username, email)
    mail_to(mail, email, RESET_SUBJECT)
    # Signing in is a different counter: it is not blocked.
    r = s.post(api.base + "/api/v1/auth/login", json={"username": username, "password": "Wrong-password-1"})
    problem(r, 401, "invalid_credentials")


def test_activation_codes_are_limited_per_account(api, mail, server, cluster):
    username = unique("lim")
    email = f"{username}@verzekeraar.example"
    create_staff(server, email, mobile="+31612345678")
    token = invitation_token(mail, email)
    # One code at a time: two workers may deliver mails out of order, and
    # the last code asked for must be the last one received.
    for i in range(5):
        r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
        assert r.status_code == 202, r.text
        assert wait_delivered(cluster, mail, email, CODE_SUBJECT, i + 1) == i + 1
    last_code = code_in(mail_to(mail, email, CODE_SUBJECT))
    # The invitation proves the account exists, so the limit is said plainly.
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    problem(r, 429, "too_many_attempts")
    assert 0 < int(r.headers["Retry-After"]) <= 900
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email, "channel": "sms"})
    problem(r, 429, "too_many_attempts")
    assert queued(cluster, email, CODE_SUBJECT) == 5
    # The last code sent still works.
    r = api.post("/api/v1/activation", json={"token": token, "code": last_code, "username": username,
                                             "password": "Zomervakantie-in-Zeeland-2026"})
    assert r.status_code == 201, r.text


def test_email_change_codes_are_limited_per_account(api, mail, server, cluster):
    username, email = new_staff(api, mail, server, prefix="lim")
    _, tokens = enrol(api, username)
    headers = bearer(tokens["access_token"])
    targets = [unique("new") + "@elders.example" for _ in range(6)]
    for target in targets[:5]:
        r = api.patch("/api/v1/me", headers=headers, json={"email": target})
        assert r.status_code == 200 and r.json()["email_pending"] == target, r.text
    r = api.patch("/api/v1/me", headers=headers, json={"email": targets[5], "first_name": "Anders"})
    problem(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) > 0
    # Nothing changed, the first name neither, and no code went to the sixth address.
    me = api.get("/api/v1/me", headers=headers).json()
    assert me["first_name"] != "Anders" and me["email"] == email
    assert queued(cluster, targets[5], "Bevestig uw nieuwe e-mailadres") == 0
    assert queued(cluster, targets[4], "Bevestig uw nieuwe e-mailadres") == 1
    # Other changes go on as usual.
    r = api.patch("/api/v1/me", headers=headers, json={"theme": "dark"})
    assert r.status_code == 200 and r.json()["theme"] == "dark"


def test_an_ipv6_client_counts_as_its_whole_64(api):
    """Every address of one /64 is one client: hopping between them gains
    nothing; the neighbouring /64 is someone else."""
    for i in range(30):
        s = from_address(f"2001:db8:77:1::{i + 1:x}")
        r = s.post(api.base + "/api/v1/auth/username-reminder", json={"email": unique("nobody") + "@nowhere.example"})
        assert r.status_code == 202, r.text
    r = from_address("2001:db8:77:1:ffff:ffff:ffff:fffe").post(
        api.base + "/api/v1/auth/username-reminder", json={"email": "a@nowhere.example"})
    problem(r, 429, "too_many_attempts")
    r = from_address("2001:db8:77:2::1").post(
        api.base + "/api/v1/auth/username-reminder", json={"email": "a@nowhere.example"})
    assert r.status_code == 202, r.text
