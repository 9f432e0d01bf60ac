"""End to end with Neovim's built-in LSP client (Debian `neovim`): runs nvim_e2e.lua headless
against `archscan lsp` on a copy of a backdoored corpus package and checks its verdict.

usage: test_nvim.py ARCHSCAN CORPUS_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
archscan, corpus = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
nvim = shutil.which("nvim")
if not nvim:
    print("neovim is not installed (apt-get install neovim)")
    sys.exit(1)
work = tempfile.mkdtemp(prefix="archscan-nvim-")
try:
    shutil.copytree(os.path.join(corpus, "backdoored", "k_t12_resnet_se"), os.path.join(work, "pkg"))
    result = os.path.join(work, "result.txt")
    env = dict(os.environ, ARCHSCAN=archscan, WORKSPACE=work, RESULT=result, HOME=work, XDG_STATE_HOME=work)
    p = subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c",
                        "luafile " + os.path.join(here, "nvim_e2e.lua")],
                       env=env, cwd=work, timeout=300, stdin=subprocess.DEVNULL, capture_output=True)
    text = open(result).read() if os.path.exists(result) else ""
    print(text, end="")
    if p.returncode != 0 or not text.rstrip().endswith("PASS"):
        print("nvim exit code", p.returncode, p.stdout.decode(errors="replace")[-2000:],
              p.stderr.decode(errors="replace")[-2000:])
        sys.exit(1)
finally:
    shutil.rmtree(work, ignore_errors=True)
