#!/usr/bin/python3
"""Scores archscan on the taxonomy paper's reference backdoors (Langford et al., S&P 2025).

Usage: bench/reference_eval.py [--archscan BIN] PATH

PATH is a checkout of the authors' public repository (or any copy of its `backdoored_models/` tree).
Folder names are the labels: {operator,constant}_based/{separate,shared,interleaved}_path/
{targeted,untargeted} map to T1..T12; every `backdoor.py` / `leaky*backdoor.py` is one model. A model
counts as found when a BD001 of any type is reported *in its own file*, and as typed when that
BD001 has the folder's type. The reference code is never copied into this repository.
"""
import argparse
import json
import os
import subprocess
import sys

TRIGGER = {"operator_based": 0, "constant_based": 6}
PATH_ = {"separate_path": 0, "shared_path": 2, "interleaved_path": 4}
INTEGRATION = {"targeted": 1, "untargeted": 2}


def expected_type(rel):
    parts = rel.split(os.sep)
    try:
        t = TRIGGER[parts[-4]] + PATH_[parts[-3]] + INTEGRATION[parts[-2]]
    except (KeyError, IndexError):
        return None
    return f"T{t}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--archscan", default=os.path.join(here, "..", "build", "archscan"))
    ap.add_argument("path")
    a = ap.parse_args()
    root = os.path.abspath(a.path)
    p = subprocess.run([a.archscan, "scan", root, "--no-db", "--format", "json", "--fail-on", "none"],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print(p.stderr, file=sys.stderr)
        return 2
    findings = json.loads(p.stdout)["findings"]
    by_file = {}
    for f in findings:
        if f["rule"] == "BD001":
            by_file.setdefault(f["path"], set()).add(f.get("taxonomy", ""))
    models = []
    for d, _, files in os.walk(root):
        for name in sorted(files):
            if name == "backdoor.py" or (name.startswith("leaky") and name.endswith("backdoor.py")):
                full = os.path.join(d, name)
                models.append((os.path.relpath(full, root), expected_type(os.path.relpath(full, root))))
    found = typed = 0
    for rel, want in sorted(models):
        got = by_file.get(rel, set())
        ok = want in got
        found += bool(got)
        typed += ok
        print(f"{'ok  ' if ok else 'MISS'} {want:>4}  got {','.join(sorted(got)) or '-':<10} {rel}")
    n = len(models)
    print(f"found in own file: {found}/{n}; right type: {typed}/{n}")
    return 0 if n and typed == n else 1


if __name__ == "__main__":
    sys.exit(main())
