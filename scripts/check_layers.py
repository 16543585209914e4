#!/usr/bin/env python3
"""Keeps the layers of api/src pointing down (README "Layers"): every
#include "folder/file.h" of a source file must name a folder its own folder
may use, and a resource file includes no other resource file (what several
resources share lives in http/ or workflows/). Also refuses the unsafe C
functions the project bans. Exits 1 with one line per finding."""
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "api", "src")

# What each folder may include, besides itself. "top" is api/src's own files.
ALLOWED = {
    "top": {"resources", "jobs", "demo", "workflows", "http", "auth", "formats", "store",
            "domain", "base"},
    "resources": {"workflows", "http", "auth", "formats", "store", "domain", "base"},
    "jobs": {"workflows", "auth", "formats", "store", "domain", "base"},
    "demo": {"workflows", "auth", "store", "domain", "base"},
    "workflows": {"auth", "formats", "store", "domain", "base"},
    "http": {"auth", "formats", "store", "domain", "base"},
    "auth": {"store", "formats", "domain", "base"},
    "formats": {"domain", "base"},
    "store": {"formats", "domain", "base"},
    "domain": {"base"},
    "base": set(),
}
# Folders whose files may not include each other (each file stands alone).
NO_SIDEWAYS = {"resources"}

BANNED = re.compile(r"\b(strcpy|strcat|sprintf|vsprintf|gets|stpcpy|strtok)\s*\(")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

# Size limits: every .c/.h under api/src, and every function of a resource file.
MAX_FILE_LINES = 600
MAX_RESOURCE_FUNCTION_LINES = 60
# A function starts at column 0 with an identifier and runs to the '}' at
# column 0; a start whose text up to '{' ends in ';' is a declaration.
FUNCTION_START = re.compile(r"^[A-Za-z_][A-Za-z0-9_ \t\*]*\(")
FUNCTION_NAME = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def long_functions(lines, limit):
    """(name, first line, length) of each function over limit lines."""
    found = []
    i = 0
    while i < len(lines):
        if not FUNCTION_START.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and not lines[j].startswith("{") and not lines[j].rstrip().endswith(";"):
            j += 1
        if j >= len(lines) or not lines[j].startswith("{"):
            i = j + 1
            continue
        k = j
        while k < len(lines) and not lines[k].startswith("}"):
            k += 1
        length = k - i + 1
        if length > limit:
            found.append((FUNCTION_NAME.search(lines[i]).group(1), i + 1, length))
        i = k + 1
    return found


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def main():
    findings = []
    for dirpath, _, files in os.walk(SRC):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, SRC)
            folder = rel.split(os.sep)[0] if os.sep in rel else "top"
            if folder not in ALLOWED:
                findings.append(f"{rel}: folder {folder}/ is not in the layer table")
                continue
            stem = os.path.splitext(rel)[0]
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for lineno, line in enumerate(text.splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                tfolder = target.split("/")[0] if "/" in target else "top"
                if tfolder == folder:
                    if folder in NO_SIDEWAYS and os.path.splitext(target)[0] != stem.replace(os.sep, "/"):
                        findings.append(f"{rel}:{lineno}: sideways include {target}")
                    continue
                if tfolder not in ALLOWED[folder]:
                    findings.append(f"{rel}:{lineno}: {folder}/ may not include {target}")
            for lineno, line in enumerate(strip_comments(text).splitlines(), 1):
                m = BANNED.search(line)
                if m:
                    findings.append(f"{rel}:{lineno}: banned function {m.group(1)}")
            n_lines = len(text.splitlines())
            if n_lines > MAX_FILE_LINES:
                findings.append(f"{rel}: {n_lines} lines, over {MAX_FILE_LINES}")
            if folder == "resources" and name.endswith(".c"):
                for fname, first, length in long_functions(text.splitlines(),
                                                           MAX_RESOURCE_FUNCTION_LINES):
                    findings.append(f"{rel}:{first}: function {fname} has {length} lines, "
                                    f"over {MAX_RESOURCE_FUNCTION_LINES}")
    for f in findings:
        print(f)
    print(f"layer check: {len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
