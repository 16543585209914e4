"""Mandates, API tokens, the audit log and the staff screens, each when the
API has its endpoints (`portal-api routes`)."""
import pytest
import requests

import world


def need(routes, *wanted):
    missing = [r for r in wanted if r not in routes]
    if missing:
        pytest.skip("the API has no " + ", ".join(missing) + " yet")


def test_mandate_granted_and_revoked(browser, employer, advisor_office, routes, api):
    need(routes, "GET /api/v1/mandates", "POST /api/v1/mandates", "DELETE /api/v1/mandates/:id",
         "GET /api/v1/intermediaries")
    if not employer["schemes"]:
        pytest.skip("no schemes to mandate")
    admin = employer["admin"]
    pension = employer["schemes"][0]
    browser.login(admin["username"], admin["secret"])
    browser.open("/mandates")
    browser.wait_h1("Machtigingen")

    browser.click("Machtiging geven")  # nothing chosen yet: errors next to the choices
    browser.wait_text("Zoek en kies een adviseur.")
    browser.fill("office_q", "Van den Berg")
    browser.click("Zoeken")
    option = browser.wait_css('input[data-field="intermediary_id"]')
    assert option.is_selected()  # the only match is chosen
    browser.field(f"scheme-{pension['id']}").click()
    browser.d.find_element("xpath", "//label[starts-with(normalize-space(), 'Inzien en wijzigen')]").click()
    browser.axe("mandates: grant form")
    browser.click("Machtiging geven")
    browser.wait_text("Van den Berg Pensioenadvies B.V. heeft nu een machtiging.")
    row = browser.wait_css(".data-table tbody tr").text
    assert "Pensioenregeling Bakkerij Van Dijk" in row and "Inzien en wijzigen" in row

    mandates = api.get("/api/v1/mandates", headers=admin["headers"]).json()["items"]
    assert [(m["intermediary"]["id"], m["access"], m["scheme_ids"]) for m in mandates if not m["revoked_at"]] == \
        [(advisor_office["id"], "read_write", [pension["id"]])]

    browser.click("Intrekken – Van den Berg Pensioenadvies B.V.")
    browser.wait_css("dialog[open]").find_element("xpath", ".//button[normalize-space()='Intrekken']").click()
    browser.wait_text("De machtiging voor Van den Berg Pensioenadvies B.V. is ingetrokken.")
    browser.wait_text("Ingetrokken op")
    assert all(m["revoked_at"] for m in api.get("/api/v1/mandates", headers=admin["headers"]).json()["items"])


def test_api_token_secret_shown_once_then_revoked(browser, employer, routes, server):
    need(routes, "GET /api/v1/api-tokens", "POST /api/v1/api-tokens", "DELETE /api/v1/api-tokens/:id")
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open("/api-tokens")
    browser.wait_h1("API-sleutels")
    browser.fill("name", "Salarispakket Loket")
    browser.field("right-user_management").click()
    browser.click("Sleutel aanmaken")
    secret = browser.wait_css("[data-secret]").text
    assert secret.startswith("pat_")
    assert browser.button("Sleutel kopiëren")
    browser.axe("API token: secret shown once")

    # The secret works as a bearer token, and the list never shows it again.
    me = requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10)
    assert me.status_code == 200 and me.json()["auth"] == "api_token"
    browser.click("Ik heb de sleutel bewaard")
    browser.wait(lambda: not browser.all("[data-secret]"), what="the secret to go")
    row = browser.wait_css(".data-table tbody tr").text
    assert "Salarispakket Loket" in row and secret not in browser.text()
    assert f"pat_{secret[4:12]}" in row

    browser.click("Intrekken – Salarispakket Loket")
    browser.wait_css("dialog[open]").find_element("xpath", ".//button[normalize-space()='Intrekken']").click()
    browser.wait_text('De sleutel "Salarispakket Loket" is ingetrokken.')
    browser.wait(lambda: "Ingetrokken" in browser.css(".data-table tbody tr").text, what="revoked status")
    me = requests.get(server.url + "/api/v1/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10)
    assert me.status_code == 401


def test_audit_log_filters_by_subject(browser, employer, routes):
    need(routes, "GET /api/v1/audit-events")
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open("/audit-events")
    browser.wait_h1("Logboek")
    browser.wait_css(".data-table")
    browser.d.find_element("css selector", 'select[data-field="target_type"] option[value="user"]').click()
    browser.fill("from", "32-01-2026")
    browser.click("Filters toepassen")
    assert "Vul een geldige datum in" in browser.field_error("from")
    browser.fill("from", "")
    browser.click("Filters toepassen")
    browser.wait(lambda: all("Gebruiker" in r.text.split("\n")[-2] or "Gebruiker" in r.text
                             for r in browser.all(".data-table tbody tr")), what="user events only")
    assert "Gebruiker uitgenodigd" in browser.css(".data-table").text
    assert "Organisatie aangemaakt" not in browser.css(".data-table").text


def test_staff_create_an_employer_with_a_scheme_and_its_first_administrator(browser, staff, routes, api, mail):
    need(routes, "GET /api/v1/organisations", "POST /api/v1/organisations", "POST /api/v1/schemes")
    browser.login(staff["username"], staff["secret"])
    browser.wait_h1("Welkom, Sanne")
    browser.click_tile("Klantorganisaties")
    browser.wait_h1("Klantorganisaties")
    browser.click("Organisatie toevoegen")
    browser.wait_h1("Organisatie toevoegen")
    browser.fill("name", "Installatiebedrijf Hendriks B.V.")
    browser.fill("registration_number", "41234567")
    browser.fill("notification_email", "info@hendriks.example")
    browser.fill("visiting_address.street", "Industrieweg")
    browser.fill("visiting_address.house_number", "21")
    browser.fill("visiting_address.postal_code", "5061 KA")
    browser.fill("visiting_address.city", "Oisterwijk")
    browser.axe("staff: new organisation")
    browser.submit()
    browser.wait_h1("Installatiebedrijf Hendriks B.V.")
    browser.wait_text("Installatiebedrijf Hendriks B.V. is aangemaakt.")
    org_id = browser.path().rsplit("/", 1)[1]

    browser.click("Regeling toevoegen")
    browser.fill("name", "Pensioenregeling Hendriks")
    browser.fill("number", "PR-771204")
    browser.fill("start_date", "01-01-2024")
    browser.d.find_element("xpath", "//form//button[@type='submit'][normalize-space()='Regeling toevoegen']").click()
    browser.wait_text("De regeling Pensioenregeling Hendriks is toegevoegd.")
    assert "01-01-2024" in browser.css("[aria-labelledby=schemes-title] .data-table").text

    browser.click("Gebruiker uitnodigen")
    browser.wait_h1("Gebruiker toevoegen")
    browser.fill("first_name", "Ruud")
    browser.fill("last_name", "Hendriks")
    browser.fill("email", "ruud@hendriks.example")
    browser.field("right-user_management").click()
    browser.submit()
    browser.wait_path(f"/staff/organisations/{org_id}")
    browser.wait_text("Ruud Hendriks is toegevoegd.")
    assert "Ruud Hendriks" in browser.css("[aria-labelledby=org-users-title] .data-table").text
    r = api.get(f"/api/v1/users?organisation_id={org_id}", headers=staff["headers"]).json()["items"]
    assert [(u["first_name"], u["rights"]) for u in r] == [("Ruud", ["user_management"])]
    browser.axe("staff: organisation detail")
