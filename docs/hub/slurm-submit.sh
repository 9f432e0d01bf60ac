#!/bin/bash
# Submits a hub-wide archscan scan to Slurm: an array of N shard scans, then a merge job that runs
# when all of them succeeded. Prints the two job ids.
#
#   slurm-submit.sh ROOT OUTDIR N [extra sbatch options...]
#
# The result is OUTDIR/all.db, equal to the database of one machine scanning ROOT (`archscan
# findings --db OUTDIR/all.db`, `archscan report --db OUTDIR/all.db`).
set -euo pipefail
root=${1:?usage: slurm-submit.sh ROOT OUTDIR N [sbatch options...]}
out=${2:?usage: slurm-submit.sh ROOT OUTDIR N [sbatch options...]}
n=${3:?usage: slurm-submit.sh ROOT OUTDIR N [sbatch options...]}
shift 3
here=$(cd "$(dirname "$0")" && pwd)
archscan=${ARCHSCAN:-archscan}
mkdir -p "$out"
array=$(sbatch --parsable --array="0-$((n - 1))" --chdir="$out" "$@" "$here/archscan-shard.sbatch" "$root" "$out")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --job-name=archscan-merge \
  --chdir="$out" --output="$out/archscan-merge-%j.log" "$@" \
  --wrap="\"$archscan\" merge \"$out\"/shard-*.db -o \"$out/all.db\"")
echo "$array ${merge%%;*}"
