"""Documents and account care in the web app: staff publish a document, the
finance user sees the unread count on the home tile and the tab, downloads
it and the mark goes; an administrator resets a colleague's second factor
from the user screen."""
import os
import tempfile

import pytest

import helpers
import world


def need(routes, *wanted):
    missing = [r for r in wanted if r not in routes]
    if missing:
        pytest.skip("the API has no " + ", ".join(missing) + " yet")


@pytest.fixture(scope="module")
def finance(api, mail, employer):
    return world.make_user(api, mail, employer["admin"]["headers"], "Fenna", "de Graaf",
                           "fenna@bakkerijvandijk.example", ["finance"], "fenna.degraaf")


def test_staff_publish_and_finance_reads(browser, staff, employer, finance, routes, api):
    need(routes, "POST /api/v1/documents", "GET /api/v1/documents", "GET /api/v1/documents/:id/file")
    path = os.path.join(tempfile.mkdtemp(prefix="doc-"), "factuur-november.pdf")
    with open(path, "wb") as f:
        f.write(b"%PDF-1.4\n% Factuur november\n%%EOF\n")

    browser.login(staff["username"], staff["secret"])
    browser.open("/staff/documents")
    browser.wait_h1("Documenten publiceren")
    browser.click("Publiceren")  # nothing filled in: errors next to the fields
    browser.wait_text("Kies een werkgever")
    org = employer["org"]
    browser.d.find_element("css selector", f'select[data-field="organisation_id"] option[value="{org["id"]}"]').click()
    browser.fill("title", "Factuur november 2026")
    browser.fill("document_date", "30-11-2026")
    browser.fill("amount", "1250,00")
    browser.fill("due_date", "31-12-2026")
    browser.css('input[type="file"]').send_keys(path)
    browser.axe("staff documents: publish form")
    browser.click("Publiceren")
    browser.wait_text("Het document is gepubliceerd.")
    browser.wait(lambda: "Factuur november 2026" in browser.text(), what="the new row")
    browser.screenshot("staff-documents-nl-light-1280")
    browser.logout()

    browser.login(finance["username"], finance["secret"])
    tile = browser.wait_css(".tile-badge")
    assert tile.text == "1 nieuw"
    browser.screenshot("home-documents-nl-light-1280")
    browser.open("/documents/financial")
    browser.wait_h1("Financiële documenten")
    browser.wait_text("Factuur november 2026")
    browser.wait(lambda: "1 nieuw" in browser.css(".doc-tabs").text, what="the unread count on the tabs")
    assert "€ 1.250,00" in browser.text() or "1.250,00" in browser.text()
    browser.axe("financial documents")
    browser.screenshot("documents-financial-nl-light-1280")
    browser.click("Downloaden – Factuur november 2026")
    browser.wait(lambda: not browser.all(".doc-new"), what="the new mark to go")
    browser.wait_text("Eerst geopend door Fenna de Graaf")
    docs = api.get("/api/v1/documents", headers=finance["headers"]).json()["items"]
    assert docs[0]["read_at"] and docs[0]["first_read"]["by"] == "Fenna de Graaf"
    browser.click("Boekingsoverzichten")
    browser.wait_text("Er zijn (nog) geen documenten.")


def test_administrator_resets_a_second_factor(browser, employer, api, mail, routes):
    need(routes, "POST /api/v1/users/:id/second-factor-reset")
    colleague = world.make_user(api, mail, employer["admin"]["headers"], "Joost", "Verbeek",
                                "joost@bakkerijvandijk.example", ["hr"], "joost.verbeek")
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open(f"/users/{colleague['id']}")
    browser.wait_text("Accountbeheer")
    browser.wait_text("Hoofdbeheerder")
    browser.axe("user: account care")
    browser.screenshot("user-care-nl-light-1280")
    browser.click("Tweede inlogstap opnieuw instellen")
    browser.wait_text("De tweede inlogstap is opnieuw ingesteld.")
    r = api.post("/api/v1/auth/login", json={"username": "joost.verbeek", "password": helpers.PASSWORD})
    assert r.status_code == 200 and r.json()["mfa"] == "enroll"
