"""Debian's nginx running deploy/nginx.conf on loopback in front of one or
more portal-api instances (the production shape without containers):
nginx talks to the API from 127.0.0.2, the tests' trusted proxy."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

from conftest import ROOT, Api, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def derive_config(server_ports, http_port, https_port, tls_dir, html_dir):
    """deploy/nginx.conf with the upstreams, ports and paths of this machine;
    its upstream block keeps its options (least_conn, max_fails, keepalive)
    with one server line per instance."""
    with open(os.path.join(ROOT, "deploy", "nginx.conf")) as f:
        conf = f.read()
    pattern = r"server api1:8080([^;]*);\s*server api2:8080([^;]*);"
    match = re.search(pattern, conf)
    assert match, "the upstream block of deploy/nginx.conf changed"
    servers = "\n    ".join(f"server 127.0.0.1:{port}{match.group(1)};" for port in server_ports)
    conf = conf[:match.start()] + servers + conf[match.end():]
    replacements = [
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/nginx/tls/", tls_dir + "/"),
        ("root /usr/share/nginx/html;", f"root {html_dir};"),
        ("proxy_pass http://portal_api;", "proxy_pass http://portal_api;\n        proxy_bind 127.0.0.2;"),
    ]
    for old, new in replacements:
        assert old in conf, f"deploy/nginx.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    return conf


class Nginx:
    """nginx in front of the given API ports; stop() ends it."""

    def __init__(self, server_ports):
        if not os.path.exists(NGINX):
            raise AssertionError("nginx is not installed (scripts/lib.sh installs it for the tests)")
        d = self.dir = tempfile.mkdtemp(prefix="portal-nginx-")
        os.chmod(d, 0o777)
        tls, html = os.path.join(d, "tls"), os.path.join(d, "html")
        os.makedirs(tls)
        os.makedirs(html)
        with open(os.path.join(html, "index.html"), "w") as f:
            f.write("<!doctype html><title>Werkgeversportaal</title>")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                        "-keyout", os.path.join(tls, "privkey.pem"),
                        "-out", os.path.join(tls, "fullchain.pem")],
                       check=True, capture_output=True)
        self.http_port, self.https_port = free_port(), free_port()
        self.ca = os.path.join(tls, "fullchain.pem")
        with open(os.path.join(d, "site.conf"), "w") as f:
            f.write(derive_config(server_ports, self.http_port, self.https_port, tls, html))
        temp = "".join(f"    {k}_temp_path {d}/{k};\n"
                       for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(f"worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n"
                    f"daemon off;\nevents {{ worker_connections 256; }}\n"
                    f"http {{\n    access_log off;\n{temp}    include {d}/site.conf;\n}}\n")
        self.proc = subprocess.Popen([NGINX, "-p", d, "-e", f"{d}/error.log", "-c", f"{d}/nginx.conf"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while True:
            assert self.proc.poll() is None, open(f"{d}/error.log").read()
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                break
            except OSError:
                assert time.time() < deadline, "nginx did not start"
                time.sleep(0.1)

    @property
    def https(self):
        return f"https://localhost:{self.https_port}"

    @property
    def http(self):
        return f"http://127.0.0.1:{self.http_port}"

    def info(self):
        return {"https": self.https, "http": self.http, "https_port": self.https_port, "ca": self.ca}

    def api(self):
        """An Api whose requests go through nginx over HTTPS."""
        return ProxiedApi(self.https, self.ca)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


class ProxiedApi(Api):
    """Api over HTTPS trusting only this nginx's own certificate (also when
    REQUESTS_CA_BUNDLE names another bundle)."""

    def __init__(self, base, ca):
        super().__init__(base)
        self.ca = ca

    def request(self, method, path, **kw):
        kw.setdefault("verify", self.ca)
        return super().request(method, path, **kw)


def served_by(server, request_id):
    """1 when server's log has the request line of request_id (now, without
    waiting: the callers wait for the whole set)."""
    return int(server.request_line_of(request_id, timeout=0) is not None)
