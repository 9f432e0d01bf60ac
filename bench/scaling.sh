#!/usr/bin/env bash
# Does the scan cost grow linearly with the tree? Scans 1x, 2x, 4x and 8x copies of a model zoo and
# prints wall time, CPU time and peak RSS per size, then the log-log slope of each against the
# number of files (1.0 = linear; a super-linear phase shows as a slope well above 1).
#
#   bench/scaling.sh [PACKAGE_DIR...]      (default: Debian's torchvision and torchaudio)
#
# Each copy is a renamed package (torchvision -> torchvision_c3, with every import of it rewritten),
# so copies link inside themselves as the original does and never into each other: the tree grows,
# the shape of each part does not. $ARCHSCAN (default build/archscan), $JOBS (default: all cores),
# $SIZES (default "1 2 4 8").
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
archscan=${ARCHSCAN:-$here/build/archscan}
jobs=${JOBS:-$(nproc)}
sizes=${SIZES:-1 2 4 8}
[[ -x $archscan ]] || { echo "scaling: $archscan not found (build it, or set ARCHSCAN)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "scaling: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
if (($# == 0)); then
  set -- /usr/lib/python3/dist-packages/torchvision /usr/lib/python3/dist-packages/torchaudio
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

max=0
for s in $sizes; do ((s > max)) && max=$s; done
# Copies 1..max of every package, imports rewritten (python3: copying and a regex, no analysis).
python3 - "$tmp/copies" "$max" "$@" << 'PY'
import os, re, shutil, sys
out, n, pkgs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names = [os.path.basename(p.rstrip("/")) for p in pkgs]
for c in range(1, n + 1):
    for pkg, name in zip(pkgs, names):
        dst = os.path.join(out, str(c), f"{name}_c{c}")
        shutil.copytree(pkg, dst, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyc"))
        for d, _, files in os.walk(dst):
            for f in files:
                if not f.endswith(".py"):
                    continue
                p = os.path.join(d, f)
                text = open(p, encoding="utf-8", errors="surrogateescape").read()
                for other in names:
                    text = re.sub(rf"\b{re.escape(other)}\b", f"{other}_c{c}", text)
                open(p, "w", encoding="utf-8", errors="surrogateescape").write(text)
PY

printf '%6s %7s %9s %9s %9s\n' copies files "wall s" "cpu s" "peak MB" | tee "$tmp/table"
for s in $sizes; do
  root=$tmp/tree-$s
  mkdir -p "$root"
  # Copied, not linked: archscan never follows a symbolic link out of the scanned root.
  for c in $(seq 1 "$s"); do cp -r "$tmp/copies/$c"/* "$root/"; done
  files=$(find "$root" -name '*.py' | wc -l)
  "$archscan" scan "$root" --no-db --format json -o /dev/null --fail-on none -q -j "$jobs" > /dev/null 2>&1 || true
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$archscan" scan "$root" --no-db --format json -o /dev/null \
    --fail-on none -q -j "$jobs" > /dev/null 2>&1 || true
  read -r wall user sys rss < "$tmp/time"
  awk -v s="$s" -v f="$files" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss" \
    'BEGIN { printf "%6s %7s %9.2f %9.2f %9.1f\n", s, f, w, u + y, r / 1024 }' | tee -a "$tmp/table"
done
python3 - "$tmp/table" << 'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
f = [math.log(float(r[1])) for r in rows]
def slope(col):
    y = [math.log(max(float(r[col]), 1e-3)) for r in rows]
    mx, my = sum(f) / len(f), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(f, y)) / sum((a - mx) ** 2 for a in f)
if len(rows) > 1:
    print(f"log-log slope vs files: wall {slope(2):.2f}, cpu {slope(3):.2f}, peak RSS {slope(4):.2f} (1.0 = linear)")
PY
