"""The Dutch API Design Rules the API applies (README "API design rules"):
the API-Version header on every API answer, the document served as
openapi.json, and the check of openapi.yaml (scripts/check_openapi.py) that
keeps new operations within the rules."""
import datetime
import os
import subprocess
import sys

import requests
import yaml

from conftest import ROOT

CHECK = os.path.join(ROOT, "scripts", "check_openapi.py")


def load_spec():
    with open(os.path.join(ROOT, "openapi.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def plain(value):
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def test_every_api_answer_carries_the_full_api_version(api):
    version = load_spec()["info"]["version"]
    answers = [
        api.get("/api/v1/openapi.json"),                       # 200, public
        api.get("/api/v1/me"),                                 # 401 problem
        api.get("/api/v1/does-not-exist"),                     # 404 problem
        api.post("/api/v1/openapi.yaml", json={}),             # 405 problem
        api.post("/api/v1/auth/login", data=b"{", headers={"Content-Type": "application/json"}),  # 400
        api.get("/healthz"),
        api.get("/.well-known/jwks.json"),
    ]
    for r in answers:
        assert r.headers.get("API-Version") == version, (r.request.method, r.url, r.status_code)


def test_openapi_json_is_the_yaml_document_as_json(api):
    r = requests.get(api.base + "/api/v1/openapi.json", timeout=30,
                     headers={"Origin": "https://elsewhere.example"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.json() == plain(load_spec())


def run_check(path, *args):
    return subprocess.run([sys.executable, CHECK, *args, path], capture_output=True, text=True,
                          timeout=120)


def test_the_repository_document_keeps_the_rules():
    r = run_check(os.path.join(ROOT, "openapi.yaml"))
    assert r.returncode == 0, r.stdout + r.stderr


NEW_PATH = '''  /api/v1/payroll-periods:
    get:
      operationId: listPayrollPeriods
      security:
        - bearerAuth: []
      parameters:
        - $ref: "#/components/parameters/RequestIdIn"
      responses:
        "200":
          description: The periods.
          content:
            application/json:
              schema: {type: array, items: {type: object}}
        "500": {$ref: "#/components/responses/InternalError"}
'''


def spec_copy(tmp_path, edit):
    with open(os.path.join(ROOT, "openapi.yaml"), encoding="utf-8") as f:
        text = f.read()
    text = edit(text)
    path = tmp_path / "openapi.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_new_operation_without_the_rules_fails_with_what_to_add(tmp_path):
    path = spec_copy(tmp_path, lambda t: t.replace("\npaths:\n", "\npaths:\n" + NEW_PATH, 1))
    r = run_check(path)
    assert r.returncode == 1
    out = r.stdout
    op = "GET /api/v1/payroll-periods"
    assert f'{op}: responses lacks 400: add  "400": {{$ref: "#/components/responses/BadRequest"}}' in out
    assert f'{op}: responses lacks 401: add  "401": {{$ref: "#/components/responses/Unauthorized"}}' in out
    assert f'{op}: responses lacks 413: add  "413": {{$ref: "#/components/responses/PayloadTooLarge"}}' in out
    assert (f'{op}: responses."200".headers lacks API-Version: add  '
            'API-Version: {$ref: "#/components/headers/ApiVersion"}') in out
    # --fix adds exactly those lines and the document then passes.
    fixed = run_check(path, "--fix")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    responses = doc["paths"]["/api/v1/payroll-periods"]["get"]["responses"]
    assert list(responses) == ["200", "400", "401", "413", "500"]
    assert "API-Version" in responses["200"]["headers"]


def test_each_rule_fails_when_broken(tmp_path):
    cases = {
        "contact": (lambda t: t.replace("  contact:\n    name: Werkgeversportaal API team\n", "  contact:\n", 1),
                    "info.contact.name: add it"),
        "trailing slash": (lambda t: t.replace("  /api/v1/me:\n", "  /api/v1/me/:\n", 1),
                           "/api/v1/me/: remove the trailing slash"),
        "kebab-case": (lambda t: t.replace("  /api/v1/audit-events:\n", "  /api/v1/auditEvents:\n", 1),
                       "segment 'auditEvents' must be kebab-case"),
        "problem": (lambda t: t.replace("application/problem+json:\n          schema: {$ref: \"#/components/schemas/Problem\"}\n    PayloadTooLarge",
                                        "application/json:\n          schema: {type: object}\n    PayloadTooLarge", 1),
                    'responses."401" must be application/problem+json'),
        "schema name": (lambda t: t.replace("\n    Problem:\n", "\n    problem_document:\n", 1),
                        "components.schemas.problem_document: schema names are PascalCase"),
    }
    for name, (edit, message) in cases.items():
        path = spec_copy(tmp_path, edit)
        with open(path, encoding="utf-8") as f:
            assert f.read() != open(os.path.join(ROOT, "openapi.yaml"), encoding="utf-8").read(), name
        r = run_check(path)
        assert r.returncode == 1, name
        assert message in r.stdout, (name, r.stdout[:2000])
