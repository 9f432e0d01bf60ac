#!/usr/bin/env python3
"""Latency and footprint of `archscan lsp` (docs/lsp.md), measured as an editor sees them.

Generates a workspace of about 2,000 Python files (packages of corpus models, as
bench/diff_bench.sh does, each also importing a shared helper package) plus one model file of
about 2,000 lines (corpus models one after another) that imports the shared helpers, then:

  1. first diagnostics: time from `initialize` to the end of the workspace scan's $/progress,
     and the server's resident memory (VmRSS, VmHWM) after it;
  2. typing: N keystrokes in the middle of the 2,000-line file (a character typed and deleted
     in turn in a comment), each a didChange; the time from sending it to the publishDiagnostics
     of that version: p50, p95, max; then a statement typed and deleted character by character
     (the names the file refers to change on most keystrokes);
  3. editing the shared helper imported by every package: the same, to the republished
     diagnostics of the edited file (its importers are analysed with it).

  bench/lsp_bench.py [--archscan build/archscan] [--keystrokes 200] [--packages 222]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)
sys.path.insert(0, os.path.join(top, "tests", "lsp"))
from lsp_client import Client, file_uri  # noqa: E402

HELPER = '''import torch.nn as nn


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x)).relu()
'''


def corpus_models():
    out = []
    for d in ("benign", "backdoored"):
        base = os.path.join(top, "corpus", d)
        out += sorted(os.path.join(base, f) for f in os.listdir(base) if f.endswith(".py"))
    return out


def generate(root, packages):
    models = corpus_models()
    os.makedirs(os.path.join(root, "common"))
    open(os.path.join(root, "common", "__init__.py"), "w").close()
    with open(os.path.join(root, "common", "blocks.py"), "w") as f:
        f.write(HELPER)
    k = 0
    for p in range(packages):
        pkg = os.path.join(root, "pkg%d" % p)
        os.makedirs(pkg)
        open(os.path.join(pkg, "__init__.py"), "w").close()
        for m in range(8):
            shutil.copy(models[k % len(models)], os.path.join(pkg, "m%d.py" % m))
            k += 1
        with open(os.path.join(pkg, "m0.py"), "a") as f:
            f.write("\nfrom common.blocks import ConvBlock\n\n\ndef stem(cin=3, cout=16):\n    return ConvBlock(cin, cout)\n")
    # One long model file: corpus benign models one after another, and the shared helper.
    big = os.path.join(root, "big")
    os.makedirs(big)
    open(os.path.join(big, "__init__.py"), "w").close()
    lines = ["from common.blocks import ConvBlock", ""]
    benign = [m for m in models if "/benign/" in m]
    i = 0
    while len(lines) < 2000:
        with open(benign[i % len(benign)]) as f:
            lines += f.read().split("\n")
        i += 1
    lines.insert(len(lines) // 2, "# typing happens here: ")
    path = os.path.join(big, "model.py")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    files = sum(len([n for n in fs if n.endswith(".py")]) for _, _, fs in os.walk(root))
    return path, len(lines) // 2, len(lines), files


def rss_kb(pid):
    vals = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                vals[k] = int(v.split()[0])
    return vals


def type_in(c, path, line, col0, keystrokes, version):
    """Types and deletes a character in turn at (line, col0); returns the latencies in ms."""
    lat = []
    for k in range(keystrokes):
        version += 1
        if k % 2 == 0:
            change = {"range": {"start": {"line": line, "character": col0}, "end": {"line": line, "character": col0}},
                      "text": "x"}
        else:
            change = {"range": {"start": {"line": line, "character": col0},
                                "end": {"line": line, "character": col0 + 1}}, "text": ""}
        t0 = time.perf_counter()
        c.change(path, version, [change])
        c.diagnostics(path, version=version, timeout=120)
        lat.append((time.perf_counter() - t0) * 1000)
    return lat, version


def type_code(c, path, line, text, version):
    """Types `text` one character at a time on line `line` (after its end), then deletes it the same
    way: the referenced names change on most keystrokes, and half the states do not parse."""
    lat = []
    with open(path) as f:
        col = len(f.read().split("\n")[line])
    for k in range(len(text)):
        version += 1
        pos = {"line": line, "character": col + k}
        t0 = time.perf_counter()
        c.change(path, version, [{"range": {"start": pos, "end": pos}, "text": text[k]}])
        c.diagnostics(path, version=version, timeout=120)
        lat.append((time.perf_counter() - t0) * 1000)
    for k in reversed(range(len(text))):
        version += 1
        t0 = time.perf_counter()
        c.change(path, version, [{"range": {"start": {"line": line, "character": col + k},
                                            "end": {"line": line, "character": col + k + 1}}, "text": ""}])
        c.diagnostics(path, version=version, timeout=120)
        lat.append((time.perf_counter() - t0) * 1000)
    return lat, version


def summary(name, lat):
    s = sorted(lat)
    p = lambda q: s[min(len(s) - 1, int(round(q * (len(s) - 1))))]  # noqa: E731
    print("%s: %d edits, p50 %.1f ms, p95 %.1f ms, max %.1f ms, mean %.1f ms"
          % (name, len(s), p(0.5), p(0.95), s[-1], statistics.mean(s)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--archscan", default=os.path.join(top, "build", "archscan"))
    ap.add_argument("--keystrokes", type=int, default=200)
    ap.add_argument("--packages", type=int, default=222)
    a = ap.parse_args()
    root = tempfile.mkdtemp(prefix="archscan-lsp-bench-")
    try:
        big, edit_line, big_lines, files = generate(root, a.packages)
        print("workspace: %d Python files; %s has %d lines; %d cores" % (files, os.path.relpath(big, root), big_lines,
                                                                       os.cpu_count()))
        c = Client(os.path.abspath(a.archscan), root, ["--no-db"])
        t0 = time.perf_counter()
        c.initialize(capabilities={"window": {"workDoneProgress": True}})
        c.wait(lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end", timeout=1800)
        first = time.perf_counter() - t0
        mem = rss_kb(c.proc.pid)
        print("first diagnostics (initialize -> end of the workspace scan): %.2f s; RSS %.0f MB, peak %.0f MB"
              % (first, mem["VmRSS"] / 1024, mem["VmHWM"] / 1024))
        with open(big) as f:
            col = len(f.read().split("\n")[edit_line])
        c.open(big, version=1)
        c.diagnostics(big, version=1, timeout=120)
        lat, v = type_in(c, big, edit_line, col, a.keystrokes, 1)
        summary("typing in a comment of the %d-line model" % big_lines, lat)
        lat, v = type_code(c, big, edit_line, "x = torch.sigmoid(F.avg_pool2d(y, 2))", v)
        summary("typing a statement in the %d-line model" % big_lines, lat)
        helper = os.path.join(root, "common", "blocks.py")
        c.open(helper, version=1)
        c.diagnostics(helper, version=1, timeout=120)
        lat, _ = type_in(c, helper, 0, 0, max(4, a.keystrokes // 10), 1)
        summary("typing in the shared helper (%d importers)" % a.packages, lat)
        mem = rss_kb(c.proc.pid)
        print("RSS after editing: %.0f MB, peak %.0f MB" % (mem["VmRSS"] / 1024, mem["VmHWM"] / 1024))
        c.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
