#!/usr/bin/env python3
"""The Dutch API Design Rules (Logius ADR 2.x) that openapi.yaml applies,
checked on every operation; README "API design rules" says which rules are
applied and why the others are not. Prints one line per finding, naming the
operation and exactly what to add, and exits 1 when there is any.

  check_openapi.py [openapi.yaml]         check
  check_openapi.py --fix [openapi.yaml]   also add the missing standard
                                          responses and API-Version headers
                                          (text inserted in place, the rest
                                          of the file untouched), then check

Rules checked:
  - OpenAPI 3.x; info.version a full semantic version; info.contact with
    name, email and url;
  - API paths start with /api/v1/, no trailing slash, kebab-case segments
    (a last segment may carry a file extension: errors.xlsx, openapi.json);
  - only standard methods; schema names PascalCase; query keys snake_case
    (the existing clients' convention, kept instead of camelCase);
  - every 2xx/3xx response declares the API-Version header;
  - every 4xx/5xx response is an application/problem+json Problem (whose
    schema has status, title and detail);
  - every operation declares 400 (each has parameters or a body) and 413
    (the body limit applies on every path), and every operation that needs
    authentication declares 401;
  - a property or query parameter named *_date has format: date.
"""
import os
import re
import sys

import yaml

METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
NON_STANDARD = ("trace",)
STANDARD_ERRORS = {
    "400": '"400": {$ref: "#/components/responses/BadRequest"}',
    "401": '"401": {$ref: "#/components/responses/Unauthorized"}',
    "413": '"413": {$ref: "#/components/responses/PayloadTooLarge"}',
}
API_VERSION_LINE = 'API-Version: {$ref: "#/components/headers/ApiVersion"}'
SEGMENT = re.compile(r"^(\{[a-z][a-z0-9_]*\}|[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)?|\.well-known)$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")


def resolve(doc, node):
    """Follows a local $ref (#/a/b/c) once; other nodes are returned as they are."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
    return node


def schema_properties(doc, schema, depth=0):
    """The property names of a schema, through $ref and allOf."""
    schema = resolve(doc, schema)
    if not isinstance(schema, dict) or depth > 8:
        return set()
    names = set(schema.get("properties") or {})
    for part in schema.get("allOf") or []:
        names |= schema_properties(doc, part, depth + 1)
    return names


def operations(doc):
    for path, item in (doc.get("paths") or {}).items():
        for method, op in (item or {}).items():
            if method in METHODS and isinstance(op, dict):
                yield path, method, item, op


def needs_auth(doc, op):
    security = op.get("security", doc.get("security", []))
    return any(req for req in (security or []))


def check_info(doc, out):
    if not str(doc.get("openapi", "")).startswith("3."):
        out.append("openapi: the document must be OpenAPI 3.x")
    info = doc.get("info") or {}
    if not SEMVER.match(str(info.get("version", ""))):
        out.append("info.version: must be a full semantic version such as 1.0.0")
    contact = info.get("contact") or {}
    for key in ("name", "email", "url"):
        if not contact.get(key):
            out.append(f"info.contact.{key}: add it (info.contact needs name, email and url)")


def check_paths(doc, out):
    for path, item in (doc.get("paths") or {}).items():
        if path != "/" and path.endswith("/"):
            out.append(f"{path}: remove the trailing slash")
        if path.startswith("/api/") and not path.startswith("/api/v1/"):
            out.append(f"{path}: API paths carry the major version: /api/v1/...")
        for seg in path.strip("/").split("/"):
            if seg and not SEGMENT.match(seg):
                out.append(f"{path}: segment {seg!r} must be kebab-case (lower-case words joined by '-')")
        for method in item or {}:
            if method.lower() in NON_STANDARD:
                out.append(f"{method.upper()} {path}: only standard methods (GET, POST, PUT, PATCH, DELETE)")
    for name in ((doc.get("components") or {}).get("schemas") or {}):
        if not PASCAL.match(name):
            out.append(f"components.schemas.{name}: schema names are PascalCase")


def date_properties(node, where, out):
    if isinstance(node, dict):
        for key, value in (node.get("properties") or {}).items():
            if key.endswith("_date") and isinstance(value, dict) and "$ref" not in value \
                    and value.get("format") != "date":
                out.append(f"{where}.{key}: add format: date")
        for key, value in node.items():
            date_properties(value, f"{where}.{key}" if key != "properties" else where, out)
    elif isinstance(node, list):
        for value in node:
            date_properties(value, where, out)


def check_problem(doc, out):
    problem = ((doc.get("components") or {}).get("schemas") or {}).get("Problem") or {}
    for key in ("status", "title", "detail"):
        if key not in (problem.get("properties") or {}):
            out.append(f"components.schemas.Problem: add the property {key}")


def check_operation(doc, path, method, item, op, out):
    name = f"{method.upper()} {path}"
    responses = op.get("responses") or {}
    params = [resolve(doc, p) for p in (item.get("parameters") or []) + (op.get("parameters") or [])]
    for p in params:
        if p.get("in") == "query" and not SNAKE.match(str(p.get("name", ""))):
            out.append(f"{name}: query key {p.get('name')!r} must be snake_case")
        schema = resolve(doc, p.get("schema") or {})
        if str(p.get("name", "")).endswith("_date") and schema.get("format") != "date":
            out.append(f"{name}: parameter {p.get('name')!r}: add format: date to its schema")
    wanted = ["400", "413"] + (["401"] if needs_auth(doc, op) else [])
    for code in wanted:
        if code not in responses:
            out.append(f"{name}: responses lacks {code}: add  {STANDARD_ERRORS[code]}")
    for code, response in responses.items():
        code = str(code)
        body = resolve(doc, response)
        if code[:1] in ("2", "3"):
            if "API-Version" not in (body.get("headers") or {}):
                where = (f"components.responses.{response['$ref'].split('/')[-1]}"
                         if "$ref" in response else f'responses."{code}"')
                out.append(f"{name}: {where}.headers lacks API-Version: add  {API_VERSION_LINE}")
        elif code[:1] in ("4", "5"):
            content = body.get("content") or {}
            props = schema_properties(doc, (content.get("application/problem+json") or {}).get("schema") or {})
            if not all(k in props for k in ("status", "title", "detail")):
                out.append(f'{name}: responses."{code}" must be application/problem+json with '
                           'schema {$ref: "#/components/schemas/Problem"}')


def check(doc):
    out = []
    check_info(doc, out)
    check_paths(doc, out)
    check_problem(doc, out)
    date_properties((doc.get("components") or {}).get("schemas") or {}, "components.schemas", out)
    for path, method, item, op in operations(doc):
        check_operation(doc, path, method, item, op, out)
    return out


# --- --fix: text insertions located with the YAML node tree ----------------

def mapping_get(node, key):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key:
                return k, v
    return None, None


def line_after(node):
    """The line index just after a node's text."""
    end = node.end_mark
    return end.line if end.column == 0 else end.line + 1


def fix_responses(resp_node, wanted, inserts):
    """Adds the standard error responses `wanted` lacks, in code order."""
    if not isinstance(resp_node, yaml.MappingNode) or resp_node.flow_style or not resp_node.value:
        return
    have = {k.value for k, _ in resp_node.value}
    indent = resp_node.value[0][0].start_mark.column
    for code in wanted:
        if code in have:
            continue
        later = [k for k, _ in resp_node.value if not k.value.isdigit() or int(k.value) > int(code)]
        line = later[0].start_mark.line if later else line_after(resp_node.value[-1][1])
        inserts.append((line, " " * indent + STANDARD_ERRORS[code]))


def fix_api_version(response, inserts):
    """Declares API-Version in an inline 2xx/3xx response mapping."""
    if not isinstance(response, yaml.MappingNode) or response.flow_style:
        return
    _, ref = mapping_get(response, "$ref")
    if ref is not None or not response.value:
        return
    indent = response.value[0][0].start_mark.column
    _, headers = mapping_get(response, "headers")
    if headers is not None:
        names = [k.value for k, _ in getattr(headers, "value", [])]
        if "API-Version" in names or not isinstance(headers, yaml.MappingNode) or headers.flow_style:
            return
        line = headers.value[0][0].start_mark.line
        inserts.append((line, " " * headers.value[0][0].start_mark.column + API_VERSION_LINE))
        return
    content_key, _ = mapping_get(response, "content")
    line = content_key.start_mark.line if content_key is not None else line_after(response)
    inserts.append((line, " " * indent + "headers:"))
    inserts.append((line, " " * (indent + 2) + API_VERSION_LINE))


def fix(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = yaml.safe_load(text)
    root = yaml.compose(text)
    inserts = []
    _, paths = mapping_get(root, "paths")
    for path_key, item in (paths.value if paths is not None else []):
        for method_key, op in getattr(item, "value", []):
            if method_key.value not in METHODS:
                continue
            _, resp_node = mapping_get(op, "responses")
            if resp_node is None:
                continue
            op_doc = doc["paths"][path_key.value][method_key.value]
            wanted = ["400", "401", "413"] if needs_auth(doc, op_doc) else ["400", "413"]
            fix_responses(resp_node, wanted, inserts)
            for code, response in resp_node.value:
                if code.value[:1] in ("2", "3"):
                    fix_api_version(response, inserts)
    _, components = mapping_get(root, "components")
    _, shared = mapping_get(components, "responses")
    for name, response in (shared.value if shared is not None else []):
        target = (doc["components"]["responses"][name.value] or {})
        used_for_success = any(
            str(code)[:1] in ("2", "3") and r.get("$ref") == f"#/components/responses/{name.value}"
            for _, _, _, op in operations(doc) for code, r in (op.get("responses") or {}).items())
        if used_for_success and "API-Version" not in (target.get("headers") or {}):
            fix_api_version(response, inserts)
    lines = text.split("\n")
    # Bottom-up so earlier line numbers stay valid; same-line inserts keep their order.
    by_line = {}
    for line, new in inserts:
        by_line.setdefault(line, []).append(new)
    for line in sorted(by_line, reverse=True):
        lines[line:line] = by_line[line]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return len(inserts)


def main(argv):
    args = [a for a in argv if a != "--fix"]
    path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "openapi.yaml")
    path = os.path.relpath(path)
    if "--fix" in argv:
        print(f"{path}: {fix(path)} lines added", file=sys.stderr)
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    findings = check(doc)
    for finding in findings:
        print(f"{path}: {finding}")
    if findings:
        print(f"{len(findings)} finding(s) against the API design rules; "
              "scripts/check_openapi.py --fix adds the missing standard responses and headers",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
