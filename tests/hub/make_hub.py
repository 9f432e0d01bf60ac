#!/usr/bin/python3
"""Lays out a small hub mirror for the sharding tests: each case of the corpus's backdoored and
benign sets in a repository directory of its own (<case>/<case>.py, or <case>/<case>/ for a
package), and Debian's torchvision as one more repository (a real model zoo).

    make_hub.py ROOT SOURCE_DIR"""
import os
import shutil
import sys

TORCHVISION = "/usr/lib/python3/dist-packages/torchvision"


def make_hub(root, source):
    os.makedirs(root)
    for kind in ("backdoored", "benign"):
        base = os.path.join(source, "corpus", kind)
        for name in sorted(os.listdir(base)):
            src = os.path.join(base, name)
            repo = os.path.join(root, os.path.splitext(name)[0])
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(repo, name), ignore=shutil.ignore_patterns("__pycache__"))
            elif name.endswith(".py"):
                os.makedirs(repo)
                shutil.copy(src, repo)
    shutil.copytree(TORCHVISION, os.path.join(root, "torchvision"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    make_hub(sys.argv[1], sys.argv[2])
