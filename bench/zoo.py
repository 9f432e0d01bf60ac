#!/usr/bin/python3
"""Real model zoos: scan every model package Debian ships and print findings per package.

    bench/zoo.py [--archscan BIN] [--site DIR] [--check] [PACKAGE ...]

Packages default to torch, torchvision, torchaudio, torchtext and skorch under DIR
(/usr/lib/python3/dist-packages). For each: files analysed (ok / partial / error / skipped), the
number of `forward` definitions, findings by severity and rule, and warnings per 100 forwards.
With --check the exit status is 1 unless every package meets the quiet-zoo gate: no error-level
finding, at most 1 warning per 100 forwards, and every file analysed (ok or partial).
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

PACKAGES = ["torch", "torchvision", "torchaudio", "torchtext", "skorch"]
FORWARD = re.compile(rb"^\s*def\s+forward\s*\(", re.M)


def count_forwards(root, paths):
    n = 0
    for rel in paths:
        try:
            with open(os.path.join(root, rel), "rb") as f:
                n += len(FORWARD.findall(f.read()))
        except OSError:
            pass
    return n


def scan(archscan, path, jobs):
    t = time.monotonic()
    p = subprocess.run([archscan, "scan", path, "--no-db", "--no-cache", "--format", "json", "--fail-on", "none",
                        "-j", str(jobs)], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"zoo: archscan exited {p.returncode} on {path}:\n{p.stderr}")
    return json.loads(p.stdout), time.monotonic() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--archscan", default=os.path.join(here, "build", "archscan"))
    ap.add_argument("--site", default="/usr/lib/python3/dist-packages")
    ap.add_argument("--check", action="store_true", help="fail unless every package meets the quiet-zoo gate")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("-v", "--verbose", action="store_true", help="list the warnings and errors")
    ap.add_argument("packages", nargs="*", default=PACKAGES)
    opts = ap.parse_args()

    failures = []
    print(f"{'package':<12} {'files':>6} {'ok':>6} {'partial':>7} {'other':>6} {'forwards':>8} {'errors':>6} "
          f"{'warnings':>8} {'notes':>6} {'w/100f':>7} {'secs':>6}  rules (warning+)")
    for pkg in opts.packages:
        path = os.path.join(opts.site, pkg)
        if not os.path.isdir(path):
            failures.append(f"{pkg}: not installed at {path}")
            continue
        doc, secs = scan(opts.archscan, path, opts.jobs)
        files = doc.get("files", [])
        status = collections.Counter(f.get("status") for f in files)
        forwards = count_forwards(doc.get("root", path), [f["path"] for f in files if f["path"].endswith(".py")])
        sev = collections.Counter(f["severity"] for f in doc["findings"] if not f.get("suppression"))
        rules = collections.Counter(f["rule"] for f in doc["findings"]
                                    if f["severity"] != "note" and not f.get("suppression"))
        per100 = 100.0 * sev["warning"] / max(forwards, 1)
        other = len(files) - status["ok"] - status["partial"]
        print(f"{pkg:<12} {len(files):>6} {status['ok']:>6} {status['partial']:>7} {other:>6} {forwards:>8} "
              f"{sev['error']:>6} {sev['warning']:>8} {sev['note']:>6} {per100:>7.2f} {secs:>6.1f}  "
              + ", ".join(f"{r} {n}" for r, n in sorted(rules.items())))
        if opts.verbose:
            for f in doc["findings"]:
                if f["severity"] != "note" and not f.get("suppression"):
                    print(f"    {f['path']}:{f['line']} {f['rule']} [{f['severity']}] {f['message'][:150]}")
        if sev["error"]:
            failures.append(f"{pkg}: {sev['error']} error-level finding(s)")
        if sev["warning"] > forwards / 100.0:
            failures.append(f"{pkg}: {sev['warning']} warnings on {forwards} forwards (at most 1 per 100)")
        if other:
            bad = [f"{f['path']} ({f.get('status')})" for f in files if f.get("status") not in ("ok", "partial")]
            failures.append(f"{pkg}: {other} file(s) not analysed: " + ", ".join(bad[:5]))
    for f in failures:
        print("zoo: " + f, file=sys.stderr)
    return 1 if (opts.check and failures) else 0


if __name__ == "__main__":
    sys.exit(main())
