#!/bin/sh
# Metamorphic invariance of archscan: every corpus case x every transform and every curated pair of
# transforms, each variant proven equivalent at run time, then scanned; prints the transform x
# expected-type matrix and the non-invariant variants.  See tests/metamorphic/README.md.
#
#   bench/metamorphic.sh [ARCHSCAN] [extra harness options, e.g. --jobs 4 --json out.json]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ARCHSCAN=${1:-$ROOT/build/archscan}
[ $# -gt 0 ] && shift
exec /usr/bin/python3 "$ROOT/tests/metamorphic/metamorphic.py" --archscan "$ARCHSCAN" --all \
    --jobs "${JOBS:-2}" -n "${N:-32}" "$@"
