#!/usr/bin/env bash
# The installable package (docs/packaging.md): `cmake --install` into a fresh prefix, and the Debian
# package CPack builds, unpacked into a fresh root. Each installed binary must work on its own: from
# another directory, with the source tree out of reach, it scans the corpus with full recall and
# shows a rule's doc page. The .deb must declare the runtime dependencies a fresh Debian 12 needs,
# and apt must be able to resolve them.
#   test_package.sh BUILD_DIR SOURCE_DIR MODE   (MODE: prefix | deb)
set -euo pipefail
build=$(realpath "$1")
src=$(realpath "$2")
mode=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

case "$mode" in
  prefix)
    cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
    root=$work/prefix
    ;;
  deb)
    command -v dpkg-shlibdeps > /dev/null || fail "dpkg-shlibdeps missing (apt-get install dpkg-dev)"
    (cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" > "$work/cpack.log" 2>&1) ||
      { cat "$work/cpack.log" >&2; fail "cpack failed"; }
    debs=("$work"/pkg/archscan_*_*.deb)
    deb=${debs[0]}
    [ -f "$deb" ] || fail "no archscan_*.deb produced"
    echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
    depends=$(dpkg-deb -f "$deb" Depends)
    echo "Depends: $depends"
    for lib in libsqlite3-0 libfmt libxxhash0 libclang-cpp14 libllvm14 libclang-common-14-dev libstdc++6; do
      grep -q "$lib" <<< "$depends" || fail "Depends lacks $lib"
    done
    # apt resolves the package and its dependencies from the Debian archive (simulated: nothing changes).
    apt-get install -s -o Debug::NoLocking=1 "$deb" > "$work/apt.log" 2>&1 ||
      { cat "$work/apt.log" >&2; fail "apt cannot install $(basename "$deb")"; }
    grep -q "^Inst archscan" "$work/apt.log" || { cat "$work/apt.log" >&2; fail "apt would not install archscan"; }
    dpkg -x "$deb" "$work/root"
    root=$work/root/usr
    # As root with no archscan package installed (CI's fresh machine), install it for real with apt,
    # run the installed /usr/bin/archscan, and remove it again.
    if [ "$(id -u)" = 0 ] && ! dpkg -s archscan > /dev/null 2>&1; then
      apt-get install -y -q "$deb" > "$work/apt-install.log" 2>&1 ||
        { cat "$work/apt-install.log" >&2; fail "apt install failed"; }
      /usr/bin/archscan eval "$src/corpus/backdoored" --min-recall 1.0 | tail -n 1
      apt-get remove -y -q archscan > /dev/null 2>&1 || fail "apt remove failed"
      echo "apt install ./$(basename "$deb"): installed, scanned, removed"
    fi
    ;;
  *) fail "unknown mode $mode" ;;
esac

bin=$root/bin/archscan
[ -x "$bin" ] || fail "$bin not installed"
for f in share/doc/archscan/README.md share/doc/archscan/rules/BD001.md share/doc/archscan/pre-merge.md \
         share/archscan/report.html share/archscan/pre-commit-hooks.yaml share/archscan/action.yml; do
  [ -s "$root/$f" ] || fail "$f not installed"
done
# Nothing else comes along (no vendored third-party headers or libraries).
extra=$(cd "$root" && find . -type f | grep -v -e '^./bin/archscan$' -e '^./share/doc/archscan/' -e '^./share/archscan/' || true)
[ -z "$extra" ] || fail "unexpected installed files: $extra"

# Run it away from the source and build trees: a copy of the corpus, cwd elsewhere.
cp -r "$src/corpus" "$work/corpus"
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$bin" --version
"$bin" rule BD001 > "$work/rule.txt"
grep -q "BD001" "$work/rule.txt" || fail "rule BD001 doc not shown"
"$bin" eval "$work/corpus" --exclude redteam --exclude 'zoo_*' --exclude cpp --min-recall 1.0 --max-fp 0 | tail -n 3
"$bin" scan "$work/corpus/backdoored" --db "$work/findings.db" --format json > "$work/scan.json" || [ $? -eq 1 ]
/usr/bin/python3 - "$work/scan.json" << 'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
found = doc["findings"] if isinstance(doc, dict) else doc
errors = [f for f in found if f.get("rule") == "BD001"]
assert errors, "installed binary found no BD001 in corpus/backdoored"
print(f"installed binary: {len(found)} findings, {len(errors)} BD001")
EOF
[ -s "$work/findings.db" ] || fail "no findings database written"
echo "ok: $mode"
