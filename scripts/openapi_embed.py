#!/usr/bin/env python3
"""Build step: reads openapi.yaml and writes a C source holding the same
document as compact JSON (served at /api/v1/openapi.json) and its
info.version (sent as the API-Version header), so the binary needs no YAML
parser. Usage: openapi_embed.py <openapi.yaml> <out.c>. Exits 1 when the
document cannot be read or has no semantic info.version."""
import datetime
import json
import re
import sys

import yaml


def plain(value):
    """YAML dates and times become the ISO strings the YAML text shows."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def main(src, out):
    with open(src, encoding="utf-8") as f:
        doc = plain(yaml.safe_load(f))
    version = str(doc.get("info", {}).get("version", ""))
    if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
        sys.exit(f"{src}: info.version {version!r} is not a semantic version")
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    lines = ["/* Generated from openapi.yaml by scripts/openapi_embed.py; do not edit. */",
             '#include "base/openapi_document.h"', "",
             f'const char openapi_api_version[] = "{version}";',
             f"const size_t openapi_json_length = {len(data)}u;",
             "const unsigned char openapi_json[] = {"]
    for i in range(0, len(data), 24):
        lines.append("    " + ",".join(str(b) for b in data[i:i + 24]) + ",")
    lines += ["    0};", ""]
    with open(out, "w", encoding="ascii") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: openapi_embed.py <openapi.yaml> <out.c>")
    main(sys.argv[1], sys.argv[2])
