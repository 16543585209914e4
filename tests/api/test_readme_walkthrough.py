"""The README's curl walk-through ("Signing in with curl"), run as a new user
would: from a checkout whose development cluster dev.sh started in .data/,
in a second terminal without dev.sh's environment, one command after the
other. Only the server's port differs from the text (8080 may be taken).

So the README cannot drift from what the binary does: if a step's command,
field name or mail text changes, this test fails at that step.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import BINARY, ROOT, as_postgres, free_port, pg_bin

SECTION = "## Signing in with curl"


def walkthrough_commands():
    """The first sh block after SECTION, as logical lines (continuations
    joined, comments and blank lines dropped)."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    after = text[text.index(SECTION):]
    block = re.search(r"```sh\n(.*?)```", after, re.S).group(1)
    commands, current = [], ""
    for line in block.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line + ("\n" if line.endswith("\\") else "")
        if not line.endswith("\\"):
            commands.append(current)
            current = ""
    return commands


@pytest.fixture(scope="module")
def checkout():
    """A folder shaped like a checkout after dev.sh: build/portal-api, and a
    PostgreSQL cluster in .data/pg with its socket in .data/run, port 5433."""
    top = tempfile.mkdtemp(prefix="portal-readme-")
    os.chmod(top, 0o755)
    data = os.path.join(top, ".data")
    run, pg = os.path.join(data, "run"), os.path.join(data, "pg")
    os.makedirs(run)
    os.makedirs(pg)
    os.makedirs(os.path.join(top, "build"))
    os.symlink(BINARY, os.path.join(top, "build", "portal-api"))
    if os.geteuid() == 0:
        os.chmod(data, 0o755)
        shutil.chown(run, "postgres")
        shutil.chown(pg, "postgres")
    subprocess.run(as_postgres([pg_bin("initdb"), "-D", pg, "-A", "trust", "-U", "postgres",
                                "-E", "UTF8", "--no-sync"]), check=True, stdout=subprocess.DEVNULL)
    subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", pg, "-w", "-l", os.path.join(run, "log"),
                                "-o", f"-k {run} -p 5433 -c listen_addresses='' -c fsync=off",
                                "start"]), check=True, stdout=subprocess.DEVNULL)
    subprocess.run(as_postgres([pg_bin("createdb"), "-h", run, "-p", "5433", "-U", "postgres",
                                "portal"]), check=True)
    port = free_port()
    # The server as dev.sh starts it, but without PORTAL_DATABASE_URL: it
    # finds the cluster in .data/ the same way the command line does.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PORTAL_ENV": "development",
           "PORTAL_PORT": str(port), "PORTAL_BIND_ADDRESS": "127.0.0.1",
           "PORTAL_PUBLIC_URL": f"http://localhost:{port}", "PORTAL_SHARE_DIR": ROOT,
           "PORTAL_HTTP_THREADS": "4", "PORTAL_WORKERS": "1",
           "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86"}
    log = open(os.path.join(top, "server.log"), "ab")
    proc = subprocess.Popen([os.path.join(top, "build", "portal-api"), "serve"], cwd=top, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        assert proc.poll() is None and time.time() < deadline, open(
            os.path.join(top, "server.log")).read()[-3000:]
        time.sleep(0.2)
    yield top, port
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    log.close()
    subprocess.run(as_postgres([pg_bin("pg_ctl"), "-D", pg, "-m", "fast", "-w", "stop"]),
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(top, ignore_errors=True)


def test_readme_sign_in_walkthrough_runs_as_written(checkout):
    top, port = checkout
    commands = walkthrough_commands()
    assert commands[0].startswith("build/portal-api create-staff")
    # A person reads each answer before typing the next line (and mail
    # takes a moment to arrive): one second between commands.
    script = "set -eu\n" + "\nsleep 1\n".join(c.replace("localhost:8080", f"localhost:{port}")
                                                for c in commands)
    script += '\necho; echo "ME=$(curl -s localhost:%d/api/v1/me -H "Authorization: Bearer $ACCESS")"\n' % port
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": top}
    out = subprocess.run(["bash", "-c", script], cwd=top, env=env, capture_output=True,
                         text=True, timeout=180)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    me = re.search(r"^ME=(.*)$", out.stdout, re.M).group(1)
    assert '"username":"sanne"' in me.replace(" ", "")
    assert '"access_token"' in out.stdout  # the refresh answered new tokens
