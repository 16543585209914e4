"""A finished batch whose result asks something of the employer (rows not
applied, rows waiting for review, or a failed batch) queues one item for
the organisation's notification mail, like a published document does: kind
batch.attention, counts and a link, no personal data. A batch applied in
full without review asks nothing and queues nothing."""
import pytest

from participant_helpers import add_months, days, iso, participant_world, today
from test_batches import SALARY_HEADER, accepted, csv_bytes, scheme_with, upload, wait_for


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return participant_world(api, mail, server, cluster)


def notifications(w, batch_id):
    return w.cluster.psql(
        "SELECT coalesce(string_agg(kind || '|' || title, ';'), '') FROM employer_notifications"
        f" WHERE organisation_id = '{w.emp['id']}' AND link = '/batches/{batch_id}'")


def run(w, scheme, rows, effective=None, skip=False):
    batch = accepted(upload(w.hr, scheme["id"], csv_bytes(SALARY_HEADER, rows),
                            effective=effective))
    r = w.hr.post(f"/api/v1/batches/{batch['id']}/submit", json={"skip_invalid_rows": skip})
    assert r.status_code == 202, r.text
    assert wait_for(w.hr, batch["id"])["status"] == "processed"
    return batch


def test_a_batch_with_rows_not_applied_notifies_the_employer(w):
    s, (a, b) = scheme_with(w, 2)
    rows = [[a["participant_number"], "", "", "", "", "42000", ""],
            [b["participant_number"], "", "", "", "", "-5", ""]]
    batch = run(w, s, rows, skip=True)
    got = notifications(w, batch["id"])
    assert got == "batch.attention|Collectieve wijziging: 1 van 2 regels verwerkt", got
    assert a["participant_number"] not in got and "42000" not in got


def test_a_batch_waiting_for_review_notifies_the_employer(w):
    s, (a,) = scheme_with(w, 1, start_days=-200)
    rows = [[a["participant_number"], "", "", "", "", "47000", ""]]
    batch = run(w, s, rows, effective=iso(days(add_months(today(), -3), -1)))
    assert notifications(w, batch["id"]).startswith("batch.attention|")


def test_a_batch_applied_in_full_asks_nothing(w):
    s, (a,) = scheme_with(w, 1)
    batch = run(w, s, [[a["participant_number"], "", "", "", "", "43000", ""]])
    assert notifications(w, batch["id"]) == ""
