"""axe-core on each main screen in both themes (no serious or critical
findings), and the screenshots in frontend/screenshots/ (written when
PORTAL_SCREENSHOTS=1): both languages, both themes, 1280 and 375 px wide."""
import datetime

import world

# (language, theme, width): every language in both themes, every width in both themes.
VARIANTS = [("nl", "light", 1280), ("en", "dark", 1280), ("nl", "dark", 375), ("en", "light", 375)]
ALL = {v for v in VARIANTS}
TWO = {("nl", "light", 1280), ("nl", "dark", 375)}
NONE = set()

# (name, path, variants with a screenshot). axe runs on every screen at 1280
# px in both themes, and on every screenshot.
EMPLOYER_SCREENS = [
    ("home", "/", ALL),
    ("participants", "/participants", ALL),
    ("participant", None, ALL),  # filled in with a participant's id
    ("participant-new", "/participants/new", NONE),
    ("changes", "/changes", TWO),
    ("exports", "/exports", NONE),
    ("users", "/users", ALL),
    ("user-new", "/users/new", ALL),
    ("organisation", "/organisation", TWO),
    ("mandates", "/mandates", TWO),
    ("api-tokens", "/api-tokens", TWO),
    ("audit", "/audit-events", TWO),
    ("schemes", "/schemes", NONE),
    ("profile", "/profile", NONE),
    ("service", "/service", NONE),
]


def choose(browser, lang, theme):
    """Language and theme through the header controls, as a user would."""
    if browser.d.execute_script("return document.documentElement.lang") != lang:
        browser.css(f".lang-switch button[lang={lang}]").click()
        browser.wait(lambda: browser.d.execute_script("return document.documentElement.lang") == lang,
                     what=f"language {lang}")
    if browser.d.execute_script("return document.documentElement.dataset.theme") != theme:
        browser.css(".header-tools button.toggle.tool").click()
        browser.wait(lambda: browser.d.execute_script("return document.documentElement.dataset.theme") == theme,
                     what=f"theme {theme}")


def settle(browser):
    """Lists and forms have loaded (no spinner left)."""
    browser.wait(lambda: not browser.all(".loading"), what="loading to finish")


def tour(browser, screens, wait_for_prefs=None):
    for lang, theme, width in VARIANTS:
        browser.set_width(width)
        visited = False
        for name, path, shots in screens:
            if path is None:
                continue
            shot = (lang, theme, width) in shots
            if width < 1280 and not shot:
                continue
            browser.go(path)
            choose(browser, lang, theme)
            visited = True
            settle(browser)
            browser.axe(f"{name} ({lang}, {theme}, {width}px)")
            if shot:
                browser.screenshot(f"{name}-{lang}-{theme}-{width}")
        if wait_for_prefs and visited:
            wait_for_prefs(lang, theme)
    browser.set_width(1280)


def test_login_screen(browser):
    for lang, theme, width in VARIANTS:  # the public shell keeps its choice locally
        browser.set_width(width)
        browser.open("/login")
        choose(browser, lang, theme)
        browser.axe(f"login ({lang}, {theme}, {width}px)")
        browser.screenshot(f"login-{lang}-{theme}-{width}")
    browser.set_width(1280)


def test_employer_administrator_screens(browser, employer, advisor_office, routes, api, request):
    admin = employer["admin"]
    screens = list(EMPLOYER_SCREENS)
    if "GET /api/v1/participants" in routes and employer["schemes"]:
        ids = request.getfixturevalue("participants")
        screens = [(n, f"/participants/{ids[0]}" if n == "participant" else p, s) for n, p, s in screens]
    else:
        screens = [x for x in screens if not x[0].startswith("participant") and x[0] not in ("changes", "exports")]
    # Something in every list.
    if employer["schemes"] and "POST /api/v1/mandates" in routes:
        r = api.post("/api/v1/mandates", headers=admin["headers"],
                     json={"intermediary_id": advisor_office["id"], "access": "read",
                           "scheme_ids": [s["id"] for s in employer["schemes"]]})
        assert r.status_code == 201, r.text
    if "POST /api/v1/api-tokens" in routes:
        until = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()
        r = api.post("/api/v1/api-tokens", headers=admin["headers"],
                     json={"name": "Salarispakket Nmbrs", "rights": ["user_management"],
                           "scheme_ids": None, "expires_at": until})
        assert r.status_code == 201, r.text

    def prefs_saved(lang, theme):
        # The next variant starts from what the account has stored.
        browser.wait(lambda: (lambda me: (me["language"], me["theme"]) == (lang, theme))(
            api.get("/api/v1/me", headers=admin["headers"]).json()), what="PATCH /me")

    browser.login(admin["username"], admin["secret"])
    tour(browser, screens, prefs_saved)
    browser.open("/")
    choose(browser, "nl", "light")
    prefs_saved("nl", "light")


def test_staff_screens(browser, staff, employer, api, routes, request):
    def prefs_saved(lang, theme):
        browser.wait(lambda: (lambda me: (me.get("language"), me.get("theme")) == (lang, theme))(
            api.get("/api/v1/me", headers=staff["headers"]).json()),
            what=f"PATCH /me: {api.get('/api/v1/me', headers=staff['headers']).text[:300]}")

    browser.login(staff["username"], staff["secret"])
    screens = [
        ("staff-organisations", "/staff/organisations", TWO),
        ("staff-organisation", f"/staff/organisations/{employer['org']['id']}", TWO),
        ("staff-audit", f"/audit-events?organisation_id={employer['org']['id']}", NONE),
    ]
    if "GET /api/v1/reviews" in routes and employer["schemes"]:
        # Something to review: a change dated more than three months back.
        ids = request.getfixturevalue("participants")
        back = (datetime.date.today() - datetime.timedelta(days=120)).isoformat()
        r = api.post(f"/api/v1/participants/{ids[1]}/changes", headers=employer["admin"]["headers"],
                     json={"type": "salary_change", "effective_date": back, "salary": "43250.00"})
        assert r.status_code == 201 and r.json()["status"] == "pending_review", r.text
        screens.append(("staff-reviews", "/staff/reviews", TWO))
    tour(browser, screens, prefs_saved)
    browser.open("/")
    choose(browser, "nl", "light")
    prefs_saved("nl", "light")
