"""Collectieve wijzigingen: upload a salary-change file, see it checked,
confirm it and follow it until it is applied; the collective tab lists it."""
import datetime


def nl(d):
    return d.strftime("%d-%m-%Y")


def test_upload_confirm_and_follow_a_salary_change(browser, employer, participants, api, tmp_path):
    admin = employer["admin"]
    scheme = employer["schemes"][0]["id"]
    # Two participants the other browser tests do not look at (they check
    # Assob's salary, Van der Linden's changes and that De Vries earns most).
    rows = [p for p in api.get(f"/api/v1/participants?scheme_id={scheme}&sort=salary",
                               headers=admin["headers"]).json()["items"]
            if not p["display_name"].startswith(("Assob", "Vries", "Linden"))][:2]
    lines = ["participant_number,new_salary,new_parttime_percentage"]
    lines += [f"{p['participant_number']},61000.00," for p in rows]
    lines += ["999999999,1,"]
    path = tmp_path / "salariswijziging.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    browser.login(admin["username"], admin["secret"])
    browser.open("/batches")
    browser.wait_h1("Collectieve wijzigingen")
    browser.fill("effective_date", nl(datetime.date.today()))
    browser.field("file").send_keys(str(path))
    browser.click("Uploaden en controleren")
    browser.wait_text("Bevat fouten")
    assert "Er is geen deelnemer met dit deelnemernummer" in browser.text()
    browser.axe("batch with errors")
    browser.d.find_element("xpath", "//label[starts-with(normalize-space(), 'Alleen de goede regels')]").click()
    browser.click("Bevestigen en verwerken")
    browser.wait(lambda: browser.css("[data-batch-id] [data-status]").get_attribute("data-status") == "processed",
                 timeout=60, what="the batch to be applied")
    assert "2 regels verwerkt" in browser.text()
    table = browser.css("[aria-labelledby=batch-list-title]").text
    assert "Verwerkt" in table
