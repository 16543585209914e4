"""Driving the SPA in headless Chromium: start-up, explicit waits, form
filling by the inputs' data-field names, axe-core checks and screenshots."""
import os
import re
import tempfile

import pyotp
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
AXE = os.path.join(ROOT, "frontend", "node_modules", "axe-core", "axe.min.js")
SCREENSHOTS = os.path.join(ROOT, "frontend", "screenshots")
PASSWORD = "Zomervakantie-in-Zeeland-2026"
WAIT = 15

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
    "--password-store=basic", "--lang=nl-NL",
]


def new_driver():
    """A Chromium with a fresh, throwaway profile."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for f in CHROMIUM_FLAGS:
        opts.add_argument(f)
    opts.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="portal-chromium-"))
    # No "save password?" bubbles or leak warnings over the page.
    opts.add_experimental_option("prefs", {"credentials_enable_service": False,
                                           "profile.password_manager_enabled": False,
                                           "profile.password_manager_leak_detection": False})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    d.set_script_timeout(60)
    d.set_page_load_timeout(30)
    return d


_axe_source = None


def axe_source():
    global _axe_source
    if _axe_source is None:
        with open(AXE, encoding="utf-8") as f:
            _axe_source = f.read()
    return _axe_source


class Browser:
    def __init__(self, driver, base, cluster, mail):
        self.d = driver
        self.base = base
        self.cluster = cluster
        self.mail = mail

    # ---- navigation and waits ------------------------------------------

    def wait(self, condition, timeout=WAIT, what="condition"):
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.05,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(
                lambda d: condition())
        except TimeoutException:
            raise AssertionError(f"timed out waiting for {what}; at {self.d.current_url}\n"
                                 f"h1={self.h1()!r}\n{self.text()[:1500]}") from None

    def open(self, path):
        self.d.get(self.base + path)
        self.wait_ready()

    def go(self, path):
        """Navigates inside the running SPA (no reload, as a click on a link
        would) and waits for the new page (its document title changes)."""
        if self.d.execute_script("return location.pathname + location.search") == path:
            return self.wait_ready()
        old = self.d.execute_script(
            "const t = document.title; history.pushState(null, '', arguments[0]);"
            "dispatchEvent(new PopStateEvent('popstate')); return t;", path)
        self.wait(lambda: self.d.execute_script("return document.title") != old, what=f"page {path}")
        self.wait_ready()

    def wait_ready(self):
        """The SPA has rendered a page (its h1), not the start-up spinner."""
        self.wait(lambda: self.d.execute_script(
            "return !!document.querySelector('#page-title') && !document.querySelector('.loading')"),
            what="a rendered page")

    def reset(self):
        """Signed out, no local preferences: as a new visitor on this profile."""
        self.set_width(1280)
        if not self.d.current_url.startswith(self.base):
            self.d.get(self.base + "/service")
        self.d.delete_all_cookies()
        self.d.execute_script("window.localStorage.clear(); window.sessionStorage.clear();")
        self.open("/login")

    def path(self):
        return self.d.execute_script("return location.pathname")

    def wait_path(self, path):
        self.wait(lambda: self.path() == path, what=f"path {path}")

    def h1(self):
        els = self.d.find_elements(By.CSS_SELECTOR, "h1")
        try:
            return els[0].text if els else ""
        except StaleElementReferenceException:
            return ""

    def wait_h1(self, text):
        self.wait(lambda: self.h1() == text, what=f"h1 {text!r}")

    def text(self):
        try:
            return self.d.find_element(By.TAG_NAME, "body").text
        except Exception:
            return ""

    def wait_text(self, text):
        self.wait(lambda: text in self.text(), what=f"text {text!r}")

    def css(self, selector):
        return self.d.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector):
        return self.d.find_elements(By.CSS_SELECTOR, selector)

    def wait_css(self, selector, visible=True):
        def found():
            for el in self.d.find_elements(By.CSS_SELECTOR, selector):
                if not visible or el.is_displayed():
                    return el
            return None
        return self.wait(found, what=f"element {selector}")

    # ---- forms ---------------------------------------------------------

    def field(self, name):
        return self.wait_css(f'[data-field="{name}"]')

    def fill(self, name, value):
        el = self.field(name)
        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(Keys.DELETE)
        el.send_keys(value)
        return el

    def button(self, text):
        xp = f"//button[normalize-space()={xpath_literal(text)}] | //a[normalize-space()={xpath_literal(text)}]"

        def found():
            for el in self.d.find_elements(By.XPATH, xp):
                if el.is_displayed():
                    return el
            return None
        return self.wait(found, what=f"button {text!r}")

    def click(self, text):
        self.button(text).click()

    def click_tile(self, title):
        """A home-page tile by its title."""
        self.wait(lambda: self.d.find_elements(
            By.XPATH, f"//a[contains(@class,'tile')][.//span[normalize-space()={xpath_literal(title)}]]"),
            what=f"tile {title!r}")[0].click()

    def submit(self):
        self.wait_css("form button[type=submit]").click()

    def field_error(self, name):
        """The error text shown next to a field (by aria-describedby)."""
        el = self.field(name)
        ids = (el.get_attribute("aria-describedby") or "").split()
        return " ".join(self.d.find_element(By.ID, i).text for i in ids if i.endswith("-err"))

    # ---- sign-in -------------------------------------------------------

    def login(self, username, secret, password=PASSWORD):
        """Password and TOTP through the login page; waits for the signed-in shell."""
        from helpers import rewind_totp
        rewind_totp(self.cluster, username)
        self.open("/login")
        self.fill("username", username)
        self.fill("password", password)
        self.submit()
        self.fill("code", pyotp.TOTP(secret).now())
        self.submit()
        self.wait_signed_in()

    def wait_signed_in(self):
        self.wait_css(".app-header .org-name")
        self.wait_ready()

    def logout(self):
        self.wait_css(".header-tools > button:last-child").click()
        self.wait_path("/login")

    def set_width(self, width, height=900):
        """1280 (the window) or a phone-sized viewport such as 375."""
        self.width = width
        if width >= 1280:
            self.d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        else:
            self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": width, "height": height, "deviceScaleFactor": 1,
                                    "mobile": True})

    # ---- checks --------------------------------------------------------

    def axe(self, label):
        """Runs axe-core (injected from frontend/node_modules) on the page;
        fails on serious or critical violations."""
        if not self.d.execute_script("return typeof window.axe === 'object'"):
            self.d.execute_script(axe_source())
        result = self.d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.axe.run(document, {resultTypes: ['violations']})
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))))
              .catch(e => done({error: String(e)}));
        """)
        assert not isinstance(result, dict), f"axe failed on {label}: {result}"
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe on {label}:\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in bad)
        return result

    def screenshot(self, name):
        """frontend/screenshots/<name>.png of the whole page, when
        PORTAL_SCREENSHOTS=1 (the committed set is refreshed on purpose only)."""
        if os.environ.get("PORTAL_SCREENSHOTS") != "1":
            return None
        os.makedirs(SCREENSHOTS, exist_ok=True)
        width = getattr(self, "width", 1280)
        height = self.d.execute_script("return document.documentElement.scrollHeight")
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": min(max(height, 600), 4000),
                                "deviceScaleFactor": 1, "mobile": width < 600})
        # Let a focused heading and the new size settle before the picture.
        self.d.execute_script("document.activeElement && document.activeElement.blur()")
        data = self.d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        self.set_width(width)
        import base64
        path = os.path.join(SCREENSHOTS, name + ".png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))
        return path


def xpath_literal(s):
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in s.split("'")) + ")"


def mail_link(mail, address, path):
    """The newest link to <path>?token=… mailed to address."""
    m = mail.wait_for(lambda m: address in m["to"] and path + "?token=" in m["message"].get_content())
    found = [x for x in mail.messages if address in x["to"] and path + "?token=" in x["message"].get_content()]
    body = found[-1]["message"].get_content()
    return re.search(r"https?://\S+" + re.escape(path) + r"\?token=[A-Za-z0-9_\-]+", body).group(0)
