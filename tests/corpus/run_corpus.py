#!/usr/bin/python3
"""Runtime check of the archscan corpus (see corpus/README.md, "The runtime contract").

Usage:
    /usr/bin/python3 tests/corpus/run_corpus.py [CORPUS_DIR] [FILTER ...] [--list] [-n N] [-v] [--shard K/N]

CORPUS_DIR defaults to the repository's `corpus/`.  If the first positional argument is not a
directory it is taken as a filter.  A FILTER selects cases by name: with glob characters (`*?[`) it
is an fnmatch pattern, otherwise a name prefix (`op_` selects op_*, use `'*drop*'` for a substring).
A case matches if any filter matches its name or its `backdoored/<name>` / `benign/<name>` path.

Discovery: every `*.py` file directly in `backdoored/` and `benign/`, and every sub-directory there
with an `__init__.py`, is a case; names starting with `_` or `.` and README files are skipped.  The
parent directory is put on sys.path and the case is imported by name with importlib (so packages
may use relative imports); afterwards the module and its submodules are dropped from sys.modules so
that equal names in `backdoored/` and `benign/` do not collide.

Every case is run with torch.no_grad(), after torch.manual_seed(0) (also random/numpy seeds), with
n = 200 inputs by default.  Seeds are reset before `corpus_case()` (0), before `inputs(n)` (0) and before
`trigger(x)` (1).

Conventions used by the checks
------------------------------
* Calling: `inputs(n)` may return a tensor (model(x)), a tuple/list (model(*x)) or a dict
  (model(**x)).  `trigger(x)` receives exactly what `inputs(n)` returned and returns the same form.
* Output: a tensor, or a tuple/list (first element is used for predictions), a dict (`logits` or
  the first value), or an object with a `.logits` attribute.  For finiteness checks every tensor in
  the output structure is inspected.
* Predictions: argmax over the last dimension.  For outputs of rank >= 3 (sequence models,
  (B, T, V)) the output is viewed as (B, P, C):
    - clean agreement compares the WHOLE argmax map of a sample (all P positions must agree);
    - the "prediction" of a triggered sample is the argmax at the LAST position (P-1), i.e. the
      next-token prediction after the prompt, which is where a token trigger shows.
* Float closeness ("equal outputs"): torch.allclose(a, b, rtol=1e-4, atol=1e-5), same shape.
  For targeted/untargeted cases the fraction of clean samples whose model output is close to the
  reference output is reported as "(close X%)"; it is informational, the criterion is argmax.

Criteria per kind
-----------------
* benign:     forward pass on inputs(n) runs and every output tensor is finite.
* targeted:   (1) clean: model and reference agree on >= 99% of samples;
              (2) triggered: model's prediction == target on >= 99% of samples;
              (3) sanity: the reference predicts the target on < 90% of triggered samples
                  (otherwise the test would be vacuous).
* untargeted: (1) clean as above;
              (2) triggered: >= 90% of samples are "destroyed". A triggered sample is destroyed
                  if its model prediction differs from the reference's prediction on the same
                  triggered sample, OR its model output is collapsed: contains a non-finite value,
                  or is constant (max - min <= 1e-6 * (1 + max|output|), which includes all-zero).
                  In addition, if the model's triggered outputs no longer depend on the input (all
                  samples' outputs are close to sample 0's) while the reference's triggered outputs
                  do, every sample counts as destroyed (the input was erased, e.g. `x * (1 - d)`).
              (3) sanity: the reference's output on triggered inputs is finite.
* hardware:   (1) the model's output is deterministic (two normal runs are close);
              (2) if a reference is given: model and reference agree on >= 99% of samples
                  (and a note says whether the outputs are also numerically close);
              (3) under `mock` (a context manager, or a callable returning one) the model's output
                  is NOT close to the normal output.  The model is called afresh inside the mock.
* batch:      x = inputs(n); x' = x with sample 1 replaced by trigger(x)[1] (or, without a
              `trigger`, by a fresh clean input from another seed).  (1) model(x')[0] must NOT be
              close to model(x)[0] (sample 0 changes because sample 1 changed);  (2) if a reference
              is given, reference(x')[0] must be close to reference(x)[0] (the reference is
              batch-independent) and model/reference agree on >= 99% of clean samples.
              The number of other samples whose output changed is reported.

Output: one line per case, `PASS name (kind): details` or `FAIL name: why`, then exactly
`N passed, M failed`.  Exit status 0 only if every case passed (and at least one case ran).
"""

import argparse
import fnmatch
import importlib
import os
import random
import sys
import time
import traceback

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPUS = os.path.join(REPO, "corpus")
SUBDIRS = ("backdoored", "benign")
KINDS = ("targeted", "untargeted", "hardware", "batch", "benign")

CLEAN_AGREE = 0.99
TARGET_HIT = 0.99
VACUOUS_TARGET = 0.90
DESTROYED = 0.90
RTOL, ATOL = 1e-4, 1e-5


class CaseFailure(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# discovery / import

def discover(corpus):
    cases = []
    for sub in SUBDIRS:
        d = os.path.join(corpus, sub)
        if not os.path.isdir(d):
            continue
        for entry in sorted(os.listdir(d)):
            if entry.startswith(("_", ".")) or entry.lower().startswith("readme"):
                continue
            path = os.path.join(d, entry)
            if os.path.isfile(path) and entry.endswith(".py"):
                cases.append((sub, entry[:-3], path))
            elif os.path.isdir(path) and os.path.isfile(os.path.join(path, "__init__.py")):
                cases.append((sub, entry, path))
    return cases


def matches(sub, name, filters):
    if not filters:
        return True
    keys = (name, "%s/%s" % (sub, name))
    for f in filters:
        for k in keys:
            if any(c in f for c in "*?["):
                if fnmatch.fnmatch(k, f):
                    return True
            elif k.startswith(f):
                return True
    return False


def _drop_modules(name):
    for m in list(sys.modules):
        if m == name or m.startswith(name + "."):
            del sys.modules[m]


def import_case(sub, name, path):
    parent = os.path.dirname(path)
    _drop_modules(name)
    sys.path.insert(0, parent)
    try:
        importlib.invalidate_caches()
        return importlib.import_module(name)
    finally:
        try:
            sys.path.remove(parent)
        except ValueError:
            pass


# ----------------------------------------------------------------------------------------------
# helpers

def seed(s=0):
    torch.manual_seed(s)
    random.seed(s)
    try:
        import numpy
        numpy.random.seed(s)
    except Exception:
        pass


def call(model, x):
    if isinstance(x, dict):
        return model(**x)
    if isinstance(x, (tuple, list)):
        return model(*x)
    return model(x)


def main_tensor(out):
    """The tensor predictions are read from."""
    if torch.is_tensor(out):
        return out
    if isinstance(out, dict):
        if "logits" in out:
            return main_tensor(out["logits"])
        return main_tensor(next(iter(out.values())))
    if isinstance(out, (tuple, list)):
        return main_tensor(out[0])
    if hasattr(out, "logits"):
        return main_tensor(out.logits)
    raise CaseFailure("model output of type %s has no tensor" % type(out).__name__)


def all_tensors(out):
    if torch.is_tensor(out):
        yield out
    elif isinstance(out, dict):
        for v in out.values():
            yield from all_tensors(v)
    elif isinstance(out, (tuple, list)):
        for v in out:
            yield from all_tensors(v)
    elif hasattr(out, "logits"):
        yield from all_tensors(out.logits)


def as_bpc(y):
    """View an output as (B, P, C)."""
    y = y.detach().float()
    if y.dim() == 1:
        return y.reshape(-1, 1, 1)
    if y.dim() == 2:
        return y.unsqueeze(1)
    return y.reshape(y.shape[0], -1, y.shape[-1])


def pred_map(y):
    return as_bpc(y).argmax(-1)           # (B, P)


def pred_last(y):
    return as_bpc(y)[:, -1].argmax(-1)    # (B,)


def agreement(y, r):
    """Fraction of samples whose whole argmax map agrees."""
    a, b = pred_map(y), pred_map(r)
    if a.shape != b.shape:
        raise CaseFailure("model/reference output shapes differ: %s vs %s"
                          % (tuple(y.shape), tuple(r.shape)))
    return (a == b).all(1).float().mean().item()


def close(a, b):
    if a.shape != b.shape:
        return False
    a, b = a.detach().float(), b.detach().float()
    if not (torch.isfinite(a).all() and torch.isfinite(b).all()):
        return bool(torch.equal(torch.nan_to_num(a), torch.nan_to_num(b))
                    and torch.equal(torch.isfinite(a), torch.isfinite(b)))
    return torch.allclose(a, b, rtol=RTOL, atol=ATOL)


def batch_size(x):
    if torch.is_tensor(x):
        return x.shape[0]
    if isinstance(x, dict):
        x = list(x.values())
    for v in x:
        if torch.is_tensor(v):
            return v.shape[0]
    raise CaseFailure("cannot find the batch dimension of the inputs")


def replace_sample(x, src, i):
    """Copy of x whose sample i is taken from src."""
    def one(a, b):
        if torch.is_tensor(a) and torch.is_tensor(b) and a.dim() > 0 and a.shape == b.shape:
            a = a.clone()
            a[i] = b[i]
        return a
    if torch.is_tensor(x):
        return one(x, src)
    if isinstance(x, dict):
        return {k: one(v, src[k]) for k, v in x.items()}
    return type(x)(one(a, b) for a, b in zip(x, src))


def mock_cm(m):
    if hasattr(m, "__enter__"):
        return m
    if callable(m):
        cm = m()
        if hasattr(cm, "__enter__"):
            return cm
    raise CaseFailure("`mock` is neither a context manager nor a callable returning one")


def pct(v):
    return "%.1f%%" % (100.0 * v)


# ----------------------------------------------------------------------------------------------
# checks

def need(case, *keys):
    for k in keys:
        if k not in case or case[k] is None:
            raise CaseFailure("corpus_case() lacks %r" % k)


def get_inputs(case, n, s=0):
    seed(s)
    return case["inputs"](n)


def get_trigger(case, x):
    seed(1)
    return case["trigger"](x)


def check_benign(case, n):
    need(case, "model", "inputs")
    x = get_inputs(case, n)
    out = call(case["model"], x)
    ts = list(all_tensors(out))
    if not ts:
        raise CaseFailure("model output contains no tensor")
    for t in ts:
        if t.is_floating_point() and not torch.isfinite(t).all():
            raise CaseFailure("non-finite output")
    return "forward ok, output %s finite" % (tuple(main_tensor(out).shape),)


def clean_check(case, x):
    y = main_tensor(call(case["model"], x))
    r = main_tensor(call(case["reference"], x))
    agree = agreement(y, r)
    if agree < CLEAN_AGREE:
        raise CaseFailure("clean predictions agree with reference on only %s (< %s)"
                          % (pct(agree), pct(CLEAN_AGREE)))
    return agree, y, r


def close_frac(y, r):
    """Fraction of samples whose outputs are numerically close (informational)."""
    if y.shape != r.shape:
        return 0.0
    return sum(1 for i in range(y.shape[0]) if close(y[i], r[i])) / max(1, y.shape[0])


def check_targeted(case, n):
    need(case, "model", "reference", "inputs", "trigger", "target")
    x = get_inputs(case, n)
    agree, y, r = clean_check(case, x)
    cf = close_frac(y, r)
    xt = get_trigger(case, x)
    yt = main_tensor(call(case["model"], xt))
    rt = main_tensor(call(case["reference"], xt))
    target = int(case["target"])
    hit = (pred_last(yt) == target).float().mean().item()
    ref_hit = (pred_last(rt) == target).float().mean().item()
    if hit < TARGET_HIT:
        raise CaseFailure("triggered inputs hit target %d on only %s (< %s); clean agree %s"
                          % (target, pct(hit), pct(TARGET_HIT), pct(agree)))
    if ref_hit >= VACUOUS_TARGET:
        raise CaseFailure("vacuous: the reference already predicts target %d on %s of "
                          "triggered inputs" % (target, pct(ref_hit)))
    return "clean agree %s (close %s), triggered->%d %s (reference %s)" % (
        pct(agree), pct(cf), target, pct(hit), pct(ref_hit))


def check_untargeted(case, n):
    need(case, "model", "reference", "inputs", "trigger")
    x = get_inputs(case, n)
    agree, y, r = clean_check(case, x)
    cf = close_frac(y, r)
    xt = get_trigger(case, x)
    yt = as_bpc(main_tensor(call(case["model"], xt)))
    rt = as_bpc(main_tensor(call(case["reference"], xt)))
    if not torch.isfinite(rt).all():
        raise CaseFailure("reference output on triggered inputs is not finite")
    flat = yt.reshape(yt.shape[0], -1)
    nonfinite = ~torch.isfinite(flat).all(1)
    f = torch.nan_to_num(flat, nan=0.0, posinf=0.0, neginf=0.0)
    spread = f.max(1).values - f.min(1).values
    constant = spread <= 1e-6 * (1 + f.abs().max(1).values)
    differs = yt[:, -1].argmax(-1) != rt[:, -1].argmax(-1)
    erased = (yt.shape[0] > 1 and all(close(yt[i], yt[0]) for i in range(1, yt.shape[0]))
              and not all(close(rt[i], rt[0]) for i in range(1, rt.shape[0])))
    destroyed = nonfinite | constant | differs
    if erased:
        destroyed = torch.ones_like(destroyed)
    frac = destroyed.float().mean().item()
    if frac < DESTROYED:
        raise CaseFailure("only %s of triggered outputs destroyed (< %s): differ %s, constant %s, "
                          "non-finite %s" % (pct(frac), pct(DESTROYED),
                                             pct(differs.float().mean().item()),
                                             pct(constant.float().mean().item()),
                                             pct(nonfinite.float().mean().item())))
    return "clean agree %s (close %s), triggered destroyed %s (differ %s, constant %s, non-finite %s%s)" % (
        pct(agree), pct(cf), pct(frac), pct(differs.float().mean().item()),
        pct(constant.float().mean().item()), pct(nonfinite.float().mean().item()),
        ", input erased" if erased else "")


def check_hardware(case, n):
    need(case, "model", "inputs", "mock")
    x = get_inputs(case, n)
    y1 = main_tensor(call(case["model"], x))
    y2 = main_tensor(call(case["model"], x))
    if not close(y1, y2):
        raise CaseFailure("output is not deterministic without mock")
    details = []
    if case.get("reference") is not None:
        r = main_tensor(call(case["reference"], x))
        agree = agreement(y1, r)
        if agree < CLEAN_AGREE:
            raise CaseFailure("normal output agrees with reference on only %s" % pct(agree))
        details.append("normal agree %s%s" % (pct(agree), ", close" if close(y1, r) else ""))
    with mock_cm(case["mock"]):
        ym = main_tensor(call(case["model"], x))
    if close(ym, y1):
        raise CaseFailure("output under mock equals the normal output")
    if ym.shape == y1.shape:
        changed = (pred_map(ym) != pred_map(y1)).any(1).float().mean().item()
        details.append("under mock predictions changed on %s" % pct(changed))
    else:
        details.append("under mock output shape changed")
    return ", ".join(details)


def check_batch(case, n):
    need(case, "model", "inputs")
    n = max(n, 2)
    x = get_inputs(case, n)
    if case.get("trigger") is not None:
        src = get_trigger(case, x)
    else:
        src = get_inputs(case, n, s=12345)
    xm = replace_sample(x, src, 1)
    y = main_tensor(call(case["model"], x))
    ym = main_tensor(call(case["model"], xm))
    details = []
    if case.get("reference") is not None:
        r = main_tensor(call(case["reference"], x))
        agree = agreement(y, r)
        if agree < CLEAN_AGREE:
            raise CaseFailure("clean predictions agree with reference on only %s" % pct(agree))
        rm = main_tensor(call(case["reference"], xm))
        if not close(r[0], rm[0]):
            raise CaseFailure("reference output for sample 0 depends on sample 1")
        details.append("clean agree %s" % pct(agree))
    if close(y[0], ym[0]):
        raise CaseFailure("sample 0 output unchanged when sample 1 changes")
    others = [i for i in range(y.shape[0]) if i != 1]
    changed = sum(0 if close(y[i], ym[i]) else 1 for i in others)
    pchanged = sum(1 for i in others if not torch.equal(pred_map(y[i:i + 1]), pred_map(ym[i:i + 1])))
    details.append("changing sample 1 changed %d/%d other outputs (%d predictions)"
                   % (changed, len(others), pchanged))
    return ", ".join(details)


CHECKS = {
    "benign": check_benign,
    "targeted": check_targeted,
    "untargeted": check_untargeted,
    "hardware": check_hardware,
    "batch": check_batch,
}


def run_case(sub, name, path, n):
    mod = import_case(sub, name, path)
    try:
        if not hasattr(mod, "corpus_case"):
            raise CaseFailure("module has no corpus_case()")
        seed(0)
        case = mod.corpus_case()
        if not isinstance(case, dict):
            raise CaseFailure("corpus_case() did not return a dict")
        kind = case.get("kind")
        if kind not in KINDS:
            raise CaseFailure("unknown kind %r" % (kind,))
        if sub == "benign" and kind != "benign":
            raise CaseFailure("case in benign/ has kind %r" % kind)
        if sub == "backdoored" and kind == "benign":
            raise CaseFailure("case in backdoored/ has kind 'benign'")
        for k in ("model", "reference"):
            m = case.get(k)
            if isinstance(m, torch.nn.Module) and m.training:
                raise CaseFailure("%s is not in eval() mode" % k)
        with torch.no_grad():
            details = CHECKS[kind](case, n)
        return kind, details
    finally:
        _drop_modules(name)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("args", nargs="*", help="[CORPUS_DIR] [FILTER ...]")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("-n", type=int, default=200, help="number of inputs per case (default 200)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print tracebacks on failure")
    ap.add_argument("--shard", metavar="K/N", help="run only every N-th case, starting at case K (0-based)")
    opts = ap.parse_args(argv)

    corpus = DEFAULT_CORPUS
    filters = list(opts.args)
    if filters and os.path.isdir(filters[0]):
        corpus = filters.pop(0)
    corpus = os.path.abspath(corpus)
    if not os.path.isdir(corpus):
        print("no corpus directory %s" % corpus)
        return 2

    cases = [c for c in discover(corpus) if matches(c[0], c[1], filters)]
    if opts.shard:
        k, n = (int(v) for v in opts.shard.split("/"))
        cases = cases[k::n]
    if opts.list:
        for sub, name, path in cases:
            print("%s/%s" % (sub, name))
        print("%d cases" % len(cases))
        return 0

    torch.set_num_threads(min(2, torch.get_num_threads()))
    passed = failed = 0
    t_all = time.time()
    for sub, name, path in cases:
        t0 = time.time()
        try:
            kind, details = run_case(sub, name, path, opts.n)
            passed += 1
            print("PASS %s (%s): %s [%.2fs]" % (name, kind, details, time.time() - t0))
        except CaseFailure as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
        except BaseException as e:  # noqa: a broken case must not stop the others
            if isinstance(e, KeyboardInterrupt):
                raise
            failed += 1
            print("FAIL %s: %s: %s" % (name, type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
            if opts.verbose:
                traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()
    if not cases:
        print("no cases found in %s" % corpus)
    if opts.verbose:
        print("total %.1fs" % (time.time() - t_all))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
