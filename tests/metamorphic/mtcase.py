"""Case model for the metamorphic harness: a corpus case as a set of parsed Python files.

A case is `backdoored/<name>.py` (a single file) or `backdoored/<name>/` (a package).  It is held as
`Case(sub, name, files)` where `files` maps a path relative to `<sub>/` (`name.py`, or
`name/__init__.py`, `name/blocks.py`, ...) to an `ast.Module`.  Transforms work on deep copies and
keep the original nodes' line numbers, so the labelled integration line can still be located after
other (non-structural) transforms ran.
"""

import ast
import copy
import os
import re

LABEL_RE = re.compile(r"#\s*expect:\s*([A-Za-z0-9_, ]+)")


class Case:
    def __init__(self, sub, name, files, labels=None, label_lines=None):
        self.sub = sub                  # "backdoored" | "benign"
        self.name = name
        self.files = files              # relpath -> ast.Module
        self.labels = labels or set()   # {"T3", "HW001", "none", ...} from the ORIGINAL sources
        self.label_lines = label_lines or {}   # relpath -> [line, ...] (original numbering)

    @property
    def is_package(self):
        return any("/" in p for p in self.files)

    def copy(self):
        return Case(self.sub, self.name, {p: copy.deepcopy(t) for p, t in self.files.items()},
                    set(self.labels), {p: list(v) for p, v in self.label_lines.items()})

    def sources(self):
        out = {}
        for p, t in self.files.items():
            ast.fix_missing_locations(t)
            out[p] = ast.unparse(t) + "\n"
        return out

    def write(self, root):
        """Write the case under root/<sub>/ and return the case path."""
        base = os.path.join(root, self.sub)
        for p, src in self.sources().items():
            fp = os.path.join(base, p)
            os.makedirs(os.path.dirname(fp), exist_ok=True)
            with open(fp, "w", encoding="utf-8") as f:
                f.write(src)
        if self.is_package:
            return os.path.join(base, self.name)
        return os.path.join(base, self.name + ".py")


def parse_labels(text):
    labels, lines = set(), []
    for i, line in enumerate(text.splitlines(), 1):
        m = LABEL_RE.search(line)
        if m:
            toks = [t.strip() for t in m.group(1).split(",") if t.strip()]
            labels.update(t if t.lower() != "none" else "none" for t in toks)
            if any(t.lower() != "none" for t in toks):
                lines.append(i)
    return labels, lines


def load_case(sub, name, path):
    files, labels, label_lines = {}, set(), {}
    if os.path.isdir(path):
        for dp, dns, fns in os.walk(path):
            dns[:] = sorted(d for d in dns if not d.startswith((".", "__pycache__")))
            for fn in sorted(fns):
                if fn.endswith(".py"):
                    fp = os.path.join(dp, fn)
                    rel = os.path.relpath(fp, os.path.dirname(path)).replace(os.sep, "/")
                    files[rel] = fp
    else:
        files[name + ".py"] = path
    trees = {}
    for rel, fp in files.items():
        with open(fp, encoding="utf-8") as f:
            text = f.read()
        trees[rel] = ast.parse(text)
        lab, lines = parse_labels(text)
        labels |= lab
        if lines:
            label_lines[rel] = lines
    return Case(sub, name, trees, labels, label_lines)
