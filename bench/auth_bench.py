#!/usr/bin/python3
"""Sign-in benchmark (issue 3): logins per second with the chosen argon2id
cost, and the p99 of an authenticated read (GET /api/v1/me) alone and while
a login burst runs. Usage: /usr/bin/python3 bench/auth_bench.py
(needs a release build at build/portal-api; scripts/dev.sh makes one)."""
import os
import subprocess
import threading

import pyotp
import requests

import common

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def main():
    cluster, mail, server = common.start()
    try:
        subprocess.run([os.environ["PORTAL_BINARY"], "seed-demo"], env=server.env, check=True,
                       capture_output=True)
        base = server.url
        r = requests.post(base + "/api/v1/auth/login",
                          json={"username": "werkgever.beheer", "password": "Demo-Werkgeversportaal-2026"})
        body = r.json()
        r = requests.post(base + "/api/v1/auth/mfa", json={
            "mfa_token": body["mfa_token"], "code": pyotp.TOTP(body["totp"]["secret"]).now()})
        env = {"ACCESS_TOKEN": r.json()["access_token"]}

        health = common.wrk(base + "/healthz", seconds=SECONDS)
        alone = common.wrk(base + "/api/v1/me", "me.lua", seconds=SECONDS, env=env)
        # As many connections as may wait for a hash: every attempt is served.
        logins = common.wrk(base + "/api/v1/auth/login", "login.lua", connections=2, seconds=SECONDS)
        during = {}

        def burst():
            during["logins"] = common.wrk(base + "/api/v1/auth/login", "login.lua", connections=8,
                                          seconds=SECONDS)

        t = threading.Thread(target=burst)
        t.start()
        during["me"] = common.wrk(base + "/api/v1/me", "me.lua", seconds=SECONDS, env=env)
        t.join()

        print(f"machine: {common.machine()}; HTTP threads {server.env['PORTAL_HTTP_THREADS']}, "
              f"argon2id m=19 MiB t=2 p=1, at most cores-1 hashes at once")
        print(f"{'scenario':46} {'ok/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'busy/err':>9}")
        rows = [("GET /healthz (HTTP ceiling), 32 conn", health),
                ("GET /api/v1/me alone, 32 conn", alone),
                ("POST /auth/login (argon2id), 2 conn", logins),
                ("GET /api/v1/me during a login burst, 32 conn", during["me"]),
                ("POST /auth/login burst, 8 conn (503 when full)", during["logins"])]
        for name, res in rows:
            ok = res["rps"] - res["errors"] / SECONDS
            print(f"{name:46} {ok:8.0f} {res['p50'] or 0:8.2f} {res['p99'] or 0:8.2f} {res['errors']:9d}")
    finally:
        common.stop(cluster, mail, server)


if __name__ == "__main__":
    main()
