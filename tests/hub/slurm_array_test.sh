#!/usr/bin/env bash
# A hub-wide scan on a real Slurm: starts a one-node cluster (slurmctld + slurmd from Debian's
# slurm-wlm, on private ports and directories), submits docs/hub/slurm-submit.sh with a 4-task array
# over a hub mirror (tests/hub/make_hub.py: the corpus, one repository per case, and torchvision),
# waits for the merge job, and checks that the merged database equals one machine's scan of the same
# tree (tests/hub/compare_dbs.py).
#
#   slurm_array_test.sh ARCHSCAN SOURCE_DIR
set -euo pipefail
archscan=$(realpath "${1:?usage: slurm_array_test.sh ARCHSCAN SOURCE_DIR}")
src=$(realpath "${2:?usage: slurm_array_test.sh ARCHSCAN SOURCE_DIR}")
for exe in slurmctld slurmd sbatch squeue scontrol; do
  command -v "$exe" > /dev/null || { echo "slurm_array_test: $exe not found: install slurmctld slurmd slurm-client (.ci/install does)"; exit 1; }
done
[[ $(id -u) == 0 ]] || { echo "slurm_array_test: the test cluster runs as root (as CI does)"; exit 1; }

t=$(mktemp -d /tmp/archscan-slurm.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
  rm -rf "$t"
}
trap cleanup EXIT
show_logs() {
  for f in "$t"/slurmctld.log "$t"/slurmd.log "$t"/out/*.log; do
    [[ -f $f ]] && { echo "--- $f"; tail -n 30 "$f"; }
  done
}

# Private ports, so that a cluster the machine may run is not disturbed.
base=$((20000 + RANDOM % 20000))
mkdir -p "$t/state" "$t/spool" "$t/out"
cat > "$t/slurm.conf" << CONF
ClusterName=archscantest
SlurmctldHost=localhost
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/slurmctld.log
SlurmdLogFile=$t/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$t/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" > "$t/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" > "$t/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  state=$(scontrol show node localhost 2> /dev/null | sed -n 's/.*State=\([A-Z+]*\).*/\1/p' | head -1)
  [[ $state == IDLE* ]] && break
  sleep 1
done
if [[ ${state:-} != IDLE* ]]; then
  echo "slurm_array_test: the test node did not come up (state: ${state:-none})"
  cat "$t"/*.out
  show_logs
  exit 1
fi
echo "slurm_array_test: one-node cluster up (slurmctld :$base, slurmd :$((base + 1)))"

python3 "$src/tests/hub/make_hub.py" "$t/hub" "$src"
"$archscan" scan "$t/hub" --db "$t/single.db" -q --fail-on none > /dev/null

read -r array merge < <(ARCHSCAN=$archscan bash "$src/docs/hub/slurm-submit.sh" "$t/hub" "$t/out" 4 --time=20)
echo "slurm_array_test: submitted array job $array (4 tasks) and merge job $merge"
for _ in $(seq 600); do
  [[ -z $(squeue -h -j "$array,$merge" 2> /dev/null) ]] && break
  sleep 1
done
if [[ -n $(squeue -h -j "$array,$merge" 2> /dev/null) ]]; then
  echo "slurm_array_test: jobs still queued or running after 600 s"
  squeue
  show_logs
  exit 1
fi
ls "$t/out"
tasks=$(ls "$t/out"/shard-*.db 2> /dev/null | wc -l)
if [[ $tasks != 4 || ! -f $t/out/all.db ]]; then
  echo "slurm_array_test: expected 4 shard databases and all.db, found $tasks shard databases"
  show_logs
  exit 1
fi
cat "$t"/out/archscan-merge-*.log
python3 "$src/tests/hub/compare_dbs.py" --shards "$t/single.db" "$t/out/all.db"
echo "slurm_array_test: the merged database of 4 Slurm array tasks equals the single-machine scan"
