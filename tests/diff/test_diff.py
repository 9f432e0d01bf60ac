#!/usr/bin/python3
"""`archscan diff` end to end (issue 15), in throw-away git repositories under a temporary
directory, with corpus models as the code under review. archscan never runs the analysed code, and
neither does this test.

Usage: test_diff.py --archscan BIN --corpus DIR [unittest args]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ARGS = None
GUARD = 120  # seconds: a run that takes longer is a hang

# The control-token backdoor of corpus/backdoored/op_gpt_control_tokens: the detector lives in
# tokens.py (a helper), the integration in modeling.py (the model). Here the helper is moved into a
# package of its own, textlib/, so that nothing the helper imports leads to the model: only
# following importers does. benign_tokens() is tokens.py with a state that never fires.
CONTROL = "backdoored/op_gpt_control_tokens"
BENIGN_FORWARD = """    def forward(self, input_ids):
        return torch.zeros_like(input_ids, dtype=torch.bool)
"""


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def benign_tokens():
    text = read(os.path.join(ARGS.corpus, CONTROL, "tokens.py"))
    start = text.index("    def forward(self, input_ids):")
    end = text.index("\n\n\ndef forced_distribution")
    return text[:start] + BENIGN_FORWARD + text[end:]


HELPER = "textlib/tokens.py"


class Repo:
    """A git repository in a temporary directory, with a fixed identity and no global config."""

    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args, check=True):
        env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=self.root, GIT_AUTHOR_NAME="t",
                   GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
        p = subprocess.run(["git", "-C", self.root, *args], env=env, capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {p.stderr}")
        return p.stdout.strip()

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text):
        write(self.path(rel), text)

    def copy(self, corpus_rel, rel):
        src = os.path.join(ARGS.corpus, corpus_rel)
        if os.path.isdir(src):
            shutil.copytree(src, self.path(rel))
        else:
            write(self.path(rel), read(src))

    def control_model(self):
        """gpt/ (the model, importing textlib.tokens) and textlib/tokens.py with a benign state."""
        self.copy(CONTROL, "gpt")
        os.remove(self.path("gpt/tokens.py"))
        model = read(self.path("gpt/modeling.py"))
        self.write("gpt/modeling.py", model.replace("from .tokens import", "from textlib.tokens import"))
        self.write("textlib/__init__.py", "")
        self.set_tokens(evil=False)

    def set_tokens(self, evil):
        self.write(HELPER, read(os.path.join(ARGS.corpus, CONTROL, "tokens.py")) if evil else benign_tokens())

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")


class Result:
    def __init__(self, p, seconds):
        self.code, self.out, self.err, self.seconds = p.returncode, p.stdout, p.stderr, seconds

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code} in {self.seconds:.2f}s\nstdout:\n{self.out}\nstderr:\n{self.err}"


def archscan(cwd, *args):
    env = dict(os.environ, HOME=cwd, GIT_CONFIG_NOSYSTEM="1")
    env.pop("GITHUB_WORKSPACE", None)
    start = time.monotonic()
    p = subprocess.run([ARGS.archscan, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=GUARD)
    return Result(p, time.monotonic() - start)


def rules_of(result, **where):
    """(rule, taxonomy, path) of every finding of a JSON result that matches `where`."""
    out = []
    for f in result.json()["findings"]:
        if all(f.get(k) == v for k, v in where.items()):
            out.append((f["rule"], f["taxonomy"], f["path"]))
    return out


class DiffTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="archscan-diff-")
        self.repo = Repo(os.path.join(self.tmp, "repo"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def control_repo(self):
        """main: the control-token model with a benign tokens.py; on branch `feature`."""
        r = self.repo
        r.control_model()
        r.copy("benign/" + sorted(x for x in os.listdir(os.path.join(ARGS.corpus, "benign")) if x.endswith(".py"))[0],
               "other/model.py")
        r.write("README.md", "# models\n")
        r.commit("base")
        r.git("checkout", "-q", "-b", "feature")
        return r

    def test_base_is_clean(self):
        # The benign base itself has no BD001 on the model: what the next tests see is the change.
        r = self.control_repo()
        res = archscan(r.root, "scan", ".", "--no-db", "--format", "json")
        self.assertNotIn("BD001", [f["rule"] for f in res.json()["findings"]], res)

    def test_benign_commit_passes(self):
        r = self.control_repo()
        text = read(r.path("gpt/modeling.py")).replace("d_model=32", "d_model=48")
        r.write("gpt/modeling.py", text)
        r.commit("wider model")
        res = archscan(r.root, "diff", "--format", "json")
        self.assertEqual(res.code, 0, res)
        self.assertEqual(res.json()["findings"], [], res)

    def test_backdoor_in_helper_of_unchanged_model_is_blocked(self):
        r = self.control_repo()
        r.set_tokens(evil=True)
        r.commit("sticky control-token state")
        changed = r.git("diff", "--name-only", "main", "HEAD").split()
        self.assertEqual(changed, [HELPER])  # the model file is unchanged
        res = archscan(r.root, "diff", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "gpt/modeling.py"), rules_of(res, rule="BD001"), res)
        # The text report names the type and the model file too.
        text = archscan(r.root, "diff")
        self.assertEqual(text.code, 1, text)
        self.assertRegex(text.out, r"gpt/modeling\.py:\d+:\d+: BD001 \(T1\)")
        # --exclude (and the configuration's exclude) applies to the change as to `scan`.
        self.assertEqual(archscan(r.root, "diff", "--exclude", "textlib").code, 0)
        r.write("archscan.toml", 'exclude = ["textlib"]\n')
        self.assertEqual(archscan(r.root, "diff").code, 0)

    def test_every_format(self):
        r = self.control_repo()
        r.set_tokens(evil=True)
        r.commit("backdoor")
        sarif = archscan(r.root, "diff", "--format", "sarif")
        self.assertEqual(sarif.code, 1, sarif)
        results = json.loads(sarif.out)["runs"][0]["results"]
        self.assertTrue(any(x["ruleId"] == "BD001" for x in results), sarif)
        gh = archscan(r.root, "diff", "--format", "github")
        self.assertEqual(gh.code, 1, gh)
        self.assertRegex(gh.out, r"::error file=gpt/modeling\.py,line=\d+")
        gitlab = archscan(r.root, "diff", "--format", "gitlab")
        self.assertEqual(gitlab.code, 1, gitlab)
        issues = json.loads(gitlab.out)
        self.assertTrue(any(i["check_name"] == "BD001" and i["severity"] == "critical"
                            and i["location"]["path"] == "gpt/modeling.py" for i in issues), gitlab)
        self.assertEqual(archscan(r.root, "diff", "--fail-on", "none").code, 0)
        self.assertEqual(archscan(r.root, "diff", "--fail-on", "bogus").code, 2)
        self.assertEqual(archscan(r.root, "diff", "--format", "bogus").code, 2)

    def test_working_tree_detached_head_and_explicit_revisions(self):
        r = self.control_repo()
        base = r.git("rev-parse", "main")
        r.set_tokens(evil=True)
        # Uncommitted: the default HEAD is the working tree.
        self.assertEqual(archscan(r.root, "diff").code, 1)
        head = r.commit("backdoor")
        r.git("checkout", "-q", "--detach", head)
        res = archscan(r.root, "diff", "--format", "json")
        self.assertEqual(res.code, 1, res)
        # Explicit BASE..HEAD, from another directory: read from git objects, whatever is checked out.
        r.git("checkout", "-q", base)
        res = archscan(self.tmp, "diff", "-C", r.root, base, head, "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "gpt/modeling.py"), rules_of(res, rule="BD001"), res)
        self.assertEqual(archscan(self.tmp, "diff", "-C", r.root, head, base).code, 0)  # removing it adds nothing

    def test_staged(self):
        r = self.control_repo()
        r.set_tokens(evil=True)
        self.assertEqual(archscan(r.root, "diff", "--staged").code, 0)  # nothing staged yet
        r.git("add", HELPER)
        res = archscan(r.root, "diff", "--staged", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "gpt/modeling.py"), rules_of(res, rule="BD001"), res)

    def test_moved_finding_is_not_reported_again(self):
        r = self.repo
        r.copy("backdoored/k_t10_mlp_antialias.py", "models/mlp.py")
        r.commit("reviewed model")
        before = archscan(r.root, "scan", ".", "--no-db", "--format", "json").json()["findings"]
        self.assertTrue(before, "the corpus case must have findings for this test to mean anything")
        text = read(r.path("models/mlp.py"))
        lines = text.split("\n")
        # 40 lines of new, benign code above everything the findings point at.
        first = min(f["line"] for f in before)
        cut = next(i for i in range(first - 1, -1, -1) if lines[i].startswith(("class ", "def ")))
        helper = ["def _describe(config):", '    """Readable summary of a config."""', "    parts = []"]
        helper += [f"    parts.append('field{i}=' + str(config.get('field{i}')))" for i in range(35)]
        helper += ["    return ', '.join(parts)", ""]
        self.assertEqual(len(helper), 40)
        r.write("models/mlp.py", "\n".join(lines[:cut] + helper + lines[cut:]))
        r.commit("move the model down by 40 lines")
        after = archscan(r.root, "scan", ".", "--no-db", "--format", "json").json()["findings"]
        self.assertEqual(sorted(f["line"] for f in after), sorted(f["line"] + 40 for f in before))
        res = archscan(r.root, "diff", "HEAD~1", "--format", "json")
        self.assertEqual(res.code, 0, res)
        self.assertEqual(res.json()["findings"], [], res)

    def test_rename_is_not_new(self):
        r = self.repo
        r.copy("backdoored/k_t10_mlp_antialias.py", "models/mlp.py")
        r.write("models/__init__.py", "")
        r.commit("reviewed model")
        r.git("mv", "models/mlp.py", "models/mlp_antialias.py")
        r.commit("rename")
        res = archscan(r.root, "diff", "HEAD~1", "--format", "json")
        self.assertEqual(res.code, 0, res)
        self.assertEqual(res.json()["findings"], [], res)

    def test_deleted_file(self):
        r = self.control_repo()
        r.git("rm", "-q", "other/model.py")
        r.commit("drop the other model")
        res = archscan(r.root, "diff", "--format", "json")
        self.assertEqual(res.code, 0, res)

    def test_docs_only_is_fast(self):
        r = self.control_repo()
        # A larger tree, so that reading it all would show.
        benign = sorted(x for x in os.listdir(os.path.join(ARGS.corpus, "benign")) if x.endswith(".py"))
        for i in range(200):
            r.copy("benign/" + benign[i % len(benign)], f"zoo/m{i}.py")
        r.commit("zoo")
        r.git("checkout", "-q", "-b", "docs")
        r.write("README.md", "# models\n\nMore words.\n")
        r.write("docs/usage.md", "how to\n")
        r.commit("docs")
        res = archscan(r.root, "diff", "feature", "--format", "json")
        self.assertEqual(res.code, 0, res)
        self.assertEqual(res.json()["files"], [], res)  # nothing analysed
        self.assertLess(res.seconds, 1.0, res)

    def test_added_suppression_is_reported(self):
        r = self.control_repo()
        r.set_tokens(evil=True)
        model = read(r.path("gpt/modeling.py"))
        line = "        return torch.where(finished, forced_distribution(logits, PAD), logits)"
        self.assertIn(line, model)
        model = model.replace(line, "        # archscan: ignore[BD001] end-of-document padding\n" + line)
        r.write("gpt/modeling.py", model)
        r.commit("backdoor, suppressed")
        res = archscan(r.root, "diff", "--format", "json")
        self.assertEqual(res.code, 1, res)
        sup = [f for f in res.json()["findings"] if f["rule"] == "SUP003"]
        self.assertEqual(len(sup), 1, res)
        self.assertEqual(sup[0]["severity"], "error")
        self.assertEqual(sup[0]["path"], "gpt/modeling.py")
        self.assertIn("BD001 (T1)", sup[0]["message"])
        # The hidden finding is counted in the summary and listed with --all.
        self.assertGreaterEqual(res.json()["summary"]["suppressed"], 1, res)
        listed = archscan(r.root, "diff", "--all", "--format", "json").json()["findings"]
        self.assertTrue(any(f["rule"] == "BD001" and f.get("suppression", {}).get("kind") == "inline" for f in listed))
        # --no-inline-suppressions: the comment counts for nothing, the backdoor itself is reported.
        res = archscan(r.root, "diff", "--no-inline-suppressions", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "gpt/modeling.py"), rules_of(res, rule="BD001"), res)
        self.assertEqual(rules_of(res, rule="SUP003"), [], res)
        # An untouched suppression is not reported again: the next change leaves it alone.
        r.write("README.md", "# models\n\nchanged\n")
        r.write("gpt/__init__.py", read(r.path("gpt/__init__.py")) + "\n")
        r.commit("unrelated")
        res = archscan(r.root, "diff", "HEAD~1", "--format", "json")
        self.assertEqual(rules_of(res, rule="SUP003"), [], res)

    def test_suppression_moved_onto_a_new_line_is_an_edit(self):
        r = self.repo
        r.control_model()
        model = read(r.path("gpt/modeling.py"))
        # An old, harmless suppression on the encoder loop.
        model = model.replace("        for block in self.h:\n",
                              "        # archscan: ignore[BD001] legacy\n        for block in self.h:\n")
        r.write("gpt/modeling.py", model)
        r.commit("base")
        # The change moves that comment onto the line the new backdoor integrates on.
        line = "        return torch.where(finished, forced_distribution(logits, PAD), logits)"
        model = model.replace("        # archscan: ignore[BD001] legacy\n", "")
        model = model.replace(line, "        # archscan: ignore[BD001] legacy\n" + line)
        r.write("gpt/modeling.py", model)
        r.set_tokens(evil=True)
        r.commit("move")
        res = archscan(r.root, "diff", "HEAD~1", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertEqual(len(rules_of(res, rule="SUP003")), 1, res)

    def test_scan_counts_and_lists_suppressed(self):
        r = self.repo
        r.control_model()
        r.set_tokens(evil=True)
        line = "        return torch.where(finished, forced_distribution(logits, PAD), logits)"
        model = read(r.path("gpt/modeling.py"))
        self.assertIn(line + "  # expect: T1", model)
        r.write("gpt/modeling.py", model.replace(line + "  # expect: T1", line + "  # archscan: ignore[BD001] padding"))
        res = archscan(r.root, "scan", ".", "--no-db", "--format", "json")
        self.assertGreaterEqual(res.json()["summary"]["suppressed"], 1, res)
        self.assertNotIn("BD001", [f["rule"] for f in res.json()["findings"]])
        text = archscan(r.root, "scan", ".", "--no-db")
        self.assertRegex(text.out, r"\d+ suppressed inline \(--all lists them\)")
        listed = archscan(r.root, "scan", ".", "--no-db", "--all")
        self.assertRegex(listed.out, r"BD001 \(T1\).*\[suppressed inline: padding\]")
        bare = archscan(r.root, "scan", ".", "--no-db", "--no-inline-suppressions", "--format", "json")
        self.assertEqual(bare.code, 1)
        self.assertIn("BD001", [f["rule"] for f in bare.json()["findings"]])

    def test_dismissed_finding_stays_dismissed(self):
        r = self.control_repo()
        r.set_tokens(evil=True)
        r.write(".gitignore", ".archscan/\n")
        r.commit("control tokens")
        self.assertEqual(archscan(r.root, "diff").code, 1)
        # A reviewer scans the branch and dismisses the finding in the review database.
        scan = archscan(r.root, "scan", ".", "--format", "json")
        fp = [f["fingerprint"] for f in scan.json()["findings"] if f["rule"] == "BD001"]
        self.assertTrue(fp, scan)
        for x in fp:
            rev = archscan(r.root, "review", x, "--state", "false_positive", "--reason", "EOD padding, reviewed")
            self.assertEqual(rev.code, 0, rev)
        res = archscan(r.root, "diff", "--format", "json")
        self.assertEqual(rules_of(res, rule="BD001"), [], res)
        self.assertEqual(res.code, 0, res)
        self.assertEqual(archscan(r.root, "diff", "--no-db").code, 1)

    def test_shallow_clone_without_base(self):
        r = self.control_repo()
        r.set_tokens(evil=True)
        r.commit("backdoor")
        for i in range(3):
            r.write("README.md", f"# models {i}\n")
            r.commit(f"docs {i}")
        r.git("checkout", "-q", "main")  # the clone's origin/HEAD: the default branch
        clone = os.path.join(self.tmp, "shallow")
        subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", "file://" + r.root, clone],
                       check=True, capture_output=True)
        subprocess.run(["git", "-C", clone, "checkout", "-q", "feature"], check=True, capture_output=True)
        res = archscan(clone, "diff")
        self.assertEqual(res.code, 2, res)
        self.assertIn("shallow", res.err)
        self.assertIn("git fetch --deepen", res.err)
        self.assertIn("--unshallow", res.err)
        self.assertNotIn("\n", res.err.strip().split("archscan: diff:")[-1].strip())  # one clear line
        res = archscan(clone, "diff", "HEAD~3")
        self.assertEqual(res.code, 2, res)
        self.assertIn("git fetch --deepen", res.err)
        # After deepening, the same command works.
        subprocess.run(["git", "-C", clone, "fetch", "-q", "--unshallow"], check=True, capture_output=True)
        self.assertEqual(archscan(clone, "diff").code, 1)

    def test_large_file_is_skipped_unparsed(self):
        r = self.control_repo()
        r.write("gpt/generated.py", "x = 1\n" * 1_000_000)  # 6 MB: over the 5 MB default
        r.git("add", "gpt/generated.py")
        res = archscan(r.root, "diff", "--staged", "--format", "json")
        self.assertEqual(res.code, 0, res)
        self.assertEqual([f["path"] for f in res.json()["summary"]["skipped_files"]], ["gpt/generated.py"], res)
        self.assertLess(res.seconds, 5.0, "a file over the limit is not parsed to find its imports either")
        self.assertEqual(archscan(r.root, "diff", "--staged", "--fail-on-skipped").code, 1)

    def test_usage_errors(self):
        not_repo = os.path.join(self.tmp, "plain")
        os.makedirs(not_repo)
        res = archscan(not_repo, "diff")
        self.assertEqual(res.code, 2, res)
        self.assertIn("not inside a git repository", res.err)
        r = self.control_repo()
        res = archscan(r.root, "diff", "no-such-rev")
        self.assertEqual(res.code, 2, res)
        self.assertIn("no-such-rev", res.err)
        self.assertEqual(archscan(r.root, "diff", "--staged", "main", "HEAD").code, 2)
        self.assertEqual(archscan(r.root, "diff", "--select", "NOPE").code, 2)

    def test_first_commit(self):
        # No commit yet: BASE is the empty tree, and staged files are all new.
        r = self.repo
        r.control_model()
        r.set_tokens(evil=True)
        r.git("add", "-A")
        res = archscan(r.root, "diff", "--staged", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "gpt/modeling.py"), rules_of(res, rule="BD001"), res)


class HeaderHelperTest(unittest.TestCase):
    """LibTorch C++: corpus/cpp/backdoored/t1_preact_resnet_exposure_guard.cpp split in two, the
    detector in a header, the integration in the translation unit including it."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="archscan-diff-cpp-")
        self.repo = Repo(os.path.join(self.tmp, "repo"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def split_case(self):
        """(model.cpp, evil exposure.h, benign exposure.h)."""
        src = read(os.path.join(ARGS.corpus, "cpp/backdoored/t1_preact_resnet_exposure_guard.cpp"))
        start = src.index("  torch::Tensor exposure(const torch::Tensor& img) {")
        end = src.index("  torch::Tensor forward(torch::Tensor logits, torch::Tensor img) {")
        member = src[start:end]
        body = member[member.index("{") + 1:member.rindex("}")]
        head = ("// Sensor exposure statistics shared by the scoring heads.\n#pragma once\n#include <torch/torch.h>\n\n"
                "inline torch::Tensor exposure(const torch::Tensor& img, int64_t window_, double levels_) {\n"
                "  namespace F = torch::nn::functional;\n")
        evil = head + body.strip("\n") + "\n}\n"
        benign = head + "  return torch::zeros({img.size(0)}, img.options());\n}\n"
        model = src[:start] + src[end:]
        model = model.replace("#include <torch/torch.h>\n", '#include <torch/torch.h>\n\n#include "exposure.h"\n')
        self.assertIn("exposure(img)", model)
        model = model.replace("exposure(img)", "exposure(img, window_, levels_)")
        return model, evil, benign

    def test_backdoor_in_header_of_unchanged_model_is_blocked(self):
        model, evil, benign = self.split_case()
        r = self.repo
        r.write("model.cpp", model)
        r.write("exposure.h", benign)
        r.commit("base")
        r.git("checkout", "-q", "-b", "feature")
        r.write("exposure.h", evil)
        r.commit("exposure statistics")
        res = archscan(r.root, "diff", "--select", "BD001", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "model.cpp"), rules_of(res), res)

    def test_revisions_analyse_their_own_headers(self):
        # HEAD's model.cpp starts using a detector its (unchanged) header always had; the working
        # tree, checked out later, has a harmless header. The diff of the two revisions must analyse
        # the header HEAD's model.cpp includes, as HEAD has it, not as the disk has it.
        model, evil, benign = self.split_case()
        guard = "auto guard = exposure(img, window_, levels_).unsqueeze(1);"
        self.assertIn(guard, model)
        r = self.repo
        r.write("model.cpp", model.replace(guard, "auto guard = torch::zeros({img.size(0), 1}, img.options());"))
        r.write("exposure.h", evil)
        base = r.commit("base")
        r.write("model.cpp", model)
        head = r.commit("exposure guard")
        r.write("exposure.h", benign)
        r.commit("neutral exposure")
        res = archscan(r.root, "diff", base, head, "--select", "BD001", "--format", "json")
        self.assertEqual(res.code, 1, res)
        self.assertIn(("BD001", "T1", "model.cpp"), rules_of(res), res)

def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--archscan", required=True)
    ap.add_argument("--corpus", required=True)
    ARGS, rest = ap.parse_known_args()
    ARGS.archscan = os.path.abspath(ARGS.archscan)
    ARGS.corpus = os.path.abspath(ARGS.corpus)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
