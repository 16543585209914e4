"""Shared set-up for the document, notification and account-care tests: an
employer of its own (with a notification address) with a pension and an
income scheme, users with each right, a scheme-limited HR user, offices
with a mandate on one scheme each, another employer, and helpers that make
files of each kind and publish them as staff."""
import io
import zipfile

from helpers import unique
from org_helpers import new_org, new_scheme, new_user, world_of
from participant_helpers import grant

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = "nummer;naam;bedrag\n1;Factuurregel één;12.50\n".encode("utf-8")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200


def xlsx_bytes():
    """A minimal workbook: the two parts every XLSX holds."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


def publish(staff, organisation_id, kind="invoice", content=PDF, file_name="document.pdf",
            expect=201, scheme_id=None, title=None, **fields):
    data = {"organisation_id": organisation_id, "kind": kind,
            "title": title or unique(f"{kind} "), "document_date": "2026-11-30"}
    if scheme_id:
        data["scheme_id"] = scheme_id
    data.update(fields)
    r = staff.post("/api/v1/documents", data=data,
                   files={"file": (file_name, content, "application/octet-stream")})
    if expect is not None:
        assert r.status_code == expect, r.text
    return r


def ids(actor, **params):
    r = actor.get("/api/v1/documents", params=dict({"limit": 200}, **params))
    assert r.status_code == 200, r.text
    return [d["id"] for d in r.json()["items"]]


class DocumentWorld:
    def __init__(self, api, mail, server, cluster):
        base = world_of(api, mail, server, cluster)
        self.api, self.mail, self.cluster = api, mail, cluster
        self.staff = s = base.staff
        self.notify_address = f"{unique('lijst')}@werkgever.example"
        self.emp = new_org(s, "employer", unique("Documenten BV "),
                           notification_email=self.notify_address)
        self.pension = new_scheme(s, self.emp["id"], "pension")
        self.income = new_scheme(s, self.emp["id"], "income")
        e = self.emp["id"]

        def user(org, rights, scheme_ids=None, inviter=None):
            return new_user(api, mail, cluster, inviter or s, org, rights, scheme_ids)

        self.admin = user(e, ["user_management"])
        self.hr = user(e, ["hr"], inviter=self.admin)
        self.hr_read = user(e, ["hr_read"], inviter=self.admin)
        self.finance = user(e, ["finance"], inviter=self.admin)
        self.scoped = user(e, ["hr"], [self.income["id"]], inviter=self.admin)
        product = ["inkomensverzekering", "pensioenverzekering", "premiepensioenvorderingen"]
        self.office_pension = new_org(s, "intermediary", unique("Advies Pensioen "))
        self.office_none = new_org(s, "intermediary", unique("Advies Zonder "))
        self.int_pension = user(self.office_pension["id"], product)
        self.int_none = user(self.office_none["id"], product)
        grant(self.admin, self.office_pension["id"], [self.pension["id"]], "read")
        self.emp2 = new_org(s, "employer", unique("Andere Werkgever "))
        self.admin2 = user(self.emp2["id"], ["user_management"])


_world = {}


def document_world(api, mail, server, cluster):
    if "w" not in _world:
        _world["w"] = DocumentWorld(api, mail, server, cluster)
    return _world["w"]
