"""Organisations, users and the rights catalogue: delegated administration,
the combination rules, scopes, the last-administrator guard and tenancy."""
import time

import pytest

from helpers import (PASSWORD, bearer, body_of, create_org, enrol, invitation_token, invite,
                     mail_to, staff_session, unique, user_session, activate)


def problem(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["code"] == code, r.text
    return r.json()


@pytest.fixture(scope="module")
def staff(api, mail, server):
    return staff_session(api, mail, server)


@pytest.fixture(scope="module")
def employer(api, mail, staff, cluster):
    """An employer with two schemes and an administrator."""
    org = create_org(api, staff, "employer", unique("Bakkerij "), registration_number="30111222",
                     postal_address={"street": "Dorpsstraat", "house_number": "1", "postal_code": "1234 AB",
                                     "city": "Utrecht", "country": "NL"})
    schemes = []
    for kind in ("pension", "income"):
        row = cluster.psql(
            "INSERT INTO schemes (organisation_id, name, number, kind, start_date, variant, insured_wage_type)"
            f" VALUES ('{org['id']}', '{kind} regeling', '{unique('S')}', '{kind}', '2020-01-01',"
            f" {'NULL' if kind == 'pension' else chr(39) + 'stop_loss' + chr(39)},"
            f" {'NULL' if kind == 'pension' else chr(39) + 'uniform_wage' + chr(39)}) RETURNING id")
        schemes.append(row.splitlines()[0])
    admin = user_session(api, mail, staff, organisation_id=org["id"], first_name="Anna",
                         rights=["user_management"])
    return {"org": org, "schemes": schemes, "admin": admin}


# --- organisations ---------------------------------------------------------------

def test_staff_create_and_list_organisations(api, staff):
    office = create_org(api, staff, "intermediary", unique("Adviesbureau "))
    assert office["kind"] == "intermediary"
    assert "inkomensverzekering" in office["licences"] and len(office["licences"]) == 13
    limited = create_org(api, staff, "intermediary", unique("Klein advies "), licences=["pensioenverzekering"])
    assert limited["licences"] == ["pensioenverzekering"]
    problem(api.post("/api/v1/organisations", json={"kind": "insurer", "name": "X"}, headers=staff), 422, "validation_failed")
    problem(api.post("/api/v1/organisations", json={"kind": "intermediary", "name": "X", "licences": ["staff"]},
                     headers=staff), 422, "validation_failed")
    problem(api.post("/api/v1/organisations", json={"name": 5}, headers=staff), 400, "invalid_request")
    r = api.get("/api/v1/organisations?kind=intermediary&limit=1", headers=staff)
    assert r.status_code == 200 and len(r.json()["items"]) == 1 and r.json()["next_cursor"]
    r2 = api.get(f"/api/v1/organisations?kind=intermediary&limit=1&cursor={r.json()['next_cursor']}", headers=staff)
    assert r2.json()["items"][0]["id"] != r.json()["items"][0]["id"]
    problem(api.get("/api/v1/organisations?cursor=AAAA", headers=staff), 400, "invalid_cursor")
    found = api.get(f"/api/v1/organisations?q={office['name'][:14]}", headers=staff).json()["items"]
    assert office["id"] in [o["id"] for o in found]


def test_idempotent_organisation_creation(api, staff):
    key = {"Idempotency-Key": unique("key")}
    body = {"kind": "employer", "name": unique("Idem ")}
    a = api.post("/api/v1/organisations", json=body, headers=dict(staff, **key))
    b = api.post("/api/v1/organisations", json=body, headers=dict(staff, **key))
    assert a.status_code == b.status_code == 201 and a.json()["id"] == b.json()["id"]
    problem(api.post("/api/v1/organisations", json=dict(body, name="Anders"), headers=dict(staff, **key)),
            422, "idempotency_key_reused")


def test_own_organisation_shows_administrators_and_limits_changes(api, employer, staff, mail):
    hr = user_session(api, mail, employer["admin"]["headers"], rights=["hr"])
    r = api.get("/api/v1/organisation", headers=hr["headers"])
    assert r.status_code == 200
    org = r.json()
    assert [a["first_name"] for a in org["administrators"]] == ["Anna"]
    etag = r.headers["ETag"]
    # Every user may change the postal address and contact person ...
    r = api.patch("/api/v1/organisation", headers=dict(hr["headers"], **{"If-Match": etag}),
                  json={"postal_address": {"street": "Kerkweg", "house_number": "2", "postal_code": "1234 CD",
                                           "city": "Utrecht", "country": "NL"},
                        "contact_person": {"name": "Piet", "email": "piet@werkgever.example", "phone": "030-1234567"}})
    assert r.status_code == 200, r.text
    assert r.json()["postal_address"]["street"] == "Kerkweg" and r.headers["ETag"] != etag
    problem(api.patch("/api/v1/organisation", headers=dict(hr["headers"], **{"If-Match": etag}),
                      json={"contact_person": {"name": "Kees"}}), 412, "precondition_failed")
    # ... the rest only staff.
    body = problem(api.patch("/api/v1/organisation", headers=hr["headers"],
                             json={"name": "Nieuwe naam", "notification_email": "x@y.nl"}), 403, "forbidden")
    assert {e["field"] for e in body["errors"]} == {"/name", "/notification_email"}
    r = api.patch(f"/api/v1/organisations/{employer['org']['id']}", headers=staff,
                  json={"notification_email": "hr-lijst@werkgever.example"})
    assert r.status_code == 200 and r.json()["notification_email"] == "hr-lijst@werkgever.example"
    problem(api.patch(f"/api/v1/organisations/{employer['org']['id']}", headers=hr["headers"], json={"name": "x"}), 404, "not_found")


def test_advisor_and_intermediary_search(api, employer, staff, mail):
    office = create_org(api, staff, "intermediary", unique("Zuid Advies "))
    r = api.patch(f"/api/v1/organisations/{employer['org']['id']}", headers=staff, json={"advisor_id": office["id"]})
    assert r.json()["advisor"]["id"] == office["id"]
    problem(api.patch(f"/api/v1/organisations/{employer['org']['id']}", headers=staff,
                      json={"advisor_id": employer["org"]["id"]}), 422, "validation_failed")
    assert api.get("/api/v1/organisation", headers=employer["admin"]["headers"]).json()["advisor"]["name"] == office["name"]
    found = api.get("/api/v1/intermediaries?q=Zuid Advies", headers=employer["admin"]["headers"]).json()["items"]
    assert office["id"] in [o["id"] for o in found] and "licences" not in found[0]
    finance = user_session(api, mail, employer["admin"]["headers"], rights=["finance"])
    problem(api.get("/api/v1/intermediaries", headers=finance["headers"]), 403, "forbidden")


# --- rights catalogue -------------------------------------------------------------

def test_rights_catalogue_per_organisation(api, employer, mail, staff):
    r = api.get("/api/v1/rights", headers=employer["admin"]["headers"]).json()
    assert r["organisation_kind"] == "employer"
    assert [i["id"] for i in r["items"]] == ["user_management", "hr", "hr_read", "finance"]
    assert all(i["grantable"] for i in r["items"])
    hr = next(i for i in r["items"] if i["id"] == "hr")
    assert hr["label"] == {"nl": "HR", "en": "HR"} and "financiële" in hr["description"]["nl"]
    finance = user_session(api, mail, employer["admin"]["headers"], rights=["finance"])
    assert not any(i["grantable"] for i in api.get("/api/v1/rights", headers=finance["headers"]).json()["items"])
    office = create_org(api, staff, "intermediary", unique("Cat "), licences=["pensioenverzekering", "premiepensioenvorderingen"])
    cat = api.get(f"/api/v1/rights?organisation_id={office['id']}", headers=staff).json()
    assert len(cat["items"]) == 17 and len(cat["rules"]) == 4
    licensed = {i["id"] for i in cat["items"] if i["licensed"]}
    assert "inkomensverzekering" not in licensed and "pensioenverzekering" in licensed and "klantbeeld" in licensed


# --- users: invitation, delegation, rules --------------------------------------------

def test_employer_administrator_invites_users_with_each_right(api, employer, mail):
    for right in ("hr", "hr_read", "finance"):
        u = user_session(api, mail, employer["admin"]["headers"], rights=[right])
        me = api.get("/api/v1/me", headers=u["headers"]).json()
        assert me["rights"] == [right] and me["organisation"]["id"] == employer["org"]["id"]
        problem(api.get("/api/v1/users", headers=u["headers"]), 403, "forbidden")
        problem(api.post("/api/v1/users", headers=u["headers"], json={"first_name": "a", "last_name": "b",
                                                                      "email": "a@b.nl", "rights": []}), 403, "forbidden")


def test_invitation_mail_names_the_organisation_and_can_be_resent(api, employer, mail):
    user, email = invite(api, employer["admin"]["headers"], rights=["hr"])
    first = invitation_token(mail, email)
    assert employer["org"]["name"] in body_of(mail_to(mail, email, "Activeer"))
    r = api.post(f"/api/v1/users/{user['id']}/invitation", headers=employer["admin"]["headers"])
    assert r.status_code == 202
    time.sleep(0.5)
    second = invitation_token(mail, email)
    assert second != first
    problem(api.post("/api/v1/activation/verification-code", json={"token": first, "email": email}), 422, "token_invalid")
    assert api.post("/api/v1/activation/verification-code", json={"token": second, "email": email}).status_code == 202


def test_scheme_scope_and_limited_administrator(api, employer, mail):
    pension, income = employer["schemes"]
    admin = employer["admin"]["headers"]
    limited = user_session(api, mail, admin, rights=["user_management"], scheme_ids=[pension])
    assert api.get("/api/v1/me", headers=limited["headers"]).json()["scheme_ids"] == [pension]
    # A limited administrator grants only schemes in their own scope.
    ok, _ = invite(api, limited["headers"], rights=["hr"], scheme_ids=[pension])
    assert ok["scheme_ids"] == [pension]
    body = problem(api.post("/api/v1/users", headers=limited["headers"],
                            json={"first_name": "A", "last_name": "B", "email": "ab@w.example", "rights": ["hr"],
                                  "scheme_ids": [income]}), 403, "forbidden")
    assert body["errors"][0]["field"] == "/scheme_ids/0"
    problem(api.post("/api/v1/users", headers=limited["headers"],
                     json={"first_name": "A", "last_name": "B", "email": "ab@w.example", "rights": ["hr"],
                           "scheme_ids": None}), 403, "forbidden")
    other = create_scheme_free_id = "00000000-0000-4000-8000-000000000000"
    problem(api.post("/api/v1/users", headers=admin,
                     json={"first_name": "A", "last_name": "B", "email": "ab@w.example", "rights": ["hr"],
                           "scheme_ids": [other]}), 422, "validation_failed")


def test_users_cannot_change_their_own_rights(api, employer):
    admin = employer["admin"]
    problem(api.patch(f"/api/v1/users/{admin['id']}", headers=admin["headers"], json={"rights": ["user_management", "hr"]}),
            403, "forbidden")
    r = api.patch(f"/api/v1/users/{admin['id']}", headers=admin["headers"], json={"first_name": "Anna"})
    assert r.status_code == 200


def test_rights_changes_apply_from_the_next_request(api, employer, mail):
    u = user_session(api, mail, employer["admin"]["headers"], rights=["user_management"])
    assert api.get("/api/v1/users", headers=u["headers"]).status_code == 200
    r = api.get(f"/api/v1/users/{u['id']}", headers=employer["admin"]["headers"])
    etag = r.headers["ETag"]
    r = api.patch(f"/api/v1/users/{u['id']}", headers=dict(employer["admin"]["headers"], **{"If-Match": etag}),
                  json={"rights": ["hr_read"]})
    assert r.status_code == 200 and r.json()["rights"] == ["hr_read"]
    problem(api.patch(f"/api/v1/users/{u['id']}", headers=dict(employer["admin"]["headers"], **{"If-Match": etag}),
                      json={"rights": ["hr"]}), 412, "precondition_failed")
    problem(api.get("/api/v1/users", headers=u["headers"]), 403, "forbidden")  # same token, new rights
    assert api.get("/api/v1/me", headers=u["headers"]).json()["rights"] == ["hr_read"]


def test_last_administrator_cannot_be_removed(api, mail, staff):
    org = create_org(api, staff, "employer", unique("Solo "))
    admin = user_session(api, mail, staff, organisation_id=org["id"], rights=["user_management"])
    problem(api.patch(f"/api/v1/users/{admin['id']}", headers=staff, json={"rights": ["hr"]}), 409, "last_administrator")
    problem(api.delete(f"/api/v1/users/{admin['id']}", headers=staff), 409, "last_administrator")
    second = user_session(api, mail, admin["headers"], rights=["user_management"])
    assert api.patch(f"/api/v1/users/{admin['id']}", headers=second["headers"], json={"rights": ["hr"]}).status_code == 200
    problem(api.delete(f"/api/v1/users/{second['id']}", headers=second["headers"]), 409, "conflict")  # not yourself


def test_deleted_user_stops_at_once_and_history_stays(api, employer, mail, cluster):
    u = user_session(api, mail, employer["admin"]["headers"], rights=["hr"])
    assert api.get("/api/v1/me", headers=u["headers"]).status_code == 200
    assert api.delete(f"/api/v1/users/{u['id']}", headers=employer["admin"]["headers"]).status_code == 204
    problem(api.get("/api/v1/me", headers=u["headers"]), 401, "unauthorized")
    problem(api.get(f"/api/v1/users/{u['id']}", headers=employer["admin"]["headers"]), 404, "not_found")
    problem(api.post("/api/v1/auth/login", json={"username": u["username"], "password": PASSWORD}), 401, "invalid_credentials")
    actions = cluster.psql(f"SELECT string_agg(action, ',' ORDER BY id) FROM audit_events WHERE target_id = '{u['id']}'")
    assert "user.invited" in actions and "user.deleted" in actions


def test_external_user_expires(api, employer, mail, cluster):
    u = user_session(api, mail, employer["admin"]["headers"], rights=["hr_read"], expires_at="2099-01-01T00:00:00Z")
    assert api.get(f"/api/v1/users/{u['id']}", headers=employer["admin"]["headers"]).json()["expires_at"] == "2099-01-01T00:00:00Z"
    cluster.psql(f"UPDATE users SET expires_at = now() - interval '1 second' WHERE id = '{u['id']}'")
    problem(api.get("/api/v1/me", headers=u["headers"]), 401, "unauthorized")
    problem(api.post("/api/v1/auth/login", json={"username": u["username"], "password": PASSWORD}), 401, "invalid_credentials")


def test_search_users_by_name_with_paging(api, employer, mail):
    admin = employer["admin"]["headers"]
    last = unique("Vermeulen")
    for first in ("Bram", "Cor", "Dirk"):
        invite(api, admin, first_name=first, last_name=last, rights=["hr_read"])
    page1 = api.get(f"/api/v1/users?q={last}&limit=2", headers=admin).json()
    assert [u["first_name"] for u in page1["items"]] == ["Bram", "Cor"] and page1["next_cursor"]
    page2 = api.get(f"/api/v1/users?q={last}&limit=2&cursor={page1['next_cursor']}", headers=admin).json()
    assert [u["first_name"] for u in page2["items"]] == ["Dirk"] and page2["next_cursor"] is None
    assert api.get(f"/api/v1/users?q=Cor {last}", headers=admin).json()["items"][0]["first_name"] == "Cor"


def test_other_organisations_users_are_404(api, employer, mail, staff):
    other_org = create_org(api, staff, "employer", unique("Ander "))
    other_admin = user_session(api, mail, staff, organisation_id=other_org["id"], rights=["user_management"])
    target = employer["admin"]["id"]
    h = other_admin["headers"]
    problem(api.get(f"/api/v1/users/{target}", headers=h), 404, "not_found")
    problem(api.patch(f"/api/v1/users/{target}", headers=h, json={"first_name": "x"}), 404, "not_found")
    problem(api.delete(f"/api/v1/users/{target}", headers=h), 404, "not_found")
    problem(api.post(f"/api/v1/users/{target}/invitation", headers=h), 404, "not_found")
    problem(api.post("/api/v1/users", headers=h, json={"organisation_id": employer["org"]["id"], "first_name": "x",
                                                        "last_name": "y", "email": "x@y.nl", "rights": []}), 404, "not_found")
    assert target not in [u["id"] for u in api.get("/api/v1/users", headers=h).json()["items"]]
    problem(api.get(f"/api/v1/users/not-a-uuid", headers=h), 404, "not_found")


# --- intermediary rules (seed 000 §7-8) -------------------------------------------------

@pytest.fixture(scope="module")
def office(api, mail, staff):
    org = create_org(api, staff, "intermediary", unique("Advies "),
                     licences=["beleggingsobjecten", "spaarrekeningen", "vermogen", "pensioenverzekering",
                               "premiepensioenvorderingen", "inkomensverzekering", "schadeverzekeringen_zakelijk"])
    first = user_session(api, mail, staff, organisation_id=org["id"], rights=["user_management"])
    return {"org": org, "first": first}


def test_first_administrator_of_an_office_gets_the_maximum(api, office):
    me = api.get("/api/v1/me", headers=office["first"]["headers"]).json()
    assert set(me["rights"]) == {"user_management", "advieskansen", "beleggingsobjecten", "spaarrekeningen",
                                 "vermogen", "pensioenverzekering", "premiepensioenvorderingen",
                                 "inkomensverzekering", "klantbeeld", "financieel_rekening_courant"}


def invite_body(rights):
    return {"first_name": "Jan", "last_name": unique("Smit"), "email": unique("j") + "@advies.example", "rights": rights}


def test_intermediary_combination_rules(api, office):
    h = office["first"]["headers"]
    body = problem(api.post("/api/v1/users", headers=h, json=invite_body(["beleggingsobjecten"])), 422, "validation_failed")
    text = " ".join(e["message"] for e in body["errors"])
    assert "spaarrekeningen" in text and "vermogen" in text
    problem(api.post("/api/v1/users", headers=h, json=invite_body(["pensioenverzekering"])), 422, "validation_failed")
    body = problem(api.post("/api/v1/users", headers=h, json=invite_body(["klantbeeld"])), 422, "validation_failed")
    assert "klantbeeld" in body["errors"][0]["message"]
    problem(api.post("/api/v1/users", headers=h, json=invite_body(["schadeverzekeringen_zakelijk"])), 422, "validation_failed")
    body = problem(api.post("/api/v1/users", headers=h, json=invite_body(["hypothecair_krediet"])), 422, "validation_failed")
    assert "hypothecair_krediet" in body["errors"][0]["message"]
    problem(api.post("/api/v1/users", headers=h, json=invite_body(["hr"])), 422, "validation_failed")
    r = api.post("/api/v1/users", headers=h, json=invite_body(["beleggingsobjecten", "spaarrekeningen", "vermogen", "klantbeeld"]))
    assert r.status_code == 201, r.text
    r = api.post("/api/v1/users", headers=h, json=invite_body(["pensioenverzekering", "premiepensioenvorderingen"]))
    assert r.status_code == 201


def test_limited_intermediary_administrator_grants_only_own_rights(api, office, mail):
    limited = user_session(api, mail, office["first"]["headers"],
                           rights=["user_management", "pensioenverzekering", "premiepensioenvorderingen"])
    h = limited["headers"]
    assert api.post("/api/v1/users", headers=h, json=invite_body(["pensioenverzekering", "premiepensioenvorderingen"])).status_code == 201
    body = problem(api.post("/api/v1/users", headers=h, json=invite_body(["inkomensverzekering"])), 403, "forbidden")
    assert "inkomensverzekering" in body["errors"][0]["message"]
    grantable = {i["id"] for i in api.get("/api/v1/rights", headers=h).json()["items"] if i["grantable"]}
    assert grantable == {"user_management", "pensioenverzekering", "premiepensioenvorderingen"}


def test_user_administration_is_audited(api, employer, cluster):
    user, _ = invite(api, employer["admin"]["headers"], rights=["hr"])
    api.patch(f"/api/v1/users/{user['id']}", headers=employer["admin"]["headers"], json={"rights": ["finance"]})
    rows = cluster.psql(f"SELECT action, actor_user_id, organisation_id, changes->'rights' FROM audit_events "
                        f"WHERE target_id = '{user['id']}' ORDER BY id").splitlines()
    assert rows[0].startswith(f"user.invited|{employer['admin']['id']}|{employer['org']['id']}")
    assert rows[1].startswith("user.changed") and '"finance"' in rows[1]


def test_seed_demo_creates_the_demo_accounts_once(api, server, cluster):
    import subprocess
    from conftest import BINARY
    first = subprocess.run([BINARY, "seed-demo"], env=server.env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([BINARY, "seed-demo"], env=server.env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0 and "already there" in second.stdout
    assert cluster.psql("SELECT count(*) FROM organisations WHERE registration_number = '12345678'") == "1"
    for username in ("staff.demo", "werkgever.beheer", "werkgever.hr", "werkgever.hrlezen", "werkgever.finance",
                     "adviseur.beheer"):
        assert username in first.stdout
    # A demo account signs in with the documented password and enrols.
    r = api.post("/api/v1/auth/login", json={"username": "werkgever.hr", "password": "Demo-Werkgeversportaal-2026"})
    assert r.status_code == 200 and r.json()["mfa"] == "enroll"
    _, tokens = enrol(api, "adviseur.beheer", "Demo-Werkgeversportaal-2026")
    me = api.get("/api/v1/me", headers=bearer(tokens["access_token"])).json()
    assert me["organisation"]["kind"] == "intermediary" and "inkomensverzekering" in me["rights"]


def test_expiry_must_be_a_real_future_moment(api, employer):
    h = employer["admin"]["headers"]
    base = {"first_name": "Ext", "last_name": "Erne", "email": "ext@adviseur.example", "rights": ["hr_read"]}
    body = problem(api.post("/api/v1/users", headers=h, json=dict(base, expires_at="2026-02-30")), 422, "validation_failed")
    assert body["errors"][0]["field"] == "/expires_at"
    problem(api.post("/api/v1/users", headers=h, json=dict(base, expires_at="2020-01-01")), 422, "validation_failed")
    r = api.post("/api/v1/users", headers=h, json=dict(base, expires_at="2099-12-31"))
    assert r.status_code == 201 and r.json()["expires_at"] == "2099-12-31T23:00:00Z"  # through that day, Amsterdam


def test_administrator_locks_and_unlocks_a_user(api, employer, mail):
    u = user_session(api, mail, employer["admin"]["headers"], rights=["hr"])
    h = employer["admin"]["headers"]
    r = api.patch(f"/api/v1/users/{u['id']}", headers=h, json={"status": "locked"})
    assert r.status_code == 200 and r.json()["status"] == "locked"
    problem(api.get("/api/v1/me", headers=u["headers"]), 401, "unauthorized")  # at once
    problem(api.post("/api/v1/auth/login", json={"username": u["username"], "password": PASSWORD}), 403, "account_locked")
    assert api.patch(f"/api/v1/users/{u['id']}", headers=h, json={"status": "active"}).json()["status"] == "active"
    assert api.post("/api/v1/auth/login", json={"username": u["username"], "password": PASSWORD}).status_code == 200
    problem(api.patch(f"/api/v1/users/{u['id']}", headers=h, json={"status": "gone"}), 422, "validation_failed")
    invited, _ = invite(api, h, rights=["hr"])
    problem(api.patch(f"/api/v1/users/{invited['id']}", headers=h, json={"status": "locked"}), 409, "conflict")
    problem(api.patch(f"/api/v1/users/{employer['admin']['id']}", headers=h, json={"status": "locked"}), 403, "forbidden")
