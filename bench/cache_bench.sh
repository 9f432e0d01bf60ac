#!/usr/bin/env bash
# Times the analysis cache with hyperfine: for each DIR, a scan without database (`--no-db`), a cold
# scan (`--no-cache`: every file analysed, run recorded, cache refreshed), a warm scan of the
# unchanged tree (every file from the cache), and a warm scan after one file was edited (its
# dependency component analysed again). The tree is copied first, so the edit and the database
# stay out of it.
#
#   bench/cache_bench.sh DIR... [-- RUNS]
#
# Binary: $ARCHSCAN (default: build/archscan), or $BUILD/archscan. Needs hyperfine.
set -euo pipefail

dirs=()
runs=10
while (($#)); do
  if [[ $1 == -- ]]; then runs=${2:?usage: bench/cache_bench.sh DIR... [-- RUNS]}; break; fi
  dirs+=("$1")
  shift
done
((${#dirs[@]})) || { echo "usage: bench/cache_bench.sh DIR... [-- RUNS]" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
archscan=${ARCHSCAN:-${BUILD:-$here/build}/archscan}
[[ -x $archscan ]] || { echo "cache_bench: $archscan not found (set ARCHSCAN or BUILD)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "cache_bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cores=$(nproc)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "${dirs[@]}"; do
  [[ -d $dir ]] || { echo "cache_bench: $dir is not a directory" >&2; exit 2; }
  name=$(basename "$dir")
  tree=$tmp/$name
  cp -r "$dir" "$tree"
  db=$tmp/$name.db
  # The file edited before each run of the last benchmark: the first Python file, by path.
  edited=$(find "$tree" -name '*.py' -not -path '*/.*' | LC_ALL=C sort | head -n 1)
  base="$archscan scan $(printf %q "$tree") --fail-on none --format json -j $cores"
  scan="$base -o /dev/null"
  $scan --db "$db"  # creates the database and the cache
  files=$($base --db "$db" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["files"]))')
  echo "== $dir: $files files; edited file: ${edited#"$tree"/}" >&2
  # One --prepare per command (hyperfine pairs them in order): only the last edits the file.
  hyperfine --style basic --warmup 1 --runs "$runs" --export-markdown "$tmp/$name.md" \
    --prepare true --prepare true --prepare true --prepare "echo '# edited' >> $(printf %q "$edited")" \
    -n "no database"         "$scan --no-db" \
    -n "cold (--no-cache)"   "$scan --db $(printf %q "$db") --no-cache" \
    -n "warm, unchanged"     "$scan --db $(printf %q "$db")" \
    -n "warm, 1 file edited" "$scan --db $(printf %q "$db")" >&2
  echo
  echo "$dir ($files files, -j $cores):"
  cat "$tmp/$name.md"
done
