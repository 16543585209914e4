"""User management in the browser: the rights rules applied while ticking
(an office's bundles, a right that needs a product, rights outside the
licences or never granted, a limited administrator), and an employer's
administrator adding, changing, re-inviting and deleting a colleague, with
the API's own field errors shown next to the field."""
import datetime

import pytest

import helpers
import world


def checked(browser, right):
    return browser.field(f"right-{right}").is_selected()


def enabled(browser, right):
    return browser.field(f"right-{right}").is_enabled()


def reason(browser, right):
    box = browser.field(f"right-{right}")
    return browser.d.find_element("id", box.get_attribute("aria-describedby")).text


def test_office_rights_rules_apply_as_you_tick(browser, office, api):
    admin = office["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open("/users")
    browser.wait_h1("Gebruikersbeheer")
    browser.click("Gebruiker toevoegen")
    browser.wait_h1("Gebruiker toevoegen")
    browser.field("right-klantbeeld")

    # Never granted, outside the licences, and waiting for a product right.
    assert not enabled(browser, "schadeverzekeringen_zakelijk")
    assert "nooit toegekend" in reason(browser, "schadeverzekeringen_zakelijk")
    assert not enabled(browser, "zorgverzekeringen")
    assert "Valt buiten de vergunningen van uw kantoor." in reason(browser, "zorgverzekeringen")
    assert not enabled(browser, "klantbeeld")
    assert "Vink eerst een productrecht aan." in reason(browser, "klantbeeld")

    # The three bank rights tick together; then Klantbeeld may be ticked.
    browser.field("right-beleggingsobjecten").click()
    browser.wait(lambda: checked(browser, "spaarrekeningen") and checked(browser, "vermogen"),
                 what="the bundle to tick together")
    assert "Ook aangevinkt: Spaarrekeningen, Vermogen." in browser.css(".rights-note").text
    assert enabled(browser, "klantbeeld")
    browser.field("right-klantbeeld").click()
    assert checked(browser, "klantbeeld")

    # Unticking one bank right unticks the bundle, and Klantbeeld loses its product.
    browser.field("right-vermogen").click()
    browser.wait(lambda: not checked(browser, "beleggingsobjecten") and not checked(browser, "klantbeeld"),
                 what="the bundle and Klantbeeld to untick")
    note = browser.css(".rights-note").text
    assert "Ook uitgevinkt:" in note and "Klantbeeld" in note
    assert not enabled(browser, "klantbeeld")

    browser.field("right-pensioenverzekering").click()
    browser.wait(lambda: checked(browser, "premiepensioenvorderingen"), what="Premiepensioenvorderingen")
    browser.field("right-klantbeeld").click()

    browser.fill("first_name", "Daan")
    browser.fill("last_name", "Visser")
    browser.fill("email", "daan@smitpartners.example")
    browser.axe("user form (office)")
    browser.submit()
    browser.wait_path("/users")
    browser.wait_text("Daan Visser is toegevoegd. Er is een uitnodiging gestuurd naar daan@smitpartners.example.")
    assert "Daan Visser" in browser.css(".data-table").text

    found = api.get("/api/v1/users?q=Visser", headers=admin["headers"]).json()["items"]
    assert [u["rights"] for u in found] == [["klantbeeld", "pensioenverzekering", "premiepensioenvorderingen"]]


def test_a_limited_administrator_only_gives_own_rights(browser, office, api, mail):
    limited = world.make_user(api, mail, office["admin"]["headers"], "Bram", "Smit",
                              "bram@smitpartners.example", ["user_management", "hypothecair_krediet"],
                              "bram.smit")
    browser.login(limited["username"], limited["secret"])
    browser.open("/users/new")
    browser.wait_h1("Gebruiker toevoegen")
    assert enabled(browser, "hypothecair_krediet")
    assert not enabled(browser, "pensioenverzekering")
    assert "U kunt dit recht alleen geven als u het zelf heeft." in reason(browser, "pensioenverzekering")
    # A bank right this administrator holds none of stays closed, with the bundle as the reason.
    assert not enabled(browser, "beleggingsobjecten")


def test_employer_administrator_manages_a_colleague(browser, employer, api, mail, routes):
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open("/users")
    browser.wait_h1("Gebruikersbeheer")
    table = browser.wait_css(".data-table").text
    for name in ("Pieter Bakker", "Fatima El Amrani", "Karin van Dijk"):
        assert name in table

    # Search on the last name.
    browser.fill("q", "Bakker")
    browser.click("Zoeken")
    browser.wait(lambda: "Fatima" not in browser.css(".data-table").text, what="search results")
    assert "Pieter Bakker" in browser.css(".data-table").text

    # Client-side checks first: nothing is sent, the first problem has focus.
    browser.open("/users/new")
    browser.wait_h1("Gebruiker toevoegen")
    browser.submit()
    browser.wait(lambda: browser.field_error("first_name"), what="a field error")
    assert browser.field_error("first_name") == "Vul dit veld in."
    assert browser.d.switch_to.active_element == browser.field("first_name")

    # The API's own field errors appear next to the field; typed values stay.
    browser.fill("first_name", "Eva")
    browser.fill("last_name", "de Boer" + "r" * 100)
    browser.fill("email", "eva.deboer@bakkerijvandijk.example")
    browser.fill("mobile", "06 12345678")
    browser.field("right-hr").click()
    browser.field("right-finance").click()
    if employer["schemes"]:
        browser.d.find_element("xpath", "//label[starts-with(normalize-space(), 'Alleen de regelingen')]").click()
        browser.field(f"scheme-{employer['schemes'][0]['id']}").click()
    browser.field("external").click()
    until = (datetime.date.today() + datetime.timedelta(days=60))
    browser.fill("expires_at", until.strftime("%d-%m-%Y"))
    browser.submit()
    browser.wait(lambda: browser.field_error("last_name"), what="the API's error on last_name")
    assert browser.field("email").get_attribute("value") == "eva.deboer@bakkerijvandijk.example"
    assert browser.field("right-finance").is_selected()

    browser.fill("last_name", "de Boer")
    browser.submit()
    browser.wait_path("/users")
    browser.wait_text("Eva de Boer is toegevoegd.")
    eva = api.get("/api/v1/users?q=Boer", headers=admin["headers"]).json()["items"][0]
    assert eva["rights"] == ["finance", "hr"]
    assert eva["status"] == "invited"
    assert eva["expires_at"].startswith(until.isoformat()) or eva["expires_at"] > until.isoformat()
    if employer["schemes"]:
        assert eva["scheme_ids"] == [employer["schemes"][0]["id"]]
    helpers.mail_to(mail, "eva.deboer@bakkerijvandijk.example", "Activeer")

    # Change: untick Finance.
    browser.d.find_element("link text", "Eva de Boer").click()
    browser.wait_h1("Eva de Boer")
    assert browser.field("expires_at").get_attribute("value") == until.strftime("%d-%m-%Y")
    browser.axe("user edit")
    browser.field("right-finance").click()
    browser.submit()
    browser.wait_path("/users")
    browser.wait_text("De wijzigingen voor Eva de Boer zijn opgeslagen.")
    assert api.get(f"/api/v1/users/{eva['id']}", headers=admin["headers"]).json()["rights"] == ["hr"]

    # Re-send the invitation.
    before = len([m for m in mail.messages if "eva.deboer@bakkerijvandijk.example" in m["to"]])
    browser.open(f"/users/{eva['id']}")
    browser.click("Uitnodiging opnieuw versturen")
    browser.wait_text("Er is een nieuwe uitnodiging gestuurd naar eva.deboer@bakkerijvandijk.example.")
    mail.wait_for(lambda m: len([x for x in mail.messages
                                 if "eva.deboer@bakkerijvandijk.example" in x["to"]]) > before)

    # Delete, with a confirmation dialog that can be cancelled.
    browser.click("Gebruiker verwijderen")
    dialog = browser.wait_css("dialog[open]")
    browser.axe("delete confirmation")
    dialog.find_element("xpath", ".//button[normalize-space()='Annuleren']").click()
    browser.wait(lambda: not browser.all("dialog[open]"), what="the dialog to close")
    assert api.get(f"/api/v1/users/{eva['id']}", headers=admin["headers"]).status_code == 200
    browser.click("Gebruiker verwijderen")
    browser.wait_css("dialog[open]").find_element("xpath", ".//button[normalize-space()='Ja, verwijderen']").click()
    browser.wait_path("/users")
    browser.wait_text("Eva de Boer is verwijderd.")
    assert api.get(f"/api/v1/users/{eva['id']}", headers=admin["headers"]).status_code == 404


def test_own_rights_cannot_be_changed_and_the_last_administrator_stays(browser, employer):
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open(f"/users/{admin['id']}")
    browser.wait_h1("Karin van Dijk")
    assert "U kunt uw eigen rechten niet wijzigen." in browser.text()
    assert not browser.field("right-user_management").is_enabled()
    assert "U kunt uw eigen account niet verwijderen." in browser.text()


def test_users_without_the_right_see_no_user_management(browser, employer, api, mail):
    hr = world.make_user(api, mail, employer["admin"]["headers"], "Lotte", "Mulder",
                         "lotte@bakkerijvandijk.example", ["hr"], "lotte.mulder")
    browser.login(hr["username"], hr["secret"])
    assert not browser.d.find_elements("link text", "Gebruikersbeheer")
    browser.open("/users")
    browser.wait_h1("Geen toegang")
    # "Uw organisatie" shows whom to ask.
    browser.open("/organisation")
    browser.wait_h1("Uw organisatie")
    admins = browser.css("[aria-labelledby=admins-title]").text
    assert "Karin van Dijk" in admins and "karin@bakkerijvandijk.example" in admins
