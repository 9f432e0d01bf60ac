"""Semantics-preserving source transformations (pure `ast`, Python 3.11 standard library only).

Every transform is a class with a `name` and `apply(case) -> Case | None`.  `apply` works on a copy
and returns None when it declines (nothing to rewrite in this case).  Whether a rewrite really
preserved behaviour is not trusted here: the harness proves it at run time for every variant.

To add a transform: subclass `Transform` (whole-case / structural rewrites, override `apply`),
`FileTransform` (one `ast.Module` at a time, override `rewrite_module(tree, case) -> bool`) or
`ExprTransform` (bottom-up expression rewriting inside the model code, override
`rewrite(node, ctx) -> node | None`), then add it to `ALL`.
"""

import ast
import builtins
import copy
import keyword

# ----------------------------------------------------------------------------------------------
# helpers

ENTRY = "corpus_case"


def model_roots(tree):
    """Top-level defs/classes that are model code (everything except the corpus entry point)."""
    return [n for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name != ENTRY]


def import_aliases(tree):
    """local name -> dotted module/object path, from the module's imports."""
    m = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            for a in n.names:
                if a.asname:
                    m[a.asname] = a.name
                else:
                    m[a.name.split(".")[0]] = a.name.split(".")[0]
        elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module:
            for a in n.names:
                m[a.asname or a.name] = n.module + "." + a.name
    return m


def dotted(node, aliases):
    """Resolve `F.relu` -> 'torch.nn.functional.relu' (None if not rooted at an import)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in aliases:
        return ".".join([aliases[node.id]] + parts[::-1])
    return None


def all_identifiers(trees):
    ids = set()
    for t in trees:
        for n in ast.walk(t):
            if isinstance(n, ast.Name):
                ids.add(n.id)
            elif isinstance(n, ast.Attribute):
                ids.add(n.attr)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                ids.add(n.name)
            elif isinstance(n, ast.arg):
                ids.add(n.arg)
            elif isinstance(n, ast.alias):
                ids.add((n.asname or n.name).split(".")[0])
    return ids


def insert_pos(tree):
    """Index after the docstring and `from __future__` imports."""
    i = 0
    if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(getattr(tree.body[0], "value", None), ast.Constant) \
            and isinstance(tree.body[0].value.value, str):
        i = 1
    while i < len(tree.body) and isinstance(tree.body[i], ast.ImportFrom) and tree.body[i].module == "__future__":
        i += 1
    return i


def after_imports_pos(tree):
    i = insert_pos(tree)
    last = i
    for j, n in enumerate(tree.body):
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            last = j + 1
    return max(i, last)


def ensure_import(tree, module, prefer=None):
    """Return a local name bound to `module`, adding `import module [as x]` if needed."""
    al = import_aliases(tree)
    for k, v in al.items():
        if v == module:
            return k
    ids = all_identifiers([tree])
    name = prefer or module.split(".")[-1]
    base, k = name, 1
    while name in ids:
        name = "%s_%d" % (base, k)
        k += 1
    if "." not in module and name == module:
        stmt = ast.Import(names=[ast.alias(name=module)])
    else:
        stmt = ast.Import(names=[ast.alias(name=module, asname=name)])
    tree.body.insert(insert_pos(tree), stmt)
    return name


def fresh(ids, base):
    name, k = base, 1
    while name in ids or keyword.iskeyword(name):
        name = "%s%d" % (base, k)
        k += 1
    ids.add(name)
    return name


def attr_chain(mod, path):
    """ast for `mod.a.b` from 'a.b'."""
    node = ast.Name(id=mod, ctx=ast.Load())
    for p in path.split("."):
        if p:
            node = ast.Attribute(value=node, attr=p, ctx=ast.Load())
    return node


def contains(node, pred):
    return any(pred(n) for n in ast.walk(node))


def uses_super(node):
    return contains(node, lambda n: (isinstance(n, ast.Name) and n.id in ("super", "__class__")))


def unsafe_expr(node):
    return contains(node, lambda n: isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr)))


def function_locals(fn):
    """Parameters and names assigned directly in fn (not in nested defs/lambdas/comprehensions)."""
    names = set()
    a = fn.args
    for arg in a.posonlyargs + a.args + a.kwonlyargs:
        names.add(arg.arg)
    if a.vararg:
        names.add(a.vararg.arg)
    if a.kwarg:
        names.add(a.kwarg.arg)

    def walk(n):
        for c in ast.iter_child_nodes(n):
            if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(c.name)
                continue
            if isinstance(c, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue
            if isinstance(c, ast.Name) and isinstance(c.ctx, (ast.Store, ast.Del)):
                names.add(c.id)
            if isinstance(c, ast.alias):
                names.add((c.asname or c.name).split(".")[0])
            walk(c)
    for s in fn.body:
        walk(s)
    return names


def free_loads_in_order(expr, local_names):
    seen = []
    for n in ast.walk(expr):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in local_names and n.id not in seen:
            seen.append(n.id)
    return seen


def self_name(fn):
    a = fn.args.posonlyargs + fn.args.args
    return a[0].arg if a else None


def is_plain_method(fn):
    return not any(isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod") for d in fn.decorator_list) \
        and self_name(fn) is not None


class Transform:
    name = "?"
    doc = ""
    structural = False    # turns the case into a package / moves code between files
    # Concealment rules whose whole point is to report what this rewrite adds (look-alike names,
    # monkey-patching): their findings on a variant are expected, not a change of verdict.
    introduces = ()

    def apply(self, case):
        raise NotImplementedError


class FileTransform(Transform):
    def apply(self, case):
        c = case.copy()
        changed = False
        for p in sorted(c.files):
            if self.rewrite_module(c.files[p], c):
                changed = True
        return c if changed else None

    def rewrite_module(self, tree, case):
        raise NotImplementedError


class _ExprRewriter(ast.NodeTransformer):
    def __init__(self, t, ctx):
        self.t, self.ctx, self.count = t, ctx, 0
        self.fn_stack = []

    def visit_JoinedStr(self, node):
        return node

    def _visit_fn(self, node):
        self.fn_stack.append(node)
        node = self.generic_visit(node)
        self.fn_stack.pop()
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_fn

    def generic_visit(self, node):
        node = super().generic_visit(node)
        if isinstance(node, ast.expr) and self.fn_stack and self.t.in_scope(self.fn_stack[-1]):
            new = self.t.rewrite(node, self)
            if new is not None:
                self.count += 1
                return ast.copy_location(new, node)
        return node


class ExprTransform(FileTransform):
    """Rewrites expressions bottom-up inside the functions of the model code."""

    def in_scope(self, fn):
        return True

    def rewrite_module(self, tree, case):
        self.aliases = import_aliases(tree)
        self.tree = tree
        self.prepare(tree)
        rw = _ExprRewriter(self, None)
        for root in model_roots(tree):
            rw.visit(root)
        if rw.count:
            self.finish(tree)
        return rw.count > 0

    def prepare(self, tree):
        pass

    def finish(self, tree):
        pass

    def rewrite(self, node, rw):
        return None


def torch_call(node, aliases):
    """For a call to a torch.* function return its dotted name."""
    if isinstance(node, ast.Call):
        d = dotted(node.func, aliases)
        if d and d.startswith("torch"):
            return d
    return None


# ----------------------------------------------------------------------------------------------
# 1, 2: consistent renaming

_BLOCK = None


def blocked_names():
    """Names that must never be renamed: builtins, keywords, library attribute names."""
    global _BLOCK
    if _BLOCK is not None:
        return _BLOCK
    s = set(dir(builtins)) | set(keyword.kwlist) | {"self", "cls", ENTRY, "forward"}
    for t in (dict, list, tuple, set, str, int, float, bytes, object, type):
        s |= set(dir(t))
    try:
        import torch
        import torch.nn as nn
        s |= set(dir(torch.Tensor)) | set(dir(nn.Module)) | set(dir(torch))
        insts = [nn.Linear(2, 2), nn.Conv1d(2, 2, 1), nn.Conv2d(2, 2, 1), nn.ConvTranspose2d(2, 2, 1),
                 nn.BatchNorm1d(2), nn.BatchNorm2d(2), nn.LayerNorm(2), nn.GroupNorm(1, 2), nn.Embedding(2, 2),
                 nn.LSTM(2, 2), nn.GRU(2, 2), nn.MultiheadAttention(2, 1), nn.MaxPool2d(2), nn.AvgPool2d(2),
                 nn.Dropout(), nn.GELU(), nn.ReLU(), nn.Sequential(), nn.ModuleList(), nn.ModuleDict(),
                 nn.TransformerEncoderLayer(2, 1), nn.Flatten(), nn.Upsample(scale_factor=2), nn.PixelShuffle(2),
                 nn.AdaptiveAvgPool2d(1), nn.Softmax(-1), nn.Identity(), nn.LeakyReLU(), nn.Hardswish()]
        for m in insts:
            s |= set(dir(m)) | set(vars(m))
        s |= set(dir(torch.Generator())) | set(dir(torch.finfo())) | set(dir(torch.Size()))
        s |= set(dir(torch.nn.functional))
    except Exception:
        pass
    _BLOCK = s
    return s


class _Renamer(ast.NodeTransformer):
    def __init__(self, mapping):
        self.m = mapping

    def visit_Name(self, n):
        if n.id in self.m:
            n.id = self.m[n.id]
        return n

    def visit_Attribute(self, n):
        self.generic_visit(n)
        if n.attr in self.m:
            n.attr = self.m[n.attr]
        return n

    def visit_arg(self, n):
        self.generic_visit(n)
        if n.arg in self.m:
            n.arg = self.m[n.arg]
        return n

    def visit_keyword(self, n):
        self.generic_visit(n)
        if n.arg in self.m:
            n.arg = self.m[n.arg]
        return n

    def _def(self, n):
        self.generic_visit(n)
        if n.name in self.m:
            n.name = self.m[n.name]
        return n

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _def

    def visit_Global(self, n):
        n.names = [self.m.get(x, x) for x in n.names]
        return n

    visit_Nonlocal = visit_Global

    def visit_ImportFrom(self, n):
        if n.level > 0:
            for a in n.names:
                if a.name in self.m:
                    if a.asname is None:
                        a.name = self.m[a.name]
                    else:
                        a.name = self.m[a.name]
                if a.asname in self.m:
                    a.asname = self.m[a.asname]
        return n


class RenameBase(Transform):
    def candidates(self, case):
        trees = list(case.files.values())
        block = blocked_names()
        defined, kinds = set(), {}
        strings, imported, ext_kw = set(), set(), set()
        local_callables = set()
        for t in trees:
            for n in ast.walk(t):
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    local_callables.add(n.name)
        import re
        for t in trees:
            al = import_aliases(t)
            for n in ast.walk(t):
                if isinstance(n, ast.Attribute) and dotted(n, al):
                    imported.add(n.attr)      # a library attribute (nn.LayerNorm), even if also used locally
                if isinstance(n, ast.Constant) and isinstance(n.value, str):
                    strings |= set(re.findall(r"[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*", n.value))
                elif isinstance(n, ast.Import):
                    for a in n.names:
                        imported.add((a.asname or a.name).split(".")[0])
                elif isinstance(n, ast.ImportFrom):
                    for a in n.names:
                        if n.level == 0:
                            imported.add(a.asname or a.name)
                            imported.add(a.name)
                elif isinstance(n, ast.Call):
                    f = n.func
                    local = (isinstance(f, ast.Name) and f.id in local_callables) or \
                            (isinstance(f, ast.Attribute) and f.attr in local_callables)
                    if not local:
                        ext_kw |= {k.arg for k in n.keywords if k.arg}
                if isinstance(n, ast.ClassDef):
                    defined.add(n.name)
                    kinds[n.name] = "class"
                elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    defined.add(n.name)
                    kinds.setdefault(n.name, "func")
                elif isinstance(n, ast.arg):
                    defined.add(n.arg)
                elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    defined.add(n.id)
                elif isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store):
                    defined.add(n.attr)
        # module names of the package itself (relative imports name them)
        modnames = {p.rsplit("/", 1)[-1][:-3] for p in case.files} | {case.name}
        cand = sorted(x for x in defined
                      if x not in block and x not in strings and x not in imported and x not in ext_kw
                      and x not in modnames and not (x.startswith("__") and x.endswith("__")))
        return cand, kinds

    def apply(self, case):
        c = case.copy()
        cand, kinds = self.candidates(c)
        ids = all_identifiers(c.files.values())
        mapping = {}
        for x in cand:
            new = self.new_name(x, kinds.get(x, "var"), ids)
            if new and new != x:
                ids.add(new)
                mapping[x] = new
        if not mapping:
            return None
        r = _Renamer(mapping)
        for t in c.files.values():
            r.visit(t)
        return c


class RenameNeutral(RenameBase):
    name = "rename_neutral"
    doc = "rename every local variable, parameter, attribute, function and class consistently to fresh neutral names"

    def __init__(self):
        self.counter = {}

    def new_name(self, x, kind, ids):
        base = {"class": "Block", "func": "fn_"}.get(kind, "v")
        if kind == "var" and x.startswith("_"):
            base = "_v"
        return fresh(ids, base + "%d" % len(ids))


HOMO = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "o": "\u043e", "p": "\u0440", "x": "\u0445", "y": "\u0443",
        "A": "\u0410", "B": "\u0412", "C": "\u0421", "E": "\u0415", "H": "\u041d", "K": "\u041a", "M": "\u041c",
        "O": "\u041e", "P": "\u0420", "T": "\u0422", "X": "\u0425"}


class RenameCyrillic(RenameBase):
    name = "rename_cyrillic"
    introduces = ("CN001",)
    doc = "rename identifiers to look-alikes by swapping one Latin letter for its Cyrillic homoglyph"

    def new_name(self, x, kind, ids):
        for i, ch in enumerate(x):
            if ch in HOMO:
                new = x[:i] + HOMO[ch] + x[i + 1:]
                if new not in ids:
                    return new
        return None


# ----------------------------------------------------------------------------------------------
# 3, 4: move code between files (single-file cases -> package cases)

def names_loaded(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def defined_by(stmt):
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        out = set()
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    out.add(n.id)
                elif not isinstance(n, (ast.Tuple, ast.List, ast.Store, ast.Starred)):
                    return None
        return out
    return None


class SplitBase(Transform):
    structural = True

    def pick(self, case, tree, movable):
        raise NotImplementedError

    def layout(self, case):
        raise NotImplementedError   # -> (module file relpath, import-from module string, extra files)

    def apply(self, case):
        if case.is_package:
            return None
        c = case.copy()
        rel = c.name + ".py"
        tree = c.files[rel]
        if contains(tree, lambda n: isinstance(n, ast.Global)) or \
                contains(tree, lambda n: isinstance(n, ast.Name) and n.id in ("__name__", "__file__", "globals")):
            return None
        imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
        doc = tree.body[:insert_pos(tree)]
        movable, defs = {}, {}
        for i, s in enumerate(tree.body):
            if s in imports or s in doc:
                continue
            d = defined_by(s)
            if d is not None:
                movable[i] = d
                for x in d:
                    defs.setdefault(x, set()).add(i)
        seeds = self.pick(c, tree, movable)
        if not seeds:
            return None
        closure, todo = set(), list(seeds)
        while todo:
            i = todo.pop()
            if i in closure:
                continue
            if i not in movable:
                return None
            closure.add(i)
            for x in names_loaded(tree.body[i]):
                for j in defs.get(x, ()):
                    if j not in closure:
                        todo.append(j)
        # every non-movable statement must not be needed by the moved code, and names defined in
        # the moved part must not be re-bound by the remaining part
        moved_names = set().union(*(movable[i] for i in closure))
        for j, s in enumerate(tree.body):
            if j in closure or s in imports or s in doc:
                continue
            d = defined_by(s) or set()
            if d & moved_names:
                return None
        if all(i in closure for i in movable):
            pass
        modfile, modimport, extra = self.layout(c)
        moved = [copy.deepcopy(tree.body[i]) for i in sorted(closure)]
        mod = ast.Module(body=[copy.deepcopy(s) for s in doc] + [copy.deepcopy(s) for s in imports] + moved,
                         type_ignores=[])
        names = sorted(moved_names)
        rest = [s for j, s in enumerate(tree.body) if j not in closure]
        init = ast.Module(body=rest, type_ignores=[])
        imp = ast.ImportFrom(module=modimport, names=[ast.alias(name=x) for x in names], level=1)
        init.body.insert(after_imports_pos(init), imp)
        c.files = {c.name + "/__init__.py": init, c.name + "/" + modfile: mod}
        for p in extra:
            c.files[c.name + "/" + p] = ast.Module(body=[], type_ignores=[])
        return c


def enclosing_top(tree, line):
    for i, s in enumerate(tree.body):
        if getattr(s, "lineno", None) and s.lineno <= line <= (s.end_lineno or s.lineno):
            return i
    return None


def first_model_class(tree):
    for i, s in enumerate(tree.body):
        if isinstance(s, ast.ClassDef) and any(isinstance(b, ast.FunctionDef) and b.name == "forward" for b in s.body):
            return i
    return None


class HelperPackage(SplitBase):
    name = "helper_pkg"
    doc = ("move the def/class holding the integration point (benign: the first module class), with what "
           "it needs, into helpers/ops.py of a new package imported relatively")

    def pick(self, case, tree, movable):
        lines = case.label_lines.get(case.name + ".py", [])
        seeds = {enclosing_top(tree, ln) for ln in lines} - {None}
        if not seeds and case.sub == "benign":
            i = first_model_class(tree)
            seeds = {i} if i is not None else set()
        if any(tree.body[i].__class__.__name__ in ("FunctionDef",) and tree.body[i].name == ENTRY for i in seeds):
            return set()
        return seeds

    def layout(self, case):
        return "helpers/ops.py", "helpers.ops", ["helpers/__init__.py"]


class SplitFile(SplitBase):
    name = "split_file"
    doc = "split the file in two: all model code in model.py, the entry point in __init__.py"

    def pick(self, case, tree, movable):
        return {i for i in movable if not (isinstance(tree.body[i], ast.FunctionDef) and tree.body[i].name == ENTRY)
                and isinstance(tree.body[i], (ast.FunctionDef, ast.ClassDef))}

    def layout(self, case):
        return "model.py", "model", []


# ----------------------------------------------------------------------------------------------
# 5: lambda wrapping

class LambdaWrap(FileTransform):
    name = "lambda_wrap"
    doc = "wrap every returned computation in an immediately called lambda over its local inputs"

    def rewrite_module(self, tree, case):
        count = 0
        for root in model_roots(tree):
            for fn in ast.walk(root):
                if not isinstance(fn, ast.FunctionDef):
                    continue
                loc = function_locals(fn)
                for st in ast.walk(fn):
                    if isinstance(st, ast.Return) and isinstance(st.value, (ast.Call, ast.BinOp, ast.Tuple, ast.Compare)) \
                            and not uses_super(st.value) and not unsafe_expr(st.value) \
                            and self._owner(fn, st):
                        params = free_loads_in_order(st.value, loc)
                        lam = ast.Lambda(args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=p) for p in params],
                                                            kwonlyargs=[], kw_defaults=[], defaults=[]),
                                         body=st.value)
                        st.value = ast.Call(func=lam, args=[ast.Name(id=p, ctx=ast.Load()) for p in params], keywords=[])
                        count += 1
        return count > 0

    @staticmethod
    def _owner(fn, st):
        """st belongs to fn itself, not to a nested def."""
        def find(n):
            for c in ast.iter_child_nodes(n):
                if c is st:
                    return True
                if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    continue
                if find(c):
                    return True
            return False
        return find(fn)


# ----------------------------------------------------------------------------------------------
# 6: functools.partial

class PartialWrap(ExprTransform):
    name = "partial_wrap"
    doc = "call torch functions through functools.partial objects binding part of the arguments"

    def in_scope(self, fn):
        return fn.name != "__init__"

    def prepare(self, tree):
        self.ft = None

    def rewrite(self, node, rw):
        d = torch_call(node, self.aliases)
        if not d or not node.args or any(isinstance(a, ast.Starred) for a in node.args) \
                or any(k.arg is None for k in node.keywords):
            return None
        if d.rsplit(".", 1)[-1][:1].isupper() or d.endswith(("no_grad", "tensor", "device")):
            return None
        if self.ft is None:
            self.ft = ensure_import(self.tree, "functools")
        part = ast.Attribute(value=ast.Name(id=self.ft, ctx=ast.Load()), attr="partial", ctx=ast.Load())
        if len(node.args) >= 2:
            p = ast.Call(func=part, args=[node.func, node.args[0]], keywords=[])
            return ast.Call(func=p, args=node.args[1:], keywords=node.keywords)
        p = ast.Call(func=part, args=[node.func], keywords=node.keywords)
        return ast.Call(func=p, args=node.args, keywords=[])


# ----------------------------------------------------------------------------------------------
# 7: module form <-> functional form

class ModuleForm(ExprTransform):
    name = "module_form"
    doc = "functional activations/pools as inline module instances (F.relu(x) -> nn.ReLU()(x), torch.relu -> F.relu)"

    UNARY = {"torch.nn.functional.relu": "ReLU", "torch.sigmoid": "Sigmoid", "torch.nn.functional.sigmoid": "Sigmoid",
             "torch.tanh": "Tanh", "torch.nn.functional.tanh": "Tanh", "torch.nn.functional.gelu": "GELU",
             "torch.nn.functional.silu": "SiLU", "torch.nn.functional.relu6": "ReLU6",
             "torch.nn.functional.hardswish": "Hardswish", "torch.nn.functional.softplus": "Softplus"}
    POOL = {"torch.nn.functional.avg_pool1d": ("AvgPool1d", 9), "torch.nn.functional.avg_pool2d": ("AvgPool2d", 9),
            "torch.nn.functional.max_pool1d": ("MaxPool1d", 4), "torch.nn.functional.max_pool2d": ("MaxPool2d", 4),
            "torch.nn.functional.adaptive_avg_pool2d": ("AdaptiveAvgPool2d", 1),
            "torch.nn.functional.adaptive_avg_pool1d": ("AdaptiveAvgPool1d", 1),
            "torch.nn.functional.adaptive_max_pool2d": ("AdaptiveMaxPool2d", 1),
            "torch.nn.functional.softmax": ("Softmax", 1)}

    def prepare(self, tree):
        self.nn = None

    def _nn(self):
        if self.nn is None:
            self.nn = ensure_import(self.tree, "torch.nn", "nn")
        return self.nn

    def rewrite(self, node, rw):
        d = torch_call(node, self.aliases)
        if not d or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        if d == "torch.relu" and len(node.args) == 1 and not node.keywords:
            return ast.Call(func=attr_chain(self._nn(), "functional.relu"), args=node.args, keywords=[])
        if d in self.UNARY and len(node.args) == 1 and not node.keywords:
            mod = ast.Call(func=attr_chain(self._nn(), self.UNARY[d]), args=[], keywords=[])
            return ast.Call(func=mod, args=node.args, keywords=[])
        if d in self.POOL and node.args:
            cls, maxpos = self.POOL[d]
            if len(node.args) - 1 > maxpos or any(k.arg in ("input", "_stacklevel", "dtype") for k in node.keywords):
                return None
            if cls == "Softmax" and len(node.args) + len(node.keywords) < 2:
                return None
            mod = ast.Call(func=attr_chain(self._nn(), cls), args=node.args[1:], keywords=node.keywords)
            return ast.Call(func=mod, args=[node.args[0]], keywords=[])
        return None


# ----------------------------------------------------------------------------------------------
# 8, 9: method form <-> torch.* function form

TENSOR_FNS = {"abs", "exp", "log", "sigmoid", "tanh", "relu", "sign", "amin", "amax", "clamp", "clamp_min",
              "clamp_max", "round", "floor", "ceil", "mul", "add", "sub", "div", "lt", "gt", "eq", "ge", "le", "ne",
              "fmod", "remainder", "pow", "roll", "flatten", "sum", "mean", "std", "var", "any", "all", "sqrt",
              "square", "lerp", "masked_fill", "matmul", "bmm", "softmax", "log_softmax", "cumsum", "argmax",
              "argmin", "logical_not", "logical_and", "logical_or", "neg", "reciprocal", "rsqrt", "sin", "cos",
              "frac", "trunc", "prod", "isnan", "isfinite", "nan_to_num", "maximum", "minimum", "unsqueeze",
              "squeeze", "transpose", "diff", "heaviside", "sgn", "square"}


class MethodToFunction(ExprTransform):
    name = "method_to_function"
    doc = "tensor method calls as torch functions (x.abs() -> torch.abs(x))"

    def prepare(self, tree):
        self.torch = None

    def rewrite(self, node, rw):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TENSOR_FNS):
            return None
        recv = node.func.value
        if isinstance(recv, ast.Name) and (recv.id in self.aliases or recv.id in ("self", "cls")):
            return None
        if dotted(recv, self.aliases) or isinstance(recv, (ast.Constant, ast.List, ast.Tuple, ast.Dict)):
            return None
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        if node.func.attr in ("max", "min"):
            return None
        if self.torch is None:
            self.torch = ensure_import(self.tree, "torch")
        return ast.Call(func=attr_chain(self.torch, node.func.attr), args=[recv] + node.args, keywords=node.keywords)


class FunctionToMethod(ExprTransform):
    name = "function_to_method"
    doc = "torch/F functions as tensor methods (torch.abs(x) -> x.abs(), F.relu(x) -> x.relu())"

    def rewrite(self, node, rw):
        d = torch_call(node, self.aliases)
        if not d or not node.args or isinstance(node.args[0], (ast.Starred, ast.Constant, ast.List, ast.Tuple)):
            return None
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            return None
        fname = d.rsplit(".", 1)[-1]
        if d.startswith("torch.nn.functional."):
            if fname not in ("relu", "softmax", "log_softmax", "sigmoid", "tanh") or \
                    any(k.arg == "inplace" for k in node.keywords):
                return None
        elif d != "torch." + fname or fname not in TENSOR_FNS:
            return None
        return ast.Call(func=ast.Attribute(value=node.args[0], attr=fname, ctx=ast.Load()),
                        args=node.args[1:], keywords=node.keywords)


# ----------------------------------------------------------------------------------------------
# 10: where / lerp / masked_fill as arithmetic blends

class BlendRewrite(ExprTransform):
    name = "blend_rewrite"
    doc = ("torch.where(c, a, b) -> c * a + ~c * b; lerp(a, b, w) -> a + w * (b - a); "
           "t.masked_fill(m, v) -> torch.where(m, v, t)")

    def prepare(self, tree):
        self.torch = None

    def rewrite(self, node, rw):
        if not isinstance(node, ast.Call) or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        d = torch_call(node, self.aliases)
        B = lambda l, op, r: ast.BinOp(left=l, op=op, right=r)
        if d == "torch.where" and len(node.args) == 3:
            c, a, b = node.args
            if not isinstance(c, (ast.Name, ast.Attribute, ast.Subscript, ast.Compare, ast.Call)):
                return None
            c2 = copy.deepcopy(c)
            return B(B(c, ast.Mult(), a), ast.Add(), B(ast.UnaryOp(op=ast.Invert(), operand=c2), ast.Mult(), b))
        if isinstance(node.func, ast.Attribute) and node.func.attr == "lerp":
            if d == "torch.lerp" and len(node.args) == 3:
                a, b, w = node.args
            elif d is None and len(node.args) == 2:
                a, (b, w) = node.func.value, node.args
            else:
                return None
            if not isinstance(a, (ast.Name, ast.Attribute, ast.Subscript)):
                return None
            return B(a, ast.Add(), B(w, ast.Mult(), B(b, ast.Sub(), copy.deepcopy(a))))
        if isinstance(node.func, ast.Attribute) and node.func.attr == "masked_fill" and d is None and len(node.args) == 2:
            if self.torch is None:
                self.torch = ensure_import(self.tree, "torch")
            return ast.Call(func=attr_chain(self.torch, "where"), args=[node.args[0], node.args[1], node.func.value],
                            keywords=[])
        return None


# ----------------------------------------------------------------------------------------------
# 11, 12, 13, 14: class-level rewrites

def init_of(cls):
    for b in cls.body:
        if isinstance(b, ast.FunctionDef) and b.name == "__init__":
            return b
    return None


def super_init_index(init):
    for i, s in enumerate(init.body):
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute) \
                and s.value.func.attr == "__init__":
            return i
    return -1


def all_classes(tree):
    return [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]


def add_kwonly(init, name, default):
    init.args.kwonlyargs.append(ast.arg(arg=name))
    init.args.kw_defaults.append(default)


class ConfigObject(FileTransform):
    name = "config_object"
    doc = ("move the numeric constants of every module method into a dataclass config object passed to the "
           "constructor (self.cfg.c0 instead of 255)")

    def rewrite_module(self, tree, case):
        changed = False
        ids = all_identifiers([tree])
        for cls in [n for n in model_roots(tree) if isinstance(n, ast.ClassDef)]:
            init = init_of(cls)
            if init is None or init.args.kwarg is not None and False:
                continue
            si = super_init_index(init)
            if si < 0 and cls.bases:
                continue
            consts = []
            cfgattr = fresh(ids, "cfg")
            sname = None

            class R(ast.NodeTransformer):
                def visit_JoinedStr(s, n):
                    return n

                def visit_arguments(s, n):
                    return n     # defaults are evaluated at def time

                def visit_Constant(s, n):
                    v = n.value
                    if isinstance(v, bool) or not isinstance(v, (int, float)) or v in (0, 1):
                        return n
                    consts.append(v)
                    return ast.Attribute(value=ast.Attribute(value=ast.Name(id=sname, ctx=ast.Load()), attr=cfgattr,
                                                             ctx=ast.Load()),
                                         attr="c%d" % (len(consts) - 1), ctx=ast.Load())

            for m in cls.body:
                if isinstance(m, ast.FunctionDef) and m.name != "__init__" and is_plain_method(m):
                    sname = self_name(m)
                    for i, st in enumerate(m.body):
                        m.body[i] = R().visit(st)
            if not consts:
                continue
            dc = ensure_import(tree, "dataclasses")
            cname = fresh(ids, cls.name.lstrip("_") + "Config")
            fields = []
            for i, v in enumerate(consts):
                fields.append(ast.AnnAssign(target=ast.Name(id="c%d" % i, ctx=ast.Store()),
                                            annotation=ast.Name(id=type(v).__name__, ctx=ast.Load()),
                                            value=ast.Constant(v), simple=1))
            cdef = ast.ClassDef(name=cname, bases=[], keywords=[], body=fields,
                                decorator_list=[ast.Attribute(value=ast.Name(id=dc, ctx=ast.Load()), attr="dataclass",
                                                              ctx=ast.Load())])
            pname = fresh(ids, "config")
            add_kwonly(init, pname, ast.Constant(None))
            s0 = self_name(init)
            assign = ast.parse("%s.%s = %s if %s is not None else %s()" % (s0, cfgattr, pname, pname, cname)).body[0]
            init.body.insert(si + 1, assign)
            idx = tree.body.index(cls) if cls in tree.body else insert_pos(tree)
            tree.body.insert(idx, cdef)
            changed = True
        return changed


class CtorFlag(FileTransform):
    name = "ctor_flag"
    doc = "guard every forward body with a constructor flag (`enabled=True`; else-branch returns the input)"

    def rewrite_module(self, tree, case):
        changed = False
        ids = all_identifiers([tree])
        for cls in all_classes(tree):
            init = init_of(cls)
            fwd = [b for b in cls.body if isinstance(b, ast.FunctionDef) and b.name == "forward" and is_plain_method(b)]
            if init is None or not fwd or len(fwd[0].args.args) < 2:
                continue
            si = super_init_index(init)
            if si < 0 and cls.bases:
                continue
            flag = fresh(ids, "enabled")
            add_kwonly(init, flag, ast.Constant(True))
            s0 = self_name(init)
            init.body.insert(si + 1, ast.parse("%s.%s = %s" % (s0, flag, flag)).body[0])
            f = fwd[0]
            test = ast.parse("%s.%s" % (self_name(f), flag), mode="eval").body
            first = f.args.args[1].arg
            f.body = [ast.If(test=test, body=f.body, orelse=[ast.Return(value=ast.Name(id=first, ctx=ast.Load()))])]
            changed = True
        return changed


class MethodTypeRebind(FileTransform):
    name = "methodtype_rebind"
    introduces = ("CN002",)
    doc = "move forward out of the class and bind it per instance at construction (types.MethodType)"

    def rewrite_module(self, tree, case):
        changed = False
        ids = all_identifiers([tree])
        top = [n for n in model_roots(tree) if isinstance(n, ast.ClassDef)]
        subclassed = {b.id for c in all_classes(tree) for b in c.bases if isinstance(b, ast.Name)}
        for cls in top:
            init = init_of(cls)
            fwd = [b for b in cls.body if isinstance(b, ast.FunctionDef) and b.name == "forward"]
            if init is None or not fwd or cls.name in subclassed or uses_super(fwd[0]) or fwd[0].decorator_list:
                continue
            if super_init_index(init) < 0 and cls.bases:
                continue
            if contains(init, lambda n: isinstance(n, ast.Return) and n.value is not None):
                continue
            ty = ensure_import(tree, "types")
            f = fwd[0]
            cls.body.remove(f)
            if not cls.body:
                cls.body = [ast.Pass()]
            f.name = fresh(ids, "_%s_forward" % cls.name.lstrip("_").lower())
            tree.body.insert(tree.body.index(cls), f)
            s0 = self_name(init)
            init.body.append(ast.parse("%s.forward = %s.MethodType(%s, %s)" % (s0, ty, f.name, s0)).body[0])
            changed = True
        return changed


class DecorateForward(FileTransform):
    name = "decorate_forward"
    doc = "wrap every forward in a functools.wraps pass-through decorator"

    def rewrite_module(self, tree, case):
        fwds = [b for c in all_classes(tree) for b in c.body if isinstance(b, ast.FunctionDef) and b.name == "forward"]
        if not fwds:
            return False
        ft = ensure_import(tree, "functools")
        ids = all_identifiers([tree])
        dname = fresh(ids, "traced")
        src = ("def {d}(fn):\n    @{ft}.wraps(fn)\n    def wrapper(*args, **kwargs):\n"
               "        return fn(*args, **kwargs)\n    return wrapper\n").format(d=dname, ft=ft)
        tree.body.insert(after_imports_pos(tree), ast.parse(src).body[0])
        for f in fwds:
            f.decorator_list.insert(0, ast.Name(id=dname, ctx=ast.Load()))
        return True


# ----------------------------------------------------------------------------------------------
# 15, 16: inline / extract helper methods

class InlineHelper(FileTransform):
    name = "inline_helper"
    doc = "inline calls of single-expression helper methods and of submodules whose forward is one expression"

    def rewrite_module(self, tree, case):
        count = 0
        classes = {c.name: c for c in all_classes(tree)}

        def simple(fn):
            body = fn.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
                return None
            a = fn.args
            if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs or a.defaults or fn.decorator_list:
                return None
            e = body[0].value
            if uses_super(e) or unsafe_expr(e) or contains(e, lambda n: isinstance(n, (ast.Lambda, ast.ListComp,
                                                                                       ast.GeneratorExp, ast.DictComp,
                                                                                       ast.SetComp))):
                return None
            return e

        def subst(expr, params, args):
            m = dict(zip(params, args))

            class S(ast.NodeTransformer):
                def visit_Name(s, n):
                    if n.id in m and isinstance(n.ctx, ast.Load):
                        return copy.deepcopy(m[n.id])
                    return n
            return S().visit(copy.deepcopy(expr))

        def ok_arg(a, uses):
            return uses <= 1 or isinstance(a, (ast.Name, ast.Constant)) or \
                (isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name))

        for cls in classes.values():
            methods = {b.name: b for b in cls.body if isinstance(b, ast.FunctionDef)}
            helpers = {n: (f, simple(f)) for n, f in methods.items()
                       if n not in ("forward", "__init__") and not n.startswith("__") and simple(f) is not None}
            # submodules: self.X = LocalClass(...) in __init__, LocalClass.forward is one expression
            subs = {}
            init = methods.get("__init__")
            if init is not None:
                for st in ast.walk(init):
                    if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Attribute) \
                            and isinstance(st.targets[0].value, ast.Name) and st.targets[0].value.id == self_name(init) \
                            and isinstance(st.value, ast.Call) and isinstance(st.value.func, ast.Name) \
                            and st.value.func.id in classes:
                        sc = classes[st.value.func.id]
                        sf = [b for b in sc.body if isinstance(b, ast.FunctionDef) and b.name == "forward"]
                        if sf and simple(sf[0]) is not None and not any(
                                isinstance(b, ast.FunctionDef) and b.name == "__call__" for b in sc.body):
                            subs[st.targets[0].attr] = (sf[0], simple(sf[0]))
            if not helpers and not subs:
                continue

            for m in methods.values():
                sname = self_name(m) if is_plain_method(m) else None
                if not sname:
                    continue

                class T(ast.NodeTransformer):
                    def visit_Call(s, n):
                        s.generic_visit(n)
                        f = n.func
                        if n.keywords or any(isinstance(a, ast.Starred) for a in n.args):
                            return n
                        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == sname \
                                and f.attr in helpers and helpers[f.attr][0] is not m:
                            fn, e = helpers[f.attr]
                            recv = ast.Name(id=sname, ctx=ast.Load())
                        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == sname \
                                and f.attr in subs:
                            fn, e = subs[f.attr]
                            recv = ast.Attribute(value=ast.Name(id=sname, ctx=ast.Load()), attr=f.attr, ctx=ast.Load())
                        else:
                            return n
                        params = [a.arg for a in fn.args.args]
                        if len(params) != len(n.args) + 1:
                            return n
                        uses = {p: sum(1 for x in ast.walk(e) if isinstance(x, ast.Name) and x.id == p) for p in params}
                        if not all(ok_arg(a, uses[p]) for p, a in zip(params[1:], n.args)):
                            return n
                        # inner names other than params must be globals, not locals of the caller
                        inner = names_loaded(e) - set(params)
                        if inner & function_locals(m):
                            return n
                        nonlocal count
                        count += 1
                        return ast.copy_location(subst(e, params, [recv] + list(n.args)), n)

                for i, st in enumerate(m.body):
                    m.body[i] = T().visit(st)
        return count > 0


class ExtractHelper(FileTransform):
    name = "extract_helper"
    doc = "extract every returned/assigned tensor expression of forward into a new helper method"

    def rewrite_module(self, tree, case):
        count = 0
        ids = all_identifiers([tree])
        for cls in all_classes(tree):
            new_methods = []
            for m in [b for b in cls.body if isinstance(b, ast.FunctionDef) and b.name == "forward" and is_plain_method(b)]:
                sname = self_name(m)
                loc = function_locals(m)
                for st in list(ast.walk(m)):
                    if not isinstance(st, (ast.Return, ast.Assign)) or st.value is None:
                        continue
                    if not LambdaWrap._owner(m, st):
                        continue
                    e = st.value
                    if not isinstance(e, (ast.BinOp, ast.Call)) or uses_super(e) or unsafe_expr(e):
                        continue
                    params = [p for p in free_loads_in_order(e, loc) if p != sname]
                    hname = fresh(ids, "_compute")
                    fn = ast.FunctionDef(name=hname, args=ast.arguments(
                        posonlyargs=[], args=[ast.arg(arg=sname)] + [ast.arg(arg=p) for p in params],
                        kwonlyargs=[], kw_defaults=[], defaults=[]),
                        body=[ast.Return(value=e)], decorator_list=[], returns=None)
                    new_methods.append(fn)
                    st.value = ast.Call(func=ast.Attribute(value=ast.Name(id=sname, ctx=ast.Load()), attr=hname,
                                                           ctx=ast.Load()),
                                        args=[ast.Name(id=p, ctx=ast.Load()) for p in params], keywords=[])
                    count += 1
            cls.body.extend(new_methods)
        return count > 0


# ----------------------------------------------------------------------------------------------
# 17, 18, 19: indirect calls

class DictDispatch(ExprTransform):
    name = "dict_dispatch"
    doc = "torch functions kept in a module-level dict and chosen by a string key (_OPS['relu'](x))"

    def in_scope(self, fn):
        return fn.name != "__init__"

    def prepare(self, tree):
        self.entries = {}
        ids = all_identifiers([tree])
        self.var = fresh(ids, "_OPS")

    def rewrite(self, node, rw):
        d = torch_call(node, self.aliases)
        if not d or d.rsplit(".", 1)[-1][:1].isupper() or d.endswith(("no_grad", "device")):
            return None
        key = d.rsplit(".", 1)[-1]
        if key in self.entries and ast.dump(self.entries[key]) != ast.dump(node.func):
            key = d.replace("torch.nn.functional.", "F.").replace("torch.", "")
        self.entries.setdefault(key, copy.deepcopy(node.func))
        return ast.Call(func=ast.Subscript(value=ast.Name(id=self.var, ctx=ast.Load()), slice=ast.Constant(key),
                                           ctx=ast.Load()), args=node.args, keywords=node.keywords)

    def finish(self, tree):
        d = ast.Dict(keys=[ast.Constant(k) for k in self.entries], values=list(self.entries.values()))
        tree.body.insert(after_imports_pos(tree), ast.Assign(targets=[ast.Name(id=self.var, ctx=ast.Store())], value=d))


class GetattrDispatch(ExprTransform):
    name = "getattr_dispatch"
    doc = "torch functions looked up by name at run time: getattr(torch, 'relu')(x)"

    def in_scope(self, fn):
        return fn.name != "__init__"

    def rewrite(self, node, rw):
        d = torch_call(node, self.aliases)
        if not d or not isinstance(node.func, ast.Attribute) or d.rsplit(".", 1)[-1][:1].isupper() \
                or d.endswith(("no_grad", "device")):
            return None
        g = ast.Call(func=ast.Name(id="getattr", ctx=ast.Load()),
                     args=[node.func.value, ast.Constant(node.func.attr)], keywords=[])
        return ast.Call(func=g, args=node.args, keywords=node.keywords)


class OperatorModule(ExprTransform):
    name = "operator_module"
    doc = "arithmetic and comparison operators as operator-module calls (a * b -> operator.mul(a, b))"

    BIN = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "truediv", ast.Pow: "pow",
           ast.MatMult: "matmul", ast.Mod: "mod", ast.FloorDiv: "floordiv", ast.BitAnd: "and_", ast.BitOr: "or_"}
    CMP = {ast.Gt: "gt", ast.Lt: "lt", ast.GtE: "ge", ast.LtE: "le", ast.Eq: "eq", ast.NotEq: "ne"}
    UN = {ast.USub: "neg", ast.Invert: "invert"}

    def prepare(self, tree):
        self.op = None

    def _op(self, name):
        if self.op is None:
            self.op = ensure_import(self.tree, "operator")
        return ast.Attribute(value=ast.Name(id=self.op, ctx=ast.Load()), attr=name, ctx=ast.Load())

    def rewrite(self, node, rw):
        if isinstance(node, ast.BinOp) and type(node.op) in self.BIN:
            if isinstance(node.left, ast.Constant) and isinstance(node.right, ast.Constant):
                return None
            return ast.Call(func=self._op(self.BIN[type(node.op)]), args=[node.left, node.right], keywords=[])
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in self.CMP:
            return ast.Call(func=self._op(self.CMP[type(node.ops[0])]), args=[node.left, node.comparators[0]],
                            keywords=[])
        if isinstance(node, ast.UnaryOp) and type(node.op) in self.UN and not isinstance(node.operand, ast.Constant):
            return ast.Call(func=self._op(self.UN[type(node.op)]), args=[node.operand], keywords=[])
        return None


# ----------------------------------------------------------------------------------------------
# 20, 21, 22: reordering and aliasing

def deftime_loads(stmt):
    """Names a top-level statement reads when it is executed (not when its functions run)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        parts = stmt.decorator_list + stmt.args.defaults + [d for d in stmt.args.kw_defaults if d] + \
            ([stmt.returns] if stmt.returns else [])
        return set().union(*(names_loaded(p) for p in parts)) if parts else set()
    if isinstance(stmt, ast.ClassDef):
        out = set()
        for p in stmt.bases + [k.value for k in stmt.keywords] + stmt.decorator_list:
            out |= names_loaded(p)
        for b in stmt.body:
            out |= deftime_loads(b) if isinstance(b, (ast.FunctionDef, ast.ClassDef)) else names_loaded(b)
        return out
    return names_loaded(stmt)


class ReorderDefs(FileTransform):
    name = "reorder_defs"
    doc = "reverse the order of consecutive top-level class/function definitions (respecting definition-time deps)"

    def rewrite_module(self, tree, case):
        body, out, run, changed = tree.body, [], [], False

        def flush():
            nonlocal changed
            if len(run) > 1:
                order = self.order(run)
                if order != run:
                    changed = True
                out.extend(order)
            else:
                out.extend(run)
            run.clear()
        for s in body:
            if isinstance(s, (ast.FunctionDef, ast.ClassDef)) and s.name != ENTRY:
                run.append(s)
            else:
                flush()
                out.append(s)
        flush()
        tree.body = out
        return changed

    @staticmethod
    def order(run):
        rev = run[::-1]
        names = {s.name: s for s in run}
        placed, result = set(), []

        def place(s, stack=()):
            if s.name in placed:
                return
            for d in sorted(deftime_loads(s) & set(names)):
                if d != s.name and d not in stack:
                    place(names[d], stack + (s.name,))
            placed.add(s.name)
            result.append(s)
        for s in rev:
            place(s)
        return result


RANDOM_HINTS = ("rand", "normal", "dropout", "bernoulli", "multinomial", "shuffle", "perm", "seed", "choice")


class ReorderStmts(FileTransform):
    name = "reorder_stmts"
    doc = "swap adjacent independent assignments inside model methods"

    def rewrite_module(self, tree, case):
        count = 0
        for root in model_roots(tree):
            for fn in ast.walk(root):
                if not isinstance(fn, ast.FunctionDef) or fn.name == "__init__":
                    continue
                count += self.swap_block(fn.body)
        return count > 0

    def simple(self, s):
        if not isinstance(s, ast.Assign) or not all(isinstance(t, (ast.Name, ast.Tuple)) for t in s.targets):
            return None
        w = {n.id for t in s.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        if any(not isinstance(n, (ast.Name, ast.Tuple, ast.Store)) for t in s.targets for n in ast.walk(t)):
            return None
        for n in ast.walk(s.value):
            if isinstance(n, ast.Call):
                fn = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                if fn.endswith("_") or any(h in fn.lower() for h in RANDOM_HINTS):
                    return None
            if isinstance(n, (ast.Yield, ast.Await, ast.NamedExpr)):
                return None
        return w, names_loaded(s.value)

    def swap_block(self, body):
        count, i = 0, 0
        while i + 1 < len(body):
            a, b = self.simple(body[i]), self.simple(body[i + 1])
            if a and b and not (a[0] & b[1]) and not (b[0] & a[1]) and not (a[0] & b[0]):
                body[i], body[i + 1] = body[i + 1], body[i]
                count += 1
                i += 2
            else:
                i += 1
        for s in body:
            for f in ("body", "orelse", "finalbody"):
                sub = getattr(s, f, None)
                if isinstance(sub, list) and sub and isinstance(sub[0], ast.stmt) and not isinstance(
                        s, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                    count += self.swap_block(sub)
        return count


class ImportAlias(FileTransform):
    name = "import_alias"
    doc = "re-alias the torch imports (import torch.nn.functional as F -> as tnf, import torch as tc)"

    NEW = {"torch": "tc", "torch.nn": "tnn", "torch.nn.functional": "tnf", "math": "m_"}

    def rewrite_module(self, tree, case):
        ids = all_identifiers([tree])
        mapping = {}
        for n in tree.body:
            if isinstance(n, ast.Import):
                for a in n.names:
                    if a.name in self.NEW:
                        old = a.asname or a.name
                        if "." in old:
                            continue
                        new = fresh(ids, self.NEW[a.name])
                        mapping[old] = new
                        a.asname = new
            elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module == "torch":
                for a in n.names:
                    if a.name in ("nn",):
                        old = a.asname or a.name
                        new = fresh(ids, "tnn")
                        mapping[old] = new
                        a.asname = new
        # a module imported both as `import torch` and `import torch.nn` binds the same root name
        if not mapping:
            return False
        for n in tree.body:
            if isinstance(n, ast.Import):
                for a in n.names:
                    if a.asname is None and a.name.split(".")[0] in mapping:
                        return False
        if contains(tree, lambda n: isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and any(k + "." in n.value for k in mapping)):
            return False

        class R(ast.NodeTransformer):
            def visit_Name(s, n):
                if n.id in mapping:
                    n.id = mapping[n.id]
                return n

            def visit_arg(s, n):
                return n
        # do not rename shadowing locals: only when the name is never assigned elsewhere
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and n.id in mapping:
                return False
            if isinstance(n, ast.arg) and n.arg in mapping:
                return False
        R().visit(tree)
        return True


ALL = [RenameNeutral(), RenameCyrillic(), HelperPackage(), SplitFile(), LambdaWrap(), PartialWrap(), ModuleForm(),
       MethodToFunction(), FunctionToMethod(), BlendRewrite(), ConfigObject(), CtorFlag(), MethodTypeRebind(),
       DecorateForward(), InlineHelper(), ExtractHelper(), DictDispatch(), GetattrDispatch(), OperatorModule(),
       ReorderDefs(), ReorderStmts(), ImportAlias()]
BY_NAME = {t.name: t for t in ALL}

# Compositions: an expression-level or naming rewrite followed by a concealment/structure rewrite
# (structural rewrites go last: they need the original line numbers to locate the integration point).
PAIRS = [
    ("rename_cyrillic", "helper_pkg"), ("rename_neutral", "split_file"), ("operator_module", "helper_pkg"),
    ("dict_dispatch", "methodtype_rebind"), ("getattr_dispatch", "decorate_forward"), ("partial_wrap", "ctor_flag"),
    ("lambda_wrap", "config_object"), ("blend_rewrite", "extract_helper"), ("module_form", "rename_cyrillic"),
    ("method_to_function", "operator_module"), ("function_to_method", "getattr_dispatch"),
    ("inline_helper", "rename_neutral"), ("config_object", "rename_neutral"), ("ctor_flag", "methodtype_rebind"),
    ("extract_helper", "lambda_wrap"), ("reorder_stmts", "operator_module"), ("reorder_defs", "split_file"),
    ("import_alias", "dict_dispatch"), ("blend_rewrite", "operator_module"), ("inline_helper", "helper_pkg"),
    ("decorate_forward", "rename_cyrillic"), ("methodtype_rebind", "helper_pkg"), ("config_object", "split_file"),
    ("import_alias", "partial_wrap"), ("module_form", "getattr_dispatch"),
]


def chain(names):
    return [BY_NAME[n] for n in names]


def introduced_rules(names):
    """The concealment rules that the transforms `names` are expected to trigger."""
    return {r for t in chain(names) for r in t.introduces}


def apply_chain(case, names):
    """Apply the transforms in order; None if any of them declines."""
    c = case
    for t in chain(names):
        c = t.apply(c)
        if c is None:
            return None
    return c
