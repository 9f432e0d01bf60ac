#!/usr/bin/python3
"""The Kubernetes manifests of docs/hub are valid Jobs whose commands work: parsed as YAML, checked
for an Indexed Job whose completions match the N of its --shard argument, then each container's
command run here with the pod's environment (JOB_COMPLETION_INDEX = 0..N-1, the volumes mapped to
temporary directories, `archscan` the binary under test) over a small hub; the merge Job's command
must then produce a database equal to a single-machine scan.

    k8s_manifest_test.py ARCHSCAN SOURCE_DIR"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

from make_hub import make_hub


def container(doc):
    spec = doc["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "Never", spec
    (c,) = spec["containers"]
    assert c["command"] == ["/bin/sh", "-c"], c["command"]
    return c


def run_in_pod(c, archscan, mounts, env):
    script = c["args"][0]
    for mount in c.get("volumeMounts", []):
        script = script.replace(mount["mountPath"], mounts[mount["name"]])
    script = re.sub(r"\barchscan\b(?= (scan|merge))", archscan, script)
    p = subprocess.run(["/bin/sh", "-c", script], env={**os.environ, **env}, capture_output=True, text=True)
    assert p.returncode == 0, f"{script}\n{p.stdout}\n{p.stderr}"
    return p


def main():
    archscan, source = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    docs = os.path.join(source, "docs", "hub")
    with open(os.path.join(docs, "archscan-indexed-job.yaml")) as f:
        shards = yaml.safe_load(f)
    with open(os.path.join(docs, "archscan-merge-job.yaml")) as f:
        merge = yaml.safe_load(f)
    for doc in (shards, merge):
        assert doc["apiVersion"] == "batch/v1" and doc["kind"] == "Job", doc
    spec = shards["spec"]
    assert spec["completionMode"] == "Indexed", spec
    n = spec["completions"]
    c = container(shards)
    m = re.search(r'--shard "\$\{JOB_COMPLETION_INDEX\}/(\d+)"', c["args"][0])
    assert m and int(m.group(1)) == n, f"--shard N must equal completions ({n}): {c['args'][0]}"

    tmp = tempfile.mkdtemp(prefix="archscan-k8s-")
    try:
        hub, results = os.path.join(tmp, "hub"), os.path.join(tmp, "results")
        os.makedirs(results)
        make_hub(hub, source)
        mounts = {"hub": hub, "results": results}
        for k in range(n):
            run_in_pod(c, archscan, mounts, {"JOB_COMPLETION_INDEX": str(k)})
        out = run_in_pod(container(merge), archscan, mounts, {})
        print(out.stdout.strip())
        single = os.path.join(tmp, "single.db")
        subprocess.run([archscan, "scan", hub, "--db", single, "-q", "--fail-on", "none"], check=True,
                       capture_output=True)
        cmp = subprocess.run([sys.executable, os.path.join(source, "tests/hub/compare_dbs.py"), "--shards", single,
                              os.path.join(results, "all.db")], capture_output=True, text=True)
        print(cmp.stdout)
        assert cmp.returncode == 0, "the merged database differs from the single-machine scan"
        print(f"k8s_manifest_test: {n} indexed pods + merge equal the single-machine scan")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main()
