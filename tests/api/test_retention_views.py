"""Privacy retention beyond the participant detail: once a former participant
is past the scheme's limit, employer and office users no longer read the
salary or address through the change history (the participant's changes,
the organisation's submitted changes, one change), and sorting by salary
does not place that participant among the others (it sorts last, as
unknown, in both directions). Insurer staff still see everything."""
import re

import pytest

from helpers import unique
from org_helpers import new_org, new_scheme, new_user, world_of
from participant_helpers import change, days, grant, iso, register, today

ADDRESS = {"street": "Lijnbaan", "house_number": "7", "postal_code": "3012 EL",
           "city": "Rotterdam", "country": "NL"}


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    base = world_of(api, mail, server, cluster)

    class W:
        pass

    w = W()
    w.staff = base.staff
    w.emp = new_org(w.staff, "employer", unique("Historie BV "))
    w.scheme = new_scheme(w.staff, w.emp["id"], "pension")
    w.admin = new_user(api, mail, cluster, w.staff, w.emp["id"], ["user_management"])
    w.office = new_org(w.staff, "intermediary", unique("Historie Advies "))
    w.adviser = new_user(api, mail, cluster, w.staff, w.office["id"],
                         ["pensioenverzekering", "premiepensioenvorderingen", "inkomensverzekering"])
    grant(w.admin, w.office["id"], [w.scheme["id"]], "read_write")
    start = days(today(), -60)
    w.low = register(w.admin, w.scheme["id"], start=start, salary="30000.00").json()
    w.former = register(w.admin, w.scheme["id"], start=start, salary="35000.00").json()
    w.mid = register(w.admin, w.scheme["id"], start=start, salary="40000.00").json()
    w.high = register(w.admin, w.scheme["id"], start=start, salary="50000.00").json()
    w.former2 = register(w.admin, w.scheme["id"], start=start, salary="45000.00").json()
    change(w.admin, w.former2["id"], {"type": "termination",
                                      "effective_date": iso(days(today(), -5))})
    change(w.admin, w.former["id"], {"type": "salary_change", "salary": "36789.12",
                                     "effective_date": iso(days(today(), -20))})
    change(w.admin, w.former["id"], {"type": "address_change", "address": ADDRESS,
                                     "effective_date": iso(days(today(), -15))})
    w.cancellable = change(w.admin, w.former["id"], {
        "type": "salary_change", "salary": "37000.00",
        "effective_date": iso(days(today(), -10))}).json()
    change(w.admin, w.former["id"], {"type": "termination",
                                     "effective_date": iso(days(today(), -3))})
    return w


def months(w, n):
    r = w.staff.request("PUT", f"/api/v1/schemes/{w.scheme['id']}/retention",
                        json={"former_participant_months": n, "pseudonymise_after_months": None})
    assert r.status_code == 200, r.text


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")


def leaks(text):
    """The former participant's salaries or address anywhere in text. Ids
    and timestamps are left out first: a timestamp's microseconds can
    hold "36789" by chance (2026-12-08T01:18:26.936789Z)."""
    text = TIMESTAMP.sub("<timestamp>", UUID.sub("<id>", text))
    return any(s in text for s in ("35000", "36789", "37000", "Lijnbaan", "3012 EL"))


def test_leak_check_ignores_ids_and_timestamps():
    assert not leaks('{"registered_at":"2026-12-08T01:18:26.936789Z",'
                     ' "id":"8037bc1f-1ad7-41fa-8cea-7da635000dba"}')
    assert not leaks('{"id":"8037bc1f-1ad7-41fa-8cea-d8637000dd00"}')
    assert leaks('{"salary":"36789.12"}') and leaks('{"street":"Lijnbaan"}')


def history(actor, pid):
    r = actor.get(f"/api/v1/participants/{pid}/changes", params={"limit": 200})
    assert r.status_code == 200, r.text
    return r


def submitted(actor, w):
    r = actor.get("/api/v1/changes", params={"scheme_id": w.scheme["id"], "limit": 200})
    assert r.status_code == 200, r.text
    return r


def test_history_shows_salary_and_address_within_the_limit(w):
    months(w, 12)
    for who in (w.admin, w.adviser):
        assert leaks(history(who, w.former["id"]).text)


def test_history_past_the_limit_keeps_only_what_the_reduced_detail_shows(w):
    months(w, 0)
    try:
        for who in (w.admin, w.adviser):
            r = history(who, w.former["id"])
            assert not leaks(r.text), r.text
            items = r.json()["items"]
            assert {c["type"] for c in items} >= {"registration", "salary_change", "address_change"}
            for c in items:
                assert c["restricted"] is True
                if c["type"] == "registration":
                    assert c["data"]["display_name"]
                    assert set(c["data"]["employment"]) == {"start_date", "end_date"}
                    assert c["data"]["employment"]["start_date"]
                else:
                    assert c["data"] == {}
            r = submitted(who, w)
            assert not leaks(r.text), r.text
            one = who.get(f"/api/v1/changes/{items[0]['id']}")
            assert one.status_code == 200 and one.json()["restricted"] is True
            for c in items:
                one = who.get(f"/api/v1/changes/{c['id']}")
                assert one.status_code == 200 and not leaks(one.text), one.text
            # Other participants' changes are untouched.
            assert "restricted" not in history(who, w.high["id"]).json()["items"][0]
        # Cancelling an old change does not read it back either.
        r = w.admin.post(f"/api/v1/changes/{w.cancellable['id']}/cancel",
                         json={"reason": "dubbel"})
        assert r.status_code in (200, 409), r.text
        assert not leaks(r.text), r.text
        # Staff still see everything.
        r = history(w.staff, w.former["id"])
        assert "36789" in r.text and "Lijnbaan" in r.text and '"restricted"' not in r.text
    finally:
        months(w, 12)


def salary_order(actor, w, desc, limit=1):
    """The participant ids in salary order, walking pages of `limit`."""
    seen, cursor = [], None
    while True:
        params = {"scheme_id": w.scheme["id"], "sort": "-salary" if desc else "salary",
                  "limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = actor.get("/api/v1/participants", params=params)
        assert r.status_code == 200, r.text
        seen += [p["id"] for p in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return seen


def test_sorting_by_salary_puts_a_participant_past_the_limit_last(w):
    ids = [w.low["id"], w.former["id"], w.mid["id"], w.former2["id"], w.high["id"]]
    # Past the limit: unknown, after every known salary, by id among themselves
    # (the id descending when the order is).
    unknown = sorted([w.former["id"], w.former2["id"]])
    months(w, 12)
    assert salary_order(w.admin, w, False) == ids
    months(w, 0)
    try:
        for who in (w.admin, w.adviser):
            # Pages of 1 and 2 cross from known to unknown salaries inside a
            # page and between pages; 200 holds them all.
            for limit in (1, 2, 200):
                assert salary_order(who, w, False, limit) == [
                    w.low["id"], w.mid["id"], w.high["id"]] + unknown
                assert salary_order(who, w, True, limit) == [
                    w.high["id"], w.mid["id"], w.low["id"]] + unknown[::-1]
            # With a status filter: the dormant ones only, all unknown.
            r = who.get("/api/v1/participants", params={
                "scheme_id": w.scheme["id"], "sort": "salary", "status": "dormant"})
            assert r.status_code == 200, r.text
            assert [p["id"] for p in r.json()["items"]] == unknown
            assert all(p["salary"] is None for p in r.json()["items"])
        # Staff see the salary, so it sorts where it belongs.
        assert salary_order(w.staff, w, False) == ids
        assert salary_order(w.staff, w, True) == ids[::-1]
    finally:
        months(w, 12)


def list_statement(cluster, request):
    """The list statement PostgreSQL ran for request: its text and its
    parameters as SQL literals."""
    for e in cluster.statements_during(request):
        if "known AS MATERIALIZED" in e["sql"]:
            return e["sql"], ["NULL" if e["params"][n] is None
                              else "'" + e["params"][n].replace("'", "''") + "'"
                              for n in range(1, len(e["params"]) + 1)]
    raise AssertionError("no list statement logged")


def test_a_salary_page_looks_for_unknown_salaries_only_at_the_end(w, cluster):
    """The known salaries come off the salary index; the unknown ones (past
    the limit) are looked for only when a scheme's known salaries do not
    fill the page, so a page in the middle never runs that part and the last
    one does. Before, every such page sorted the whole scheme."""
    months(w, 0)
    try:
        def plan(limit):
            sql, values = list_statement(cluster, lambda: w.admin.get(
                "/api/v1/participants",
                params={"scheme_id": w.scheme["id"], "sort": "salary", "limit": limit}))
            # On this small table, filled by many tests, the planner may
            # rather sort another scan; with sorting priced out, the salary
            # index must serve the known salaries' order (an expression key,
            # as before, could not).
            return cluster.psql(
                "SET plan_cache_mode = force_generic_plan; SET enable_sort = off;"
                " SET enable_bitmapscan = off; PREPARE page AS " + sql + ";"
                " EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE page("
                + ", ".join(values) + ")")
        for limit, runs in ((2, False), (200, True)):
            lines = plan(limit).splitlines()
            # The unknown salaries' part: its LIMIT under the filter that
            # counts the known ones against the page size ($14).
            gate = [i for i, x in enumerate(lines)
                    if re.search(r"One-Time Filter: \(\$\d+ < \$14\)", x)]
            assert len(gate) == 1, "\n".join(lines)
            part = next(x for x in lines[gate[0]:] if "->  Limit" in x)
            assert ("never executed" not in part) == runs, "\n".join(lines)
            assert any("Index Scan using participant_periods_by_salary" in x
                       for x in lines[:gate[0]]), "\n".join(lines)
    finally:
        months(w, 12)
