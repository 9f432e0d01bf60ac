#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz (or all four) for SECONDS and prints its executions and
# crashes; exits 1 if it found any crashing input (a crash, sanitizer report, leak, timeout or OOM).
#
#   bench/fuzz.sh TARGET SECONDS [LIBFUZZER_ARG...]
#
# TARGET: python (Python front-end + linker + analyses + rules, the whole scan of one file),
# cpp_syntax (the tree-sitter C++ path), cpp_clang (the Clang path on small TUs without torch
# headers), suppressions (the suppression-comment parser), lsp (the language server: framing, JSON,
# dispatch, text sync, analysis of opened documents); `all` builds the five and runs each for
# SECONDS (what CI runs: `bench/fuzz.sh all 60`).
# Configures build-fuzz/ on first use (clang-14, -DARCHSCAN_FUZZ=ON: every source instrumented with
# -fsanitize=fuzzer-no-link,address,undefined; needs `apt-get install clang-14 libclang-rt-14-dev
# libfuzzer-14-dev`), builds the target, and seeds it from the repository's corpus/ files (generated
# at run time into build-fuzz/fuzz-seeds/; new inputs go to build-fuzz/fuzz-corpus/, crashing inputs
# to build-fuzz/fuzz-artifacts/). One input taking more than FUZZ_UNIT_TIMEOUT seconds (default 30)
# is a hang and counts as a crash. libFuzzer stops at the first crash; pass e.g.
# `-fork=1 -ignore_crashes=1` to keep going. ARCHSCAN_FUZZ_BUILD overrides the build directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 2 ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
target=$1
secs=$2
shift 2
targets=(python cpp_syntax cpp_clang suppressions lsp)
case $target in
  python | cpp_syntax | cpp_clang | suppressions | lsp) ;;
  all)
    # Builds the five targets at once, then runs each; exits 1 if any found a crashing input.
    t0=$SECONDS
    FUZZ_BUILD_TARGETS="${targets[*]}" bash "$0" --build-only 0
    echo "fuzz.sh: build took $((SECONDS - t0)) s"
    failed=()
    for t in "${targets[@]}"; do
      t0=$SECONDS
      bash "$0" "$t" "$secs" "$@" || failed+=("$t")
      echo "fuzz.sh: $t took $((SECONDS - t0)) s"
    done
    if [ ${#failed[@]} -gt 0 ]; then
      echo "fuzz.sh: failed (a crashing input, or the build): ${failed[*]}" >&2
      exit 1
    fi
    exit 0 ;;
  --build-only) ;;
  *) echo "fuzz.sh: unknown target '$target' (python, cpp_syntax, cpp_clang, suppressions, lsp, all)" >&2; exit 2 ;;
esac
bdir=${ARCHSCAN_FUZZ_BUILD:-$root/build-fuzz}

if [ ! -f "$bdir/build.ninja" ]; then
  launcher=()
  if command -v ccache > /dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$root" -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DARCHSCAN_FUZZ=ON -DBUILD_TESTING=OFF "${launcher[@]}" > /dev/null
fi
build_targets=()
for t in ${FUZZ_BUILD_TARGETS:-$target}; do build_targets+=("fuzz_$t"); done
nice -n 10 cmake --build "$bdir" --target "${build_targets[@]}" -j "${FUZZ_BUILD_JOBS:-2}"
[ "$target" = --build-only ] && exit 0

# Seeds from corpus/ (regenerated each run, never committed).
seeds=$bdir/fuzz-seeds/$target
rm -rf "$seeds"
mkdir -p "$seeds" "$bdir/fuzz-corpus/$target" "$bdir/fuzz-artifacts/$target"
i=0
seed() {  # seed FILE: copies FILE into the seed directory
  i=$((i + 1))
  cp "$1" "$seeds/seed-$i"
}
case $target in
  python)
    while IFS= read -r f; do seed "$f"; done < <(find "$root/corpus" -name '*.py' | sort) ;;
  cpp_syntax)
    while IFS= read -r f; do seed "$f"; done < <(find "$root/corpus" \( -name '*.cpp' -o -name '*.h' \) | sort) ;;
  cpp_clang)
    # Small TUs: the corpus files without their #include lines (no torch headers to parse).
    while IFS= read -r f; do
      i=$((i + 1))
      grep -v '^[[:space:]]*#[[:space:]]*include' "$f" | head -c 4000 > "$seeds/seed-$i" || true
    done < <(find "$root/corpus" \( -name '*.cpp' -o -name '*.h' \) | sort) ;;
  suppressions)
    while IFS= read -r f; do seed "$f"; done < <(find "$root/corpus" \( -name '*.py' -o -name '*.cpp' \) | sort | head -40)
    # The corpus has no suppression comments: one file of each form, from corpus lines.
    line=$(grep -h -m1 'return' "$root"/corpus/*/*.py | head -1 || true)  # head closes the pipe: SIGPIPE under pipefail
    {
      echo "$line  # archscan: ignore[BD001, CE001] reason"
      echo "# archscan: ignore[T3] — typed"
      echo "$line"
      echo "x = 1  # archscan:ignore[] why"
      echo "auto y = x;  // archscan: ignore[HW001]: bench only"
      echo "// archscan: ignore no brackets"
    } > "$seeds/seed-suppressions" ;;
  lsp)
    # Sessions an editor would send: initialize, open a corpus model, edit it, hover, shut down.
    frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
    while IFS= read -r f; do
      i=$((i + 1))
      text=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$f")
      uri="file:///ws/m$i.py"
      {
        frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///ws","capabilities":{}}}'
        frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
        frame "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"$uri\",\"languageId\":\"python\",\"version\":1,\"text\":$text}}}"
        frame "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"$uri\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":3,\"character\":0},\"end\":{\"line\":5,\"character\":4}},\"text\":\"x = \\u00e9\\n\"}]}}"
        frame "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":{\"uri\":\"$uri\"},\"position\":{\"line\":10,\"character\":8}}}"
        frame "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"textDocument/codeAction\",\"params\":{\"textDocument\":{\"uri\":\"$uri\"},\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":99,\"character\":0}},\"context\":{\"diagnostics\":[]}}}"
        frame '{"jsonrpc":"2.0","id":4,"method":"shutdown"}'
        frame '{"jsonrpc":"2.0","method":"exit"}'
      } > "$seeds/seed-$i"
    done < <(find "$root/corpus/backdoored" -maxdepth 1 -name '*.py' | sort | head -12) ;;
esac

log=$bdir/fuzz-$target.log
extra=(-timeout="${FUZZ_UNIT_TIMEOUT:-30}")
set +e
"$bdir/tests/fuzz/fuzz_$target" -max_total_time="$secs" -print_final_stats=1 \
  -artifact_prefix="$bdir/fuzz-artifacts/$target/" "${extra[@]}" "$@" \
  "$bdir/fuzz-corpus/$target" "$seeds" > "$log" 2>&1
rc=$?
set -e
tail -n 30 "$log"
# (|| true: with -fork there are no final stats, and set -o pipefail would end the script here.)
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
[ -z "$execs" ] && execs=$(grep -o '^#[0-9]*' "$log" | tr -d '#' | tail -1 || true)
crashes=$(find "$bdir/fuzz-artifacts/$target" -type f -newer "$seeds" | wc -l)
echo "fuzz_$target: ${execs:-0} executions in ${secs}s, $crashes new crashing input(s) (exit $rc); log: $log"
find "$bdir/fuzz-artifacts/$target" -type f -newer "$seeds" -printf '  %p\n'
[ "$crashes" -eq 0 ] || exit 1
# libFuzzer exits non-zero when it stops on a crash; anything else (a crash of the fuzzer itself
# before it wrote an artifact) is a failure too.
[ "$rc" -eq 0 ] || { echo "fuzz_$target: libFuzzer exited $rc" >&2; exit 1; }
