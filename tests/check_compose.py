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

for e in errors:
    print("docker-compose:", e)
print(f"docker-compose.yml: {len(errors)} problems, {len(services)} services")
sys.exit(1 if errors else 0)
