"""Identity (issue: invitation, activation, login with TOTP, JWT sessions,
recovery): every flow and every listed rejection, against the real binary."""
import base64
import concurrent.futures
import json
import os
import re
import subprocess
import time

import jwt as pyjwt
import pyotp
import pytest
import requests
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from helpers import (PASSWORD, activate, bearer, body_of, code_in, create_staff, enrol,
                     invitation_token, link_token, login, mail_to, new_staff, rewind_totp, unique)


def problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["code"] == code, r.text
    return r.json()


@pytest.fixture
def staff(api, mail, server, cluster):
    """A fresh, enrolled staff user: dict with username, email, secret, tokens."""
    username, email = new_staff(api, mail, server)
    secret, tokens = enrol(api, username)
    return {"username": username, "email": email, "secret": secret, "tokens": tokens}


# --- create-staff and activation -------------------------------------------------

def test_create_staff_queues_an_invitation_and_prints_nothing_secret(api, mail, server):
    email = unique("inv") + "@verzekeraar.example"
    out = create_staff(server, email, "Pieter", "Jansen")
    m = mail_to(mail, email, "Activeer")
    token = link_token(m, f"{server.env['PORTAL_PUBLIC_URL']}/activate")
    assert token not in out.stdout and token not in out.stderr
    assert "Pieter" in body_of(m)


def test_activation_walks_email_code_username_password(api, mail, server, cluster):
    username = unique("act")
    email = f"{username}@verzekeraar.example"
    create_staff(server, email)
    token = invitation_token(mail, email)
    # A wrong e-mail address is refused, naming the field.
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": "x@y.nl"})
    assert problem(r, 422, "validation_failed")["errors"][0]["field"] == "/email"
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email.upper()})
    assert r.status_code == 202
    code = code_in(mail_to(mail, email, "verificatiecode"))
    # Only hashes are stored.
    assert cluster.psql(f"SELECT count(*) FROM verification_codes WHERE code_hash LIKE '%{code}%'") == "0"
    # A wrong code is refused.
    wrong = "000000" if code != "000000" else "111111"
    r = api.post("/api/v1/activation", json={"token": token, "code": wrong, "username": username, "password": PASSWORD})
    problem(r, 422, "code_invalid")
    # A refused password leaves the code usable.
    r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": username, "password": "password1234"})
    body = problem(r, 422, "password_rejected")
    assert body["errors"][0]["field"] == "/password"
    r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": username,
                                             "password": username + "-Zeeland!"})
    problem(r, 422, "password_rejected")
    r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": username, "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "active"
    assert "geactiveerd" in mail_to(mail, email, "geactiveerd")["message"]["Subject"]
    # The invitation is single-use.
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    problem(r, 422, "token_invalid")


def test_username_is_unique_case_insensitively(api, mail, server):
    taken, _ = new_staff(api, mail, server, "taken")
    email = unique("dup") + "@verzekeraar.example"
    create_staff(server, email)
    token = invitation_token(mail, email)
    api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    code = code_in(mail_to(mail, email, "verificatiecode"))
    r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": taken.upper(), "password": PASSWORD})
    assert problem(r, 409, "username_taken")["errors"][0]["field"] == "/username"


def test_verification_code_allows_five_tries_and_expires(api, mail, server, cluster):
    username = unique("tries")
    email = f"{username}@verzekeraar.example"
    create_staff(server, email)
    token = invitation_token(mail, email)
    api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    code = code_in(mail_to(mail, email, "verificatiecode"))
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        r = api.post("/api/v1/activation", json={"token": token, "code": wrong, "username": username, "password": PASSWORD})
        problem(r, 422, "code_invalid")
    r = api.post("/api/v1/activation", json={"token": token, "code": code, "username": username, "password": PASSWORD})
    problem(r, 422, "code_invalid")
    # A new code works; an expired one does not.
    api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    time.sleep(0.2)
    cluster.psql(f"UPDATE verification_codes SET expires_at = now() - interval '1 second' "
                 f"WHERE user_id = (SELECT id FROM users WHERE email = '{email}') AND used_at IS NULL AND revoked_at IS NULL")
    code2 = code_in(mail_to(mail, email, "verificatiecode"))
    r = api.post("/api/v1/activation", json={"token": token, "code": code2, "username": username, "password": PASSWORD})
    problem(r, 422, "code_invalid")


def test_expired_invitation_is_refused(api, mail, server, cluster):
    email = unique("old") + "@verzekeraar.example"
    create_staff(server, email)
    token = invitation_token(mail, email)
    cluster.psql(f"UPDATE invitations SET expires_at = now() - interval '1 second' "
                 f"WHERE user_id = (SELECT id FROM users WHERE email = '{email}')")
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email})
    problem(r, 422, "token_invalid")


def test_verification_code_by_sms(api, mail, sms, server):
    email = unique("sms") + "@verzekeraar.example"
    create_staff(server, email, mobile="+31612345678")
    token = invitation_token(mail, email)
    r = api.post("/api/v1/activation/verification-code", json={"token": token, "email": email, "channel": "sms"})
    assert r.status_code == 202 and r.json()["channel"] == "sms"
    msg = sms.wait_for(lambda m: m["to"] == "+31612345678")
    assert re.search(r"\b\d{6}\b", msg["message"])
    # Without a mobile number SMS is refused.
    email2 = unique("nosms") + "@verzekeraar.example"
    create_staff(server, email2)
    token2 = invitation_token(mail, email2)
    r = api.post("/api/v1/activation/verification-code", json={"token": token2, "email": email2, "channel": "sms"})
    assert problem(r, 422, "validation_failed")["errors"][0]["field"] == "/channel"


# --- login and second factor -----------------------------------------------------

def test_unknown_user_and_wrong_password_look_the_same(api, mail, server, staff):
    t0 = time.monotonic()
    a = api.post("/api/v1/auth/login", json={"username": unique("nobody"), "password": PASSWORD})
    t1 = time.monotonic()
    b = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": "Wrong-password-123"})
    t2 = time.monotonic()
    pa, pb = problem(a, 401, "invalid_credentials"), problem(b, 401, "invalid_credentials")
    assert pa["detail"] == pb["detail"]
    assert max(t1 - t0, t2 - t1) < 3 * min(t1 - t0, t2 - t1) + 0.05  # both pay for a hash


def test_first_login_enrols_totp_with_qr_and_recovery_codes(api, mail, server, cluster):
    username, email = new_staff(api, mail, server)
    r = api.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    body = r.json()
    assert body["mfa"] == "enroll"
    totp = body["totp"]
    assert totp["otpauth_uri"].startswith("otpauth://totp/Werkgeversportaal:")
    assert f"secret={totp['secret']}" in totp["otpauth_uri"] and "issuer=Werkgeversportaal" in totp["otpauth_uri"]
    assert totp["qr_svg"].startswith("<svg") and "<path" in totp["qr_svg"]
    r = api.post("/api/v1/auth/mfa", json={"mfa_token": body["mfa_token"], "code": pyotp.TOTP(totp["secret"]).now()})
    tokens = r.json()
    assert r.status_code == 200 and tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    assert len(tokens["recovery_codes"]) == 10 and len(set(tokens["recovery_codes"])) == 10
    me = api.get("/api/v1/me", headers=bearer(tokens["access_token"])).json()
    assert me["username"] == username and me["recovery_codes_remaining"] == 10
    assert me["rights"] == ["staff"] and me["organisation"]["kind"] == "insurer"
    assert "authenticator" in body_of(mail_to(mail, email, "Beveiligingsmelding", "authenticator"))
    # The count is of the codes still unused.
    cluster.psql("UPDATE recovery_codes SET used_at = now() WHERE code_hash IN (SELECT code_hash"
                 f" FROM recovery_codes WHERE user_id = '{me['id']}' LIMIT 3)"
                 f" AND user_id = '{me['id']}'")
    me = api.get("/api/v1/me", headers=bearer(tokens["access_token"])).json()
    assert me["recovery_codes_remaining"] == 7


def test_totp_code_is_accepted_once(api, staff, cluster):
    rewind_totp(cluster, staff["username"])
    code = pyotp.TOTP(staff["secret"]).now()
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    assert api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"], "code": code}).status_code == 200
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    problem(api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"], "code": code}), 401, "mfa_invalid")


def test_five_wrong_codes_end_the_mfa_token(api, staff, cluster):
    rewind_totp(cluster, staff["username"])
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    mfa_token = r.json()["mfa_token"]
    good = pyotp.TOTP(staff["secret"]).now()
    bad = "000000" if good != "000000" else "111111"
    for _ in range(5):
        problem(api.post("/api/v1/auth/mfa", json={"mfa_token": mfa_token, "code": bad}), 401, "mfa_invalid")
    # Wrong codes count for the throttle too: five are free, then one second.
    problem(api.post("/api/v1/auth/mfa", json={"mfa_token": mfa_token, "code": good}), 429, "too_many_attempts")
    time.sleep(1.1)
    problem(api.post("/api/v1/auth/mfa", json={"mfa_token": mfa_token, "code": good}), 401, "token_invalid")
    cluster.psql(f"DELETE FROM login_throttle WHERE key = 'user:{staff['username'].lower()}'")


def test_mfa_token_is_useless_elsewhere_and_access_token_is_no_mfa_token(api, staff, cluster):
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    mfa_token = r.json()["mfa_token"]
    problem(api.get("/api/v1/me", headers=bearer(mfa_token)), 401, "unauthorized")
    access = staff["tokens"]["access_token"]
    problem(api.post("/api/v1/auth/mfa", json={"mfa_token": access, "code": "123456"}), 401, "token_invalid")
    refresh = staff["tokens"]["refresh_token"]
    problem(api.get("/api/v1/me", headers=bearer(refresh)), 401, "unauthorized")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header, claims, sign):
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return signing_input + "." + b64(sign(signing_input.encode()))


def test_access_token_rejections(api, server, staff):
    access = staff["tokens"]["access_token"]
    assert api.get("/api/v1/me", headers=bearer(access)).status_code == 200
    claims = pyjwt.decode(access, options={"verify_signature": False})
    with open(server.env["PORTAL_JWT_PRIVATE_KEY_FILE"], "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def es256(c, **header):
        return pyjwt.encode(c, key, algorithm="ES256", headers=header or None)

    def hs256_with_public_key(si):
        h = hmac.HMAC(public_pem, hashes.SHA256())
        h.update(si)
        return h.finalize()

    now = int(time.time())
    cases = {
        "alg none": forge({"alg": "none", "typ": "JWT"}, claims, lambda si: b""),
        "HS256 with the public key": forge({"alg": "HS256", "typ": "JWT"}, claims, hs256_with_public_key),
        "changed byte": access[:-5] + ("A" if access[-5] != "A" else "B") + access[-4:],
        "changed claim": access.split(".")[0] + "." + b64(json.dumps(dict(claims, sub="00000000-0000-0000-0000-000000000000")).encode()) + "." + access.split(".")[2],
        "expired": es256(dict(claims, iat=now - 2000, nbf=now - 2000, exp=now - 1000)),
        "not yet valid": es256(dict(claims, nbf=now + 600, iat=now + 600, exp=now + 1200)),
        "wrong iss": es256(dict(claims, iss="https://evil.example")),
        "wrong aud": es256(dict(claims, aud="someone-else")),
        "mfa typ": es256(dict(claims, typ="mfa")),
        "garbage": "not.a.jwt",
    }
    # A correctly re-signed copy still works, so the cases above fail for their reason.
    assert api.get("/api/v1/me", headers=bearer(es256(dict(claims)))).status_code == 200
    for name, token in cases.items():
        r = api.get("/api/v1/me", headers=bearer(token))
        assert r.status_code == 401, name
        assert r.json()["code"] == "unauthorized", name
    problem(api.get("/api/v1/me"), 401, "unauthorized")


def test_jwks_publishes_the_verifying_key(api, staff):
    r = api.get("/.well-known/jwks.json")
    assert r.status_code == 200
    jwk = r.json()["keys"][0]
    assert jwk["kty"] == "EC" and jwk["crv"] == "P-256" and jwk["alg"] == "ES256"
    key = pyjwt.PyJWK(jwk).key
    claims = pyjwt.decode(staff["tokens"]["access_token"], key, algorithms=["ES256"], audience="portal-api")
    for c in ("iss", "aud", "sub", "org", "sid", "iat", "nbf", "exp", "jti", "typ"):
        assert c in claims
    assert claims["exp"] - claims["iat"] == 900 and claims["typ"] == "access"


# --- refresh, logout, sessions -----------------------------------------------------

def test_refresh_rotates_and_reuse_revokes_the_family(api, staff):
    first = staff["tokens"]["refresh_token"]
    r = api.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 200
    second = r.json()["refresh_token"]
    assert second != first
    new_access = r.json()["access_token"]
    assert api.get("/api/v1/me", headers=bearer(new_access)).status_code == 200
    # Within seconds a second use is taken for a race and only refused;
    # later it is theft and ends the whole session.
    problem(api.post("/api/v1/auth/refresh", json={"refresh_token": first}), 401, "token_invalid")
    assert api.get("/api/v1/me", headers=bearer(new_access)).status_code == 200
    time.sleep(5.5)
    problem(api.post("/api/v1/auth/refresh", json={"refresh_token": first}), 401, "token_invalid")
    # The whole session is gone: the newer refresh token and the access tokens too.
    problem(api.post("/api/v1/auth/refresh", json={"refresh_token": second}), 401, "token_invalid")
    problem(api.get("/api/v1/me", headers=bearer(new_access)), 401, "unauthorized")


def test_twenty_parallel_refreshes_give_exactly_one_success(api, staff):
    token = staff["tokens"]["refresh_token"]

    def refresh(_):
        return requests.post(api.base + "/api/v1/auth/refresh", json={"refresh_token": token}, timeout=30)

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(refresh, range(20)))
    codes = [a.status_code for a in answers]
    assert codes.count(200) == 1, codes
    assert codes.count(401) == 19, codes
    # Losing a race is not theft: the winner's session goes on (two browser
    # tabs refreshing together must not log the user out).
    winner = [a for a in answers if a.status_code == 200][0].json()
    assert api.get("/api/v1/me", headers=bearer(winner["access_token"])).status_code == 200
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": winner["refresh_token"]}).status_code == 200


def test_logout_ends_only_that_session(api, staff, cluster):
    other = login(api, cluster, staff["username"], staff["secret"]).json()
    access = staff["tokens"]["access_token"]
    assert api.post("/api/v1/auth/logout", headers=bearer(access)).status_code == 204
    problem(api.get("/api/v1/me", headers=bearer(access)), 401, "unauthorized")
    problem(api.post("/api/v1/auth/refresh", json={"refresh_token": staff["tokens"]["refresh_token"]}), 401, "token_invalid")
    assert api.get("/api/v1/me", headers=bearer(other["access_token"])).status_code == 200
    # Logging out with a refresh token works too.
    assert api.post("/api/v1/auth/logout", json={"refresh_token": other["refresh_token"]}).status_code == 204
    problem(api.get("/api/v1/me", headers=bearer(other["access_token"])), 401, "unauthorized")


def test_cookie_session_needs_the_csrf_header(api, staff, cluster, server):
    s = requests.Session()
    rewind_totp(cluster, staff["username"])
    r = s.post(api.base + "/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    r = s.post(api.base + "/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"],
                                                    "code": pyotp.TOTP(staff["secret"]).now(), "session": "cookie"})
    assert r.status_code == 200
    body = r.json()
    assert "refresh_token" not in body and body["csrf_token"]
    cookies = r.headers.get("Set-Cookie", "")
    refresh_cookie = [c for c in r.raw.headers.getlist("Set-Cookie") if c.startswith("portal_refresh=")][0]
    assert "HttpOnly" in refresh_cookie and "SameSite=Strict" in refresh_cookie and "Path=/api/v1/auth" in refresh_cookie
    assert "Secure" not in refresh_cookie  # plain-HTTP localhost development only
    assert "portal_csrf=" in cookies
    # Without the header, or with a wrong one: refused.
    problem(s.post(api.base + "/api/v1/auth/refresh", json={}), 403, "forbidden")
    problem(s.post(api.base + "/api/v1/auth/refresh", json={}, headers={"X-CSRF-Token": "nope"}), 403, "forbidden")
    csrf = s.cookies.get("portal_csrf")
    assert csrf == body["csrf_token"]
    r = s.post(api.base + "/api/v1/auth/refresh", json={}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    new_csrf = r.json()["csrf_token"]
    assert new_csrf != csrf and s.cookies.get("portal_csrf") == new_csrf
    r = s.post(api.base + "/api/v1/auth/logout", json={}, headers={"X-CSRF-Token": new_csrf})
    assert r.status_code == 204
    problem(api.get("/api/v1/me", headers=bearer(body["access_token"])), 401, "unauthorized")


def test_locked_deleted_and_expired_users_are_stopped_at_once(api, mail, server, cluster):
    for change in ("status = 'locked'", "deleted_at = now()", "expires_at = now() - interval '1 second'"):
        username, _ = new_staff(api, mail, server)
        secret, tokens = enrol(api, username)
        assert api.get("/api/v1/me", headers=bearer(tokens["access_token"])).status_code == 200
        cluster.psql(f"UPDATE users SET {change} WHERE username = '{username}'")
        problem(api.get("/api/v1/me", headers=bearer(tokens["access_token"])), 401, "unauthorized")
        problem(api.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401, "token_invalid")
        r = api.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        if change.startswith("status"):
            problem(r, 403, "account_locked")
        else:
            problem(r, 401, "invalid_credentials")


# --- own account -------------------------------------------------------------------

def test_password_change_ends_other_sessions_and_returns_fresh_tokens(api, mail, staff, cluster):
    other = login(api, cluster, staff["username"], staff["secret"]).json()
    access = staff["tokens"]["access_token"]
    r = api.post("/api/v1/me/password", headers=bearer(access),
                 json={"current_password": "wrong-password-42", "new_password": "Nieuw-wachtwoord-voor-2027"})
    assert problem(r, 422, "invalid_credentials")["errors"][0]["field"] == "/current_password"
    r = api.post("/api/v1/me/password", headers=bearer(access),
                 json={"current_password": PASSWORD, "new_password": "qwertyuiopasdf"})
    assert problem(r, 422, "password_rejected")["errors"][0]["field"] == "/new_password"
    r = api.post("/api/v1/me/password", headers=bearer(access),
                 json={"current_password": PASSWORD, "new_password": "Nieuw-wachtwoord-voor-2027"})
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert api.get("/api/v1/me", headers=bearer(fresh["access_token"])).status_code == 200
    assert api.get("/api/v1/me", headers=bearer(access)).status_code == 200  # same session
    # The session's old refresh token died with the old password; the new one works.
    problem(api.post("/api/v1/auth/refresh", json={"refresh_token": staff["tokens"]["refresh_token"]}), 401, "token_invalid")
    assert api.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}).status_code == 200
    problem(api.get("/api/v1/me", headers=bearer(other["access_token"])), 401, "unauthorized")
    assert "wachtwoord is gewijzigd" in body_of(mail_to(mail, staff["email"], "Beveiligingsmelding", "wachtwoord is gewijzigd"))
    problem(api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD}), 401, "invalid_credentials")


def test_password_reset_by_mail_ends_sessions_and_keeps_the_second_factor(api, mail, staff, cluster):
    r = api.post("/api/v1/auth/password-reset", json={"username": staff["username"], "email": "wrong@x.nl"})
    assert r.status_code == 202
    r = api.post("/api/v1/auth/password-reset", json={"username": unique("ghost"), "email": staff["email"]})
    assert r.status_code == 202
    r = api.post("/api/v1/auth/password-reset", json={"username": staff["username"], "email": staff["email"]})
    assert r.status_code == 202
    token = link_token(mail_to(mail, staff["email"], "Wachtwoord opnieuw"), "/reset-password")
    r = api.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "password1234"})
    problem(r, 422, "password_rejected")
    new_password = "Herfststorm-boven-de-Waddenzee"
    r = api.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": new_password})
    assert r.status_code == 204, r.text
    problem(api.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": new_password + "x"}), 422, "token_invalid")
    problem(api.get("/api/v1/me", headers=bearer(staff["tokens"]["access_token"])), 401, "unauthorized")
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": new_password})
    assert r.status_code == 200 and r.json()["mfa"] == "totp"  # never skips the second factor
    assert "opnieuw ingesteld" in body_of(mail_to(mail, staff["email"], "Beveiligingsmelding", "opnieuw ingesteld"))


def test_reset_link_expires_after_an_hour(api, mail, staff, cluster):
    api.post("/api/v1/auth/password-reset", json={"username": staff["username"], "email": staff["email"]})
    token = link_token(mail_to(mail, staff["email"], "Wachtwoord opnieuw"), "/reset-password")
    cluster.psql(f"UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = "
                 f"(SELECT id FROM users WHERE username = '{staff['username']}')")
    problem(api.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": "Herfststorm-boven-de-Waddenzee"}), 422, "token_invalid")


def test_username_reminder_always_accepts_and_mails_the_username(api, mail, staff):
    assert api.post("/api/v1/auth/username-reminder", json={"email": "nobody@nowhere.example"}).status_code == 202
    assert api.post("/api/v1/auth/username-reminder", json={"email": staff["email"]}).status_code == 202
    assert staff["username"] in body_of(mail_to(mail, staff["email"], "gebruikersnaam", staff["username"]))


def test_recovery_code_starts_a_new_enrolment_and_replaces_the_codes(api, mail, staff, cluster):
    old_codes = staff["tokens"]["recovery_codes"]
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    r = api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"], "recovery_code": old_codes[0]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mfa"] == "enroll" and body["totp"]["secret"] != staff["secret"]
    new_secret = body["totp"]["secret"]
    r = api.post("/api/v1/auth/mfa", json={"mfa_token": body["mfa_token"], "code": pyotp.TOTP(new_secret).now()})
    assert r.status_code == 200
    new_codes = r.json()["recovery_codes"]
    assert set(new_codes).isdisjoint(old_codes)
    # The old codes (used or not) are dead; the old authenticator too.
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    problem(api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"], "recovery_code": old_codes[1]}), 401, "mfa_invalid")
    me = api.get("/api/v1/me", headers=bearer(api.post("/api/v1/auth/refresh", json={"refresh_token": r.json().get("refresh_token", "")}).json().get("access_token", "x")))
    cluster.psql(f"DELETE FROM login_throttle WHERE key = 'user:{staff['username'].lower()}'")


def test_regenerating_recovery_codes_needs_a_valid_code(api, mail, staff, cluster):
    access = staff["tokens"]["access_token"]
    r = api.post("/api/v1/me/recovery-codes", headers=bearer(access), json={"code": "000000"})
    problem(r, 422, "mfa_invalid")
    rewind_totp(cluster, staff["username"])
    r = api.post("/api/v1/me/recovery-codes", headers=bearer(access), json={"code": pyotp.TOTP(staff["secret"]).now()})
    assert r.status_code == 200
    codes = r.json()["recovery_codes"]
    assert len(codes) == 10 and set(codes).isdisjoint(staff["tokens"]["recovery_codes"])
    assert api.get("/api/v1/me", headers=bearer(access)).json()["recovery_codes_remaining"] == 10
    cluster.psql(f"DELETE FROM login_throttle WHERE key = 'user:{staff['username'].lower()}'")


def test_preferences_and_email_change(api, mail, staff):
    access = staff["tokens"]["access_token"]
    r = api.patch("/api/v1/me", headers=bearer(access), json={"language": "en", "theme": "dark", "first_name": "Sanna"})
    assert r.status_code == 200 and r.json()["language"] == "en" and r.json()["theme"] == "dark"
    problem(api.patch("/api/v1/me", headers=bearer(access), json={"theme": "purple"}), 422, "validation_failed")
    problem(api.patch("/api/v1/me", headers=bearer(access), json={"theme": 3}), 400, "invalid_request")
    new_email = unique("new") + "@verzekeraar.example"
    r = api.patch("/api/v1/me", headers=bearer(access), json={"email": new_email})
    assert r.json()["email_pending"] == new_email and r.json()["email"] == staff["email"]
    # Mail follows the user's language, just switched to English.
    code = code_in(mail_to(mail, new_email, "Confirm your new e-mail address"))
    problem(api.post("/api/v1/me/email/confirm", headers=bearer(access), json={"code": "999999" if code != "999999" else "888888"}), 422, "code_invalid")
    r = api.post("/api/v1/me/email/confirm", headers=bearer(access), json={"code": code})
    assert r.status_code == 200 and r.json()["email"] == new_email
    assert "e-mail address of your account was changed" in body_of(mail_to(mail, staff["email"], "Security notice", "e-mail address of your account was changed"))


# --- throttling --------------------------------------------------------------------

class ViaProxy(requests.adapters.HTTPAdapter):
    """Connects from 127.0.0.2, the test server's trusted proxy."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = ("127.0.0.2", 0)
        super().init_poolmanager(*args, **kwargs)


def from_address(address):
    s = requests.Session()
    s.mount("http://", ViaProxy())
    s.headers["X-Forwarded-For"] = address
    return s


def test_five_failures_are_free_then_the_username_waits(api, staff, cluster):
    s = from_address("198.51.100.23")
    for _ in range(5):
        problem(s.post(api.base + "/api/v1/auth/login", json={"username": staff["username"], "password": "Wrong-password-1"}), 401, "invalid_credentials")
    r = s.post(api.base + "/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    problem(r, 429, "too_many_attempts")
    assert int(r.headers["Retry-After"]) >= 1
    # The same username is throttled from any address, the right password included.
    problem(api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD}), 429, "too_many_attempts")
    time.sleep(1.2)
    r = api.post("/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    assert r.status_code == 200  # recovers by itself
    events = cluster.psql("SELECT string_agg(DISTINCT action, ',') FROM audit_events WHERE changes->>'username' = "
                          f"'{staff['username']}'")
    assert "login.failed" in events and "login.throttled" in events
    cluster.psql(f"DELETE FROM login_throttle WHERE key = 'user:{staff['username'].lower()}'")


def test_unknown_usernames_are_throttled_the_same_way(api):
    s = from_address("198.51.100.24")
    ghost = unique("ghost")
    for _ in range(5):
        problem(s.post(api.base + "/api/v1/auth/login", json={"username": ghost, "password": "x" * 12}), 401, "invalid_credentials")
    problem(s.post(api.base + "/api/v1/auth/login", json={"username": ghost, "password": "x" * 12}), 429, "too_many_attempts")


def test_an_address_is_blocked_after_a_hundred_failures(api, staff, cluster):
    s = from_address("203.0.113.77")
    cluster.psql("INSERT INTO login_throttle (key, failures, window_start) VALUES ('addr:203.0.113.77', 99, now())")
    problem(s.post(api.base + "/api/v1/auth/login", json={"username": unique("a"), "password": "x" * 12}), 401, "invalid_credentials")
    r = s.post(api.base + "/api/v1/auth/login", json={"username": staff["username"], "password": PASSWORD})
    problem(r, 429, "too_many_attempts")
    assert 0 < int(r.headers["Retry-After"]) <= 900
    # Another address is not affected, and successes never count.
    assert from_address("203.0.113.78").post(api.base + "/api/v1/auth/login",
                                             json={"username": staff["username"], "password": PASSWORD}).status_code == 200


def test_sign_in_events_are_audited_without_secrets(api, staff, cluster):
    rows = cluster.psql(f"SELECT action FROM audit_events WHERE actor_user_id = "
                        f"(SELECT id FROM users WHERE username = '{staff['username']}') ORDER BY id")
    for action in ("account.activated", "login.password_accepted", "mfa.enrolled", "login.succeeded"):
        assert action in rows.splitlines(), rows
    dump = cluster.psql("SELECT string_agg(changes::text, ' ') FROM audit_events")
    assert PASSWORD not in dump and staff["secret"] not in dump


# --- request conventions on a JSON endpoint ------------------------------------------

def test_json_endpoint_conventions(api):
    problem(api.post("/api/v1/auth/login", data='{"username":"a","username":"b","password":"x"}',
                     headers={"Content-Type": "application/json"}), 400, "duplicate_key")
    problem(api.post("/api/v1/auth/login", data="{not json", headers={"Content-Type": "application/json"}), 400, "malformed_json")
    problem(api.post("/api/v1/auth/login", data="username=a", headers={"Content-Type": "application/x-www-form-urlencoded"}), 415, "unsupported_media_type")
    body = problem(api.post("/api/v1/auth/login", json={"username": 5}), 400, "invalid_request")
    fields = {e["field"]: e["code"] for e in body["errors"]}
    assert fields == {"/username": "invalid_type", "/password": "required"}
    problem(api.post("/api/v1/auth/login", json=[1, 2]), 400, "invalid_request")
    body = problem(api.post("/api/v1/auth/login", json={}, headers={"Accept-Language": "en"}), 400, "invalid_request")
    assert body["errors"][0]["message"] == "This field is required."


def test_totp_secrets_are_sealed_and_a_broken_one_is_the_servers_fault(api, mail, server, cluster):
    """The authenticator secret is stored sealed (AES-GCM under the data key),
    never in the clear; a sealed value the server cannot open (a wrong data
    key, a damaged row) answers 500 and counts nothing against the user."""
    username, _ = new_staff(api, mail, server, prefix="sealed")
    secret, _ = enrol(api, username)
    stored = cluster.psql(f"SELECT totp_secret FROM users WHERE username = '{username}'")
    assert stored.startswith("v1:") and secret not in stored
    body = stored.split(":")[2]
    damaged = stored[:-len(body)] + ("A" if body[0] != "A" else "B") + body[1:]
    cluster.psql(f"UPDATE users SET totp_secret = '{damaged}' WHERE username = '{username}'")
    rewind_totp(cluster, username)
    r = api.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200 and r.json()["mfa"] == "totp"
    r = api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"],
                                           "code": pyotp.TOTP(secret).now()})
    problem(r, 500, "internal_error")
    assert cluster.psql(f"SELECT count(*) FROM login_throttle WHERE key = 'user:{username.lower()}'") == "0"
    uid = cluster.psql(f"SELECT id FROM users WHERE username = '{username}'")
    assert cluster.psql("SELECT count(*) FROM audit_events WHERE action = 'mfa.failed'"
                        f" AND (actor_user_id = '{uid}' OR target_id = '{uid}')") == "0"
    # Put right, the same authenticator works again.
    cluster.psql(f"UPDATE users SET totp_secret = '{stored}' WHERE username = '{username}'")
    login(api, cluster, username, secret)
