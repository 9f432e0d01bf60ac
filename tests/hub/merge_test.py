#!/usr/bin/python3
"""`archscan scan --shard K/N` and `archscan merge`, end to end on a tree of several repositories.

    merge_test.py ARCHSCAN SOURCE_DIR

The tree (make_hub.py): each case of the corpus's backdoored and benign sets in a directory of its
own (a repository, as a hub mirror holds them) and Debian's torchvision. Checked:
- the shards partition the files (every file in exactly one shard; a repository never split) and the
  partition does not depend on the other repositories present;
- the merge of the N shard databases equals a scan of the whole tree on one machine (compare_dbs.py),
  in any order of the inputs, and merging again changes nothing;
- reviews made in different shard databases all survive, in the order they were made;
- a batch that misses a shard keeps its runs apart and says so;
- a damaged input is refused and the output left as it was; bad --shard values are refused."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

from make_hub import make_hub

ARCHSCAN = SOURCE = None


def run(*args, check=True, env=None):
    p = subprocess.run([ARCHSCAN, *args], capture_output=True, text=True, env=env)
    if check and p.returncode not in (0, 1):
        raise AssertionError(f"archscan {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def scanned_paths(db):
    c = sqlite3.connect(db)
    return {r[0] for r in c.execute("SELECT path FROM files")}


class ShardAndMerge(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="archscan-hub-")
        cls.root = os.path.join(cls.tmp, "hub")
        make_hub(cls.root, SOURCE)
        cls.single = os.path.join(cls.tmp, "single.db")
        run("scan", cls.root, "--db", cls.single, "-q", "--fail-on", "none")
        cls.shards = []
        for k in range(4):
            db = os.path.join(cls.tmp, f"shard-{k}.db")
            run("scan", cls.root, "--shard", f"{k}/4", "--db", db, "-q", "--fail-on", "none")
            cls.shards.append(db)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def compare(self, expected, actual):
        p = subprocess.run([sys.executable, os.path.join(SOURCE, "tests/hub/compare_dbs.py"), "--shards", expected,
                            actual], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_shards_partition_by_repository(self):
        sets = [scanned_paths(db) for db in self.shards]
        union = set().union(*sets)
        self.assertEqual(union, scanned_paths(self.single))
        self.assertEqual(sum(len(s) for s in sets), len(union), "a file in two shards")
        for s in sets:
            for other in sets:
                if s is not other:
                    self.assertFalse({p.split("/")[0] for p in s} & {p.split("/")[0] for p in other},
                                     "a repository split over shards")
        self.assertGreater(sum(1 for s in sets if s), 1, "everything landed in one shard")

    def test_partition_independent_of_other_repositories(self):
        # The shard of torchvision/ is the same when it is scanned without the other repositories.
        alone = os.path.join(self.tmp, "alone")
        os.makedirs(alone)
        shutil.copytree(os.path.join(self.root, "torchvision"), os.path.join(alone, "torchvision"))
        for k, db in enumerate(self.shards):
            p = run("scan", alone, "--shard", f"{k}/4", "--no-db", "--format", "json", "--fail-on", "none")
            files = {f["path"] for f in json.loads(p.stdout)["files"]}
            expect = {p for p in scanned_paths(db) if p.startswith("torchvision/")}
            self.assertEqual(files, expect, f"shard {k}")

    def test_merge_equals_single_machine_scan(self):
        out = os.path.join(self.tmp, "merged.db")
        p = run("merge", *self.shards, "-o", out)
        self.assertIn("4 shard runs combined into 1", p.stdout)
        self.compare(self.single, out)
        # Any order of the inputs; merging the same shards again adds nothing.
        out2 = os.path.join(self.tmp, "merged-reversed.db")
        run("merge", *reversed(self.shards), "-o", out2)
        self.compare(self.single, out2)
        p = run("merge", *self.shards, "-o", out)
        self.assertIn(": 1 run (", p.stdout)
        self.assertIn("1 duplicate run dropped", p.stdout)
        self.compare(self.single, out)

    def test_reviews_of_every_shard_survive_in_order(self):
        work = [os.path.join(self.tmp, f"rev-{k}.db") for k in range(4)]
        for src, dst in zip(self.shards, work):
            shutil.copy(src, dst)
        made = []
        for k in (2, 0, 3):  # reviews made in this order, in different shards
            fps = [r[0] for r in sqlite3.connect(work[k]).execute("SELECT fingerprint FROM findings ORDER BY id")]
            if not fps:
                continue
            run("review", fps[0], "--state", "false_positive", "--reason", f"checked in shard {k}", "--db", work[k])
            made.append((fps[0], f"checked in shard {k}"))
        self.assertGreaterEqual(len(made), 2)
        out = os.path.join(self.tmp, "reviewed.db")
        run("merge", *work, "-o", out)
        got = list(sqlite3.connect(out).execute("SELECT fingerprint, reason FROM reviews ORDER BY id"))
        self.assertEqual(got, made)
        # The dismissed findings are dismissed in the merged database.
        p = run("findings", "--db", out, "--state", "false_positive", "--format", "json")
        self.assertEqual(sorted(f["fingerprint"] for f in json.loads(p.stdout)), sorted(fp for fp, _ in made))

    def test_incomplete_batch_keeps_shard_runs(self):
        out = os.path.join(self.tmp, "partial.db")
        p = run("merge", *self.shards[:3], "-o", out)
        self.assertIn("kept as they are", p.stderr)
        shards = [r[0] for r in sqlite3.connect(out).execute("SELECT shard FROM runs ORDER BY id")]
        self.assertEqual(sorted(shards), ["0/4", "1/4", "2/4"])

    def test_damaged_input_refused_output_untouched(self):
        out = os.path.join(self.tmp, "kept.db")
        run("merge", self.shards[0], "-o", out)
        with open(out, "rb") as f:
            before = f.read()
        bad = os.path.join(self.tmp, "damaged.db")
        with open(self.shards[1], "rb") as f:
            data = bytearray(f.read())
        data[4096:8192] = b"\xff" * 4096
        with open(bad, "wb") as f:
            f.write(bytes(data))
        p = run("merge", bad, "-o", out, check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("damaged.db", p.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertFalse([n for n in os.listdir(self.tmp) if ".merging-" in n])

    def test_bad_shard_arguments(self):
        for value in ("4/4", "-1/4", "1", "a/b", "0/0"):
            p = run("scan", self.root, "--shard", value, "--no-db", check=False)
            self.assertEqual(p.returncode, 2, value)
            self.assertIn("--shard", p.stderr)
        p = run("scan", self.root, "--shard", "0/2", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--db", p.stderr)


if __name__ == "__main__":
    ARCHSCAN, SOURCE = sys.argv[1], sys.argv[2]
    del sys.argv[1:3]
    unittest.main(verbosity=2)
