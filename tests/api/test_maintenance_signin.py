"""Housekeeping of the sign-in tables of migration 0011: `portal-api
maintenance` (what every server's workers do every ten minutes) drops
unlock links that expired more than 30 days ago and clients a user has not
signed in from for more than 30 days; younger rows stay."""
import subprocess

from conftest import BINARY
from helpers import unique


def test_maintenance_drops_signin_records_older_than_30_days(server, cluster):
    org = cluster.psql("INSERT INTO organisations (kind, name) VALUES ('employer', 'Opruimen BV')"
                       " RETURNING id").splitlines()[0]
    name = unique("opruim")
    user = cluster.psql(
        "INSERT INTO users (organisation_id, username, email, first_name, last_name)"
        f" VALUES ('{org}', '{name}', '{name}@klant.example', 'Op', 'Ruim')"
        " RETURNING id").splitlines()[0]
    for token, expires, used in (("old-unused", "31 days", "NULL"),
                                 ("old-used", "31 days", "now() - interval '40 days'"),
                                 ("recent", "29 days", "NULL"),
                                 ("live", "-1 hour", "NULL")):
        cluster.psql("INSERT INTO signin_unlocks (user_id, token_hash, created_at, expires_at, used_at)"
                     f" VALUES ('{user}', '{name}-{token}', now() - interval '{expires}' - interval '1 hour',"
                     f" now() - interval '{expires}', {used})")
    for client, seen in (("old", "31 days"), ("recent", "29 days"), ("today", "0 days")):
        cluster.psql("INSERT INTO signin_known_clients (user_id, client_hash, last_success_at)"
                     f" VALUES ('{user}', '{client}', now() - interval '{seen}')")
    out = subprocess.run([BINARY, "maintenance"], env=server.env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "unlock links dropped:" in out.stdout and "known clients dropped:" in out.stdout
    assert cluster.psql("SELECT string_agg(token_hash, ',' ORDER BY token_hash) FROM signin_unlocks"
                        f" WHERE user_id = '{user}'") == f"{name}-live,{name}-recent"
    assert cluster.psql("SELECT string_agg(client_hash, ',' ORDER BY client_hash)"
                        f" FROM signin_known_clients WHERE user_id = '{user}'") == "recent,today"
    # A second run finds nothing more to drop for this user.
    again = subprocess.run([BINARY, "maintenance"], env=server.env, capture_output=True, text=True,
                           timeout=60)
    assert again.returncode == 0, again.stderr
    assert cluster.psql(f"SELECT count(*) FROM signin_unlocks WHERE user_id = '{user}'") == "2"
    assert cluster.psql(f"SELECT count(*) FROM signin_known_clients WHERE user_id = '{user}'") == "2"
