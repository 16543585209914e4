"""Fixtures for the browser tests: the real built SPA (frontend/dist) served
by the real portal-api on one origin, a throwaway PostgreSQL cluster, a real
SMTP sink, and Debian's headless Chromium driven by Selenium.

Run after `npm run build` in frontend/:
    PORTAL_BINARY=build-fe/portal-api /usr/bin/python3 -m pytest -q tests/browser

Set PORTAL_SCREENSHOTS=1 to (re)write the screenshots in frontend/screenshots/.

The API tests' fixtures and helpers are reused: tests/api/conftest.py is
loaded under another module name (both files are called conftest.py), and
tests/api/helpers.py finds BINARY through this module, which pytest has
registered as `conftest` while the browser tests run.
"""
import importlib.util
import os
import shutil
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
API_TESTS = os.path.join(ROOT, "tests", "api")
DIST = os.path.join(ROOT, "frontend", "dist")
AXE = os.path.join(ROOT, "frontend", "node_modules", "axe-core", "axe.min.js")
SCREENSHOTS = os.path.join(ROOT, "frontend", "screenshots")

_spec = importlib.util.spec_from_file_location("portal_api_conftest", os.path.join(API_TESTS, "conftest.py"))
api_conftest = importlib.util.module_from_spec(_spec)
sys.modules["portal_api_conftest"] = api_conftest
_spec.loader.exec_module(api_conftest)

Api = api_conftest.Api
Cluster = api_conftest.Cluster
MailSink = api_conftest.MailSink
Server = api_conftest.Server
free_port = api_conftest.free_port
BINARY = api_conftest.BINARY  # helpers.py does `from conftest import BINARY`

if API_TESTS not in sys.path:
    sys.path.insert(0, API_TESTS)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import helpers  # noqa: E402  (tests/api/helpers.py)
from ui import Browser, new_driver  # noqa: E402


def pytest_sessionstart(session):
    if not os.path.isfile(os.path.join(DIST, "index.html")):
        pytest.exit(f"frontend/dist is missing ({DIST}/index.html): run `npm ci && npm run build` in "
                    "frontend/ before the browser tests", returncode=2)
    if not os.path.isfile(AXE):
        pytest.exit(f"axe-core is missing ({AXE}): run `npm ci` in frontend/", returncode=2)
    if not os.path.isfile(BINARY):
        pytest.exit(f"portal-api is missing ({BINARY}): build it or set PORTAL_BINARY", returncode=2)


@pytest.fixture(scope="session")
def cluster():
    c = Cluster()
    yield c
    c.destroy()


@pytest.fixture(scope="session")
def mail():
    sink = MailSink()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def server(cluster, mail):
    s = Server(cluster, mail, extra_env={"PORTAL_FRONTEND_DIR": DIST})
    # The SPA runs on the public URL's host: invitation links point there and
    # the session cookies belong to it.
    s.base = s.env["PORTAL_PUBLIC_URL"]
    yield s
    code = s.stop()
    reports = s.sanitizer_reports()
    shutil.copy(s.log_path, os.path.join(tempfile.gettempdir(), "portal-api-browser-last.log"))
    shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports, f"sanitizer reported {reports}; see /tmp/portal-api-browser-last.log"
    assert code == 0, f"portal-api exited with {code} on SIGTERM"


@pytest.fixture(scope="session")
def api(server):
    return Api(server.url)


@pytest.fixture(scope="session")
def routes():
    """The API's route table (`portal-api routes`): screens whose endpoints
    are not there yet are skipped, not failed."""
    import subprocess
    out = subprocess.run([BINARY, "routes"], capture_output=True, text=True, timeout=30)
    return set(out.stdout.splitlines())


@pytest.fixture(scope="session")
def staff(api, mail, server):
    """A signed-in insurer staff member: {username, email, secret, headers}."""
    email = "sanne.devries@verzekeraar.example"
    helpers.create_staff(server, email, first="Sanne", last="de Vries")
    username = "sanne.devries"
    helpers.activate(api, mail, helpers.invitation_token(mail, email), email, username)
    secret, tokens = helpers.enrol(api, username)
    return {"username": username, "email": email, "secret": secret,
            "headers": helpers.bearer(tokens["access_token"])}


_drivers = []


@pytest.fixture(scope="session")
def driver_factory():
    """Starts a new Chromium with a fresh profile; all are quit at the end."""
    def make():
        d = new_driver()
        _drivers.append(d)
        return d
    yield make
    for d in _drivers:
        try:
            d.quit()
        except Exception:
            pass


@pytest.fixture(scope="session")
def shared_driver(driver_factory):
    return driver_factory()


@pytest.fixture
def browser(shared_driver, server, cluster, mail):
    """The shared Chromium, signed out and with local preferences cleared."""
    b = Browser(shared_driver, server.base, cluster, mail)
    b.reset()
    yield b


@pytest.fixture(scope="session")
def advisor_office(api, staff):
    """An adviser's office that employers can give a mandate."""
    import world
    return world.create_org(api, staff["headers"], kind="intermediary",
                            name="Van den Berg Pensioenadvies B.V.", registration_number="30112233",
                            visiting_address={"street": "Stationsplein", "house_number": "8",
                                              "postal_code": "3511 ED", "city": "Utrecht",
                                              "country": "NL"},
                            notification_email="info@vandenbergadvies.example")


@pytest.fixture(scope="session")
def employer(api, mail, staff, routes, advisor_office):
    """An employer with schemes (when the API has them), an administrator who
    is signed up, and a few colleagues with other rights."""
    import world
    org = world.create_org(
        api, staff["headers"], kind="employer", name="Bakkerij Van Dijk B.V.",
        registration_number="27123456", postal_address=world.POSTAL, visiting_address=world.VISITING,
        contact_person={"name": "Karin van Dijk", "email": "karin@bakkerijvandijk.example",
                        "phone": "010 - 123 45 67"},
        notification_email="administratie@bakkerijvandijk.example",
        advisor_id=advisor_office["id"])
    schemes = []
    if "POST /api/v1/schemes" in routes:
        schemes.append(world.create_scheme(
            api, staff["headers"], organisation_id=org["id"], kind="pension",
            name="Pensioenregeling Bakkerij Van Dijk", number="PR-204518", start_date="2019-01-01"))
        schemes.append(world.create_scheme(
            api, staff["headers"], organisation_id=org["id"], kind="income",
            name="Verzuimverzekering Bakkerij Van Dijk", number="VZ-880231", start_date="2021-01-01",
            variant="stop_loss", insured_wage_type="uniform_wage"))
    admin = world.make_user(api, mail, staff["headers"], "Karin", "van Dijk",
                            "karin@bakkerijvandijk.example", ["user_management"], "karin.vandijk",
                            organisation_id=org["id"], mobile="+31612345678")
    world.invite(api, admin["headers"], "Pieter", "Bakker", "pieter@bakkerijvandijk.example", ["hr"],
                 mobile="+31687654321")
    world.invite(api, admin["headers"], "Fatima", "El Amrani", "fatima@bakkerijvandijk.example",
                 ["finance"])
    return {"org": org, "schemes": schemes, "admin": admin}


@pytest.fixture(scope="session")
def office(api, mail, staff):
    """An intermediary office licensed for most products, with its first
    administrator (who receives the maximum rights)."""
    import world
    org = world.create_org(
        api, staff["headers"], kind="intermediary", name="Smit & Partners Verzekeringen",
        registration_number="34998877",
        licences=["beleggingsobjecten", "hypothecair_krediet", "inkomensverzekering",
                  "pensioenverzekering", "premiepensioenvorderingen",
                  "schadeverzekeringen_particulier", "schadeverzekeringen_zakelijk",
                  "spaarrekeningen", "vermogen"])
    admin = world.make_user(api, mail, staff["headers"], "Marloes", "Smit",
                            "marloes@smitpartners.example", ["user_management"], "marloes.smit",
                            organisation_id=org["id"])
    return {"org": org, "admin": admin}


@pytest.fixture(scope="session")
def participants(api, employer, staff, routes):
    """Six participants in the employer's pension scheme (all active)."""
    if "POST /api/v1/participants" not in routes or not employer["schemes"]:
        pytest.skip("the API has no participants yet")
    import world
    return world.register_participants(api, employer["admin"]["headers"], staff["headers"],
                                       employer["schemes"][0]["id"], "2019-08-01")
