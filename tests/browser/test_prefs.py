"""Language and dark mode are saved with PATCH /api/v1/me: they survive a
reload and follow the user to a browser that has never seen them."""
import world
from ui import Browser


def html_state(browser):
    return browser.d.execute_script(
        "return [document.documentElement.lang, document.documentElement.dataset.theme]")


def test_language_and_dark_mode_follow_the_user(browser, driver_factory, api, mail, employer, server, cluster):
    user = world.make_user(api, mail, employer["admin"]["headers"], "Sophie", "Jansen",
                           "sophie@bakkerijvandijk.example", ["hr_read"], "sophie.jansen")
    browser.login(user["username"], user["secret"])
    browser.wait_h1("Welkom, Sophie")
    assert html_state(browser) == ["nl", "light"]

    browser.css(".lang-switch button[lang=en]").click()
    browser.wait_h1("Welcome, Sophie")
    browser.css(".header-tools button.toggle.tool").click()
    browser.wait(lambda: html_state(browser) == ["en", "dark"], what="English and dark")
    assert browser.css(".header-tools button.toggle.tool").get_attribute("aria-pressed") == "true"
    browser.axe("home, English, dark")

    # Saved on the account (the PATCH is sent in the background).
    browser.wait(lambda: (lambda me: (me["language"], me["theme"]) == ("en", "dark"))(
        api.get("/api/v1/me", headers=user["headers"]).json()), what="PATCH /me")

    browser.d.refresh()
    browser.wait_signed_in()
    browser.wait_h1("Welcome, Sophie")
    assert html_state(browser) == ["en", "dark"]

    # A fresh browser profile: Dutch and light until the account is known.
    other = Browser(driver_factory(), server.base, cluster, mail)
    other.open("/login")
    assert html_state(other) == ["nl", "light"]
    assert other.h1() == "Inloggen"
    other.login(user["username"], user["secret"])
    other.wait_h1("Welcome, Sophie")
    assert html_state(other) == ["en", "dark"]

    # Back to Dutch there; the first browser follows after its next reload.
    other.css(".lang-switch button[lang=nl]").click()
    other.wait_h1("Welkom, Sophie")
    browser.wait(lambda: api.get("/api/v1/me", headers=user["headers"]).json()["language"] == "nl",
                 what="PATCH /me from the second browser")
    other.d.quit()
    browser.d.refresh()
    browser.wait_signed_in()
    browser.wait_h1("Welkom, Sophie")
    assert html_state(browser) == ["nl", "dark"]
