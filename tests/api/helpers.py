"""Shared steps of the API tests: inviting, activating and signing in users
the way a real client does (mail from the SMTP sink, codes from pyotp)."""
import itertools
import os
import re
import subprocess
import time

import pyotp
import requests

from conftest import BINARY

PASSWORD = "Zomervakantie-in-Zeeland-2026"
_counter = itertools.count(1)


def unique(prefix):
    return f"{prefix}{int(time.time() * 1000) % 10_000_000}{next(_counter)}"


def mail_to(mail, address, subject_part, body_part=None):
    """The newest mail to address whose subject contains subject_part (and
    whose body contains body_part, when given), waiting for it to arrive."""
    def match(m):
        return (address in m["to"] and subject_part in m["message"]["Subject"]
                and (body_part is None or body_part in body_of(m)))
    mail.wait_for(match)
    found = [m for m in mail.messages if match(m)]
    return found[-1]


def body_of(m):
    return m["message"].get_content()


def link_token(m, path):
    found = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_\-]+)", body_of(m))
    assert found, body_of(m)
    return found.group(1)


def code_in(m):
    return re.search(r"\b(\d{6})\b", body_of(m)).group(1)


def create_staff(server, email, first="Sanne", last="de Vries", mobile=None):
    args = [BINARY, "create-staff", "--email", email, "--first-name", first, "--last-name", last]
    if mobile:
        args += ["--mobile", mobile]
    r = subprocess.run(args, env=server.env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r


def invitation_token(mail, email):
    return link_token(mail_to(mail, email, "Activeer"), "/activate")


def activate(api, mail, token, email, username, password=PASSWORD):
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    assert r.status_code == 202, r.text
    code = code_in(mail_to(mail, email, "verificatiecode"))
    r = api.post("/api/v1/activation", json={"token": token, "code": code,
                                             "username": username, "password": password})
    assert r.status_code == 201, r.text
    return r.json()


def new_staff(api, mail, server, prefix="staff"):
    """Invites and activates a staff user; returns (username, email)."""
    username = unique(prefix)
    email = f"{username}@verzekeraar.example"
    create_staff(server, email)
    activate(api, mail, invitation_token(mail, email), email, username)
    return username, email


def rewind_totp(cluster, username):
    """Test set-up only: lets the next login reuse the current 30-second
    window (the server rightly refuses a code at or below the last one)."""
    cluster.psql(f"UPDATE users SET totp_last_counter = totp_last_counter - 2 "
                 f"WHERE lower(username) = lower('{username}')")


def enrol(api, username, password=PASSWORD):
    """First login: returns (secret, token answer incl. recovery_codes)."""
    r = api.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mfa"] == "enroll"
    secret = body["totp"]["secret"]
    r = api.post("/api/v1/auth/mfa", json={"mfa_token": body["mfa_token"],
                                           "code": pyotp.TOTP(secret).now()})
    assert r.status_code == 200, r.text
    return secret, r.json()


def login(api, cluster, username, secret, password=PASSWORD, **extra):
    rewind_totp(cluster, username)
    r = api.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    assert r.json()["mfa"] == "totp"
    r = api.post("/api/v1/auth/mfa", json=dict({"mfa_token": r.json()["mfa_token"],
                                                "code": pyotp.TOTP(secret).now()}, **extra))
    assert r.status_code == 200, r.text
    return r


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def staff_session(api, mail, server):
    """A fresh staff user, signed in: returns its access-token headers."""
    username, _ = new_staff(api, mail, server)
    _, tokens = enrol(api, username)
    return bearer(tokens["access_token"])


def create_org(api, staff_headers, kind="employer", name=None, **fields):
    body = dict({"kind": kind, "name": name or unique("Bedrijf ")}, **fields)
    r = api.post("/api/v1/organisations", json=body, headers=staff_headers)
    assert r.status_code == 201, r.text
    return r.json()


def invite(api, headers, first_name="Eva", last_name=None, **fields):
    """POST /users; returns (response JSON, email)."""
    email = unique("user") + "@werkgever.example"
    body = dict({"first_name": first_name, "last_name": last_name or unique("Jansen"),
                 "email": email, "rights": []}, **fields)
    r = api.post("/api/v1/users", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json(), email


def user_session(api, mail, headers, **fields):
    """Invites, activates and enrols a user; returns dict with id, username,
    email, secret, tokens and headers."""
    user, email = invite(api, headers, **fields)
    username = unique("u")
    activate(api, mail, invitation_token(mail, email), email, username)
    secret, tokens = enrol(api, username)
    return {"id": user["id"], "username": username, "email": email, "secret": secret,
            "tokens": tokens, "headers": bearer(tokens["access_token"])}


def wait_until(what, check, timeout=60, step=0.1):
    """Polls check() until it returns something true and returns that; fails
    after timeout seconds (a generous bound for recovery, not a measurement)."""
    deadline = time.time() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(step)


def metric(base_url, name):
    """One unlabelled (or fully labelled) sample of an instance's /metrics."""
    text = requests.get(base_url + "/metrics", timeout=30).text
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name} missing from /metrics")


def open_fds(server):
    """How many descriptors the server process has open."""
    return len(os.listdir(f"/proc/{server.proc.pid}/fd"))


def closed_by_server(s):
    """1 when the server closed the non-blocking socket s (end of stream or
    reset), 0 while it is open."""
    try:
        data = s.recv(4096)
    except BlockingIOError:
        return 0
    except (ConnectionResetError, BrokenPipeError):
        return 1
    return 1 if data == b"" else 0
