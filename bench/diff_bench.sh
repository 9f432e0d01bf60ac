#!/usr/bin/env bash
# Times `archscan diff` for a one-file change in a ~1,500-file repository against a full scan of
# the same tree (docs/pre-merge.md). The repository is generated in a temporary directory: 150
# packages, each an __init__.py and 9 corpus models (corpus/benign and corpus/backdoored single
# files, in turn), one model per package also importing a shared helper package. Three committed
# changes are timed: one model edited, the shared helper edited (150 importers), and a docs-only
# change.
#
#   bench/diff_bench.sh [RUNS]
#
# Binary: $ARCHSCAN (default: build/archscan), or $BUILD/archscan. Needs hyperfine and git.
set -euo pipefail

runs=${1:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
archscan=${ARCHSCAN:-${BUILD:-$here/build}/archscan}
[[ -x $archscan ]] || { echo "diff_bench: $archscan not found (set ARCHSCAN or BUILD)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "diff_bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
cores=$(nproc)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo
mkdir -p "$repo/common"
mapfile -t models < <(ls "$here"/corpus/benign/*.py "$here"/corpus/backdoored/*.py | LC_ALL=C sort)
cat > "$repo/common/__init__.py" <<'PY'
PY
cat > "$repo/common/blocks.py" <<'PY'
import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x)).relu()
PY
k=0
for p in $(seq 0 149); do
  pkg=$repo/pkg$p
  mkdir -p "$pkg"
  : > "$pkg/__init__.py"
  for m in $(seq 0 8); do
    cp "${models[$((k % ${#models[@]}))]}" "$pkg/m$m.py"
    k=$((k + 1))
  done
  printf 'from common.blocks import ConvBlock\n\n\ndef stem(cin=3, cout=16):\n    return ConvBlock(cin, cout)\n' >> "$pkg/m0.py"
done
files=$(find "$repo" -name '*.py' | wc -l)
git() { command git -C "$repo" -c user.name=bench -c user.email=bench@example.org "$@"; }
git init -q -b main
git add -A
git commit -q -m base
printf '\n\ndef describe(model):\n    return type(model).__name__\n' >> "$repo/pkg7/m3.py"
git commit -q -am "one model edited"
printf '\n\ndef channels(block):\n    return block.conv.out_channels\n' >> "$repo/common/blocks.py"
git commit -q -am "shared helper edited"
echo "docs" > "$repo/README.md"
git add README.md
git commit -q -m "docs only"

echo "repository: $files Python files; $cores cores; $("$archscan" --version 2>/dev/null || echo archscan)"
for c in "one-file change:HEAD~3 HEAD~2" "shared helper change:HEAD~2 HEAD~1" "docs-only change:HEAD~1 HEAD"; do
  # shellcheck disable=SC2086
  "$archscan" diff -C "$repo" ${c#*:} --fail-on none -q --format json | python3 -c \
    'import json,sys; r=json.load(sys.stdin); print("%s: %d files analysed, %d new findings" % (sys.argv[1], len(r["files"]), len(r["findings"])))' "${c%%:*}"
done
hyperfine --runs "$runs" --warmup 1 -N \
  -n "diff, one-file change" "$archscan diff -C $repo HEAD~3 HEAD~2 --fail-on none -q -j $cores" \
  -n "diff, shared helper change (150 importers)" "$archscan diff -C $repo HEAD~2 HEAD~1 --fail-on none -q -j $cores" \
  -n "diff, docs-only change" "$archscan diff -C $repo HEAD~1 HEAD --fail-on none -q -j $cores" \
  -n "full scan (--no-db)" "$archscan scan $repo --no-db --fail-on none -q -j $cores"
