#!/usr/bin/env python3
"""Fails when a source file #includes a header of a layer its own layer does not depend on.

usage: check_layers.py LAYERS_TXT SOURCE_ROOT [BUILD_DIR]

LAYERS_TXT is written by CMake (cmake/ArchscanLayer.cmake): one line per layer, "NAME DIR,DIR DEP,DEP".
A quoted include resolves against analyzer/ and the source root, as the compiler's include path
does; the file it names belongs to the layer whose directory holds it (deepest directory wins).
A layer may include its own headers and those of its transitive dependencies; the graph must be
acyclic. Also fails when a directory of the analyzer holds sources that belong to no layer.

With BUILD_DIR, also reads each layer's archive (libarchscan_NAME.a) with `nm` and fails when a
layer references a symbol that only a layer it does not depend on defines: what a linker would
reject if the layer were linked alone.
"""
import re
import subprocess
import sys
from pathlib import Path

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_graph(path):
    layers = {}
    for line in Path(path).read_text().splitlines():
        parts = line.split(" ")
        if not parts or not parts[0]:
            continue
        name, dirs = parts[0], parts[1].split(",")
        deps = parts[2].split(",") if len(parts) > 2 and parts[2] else []
        layers[name] = (dirs, deps)
    return layers


def closure(layers):
    reach, state = {}, {}

    def visit(n, stack):
        if state.get(n) == "open":
            sys.exit("layer cycle: " + " -> ".join(stack + [n]))
        if n in reach:
            return reach[n]
        state[n] = "open"
        r = set()
        for d in layers[n][1]:
            if d not in layers:
                sys.exit(f"layer {n} depends on unknown layer {d}")
            r |= {d} | visit(d, stack + [n])
        state[n] = "done"
        reach[n] = r
        return r

    for n in layers:
        visit(n, [])
    return reach


def nm(archive, *flags):
    out = subprocess.run(["nm", "-C", *flags, str(archive)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def symbol_errors(layers, reach, build):
    archives = {n: next(build.rglob(f"libarchscan_{n}.a"), None) for n in layers}
    defined, undefined = {}, {}
    for n, a in archives.items():
        if a is None:
            continue
        for line in nm(a, "--defined-only", "-g"):
            m = re.match(r"[0-9a-f]+ [TDBRVWu] (.+)", line)
            if m:
                defined.setdefault(m.group(1), set()).add(n)
        undefined[n] = {line.split(" U ", 1)[1] for line in nm(a, "-u") if " U " in line}
    if not undefined:
        return ["no layer archive found under " + str(build)]
    errors = []
    for n, syms in undefined.items():
        for sym in sorted(syms):
            owners = defined.get(sym, set())
            if owners and not owners & (reach[n] | {n}):
                errors.append(f"libarchscan_{n}.a uses {sym[:120]} defined only in layer(s) {', '.join(sorted(owners))}")
    return errors


def main():
    layers = read_graph(sys.argv[1])
    root = Path(sys.argv[2]).resolve()
    reach = closure(layers)
    owner_dirs = sorted(((root / d, n) for n, (dirs, _) in layers.items() for d in dirs),
                        key=lambda x: -len(str(x[0])))

    def layer_of(path):
        for d, n in owner_dirs:
            if path.parent == d:
                return n
        return None

    errors, checked = [], 0
    for d, name in owner_dirs:
        for src in sorted(list(d.glob("*.cpp")) + list(d.glob("*.h"))):
            for inc in INCLUDE.findall(src.read_text(errors="replace")):
                target = next((c for c in (root / "analyzer" / inc, root / inc, src.parent / inc) if c.is_file()), None)
                if target is None:
                    continue  # generated or third-party
                to = layer_of(target.resolve())
                checked += 1
                if to is None or to == name or to in reach[name]:
                    continue
                errors.append(f"{src.relative_to(root)}: layer '{name}' includes \"{inc}\" of layer '{to}', "
                              f"which it does not depend on (allowed: {', '.join(sorted(reach[name])) or 'none'})")
    for sub in sorted((root / "analyzer").rglob("*")):
        if sub.is_dir() and any(sub.glob("*.cpp")) and layer_of(next(sub.glob("*.cpp")).resolve()) is None:
            errors.append(f"{sub.relative_to(root)}: sources in no layer (add it to an archscan_layer)")
    if len(sys.argv) > 3:
        errors += symbol_errors(layers, reach, Path(sys.argv[3]))
    for e in errors:
        print(e)
    print(f"{len(layers)} layers, {checked} includes checked, {len(errors)} violations")
    return 1 if errors or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
