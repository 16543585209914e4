"""Naverrekening in the web app, the whole flow: staff open the
reconciliation of a stop-loss income scheme (through the API), the
employer's HR walks the steps in the browser (adds employees, ends one
employment and re-hires, types wages, adds a sick report, uploads the
payroll summary after confirming its checklist), hands in with one
problem left, follows its link to the employee, puts it right and hands in;
the handed-in reconciliation is read-only. Staff find it in their overview
(deadline passed), reopen it with a reason, and the employer sees that
reason when opening it again. An employer merges a likely duplicate and
sets the wages from a file (first with a wrong row, nothing changed, then
corrected); staff open a year for every income scheme and see what was
skipped."""
import os
import tempfile

import pytest

import world

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def need(routes, *wanted):
    missing = [r for r in wanted if r not in routes]
    if missing:
        pytest.skip("the API has no " + ", ".join(missing) + " yet")


@pytest.fixture(scope="module")
def recon(api, mail, staff, employer, routes):
    need(routes, "POST /api/v1/reconciliations", "POST /api/v1/reconciliations/:id/submit",
         "POST /api/v1/reconciliations/:id/reopen")
    scheme = world.create_scheme(
        api, staff["headers"], organisation_id=employer["org"]["id"], kind="income",
        name="Ziekteverzuim Stop-Loss Van Dijk", number="VZ-880499", start_date="2025-04-01",
        variant="stop_loss", insured_wage_type="uniform_wage")
    r = api.post("/api/v1/reconciliations", headers=staff["headers"], json={
        "scheme_id": scheme["id"], "year": 2025, "deadline": "2026-03-31",
        "premium_rate": "2.000", "provisional_premium": "3000.00",
        "own_risk_percentage": "5.000", "continued_pay_percentage": "70.000",
        "maximum_reimbursement": "5000.00"})
    assert r.status_code == 201, r.text
    hr = world.make_user(api, mail, employer["admin"]["headers"], "Ruud", "Hendriks",
                         "ruud@bakkerijvandijk.example", ["hr"], "ruud.hendriks")
    return {"id": r.json()["id"], "scheme": scheme, "hr": hr}


def row_button(browser, label, name):
    browser.click(f"{label} – {name}")


def wage_input(browser, name):
    xp = f"//tr[th[contains(normalize-space(), '{name}')]]//input[@name='insured_wage']"
    return browser.wait(lambda: (browser.d.find_elements("xpath", xp) or [None])[0], what=f"wage of {name}")


def add_employee(browser, initials, surname, born, gender, bsn, start, end="", fixed=False):
    browser.click("Werknemer toevoegen")
    browser.fill("person.initials", initials)
    browser.fill("person.surname", surname)
    browser.fill("person.birth_date", born)
    browser.d.find_element("css selector", f'select[data-field="person.gender"] option[value="{gender}"]').click()
    browser.fill("person.bsn", bsn)
    browser.fill("start_date", start)
    if end:
        browser.fill("end_date", end)
    if fixed:
        browser.field("fixed_term").click()
    browser.d.find_element("xpath", "//form[@aria-labelledby='recon-new-employee']//button[@type='submit']").click()
    browser.wait(lambda: f"{surname}, {initials}" in browser.css("[aria-labelledby=recon-employees-title] table").text
                 if browser.all("[aria-labelledby=recon-employees-title] table") else False,
                 what=f"employee {surname} in the list")


def test_employer_hands_in_and_staff_reopen(browser, api, staff, employer, recon):
    hr = recon["hr"]
    rid = recon["id"]
    bsns = world.valid_bsns(23456780, 2)

    # ---- the employer fills in the steps --------------------------------
    browser.login(hr["username"], hr["secret"])
    browser.click_tile("Naverrekening")
    browser.wait_h1("Naverrekening")
    browser.click("Naverrekening 2025")
    browser.wait_h1("Naverrekening 2025 – Ziekteverzuim Stop-Loss Van Dijk")
    browser.wait_text("Er staan nog geen werknemers in deze naverrekening.")
    add_employee(browser, "P.", "Jansen", "12-03-1984", "male", bsns[0], "01-03-2020")
    add_employee(browser, "L.", "de Boer", "02-07-1996", "female", bsns[1], "01-02-2025")
    # De Boer left on 30 June and came back on 1 September (a new main employment).
    row_button(browser, "Uit dienst melden", "de Boer, L.")
    browser.fill("end_date", "30-06-2025")
    browser.click("Opslaan")
    browser.wait_text("01-02-2025 – 30-06-2025")
    row_button(browser, "Opnieuw in dienst", "de Boer, L.")
    browser.fill("employments.1.start_date", "01-09-2025")
    browser.click("Opslaan")
    browser.wait_text("01-09-2025 – heden")
    browser.axe("reconciliation: employees")
    browser.screenshot("reconciliation-1-employees-nl-light-1280")

    browser.click("Volgende stap")
    browser.wait_css("[aria-labelledby=recon-wages-title]")
    el = wage_input(browser, "Jansen, P.")
    el.send_keys("41.000,00")
    browser.click("Opslaan – Jansen, P.")
    browser.wait(lambda: wage_input(browser, "Jansen, P.").get_attribute("value") == "41.000,00"
                 and not browser.all("[aria-busy=true]"), what="the wage saved")
    wages = {e["surname"]: e["insured_wage"] for e in api.get(
        f"/api/v1/reconciliations/{rid}/employees", headers=hr["headers"]).json()["items"]}
    assert wages == {"Jansen": "41000.00", "de Boer": None}, wages
    browser.axe("reconciliation: wages")
    browser.screenshot("reconciliation-2-wages-nl-light-1280")

    browser.click("Volgende stap")
    browser.wait_css("[aria-labelledby=recon-sick-title]")
    browser.click("Ziekmelding toevoegen")
    browser.d.find_element("xpath", "//select[@data-field='employee_id']/option[normalize-space()='Jansen, P.']").click()
    browser.fill("first_sick_day", "02-06-2025")
    browser.fill("report_date", "02-06-2025")
    browser.fill("recovery_date", "14-07-2025")
    browser.fill("ao_percentage", "100")
    browser.d.find_element("xpath", "//form[@aria-labelledby='recon-new-sick']//button[@type='submit']").click()
    browser.wait_text("14-07-2025")
    browser.axe("reconciliation: sick reports")
    browser.screenshot("reconciliation-3-sick-reports-nl-light-1280")

    browser.click("Volgende stap")
    browser.wait_css("[aria-labelledby=recon-evidence-title]")
    assert "Het portaal vraagt nooit om medische gegevens." in browser.text()
    assert "Het loon voor de werknemersverzekeringen per werknemer" in browser.text()
    assert "Het arbeidsongeschiktheidspercentage (AO%)" in browser.text()
    path = os.path.join(tempfile.mkdtemp(prefix="recon-"), "verzamelloonstaat-2025.pdf")
    with open(path, "wb") as f:
        f.write(PDF)
    browser.field("file-payroll_summary").send_keys(path)
    browser.click("Verzamelloonstaat toevoegen")  # not confirmed: refused next to the box
    browser.wait_text("Bevestig eerst dat het bestand aan de eisen voldoet.")
    browser.field("checklist_confirmed-payroll_summary").click()
    browser.click("Verzamelloonstaat toevoegen")
    browser.wait_text("verzamelloonstaat-2025.pdf – ontvangen op")
    browser.axe("reconciliation: evidence")
    browser.screenshot("reconciliation-4-evidence-nl-light-1280")

    # ---- check and hand in: De Boer has no wage yet ----------------------
    browser.click("Volgende stap")
    browser.wait_css("[aria-labelledby=recon-check-title]")
    browser.click("Klaar en verzenden")
    browser.wait_css(".recon-problems li[data-code=insured_wage_required]")
    assert "de Boer, L." in browser.css(".recon-problems").text
    browser.axe("reconciliation: check with problems")
    browser.screenshot("reconciliation-5-check-problems-nl-light-1280")
    browser.d.find_element("xpath", "//ul[contains(@class,'recon-problems')]//a[normalize-space()='de Boer, L.']").click()
    browser.wait_css("[aria-labelledby=recon-wages-title] .recon-problem-row")
    wage_input(browser, "de Boer, L.").send_keys("18.500,00")
    browser.click("Opslaan – de Boer, L.")
    browser.wait(lambda: not browser.all(".recon-problem-row"), what="the problem to go")
    browser.click("5 Controleren en verzenden")
    browser.click("Klaar en verzenden")
    browser.wait_text("Uw naverrekening is verzonden.")
    browser.wait_css("[data-testid=handed-in]")
    assert not browser.all("[aria-labelledby=recon-employees-title] button")  # read-only now
    assert not browser.all("[aria-labelledby=recon-new-employee]")
    rec = api.get(f"/api/v1/reconciliations/{rid}", headers=hr["headers"]).json()
    assert rec["status"] in ("submitted", "processed")
    browser.screenshot("reconciliation-6-handed-in-nl-light-1280")
    browser.logout()

    # ---- staff find it, see the result, and reopen it --------------------
    browser.login(staff["username"], staff["secret"])
    browser.open("/staff/reconciliations")
    browser.wait_h1("Naverrekeningen")
    browser.fill("filter_year", "2025")
    browser.wait(lambda: browser.all(f"[data-recon-id='{rid}']"), what="the reconciliation in the overview")
    browser.axe("staff reconciliations")
    browser.screenshot("reconciliation-7-staff-overview-nl-light-1280")
    browser.css(f"[data-recon-id='{rid}'] a").click()
    browser.wait_h1("Naverrekening 2025 – Ziekteverzuim Stop-Loss Van Dijk")
    browser.wait(lambda: browser.all("[data-status=processed]"), timeout=60, what="the result")
    browser.wait_text("Definitieve premie")
    browser.fill("reason", "Het loon van De Boer ontbreekt over juli en augustus.")
    browser.click("Opnieuw openzetten")
    browser.wait_text("De naverrekening staat weer open voor de werkgever.")
    browser.screenshot("reconciliation-8-staff-reopened-nl-light-1280")
    browser.logout()

    # ---- the employer sees the reason and may hand in again --------------
    browser.login(hr["username"], hr["secret"])
    browser.open(f"/reconciliations/{rid}")
    browser.wait_css("[data-testid=reopen-reason]")
    assert "Reden: Het loon van De Boer ontbreekt over juli en augustus." in browser.text()
    browser.wait_css("[aria-labelledby=recon-employees-title] button")
    browser.axe("reconciliation: reopened")
    browser.screenshot("reconciliation-9-reopened-nl-light-1280")
    browser.set_width(375)
    browser.click("2 Lonen")
    wage_input(browser, "Jansen, P.")
    browser.axe("reconciliation: wages on a phone")
    browser.screenshot("reconciliation-wages-nl-light-375")
    browser.set_width(1280)


def test_no_claim_has_no_sick_report_form_and_finance_reads_the_result(browser, api, mail, staff,
                                                                       employer, routes):
    need(routes, "POST /api/v1/reconciliations")
    scheme = world.create_scheme(
        api, staff["headers"], organisation_id=employer["org"]["id"], kind="income",
        name="Ziekteverzuim No-Claim Van Dijk", number="VZ-880500", start_date="2024-01-01",
        variant="no_claim", insured_wage_type="uniform_wage")
    r = api.post("/api/v1/reconciliations", headers=staff["headers"], json={
        "scheme_id": scheme["id"], "year": 2025, "deadline": "2027-03-31",
        "premium_rate": "1.500", "provisional_premium": "1200.00"})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    admin = employer["admin"]
    browser.login(admin["username"], admin["secret"])
    browser.open(f"/reconciliations/{rid}")
    browser.wait_h1("Naverrekening 2025 – Ziekteverzuim No-Claim Van Dijk")
    browser.click("3 Ziekmeldingen")
    browser.wait_text("Bij een Ziekteverzuimverzekering No-Claim kunt u geen ziekmeldingen meer toevoegen.")
    assert "Ziekmelding toevoegen" not in browser.text()
    browser.click("4 Aanleveren")
    browser.wait_css("[aria-labelledby=recon-evidence-payroll_summary]")
    assert not browser.all("[aria-labelledby=recon-evidence-absence_report]")
    browser.logout()

    # Handed in and processed (through the API): the result and the
    # specification documents, for the administrator and for finance.
    r = api.post(f"/api/v1/reconciliations/{rid}/employees", headers=admin["headers"], json={
        "person": {"initials": "K.", "surname": "Visser", "birth_date": "1979-10-01",
                   "gender": "female", "bsn": world.valid_bsns(34567890, 1)[0]},
        "employments": [{"start_date": "2018-01-01", "end_date": None, "fixed_term": False}],
        "insured_wage": "40000.00"})
    assert r.status_code == 201, r.text
    r = api.post(f"/api/v1/reconciliations/{rid}/submit", headers=admin["headers"])
    assert r.status_code == 200, r.text
    finance = world.make_user(api, mail, admin["headers"], "Femke", "Jacobs",
                              "femke@bakkerijvandijk.example", ["finance"], "femke.jacobs")
    browser.login(finance["username"], finance["secret"])
    browser.click_tile("Naverrekening")
    browser.wait_h1("Naverrekening")
    browser.d.find_element("xpath", "//tr[td[contains(., 'VZ-880500')]]//a").click()
    browser.wait_h1("Naverrekening 2025 – Ziekteverzuim No-Claim Van Dijk")
    browser.wait(lambda: api.get(f"/api/v1/reconciliations/{rid}", headers=finance["headers"]).json()[
        "status"] == "processed", timeout=60, what="the reconciliation to be processed")
    browser.open(f"/reconciliations/{rid}")
    browser.wait_css("[data-status=processed]")
    browser.wait_text("Definitieve premie")
    # 40,000.00 x 1.5% = 600.00 against 1,200.00 provisional: 600.00 back.
    assert "Terug te ontvangen" in browser.text()
    assert browser.css("[data-testid=settlement]").text == "€ 600,00"
    browser.button("Specificatie downloaden (PDF)")
    browser.button("Specificatie downloaden (XLSX)")
    assert not browser.all("[aria-label='Stappen van de naverrekening']")  # finance: no people
    browser.axe("reconciliation: result for finance")
    browser.screenshot("reconciliation-10-result-finance-nl-light-1280")
    browser.click("Specificatie downloaden (PDF)")
    assert not browser.all(".recon-spec .alert-error")


def test_merge_a_duplicate_and_upload_a_wage_file(browser, api, staff, employer, routes):
    need(routes, "POST /api/v1/reconciliations/:id/duplicates/merge", "POST /api/v1/reconciliations/:id/wages")
    scheme = world.create_scheme(
        api, staff["headers"], organisation_id=employer["org"]["id"], kind="income",
        name="Ziekteverzuim Bestand Van Dijk", number="VZ-880501", start_date="2024-01-01",
        variant="no_claim", insured_wage_type="uniform_wage")
    r = api.post("/api/v1/reconciliations", headers=staff["headers"], json={
        "scheme_id": scheme["id"], "year": 2025, "deadline": "2027-03-31",
        "premium_rate": "1.500", "provisional_premium": "1200.00"})
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    admin = employer["admin"]
    bsns = world.valid_bsns(45678901, 4)

    def add(initials, surname, born, bsn, start):
        r = api.post(f"/api/v1/reconciliations/{rid}/employees", headers=admin["headers"], json={
            "person": {"initials": initials, "surname": surname, "birth_date": born,
                       "gender": "female", "bsn": bsn},
            "employments": [{"start_date": start, "end_date": None, "fixed_term": False}]})
        assert r.status_code == 201, r.text
        return r.json()

    # The same person entered twice with a typing error in the BSN.
    first = add("M.", "Smit", "1988-04-12", bsns[0], "2019-01-01")
    add("M.", "Smit", "1988-04-12", bsns[1], "2025-07-01")
    add("T.", "Kok", "1975-11-30", bsns[2], "2015-03-01")

    browser.login(admin["username"], admin["secret"])
    browser.open(f"/reconciliations/{rid}")
    browser.wait_h1("Naverrekening 2025 – Ziekteverzuim Bestand Van Dijk")
    browser.wait_css(".recon-duplicates")
    assert "Zelfde naam en geboortedatum" in browser.css(".recon-duplicates").text
    browser.axe("reconciliation: likely duplicates")
    browser.screenshot("reconciliation-duplicates-nl-light-1280")
    browser.click("Samenvoegen")
    browser.d.find_element(
        "xpath", f"//label[normalize-space()='Smit, M. (BSN {bsns[0]})']").click()
    browser.axe("reconciliation: merge a duplicate")
    browser.screenshot("reconciliation-duplicates-merge-nl-light-1280")
    browser.click("Samenvoegen bevestigen")
    browser.wait(lambda: not browser.all(".recon-duplicates"), what="the pair merged")
    people = api.get(f"/api/v1/reconciliations/{rid}/employees", headers=admin["headers"]).json()["items"]
    assert sorted(e["bsn"] for e in people) == sorted([bsns[0], bsns[2]])
    kept = next(e for e in people if e["id"] == first["id"])
    assert [x["start_date"] for x in kept["employments"]] == ["2019-01-01", "2025-07-01"]
    browser.wait_text("01-07-2025 – heden")

    # ---- wages from a file: one wrong row changes nothing ----------------
    browser.click("2 Lonen")
    browser.wait_css(".recon-wage-file")
    folder = tempfile.mkdtemp(prefix="recon-wages-")
    bad = os.path.join(folder, "lonen-2025.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(f"BSN;Naam;Verzekerd loon\n{bsns[0]};Smit;42500,00\n{bsns[3]};Onbekend;30000\n{bsns[2]};Kok;38000,50\n")
    browser.field("wage-file").send_keys(bad)
    browser.click("Loonbestand uploaden")
    browser.wait_css(".recon-wage-file-errors li[data-row='3']")
    assert "1 fout gevonden" in browser.css(".recon-wage-file-errors").text
    assert "Regel 3" in browser.css(".recon-wage-file-errors li[data-row='3']").text
    wages = {e["bsn"]: e["insured_wage"] for e in api.get(
        f"/api/v1/reconciliations/{rid}/employees", headers=admin["headers"]).json()["items"]}
    assert wages == {bsns[0]: None, bsns[2]: None}, wages
    browser.axe("reconciliation: wage file with an error")
    browser.screenshot("reconciliation-wage-file-errors-nl-light-1280")

    good = os.path.join(folder, "lonen-2025-hersteld.csv")
    with open(good, "w", encoding="utf-8") as f:
        f.write(f"BSN;Naam;Verzekerd loon\n{bsns[0]};Smit;42500,00\n{bsns[2]};Kok;38000,50\n")
    browser.field("wage-file").send_keys(good)
    browser.click("Loonbestand uploaden")
    browser.wait_text("2 lonen bijgewerkt uit 2 regels")
    assert not browser.all(".recon-wage-file-errors")
    browser.wait(lambda: wage_input(browser, "Kok, T.").get_attribute("value") == "38.000,50", what="the reloaded wage")
    wages = {e["bsn"]: e["insured_wage"] for e in api.get(
        f"/api/v1/reconciliations/{rid}/employees", headers=admin["headers"]).json()["items"]}
    assert wages == {bsns[0]: "42500.00", bsns[2]: "38000.50"}, wages
    browser.screenshot("reconciliation-wage-file-done-nl-light-1280")

    # ---- the evidence file is listed with its download ------------------
    pdf = os.path.join(folder, "verzamelloonstaat.pdf")
    with open(pdf, "wb") as f:
        f.write(PDF)
    browser.click("4 Aanleveren")
    browser.field("file-payroll_summary").send_keys(pdf)
    browser.field("checklist_confirmed-payroll_summary").click()
    browser.click("Verzamelloonstaat toevoegen")
    browser.wait_text("verzamelloonstaat.pdf – ontvangen op")
    browser.wait_css(".recon-files a[href*='/evidence/']")
    browser.click("Downloaden – verzamelloonstaat.pdf")
    assert not browser.all(".recon-evidence .alert-error")
    browser.screenshot("reconciliation-evidence-download-nl-light-1280")
    browser.logout()


def test_staff_open_a_year_for_every_income_scheme(browser, staff, routes):
    need(routes, "POST /api/v1/reconciliations/bulk")
    # 2017: before every scheme of these tests starts, so all are skipped.
    browser.login(staff["username"], staff["secret"])
    browser.open("/staff/reconciliations")
    browser.wait_h1("Naverrekeningen")
    browser.click("Open voor alle inkomensregelingen")
    browser.fill("year", "2017")
    browser.fill("deadline", "31-03-2018")
    browser.fill("premium_rate", "2")
    browser.fill("provisional_premium", "1.000,00")
    browser.axe("staff: open a year for every income scheme")
    browser.click("Naverrekeningen openen")
    browser.wait_css("[data-testid=bulk-result]")
    result = browser.css("[data-testid=bulk-result]").text
    assert "Er is geen naverrekening over 2017 geopend." in result
    assert "de polis gaat pas na dit jaar in" in result
    browser.wait(lambda: "Ziekteverzuim" in browser.css("[data-testid=bulk-result]").text,
                 what="the skipped schemes by name")
    browser.screenshot("reconciliation-staff-open-all-nl-light-1280")
    browser.logout()
