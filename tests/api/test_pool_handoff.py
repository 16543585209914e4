"""More HTTP threads than database connections (PORTAL_HTTP_THREADS,
PORTAL_DATABASE_CONNECTIONS): a request borrows a connection only while it
is handled and queues for one in turn (store/db_pool.c), so many concurrent
clients are all answered by a pool far smaller than the thread count, and a
streamed download, which borrows a connection for each chunk after its
request has given its own back, works with a pool of one.

Own server on the session's database, with the session server's key and
issuer so the same access token works on both."""
import concurrent.futures
import shutil

import pytest

from conftest import Api, Server
from document_helpers import PDF, publish
from helpers import staff_session
from org_helpers import new_org
from participant_helpers import TokenActor
import helpers

CLIENTS = 24
REQUESTS = 96


@pytest.fixture(scope="module")
def small_pool(cluster, mail, server):
    s = Server(cluster, mail, {"PORTAL_HTTP_THREADS": "12", "PORTAL_DATABASE_CONNECTIONS": "1",
                               "PORTAL_WORKERS": "0",
                               "PORTAL_JWT_PRIVATE_KEY_FILE":
                                   server.env["PORTAL_JWT_PRIVATE_KEY_FILE"],
                               "PORTAL_PUBLIC_URL": server.env["PORTAL_PUBLIC_URL"]})
    yield s
    s.stop()
    reports = s.sanitizer_reports()
    shutil.rmtree(s.dir, ignore_errors=True)
    assert not reports, reports


def signed(base, headers):
    """Requests to one server carrying a staff session's access token."""
    return TokenActor(Api(base), headers["Authorization"].removeprefix("Bearer "))


def test_many_clients_share_one_connection_in_turn(api, mail, server, small_pool):
    other = signed(small_pool.url, staff_session(api, mail, server))
    assert helpers.metric(small_pool.url, "portal_db_pool_connections") == 1

    def one(_):
        return other.get("/api/v1/me").status_code

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(one, range(REQUESTS)))
    assert statuses == [200] * REQUESTS
    # They did queue for the one connection, and nobody is left in the queue.
    assert helpers.metric(small_pool.url, "portal_db_pool_waits_total") > 0
    assert helpers.metric(small_pool.url, "portal_db_pool_timeouts_total") == 0
    helpers.wait_until("the queue to empty",
                       lambda: helpers.metric(small_pool.url, "portal_db_pool_waiting") == 0)


def test_download_streams_with_the_only_connection_given_back(api, mail, server, small_pool):
    headers = staff_session(api, mail, server)
    staff = signed(server.url, headers)
    org = new_org(staff, "employer")
    body = PDF + b"%" + b"x" * (3 * 1024 * 1024) + b"\n"  # more than one stored chunk
    doc = publish(staff, org["id"], content=body).json()
    other = signed(small_pool.url, headers)
    r = other.get(f"/api/v1/documents/{doc['id']}/file")
    assert r.status_code == 200, r.text
    assert r.content == body
