"""Notification mail (seed 003): what asks something of an employer is
queued for the organisation's notification address and sent as one digest
per organisation, so ten documents published in one minute give one mail
listing ten; the mail names kinds and titles and links into the portal,
never personal data."""
import re
import time

import pytest

from document_helpers import document_world, publish
from helpers import body_of, unique
from org_helpers import new_org, new_scheme


@pytest.fixture(scope="module")
def w(api, mail, server, cluster):
    return document_world(api, mail, server, cluster)


def pending_digests(cluster, org_id):
    return int(cluster.psql(
        "SELECT count(*) FROM jobs WHERE kind = 'notification_digest' AND status = 'pending'"
        f" AND payload->>'organisation_id' = '{org_id}'"))


def run_digest_now(cluster, org_id):
    """Makes the organisation's digest due now instead of a minute after the
    first item (the worker polls every second)."""
    cluster.psql("UPDATE jobs SET run_at = now() WHERE kind = 'notification_digest'"
                 f" AND status = 'pending' AND payload->>'organisation_id' = '{org_id}'")


def digests_to(mail, address):
    return [m for m in mail.messages if address in m["to"]]


def test_ten_documents_give_one_mail_listing_ten(w, mail, cluster):
    address = f"{unique('salaris')}@bakkerij.example"
    org = new_org(w.staff, "employer", unique("Digest BV "), notification_email=address)
    scheme = new_scheme(w.staff, org["id"], "pension")
    titles = [unique(f"Factuur {i} ") for i in range(8)]
    for t in titles:
        publish(w.staff, org["id"], "invoice", title=t, amount="100.00")
    titles.append(unique("Reglement "))
    publish(w.staff, org["id"], "pension_rules", title=titles[-1], scheme_id=scheme["id"])
    titles.append(unique("Overzicht "))
    publish(w.staff, org["id"], "booking_overview", title=titles[-1])
    # One digest job however many items: the first item queued it.
    assert pending_digests(cluster, org["id"]) == 1
    run_digest_now(cluster, org["id"])
    m = mail.wait_for(lambda m: address in m["to"])
    body = body_of(m)
    assert "10 nieuwe berichten" in m["message"]["Subject"]
    for t in titles:
        assert body.count(t) == 2, t  # once in Dutch, once in English
    assert "Factuur: " in body and "Invoice: " in body and "Pensioenreglement: " in body
    assert "/documents/financial" in body and "/documents/legal" in body
    assert org["name"] in body
    # Nothing personal: besides the titles and the organisation's name, no
    # BSN-like number; no amount or salary.
    rest = body.replace(org["name"], "")
    for t in titles:
        rest = rest.replace(t, "")
    assert not re.search(r"\b\d{8,9}\b", rest), rest
    assert "100.00" not in body and "52242" not in body and "bsn" not in body.lower()
    # All sent: nothing left to digest, and later items start a new mail.
    assert pending_digests(cluster, org["id"]) == 0
    assert int(cluster.psql("SELECT count(*) FROM employer_notifications"
                            f" WHERE organisation_id = '{org['id']}' AND sent_at IS NULL")) == 0
    later = unique("Herinnering ")
    publish(w.staff, org["id"], "reminder", title=later)
    run_digest_now(cluster, org["id"])
    m2 = mail.wait_for(lambda m: address in m["to"] and later in body_of(m))
    assert "Nieuw in het werkgeversportaal" in m2["message"]["Subject"]
    assert titles[0] not in body_of(m2)
    assert len(digests_to(mail, address)) == 2


def test_no_notification_address_means_no_mail(w, mail, cluster):
    org = new_org(w.staff, "employer", unique("Zonder Adres BV "))
    title = unique("Factuur stil ")
    publish(w.staff, org["id"], "invoice", title=title)
    run_digest_now(cluster, org["id"])
    # The job runs and drops the items unsent.
    for _ in range(300):
        if int(cluster.psql("SELECT count(*) FROM jobs WHERE kind = 'notification_digest'"
                            " AND status IN ('pending', 'running')"
                            f" AND payload->>'organisation_id' = '{org['id']}'")) == 0:
            break
        time.sleep(0.1)
    assert int(cluster.psql("SELECT count(*) FROM employer_notifications"
                            f" WHERE organisation_id = '{org['id']}' AND sent_at IS NULL")) == 0
    assert not [m for m in mail.messages if title in body_of(m)]
