#!/usr/bin/python3
"""Validates SARIF files against the SARIF 2.1.0 JSON schema.

Usage: validate_sarif.py SCHEMA FILE...   (exit 0 when every file is valid; errors on stderr)
"""
import json
import sys

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
        if errors:
            bad += 1
        elif doc.get("version") != "2.1.0":
            print(f"{path}: version is not 2.1.0", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
