"""Activation from the invitation mail to the first login with TOTP
enrolment and the recovery codes; login with a code; the way back to the page
the user asked for."""
import pyotp

import helpers
import world
from ui import PASSWORD, mail_link


def test_activation_from_invitation_to_first_login(browser, api, mail, staff):
    org = world.create_org(api, staff["headers"], kind="employer", name="Tuincentrum De Linde B.V.",
                           registration_number="27654321")
    email = "joost@tuincentrumdelinde.example"
    world.invite(api, staff["headers"], "Joost", "de Linde", email, ["user_management"],
                 organisation_id=org["id"])

    # The link from the mail; the token leaves the address bar at once.
    browser.d.get(mail_link(mail, email, "/activate"))
    browser.wait_ready()
    assert "token" not in browser.d.current_url
    assert browser.h1() == "Account activeren"
    browser.axe("activation: e-mail step")

    browser.fill("email", email)
    browser.submit()
    code = helpers.code_in(helpers.mail_to(mail, email, "verificatiecode"))
    browser.wait_h1("Verificatiecode invullen")
    browser.fill("code", code)
    browser.submit()

    browser.wait_h1("Gebruikersnaam en wachtwoord kiezen")
    browser.fill("username", "joost.delinde")
    browser.fill("password", PASSWORD)
    browser.fill("passwordRepeat", PASSWORD)
    browser.wait_text("Wachtwoord sterk")  # the lazily loaded strength meter
    browser.axe("activation: username and password")
    browser.submit()
    browser.wait_h1("Account geactiveerd")
    browser.click("Naar inloggen")

    # First login: enrol the authenticator with the secret shown on the page.
    browser.wait_path("/login")
    browser.fill("username", "joost.delinde")
    browser.fill("password", PASSWORD)
    browser.submit()
    browser.wait_h1("Twee-factor-authenticatie instellen")
    secret = browser.wait_css(".secret-value code").text.replace(" ", "")
    assert browser.css(".qr img").get_attribute("src").startswith("data:image/svg+xml;base64,")
    browser.axe("first login: enrolment")
    browser.fill("code", pyotp.TOTP(secret).now())
    browser.submit()

    # The recovery codes, once, with a "stored them" step before going on.
    browser.wait_h1("Uw herstelcodes")
    codes = [c.text for c in browser.all(".codes code")]
    assert len(codes) >= 8 and len(set(codes)) == len(codes)
    browser.axe("first login: recovery codes")
    browser.click("Doorgaan naar het portaal")
    assert "Bevestig dat u de codes veilig heeft bewaard." in browser.field_error("stored")
    assert browser.path() == "/login"
    browser.field("stored").click()
    browser.click("Doorgaan naar het portaal")
    browser.wait_signed_in()
    browser.wait_h1("Welkom, Joost")
    assert browser.css(".org-name").text.endswith("Tuincentrum De Linde B.V.")

    # The API agrees: enrolled, with those codes (one of them works).
    helpers.rewind_totp(browser.cluster, "joost.delinde")
    r = api.post("/api/v1/auth/login", json={"username": "joost.delinde", "password": PASSWORD})
    assert r.json()["mfa"] == "totp"
    r = api.post("/api/v1/auth/mfa", json={"mfa_token": r.json()["mfa_token"], "recovery_code": codes[0]})
    assert r.status_code == 200, r.text


def test_login_with_a_code_returns_to_the_page_asked_for(browser, employer):
    admin = employer["admin"]
    helpers.rewind_totp(browser.cluster, admin["username"])
    browser.open("/organisation")
    browser.wait_path("/login")
    browser.axe("login")
    browser.fill("username", admin["username"])
    browser.fill("password", "not-the-password")
    browser.submit()
    browser.wait_css(".alert-error")
    assert browser.field("password").get_attribute("value") == "not-the-password"

    browser.fill("password", PASSWORD)
    browser.submit()
    browser.wait_h1("Twee-factor-authenticatie")
    browser.axe("login: second factor")
    now = pyotp.TOTP(admin["secret"])
    wrong = f"{(int(now.now()) + 500000) % 1000000:06d}"
    browser.fill("code", wrong)
    browser.submit()
    browser.wait(lambda: browser.field_error("code") or browser.all(".alert-error"), what="code error")
    browser.fill("code", now.now())
    browser.submit()
    browser.wait_signed_in()
    browser.wait_path("/organisation")
    browser.wait_h1("Uw organisatie")
