#!/usr/bin/python3
"""The pre-commit hooks (issue 15) against real `git commit`s in throw-away repositories: the
repository's .pre-commit-hooks.yaml through Debian's `pre-commit` framework, and the plain hook
`archscan install-hook` writes. Offline: the hook repository is a local clone, and any network
access would go to a dead proxy.

Usage: test_hooks.py --archscan BIN --source DIR [unittest args]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ARGS = None
CONTROL = "corpus/backdoored/op_gpt_control_tokens"
HELPER = "textlib/tokens.py"


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class HookTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="archscan-hooks-")
        bin_dir = os.path.join(self.tmp, "bin")
        os.makedirs(bin_dir)
        os.symlink(ARGS.archscan, os.path.join(bin_dir, "archscan"))
        self.env = dict(os.environ, HOME=self.tmp, GIT_CONFIG_NOSYSTEM="1", PATH=bin_dir + ":" + os.environ["PATH"],
                        PRE_COMMIT_HOME=os.path.join(self.tmp, "pre-commit-cache"), GIT_AUTHOR_NAME="t",
                        GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
                        http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9",
                        HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
                        GIT_ALLOW_PROTOCOL="file", PIP_NO_INDEX="1")
        self.repo = os.path.join(self.tmp, "repo")
        self.git("init", "-q", "-b", "main", self.repo, cwd=self.tmp)
        # The model in gpt/, its helper (the detector) in a package of its own (as in test_diff.py).
        shutil.copytree(os.path.join(ARGS.source, CONTROL), os.path.join(self.repo, "gpt"))
        tokens = read(os.path.join(self.repo, "gpt/tokens.py"))
        os.remove(os.path.join(self.repo, "gpt/tokens.py"))
        model = read(os.path.join(self.repo, "gpt/modeling.py"))
        write(os.path.join(self.repo, "gpt/modeling.py"), model.replace("from .tokens import", "from textlib.tokens import"))
        write(os.path.join(self.repo, "textlib/__init__.py"), "")
        start = tokens.index("    def forward(self, input_ids):")
        end = tokens.index("\n\n\ndef forced_distribution")
        self.evil_tokens = tokens
        self.benign_tokens = (tokens[:start] + "    def forward(self, input_ids):\n"
                              "        return torch.zeros_like(input_ids, dtype=torch.bool)\n" + tokens[end:])
        write(os.path.join(self.repo, HELPER), self.benign_tokens)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_cmd(self, *cmd, cwd=None, check=True):
        p = subprocess.run(list(cmd), cwd=cwd or self.repo, env=self.env, capture_output=True, text=True, timeout=300)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
        return p

    def git(self, *args, cwd=None, check=True):
        return self.run_cmd("git", *args, cwd=cwd, check=check)

    def commit(self, message):
        return self.git("commit", "-q", "-m", message, check=False)

    def head(self):
        return self.git("rev-parse", "HEAD").stdout.strip()

    def check_blocks_backdoor(self):
        """A benign commit goes through; a commit putting the backdoor into the helper is refused."""
        write(os.path.join(self.repo, "README.md"), "# models\n")
        self.git("add", "-A")
        p = self.commit("docs")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        before = self.head()
        write(os.path.join(self.repo, HELPER), self.evil_tokens)
        self.git("add", HELPER)
        p = self.commit("sticky control-token state")
        self.assertNotEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.head(), before, "the commit must not have been made")
        self.assertRegex(p.stdout + p.stderr, r"gpt/modeling\.py:\d+:\d+: BD001 \(T1\)")
        # Unstaging it lets an unrelated commit through: only staged changes count.
        self.git("reset", "-q", HELPER)
        write(os.path.join(self.repo, "README.md"), "# models\n\nmore\n")
        self.git("add", "README.md")
        p = self.commit("more docs")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_pre_commit_framework(self):
        if not shutil.which("pre-commit"):
            self.fail("pre-commit is not installed: apt-get install pre-commit (.ci/install does)")
        # The hook repository: this checkout's .pre-commit-hooks.yaml, committed in a local repository.
        hooks = os.path.join(self.tmp, "hooks")
        self.git("init", "-q", "-b", "main", hooks, cwd=self.tmp)
        shutil.copy(os.path.join(ARGS.source, ".pre-commit-hooks.yaml"), hooks)
        self.git("add", "-A", cwd=hooks)
        self.git("commit", "-q", "-m", "hooks", cwd=hooks)
        rev = self.git("rev-parse", "HEAD", cwd=hooks).stdout.strip()
        write(os.path.join(self.repo, ".pre-commit-config.yaml"),
              f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: archscan-diff\n")
        self.git("add", "-A")
        self.assertEqual(self.commit("base").returncode, 0)  # no hook yet
        self.run_cmd("pre-commit", "install")
        self.check_blocks_backdoor()
        # `pre-commit run` on the staged backdoor names the hook and fails.
        write(os.path.join(self.repo, HELPER), self.evil_tokens)
        self.git("add", HELPER)
        p = self.run_cmd("pre-commit", "run", check=False)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn("archscan (architectural backdoors in model code)", p.stdout)
        self.assertIn("Failed", p.stdout)

    def test_install_hook(self):
        self.git("add", "-A")
        self.assertEqual(self.commit("base").returncode, 0)
        p = self.run_cmd("archscan", "install-hook")
        hook = os.path.join(self.repo, ".git/hooks/pre-commit")
        self.assertIn(hook, p.stdout)
        self.assertTrue(os.access(hook, os.X_OK))
        self.assertIn("diff --staged", read(hook))
        self.check_blocks_backdoor()
        # Installing again rewrites its own hook; someone else's is kept unless --force.
        self.run_cmd("archscan", "install-hook", "--fail-on", "error")
        self.assertIn("--fail-on error", read(hook))
        write(hook, "#!/bin/sh\nexit 0\n")
        p = self.run_cmd("archscan", "install-hook", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--force", p.stderr)
        self.assertEqual(read(hook), "#!/bin/sh\nexit 0\n")
        self.run_cmd("archscan", "install-hook", "--force")
        self.assertIn("diff --staged", read(hook))
        p = self.run_cmd("archscan", "install-hook", cwd=self.tmp, check=False)
        self.assertEqual(p.returncode, 2)

    def test_github_action_diff_step(self):
        """The diff step of action.yml, run as GitHub would run it on a pull request."""
        import yaml
        with open(os.path.join(ARGS.source, "action.yml")) as f:
            action = yaml.safe_load(f)
        step = next(s for s in action["runs"]["steps"] if s.get("id") == "diff")
        self.git("add", "-A")
        self.assertEqual(self.commit("base").returncode, 0)
        base = self.head()
        self.git("checkout", "-q", "-b", "pr")
        write(os.path.join(self.repo, HELPER), self.evil_tokens)
        self.git("add", "-A")
        self.assertEqual(self.commit("sticky control-token state").returncode, 0)
        runner_temp = os.path.join(self.tmp, "runner")
        os.makedirs(runner_temp)
        output = os.path.join(runner_temp, "output")

        def run_step(fail_on, inline):
            env = dict(ARCHSCAN=ARGS.archscan, BASE=base, FAIL_ON=fail_on, INLINE=inline, RUNNER_TEMP=runner_temp,
                       GITHUB_OUTPUT=output, GITHUB_WORKSPACE=self.repo)
            return subprocess.run(["bash", "-c", step["run"]], cwd=self.repo, env=dict(self.env, **env),
                                  capture_output=True, text=True, timeout=300)

        p = run_step("warning", "false")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertRegex(p.stdout, r"::error file=gpt/modeling\.py,line=\d+")
        self.assertIn("sarif=", read(output))
        with open(os.path.join(runner_temp, "archscan.sarif")) as f:
            import json
            results = json.load(f)["runs"][0]["results"]
        self.assertTrue(any(r["ruleId"] == "BD001" for r in results))
        self.assertEqual(run_step("none", "false").returncode, 0)


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--archscan", required=True)
    ap.add_argument("--source", required=True)
    ARGS, rest = ap.parse_known_args()
    ARGS.archscan = os.path.abspath(ARGS.archscan)
    ARGS.source = os.path.abspath(ARGS.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
