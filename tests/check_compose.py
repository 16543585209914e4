"""Checks docker-compose.yml against the code, since no Docker engine runs
here: valid YAML, the services of the production shape, every PORTAL_*
variable it sets is one the binary reads, the build files it names exist,
and nginx proxies what the API serves."""
import os
import re
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
errors = []

with open(os.path.join(ROOT, "docker-compose.yml")) as f:
    doc = yaml.safe_load(f)

services = doc.get("services", {})
for name in ("db", "api1", "api2", "web", "mail"):
    if name not in services:
        errors.append(f"service {name} is missing")

with open(os.path.join(ROOT, "api", "src", "base", "config.c")) as f:
    known = set(re.findall(r'"(PORTAL_[A-Z_]+)"', f.read()))

keys = set()
for name in ("api1", "api2"):
    env = services.get(name, {}).get("environment", {})
    keys.add(env.get("PORTAL_JWT_PRIVATE_KEY_FILE"))
    for var in env:
        if var.startswith("PORTAL_") and var not in known:
            errors.append(f"{name} sets {var}, which portal-api does not read")
    build = services.get(name, {}).get("build", {})
    if not os.path.exists(os.path.join(ROOT, build.get("dockerfile", "-"))):
        errors.append(f"{name} builds from a missing Dockerfile")
if len(keys) != 1 or None in keys:
    errors.append("the API instances must share one JWT key file")

web = services.get("web", {}).get("build", {})
if not os.path.exists(os.path.join(ROOT, web.get("dockerfile", "-"))):
    errors.append("web builds from a missing Dockerfile")

with open(os.path.join(ROOT, "deploy", "nginx.conf")) as f:
    nginx = f.read()
for needle in ("api1:8080", "api2:8080", "X-Forwarded-For", "api/", r"\.well-known/", "healthz", "try_files $uri /index.html"):
    if needle not in nginx:
        errors.append(f"nginx.conf lacks {needle}")

# TLS in production: the public URL is https (Secure cookies, HSTS), nginx
# terminates TLS with certificate files mounted from a volume, sends HSTS and
# limits connections per client address; mail never goes out with TLS off.
for name in ("api1", "api2"):
    env = services.get(name, {}).get("environment", {})
    if not str(env.get("PORTAL_PUBLIC_URL", "")).startswith("https://"):
        errors.append(f"{name}: PORTAL_PUBLIC_URL must be https://")
    if str(env.get("PORTAL_SMTP_TLS", "required")) not in ("required", "opportunistic"):
        errors.append(f"{name}: PORTAL_SMTP_TLS must be required or opportunistic")
    if env.get("PORTAL_ENV", "production") != "production":
        errors.append(f"{name}: PORTAL_ENV must be production")
web_service = services.get("web", {})
if not any(str(v).endswith(":/etc/nginx/tls:ro") for v in web_service.get("volumes", [])):
    errors.append("web must mount the TLS certificate folder at /etc/nginx/tls read-only")
if not any(str(p).endswith(":443") for p in web_service.get("ports", [])):
    errors.append("web must publish port 443")
for needle in ("listen 443 ssl", "ssl_certificate /etc/nginx/tls/fullchain.pem",
               "ssl_certificate_key /etc/nginx/tls/privkey.pem", "Strict-Transport-Security",
               "return 301 https://", "limit_conn_zone", "limit_conn per_address"):
    if needle not in nginx:
        errors.append(f"nginx.conf lacks {needle}")
# nginx drops a server-level add_header in any location with its own: every
# location that adds headers must repeat HSTS.
for block in re.findall(r"location[^{]*\{([^}]*)\}", nginx):
    if "add_header" in block and "Strict-Transport-Security" not in block:
        errors.append("a location of nginx.conf adds headers without Strict-Transport-Security")
with open(os.path.join(ROOT, "README.md")) as f:
    readme = f.read()
for var in sorted({v for s in ("api1", "api2") for v in services.get(s, {}).get("environment", {})}):
    if var.startswith("PORTAL_") and f"`{var}`" not in readme:
        errors.append(f"{var} is not in the README configuration table")

for e in errors:
    print("docker-compose:", e)
print(f"docker-compose.yml: {len(errors)} problems, {len(services)} services")
sys.exit(1 if errors else 0)
