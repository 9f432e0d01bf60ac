#!/usr/bin/env bash
# Cost of the C++ front-end's semantic mode against `clang++ -fsyntax-only` of the same TU.
#
#   bench/cpp_bench.sh [ARCHSCAN_BINARY] [FILE...]
#
# For each file: the median wall time and peak RSS of RUNS (default 3) runs of
#   clang++-14 -fsyntax-only -std=c++17 -I/usr/include/torch/csrc/api/include -Icorpus/cpp/include FILE
# and of `archscan ir FILE` (lowering in semantic mode, linking, printing), the latter once with an
# empty cache ("cold": the precompiled torch header is built) and RUNS times with it ("warm").
# Target (issue 5): warm <= 1.2x clang++ -fsyntax-only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/archscan}
[ $# -gt 0 ] && shift
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=("$root/corpus/cpp/backdoored/t1_preact_resnet_exposure_guard.cpp"
         "$root/corpus/cpp/benign/bert_padding_mask.cpp"
         "$root/corpus/cpp/benign/ggml_llama_graph.cpp")
fi
runs=${RUNS:-3}
clangxx=${CLANGXX:-clang++-14}
[ -x "$bin" ] || { echo "archscan binary not found: $bin" >&2; exit 2; }
command -v "$clangxx" >/dev/null || { echo "$clangxx not found" >&2; exit 2; }

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export ARCHSCAN_CACHE_DIR=$cache
unset ARCHSCAN_CPP_MODE ARCHSCAN_NO_PCH

# "seconds KB" of one run
measure() { /usr/bin/time -f "%e %M" -o "$cache/t" "$@" >/dev/null 2>&1 || true; cat "$cache/t"; }
# median over $runs runs: "seconds KB"
median() {
  local out=()
  for ((i = 0; i < runs; i++)); do out+=("$(measure "$@")"); done
  printf '%s\n' "${out[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

printf '%-44s %9s %9s %9s %7s %9s %9s\n' file clang_s cold_s warm_s ratio clang_MB warm_MB
for f in "${files[@]}"; do
  read -r cs cm < <(median "$clangxx" -fsyntax-only -std=c++17 -I/usr/include/torch/csrc/api/include \
                      -I"$root/corpus/cpp/include" "$f")
  rm -rf "$cache/pch"
  read -r cold _ < <(measure "$bin" ir "$f")
  read -r ws wm < <(median "$bin" ir "$f")
  mode=$("$bin" ir "$f" 2>/dev/null | head -1 || true)
  ratio=$(awk -v a="$ws" -v b="$cs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  printf '%-44s %9s %9s %9s %7s %9d %9d   %s\n' "$(basename "$f")" "$cs" "$cold" "$ws" "$ratio" \
    $((cm / 1024)) $((wm / 1024)) "$mode"
done
