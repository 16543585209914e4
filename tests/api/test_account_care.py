"""Account care (seed 002 §4-5, seed 003): an administrator of the
organisation, or staff, resets a user's second factor (the user enrols again
at the next login), releases a user held back by the sign-in throttle, hands
the main administrator role over, and hands over the responsibility for an
external user; each is audited and mailed to the user."""
import pyotp
import pytest

from conftest import Api
from helpers import PASSWORD, body_of, enrol, mail_to, unique
from org_helpers import Actor, audit_events, in_days, new_org, new_user, problem, world_of


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    base = world_of(api, mail, server, cluster)

    class W:
        pass

    w = W()
    w.staff = base.staff
    w.org = new_org(w.staff, "employer", unique("Zorg BV "))
    o = w.org["id"]
    w.main = new_user(api, mail, cluster, w.staff, o, ["user_management"])
    w.second = new_user(api, mail, cluster, w.main, o, ["user_management"])
    w.hr = new_user(api, mail, cluster, w.main, o, ["hr"])
    w.external = new_user(api, mail, cluster, w.second, o, ["hr_read"], expires_at=in_days(60))
    w.other = new_user(api, mail, cluster, w.staff,
                       new_org(w.staff, "employer", unique("Ander BV "))["id"], ["user_management"])
    return w


def email_of(actor):
    return actor.me["email"]


@pytest.mark.parametrize("path", ["second-factor-reset", "login-release", "main-administrator"])
def test_only_administrators_of_the_organisation_and_staff(w, path):
    problem(w.hr.post(f"/api/v1/users/{w.external.id}/{path}"), 403, "forbidden")
    problem(w.other.post(f"/api/v1/users/{w.hr.id}/{path}"), 404, "not_found")
    problem(w.main.post(f"/api/v1/users/{w.other.id}/{path}"), 404, "not_found")


def test_second_factor_reset_makes_the_next_login_enrol(api, mail, cluster, w):
    user = new_user(api, mail, cluster, w.main, w.org["id"], ["hr"])
    r = w.main.post(f"/api/v1/users/{user.id}/second-factor-reset")
    assert r.status_code == 204, r.text
    # The open session ends with it.
    assert user.get("/api/v1/me").status_code == 401
    m = mail_to(mail, email_of(user), "tweede inlogstap")
    assert "authenticator" in body_of(m) and w.org["name"] in body_of(m)
    fresh = Api(api.base)
    r = fresh.post("/api/v1/auth/login", json={"username": user.username, "password": PASSWORD})
    assert r.status_code == 200 and r.json()["mfa"] == "enroll", r.text
    # The old authenticator no longer works; a new one is linked.
    old = fresh.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"],
                                                "code": pyotp.TOTP(user.secret).now()})
    assert old.status_code != 200
    secret, tokens = enrol(Api(api.base), user.username)
    assert secret != user.secret and tokens["access_token"]
    assert ("user.second_factor_reset", user.id) in {
        (e["action"], e["target_id"]) for e in audit_events(w.main)}
    # Staff may too.
    assert w.staff.post(f"/api/v1/users/{user.id}/second-factor-reset").status_code == 204


def test_release_lets_a_throttled_user_sign_in_again(api, mail, cluster, w):
    user = new_user(api, mail, cluster, w.main, w.org["id"], ["hr"])
    fresh = Api(api.base)
    for _ in range(8):
        r = fresh.post("/api/v1/auth/login", json={"username": user.username, "password": "wrong-" * 3})
        if r.status_code == 429:
            break
    assert r.status_code == 429, r.text
    problem(fresh.post("/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}),
            429, "too_many_attempts")
    assert w.second.post(f"/api/v1/users/{user.id}/login-release").status_code == 204
    r = fresh.post("/api/v1/auth/login", json={"username": user.username, "password": PASSWORD})
    assert r.status_code == 200 and r.json()["mfa"] == "totp", r.text
    assert "weer inloggen" in mail_to(mail, email_of(user), "U kunt weer inloggen")["message"]["Subject"]
    events = [e for e in audit_events(w.main) if e["action"] == "user.login_released"]
    assert events and events[0]["target_id"] == user.id


def test_main_administrator_hands_over_the_role(api, mail, cluster, w):
    r = w.main.get(f"/api/v1/users/{w.hr.id}/responsibility")
    assert r.json()["main_administrator"]["id"] == w.main.id
    # Only the main administrator (or staff) hands it over, only to an
    # active internal administrator.
    problem(w.second.post(f"/api/v1/users/{w.second.id}/main-administrator"), 403, "forbidden")
    problem(w.main.post(f"/api/v1/users/{w.hr.id}/main-administrator"), 409,
            "main_administrator_ineligible")
    problem(w.main.post(f"/api/v1/users/{w.external.id}/main-administrator"), 409,
            "main_administrator_ineligible")
    assert w.main.post(f"/api/v1/users/{w.second.id}/main-administrator").status_code == 204
    assert w.main.get(f"/api/v1/users/{w.hr.id}/responsibility").json()["main_administrator"]["id"] == w.second.id
    mail_to(mail, email_of(w.second), "U bent nu hoofdbeheerder")
    assert w.second.me["first_name"] in body_of(mail_to(mail, email_of(w.main), "Hoofdbeheer overgedragen"))
    # The former main administrator may no longer hand it on; the new one may hand it back.
    problem(w.main.post(f"/api/v1/users/{w.main.id}/main-administrator"), 403, "forbidden")
    assert w.second.post(f"/api/v1/users/{w.main.id}/main-administrator").status_code == 204
    assert ("organisation.main_administrator_changed", w.main.id) in {
        (e["action"], e["target_id"]) for e in audit_events(w.main)}


def test_external_users_show_who_invited_them_and_who_answers_for_them(w, mail):
    r = w.main.get("/api/v1/external-users")
    assert r.status_code == 200, r.text
    mine = {u["user_id"]: u for u in r.json()["items"]}
    assert set(mine) == {w.external.id}
    e = mine[w.external.id]
    assert e["external"] is True and e["invited_by"]["id"] == w.second.id
    assert e["responsible"]["id"] == w.second.id
    problem(w.hr.get("/api/v1/external-users"), 403)
    problem(w.main.post(f"/api/v1/users/{w.hr.id}/responsibility",
                        json={"responsible_user_id": w.main.id}), 409, "not_external_user")
    r = w.main.post(f"/api/v1/users/{w.external.id}/responsibility",
                    json={"responsible_user_id": w.hr.id})
    assert ("/responsible_user_id", "unknown_id") in {
        (x["field"], x["code"]) for x in problem(r, 422)["errors"]}
    # The one responsible hands it over to the main administrator.
    r = w.second.post(f"/api/v1/users/{w.external.id}/responsibility",
                      json={"responsible_user_id": w.main.id})
    assert r.status_code == 200, r.text
    assert r.json()["responsible"]["id"] == w.main.id and r.json()["invited_by"]["id"] == w.second.id
    mail_to(mail, email_of(w.main), "verantwoordelijk voor een externe gebruiker")
    # Now the former one may not take it back; staff may set it.
    problem(w.second.post(f"/api/v1/users/{w.external.id}/responsibility",
                          json={"responsible_user_id": w.second.id}), 403)
    r = w.staff.get("/api/v1/external-users", params={"organisation_id": w.org["id"]})
    assert [u["responsible"]["id"] for u in r.json()["items"]] == [w.main.id]
    assert ("user.responsibility_handed_over", w.external.id) in {
        (x["action"], x["target_id"]) for x in audit_events(w.main)}
