"""Participants: search, a salary change and its appearance in submitted
changes; a change the insurer rejects, with its reason shown to the employer."""
import datetime

import pytest


def today():
    return datetime.date.today()


def nl(d):
    return d.strftime("%d-%m-%Y")


def test_search_change_salary_and_see_it_in_submitted_changes(browser, employer, participants, api):
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.click_tile("Deelnemers")
    browser.wait_h1("Deelnemers")
    table = browser.wait_css(".data-table tbody")
    browser.wait(lambda: len(browser.all(".data-table tbody tr")) == 6, what="six participants")
    assert "Assob, G., ter" in table.text and "€ 52.242,28" in table.text

    # Sort by salary, highest first (two clicks on the column heading).
    browser.d.find_element("xpath", "//th//button[starts-with(normalize-space(), 'Salaris')]").click()
    browser.wait(lambda: browser.css("th[aria-sort]").get_attribute("aria-sort") == "ascending", what="ascending")
    browser.d.find_element("xpath", "//th//button[starts-with(normalize-space(), 'Salaris')]").click()
    browser.wait(lambda: browser.css(".data-table tbody tr").text.startswith("")
                 and "Vries, J., de" in browser.css(".data-table tbody tr").text, what="highest salary first")
    browser.axe("participants list")

    browser.fill("q", "Assob")
    browser.click("Zoeken")
    browser.wait(lambda: len(browser.all(".data-table tbody tr")) == 1, what="one match")
    browser.d.find_element("link text", "Assob, G., ter").click()
    browser.wait_h1("Assob, G., ter")
    assert "€ 52.242,28" in browser.text()
    browser.axe("participant detail")

    browser.click("Salaris of parttime wijzigen")
    browser.fill("effective_date", nl(today() + datetime.timedelta(days=200)))
    browser.fill("salary", "55.000,00")
    browser.submit()
    browser.wait(lambda: browser.field_error("effective_date"), what="the window error")
    assert "uiterlijk" in browser.field_error("effective_date")
    browser.fill("effective_date", nl(today()))
    browser.axe("salary change form")
    browser.submit()
    browser.wait_text("De wijziging is verwerkt.")
    browser.wait(lambda: "€ 55.000,00" in browser.css("[aria-labelledby=employment-title]").text,
                 what="the new salary")
    history = browser.css("[aria-labelledby=history-title]").text.replace("\u00a0", " ")
    assert "Salaris (fulltime, per jaar): € 55.000,00" in history

    browser.open("/changes")
    browser.wait_h1("Ingediende wijzigingen")
    row = browser.wait(lambda: next((r for r in browser.all(".data-table tbody tr") if "Assob" in r.text), None),
                       what="the participant's row")
    assert "Salaris of parttime" in row.text and "€ 55.000,00" in row.text.replace("\u00a0", " ")
    assert "Verwerkt" in row.text
    assert nl(today()) in row.text
    browser.axe("submitted changes")


def test_a_rejected_change_shows_its_reason(browser, employer, participants, staff, api):
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open(f"/participants/{participants[3]}")
    browser.wait_h1("Linden, S., van der")
    browser.click("Salaris of parttime wijzigen")
    back = today() - datetime.timedelta(days=130)
    browser.fill("effective_date", nl(back))
    browser.fill("parttime_percentage", "72,5")
    browser.submit()
    browser.wait_text("wordt eerst door de verzekeraar gecontroleerd")
    assert "In behandeling" in browser.css("[aria-labelledby=history-title]").text
    browser.logout()

    # The insurer rejects it in the review queue.
    browser.login(staff["username"], staff["secret"])
    browser.click_tile("Te beoordelen")
    browser.wait_h1("Te beoordelen")
    browser.axe("review queue")
    browser.click("Afwijzen – Linden, S., van der")
    dialog = browser.wait_css("dialog[open]")
    browser.fill("reason", "Het parttimepercentage wijkt af van de arbeidsovereenkomst; stuur een kopie mee.")
    dialog.find_element("xpath", ".//button[normalize-space()='Afwijzen']").click()
    browser.wait_text('"Salaris of parttime" voor Linden, S., van der is afgewezen.')
    browser.logout()

    # The employer sees the reason with the change and in submitted changes.
    browser.login(admin["username"], admin["secret"])
    browser.open(f"/participants/{participants[3]}")
    browser.wait_h1("Linden, S., van der")
    history = browser.wait_css("[aria-labelledby=history-title]").text
    assert "Afgewezen" in history
    assert "Reden: Het parttimepercentage wijkt af van de arbeidsovereenkomst; stuur een kopie mee." in history
    assert "60%" in browser.css("[aria-labelledby=employment-title]").text
    browser.open("/changes")
    row = browser.wait(lambda: next((r for r in browser.all(".data-table tbody tr") if "Linden" in r.text), None),
                       what="the participant's row")
    assert "Afgewezen" in row.text and "Reden: Het parttimepercentage wijkt af" in row.text


def test_register_a_new_participant(browser, employer, participants):
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open("/participants/new")
    browser.wait_h1("Nieuwe deelnemer aanmelden")
    browser.d.find_element("css selector", 'select[data-field="scheme_id"] option:nth-child(2)').click()
    browser.fill("person.first_name", "Noor")
    browser.fill("person.surname", "Hendriks")
    browser.fill("person.birth_date", "12-04-1998")
    browser.fill("person.bsn", "123456781")
    start = today().replace(day=1)
    browser.fill("employment.start_date", nl(start))
    browser.fill("employment.salary", "39.500")
    browser.fill("employment.parttime_percentage", "100")
    browser.submit()
    assert browser.field_error("person.bsn") == "Dit is geen geldig BSN (11-proef)."
    import world
    browser.fill("person.bsn", world.valid_bsns(23456780, 1)[0])
    browser.axe("participant registration")
    browser.submit()
    browser.wait_h1("Nieuwe deelnemer aanmelden")
    browser.wait_text("Deelnemer aangemeld")
    assert "Hendriks, N. is aangemeld met deelnemersnummer" in browser.text()
    browser.click("Naar de deelnemer")
    browser.wait_h1("Hendriks, N.")
    assert "€ 39.500,00" in browser.text()


def test_export_as_of_a_date_and_download(browser, employer, participants, tmp_path):
    admin = employer["admin"]
    browser.d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.login(admin["username"], admin["secret"])
    browser.open("/exports")
    browser.wait_h1("Export deelnemersbestand")
    browser.fill("as_of", nl(today()))
    browser.d.find_element("xpath", "//label[starts-with(normalize-space(), 'CSV')]").click()
    browser.click("Export maken")
    browser.wait_text("De export wordt gemaakt.")
    browser.wait(lambda: "Klaar" in browser.css(".data-table tbody tr").text, timeout=30, what="the export to be ready")
    browser.axe("exports")
    browser.click("Downloaden – " + nl(today()) + " CSV")
    browser.wait(lambda: [p for p in tmp_path.iterdir() if not p.name.endswith(".crdownload")], what="the file")
    text = next(p for p in tmp_path.iterdir()).read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    for column in ("participant_number", "display_name", "salary", "parttime_percentage", "scheme_number"):
        assert column in header
    assert "Assob, G., ter" in text
