#!/usr/bin/env bash
# Times `archscan scan DIR --no-db` with hyperfine next to a bare tree-sitter parse of the same
# files (bench/ts_parse.cpp), and prints files/s and MB/s for both, single-threaded and on every
# core.
#
#   bench/scan_bench.sh DIR [RUNS]
#
# Binaries: $ARCHSCAN (default: build/archscan) and $TS_PARSE (default: build/bench/ts_parse_bench),
# or set $BUILD to a build directory holding both. Needs hyperfine and python3.
set -euo pipefail

dir=${1:?usage: bench/scan_bench.sh DIR [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build}
archscan=${ARCHSCAN:-$build/archscan}
ts_parse=${TS_PARSE:-$build/bench/ts_parse_bench}
cores=$(nproc)

for exe in "$archscan" "$ts_parse"; do
  [[ -x $exe ]] || { echo "scan_bench: $exe not found (build the archscan and ts_parse_bench targets, or set ARCHSCAN / TS_PARSE)" >&2; exit 2; }
done
command -v hyperfine >/dev/null || { echo "scan_bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
[[ -d $dir ]] || { echo "scan_bench: $dir is not a directory" >&2; exit 2; }

# The files both tools read: what archscan discovers (.py/.pyi, no dot-directories, __pycache__ or
# node_modules), counted by archscan itself so both columns use the same denominator.
read -r files bytes < <("$archscan" scan "$dir" --no-db --format json --fail-on none -j "$cores" 2>/dev/null |
  python3 -c '
import json, os, sys
j = json.load(sys.stdin)
root = j.get("root", "")
files = [f for f in j["files"] if f["language"] == "python"]
print(len(files), sum(os.path.getsize(os.path.join(root, f["path"])) for f in files))')
read -r ts_files ts_bytes < <("$ts_parse" "$dir" | awk '{print $2, $4}')
if [[ $ts_files != "$files" ]]; then
  echo "scan_bench: note: archscan sees $files files, ts_parse_bench $ts_files" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$tmp/h.json" \
  -n "archscan -j1"     "$archscan scan $(printf %q "$dir") --no-db --fail-on none --format json -o /dev/null -j 1" \
  -n "archscan -j$cores" "$archscan scan $(printf %q "$dir") --no-db --fail-on none --format json -o /dev/null -j $cores" \
  -n "ts_parse -j1"     "$ts_parse -j 1 $(printf %q "$dir")" \
  -n "ts_parse -j$cores" "$ts_parse -j $cores $(printf %q "$dir")" >&2

python3 - "$tmp/h.json" "$dir" "$files" "$bytes" "$ts_files" "$ts_bytes" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))
d, files, size, ts_files, ts_size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
print(f"\n{d}: {files} files, {size / 1e6:.1f} MB")
print(f"{'':22} {'mean s':>9} {'± s':>7} {'files/s':>9} {'MB/s':>7}")
rows = {}
for r in h["results"]:
    n, m, sd = r["command"], r["mean"], r["stddev"] or 0.0
    f, b = (ts_files, ts_size) if n.startswith("ts_parse") else (files, size)
    rows[n] = m
    print(f"{n:22} {m:9.3f} {sd:7.3f} {f / m:9.0f} {b / 1e6 / m:7.2f}")
names = list(rows)
print(f"\nscan / bare parse: {rows[names[0]] / rows[names[2]]:.2f}x single-threaded, "
      f"{rows[names[1]] / rows[names[3]]:.2f}x on every core")
PY
