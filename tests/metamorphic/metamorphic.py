#!/usr/bin/python3
"""Metamorphic test harness for archscan.

For every labelled corpus case (corpus/backdoored, corpus/benign) apply semantics-preserving source
transformations (tests/metamorphic/transforms.py) and compositions of two, prove at run time that
each variant still behaves like the original, scan it with archscan and check that the verdict is
invariant:
  * backdoored case labelled Tn -> the variant case still has a BD001 finding of type Tn (anywhere);
  * labelled HW001/BM001/CE001  -> that rule still fires somewhere in the variant case;
  * benign (`# expect: none`)    -> no finding of severity warning or error in the variant case.
Labels are read from the ORIGINAL sources (ast.unparse drops comments).

Runtime proof of a variant (in a temporary corpus dir holding only `<sub>/<case>`):
  1. tests/corpus/run_corpus.py's contract checks pass (trigger works, clean agrees with reference,
     hardware mock changes the output, batch coupling, benign runs), with -n inputs;
  2. the variant's model outputs equal the original's (torch.allclose) on the clean inputs, on the
     triggered inputs and under the hardware mock.
Variants that fail to transform or to run are "invalid", never counted as misses.

Usage:
  /usr/bin/python3 tests/metamorphic/metamorphic.py --archscan PATH [--all | --sample N --seed S]
      [--jobs J] [-n 32] [--pairs | --no-pairs] [--transforms a,b] [--cases GLOB]
      [--min-invariant FRACTION] [--keep DIR] [--json FILE]
"""

import argparse
import fnmatch
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import mtcase  # noqa: E402
import transforms as T  # noqa: E402

RUN_CORPUS = os.path.join(REPO, "tests", "corpus", "run_corpus.py")
COLUMNS = ["T%d" % i for i in range(1, 13)] + ["HW001", "BM001", "CE001", "benign"]
TYPE_RE = re.compile(r"\bT(1[0-2]|[1-9])\b")


def load_run_corpus():
    import importlib.util
    spec = importlib.util.spec_from_file_location("run_corpus", RUN_CORPUS)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ----------------------------------------------------------------------------------------------
# verdicts

def finding_type(f):
    t = f.get("taxonomy")
    if t:
        return t
    m = TYPE_RE.search(f.get("message", ""))
    return "T" + m.group(1) if m else None


def label_column(lab):
    return "benign" if lab == "none" else lab


def check_labels(labels, findings, expected_rules=()):
    """-> {label: (ok, why)}. `expected_rules`: rules the transform itself is meant to trigger."""
    out = {}
    for lab in sorted(labels):
        if lab == "none":
            bad = [f for f in findings if f.get("severity") in ("warning", "error")
                   and f.get("rule") not in expected_rules]
            out[lab] = (not bad, "; ".join("%s %s %s:%s" % (f["rule"], f.get("severity"), f.get("path"), f.get("line"))
                                           for f in bad[:6]))
        elif re.fullmatch(r"T\d+", lab):
            hits = [f for f in findings if f.get("rule") == "BD001" and finding_type(f) == lab]
            out[lab] = (bool(hits), "")
        else:
            hits = [f for f in findings if f.get("rule") == lab]
            out[lab] = (bool(hits), "")
    return out


def summarize_findings(findings):
    s = sorted({"%s%s(%s)" % (f.get("rule"), ":" + finding_type(f) if f.get("rule") == "BD001" and finding_type(f) else "",
                              f.get("severity")) for f in findings})
    return ", ".join(s) if s else "no findings"


def scan(archscan, root):
    p = subprocess.run([archscan, "scan", root, "--format", "json", "--no-db", "--fail-on", "none", "-j", "1"],
                       capture_output=True, text=True, timeout=120)
    try:
        data = json.loads(p.stdout)
    except ValueError:
        raise RuntimeError("archscan exit %d, no JSON: %s" % (p.returncode, (p.stderr or p.stdout)[-300:]))
    bad_files = [f for f in data.get("files", []) if f.get("status") not in (None, "ok")]
    return data.get("findings", []), bad_files


# ----------------------------------------------------------------------------------------------
# worker side

_W = {}


def worker_init(archscan, n, keep):
    import warnings
    warnings.filterwarnings("ignore")
    import torch
    torch.set_num_threads(1)
    _W.update(rc=load_run_corpus(), torch=torch, archscan=archscan, n=n, keep=keep, orig={}, cases={})


def fingerprint(sub, name, path):
    """Model outputs on clean inputs, triggered inputs and under the hardware mock."""
    rc, torch, n = _W["rc"], _W["torch"], _W["n"]
    mod = rc.import_case(sub, name, path)
    try:
        rc.seed(0)
        case = mod.corpus_case()
        outs = []
        with torch.no_grad():
            x = rc.get_inputs(case, n)
            outs.append(("clean", rc.main_tensor(rc.call(case["model"], x)).detach().clone()))
            if case.get("trigger") is not None:
                xt = rc.get_trigger(case, x)
                outs.append(("triggered", rc.main_tensor(rc.call(case["model"], xt)).detach().clone()))
            if case.get("mock") is not None:
                with rc.mock_cm(case["mock"]):
                    outs.append(("mock", rc.main_tensor(rc.call(case["model"], x)).detach().clone()))
        return outs
    finally:
        rc._drop_modules(name)


def same(fa, fb):
    rc = _W["rc"]
    if [k for k, _ in fa] != [k for k, _ in fb]:
        return "output structure differs"
    for (k, a), (_, b) in zip(fa, fb):
        if not rc.close(a, b):
            return "%s outputs differ from the original's" % k
    return None


def original_info(case):
    """(fingerprint or None if non-deterministic, error) of the original case, cached per worker."""
    key = (case.sub, case.name)
    if key not in _W["orig"]:
        rc = _W["rc"]
        path = os.path.join(CORPUS, case.sub, case.name + ("" if case.is_package else ".py"))
        try:
            rc.run_case(case.sub, case.name, path, _W["n"])
            f1 = fingerprint(case.sub, case.name, path)
            f2 = fingerprint(case.sub, case.name, path)
            _W["orig"][key] = (f1 if same(f1, f2) is None else None, None)
        except BaseException as e:  # noqa
            if isinstance(e, KeyboardInterrupt):
                raise
            _W["orig"][key] = (None, "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
    return _W["orig"][key]


def get_case(sub, name):
    key = (sub, name)
    if key not in _W["cases"]:
        path = os.path.join(CORPUS, sub, name)
        if not os.path.isdir(path):
            path += ".py"
        _W["cases"][key] = mtcase.load_case(sub, name, path)
    return _W["cases"][key]


CORPUS = os.path.join(REPO, "corpus")


def run_task(task):
    sub, name, chain = task
    tname = "+".join(chain) if chain else "(original)"
    res = {"transform": tname, "chain": list(chain), "case": "%s/%s" % (sub, name)}
    t0 = time.time()
    try:
        case = get_case(sub, name)
        res["labels"] = sorted(case.labels)
        if not case.labels:
            res["status"] = "unlabelled"
            return res
        try:
            variant = T.apply_chain(case, chain) if chain else case
        except Exception as e:
            res.update(status="invalid", why="transform error: %s: %s" % (type(e).__name__, e))
            return res
        if variant is None:
            res["status"] = "declined"
            return res
        fp0, oerr = original_info(case)
        if oerr:
            res.update(status="original_invalid", why=oerr)
            return res
        if _W["keep"]:
            root = os.path.join(_W["keep"], re.sub(r"[^\w+]", "_", tname), sub + "_" + name)
            if os.path.exists(root):
                shutil.rmtree(root)
            os.makedirs(root)
        else:
            root = tempfile.mkdtemp(prefix="archscan_mt_")
        try:
            try:
                path = variant.write(root)
            except Exception as e:
                res.update(status="invalid", why="unparse error: %s: %s" % (type(e).__name__, e))
                return res
            rc = _W["rc"]
            # runtime proof
            try:
                kind, details = rc.run_case(sub, name, path, _W["n"])
                if fp0 is not None:
                    diff = same(fp0, fingerprint(sub, name, path))
                    if diff:
                        raise rc.CaseFailure(diff)
                res["runtime"] = "%s: %s" % (kind, details)
            except BaseException as e:  # noqa
                if isinstance(e, KeyboardInterrupt):
                    raise
                msg = str(e).splitlines()[0] if str(e) else ""
                res.update(status="invalid", why="runtime: %s: %s" % (type(e).__name__, msg[:200]))
                return res
            # scan
            try:
                findings, bad_files = scan(_W["archscan"], root)
            except Exception as e:
                res.update(status="valid", invariant=False, per_label={l: False for l in case.labels},
                           found="scan error: %s" % e)
                return res
            per = check_labels(case.labels, findings, T.introduced_rules(chain))
            res.update(status="valid", invariant=all(ok for ok, _ in per.values()),
                       per_label={l: ok for l, (ok, _) in per.items()},
                       found=summarize_findings(findings),
                       why="; ".join(w for _, w in per.values() if w),
                       files=sorted(variant.files))
            if bad_files:
                res["bad_files"] = bad_files
            return res
        finally:
            if not _W["keep"]:
                shutil.rmtree(root, ignore_errors=True)
    except Exception as e:
        res.update(status="invalid", why="harness error: %s: %s" % (type(e).__name__, traceback.format_exc()[-400:]))
        return res
    finally:
        res["seconds"] = round(time.time() - t0, 3)


# ----------------------------------------------------------------------------------------------
# parent side

def discover(corpus):
    out = []
    for sub in ("backdoored", "benign"):
        d = os.path.join(corpus, sub)
        for e in sorted(os.listdir(d)):
            if e.startswith(("_", ".")) or e.lower().startswith("readme"):
                continue
            p = os.path.join(d, e)
            if os.path.isfile(p) and e.endswith(".py"):
                out.append((sub, e[:-3]))
            elif os.path.isdir(p) and os.path.isfile(os.path.join(p, "__init__.py")):
                out.append((sub, e))
    return out


def build_tasks(cases, singles, pairs, baseline=True):
    tasks = []
    for sub, name in cases:
        if baseline:
            tasks.append((sub, name, ()))
        for t in singles:
            tasks.append((sub, name, (t,)))
        for p in pairs:
            tasks.append((sub, name, tuple(p)))
    return tasks


def make_matrix(results):
    rows = {}
    for r in results:
        row = rows.setdefault(r["transform"], {"cells": {c: [0, 0] for c in COLUMNS}, "valid": 0, "inv": 0,
                                               "invalid": 0, "declined": 0})
        st = r.get("status")
        if st == "valid":
            row["valid"] += 1
            row["inv"] += 1 if r["invariant"] else 0
            for lab, ok in r["per_label"].items():
                col = label_column(lab)
                if col in row["cells"]:
                    row["cells"][col][1] += 1
                    row["cells"][col][0] += 1 if ok else 0
        elif st == "declined":
            row["declined"] += 1
        elif st in ("invalid",):
            row["invalid"] += 1
    return rows


def format_matrix(rows, order):
    used = [c for c in COLUMNS if any(rows[r]["cells"][c][1] for r in rows)]
    w0 = max([len(r) for r in rows] + [10])
    hdr = "%-*s " % (w0, "transform") + " ".join("%7s" % c for c in used) + " | %9s %7s %7s %8s" % (
        "inv/valid", "inv%", "invalid", "declined")
    lines = [hdr, "-" * len(hdr)]
    tot = {c: [0, 0] for c in used}
    for name in order:
        if name not in rows:
            continue
        row = rows[name]
        cells = []
        for c in used:
            a, b = row["cells"][c]
            cells.append("%7s" % ("%d/%d" % (a, b) if b else "-"))
            if name != "(original)":
                tot[c][0] += a
                tot[c][1] += b
        pct = "%.1f" % (100.0 * row["inv"] / row["valid"]) if row["valid"] else "-"
        lines.append("%-*s " % (w0, name) + " ".join(cells) + " | %9s %7s %7d %8d" % (
            "%d/%d" % (row["inv"], row["valid"]), pct, row["invalid"], row["declined"]))
        if name == "(original)":
            lines.append("-" * len(hdr))
    lines.append("-" * len(hdr))
    lines.append("%-*s " % (w0, "all variants") + " ".join(
        "%7s" % ("%d/%d" % tuple(tot[c]) if tot[c][1] else "-") for c in used))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description="metamorphic test harness for archscan")
    ap.add_argument("--archscan", required=True, help="path of the archscan binary under test")
    ap.add_argument("--corpus", default=None, help="corpus directory (default: the repository's)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--all", action="store_true", help="every case x every transform and pair (default)")
    g.add_argument("--sample", type=int, metavar="N", help="a fixed deterministic sample of N applicable variants")
    ap.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("-n", type=int, default=32, help="inputs per runtime proof (default 32)")
    ap.add_argument("--transforms", help="comma-separated subset of single transforms")
    ap.add_argument("--no-pairs", action="store_true", help="skip the compositions")
    ap.add_argument("--all-pairs", action="store_true", help="every ordered pair of distinct transforms "
                    "(structural ones last) instead of the curated list")
    ap.add_argument("--cases", action="append", help="fnmatch filter on <sub>/<case> (repeatable)")
    ap.add_argument("--min-invariant", type=float, metavar="FRACTION",
                    help="exit 1 if the fraction of valid variants that are invariant is below this")
    ap.add_argument("--keep", metavar="DIR", help="keep the variants under DIR")
    ap.add_argument("--json", metavar="FILE", help="write the full report as JSON")
    ap.add_argument("--log", metavar="FILE", help="append every result as a JSON line to FILE as it arrives")
    ap.add_argument("--resume", action="store_true", help="with --log: skip the tasks already in the log")
    ap.add_argument("--report-from", metavar="FILE", help="no run: print the report of a --log file "
                    "(e.g. of an interrupted run)")
    ap.add_argument("--list-transforms", action="store_true")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    o = ap.parse_args(argv)

    if o.list_transforms:
        for t in T.ALL:
            print("%-20s %s" % (t.name, t.doc))
        print("\npairs:")
        for p in T.PAIRS:
            print("  " + "+".join(p))
        return 0
    global CORPUS
    CORPUS = os.path.abspath(o.corpus or CORPUS)
    archscan = os.path.abspath(o.archscan)
    if not os.access(archscan, os.X_OK):
        print("archscan binary %s is not executable" % archscan)
        return 2
    if o.keep:
        o.keep = os.path.abspath(o.keep)
        os.makedirs(o.keep, exist_ok=True)

    singles = [t.name for t in T.ALL]
    if o.transforms:
        singles = [s for s in o.transforms.split(",") if s]
        for s in singles:
            if s not in T.BY_NAME:
                print("unknown transform %s" % s)
                return 2
    if o.no_pairs:
        pairs = []
    elif o.all_pairs:
        pairs = [(a, b) for a in singles for b in singles if a != b and not T.BY_NAME[a].structural]
    else:
        pairs = [p for p in T.PAIRS if all(x in singles for x in p)]
    cases = discover(CORPUS)
    if o.cases:
        cases = [c for c in cases if any(fnmatch.fnmatch("%s/%s" % c, f) or fnmatch.fnmatch(c[1], f) for f in o.cases)]

    t0 = time.time()
    tasks = build_tasks(cases, singles, pairs)
    if o.report_from:
        with open(o.report_from) as f:
            results = [json.loads(l) for l in f if l.strip()]
        return report(o, archscan, results, singles, pairs, time.time() - t0)
    if o.sample is not None:
        # deterministic sample of applicable variants (transforms are cheap; decide here)
        rnd = random.Random(o.seed)
        cand = [t for t in tasks if t[2]]
        rnd.shuffle(cand)
        chosen, cache = [], {}
        for sub, name, chain in cand:
            if len(chosen) >= o.sample:
                break
            key = (sub, name)
            if key not in cache:
                path = os.path.join(CORPUS, sub, name)
                cache[key] = mtcase.load_case(sub, name, path if os.path.isdir(path) else path + ".py")
            c = cache[key]
            if not c.labels:
                continue
            try:
                if T.apply_chain(c, chain) is None:
                    continue
            except Exception:
                pass
            chosen.append((sub, name, chain))
        tasks = chosen
    else:
        # baselines first, then a fixed shuffle so that a partial (--log) run is representative
        rest = [t for t in tasks if t[2]]
        random.Random(12345).shuffle(rest)
        tasks = [t for t in tasks if not t[2]] + rest
    if not o.quiet:
        print("%d cases, %d transforms, %d pairs -> %d tasks, %d jobs" % (
            len(cases), len(singles), len(pairs), len(tasks), o.jobs), flush=True)

    import multiprocessing as mp
    ctx = mp.get_context("fork")
    results = []
    if o.resume:
        if not o.log:
            print("--resume needs --log FILE")
            return 2
        if os.path.exists(o.log):
            with open(o.log) as f:
                results = [json.loads(l) for l in f if l.strip()]
        done = {(r["case"], r["transform"]) for r in results}
        tasks = [t for t in tasks if ("%s/%s" % (t[0], t[1]), "+".join(t[2]) if t[2] else "(original)") not in done]
        if not o.quiet:
            print("resuming: %d results in %s, %d tasks left" % (len(results), o.log, len(tasks)), flush=True)
    logf = open(o.log, "a") if o.log else None
    with ctx.Pool(max(1, o.jobs), initializer=worker_init, initargs=(archscan, o.n, o.keep)) as pool:
        for i, r in enumerate(pool.imap_unordered(run_task, tasks, chunksize=4)):
            results.append(r)
            if logf:
                logf.write(json.dumps(r, default=str) + "\n")
                logf.flush()
            if not o.quiet and (i + 1) % 200 == 0:
                print("  %d/%d done (%.0fs)" % (i + 1, len(tasks), time.time() - t0), flush=True)
    elapsed = time.time() - t0
    return report(o, archscan, results, singles, pairs, elapsed)


def report(o, archscan, results, singles, pairs, elapsed):
    order = ["(original)"] + singles + ["+".join(p) for p in pairs]
    rows = make_matrix(results)
    print()
    print("Metamorphic invariance of %s (cells: invariant/valid variants per expected label)" % archscan)
    print(format_matrix(rows, order))

    valid = [r for r in results if r.get("status") == "valid" and r["transform"] != "(original)"]
    inv = [r for r in valid if r["invariant"]]
    invalid = [r for r in results if r.get("status") == "invalid"]
    declined = [r for r in results if r.get("status") == "declined"]
    orig_bad = [r for r in results if r.get("status") == "original_invalid"]
    base = {r["case"]: r for r in results if r["transform"] == "(original)" and r.get("status") == "valid"}
    frac = len(inv) / len(valid) if valid else 0.0
    print()
    print("variants: %d valid, %d invalid (failed the runtime proof or the transform), %d declined" % (
        len(valid), len(invalid), len(declined)))
    print("invariant: %d/%d = %.1f%% of valid variants" % (len(inv), len(valid), 100.0 * frac))
    if orig_bad:
        print("cases whose ORIGINAL fails the runtime check (skipped): %s" % ", ".join(
            sorted({r["case"] for r in orig_bad})))
    base_miss = sorted(c for c, r in base.items() if not r["invariant"])
    if base_miss:
        print("cases whose ORIGINAL already misses its label: %s" % ", ".join(base_miss))

    bad = sorted([r for r in valid if not r["invariant"]], key=lambda r: (order.index(r["transform"])
                                                                          if r["transform"] in order else 999, r["case"]))
    print()
    print("Non-invariant variants (%d):" % len(bad))
    cur = None
    for r in bad:
        if r["transform"] != cur:
            cur = r["transform"]
            print("[%s]" % cur)
        exp = ", ".join(l for l, ok in sorted(r["per_label"].items()) if not ok)
        note = " (original also fails)" if r["case"] in base_miss else ""
        what = ("expected %s" % exp) if exp != "none" else "expected no warning/error"
        print("  %-48s %s; found: %s%s" % (r["case"], what, r.get("why") or r.get("found"), note))
    if o.keep:
        print("\nvariants kept under %s" % o.keep)
    if not o.quiet and invalid:
        print("\nInvalid variants (%d) by transform:" % len(invalid))
        byt = {}
        for r in invalid:
            byt.setdefault(r["transform"], []).append(r)
        for t in order:
            if t in byt:
                print("  %-40s %d  e.g. %s: %s" % (t, len(byt[t]), byt[t][0]["case"], byt[t][0].get("why", "")[:150]))
    print("\n%d tasks in %.1fs" % (len(results), elapsed))

    if o.json:
        with open(o.json, "w") as f:
            json.dump({"archscan": archscan, "seconds": elapsed, "invariant_fraction": frac,
                       "valid": len(valid), "invariant": len(inv), "invalid": len(invalid),
                       "declined": len(declined), "matrix": rows, "results": results}, f, indent=1, default=str)
    if o.min_invariant is not None and frac < o.min_invariant:
        print("FAIL: invariant fraction %.3f < %.3f" % (frac, o.min_invariant))
        return 1
    if not valid:
        print("FAIL: no valid variant")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
