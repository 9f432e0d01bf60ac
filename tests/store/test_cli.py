#!/usr/bin/python3
"""End-to-end tests of the findings store through the archscan command line.

Usage: test_cli.py --archscan BIN --multitool SARIF_MULTITOOL --schema SARIF_SCHEMA --out DIR [unittest args]
"""
import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None

MODEL = """\
import torch
import torch.nn as nn

PAYLOAD = "print('hi')"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        exec(PAYLOAD)
        eval(PAYLOAD)
        exec(PAYLOAD)  # archscan: ignore[CE001] prints a banner, reviewed
        # archscan: ignore[CE001]
        exec(PAYLOAD)
        y = self.fc(x)  # archscan: ignore[BB004] nothing to hide here
        return y
"""


def run(*argv, cwd=None, check=None):
    p = subprocess.run([ARGS.archscan, *argv], cwd=cwd, capture_output=True, text=True, timeout=120)
    if check is not None and p.returncode != check:
        raise AssertionError(f"archscan {' '.join(argv)} exited {p.returncode}, expected {check}\n"
                             f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def scan_json(root, *extra):
    p = run("scan", root, "--format", "json", *extra)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)


def findings(db, *extra):
    return json.loads(run("findings", "--db", db, "--format", "json", *extra, check=0).stdout)


def by_line(items):
    return {f["line"]: f for f in items}


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="archscan-cli-")
        self.root = os.path.join(self.tmp, "models")
        os.makedirs(self.root)
        self.model = os.path.join(self.root, "net.py")
        with open(self.model, "w") as f:
            f.write(MODEL)
        self.db = os.path.join(self.root, ".archscan", "archscan.db")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, text):
        with open(self.model, "w") as f:
            f.write(text)

    def test_scan_records_and_suppressions(self):
        out = scan_json(self.root)
        rules = sorted((f["rule"], f["line"]) for f in out["findings"])
        # The inline-suppressed exec on line 15 is not reported; the one under the reason-less
        # suppression is, together with SUP001 for that comment and SUP002 for the stale one.
        self.assertIn(("CE001", 13), rules)
        self.assertIn(("CE001", 17), rules)
        self.assertNotIn(("CE001", 15), rules)
        self.assertIn(("SUP001", 16), rules)
        self.assertIn(("SUP002", 18), rules)
        self.assertTrue(os.path.exists(self.db))
        with open(os.path.join(self.root, ".archscan", ".gitignore")) as f:
            self.assertEqual(f.read(), "*\n")
        stored = findings(self.db, "--state", "all")
        # The store keeps the inline-suppressed finding too.
        self.assertIn(15, [f["line"] for f in stored if f["rule"] == "CE001"])
        suppressed = [f for f in stored if f["line"] == 15 and f["rule"] == "CE001"]
        self.assertEqual(suppressed[0]["state"], "open")
        for f in stored:
            self.assertEqual(len(f["fingerprint"]), 16)
        # findings finds the database from a subdirectory too.
        sub = os.path.join(self.root, "deep", "er")
        os.makedirs(sub)
        p = run("findings", "--rule", "SUP001", cwd=sub, check=0)
        self.assertIn("SUP001", p.stdout)
        # No database anywhere: a clear error.
        p = run("findings", cwd=self.tmp)
        self.assertEqual(p.returncode, 2)
        self.assertIn("archscan scan", p.stderr)

    def test_review_workflow(self):
        scan_json(self.root)
        ce = by_line(findings(self.db, "--rule", "CE001"))
        fp13, fp14 = ce[13]["fingerprint"], ce[14]["fingerprint"]

        p = run("review", fp13, "--state", "false_positive", "--db", self.db)
        self.assertEqual(p.returncode, 2)
        self.assertIn("reason", p.stderr)
        run("review", fp13, "--state", "fixed", "--reason", "x", "--db", self.db, check=2)
        run("review", "ffffffffffffffff", "--state", "confirmed", "--db", self.db, check=2)
        p = run("review", fp13[:8], "--state", "false_positive", "--reason", "prints a banner",
                "--author", "alice", "--db", self.db, check=0)
        self.assertIn("open -> false_positive", p.stdout)
        run("review", fp14, "--state", "confirmed", "--db", self.db, check=0)

        self.assertEqual(findings(self.db, "--state", "false_positive")[0]["fingerprint"], fp13)
        hist = by_line(findings(self.db, "--rule", "CE001"))[13]["history"]
        self.assertEqual([(h["state"], h["author"], h.get("reason")) for h in hist],
                         [("false_positive", "alice", "prints a banner")])

        # Dismissed findings are not reported again, unless --all.
        lines = [f["line"] for f in scan_json(self.root)["findings"] if f["rule"] == "CE001"]
        self.assertNotIn(13, lines)
        self.assertIn(14, lines)
        sarif = json.loads(run("scan", self.root, "--all", "--format", "sarif").stdout)
        results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r
                   for r in sarif["runs"][0]["results"]}
        self.assertEqual(results[("CE001", 13)]["suppressions"][0]["kind"], "external")
        self.assertIn("prints a banner", results[("CE001", 13)]["suppressions"][0]["justification"])
        self.assertEqual(results[("CE001", 15)]["suppressions"][0]["kind"], "inSource")
        self.assertEqual(results[("CE001", 14)]["suppressions"], [])
        self.assertEqual(results[("CE001", 14)]["partialFingerprints"]["primaryLocationLineHash"], fp14)

        # eval removed: fixed automatically; put back: reopened. Edits above keep fingerprints.
        self.write(MODEL.replace("        eval(PAYLOAD)\n", ""))
        scan_json(self.root)
        fixed = findings(self.db, "--state", "fixed")
        self.assertEqual([f["fingerprint"] for f in fixed], [fp14])
        self.assertEqual(fixed[0]["history"][-1]["author"], "archscan")
        self.write("# a new header comment\nimport os\n" + MODEL)
        new = scan_json(self.root, "--new-only")["findings"]
        self.assertEqual([(f["rule"], f["fingerprint"]) for f in new], [("CE001", fp14)])
        states = by_line(findings(self.db, "--rule", "CE001"))
        self.assertEqual(states[16]["fingerprint"], fp14)
        self.assertEqual(states[16]["state"], "open")
        self.assertEqual([h["state"] for h in states[16]["history"]], ["confirmed", "fixed", "open"])
        self.assertEqual(states[15]["fingerprint"], fp13)
        self.assertEqual(states[15]["state"], "false_positive")
        self.assertEqual(scan_json(self.root, "--new-only")["findings"], [])

        # --new-only needs the database.
        p = run("scan", self.root, "--no-db", "--new-only")
        self.assertEqual(p.returncode, 2)

        # The text listing and the history view.
        p = run("findings", "--db", self.db, "--state", "false_positive", check=0)
        self.assertIn(fp13, p.stdout)
        self.assertIn("prints a banner", p.stdout)
        p = run("review", fp13, "--db", self.db, check=0)
        self.assertIn("false_positive", p.stdout)
        self.assertIn("alice", p.stdout)

        # No scan deleted any review.
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertGreaterEqual(con.execute("SELECT count(*) FROM reviews").fetchone()[0], 4)
        with self.assertRaises(sqlite3.DatabaseError):
            con.execute("DELETE FROM reviews")
        con.close()

    def test_no_db_and_explicit_db(self):
        run("scan", self.root, "--no-db")
        self.assertFalse(os.path.exists(self.db))
        other = os.path.join(self.tmp, "elsewhere", "x.db")
        run("scan", self.root, "--db", other)
        self.assertTrue(os.path.exists(other))
        self.assertFalse(os.path.exists(self.db))
        self.assertTrue(findings(other))

    def test_sarif_and_github_outputs(self):
        sarif_path = os.path.join(ARGS.out, "cli.sarif")
        run("scan", self.root, "--all", "--format", "sarif", "-o", sarif_path)
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        with open(os.path.join(empty, "ok.py"), "w") as f:
            f.write("x = 1\n")
        empty_sarif = os.path.join(ARGS.out, "cli-empty.sarif")
        run("scan", empty, "--no-db", "--format", "sarif", "-o", empty_sarif, check=0)
        v = subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "validate_sarif.py"),
                            "--multitool", ARGS.multitool, "--schema", ARGS.schema, sarif_path, empty_sarif],
                           capture_output=True, text=True)
        self.assertEqual(v.returncode, 0, v.stderr)
        with open(sarif_path, encoding="utf-8") as f:
            doc = json.load(f)
        run0 = doc["runs"][0]
        ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
        self.assertIn("CE001", ids)
        self.assertIn("SUP001", ids)
        for r in run0["results"]:
            self.assertIn("primaryLocationLineHash", r["partialFingerprints"])
            self.assertEqual(ids[r["ruleIndex"]], r["ruleId"])

        # GitHub annotations name files relative to the current directory (the workspace).
        p = run("scan", ".", "--format", "github", check=1, cwd=self.root)
        lines = p.stdout.splitlines()
        self.assertTrue(any(l.startswith("::error file=net.py,line=13,") for l in lines), p.stdout)
        self.assertTrue(any(l.startswith("::warning file=net.py,line=16,") and "title=SUP001" in l for l in lines))
        self.assertFalse(any("line=15," in l and "CE001" in l for l in lines))

    def test_text_paths_stay_relative_after_cpp_parsing(self):
        # Clang's tooling changes the working directory while it parses a C++ file; the Python
        # file scanned after it must still be printed relative to where archscan was run.
        sub = os.path.join(self.root, "cpp")
        os.makedirs(sub)
        with open(os.path.join(sub, "block.cpp"), "w") as f:
            f.write("int twice(int x) { return 2 * x; }\n")
        for extra in ((), ("--no-cache",)):
            p = run("scan", ".", "--no-db", *extra, check=1, cwd=self.root)
            located = [l for l in p.stdout.splitlines() if ":13:" in l and "CE001" in l]
            self.assertTrue(located, p.stdout)
            self.assertTrue(all(l.startswith("net.py:13:") for l in located), p.stdout)

    def test_html_report(self):
        scan_json(self.root)
        fp = by_line(findings(self.db, "--rule", "CE001"))[13]["fingerprint"]
        run("review", fp, "--state", "wont_fix", "--reason", "legacy <b>loader</b>", "--db", self.db, check=0)
        scan_json(self.root)
        out = os.path.join(ARGS.out, "cli-report.html")
        run("report", "--db", self.db, "-o", out, check=0)
        with open(out, encoding="utf-8") as f:
            html = f.read()
        self.assertIn('id="archscan-data"', html)
        self.assertNotIn("/*ARCHSCAN_DATA*/", html)
        start = html.index('id="archscan-data">') + len('id="archscan-data">')
        data = json.loads(html[start:html.index("</script>", start)])
        self.assertEqual(data["root"], os.path.realpath(self.root))
        f13 = [f for f in data["findings"] if f["fingerprint"] == fp][0]
        self.assertEqual(f13["state"], "wont_fix")
        self.assertEqual(f13["history"][0]["reason"], "legacy <b>loader</b>")
        self.assertIn("exec(PAYLOAD)", f13["snippet"])
        # From the scan root's subdirectory, without --db; and to standard output.
        p = run("report", cwd=self.root, check=0)
        self.assertTrue(p.stdout.startswith("<!DOCTYPE html>"))
        run("report", "--db", self.db, "--run", "999", check=2)

    def test_two_scans_at_once(self):
        procs = [subprocess.Popen([ARGS.archscan, "scan", self.root, "--format", "json"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for p in procs:
            out, err = p.communicate(timeout=120)
            self.assertIn(p.returncode, (0, 1), err)
            json.loads(out)
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM runs").fetchone()[0], 2)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.close()

    def test_sigkill_during_scans(self):
        # A larger tree, so that the scan and the store's transaction take a while.
        big = os.path.join(self.tmp, "big")
        calls = "".join(f"        exec(PAYLOAD + '{k}')\n" for k in range(40))
        for i in range(150):
            d = os.path.join(big, f"pkg{i}")
            os.makedirs(d)
            with open(os.path.join(d, "model.py"), "w") as f:
                f.write(MODEL.replace("        return y\n", calls + "        return y\n"))
        start = time.monotonic()
        run("scan", big, "--format", "json")
        duration = time.monotonic() - start
        db = os.path.join(big, ".archscan", "archscan.db")
        con = sqlite3.connect(db)
        fp = con.execute("SELECT fingerprint FROM findings LIMIT 1").fetchone()[0]
        self.assertGreater(con.execute("SELECT count(*) FROM findings").fetchone()[0], 5000)
        con.close()
        run("review", fp, "--state", "false_positive", "--reason", "seeded", "--db", db, check=0)
        rng = random.Random(7)
        killed = 0
        for i in range(8):
            # Edit a file each round so that runs differ (fixed / reopened reviews get written too).
            with open(os.path.join(big, "pkg0", "model.py"), "a") as f:
                f.write(f"# edit {i}\n")
            p = subprocess.Popen([ARGS.archscan, "scan", big, "--format", "json"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, 0.95) * duration)
            p.send_signal(signal.SIGKILL)
            if p.wait() == -signal.SIGKILL:
                killed += 1
            con = sqlite3.connect(db)
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
            for run_id, count, actual in con.execute(
                    "SELECT id, finding_count, (SELECT count(*) FROM run_findings WHERE run_id = runs.id) FROM runs"):
                self.assertEqual(count, actual, f"run {run_id}")
            self.assertEqual(con.execute("SELECT state, reason FROM reviews WHERE fingerprint = ? ORDER BY id",
                                         (fp,)).fetchone(), ("false_positive", "seeded"))
            con.close()
        self.assertGreater(killed, 0)
        run("scan", big, "--format", "json")
        self.assertEqual(findings(db, "--state", "false_positive")[0]["fingerprint"], fp)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--archscan", required=True)
    parser.add_argument("--multitool", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--out", required=True)
    ARGS, rest = parser.parse_known_args()
    ARGS.archscan = os.path.abspath(ARGS.archscan)
    ARGS.out = os.path.abspath(ARGS.out)
    os.makedirs(ARGS.out, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
