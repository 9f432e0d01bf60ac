#!/usr/bin/python3
"""Validates SARIF files the way the SARIF ecosystem does: against the 2.1.0 JSON schema (the copy
shipped in Microsoft's SARIF Multitool package; python3-jsonschema checks it, because the
Multitool's `validate` does not report schema violations itself) and with the Multitool's own
rules (SARIF1xxx / SARIF2xxx).

Usage:
    validate_sarif.py --multitool BIN --schema SCHEMA FILE...
    validate_sarif.py --multitool BIN --schema SCHEMA --scan ARCHSCAN PATH

With --scan, ARCHSCAN scans PATH (`--no-db --format sarif`) and that log is validated.
Exit 0 only when every file has no result of level error or warning (notes are allowed);
the offending results are printed on stderr, one line each.
"""
import argparse
import json

import jsonschema
import os
import subprocess
import sys
import tempfile


def schema_errors(schema_path, path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}: schema: {where}: {e.message}", file=sys.stderr)
    return len(errors)


def validate(multitool, schema, path, out_dir):
    if schema_errors(schema, path):
        return 1
    out = os.path.join(out_dir, os.path.basename(path) + ".validation.sarif")
    if os.path.exists(out):
        os.remove(out)
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1")
    proc = subprocess.run([multitool, "validate", "--json-schema", schema, "--output", out, path],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0 or not os.path.exists(out):
        print(f"{path}: the multitool failed ({proc.returncode}): {proc.stdout[-2000:]}{proc.stderr[-2000:]}",
              file=sys.stderr)
        return 1
    with open(out, encoding="utf-8") as f:
        log = json.load(f)
    bad = 0
    for run in log.get("runs", []):
        for r in run.get("results", []):
            level = r.get("level", "warning")  # SARIF's default level
            if level not in ("error", "warning"):
                continue
            bad += 1
            msg = r.get("message", {})
            text = msg.get("text") or " ".join(str(a) for a in msg.get("arguments", []))
            print(f"{path}: {level} {r.get('ruleId')}: {text}", file=sys.stderr)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--multitool", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--scan", metavar="ARCHSCAN")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = a.files
        if a.scan:
            log = os.path.join(tmp, "scan.sarif")
            p = subprocess.run([a.scan, "scan", *a.files, "--no-db", "--format", "sarif", "--fail-on", "none",
                                "-o", log], capture_output=True, text=True)
            if p.returncode != 0:
                print(f"archscan scan failed ({p.returncode}): {p.stderr[-2000:]}", file=sys.stderr)
                return 1
            files = [log]
        return 1 if any([validate(a.multitool, a.schema, f, tmp) for f in files]) else 0


if __name__ == "__main__":
    sys.exit(main())
