"""Realistic data for the browser tests, created through the public API the
way the insurer's staff and an employer's administrator would."""
import helpers

POSTAL = {"street": "Havenstraat", "house_number": "12", "postal_code": "3024 AB",
          "city": "Rotterdam", "country": "NL"}
VISITING = {"street": "Bakkersweg", "house_number": "4-6", "postal_code": "3011 AA",
            "city": "Rotterdam", "country": "NL"}


def create_org(api, staff_headers, **body):
    r = api.post("/api/v1/organisations", json=body, headers=staff_headers)
    assert r.status_code == 201, r.text
    return r.json()


def invite(api, headers, first, last, email, rights, **extra):
    body = dict({"first_name": first, "last_name": last, "email": email, "rights": rights}, **extra)
    r = api.post("/api/v1/users", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def make_user(api, mail, headers, first, last, email, rights, username, **extra):
    """Invites, activates and enrols a user through the API."""
    user = invite(api, headers, first, last, email, rights, **extra)
    helpers.activate(api, mail, helpers.invitation_token(mail, email), email, username)
    secret, tokens = helpers.enrol(api, username)
    return {"id": user["id"], "username": username, "email": email, "secret": secret,
            "first_name": first, "last_name": last,
            "headers": helpers.bearer(tokens["access_token"])}


def create_scheme(api, staff_headers, **body):
    r = api.post("/api/v1/schemes", json=body, headers=staff_headers)
    assert r.status_code == 201, r.text
    return r.json()


def bsn(prefix8):
    """A BSN that passes the 11-proef, from 8 leading digits (None if none fits)."""
    digits = [int(c) for c in str(prefix8).zfill(8)]
    total = sum((9 - i) * d for i, d in enumerate(digits))
    last = total % 11
    return "".join(map(str, digits)) + str(last) if last < 10 else None


def valid_bsns(start, count):
    out, n = [], start
    while len(out) < count:
        b = bsn(n)
        if b:
            out.append(b)
        n += 7
    return out


PEOPLE = [
    # first name, initials, prefix, surname, birth date, gender, salary, part-time
    ("Gerrit", "G.", "ter", "Assob", "1980-05-01", "male", "52242.28", "100.000"),
    ("Fleur", "F.M.", None, "Bakker", "1991-11-23", "female", "41870.00", "80.000"),
    ("Mohamed", "M.", "el", "Idrissi", "1987-02-14", "male", "47310.50", "100.000"),
    ("Sanne", "S.", "van der", "Linden", "1995-07-30", "female", "38250.00", "60.000"),
    ("Joost", "J.", "de", "Vries", "1975-09-09", "male", "63400.00", "100.000"),
    ("Ayşe", "A.", None, "Yılmaz", "1989-03-18", "female", "44120.75", "90.000"),
]


def register_participants(api, admin_headers, staff_headers, scheme_id, start_date):
    """Registers PEOPLE in a scheme; the insurer approves what needs review."""
    ids = []
    for (first, initials, prefix, surname, born, gender, salary, parttime), number in zip(
            PEOPLE, valid_bsns(12345670, len(PEOPLE))):
        person = {"first_name": first, "initials": initials, "surname": surname, "birth_date": born,
                  "gender": gender, "bsn": number,
                  "address": {"street": "Coolsingel", "house_number": str(40 + len(ids)),
                              "postal_code": "3011 AD", "city": "Rotterdam", "country": "NL"}}
        if prefix:
            person["surname_prefix"] = prefix
        r = api.post("/api/v1/participants", headers=admin_headers, json={
            "scheme_id": scheme_id, "person": person,
            "employment": {"start_date": start_date, "salary": salary, "parttime_percentage": parttime}})
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    reviews = api.get("/api/v1/reviews?limit=200", headers=staff_headers).json()["items"]
    for rv in reviews:
        if rv["participant_id"] in ids:
            r = api.post(f"/api/v1/reviews/{rv['id']}/approve", headers=staff_headers, json={})
            assert r.status_code == 200, r.text
    return ids
