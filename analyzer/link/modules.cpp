// Module attributes from what __init__ (and other methods) put on `self`, and the rewriting of
// submodule calls into layer ops.
#include "link/modules.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "ir/ops.h"
#include "link/linker.h"

namespace archscan::link {
namespace {

constexpr ir::NodeId kNoNodeId = ir::kNoNode;
// The method name under which a class keeps a load hook it registers (not a Python identifier).
constexpr const char* kLoadHookPrefix = "<load hook>";
// The method name under which a class keeps an `__init__` its class decorator installed (it runs
// after the class's own, as init-like code of the class).
constexpr const char* kInstalledInit = "<installed __init__>";

using ir::Attr;
using ir::AttrKind;
using ir::find_method;
using ir::Function;
using ir::is_self;
using ir::module_attr;
using ir::Node;
using ir::NodeId;

// Attr::text of a constructor argument's pairs read one item each (`m for _, m in named`): the prefix
// of the item's position.
constexpr const char* kPairItem = "<pair-item>";

// `types.MethodType(fn, obj)`, `functools.partial(fn, obj)`, `fn.__get__(obj)`: a call that binds
// its first argument to its second.
bool binds_method(const Node& v) {
  return (v.op == "call" && (v.name == "types.MethodType" || v.name == "MethodType" ||
                             v.name == "functools.partial" || v.name == "partial")) ||
         v.op == "__get__";
}

// A function bound to an object as a method: `types.MethodType(fn, obj)`, `fn.__get__(obj[, cls])`,
// `functools.partial(fn, obj)`: {function, receiver node}, or {-1, -1}.
std::pair<int32_t, NodeId> bound_method(const ir::Program& p, const Function& f, NodeId id) {
  if (id < 0) return {-1, -1};
  const Node& v = f.node(id);
  // helper.__get__(obj, cls) on a module-level function: lowered as a call of `pkg.helper.__get__`
  if (v.op == "call" && v.name.ends_with(".__get__") && !v.args.empty() && v.args[0] >= 0) {
    const link::Entity e = link::resolve(p, v.name.substr(0, v.name.size() - 8), f.file);
    return e.kind == link::Entity::Function ? std::make_pair(e.id, v.args[0]) : std::make_pair(-1, ir::kNoNode);
  }
  if (!binds_method(v) || v.args.size() < 2 || v.args[0] < 0 || v.args[1] < 0) return {-1, -1};
  int32_t fn = f.node(v.args[0]).target_function;
  return fn >= 0 ? std::make_pair(fn, v.args[1]) : std::make_pair(-1, ir::kNoNode);
}

// attr(self, name) -> name; attr(attr(self, a), b) -> "a.b".
std::string self_path(const Function& f, NodeId id) {
  std::string path;
  while (id >= 0) {
    const Node& n = f.node(id);
    if (n.op == "attr") {
      path = n.name + (path.empty() ? "" : "." + path);
      id = n.args.empty() ? -1 : n.args[0];
    } else if (n.op == "getitem" && !n.args.empty()) {
      id = n.args[0];
      path.clear();  // an element write edits the base tensor
    } else {
      break;
    }
  }
  return is_self(f, id) ? path : std::string();
}

class Builder {
 public:
  explicit Builder(ir::Program& p) : p_(p) {}

  // A tensor of one number: `torch.tensor(4.6)`, `torch.ones(1) * 0.5`, `torch.zeros([])`.
  static bool one_number(const Function& f, NodeId id, int depth) {
    if (id < 0 || depth > 6) return false;
    const Node& n = f.node(id);
    if (n.op == "tensor" || n.op == "as_tensor")
      return !n.args.empty() && n.args[0] >= 0 && f.node(n.args[0]).op == "const" && f.node(n.args[0]).num;
    if (n.op == "ones" || n.op == "zeros" || n.op == "full" || n.op == "empty") {
      size_t sizes = n.op == "full" ? n.args.size() - std::min<size_t>(n.args.size(), 1) : n.args.size();
      for (size_t i = 0; i < sizes; ++i) {
        const Node& s = f.node(n.args[i]);
        if (s.op == "list" || s.op == "tuple") {
          for (NodeId e : s.args)
            if (e < 0 || !f.node(e).num || *f.node(e).num != 1) return false;
        } else if (!s.num || *s.num != 1) {
          return false;
        }
      }
      return true;
    }
    if ((n.op == "mul" || n.op == "div" || n.op == "add" || n.op == "sub") && n.args.size() == 2)
      return (one_number(f, n.args[0], depth + 1) && n.args[1] >= 0 && f.node(n.args[1]).num) ||
             (one_number(f, n.args[1], depth + 1) && n.args[0] >= 0 && f.node(n.args[0]).num);
    return false;
  }

  Attr classify(const Function& f, NodeId id, int depth) {
    Attr a;
    a.init_node = id;
    if (id < 0 || depth > 6) return a;
    const Node& n = f.node(id);
    a.loc = n.loc;
    // `ModuleList(m for _, m in named)` in __init__: the second item of each pair a construction
    // site passes as `named` (bound by bind_constructor_arguments).
    if (n.op == "getitem" && n.args.size() == 2 && f.name == "__init__" && f.owner_module >= 0 &&
        f.node(n.args[1]).num && f.node(n.args[0]).op == "iter_item" && !f.node(n.args[0]).args.empty())
      if (const Node& seq = f.node(f.node(n.args[0]).args[0]); seq.op == "param" && seq.num && *seq.num >= 1) {
        a.type = "argument:" + seq.name;
        a.text = kPairItem + std::to_string(static_cast<int>(*f.node(n.args[1]).num));
        return a;
      }
    // operator.itemgetter(*keys)(TABLE): the entries the keys pick (every entry when they are only
    // known at run time), each a configuration.
    if (n.op == "call_value" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0 &&
        f.node(n.args[0]).op == "call" &&
        (f.node(n.args[0]).name == "operator.itemgetter" || f.node(n.args[0]).name == "itemgetter")) {
      std::set<std::string> keys;
      bool folded = true;
      for (NodeId k : f.node(n.args[0]).args) {
        const Node& kn = f.node(k);
        if (kn.op == "const" && !kn.num) keys.insert(kn.name);
        else folded = false;
      }
      Attr table = classify(f, n.args[1], depth + 1);
      Attr out;
      for (const Attr& e : table.children)
        if (!folded || keys.count(e.name)) add_configuration(out, e);
      if (known(out)) {
        out.init_node = id;
        out.loc = n.loc;
        return out;
      }
    }
    // ChainMap(overrides, profile or {}, DEFAULTS): one mapping whose keys come from the first map
    // that has them (literal maps only; a map known at run time adds nothing it can be seen to hold).
    if (n.op == "call" && (n.name == "collections.ChainMap" || n.name == "ChainMap") && !n.args.empty()) {
      Attr merged;
      merged.type = "dict";
      for (NodeId m : n.args) {
        if (m < 0 || f.node(m).op == "starred") continue;
        NodeId literal = f.node(m).op == "or" && !f.node(m).args.empty() ? f.node(m).args.back() : m;
        std::vector<std::pair<const Function*, NodeId>> dicts;
        dict_literals(f, literal, depth + 1, dicts);
        if (dicts.size() != 1) continue;
        Attr part = classify(*dicts[0].first, dicts[0].second, depth + 1);
        for (Attr& c : part.children)
          if (std::none_of(merged.children.begin(), merged.children.end(),
                           [&](const Attr& have) { return have.name == c.name; }))
            merged.children.push_back(std::move(c));
      }
      if (!merged.children.empty()) return merged;
    }
    // vars(self)["_specs"] (the instance's __dict__ read by key, lowered to `self._specs`): the
    // attribute of that name.
    const auto own_attribute = [&](NodeId a) -> const Attr* {
      if (a < 0 || !current_) return nullptr;
      if (const std::string key = instance_dict_key(f, a); !key.empty()) return find(*current_, key);
      const Node& r = f.node(a);
      return r.op == "attr" && r.args.size() == 1 && is_self(f, r.args[0]) ? find(*current_, r.name) : nullptr;
    };
    if (const Attr* held = !instance_dict_key(f, id).empty() ? own_attribute(id) : nullptr) return *held;
    if ((n.op == "items" || n.op == "values") && n.args.size() == 1)
      if (const Attr* held = own_attribute(n.args[0]); held && (held->type == "dict" || !held->children.empty()))
        return *held;
    // dict(TABLE), copy.copy(TABLE), TABLE.copy(): a copy holds the same entries.
    if (((n.op == "call" && (n.name == "dict" || n.name == "copy.copy" || n.name == "copy.deepcopy" ||
                             n.name == "list" || n.name == "tuple")) ||
         (n.op == "copy" && n.name.empty())) &&
        n.args.size() == 1 && n.kwargs.empty() && n.args[0] >= 0 && literal_table(f, n.args[0])) {
      // (`dict(DEFAULTS)`: a copy of a module-level configuration keeps its keys and values)
      std::vector<std::pair<const Function*, NodeId>> dicts;
      dict_literals(f, n.args[0], depth + 1, dicts);
      if (dicts.size() == 1 && f.node(n.args[0]).op == "global") {
        Attr copy = classify(*dicts[0].first, dicts[0].second, depth + 1);
        if (!copy.children.empty()) return copy;
      }
      return classify(f, n.args[0], depth + 1);
    }
    // REDUCERS, a module-level table of callables (`{"peak": operator.methodcaller("amax"), ...}`):
    // the table, its entries callable from the instance.
    if (n.op == "global" && n.target_function < 0 && n.target_module < 0)
      if (auto [mf, v] = global_value(n); mf && v >= 0 && (mf->node(v).op == "dict" || mf->node(v).op == "list" || mf->node(v).op == "tuple")) {
        Attr table = classify(*mf, v, depth + 1);
        if (std::any_of(table.children.begin(), table.children.end(), [](const Attr& c) { return callable_value(c); })) {
          table.init_node = id;
          table.loc = n.loc;
          return table;
        }
      }
    if (n.op == "select" || n.op == "phi" || n.op == "or") {
      // `m if m is not None else Default()`, `m or Default()`: the alternative the tree defines.
      size_t first = n.op == "select" ? 1 : 0;
      Attr out;
      for (size_t i = first; i < n.args.size(); ++i) {
        // `None if t is None else torch.tensor(t)`: None is the absent configuration.
        const Node& arm = f.node(n.args[i]);
        if (arm.op == "const" && arm.name == "None" && !arm.num) continue;
        Attr alt = classify(f, n.args[i], depth + 1);
        // (a list or dict of callables counts: `[] if off else [Rule(k)]`)
        if (!known(alt) && alt.children.empty()) continue;
        alt.init_node = id;
        alt.loc = n.loc;
        // `A(opts) if kind == "a" else B(...)`: each module arm is a configuration.
        if (!known(out) && out.children.empty())
          out = std::move(alt);
        else if (alt.kind == AttrKind::Submodule && out.kind == AttrKind::Submodule)
          add_configuration(out, std::move(alt));
        else if (alt.function >= 0 && out.function >= 0)  // `self._guard if strict else _identity`
          out.alternatives.push_back(std::move(alt));
        else
          break;
      }
      // (the value may as well be the other arm: not one known fill)
      if (n.args.size() > first + 1) out.fill.reset();
      if (known(out) || !out.children.empty()) return out;
      // `taps or {}`, `hooks if hooks is not None else []`: what a construction site passes, when the
      // other arm is an empty default
      for (size_t i = first; i < n.args.size(); ++i)
        if (const Node& arm = f.node(n.args[i]); arm.op == "param" && arm.num && *arm.num >= 1) {
          Attr passed = classify(f, n.args[i], depth + 1);
          if (passed.type.starts_with("argument:")) return passed;
        }
      return a;
    }
    if ((n.op == "eval" || n.op == "train" || n.op == "to" || n.op == "cuda" || n.op == "cpu" ||
         n.op == "requires_grad" || n.name == "torch.jit.trace" || n.name == "torch.jit.script" ||
         n.name == "torch.compile" || n.name == "torch.jit.freeze") &&
        !n.args.empty()) {
      // Net().eval(), model.to(device): these module methods return the module itself; so, for what
      // the analysis follows, do torch.jit.trace(Net(), example), torch.jit.script and torch.compile
      // (the code they record or compile is the module's forward).
      Attr same = classify(f, n.args[0], depth + 1);
      if (same.kind == AttrKind::Submodule) return same;
      if (same.kind == AttrKind::Layer) {
        // conv.weight.copy_(TEMPLATE); conv.requires_grad_(False): a fixed filter, not a learned layer.
        if (n.op == "requires_grad" && n.args.size() >= 2 && f.node(n.args[1]).num == 0.0)
          if (std::string how = weight_written(f, n.args[0]); !how.empty()) {
            same.learned = false;
            same.text = how == "copy" ? kFixedTemplate : std::string();
          }
        return same;
      }
    }
    if (Attr columns = transposed_rows(f, id, depth); !columns.children.empty()) return columns;
    // `self.names, self.steps = list(zip(*rows))`: one column of the transposed table.
    if (n.op == "getitem" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0 && f.node(n.args[1]).num &&
        *f.node(n.args[1]).num >= 0)
      if (Attr columns = transposed_rows(f, n.args[0], depth);
          static_cast<size_t>(*f.node(n.args[1]).num) < columns.children.size()) {
        Attr column = std::move(columns.children[static_cast<size_t>(*f.node(n.args[1]).num)]);
        column.init_node = id;
        return column;
      }
    if (n.op == "call" && (n.name == "list" || n.name == "tuple") && n.args.size() == 1 && n.args[0] >= 0)
      if (const Node& e = f.node(n.args[0]);
          (e.op == "global" || e.op == "class") && e.target_module >= 0 && enumeration(e.target_module)) {
        // tuple(Regime): the members of an Enum of the tree, instances of its class (callable
        // through its __call__).
        Attr member;
        member.kind = AttrKind::Submodule;
        member.module_class = e.target_module;
        member.type = p_.mod(e.target_module).name;
        member.name = "0";
        member.init_node = id;
        member.loc = n.loc;
        a.kind = AttrKind::Container;
        a.type = "sequence_of_members";
        a.children.push_back(std::move(member));
        return a;
      }
    if (n.op == "call" &&
        (n.name == "list" || n.name == "tuple" || n.name == "sorted" || n.name == "reversed" || n.name == "dict") &&
        !n.args.empty()) {
      // list(post), tuple(hooks), sorted(plugins, key=...): a copy of the sequence holds the same items.
      // (dict(taps or {}): a copy of the mapping a construction site passes)
      Attr same = classify(f, n.args[0], depth + 1);
      if (known(same) || !same.children.empty() || same.type.starts_with("argument:")) {
        same.init_node = id;
        same.loc = n.loc;
        return same;
      }
    }
    if (n.op == "call" && (n.name == "staticmethod" || n.name == "classmethod") && n.args.size() == 1) {
      // (staticmethod(fn) in a class body's table of callables: calling it calls fn)
      Attr inner = classify(f, n.args[0], depth + 1);
      inner.init_node = id;
      inner.loc = n.loc;
      return inner;
    }
    if (n.op == "call" && (n.name == "dict" || n.name == "list" || n.name == "tuple") && n.args.size() == 1 &&
        n.args[0] >= 0) {
      // dict(itertools.starmap(self._make_gate, pairs)), list(map(make, specs)): what the function
      // returns for each item, the callables among its results (`return stage, gate`).
      const Node& mapped = f.node(n.args[0]);
      if (mapped.op == "call" && mapped.args.size() >= 2 &&
          (mapped.name == "itertools.starmap" || mapped.name == "starmap" || mapped.name == "map")) {
        const Attr fn = classify(f, mapped.args[0], depth + 1);
        Attr out;
        out.type = n.name == "dict" ? "dict" : "list";
        out.init_node = id;
        out.loc = n.loc;
        if (fn.function >= 0)
          for (const Function& g = p_.fn(fn.function); NodeId r : g.returns) {
            if (g.node(r).args.empty()) continue;
            std::vector<Attr> parts;
            collect_list(g, g.node(r).args[0], parts, depth + 1, true);
            for (auto& c : parts)
              if (callable_value(c) && out.children.size() < 16) {
                c.name = "*";
                out.children.push_back(std::move(c));
              }
          }
        if (!out.children.empty()) return out;
      }
    }
    if (n.op == "call" && (n.name == "weakref.ref" || n.name == "weakref.proxy" || n.name == "weakref.WeakMethod") &&
        !n.args.empty()) {
      // weakref.ref(parent): calling it hands back the object (a proxy is the object); the parent
      // model itself when a child is given `self`. weakref.WeakMethod(self.m): the bound method.
      Attr to = receiver(f, n.args[0]) && f.owner_module >= 0 ? self_reference(f.owner_module) : classify(f, n.args[0], depth + 1);
      if (n.name != "weakref.proxy") to.text = ir::kWeakReference;
      to.init_node = id;
      to.loc = n.loc;
      return to;
    }
    if (n.op == "call" && (n.name == "copy.deepcopy" || n.name == "deepcopy" || n.name == "copy.copy") &&
        !n.args.empty()) {
      // A copy of a module is a module of the same class (DETR-style `_get_clones(layer, n)`), of
      // one the constructor built earlier too (`copy.deepcopy(self.embedding)`).
      Attr copied = classify(f, n.args[0], depth + 1);
      if (const Node& src = f.node(n.args[0]);
          !known(copied) && current_ && src.op == "attr" && !src.args.empty() && receiver(f, src.args[0]))
        if (const Attr* earlier = find(*current_, src.name)) copied = *earlier;
      copied.init_node = id;
      copied.loc = n.loc;
      return copied;
    }
    if (grows(n) && !n.args.empty()) return classify(f, n.args[0], depth + 1);  // (see list_versions)
    if (n.op == "call" && (n.name == "operator.attrgetter" || n.name == "attrgetter") && n.args.size() == 1) {
      // attrgetter("readers." + profile): the attribute path, the part a setting fills left open
      // (`readers.{}`: any entry of the container there).
      const Node& path = f.node(n.args[0]);
      std::string text = folded_string(f, n.args[0], 0);
      if (path.op == "add" && path.args.size() == 2 && f.node(path.args[1]).op != "const")
        if (std::string head = folded_string(f, path.args[0], 0); !head.empty()) text = head + "{}";
      if (!text.empty()) {
        a.type = "attrgetter";
        a.text = text;
        return a;
      }
    }
    if (n.op == "call" && (n.name == "operator.itemgetter" || n.name == "itemgetter") && !n.args.empty()) {
      // itemgetter("logits", "span"): a callable that reads those keys of its argument (kept one per
      // line in `text`; a key not known here leaves it unknown)
      std::string keys;
      for (NodeId k : n.args) {
        const Node& key = f.node(k);
        if (key.op != "const" || key.num || key.name.empty() || key.name.find('\n') != std::string::npos) return a;
        keys += (keys.empty() ? "" : "\n") + key.name;
      }
      a.type = "itemgetter";
      a.text = keys;
      return a;
    }
    if (n.op == "call" && n.name == "operator.methodcaller" && !n.args.empty()) {
      // methodcaller("clamp", 0, 1): a callable that calls that method on its argument.
      if (std::string m = folded_string(f, n.args[0], 0); !m.empty()) {
        a.type = "methodcaller";
        a.text = m;
        a.bound = partial_arguments(f, n);  // (the method's further arguments, `dim=-1`)
        return a;
      }
    }
    if (n.op == "layer") {
      const ir::LayerInfo* li = ir::torch_layer(n.name);
      a.type = n.name;
      if (li && li->container) {
        a.kind = AttrKind::Container;
        add_children(f, n, a, depth);
        // `blocks = nn.ModuleList(); for ...: blocks.append(Block())`: what the edits add.
        for (NodeId e : list_versions(f, id))
          if (const Node& g = f.node(e); grows(g) && g.args.size() >= 2) {
            std::vector<Attr> added;
            collect_list(f, g.op == "insert" && g.args.size() >= 3 ? g.args[2] : g.args[1], added, depth + 1,
                         g.op == "append" || g.op == "insert");
            append_elements(a, std::move(added), g.scope_depth > 0);  // (in a loop: one for every element)
          }
        for (const auto& c : a.children) a.learned |= c.learned;
      } else {
        a.kind = AttrKind::Layer;
        a.learned = li && li->learned;
      }
      return a;
    }
    if (n.op == "parameter") {
      a.kind = AttrKind::Parameter;
      a.learned = true;
      // nn.Parameter(t, requires_grad=False) is never trained: a constant dressed as a parameter.
      NodeId rg = n.args.size() >= 2 ? n.args[1] : ir::kNoNode;
      for (const auto& [k, v] : n.kwargs)
        if (k == "requires_grad") rg = v;
      if (rg >= 0 && f.node(rg).num && *f.node(rg).num == 0) a.learned = false;
      a.scalar = !n.args.empty() && one_number(f, n.args[0], 0);
      return a;
    }
    if ((n.op == "call" || n.op == "call_value") && n.target_module >= 0) {
      a.kind = AttrKind::Submodule;
      a.module_class = n.target_module;
      a.type = p_.mod(n.target_module).name;
      return a;
    }
    // (`self.PREPS[vendor]()`: an item of a class-level table called, the callee an item read)
    NodeId callee = n.op == "call_value" && !n.args.empty() ? n.args[0] : kNoNodeId;
    if (n.op == "module_call" && n.target_module < 0 && n.target_function < 0)
      for (const auto& [k, v] : n.kwargs)
        if (k == "self" && v >= 0 && f.node(v).op == "getitem") callee = v;
    if (callee >= 0) {
      // `block(planes)` with `block` a parameter: every user class the callers pass for it (or its
      // default, `def __init__(self, se_layer=ContextSE)`), each a configuration the tree builds.
      std::set<int32_t> classes;
      candidate_classes(f, callee, 0, classes);
      if (!classes.empty()) {
        for (int32_t cls : classes) {
          Attr c;
          c.kind = AttrKind::Submodule;
          c.module_class = cls;
          c.type = p_.mod(cls).name;
          c.init_node = id;
          c.loc = n.loc;
          add_configuration(a, std::move(c));
        }
      }
      // make(**options) with `make` a function value (a partial, a registry's fallback): what
      // each function it can be returns, every one a configuration (beside the classes a registry
      // also holds: `OPS.get(name, partial(build, name))`).
      std::set<int32_t> builders;
      candidate_builders(f, callee, 0, builders);
      for (int32_t g : builders) {
        const Function& b = p_.fn(g);
        for (NodeId r : b.returns) {
          if (b.node(r).args.empty()) continue;
          Attr made = classify(b, b.node(r).args[0], depth + 1);
          made.init_node = id;
          made.loc = n.loc;
          add_configuration(a, std::move(made));
        }
      }
      if (known(a)) return a;
      // `norm_layer(planes)` after `if norm_layer is None: norm_layer = nn.BatchNorm2d`.
      std::string cls = torch_layer_class(f, callee);
      if (const ir::LayerInfo* li = cls.empty() ? nullptr : ir::torch_layer(cls)) {
        a.kind = li->container ? AttrKind::Container : AttrKind::Layer;
        a.type = cls;
        a.learned = li->learned;
        return a;
      }
    }
    if (n.op == "attr" && n.args.size() == 1 && f.node(n.args[0]).op == "call" &&
        f.node(n.args[0]).name == "importlib.import_module" && !f.node(n.args[0]).args.empty()) {
      // importlib.import_module(f".rules.{cfg.rule}", __package__).apply: the function of that
      // name in every module of the tree the (relative) name can be, each a configuration.
      const Node& spec = f.node(f.node(n.args[0]).args[0]);
      if (spec.op == "const" && !spec.num) {
        Attr out;
        for (int32_t g : ir::module_functions(p_, ir::imported_module_template(p_, f.file, &spec), n.name)) {
          Attr c;
          c.function = g;
          c.type = "function";
          c.init_node = id;
          c.loc = n.loc;
          add_configuration(out, std::move(c));
        }
        if (known(out)) return out;
      }
    }
    if (n.op == "call" && n.name == "importlib.import_module" && !n.args.empty() && n.args[0] >= 0) {
      // self.heads = importlib.import_module(cfg.heads_module, __package__): a module object of the
      // tree (which one a template of names), its functions called later (`self.heads.apply(...)`).
      a.type = ir::kImportedModule;
      a.text = ir::imported_module_template(p_, f.file, &f.node(n.args[0]));
      return a;
    }
    if (n.op == "global" && n.target_function < 0 && n.target_module < 0)
      if (int32_t hook = module_getattr(n.name); hook >= 0) {
        // `activations.gated_relu` where the module defines no such name but a module-level
        // `__getattr__` (PEP 562): whatever it returns for a name.
        const Function& g = p_.fn(hook);
        for (NodeId r : g.returns) {
          if (g.node(r).args.empty()) continue;
          Attr made = classify(g, g.node(r).args[0], depth + 1);
          if (!known(made)) continue;
          made.init_node = id;
          made.loc = n.loc;
          return made;
        }
      }
    if (((n.op == "def" || n.op == "lambda") && n.target_function >= 0) ||
        (n.op == "global" && n.target_function >= 0) ||
        (n.op == "attr" && n.target_function >= 0 && !n.args.empty() && !is_self(f, n.args[0]))) {
      // A function of the tree as a value: `fn`, `lambda`, `helpers.fn`, `getattr(helpers, "f" + "n")`.
      a.function = n.target_function;
      a.type = "function";
      return a;
    }
    if (n.op == "attr" && n.target_function < 0 && !n.args.empty() && is_self(f, n.args[0]) &&
        n.name.find("{}") != std::string::npos && f.owner_module >= 0) {
      // getattr(self, "_" + cfg.stage) (a family of names): each method of the class whose name
      // fits, bound to the instance (each a configuration).
      Attr out;
      for (int32_t c : ir::mro(p_, f.owner_module))
        for (const auto& [name, fid] : p_.mod(c).methods)
          if (ir::fits_template(n.name, name) && !name.starts_with("__"))
            add_function_choice(out, fid, "bound_method", id, n.loc, 8);
      if (out.function >= 0) return out;
    }
    if (n.op == "attr" && n.target_function >= 0 && !n.args.empty() && is_self(f, n.args[0]) &&
        !has_decorator(p_.fn(n.target_function), "staticmethod")) {
      // `self.epilogue = self._guard`: one of the instance's own methods, bound to it.
      a.function = n.target_function;
      a.type = "bound_method";
      return a;
    }
    if (n.op == "attr" && n.target_function >= 0 && !n.args.empty() && is_self(f, n.args[0])) {
      // `self._identity` of a staticmethod: the plain function (no instance bound)
      a.function = n.target_function;
      a.type = "function";
      return a;
    }
    if (n.op == "getitem" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0 &&
        f.node(n.args[0]).op == "call" && (f.node(n.args[0]).name == "globals" || f.node(n.args[0]).name == "vars") &&
        f.node(n.args[0]).args.empty() && !(f.node(n.args[1]).op == "const" && !f.node(n.args[1]).num)) {
      // globals()[config.output_filter]: the name is configured elsewhere; any function the file
      // defines at module level may be the one it names (each a configuration).
      Attr out;
      for (const Function& g : p_.functions)
        if (g.file == f.file && g.owner_module < 0 && g.parent >= 0 && p_.fn(g.parent).name == "<module>" &&
            !g.params.empty())
          add_function_choice(out, g.id, "function", id, n.loc, 12);
      if (out.function >= 0) return out;
    }
    if (n.op == "call" && (n.name == "functools.partial" || n.name == "partial") && !n.args.empty()) {
      // functools.partial(fn, **options): calling it runs `fn` with the options bound.
      Attr inner = classify(f, n.args[0], depth + 1);
      if (inner.function >= 0 || inner.kind == AttrKind::Submodule) {
        inner.init_node = id;
        inner.loc = n.loc;
        inner.bound = partial_arguments(f, n);
        return inner;
      }
    }
    if (n.op == "getitem" && n.args.size() == 2) {
      // `cache[name] = make(...); return cache[name]`: the value stored under that same key.
      std::vector<NodeId> work{n.args[0]};
      std::set<NodeId> seen;
      while (!work.empty() && seen.size() < 16) {
        NodeId cur = work.back();
        work.pop_back();
        if (cur < 0 || !seen.insert(cur).second) continue;
        const Node& c = f.node(cur);
        if (c.op == "phi") work.insert(work.end(), c.args.begin(), c.args.end());
        if (c.op == "setitem" && c.args.size() == 3 && c.args[1] == n.args[1]) {
          Attr stored = classify(f, c.args[2], depth + 1);
          if (known(stored)) {
            stored.init_node = id;
            stored.loc = n.loc;
            return stored;
          }
        }
      }
    }
    if (n.op == "getitem" && n.args.size() == 2 && n.args[0] >= 0 && f.node(n.args[0]).op == "param")
      // station["calibration_card"] with `station` a module-level dict every caller passes
      // (`from_pretrained(STATION)`): that entry.
      if (auto [gf, dict] = passed_global(f, f.node(n.args[0])); gf && gf->node(dict).op == "dict")
        if (const Node& key = f.node(n.args[1]); key.op == "const" && !key.num && !key.name.empty())
          if (NodeId e = ir::dict_entry(*gf, dict, key.name); e >= 0) {
            Attr entry = classify(*gf, e, depth + 1);
            if (known(entry)) {
              entry.init_node = id;
              entry.loc = n.loc;
              return entry;
            }
          }
    if (n.op == "getitem" && n.args.size() == 2) {
      // TABLE[name] with TABLE a dict of callables (a registry), the key folded where it can be.
      if (Attr entry = registry_entry(f, n, depth); entry.function >= 0 || entry.kind != AttrKind::Other) return entry;
      // self.policies[name] of a ModuleDict / dict built earlier: the entry the key names first,
      // every other entry as an alternative (a config string picks one; each is reachable).
      const Node& base = f.node(n.args[0]);
      const Attr* table = base.op == "attr" && !base.args.empty() && is_self(f, base.args[0]) && current_
                              ? find(*current_, base.name)
                              : nullptr;
      if (table && !table->children.empty() && (table->type == "ModuleDict" || table->type == "dict")) {
        const std::string key = folded_string(f, n.args[1], 0);
        Attr out;
        for (const Attr& c : table->children)
          if (c.name == key) add_configuration(out, c);
        for (const Attr& c : table->children)
          if (c.name != key) add_configuration(out, c);
        out.init_node = id;
        out.loc = n.loc;
        if (known(out)) return out;
      }
    }
    if (n.op == "param")
      if (auto [caller, arg] = bound_argument(f, n); caller) {
        // A builder's parameter: what its caller passed (make("policy", "route") -> name = "route").
        auto saved = binds_;
        while (!binds_.empty() && binds_.back().callee != &f) binds_.pop_back();
        if (!binds_.empty()) binds_.pop_back();
        Attr bound = classify(*caller, arg, depth + 1);
        binds_ = std::move(saved);
        // Known, or the caller's own constructor argument (bound where the class is built).
        if (known(bound) || bound.type.starts_with("argument:")) return bound;
      }
    if (n.op == "param" && binds_.empty())
      // `model.apply(functools.partial(visit, profile=p))`: what the one partial binding the
      // parameter by keyword gives it.
      if (auto [caller, arg] = partial_keyword(f, n); caller) {
        Attr bound = classify(*caller, arg, depth + 1);
        if (known(bound)) return bound;
        // (a parameter of the constructor that makes the partial: its default, as built by default)
        for (const auto& [k, d] : caller->node(arg).op == "param" ? caller->node(arg).kwargs : Node{}.kwargs)
          if (k == "default" && d >= 0)
            if (Attr dflt = classify(*caller, d, depth + 1); known(dflt)) return dflt;
      }
    if (n.op == "call_value" && !n.args.empty() && n.args[0] >= 0 && f.node(n.args[0]).op == "iter_item" &&
        !f.node(n.args[0]).args.empty()) {
      // `for sub in cls.__subclasses__(): if sub.key == key: return sub(**kw)`: an instance of one of
      // the class's subclasses in the tree, each a configuration.
      const Node& subs = f.node(f.node(n.args[0]).args[0]);
      if (int32_t base = subs.op == "__subclasses__" && !subs.args.empty() ? receiver_class(f, subs.args[0]) : -1;
          base >= 0) {
        Attr out;
        for (const ir::Module& m : p_.modules)
          if (std::find(m.base_modules.begin(), m.base_modules.end(), base) != m.base_modules.end()) {
            Attr sub;
            sub.kind = AttrKind::Submodule;
            sub.module_class = m.id;
            sub.type = m.name;
            sub.init_node = id;
            sub.loc = n.loc;
            add_configuration(out, std::move(sub));
          }
        if (known(out)) return out;
      }
    }
    if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0) {
      // A builder function: what it returns, its parameters bound to this call's arguments. A
      // singledispatch generic returns what one of its registered implementations does: each a
      // configuration.
      std::vector<int32_t> builders{n.target_function};
      for (int32_t impl : p_.fn(n.target_function).overloads) builders.push_back(impl);
      Attr found;
      bool ok = false;
      for (int32_t b : builders) {
        const Function& g = p_.fn(b);
        binds_.push_back({&g, &f, &n});
        for (NodeId r : g.returns) {
          const Node& rn = g.node(r);
          if (rn.args.empty()) continue;
          Attr inner = classify(g, rn.args[0], depth + 1);
          if (known(inner) || !inner.children.empty()) {  // (a list of modules or callables counts)
            inner.init_node = id;
            inner.loc = n.loc;
            if (!ok) found = std::move(inner);
            else add_configuration(found, std::move(inner));
            ok = true;
            break;
          }
        }
        binds_.pop_back();
      }
      return ok ? found : a;
    }
    if (n.num && n.op != "param") {
      a.kind = AttrKind::Constant;
      a.num = n.num;
      return a;
    }
    if (number_sequence(f, id, 0) || stored_table(f, id, 0)) {
      // (101, 7, 355), RESET = (...) at module level, tuple(ids=(...)): a stored pattern.
      a.type = "sequence";
      return a;
    }
    if (n.op == "param") {
      // A constructor argument whose default is an instance of a class of the tree (`config=Config()`).
      for (const auto& [k, v] : n.kwargs)
        if (k == "default" && v >= 0 && (f.node(v).op == "call" || f.node(v).op == "call_value") &&
            f.node(v).target_module >= 0) {
          Attr d = classify(f, v, depth + 1);
          if (known(d)) return d;
        }
      // A constructor argument defaulting to a sequence of callables (`post=(route,)`): its items,
      // until a construction site passes others (bind_constructor_arguments).
      for (const auto& [k, v] : n.kwargs)
        if (k == "default" && v >= 0 &&
            (f.node(v).op == "tuple" || f.node(v).op == "list" || module_level_sequence(f.node(v)) ||
             (f.node(v).op == "call" && (f.node(v).name == "tuple" || f.node(v).name == "list")))) {
          auto [mf, gv] = f.node(v).op == "global" ? global_value(f.node(v)) : std::make_pair(&f, v);
          Attr d = classify(*mf, gv, depth + 1);
          if (std::any_of(d.children.begin(), d.children.end(), callable_value)) {
            d.type = "argument:" + n.name;
            return d;
          }
        }
      // `def __init__(self, config)` in a class declaring `config_class = XConfig` (the transformers
      // convention): the configuration the model is built with, an XConfig with its defaults
      // unless a construction site passes another.
      if (f.params.size() >= 2 && f.params[1] == n.name)
        if (int32_t cfg = declared_config_class(f.owner_module); cfg >= 0) {
          a.kind = AttrKind::Submodule;
          a.module_class = cfg;
          a.type = p_.mod(cfg).name;
          return a;
        }
      // `def __init__(self, cfg: Config)`: an instance of the annotated class of the tree (a
      // configuration, not a layer), with its defaults unless a construction site passes another.
      for (const auto& [k, v] : n.kwargs) {
        if (k != "annotation" || v < 0) continue;
        const Node& t = f.node(v);
        if ((t.op == "global" || t.op == "class") && t.target_module >= 0 && !p_.mod(t.target_module).is_nn_module) {
          a.kind = AttrKind::Submodule;
          a.module_class = t.target_module;
          a.type = p_.mod(t.target_module).name;
          return a;
        }
      }
      // A constructor argument: its default value when it is a literal (levels=64) or a module-level
      // number (pad_id=PAD).
      for (const auto& [k, v] : n.kwargs) {
        if (k != "default" || v < 0) continue;
        std::optional<double> num = f.node(v).num;
        if (!num && f.node(v).op == "global")
          if (auto [mf, g] = global_value(f.node(v)); mf && g >= 0) num = mf->node(g).num;
        if (num) {
          a.kind = AttrKind::Constant;
          a.num = num;
          a.type = "argument:" + n.name;
          return a;
        }
      }
      if (std::string s = folded_string(f, id, 0); !s.empty()) {  // mode="mute": a string setting
        a.kind = AttrKind::Constant;
        a.text = s;
        a.type = "argument:" + n.name;
        return a;
      }
      a.type = "argument:" + n.name;
      return a;
    }
    if (n.op == "comprehension" && !n.args.empty()) {
      // [REGISTRY[k](cfg) for k in names]: a list whose every item is what the element builds.
      auto [value, key] = comprehension_item(f, n);
      // [t for t in (transforms or (Scrub(), Log())) if isinstance(t, Proto)]: a list of (some of)
      // the objects of the sequence the comprehension reads.
      if (const Node& it = f.node(value); key == "*" && it.op == "iter_item" && it.args.size() == 1) {
        a.type = "list";
        add_list_children(f, n, a, depth);
        if (std::any_of(a.children.begin(), a.children.end(), [&](const Attr& c) { return callable_value(c); }))
          return a;
        a.children.clear();
        a.type.clear();
      }
      // {f"{name}:{i}": fn for i, (name, fn) in enumerate(parts)}: a part of each element of the
      // sequence unpacked (the elements' callables; an element's parts are not kept apart).
      if (NodeId seq = unpacked_sequence(f, value); seq >= 0) {
        std::vector<Attr> parts;
        collect_list(f, seq, parts, depth + 1, false);
        for (auto& c : parts)
          if (callable_value(c) && a.children.size() < 16) {
            c.name = key;
            a.children.push_back(std::move(c));
          }
        if (!a.children.empty()) {
          a.type = n.name == "dict" ? "dict" : "list";
          return a;
        }
      }
      Attr item = classify(f, value, depth + 1);
      if (callable_value(item)) {
        item.name = key;
        a.type = n.name == "dict" ? "dict" : "list";  // {slot: Tap() for slot in profile}: keyed
        a.children.push_back(std::move(item));
        return a;
      }
    }
    if (n.op == "add" && !n.has(ir::kInPlace) && n.args.size() == 2 && concatenated_lists(f, id, 0)) {
      // `[Window()] + ([Check()] if qa else []) + [Scale()]`: the items of every part, in order.
      a.type = "list";
      add_list_children(f, n, a, depth);
      return a;
    }
    if (empty_mapping(n) || (n.op == "call" && (n.name == "collections.defaultdict" || n.name == "defaultdict") &&
                             n.args.size() <= 1 && n.kwargs.empty())) {
      // dict(), OrderedDict(), defaultdict(factory): a mapping the constructor then fills by key
      // (`self.post["herd"] = self._lock`).
      a.type = "dict";
      return a;
    }
    if (n.op == "const" || n.op == "tuple" || n.op == "list" || n.op == "dict") {
      a.kind = n.op == "const" ? AttrKind::Constant : AttrKind::Other;
      a.type = n.op;
      for (const auto& [k, v] : n.kwargs)
        if (n.op == "const" && k == "string") a.text = n.name;
      if (n.op == "list" || n.op == "dict" || n.op == "tuple") add_list_children(f, n, a, depth);
      return a;
    }
    // A tensor built from a factory, possibly reshaped or scaled: a plain tensor.
    std::string factory = find_factory(f, id, 0);
    if (!factory.empty()) {
      a.kind = AttrKind::PlainTensor;
      a.type = factory;
      a.factory_made = n.op == factory;
      if (a.factory_made) a.fill = fill_value(f, n);
      // `torch.ones(3, 1, 7, 7) / 49`: a uniform factory scaled by a number is as uniform (a box filter)
      if (!a.factory_made && (n.op == "mul" || n.op == "div") && n.args.size() == 2)
        for (size_t k = 0; k < 2; ++k) {
          const Node& t = f.node(n.args[k]);
          const Node& c = f.node(n.args[1 - k]);
          if (t.op != factory || !c.num || (n.op == "div" && k == 1) || *c.num == 0) continue;
          if (auto v = fill_value(f, t)) {
            a.factory_made = true;
            a.fill = n.op == "mul" ? *v * *c.num : *v / *c.num;
          }
        }
    }
    return a;
  }

  // The one value a factory fills a tensor with: `torch.full(shape, float("nan"))`, `zeros(...)`,
  // `ones(...)`; nullopt when it is not uniform or not a literal.
  static std::optional<double> fill_value(const Function& f, const Node& n) {
    if (n.op == "zeros" || n.op == "zeros_like" || n.op == "new_zeros") return 0.0;
    if (n.op == "ones" || n.op == "ones_like" || n.op == "new_ones") return 1.0;
    const size_t at = n.op == "full" || n.op == "full_like" ? 1 : n.op == "new_full" ? 2 : 0;
    if (at == 0 || n.args.size() <= at || n.args[at] < 0) return std::nullopt;
    const Node& v = f.node(n.args[at]);
    if (v.num) return v.num;
    if (v.op == "neg" && !v.args.empty() && f.node(v.args[0]).num) return -*f.node(v.args[0]).num;
    if (v.op == "call" && v.name == "float" && !v.args.empty()) {  // float("nan"), float("-inf")
      const std::string& lit = f.node(v.args[0]).name;
      if (lit.find("nan") != std::string::npos) return std::numeric_limits<double>::quiet_NaN();
      if (lit.find("inf") != std::string::npos)
        return lit.find('-') != std::string::npos ? -std::numeric_limits<double>::infinity()
                                                  : std::numeric_limits<double>::infinity();
    }
    return std::nullopt;
  }

  // The caller's argument for parameter `param` of `f` while classify() follows a builder call.
  std::pair<const Function*, NodeId> bound_argument(const Function& f, const Node& param) {
    for (auto it = binds_.rbegin(); it != binds_.rend(); ++it) {
      if (it->callee != &f) continue;
      const Node& call = *it->call;
      for (const auto& [k, v] : call.kwargs)
        if (k == param.name) return {it->caller, v};
      size_t first = call.op == "call_value" ? 1 : 0;
      if (param.num && first + static_cast<size_t>(*param.num) < call.args.size()) {
        NodeId arg = call.args[first + static_cast<size_t>(*param.num)];
        if (it->caller->node(arg).op != "starred") return {it->caller, arg};
      }
      return {nullptr, kNoNodeId};
    }
    return {nullptr, kNoNodeId};
  }

  // The arguments functools.partial(fn, ...) binds; a factory's `*args` / `**kwargs` passed on
  // (`def make(name, **kw): return partial(TABLE[name], **kw)`) are its caller's extra arguments.
  std::vector<Attr::BoundArg> partial_arguments(const Function& f, const Node& call) {
    std::vector<Attr::BoundArg> out;
    for (size_t i = 1; i < call.args.size(); ++i) {
      const Node& a = f.node(call.args[i]);
      if (a.op != "starred") {
        out.push_back({"", f.id, call.args[i]});
        continue;
      }
      const Node& pack = a.args.empty() ? a : f.node(a.args[0]);
      if (pack.op != "param") continue;
      bool double_star = false;
      for (const auto& [k, v] : pack.kwargs) double_star |= k == "double_star";
      for (auto it = binds_.rbegin(); it != binds_.rend(); ++it) {
        if (it->callee != &f) continue;
        const Node& site = *it->call;
        if (double_star) {
          for (const auto& [k, v] : site.kwargs)
            if (std::find(f.params.begin(), f.params.end(), k) == f.params.end()) out.push_back({k, it->caller->id, v});
        } else {
          size_t first = (site.op == "call_value" ? 1 : 0) + (pack.num ? static_cast<size_t>(*pack.num) : 0);
          for (size_t k = first; k < site.args.size(); ++k) out.push_back({"", it->caller->id, site.args[k]});
        }
        break;
      }
    }
    for (const auto& [k, v] : call.kwargs) out.push_back({k, f.id, v});
    return out;
  }

  // A string a value folds to: a literal, or a builder parameter bound to one.
  std::string folded_string(const Function& f, NodeId id, int depth) {
    if (id < 0 || depth > 6) return {};
    const Node& n = f.node(id);
    if (n.op == "const" && !n.num) {
      for (const auto& [k, v] : n.kwargs)
        if (k == "string") return n.name;
      return {};  // None, Ellipsis
    }
    if (n.op != "param") return {};
    for (const auto& [k, d] : n.kwargs)  // a constructor's default, when no caller is being followed
      if (k == "default" && binds_.empty()) return folded_string(f, d, depth + 1);
    auto [caller, arg] = bound_argument(f, n);
    if (!caller) return {};
    auto saved = binds_;
    while (!binds_.empty() && binds_.back().callee != &f) binds_.pop_back();
    if (!binds_.empty()) binds_.pop_back();
    std::string s = folded_string(*caller, arg, depth + 1);
    binds_ = std::move(saved);
    return s;
  }

  // A dict / list / tuple literal, or a module-level name bound to one (not a class: `tuple(Enum)`).
  bool literal_table(const Function& f, NodeId id) {
    const Node& n = f.node(id);
    auto literal = [](const Node& x) { return x.op == "dict" || x.op == "list" || x.op == "tuple"; };
    if (literal(n)) return true;
    if (n.op != "global" || n.target_module >= 0 || n.target_function >= 0) return false;
    auto [mf, v] = global_value(n);
    return mf && v >= 0 && literal(mf->node(v));
  }

  // The dict literals a value can be: itself, a module-level name, a class attribute read through
  // `self` (`self.PREPS`, bound by the class body or a base's), either arm of a conditional.
  void dict_literals(const Function& f, NodeId id, int depth, std::vector<std::pair<const Function*, NodeId>>& out) {
    if (id < 0 || depth > 4 || out.size() >= 4) return;
    const Node& n = f.node(id);
    if (n.op == "dict") out.emplace_back(&f, id);
    if (n.op == "global")
      if (auto [mf, v] = global_value(n); mf) dict_literals(*mf, v, depth + 1, out);
    if (n.op == "attr" && n.args.size() == 1 && is_self(f, n.args[0]) && f.owner_module >= 0)
      for (int32_t c : ir::mro(p_, f.owner_module)) {
        const ir::Module& m = p_.mod(c);
        auto it = m.class_vars.find(n.name);
        if (m.body_function < 0 || it == m.class_vars.end()) continue;
        dict_literals(p_.fn(m.body_function), it->second, depth + 1, out);
        break;
      }
    if (n.op == "select" && n.args.size() == 3) {
      dict_literals(f, n.args[1], depth + 1, out);
      dict_literals(f, n.args[2], depth + 1, out);
    }
    if (n.op == "phi")
      for (NodeId a : n.args) dict_literals(f, a, depth + 1, out);
  }

  // TABLE[key]: the entry for a folded key (in whichever candidate dict has it); with an unknown
  // key every callable entry is a configuration (the first, the others as alternatives).
  Attr registry_entry(const Function& f, const Node& n, int depth) {
    Attr out;
    std::vector<std::pair<const Function*, NodeId>> dicts;
    dict_literals(f, n.args[0], 0, dicts);
    if (dicts.empty()) return out;
    std::string key = folded_string(f, n.args[1], 0);
    for (auto [df, d] : dicts) {
      const Node& dn = df->node(d);
      for (size_t k = 0; k + 1 < dn.args.size(); k += 2) {
        const Node& kn = df->node(dn.args[k]);
        if (!key.empty() && (kn.op != "const" || kn.num || kn.name != key)) continue;
        Attr e = classify(*df, dn.args[k + 1], depth + 1);
        e.init_node = n.id;
        e.loc = n.loc;
        add_configuration(out, std::move(e));
      }
    }
    return out;
  }

  std::set<std::pair<const Function*, NodeId>> factory_seen_;  // (see find_factory)
  std::pair<int32_t, NodeId> helper_receiver_{-1, -1};  // (function, parameter) standing for `self`

  void build(ir::Module& m) {
    m.attrs.clear();
    // __init__ first, then attributes first set by other methods.
    std::vector<int32_t> order;
    if (int32_t init = m.method("__init__"); init >= 0) order.push_back(init);
    std::vector<int32_t> others;
    for (auto& [name, id] : m.methods)
      if (name != "__init__") others.push_back(id);
    std::sort(others.begin(), others.end());  // source order, not the hash map's
    order.insert(order.end(), others.begin(), others.end());
    for (int32_t fid : order) {
      // Code that runs when the weights are loaded sets what inference sees, as __init__ does.
      bool init_like = (fid == order.front() && m.method("__init__") >= 0) || runs_at_load(m, fid);
      collect(m, p_.fn(fid), init_like);
      // Nested helpers of __init__ (closures writing self.x) are visited too.
      for (int32_t g : children_of(fid)) collect(m, p_.fn(g), false);
    }
    if (int32_t init = m.method("__init__"); init >= 0) install_helpers(m, p_.fn(init));
    bind_partial_methods(m);
    collect_class_vars(m);
    if (int32_t init = m.method("__init__"); init >= 0 && container_class(m))
      for (const Node& n : p_.fn(init).nodes)
        if (n.op == "call" && n.name == "super.__init__") add_items(m, p_.fn(init), n, 1);
  }

  // The class a `config_class = XConfig` class attribute names, declared by the class whose
  // constructor this is (or a base), or by the subclass being built from it; -1 if none.
  int32_t declared_config_class(int32_t owner) const {
    if (owner < 0) return -1;
    int32_t from = owner;
    if (current_ && current_->id != owner) {
      auto order = ir::mro(p_, current_->id);
      if (std::find(order.begin(), order.end(), owner) != order.end()) from = current_->id;
    }
    for (int32_t c : ir::mro(p_, from)) {
      const ir::Module& m = p_.mod(c);
      auto it = m.class_vars.find("config_class");
      if (it == m.class_vars.end() || it->second < 0 || m.body_function < 0) continue;
      const Node& v = p_.fn(m.body_function).node(it->second);
      return v.target_module;
    }
    return -1;
  }

  // A subclass of nn.Sequential / nn.ModuleList: the instance is itself a container.
  static bool container_class(const ir::Module& m) {
    for (const auto& b : m.bases)
      if (b == "torch.nn.Sequential" || b == "torch.nn.ModuleList") return true;
    return false;
  }

  // The layers a container class is built with: the arguments of `super().__init__(...)` or of
  // its construction, from `first` on (`*layers` spreads a list).
  void add_items(ir::Module& m, const Function& f, const Node& call, size_t first) {
    if (find(m, ir::kContainerItems)) return;
    Attr items;
    items.kind = AttrKind::Container;
    items.type = "Sequential";
    items.loc = call.loc;
    std::vector<Attr> out;
    current_ = &m;
    for (size_t i = first; i < call.args.size(); ++i) collect_list(f, call.args[i], out, 0, true);
    for (auto& c : out) {
      if (c.name.empty() || c.name == "*") c.name = std::to_string(items.children.size());
      items.children.push_back(std::move(c));
    }
    if (items.children.empty()) return;
    items.name = ir::kContainerItems;
    m.attrs.push_back(std::move(items));
  }

  // Another construction of a container class: its items join the first one's, position by position.
  void merge_items(ir::Module& m, const Function& f, const Node& call, size_t first) {
    Attr* items = find(m, ir::kContainerItems);
    if (!items) return;
    std::vector<Attr> out;
    current_ = &m;
    for (size_t i = first; i < call.args.size(); ++i) collect_list(f, call.args[i], out, 0, true);
    auto same = [](const Attr& a, const Attr& b) {
      return a.kind == b.kind && a.type == b.type && a.module_class == b.module_class && a.function == b.function;
    };
    for (size_t k = 0; k < out.size(); ++k) {
      Attr& c = out[k];
      c.name = std::to_string(k);
      if (k >= items->children.size()) {
        items->children.push_back(std::move(c));
        continue;
      }
      Attr& at = items->children[k];
      if (same(at, c) ||
          std::any_of(at.alternatives.begin(), at.alternatives.end(), [&](const Attr& x) { return same(x, c); }))
        continue;
      if (at.alternatives.size() < 8) at.alternatives.push_back(std::move(c));
    }
  }

  // Whether the method runs when a checkpoint is loaded: `_load_from_state_dict`,
  // `load_state_dict`, `__setstate__`, or a load hook the class registers (bind_load_hooks).
  static bool runs_at_load(const ir::Module& m, int32_t fid) {
    for (const auto& [name, id] : m.methods)
      if (id == fid && (name == "_load_from_state_dict" || name == "load_state_dict" || name == "__setstate__" ||
                        name.rfind(kLoadHookPrefix, 0) == 0 || name == kInstalledInit))
        return true;
    return false;
  }

  // Class attributes and dataclass / NamedTuple fields the constructor does not set: their
  // defaults are what an instance built without arguments holds (`cfg = Config()`; `cfg.bound`).
  // `forward = functools.partialmethod(impl, audit=True)`: the method is `impl`, with the keywords
  // bound (once the linker has resolved `Base._impl` to its function).
  void bind_partial_methods(ir::Module& m) {
    if (m.body_function < 0) return;
    const Function& body = p_.fn(m.body_function);
    for (const auto& [name, node] : m.class_vars) {
      if (node < 0) continue;
      const Node& c = body.node(node);
      if (c.op != "call" || (c.name != "functools.partialmethod" && c.name != "partialmethod") || c.args.empty())
        continue;
      const Node& impl = body.node(c.args[0]);
      if (impl.target_function < 0) continue;
      m.methods[name] = impl.target_function;
      m.method_keywords[name] = c.kwargs;
    }
  }

  void collect_class_vars(ir::Module& m) {
    if (m.body_function < 0) return;
    const Function& body = p_.fn(m.body_function);
    std::vector<std::pair<std::string, NodeId>> vars(m.class_vars.begin(), m.class_vars.end());
    std::sort(vars.begin(), vars.end());
    for (const auto& [name, node] : vars) {
      if (m.methods.count(name) || find(m, name) || node < 0) continue;
      current_ = &m;
      if (auto [fn, bound] = descriptor_function(body, node); fn >= 0) {
        Attr a;
        a.name = name;
        a.function = fn;
        a.type = bound ? "bound_method" : "function";
        a.init_node = node;
        a.loc = body.node(node).loc;
        m.attrs.push_back(std::move(a));
        continue;
      }
      auto [vf, v] = field_default(body, node);
      Attr a = classify(*vf, v, 0);
      // `stamp = ()` in the class body, filled per specialisation (`type(name, (cls,), {"stamp":
      // (...)})`, a subclass): a stored sequence, empty until then.
      if (const Node& lit = vf->node(v); (lit.op == "tuple" || lit.op == "list") && lit.args.empty())
        a.type = "sequence";
      // (a list of callables: `post: list = field(default_factory=lambda: [clip, check])`)
      const bool callables = std::any_of(a.children.begin(), a.children.end(), callable_value);
      if (a.kind != AttrKind::Constant && a.kind != AttrKind::PlainTensor && a.type != "sequence" && !callables)
        continue;
      a.name = name;
      m.attrs.push_back(std::move(a));
    }
  }

  // `finalize = Policy(fn)` in a class body, with `Policy` a descriptor whose `__get__(self, obj)`
  // binds a function its constructor stored (`return functools.partial(self.fn, obj)`,
  // `types.MethodType(self.fn, obj)`): `self.finalize(...)` runs `fn` bound to the instance; a
  // `__get__` returning a closure (`def bound(logits, x): ...; return bound`) runs that closure.
  // {the function, whether the instance is bound to its first parameter}, or {-1, false}.
  std::pair<int32_t, bool> descriptor_function(const Function& body, NodeId id) const {
    const Node& n = body.node(id);
    if (n.op != "call" || n.target_module < 0) return {-1, false};
    const int32_t get = find_method(p_, n.target_module, "__get__");
    if (get < 0) return {-1, false};
    const Function& g = p_.fn(get);
    for (NodeId r : g.returns) {
      const Node& ret = g.node(r);
      if (!ret.args.empty() && ret.args[0] >= 0 && g.node(ret.args[0]).op == "def" &&
          g.node(ret.args[0]).target_function >= 0)
        return {g.node(ret.args[0]).target_function, false};
    }
    const int32_t init = find_method(p_, n.target_module, "__init__");
    if (init < 0) return {-1, false};
    const Function& ctor = p_.fn(init);
    if (g.param_nodes.size() < 2 || ctor.param_nodes.empty()) return {-1, false};
    for (NodeId r : g.returns) {
      const Node& ret = g.node(r);
      if (ret.args.empty() || ret.args[0] < 0) continue;
      const Node& v = g.node(ret.args[0]);
      if (!binds_method(v) || v.args.size() < 2 || v.args[0] < 0 || v.args[1] != g.param_nodes[1]) continue;
      const Node& stored = g.node(v.args[0]);
      if (stored.op != "attr" || stored.args.empty() || stored.args[0] != g.param_nodes[0]) continue;
      // The constructor parameter stored under that name, and what the class body passes for it.
      for (const Node& s : ctor.nodes) {
        if (s.op != "setattr" || s.name != stored.name || s.args.size() != 2 || s.args[0] != ctor.param_nodes[0])
          continue;
        const Node& param = ctor.node(s.args[1]);
        if (param.op != "param" || !param.num || *param.num < 1) continue;
        const size_t at = static_cast<size_t>(*param.num) - 1;
        NodeId arg = at < n.args.size() ? n.args[at] : ir::kNoNode;
        for (const auto& [k, kv] : n.kwargs)
          if (k == param.name) arg = kv;
        if (arg >= 0 && body.node(arg).target_function >= 0) return {body.node(arg).target_function, true};
      }
    }
    return {-1, false};
  }

  // `field(default=v)` -> v; `field(default_factory=lambda: v)` -> v (in the lambda); else as is.
  std::pair<const Function*, NodeId> field_default(const Function& f, NodeId id) {
    const Node& n = f.node(id);
    if (n.op != "call" || !(n.name == "dataclasses.field" || n.name == "field")) return {&f, id};
    for (const auto& [k, v] : n.kwargs) {
      if (k == "default") return {&f, v};
      if (k == "default_factory" && v >= 0 && f.node(v).target_function >= 0) {
        const Function& g = p_.fn(f.node(v).target_function);
        for (NodeId r : g.returns)
          if (!g.node(r).args.empty()) return {&g, g.node(r).args[0]};
      }
    }
    return {&f, id};
  }

  // Functions nested directly in `fid` (an index built once: scanning every function for every
  // method was quadratic in the size of the tree).
  const std::vector<int32_t>& children_of(int32_t fid) {
    if (children_.size() != p_.functions.size()) {
      children_.assign(p_.functions.size(), {});
      for (size_t i = 0; i < p_.functions.size(); ++i)
        if (int32_t parent = p_.functions[i].parent; parent >= 0 && static_cast<size_t>(parent) < children_.size())
          children_[static_cast<size_t>(parent)].push_back(static_cast<int32_t>(i));
    }
    return children_[static_cast<size_t>(fid)];
  }

  // `self.blocks[0].post = functools.partial(fn, lane=k)` in a constructor: the submodule reached
  // (a container's child, an attribute) holds that value as one more configuration of its slot.
  void submodule_slot_assignments() {
    for (size_t mi = 0; mi < p_.modules.size(); ++mi) {
      const int32_t init = p_.modules[mi].method("__init__");
      if (init < 0) continue;
      const Function& f = p_.fn(init);
      for (const Node& n : f.nodes) {
        if (n.op != "setattr" || n.args.size() != 2 || n.args[0] < 0 || n.args[1] < 0 || n.has(ir::kInPlace) ||
            is_self(f, n.args[0]))
          continue;
        const int32_t cls = reached_class(p_.modules[mi], f, n.args[0], 0);
        if (cls < 0 || cls == static_cast<int32_t>(mi)) continue;
        current_ = &p_.modules[mi];
        Attr v = classify(f, n.args[1], 0);
        if (!known(v)) continue;
        ir::Module& target = p_.modules[static_cast<size_t>(cls)];
        if (Attr* slot = find(target, n.name)) {
          add_configuration(*slot, std::move(v));
        } else {
          v.name = n.name;
          target.attrs.push_back(std::move(v));
        }
      }
    }
  }

  // The class of the submodule `self.a`, `self.a[k]` or `self.a.b` names in `m`'s constructor, or -1.
  int32_t reached_class(ir::Module& m, const Function& f, NodeId id, int depth) {
    if (id < 0 || depth > 4) return -1;
    const Node& x = f.node(id);
    const Attr* a = nullptr;
    if (x.op == "attr" && x.args.size() == 1 && is_self(f, x.args[0])) a = find(m, x.name);
    if (x.op == "getitem" && x.args.size() == 2) {
      const Node& base = f.node(x.args[0]);
      if (base.op == "attr" && base.args.size() == 1 && is_self(f, base.args[0]))
        if (const Attr* c = find(m, base.name); c && !c->children.empty()) a = &c->children.front();
    }
    if (x.op == "attr" && x.args.size() == 1 && !is_self(f, x.args[0]))
      if (int32_t outer = reached_class(m, f, x.args[0], depth + 1); outer >= 0)
        a = find(p_.modules[static_cast<size_t>(outer)], x.name);
    return a && a->kind == AttrKind::Submodule ? a->module_class : -1;
  }

  // `def visit(m): if isinstance(m, Head): m.post.append(fn)` (a visitor handed to `model.apply`):
  // what it appends to a list attribute of the class it tests for is one more element of that list.
  void visitor_appends() {
    for (const auto& f : p_.functions)
      for (const Node& n : f.nodes) {
        // `if isinstance(m, Block): m.tap = fn`: one more configuration of that attribute of the class.
        if (n.op == "setattr" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0 && !n.has(ir::kInPlace) &&
            f.node(n.args[0]).op == "param")
          if (int32_t cls = tested_class(f, n.args[0]); cls >= 0) {
            ir::Module& m = p_.modules[static_cast<size_t>(cls)];
            current_ = &m;
            Attr v = classify(f, n.args[1], 0);
            if (!known(v)) continue;
            v.passed_in = true;
            if (!v.loc.valid()) v.loc = n.loc;
            if (Attr* slot = find(m, n.name)) {
              // (over the constructor's `None` placeholder, what the visitor stores is what is read)
              if (none_placeholder(*slot) && v.kind != AttrKind::Constant) {
                *slot = std::move(v);
                slot->name = n.name;
              } else {
                add_configuration(*slot, std::move(v));
              }
            } else {
              v.name = n.name;
              m.attrs.push_back(std::move(v));
            }
            continue;
          }
        if (!(n.op == "append" || n.op == "insert" || n.op == "extend") || n.args.size() < 2 || n.args[0] < 0) continue;
        const Node& list = f.node(n.args[0]);
        if (list.op != "attr" || list.args.empty() || list.args[0] < 0 || f.node(list.args[0]).op != "param") continue;
        const int32_t cls = tested_class(f, list.args[0]);
        if (cls < 0) continue;
        ir::Module& m = p_.modules[static_cast<size_t>(cls)];
        Attr* l = find(m, list.name);
        if (!l || l->type == "tuple" || !growable(*l)) continue;
        current_ = &m;
        std::vector<Attr> out;
        const size_t at = n.op == "insert" && n.args.size() >= 3 ? 2 : 1;
        collect_list(f, n.args[at], out, 0, n.op != "extend");
        for (auto& a : out) {
          a.passed_in = true;  // (put there from outside: the visitor's line is on the way in)
          if (!a.loc.valid()) a.loc = n.loc;
        }
        append_elements(*l, std::move(out), false);
      }
  }

  // The class of the tree `isinstance(obj, C)` tests the parameter `obj` for in `f`, or -1.
  static int32_t tested_class(const Function& f, NodeId obj) {
    int32_t cls = -1;
    for (const Node& t : f.nodes)
      if (t.op == "call" && t.name == "isinstance" && t.args.size() == 2 && t.args[0] == obj && t.args[1] >= 0 &&
          f.node(t.args[1]).target_module >= 0)
        cls = f.node(t.args[1]).target_module;
    return cls;
  }

  // `model = Net(); model.key = torch.tensor(...)` in a factory: attributes set from outside. A
  // function bound to the instance (`model.frontend.pre = types.MethodType(fn, model.frontend)`) is
  // a method of its class from then on; `bound` collects the free functions that became methods.
  void external_attrs(std::vector<int32_t>& bound) {
    for (const auto& f : p_.functions)
      for (const Node& n : f.nodes) {
        if (n.op != "setattr" || n.args.size() != 2 || n.has(ir::kInPlace)) continue;
        int32_t cls = instance_class(f, n.args[0]);
        if (cls < 0 || n.name == "forward") continue;  // patched forwards are roots of their own
        ir::Module& m = p_.modules[static_cast<size_t>(cls)];
        if (auto [fn, receiver] = bound_method(p_, f, n.args[1]); fn >= 0 && instance_class(f, receiver) == cls) {
          m.methods[n.name] = fn;
          ir::Function& target = p_.functions[static_cast<size_t>(fn)];
          if (!target.bound_at.valid()) target.bound_at = n.loc;
          if (target.owner_module < 0 && !target.params.empty()) {
            target.owner_module = cls;
            bound.push_back(fn);
          }
          continue;
        }
        Attr a = classify(f, n.args[1], 0);
        a.name = n.name;
        if (Attr* old = find(m, n.name)) {
          // `self.serving.remap = Remap(...)` in a constructor over the class's own `self.remap =
          // nn.Identity()`: one more module that instance may run there.
          const bool modules = (old->kind == AttrKind::Submodule || old->kind == AttrKind::Layer) &&
                               (a.kind == AttrKind::Submodule || a.kind == AttrKind::Layer);
          // So is a function a factory installs over the constructor's (`model.preprocess =
          // functools.partial(prep, cfg)` in a classmethod): one more function it may run.
          const bool functions = old->function >= 0 && a.function >= 0 && a.function != old->function;
          if ((modules || functions) && old->alternatives.size() < 4) {
            a.alternatives.clear();
            old->alternatives.push_back(std::move(a));
          }
          // `self.ref = None` in the constructor, `model.ref = site["ref"]` in a factory: the
          // placeholder says nothing; what the factory stores is what forward reads.
          if (none_placeholder(*old) && known(a) && a.kind != AttrKind::Constant)
            *old = std::move(a);
          continue;
        }
        m.attrs.push_back(std::move(a));
      }
  }

  // Per module class, the calls that construct it: (calling function, call node).
  using Sites = std::vector<std::vector<std::pair<const Function*, const Node*>>>;
  Sites construction_sites() const {
    Sites sites(p_.modules.size());
    for (const auto& f : p_.functions) {
      // `cls(filters=..., **kw)` in a classmethod of the class: a construction of it too.
      const bool factory = f.owner_module >= 0 && !f.param_nodes.empty() &&
                           std::find(f.decorators.begin(), f.decorators.end(), "classmethod") != f.decorators.end();
      for (const Node& n : f.nodes) {
        if (n.op == "call" && n.target_module >= 0) sites[static_cast<size_t>(n.target_module)].emplace_back(&f, &n);
        if (factory && n.op == "call_value" && !n.args.empty() && n.args[0] == f.param_nodes[0])
          sites[static_cast<size_t>(f.owner_module)].emplace_back(&f, &n);
      }
    }
    return sites;
  }

  // A container class without a constructor of its own holds what its construction passes.
  void bind_container_items(const Sites& sites) {
    for (auto& m : p_.modules) {
      // (a constructor of its own that hands its `*stages` on, `super().__init__(*stages)`: the
      // items are the construction's arguments from that position)
      size_t skip = 0;
      if (!container_class(m) || (m.method("__init__") >= 0 && !forwards_star_items(m, skip))) continue;
      // (each construction site builds an instance with items of its own: `Seq(Conv())` and
      // `Seq(ResBlock())`; an item of one instance is one alternative at its position)
      for (auto [f, call] : sites[static_cast<size_t>(m.id)]) {
        if (!find(m, ir::kContainerItems))
          add_items(m, *f, *call, (call->op == "call_value" ? 1 : 0) + skip);
        else
          merge_items(m, *f, *call, (call->op == "call_value" ? 1 : 0) + skip);
      }
      // make(cls=Pipeline): built through a class held in a parameter or a variable.
      for (const auto& f : p_.functions)
        for (const Node& n : f.nodes) {
          if (find(m, ir::kContainerItems) || n.op != "call_value" || n.args.empty()) continue;
          std::set<int32_t> classes;
          candidate_classes(f, n.args[0], 0, classes);
          if (classes.count(m.id)) add_items(m, f, n, 1);
        }
    }
  }

  // Whether the class's constructor passes its `*args` parameter on to `super().__init__(*args)`
  // with no items of its own; `skip` is the number of positional parameters before it (self aside).
  bool forwards_star_items(const ir::Module& m, size_t& skip) const {
    if (m.attr(ir::kContainerItems)) return false;
    const Function& init = p_.fn(m.method("__init__"));
    for (const Node& n : init.nodes) {
      if (n.op != "call" || n.name != "super.__init__" || n.args.size() != 2 || n.args[1] < 0) continue;
      const Node& spread = init.node(n.args[1]);
      if (spread.op != "starred" || spread.name == "**" || spread.args.empty()) continue;
      const Node& param = init.node(spread.args[0]);
      if (param.op != "param" || !param.num || *param.num < 1) continue;
      skip = static_cast<size_t>(*param.num) - 1;
      return true;
    }
    return false;
  }

  static bool double_star(const Node& param) {
    return std::any_of(param.kwargs.begin(), param.kwargs.end(), [](const auto& kv) { return kv.first == "double_star"; });
  }

  // What the construction sites pass into `**pname`: a dict of the keywords no named parameter of
  // `ctor` takes (the first site to pass a key gives its value).
  Attr keywords_collected(const Function& ctor, const std::vector<std::pair<const Function*, const Node*>>& sites,
                          const std::string& pname) {
    Attr d;
    d.type = "dict";
    for (auto [f, call] : sites)
      for (const auto& kv : call->kwargs) {
        const std::string& k = kv.first;
        const NodeId v = kv.second;
        if (k == pname || v < 0 || std::find(ctor.params.begin(), ctor.params.end(), k) != ctor.params.end() ||
            std::any_of(d.children.begin(), d.children.end(), [&](const Attr& c) { return c.name == k; }))
          continue;
        Attr e = classify(*f, v, 1);
        e.name = k;
        d.children.push_back(std::move(e));
      }
    return d;
  }

  // `self.net = net` where every construction site passes a module: bind the attribute to it.
  // What a construction site passes for the constructor parameter `pname` (at `index`, counting
  // `self`), or kNoNodeId.
  // (`Block(c, **extra)` with `extra = dict(marker=m)` / `{"marker": m}`: the entry of that name)
  static NodeId site_argument(const Function& f, const Node& call, const std::string& pname, size_t index) {
    NodeId arg = kNoNodeId;
    for (const auto& [k, v] : call.kwargs)
      if (k == pname) arg = v;
    // (a call of a class value, `cls(...)`, carries the callee first)
    const size_t at = call.op == "call_value" ? index : index - 1;
    if (arg == kNoNodeId && index >= 1 && at < call.args.size() && call.args[at] >= 0 &&
        !(f.node(call.args[at]).op == "starred" && f.node(call.args[at]).name == "**"))
      arg = call.args[at];
    for (NodeId a : call.args) {
      if (arg != kNoNodeId || a < 0 || f.node(a).op != "starred" || f.node(a).name != "**" || f.node(a).args.empty())
        continue;
      std::vector<NodeId> maps{f.node(a).args[0]};
      if (const Node& m = f.node(maps[0]); (m.op == "select" && m.args.size() == 3)) maps = {m.args[1], m.args[2]};
      for (NodeId mv : maps) {
        if (mv < 0) continue;
        const Node& m = f.node(mv);
        if (m.op == "call" && m.name == "dict")
          for (const auto& [k, v] : m.kwargs)
            if (k == pname) arg = v;
        if (m.op == "dict")
          for (size_t i = 0; i + 1 < m.args.size(); i += 2)
            if (m.args[i] >= 0 && f.node(m.args[i]).op == "const" && f.node(m.args[i]).name == pname) arg = m.args[i + 1];
      }
    }
    return arg;
  }

  // What a construction site in `f` passes (`v`), where `f` may itself be a constructor handing on
  // one of its own parameters (`StageTable([("illum", illum if illum is not None else
  // nn.Identity()), ...])` in `Net.__init__(self, illum=None)`): then also what the sites building
  // that class pass for it, each a configuration (a module handed through two constructors).
  Attr site_value(const Function& f, NodeId v, const Sites& sites, int depth) {
    Attr out = classify(f, v, 1);
    if (v < 0 || depth > 2 || f.name != "__init__" || f.owner_module < 0) return out;
    const Node& n = f.node(v);
    std::vector<NodeId> arms{v};
    if (n.op == "select" && n.args.size() == 3) arms = {n.args[1], n.args[2]};
    if (n.op == "or") arms = n.args;
    for (NodeId arm : arms) {
      const Node& param = f.node(arm);
      if (param.op != "param" || !param.num || *param.num < 1) continue;
      for (auto [g, call] : sites[static_cast<size_t>(f.owner_module)]) {
        const NodeId arg = site_argument(*g, *call, param.name, static_cast<size_t>(*param.num));
        if (arg == kNoNodeId || g == &f) continue;
        Attr b = site_value(*g, arg, sites, depth + 1);
        if (auto [gf, gv] = global_value(g->node(arg)); !known(b) && gf && gv >= 0) b = classify(*gf, gv, 1);
        // (a stage: a layer, a module that runs, a function; not a configuration object, whose
        // defaults the class declares)
        const bool runs = b.kind == AttrKind::Layer || b.kind == AttrKind::Container || b.function >= 0 ||
                          (b.kind == AttrKind::Submodule && b.module_class >= 0 &&
                           (find_method(p_, b.module_class, "forward") >= 0 ||
                            find_method(p_, b.module_class, "__call__") >= 0));
        if (!runs && !numeric_sequence(b)) continue;
        b.passed_in = runs;
        if (!known(out) || out.type.starts_with("argument:")) {
          out = std::move(b);
        } else if (known(b) && out.alternatives.size() < 4) {
          out.alternatives.push_back(std::move(b));
        }
      }
    }
    return out;
  }

  // A tuple or list of numbers (`MARK = (0.0, 1.0, 0.5, ...)`): a stored pattern when handed on.
  static bool numeric_sequence(const Attr& a) {
    if (a.type == "sequence") return true;  // (a stored pattern, see classify)
    return (a.type == "tuple" || a.type == "list") && a.children.size() >= 2 &&
           std::all_of(a.children.begin(), a.children.end(),
                       [](const Attr& c) { return c.kind == AttrKind::Constant && c.num; });
  }

  void bind_constructor_arguments(const Sites& sites) {
    for (auto& m : p_.modules) {
      int32_t init = m.method("__init__");
      if (init < 0) continue;
      const Function& ctor = p_.fn(init);
      // Attributes, and the items of containers (`ModuleList(copy.deepcopy(layer) ...)`).
      std::vector<Attr*> todo;
      std::function<void(Attr&)> visit = [&](Attr& a) {
        todo.push_back(&a);
        if (a.kind == AttrKind::Container)
          for (auto& c : a.children) visit(c);
      };
      for (auto& a : m.attrs) visit(a);
      for (Attr* ap : todo) {
        Attr& a = *ap;
        if (a.kind != AttrKind::Other || a.function >= 0 || a.type.rfind("argument:", 0) != 0) continue;
        std::string pname = a.type.substr(9);
        auto pos = std::find(ctor.params.begin(), ctor.params.end(), pname);
        if (pos == ctor.params.end()) continue;
        size_t index = static_cast<size_t>(pos - ctor.params.begin());  // includes self
        // `def __init__(self, **opts)`: the keywords a site passes that no other parameter takes.
        if (index < ctor.param_nodes.size() && double_star(ctor.node(ctor.param_nodes[index]))) {
          Attr collected = keywords_collected(ctor, sites[static_cast<size_t>(m.id)], pname);
          if (!collected.children.empty()) {
            collected.name = a.name;
            collected.loc = a.loc;
            a = std::move(collected);
          }
          continue;
        }
        bool star = false;
        if (index < ctor.param_nodes.size())
          for (const auto& kw : ctor.node(ctor.param_nodes[index]).kwargs) star |= kw.first == "star";
        // A number every construction site passes (`Rule(macro_id=997)`) is a constant, as a literal
        // default is.
        std::optional<Attr> number, tensor, sequence;
        bool numbers_only = true, tensors_only = true, sequences_only = true;
        std::vector<Attr> callables;  // what the sites that pass callables pass, in order
        for (auto [f, call] : sites[static_cast<size_t>(m.id)]) {
          const NodeId arg = site_argument(*f, *call, pname, index);
          if (arg == kNoNodeId) continue;
          Attr bound;
          if (star) {
            // `def __init__(self, *steps)`: `Pipeline(*steps)` hands over the sequence itself,
            // `Pipeline(a, b)` the items from this position on.
            const Node& first = f->node(arg);
            if (first.op == "starred" && first.name != "**" && !first.args.empty() && call->args.size() == index) {
              collect_list(*f, first.args[0], bound.children, 1, false);
              bound.loc = first.loc;
            } else {
              for (size_t i = index - 1; i < call->args.size(); ++i)
                bound.children.push_back(classify(*f, call->args[i], 1));
              bound.loc = first.loc;
            }
            for (size_t i = 0; i < bound.children.size(); ++i)
              if (bound.children[i].name.empty()) bound.children[i].name = std::to_string(i);
          } else if (a.text.starts_with(kPairItem)) {
            // [("illum", Illum()), ("conv1", Block())]: item k of each pair, in order
            const size_t k = static_cast<size_t>(std::stoi(a.text.substr(std::string(kPairItem).size())));
            // (a list chosen by a condition, `[...] if fir == "K" else []`: the rows of each arm)
            std::vector<NodeId> lists{arg};
            if (const Node& c = f->node(arg); c.op == "select" && c.args.size() == 3) lists = {c.args[1], c.args[2]};
            for (NodeId l : lists) {
              const Node& rows = f->node(l);
              if (rows.op != "list" && rows.op != "tuple") continue;
              for (NodeId r : rows.args)
                if (const Node& row = f->node(r); (row.op == "tuple" || row.op == "list") && k < row.args.size()) {
                  Attr item = site_value(*f, row.args[k], sites, 0);
                  item.name = std::to_string(bound.children.size());
                  bound.children.push_back(std::move(item));
                }
            }
          } else if (is_self(*f, arg) && f->owner_module >= 0) {
            bound = self_reference(f->owner_module);  // `Layer(self, ...)`: the constructing model
          } else {
            bound = site_value(*f, arg, sites, 0);
          }
          if (callable_value(bound) || std::any_of(bound.children.begin(), bound.children.end(), callable_value)) {
            bound.name = a.name;
            // (where this configuration is made: the construction site, a step of a trace through it)
            bound.loc = call->loc.valid() ? call->loc : a.loc;
            bound.passed_in = true;
            if (a.text == ir::kWeakReference) bound.text = ir::kWeakReference;
            callables.push_back(std::move(bound));
            numbers_only = false;
            continue;
          }
          // (a site passing None leaves the attribute unset: no configuration of its own)
          const bool none = f->node(arg).op == "const" && f->node(arg).name == "None" && !f->node(arg).num;
          if (numeric_sequence(bound) && !star) {
            if (!sequence) sequence = bound;
          } else if (!none) {
            sequences_only = false;
          }
          if ((bound.kind == AttrKind::PlainTensor || bound.kind == AttrKind::Buffer) && !star) {
            if (!tensor) tensor = std::move(bound);
          } else if (!none) {
            tensors_only = false;
          }
          if (bound.kind == AttrKind::Constant && bound.num && !star) {
            if (!number) number = std::move(bound);
          } else {
            numbers_only = false;
          }
        }
        if (!callables.empty()) {
          // The default (`postprocessors=(scale, refer)`) is what a site that leaves the argument
          // out builds, a user's own code among them: every configuration a site builds is one the
          // model can run.
          if (index < ctor.param_nodes.size())
            for (const auto& [k, d] : ctor.node(ctor.param_nodes[index]).kwargs)
              if (k == "default" && d >= 0 && !star) {
                Attr fallback = classify(ctor, d, 1);
                if (callable_value(fallback) || std::any_of(fallback.children.begin(), fallback.children.end(), callable_value)) {
                  fallback.name = a.name;
                  fallback.loc = a.loc;
                  callables.push_back(std::move(fallback));
                }
              }
          a = merged_bindings(std::move(callables));
          continue;
        }
        if (number && numbers_only) {
          number->name = a.name;
          number->loc = a.loc;
          number->type = a.type;
          a = std::move(*number);
        } else if (sequence && sequences_only && a.kind == AttrKind::Other) {
          // `Block(c, marker=MARK)` with `MARK` a tuple of numbers at every site that passes one
          sequence->name = a.name;
          sequence->loc = a.loc;
          a = std::move(*sequence);
        } else if (tensor && tensors_only && a.kind == AttrKind::Other) {
          // `Block(ch, stencil if cfg.policies else None)` with `stencil = torch.tensor(...)`: a tensor
          // every site builds the same way (or None), a stored tensor of the instance.
          tensor->name = a.name;
          tensor->loc = a.loc;
          a = std::move(*tensor);
        }
      }
      for (auto& a : m.attrs) {
        // (a container of "every item of the pairs": the items themselves, position by position)
        if (a.kind == AttrKind::Container && a.children.size() == 1 && a.children[0].name == "*" &&
            a.children[0].kind == AttrKind::Other && !a.children[0].children.empty() &&
            std::all_of(a.children[0].children.begin(), a.children[0].children.end(), callable_value)) {
          std::vector<Attr> items = std::move(a.children[0].children);
          a.children = std::move(items);
        }
        if (a.kind == AttrKind::Container)
          for (const auto& c : a.children) a.learned |= c.learned;
      }
    }
  }

  // What the construction sites pass for one attribute, as one: the first site's value, with the
  // items of the other sites' sequences that it lacks added, or the other callables kept as the
  // alternatives a call of the attribute may run.
  static Attr merged_bindings(std::vector<Attr> bound) {
    Attr merged = std::move(bound.front());
    auto same = [](const Attr& x, const Attr& y) {
      return x.kind == y.kind && x.function == y.function && x.module_class == y.module_class && x.type == y.type;
    };
    for (size_t i = 1; i < bound.size(); ++i) {
      Attr& other = bound[i];
      if (!merged.children.empty() && !other.children.empty()) {
        for (Attr& c : other.children)
          if (std::none_of(merged.children.begin(), merged.children.end(), [&](const Attr& x) { return same(x, c); })) {
            c.name = std::to_string(merged.children.size());
            merged.children.push_back(std::move(c));
          }
      } else if (!same(merged, other) && merged.children.empty() && other.children.empty() &&
                 merged.alternatives.size() < 4) {
        other.alternatives.clear();
        merged.alternatives.push_back(std::move(other));
      }
    }
    return merged;
  }

  // `self.key = sum(c << 8 * i for i, c in enumerate(pattern))` where construction sites pass a
  // literal id sequence as `pattern`: the attribute holds a stored pattern (or a key made from one).
  void mark_sequence_arguments(const Sites& sites) {
    for (auto& m : p_.modules) {
      int32_t init = m.method("__init__");
      if (init < 0) continue;
      const Function& ctor = p_.fn(init);
      for (const Node& set : ctor.nodes) {
        if (set.op != "setattr" || set.args.size() != 2 || !is_self(ctor, set.args[0])) continue;
        Attr* a = find(m, set.name);
        if (!a || a->kind != AttrKind::Other || a->function >= 0 ||
            !(a->type.empty() || a->type.rfind("argument:", 0) == 0))
          continue;
        for (const std::string& pname : params_reached(ctor, set.args[1]))
          for (auto [f, call] : sites[static_cast<size_t>(m.id)])
            if (passes_sequence(*f, *call, ctor, pname)) a->type = "sequence";
      }
    }
  }

  // Constructor parameters a value is computed from (not through len(): a length is no pattern).
  std::set<std::string> params_reached(const Function& f, NodeId v) {
    std::set<std::string> out;
    std::vector<NodeId> work{v};
    std::set<NodeId> seen;
    while (!work.empty()) {
      NodeId cur = work.back();
      work.pop_back();
      if (cur < 0 || !seen.insert(cur).second || seen.size() > 64) continue;
      const Node& n = f.node(cur);
      if (n.op == "param" && !(n.num && *n.num == 0)) out.insert(n.name);
      if (n.op == "len" || (n.op == "call" && n.name == "len")) continue;
      work.insert(work.end(), n.args.begin(), n.args.end());
    }
    return out;
  }

  // Whether a construction site passes a literal number sequence for parameter `pname`: as a
  // keyword, positionally, or in a module-level dict spread with **.
  bool passes_sequence(const Function& f, const Node& call, const Function& ctor, const std::string& pname) {
    for (const auto& [k, v] : call.kwargs)
      if (k == pname) return number_sequence(f, v, 0);
    auto pos = std::find(ctor.params.begin(), ctor.params.end(), pname);
    size_t index = static_cast<size_t>(pos - ctor.params.begin());
    for (size_t i = 0; i < call.args.size(); ++i) {
      const Node& arg = f.node(call.args[i]);
      if (arg.op == "starred" && !arg.args.empty()) {
        auto [mf, dict] = global_value(f.node(arg.args[0]));
        NodeId v = mf ? ir::dict_entry(*mf, dict, pname) : kNoNodeId;
        if (v >= 0) return number_sequence(*mf, v, 0);
      } else if (pos != ctor.params.end() && index >= 1 && i == index - 1) {
        return number_sequence(f, call.args[i], 0);
      }
    }
    return false;
  }

  // The module-level binding of a global name of the tree.
  std::pair<const Function*, NodeId> global_value(const Node& n) {
    if (n.op != "global") return {nullptr, kNoNodeId};
    auto [fi, v] = p_.global_binding(n.name);
    return {fi >= 0 ? &p_.fn(fi) : nullptr, v};
  }

  // The class of an instance value (`self` is the class's own business, not an outside setting).
  int32_t instance_class(const Function& f, NodeId id) const {
    return is_self(f, id) ? -1 : ir::instance_class(p_, f, id);
  }

  // Whether the module owns trainable parameters (itself, its containers or its submodules).
  // Memoised per class: a class graph where every class holds several submodules of the next
  // (or of itself) would otherwise be walked once per path, exponentially. A class met again
  // while it is being decided (a cycle, which no real model can construct) counts as unlearned.
  bool learned(int32_t mod) {
    if (mod < 0 || static_cast<size_t>(mod) >= p_.modules.size()) return false;
    if (learned_memo_.size() < p_.modules.size()) learned_memo_.resize(p_.modules.size(), kUnknown);
    uint8_t& state = learned_memo_[static_cast<size_t>(mod)];
    if (state != kUnknown) return state == kYes;
    state = kDeciding;
    bool yes = false;
    const ir::Module& m = p_.mod(mod);
    for (const auto& a : m.attrs)
      if ((yes = attr_learned(a))) break;
    if (!yes)
      for (int32_t b : m.base_modules)
        if ((yes = learned(b))) break;
    learned_memo_[static_cast<size_t>(mod)] = yes ? kYes : kNo;
    return yes;
  }

  bool attr_learned(const Attr& a) {
    if (a.kind == AttrKind::Submodule) return learned(a.module_class);
    if (a.kind == AttrKind::Container) {
      for (const auto& c : a.children)
        if (attr_learned(c)) return true;
      return false;
    }
    return a.learned;
  }

 private:
  // nn.Sequential(a, b, *rest) / nn.ModuleList(layers): the children, in order.
  void add_children(const Function& f, const Node& n, Attr& a, int depth) {
    std::vector<Attr> out;
    for (NodeId arg : n.args) collect_list(f, arg, out, depth, /*single=*/true);
    for (auto& c : out) {
      if (c.name.empty()) c.name = std::to_string(a.children.size());
      a.children.push_back(std::move(c));
    }
  }

  void add_list_children(const Function& f, const Node& n, Attr& a, int depth) {
    std::vector<Attr> out;
    collect_list(f, n.id, out, depth, false);
    for (auto& c : out) {
      if (c.name.empty()) c.name = std::to_string(a.children.size());
      a.children.push_back(std::move(c));
    }
  }

  // `list(zip(*rows))` of a table of rows (`[("scale", self._scale), ("check", self._check)]`): the
  // table transposed, a list per place in the rows (`names, fns = ...`); empty when not such a table.
  Attr transposed_rows(const Function& f, NodeId id, int depth) {
    Attr out;
    const Node* z = &f.node(id);
    if (z->op == "call" && (z->name == "list" || z->name == "tuple") && z->args.size() == 1 && z->args[0] >= 0)
      z = &f.node(z->args[0]);
    if (z->op != "call" || z->name != "zip" || z->args.size() != 1 || z->args[0] < 0) return out;
    const Node& spread = f.node(z->args[0]);
    if (spread.op != "starred" || spread.name == "**" || spread.args.empty()) return out;
    std::vector<Attr> parts;
    collect_list(f, spread.args[0], parts, depth + 1, false);
    if (parts.empty() || std::any_of(parts.begin(), parts.end(), [](const Attr& p) { return p.row_part < 0; }))
      return out;
    out.type = "list";
    out.init_node = id;
    out.loc = f.node(id).loc;
    for (Attr& p : parts) {
      const auto k = static_cast<size_t>(p.row_part);
      while (out.children.size() <= k) {
        Attr column;
        column.type = "list";
        column.name = std::to_string(out.children.size());
        column.loc = out.loc;
        out.children.push_back(std::move(column));
      }
      p.row_part = -1;
      p.name = std::to_string(out.children[k].children.size());
      out.children[k].children.push_back(std::move(p));
    }
    return out;
  }

  // One element of a list: its items (see collect_list); a tuple literal's parts, one item each,
  // keep their place in the row (`(rank, fn)`), read back by `table[i][1]`.
  void collect_row(const Function& f, NodeId e, std::vector<Attr>& out, int depth, bool single) {
    if (e < 0) return;
    const size_t before = out.size();
    collect_list(f, e, out, depth + 1, single);
    const Node& row = f.node(e);
    if (single && row.op == "tuple" && out.size() - before == row.args.size() && row.args.size() >= 2)
      for (size_t k = 0; k < row.args.size(); ++k) out[before + k].row_part = static_cast<int32_t>(k);
  }

  // Whether `id` is a `+` of list / tuple literals (or comprehensions, or conditional lists).
  bool concatenated_lists(const Function& f, NodeId id, int depth) {
    if (id < 0 || depth > 6) return false;
    const Node& n = f.node(id);
    if (n.op == "list" || n.op == "tuple" || n.op == "comprehension") return true;
    // (`Base.finishers + (extra,)`: a sequence bound at module or class level)
    if (auto [gf, gv] = global_value(n); gf && gv >= 0) return concatenated_lists(*gf, gv, depth + 1);
    if (n.op == "select" && n.args.size() == 3)
      return concatenated_lists(f, n.args[1], depth + 1) && concatenated_lists(f, n.args[2], depth + 1);
    return n.op == "add" && !n.has(ir::kInPlace) && n.args.size() == 2 &&
           concatenated_lists(f, n.args[0], depth + 1) && concatenated_lists(f, n.args[1], depth + 1);
  }

  // OrderedDict() / dict(): an empty mapping that item assignments fill.
  static bool empty_mapping(const Node& n) {
    return n.op == "call" && n.args.empty() && n.kwargs.empty() &&
           (n.name == "collections.OrderedDict" || n.name == "OrderedDict" || n.name == "dict");
  }

  // The modules a Python list holds, as the tree builds it: literals, comprehensions, appends,
  // inserts, `+=` and lists returned by builder functions, in source order. A value that is not a
  // list is one element when `single`.
  void collect_list(const Function& f, NodeId v, std::vector<Attr>& out, int depth, bool single) {
    if (v < 0 || depth > 6) return;
    const Node& head = f.node(v);
    if (head.op == "call" && head.args.size() == 1 &&
        (head.name == "collections.OrderedDict" || head.name == "OrderedDict" || head.name == "dict")) {
      // OrderedDict([("stem", conv), ("head", fc)]): the values, named by their keys.
      const Node& items = f.node(head.args[0]);
      if (items.op == "list" || items.op == "tuple") {
        for (NodeId e : items.args) {
          const Node& pair = f.node(e);
          if (pair.op != "tuple" || pair.args.size() != 2) continue;
          Attr c = classify(f, pair.args[1], depth + 1);
          const Node& key = f.node(pair.args[0]);
          if (key.op == "const" && !key.num && key.args.empty()) c.name = key.name;
          out.push_back(std::move(c));
        }
        return;
      }
    }
    if (auto [gf, gv] = global_value(head); gf && gv >= 0 && concatenated_lists(*gf, gv, depth + 1)) {
      // `Base.finishers + (extra,)`: the items of the sequence a module or class attribute binds
      collect_list(*gf, gv, out, depth + 1, single);
      return;
    }
    if (head.op == "select" && head.args.size() == 3) {
      // `[check] if strict else []`: the items of either list (the configuration is not known).
      collect_list(f, head.args[1], out, depth + 1, single);
      collect_list(f, head.args[2], out, depth + 1, single);
      return;
    }
    if (head.op == "or" && head.args.size() == 2) {
      // `transforms or (Scrub(), Log())`: the list passed in (unknown here) or the default one.
      collect_list(f, head.args[0], out, depth + 1, false);
      collect_list(f, head.args[1], out, depth + 1, single);
      return;
    }
    if (head.op == "add" && !head.has(ir::kInPlace) && head.args.size() == 2) {
      // [stem] + [Block(d) for _ in range(n)]: the items of both lists, in order.
      auto seq = [&](NodeId a) {
        const std::string& op = f.node(a).op;
        return op == "list" || op == "tuple" || op == "comprehension";
      };
      if (seq(head.args[0]) || seq(head.args[1])) {
        for (NodeId a : head.args) collect_list(f, a, out, depth + 1, false);
        return;
      }
    }
    bool listy = head.op == "list" || head.op == "tuple" || head.op == "comprehension" || head.op == "starred" ||
                 head.op == "phi" || head.op == "dict" || (head.op == "add" && head.has(ir::kInPlace)) ||
                 (head.op == "setitem" && head.has(ir::kInPlace)) || empty_mapping(head) || grows(head) ||
                 ((head.op == "call" || head.op == "call_value") && head.target_function >= 0);
    if (!listy) {
      if (single) out.push_back(classify(f, v, depth + 1));
      return;
    }
    const std::set<NodeId> versions = list_versions(f, v);
    for (const Node& n : f.nodes) {
      if (!versions.count(n.id)) continue;
      if (n.op == "list" || n.op == "tuple") {
        for (NodeId e : n.args) collect_row(f, e, out, depth, true);
      } else if (n.op == "dict") {
        for (size_t i = 0; i + 1 < n.args.size(); i += 2) {
          Attr c = classify(f, n.args[i + 1], depth + 1);
          c.name = f.node(n.args[i]).name;
          out.push_back(std::move(c));
        }
      } else if (n.op == "comprehension" && !n.args.empty()) {
        auto [value, key] = comprehension_item(f, n);
        // [t for t in defaults if isinstance(t, Proto)]: (some of) the items of the sequence read.
        if (const Node& item = f.node(value); key == "*" && item.op == "iter_item" && item.args.size() == 1) {
          const size_t before = out.size();
          collect_list(f, item.args[0], out, depth + 1, false);
          if (out.size() > before) continue;
        }
        Attr c = classify(f, value, depth + 1);
        c.name = key;
        out.push_back(std::move(c));
      } else if (n.op == "add" && n.has(ir::kInPlace) && n.args.size() >= 2) {
        collect_list(f, n.args[1], out, depth + 1, false);
      } else if (n.op == "setitem" && n.args.size() == 3) {  // layers[f"block{i}"] = Block(...)
        Attr c = classify(f, n.args[2], depth + 1);
        const Node& key = f.node(n.args[1]);
        if (key.op == "const" && !key.num && key.args.empty()) c.name = key.name;
        out.push_back(std::move(c));
      } else if (grows(n) && n.args.size() >= 2) {  // xs.append(v), xs.insert(i, v), xs.extend(vs), d.update(m)
        NodeId e = n.op == "insert" && n.args.size() >= 3 ? n.args[2] : n.args[1];
        collect_row(f, e, out, depth, n.op == "append" || n.op == "insert");
      } else if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0) {
        // (appended, `self.post.append(self.make_filter(k))`: the one callable the factory returns)
        const Function& g = p_.fn(n.target_function);
        for (NodeId r : g.returns)
          if (!g.node(r).args.empty()) collect_list(g, g.node(r).args[0], out, depth + 1, single);
      }
    }
  }

  // `xs.append(v)` and the like on a local name: the front-end binds the name to the call, the
  // list's next version.
  static bool grows(const Node& n) {
    return n.op == "append" || n.op == "insert" || n.op == "extend" || n.op == "update";
  }

  // The versions of the list (or dict) `v` is: back through joins and edits to where it was made,
  // then forward to every edit of any of them, so a module list the constructor fills in a loop or
  // under a flag holds every element added (each is a configuration the tree can build).
  static std::set<NodeId> list_versions(const Function& f, NodeId v) {
    std::set<NodeId> versions;
    std::vector<NodeId> work{v};
    while (!work.empty()) {
      NodeId id = work.back();
      work.pop_back();
      if (id < 0 || !versions.insert(id).second) continue;
      const Node& n = f.node(id);
      if (n.op == "phi")
        work.insert(work.end(), n.args.begin(), n.args.end());
      else if ((n.op == "add" && n.has(ir::kInPlace)) || n.op == "starred" ||
               (n.op == "setitem" && n.has(ir::kInPlace)) || grows(n)) {
        if (!n.args.empty()) work.push_back(n.args[0]);
      }
    }
    for (const Node& n : f.nodes) {
      if (versions.count(n.id) || n.args.empty()) continue;
      const bool edits =
          grows(n) || (n.op == "setitem" && n.has(ir::kInPlace)) || (n.op == "add" && n.has(ir::kInPlace));
      if ((edits && versions.count(n.args[0])) ||
          (n.op == "phi" && std::any_of(n.args.begin(), n.args.end(), [&](NodeId a) { return versions.count(a); })))
        versions.insert(n.id);
    }
    return versions;
  }

  // (each node looked at once per search: a deep expression, `(p - p.mean()) / p.std()` over a
  // formula of `arange`, shares its parts)
  std::string find_factory(const Function& f, NodeId id, int depth) {
    if (depth == 0) factory_seen_.clear();
    if (id < 0 || depth > 16 || !factory_seen_.insert({&f, id}).second) return {};
    const Node& n = f.node(id);
    if (ir::is_tensor_factory(n.op) || n.op == "from_numpy" || n.op == "frombuffer" || n.op == "load" ||
        n.op == "stack")
      return n.op;
    if (n.op == "module_call" && current_) {
      // self.w.view(1, -1): a tensor method on a plain tensor attribute set earlier.
      auto dot = n.name.rfind('.');
      if (dot != std::string::npos)
        if (Attr* a = find(*current_, n.name.substr(0, dot)); a && a->kind == AttrKind::PlainTensor) return a->type;
    }
    if (n.op == "attr" && !n.args.empty()) {
      // self.w.view(...) / self.other * 255: derived from a plain tensor attribute set earlier.
      if (current_ && is_self(f, n.args[0]))
        if (Attr* a = find(*current_, n.name); a && a->kind == AttrKind::PlainTensor) return a->type;
      // one_hot(idx, 4).T, t.data: the same tensor, transposed or unwrapped
      static const std::set<std::string> views = {"T", "mT", "H", "mH", "data", "real"};
      if (views.count(n.name)) return find_factory(f, n.args[0], depth + 1);
      return {};
    }
    // TEMPLATE = make_template() at module level; a helper of the tree returning a built tensor.
    if (n.op == "global" && depth < 4)
      if (auto [mf, v] = global_value(n); mf && v >= 0) return find_factory(*mf, v, depth + 1);
    if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0 && n.target_module < 0 && depth < 4) {
      const Function& g = p_.fn(n.target_function);
      for (NodeId r : g.returns)
        if (!g.node(r).args.empty())
          if (auto made = find_factory(g, g.node(r).args[0], depth + 1); !made.empty()) return made;
      return {};
    }
    // _RULER.clone() / PATTERN.float() (a method of a module-level tensor, lowered as one dotted call)
    if (n.op == "call" && n.target_function < 0 && n.target_module < 0 && depth < 4)
      if (auto dot = n.name.rfind('.'); dot != std::string::npos) {
        static const std::set<std::string> copies = {"clone", "float", "double", "detach", "contiguous",
                                                     "t", "view", "reshape", "to", "flatten", "flip"};
        if (copies.count(n.name.substr(dot + 1)))
          if (auto [mfi, v] = p_.global_binding(n.name.substr(0, dot)); mfi >= 0 && v >= 0)
            if (auto made = find_factory(p_.fn(mfi), v, depth + 1); !made.empty()) return made;
      }
    for (NodeId a : n.args)
      if (auto r = find_factory(f, a, depth + 1); !r.empty()) return r;
    return {};
  }

  // The torch.nn layer class a callee value names, through phis and conditional expressions.
  // Whether the value is a literal sequence of numbers (two or more), directly, through a
  // constructor argument's default, a module-level name or tuple()/list().
  // What a comprehension's every item is, and the name it is kept under: `*` for a list's items;
  // the key's name template for a dict comprehension's values (`{f"b{r}": Block(r) for r in rs}`
  // keeps `b{}`), `*` when the key is not a string.
  // The sequence whose elements `v` unpacks a part of: `fn` in `for name, fn in pairs` or
  // `for i, (name, fn) in enumerate(pairs)` reads a part of each element of `pairs` (of the
  // sequence `zip(a, b)` takes that position from); -1 when `v` is not such a part.
  static NodeId unpacked_sequence(const Function& f, NodeId v) {
    std::vector<size_t> path;
    while (v >= 0 && f.node(v).op == "getitem" && f.node(v).args.size() == 2 && f.node(v).args[1] >= 0 &&
           f.node(f.node(v).args[1]).op == "const" && f.node(f.node(v).args[1]).num && path.size() < 4) {
      const double k = *f.node(f.node(v).args[1]).num;
      if (k < 0 || k > 8) return -1;
      path.insert(path.begin(), static_cast<size_t>(k));
      v = f.node(v).args[0];
    }
    if (path.empty() || v < 0 || f.node(v).op != "iter_item" || f.node(v).args.empty()) return -1;
    NodeId seq = f.node(v).args[0];
    const Node& s = f.node(seq);
    if (s.op == "call" && (s.name == "enumerate" || s.name == "zip") && !s.args.empty()) {
      const size_t at = s.name == "enumerate" ? path[0] - 1 : path[0];
      if ((s.name == "enumerate" && path[0] != 1) || at >= s.args.size()) return -1;
      path.erase(path.begin());
      seq = s.args[at];
    }
    return seq;
  }

  static std::pair<NodeId, std::string> comprehension_item(const Function& f, const Node& n) {
    if (n.name == "dict" && n.args[0] >= 0) {
      const Node& pair = f.node(n.args[0]);
      if (pair.op == "tuple" && pair.args.size() == 2 && pair.args[0] >= 0) {
        const Node& key = f.node(pair.args[0]);
        const bool text = key.op == "const" && !key.num && !key.name.empty();
        return {pair.args[1], text ? (key.args.empty() ? key.name : ir::name_template(key.name)) : std::string("*")};
      }
    }
    return {n.args[0], "*"};
  }

  // A table of configuration rows holding stored numbers (`(("clip", 6.0), ("self_test", VECTOR))`):
  // rows of strings and numbers, at least one of them a number sequence.
  bool stored_table(const Function& f, NodeId id, int depth) {
    bool sequence = false;
    return constant_rows(f, id, depth, sequence) && sequence;
  }

  // Whether `id` is a tuple / list of strings, numbers and such tuples (through parameter defaults
  // and module-level names); `sequence` is set when one of them is a number sequence.
  bool constant_rows(const Function& f, NodeId id, int depth, bool& sequence) {
    if (id < 0 || depth > 4) return false;
    const Node& n = f.node(id);
    if (n.op == "param") {
      for (const auto& [k, v] : n.kwargs)
        if (k == "default") return constant_rows(f, v, depth + 1, sequence);
      return false;
    }
    if (n.op == "global") {
      auto [mf, v] = global_value(n);
      return mf && constant_rows(*mf, v, depth + 1, sequence);
    }
    if ((n.op != "tuple" && n.op != "list") || n.args.empty()) return false;
    for (NodeId a : n.args) {
      const Node& e = f.node(a);
      if (e.num || (e.op == "const" && !e.name.empty())) continue;
      if (number_sequence(f, a, depth + 1)) {
        sequence = true;
        continue;
      }
      if (!constant_rows(f, a, depth + 1, sequence)) return false;
    }
    return true;
  }

  // Whether `id` is arithmetic on the loop index `index` and literals only (math functions, round,
  // abs, min, max, int, float): a number every run computes the same.
  static bool index_arithmetic(const Function& f, NodeId id, NodeId index, int depth) {
    if (id < 0 || depth > 16) return false;
    if (id == index) return true;
    const Node& n = f.node(id);
    if (n.op == "const") return n.num.has_value();
    static const std::set<std::string> arithmetic = {"add", "sub", "mul", "div", "pow", "neg", "floordiv", "remainder"};
    const bool pure_call = n.name.starts_with("math.") ||
                           (n.op == "call" && (n.name == "round" || n.name == "abs" || n.name == "min" ||
                                               n.name == "max" || n.name == "int" || n.name == "float"));
    if (!arithmetic.count(n.op) && !pure_call && !(n.op == "global" && n.name.starts_with("math."))) return false;
    return std::all_of(n.args.begin(), n.args.end(), [&](NodeId a) { return index_arithmetic(f, a, index, depth + 1); });
  }

  bool number_sequence(const Function& f, NodeId id, int depth) {
    if (id < 0 || depth > 4) return false;
    const Node& n = f.node(id);
    if (n.op == "tuple" || n.op == "list")  // numbers (literals or module constants), or rows of them
      return n.args.size() >= 2 && std::all_of(n.args.begin(), n.args.end(), [&](NodeId a) {
               if (f.node(a).num.has_value()) return true;
               auto [mf, v] = global_value(f.node(a));
               if (mf && v >= 0 && mf->node(v).num.has_value()) return true;
               return number_sequence(f, a, depth + 1);
             });
    if ((n.op == "tuple" || n.op == "list" || n.op == "call") && (n.name == "tuple" || n.name == "list") &&
        n.args.size() == 1)
      return number_sequence(f, n.args[0], depth + 1);

    if (n.op == "param") {
      for (const auto& [k, v] : n.kwargs)
        if (k == "default") return number_sequence(f, v, depth + 1);
      return false;
    }
    if (n.op == "global") {
      auto [mf, v] = global_value(n);
      return mf && number_sequence(*mf, v, depth + 1);
    }
    if (n.op == "comprehension" && n.args.size() >= 2 && f.node(n.args[1]).op == "iter_item" &&
        !f.node(n.args[1]).args.empty()) {
      // [tuple(p) for p in PHRASES]: the rows of a stored sequence, copied.
      const Node& item = f.node(n.args[0]);
      const bool copy = n.args[0] == n.args[1] || ((item.op == "call" || item.op == "tuple" || item.op == "list") &&
                                                   (item.name == "tuple" || item.name == "list") &&
                                                   item.args.size() == 1 && item.args[0] == n.args[1]);
      if (copy) return number_sequence(f, f.node(n.args[1]).args[0], depth + 1);
      // [round(math.sin(0.02 * i * i), 4) for i in range(32)]: numbers computed from the index alone.
      const Node& over = f.node(f.node(n.args[1]).args[0]);
      const bool counted = over.op == "call" && over.name == "range" && !over.args.empty() &&
                           std::all_of(over.args.begin(), over.args.end(), [&](NodeId a) { return f.node(a).num.has_value(); });
      return counted && index_arithmetic(f, n.args[0], n.args[1], 0);
    }
    if (n.op == "attr" && !n.args.empty() && !is_self(f, n.args[0])) {
      // config.prefix: a field of a config object (its class known, or every class with that field
      // agreeing that it holds a sequence).
      int32_t cls = ir::instance_class(p_, f, n.args[0]);
      if (cls >= 0) {
        const Attr* a = ir::module_attr(p_, cls, n.name);
        return a && a->type == "sequence";
      }
      auto fields = ir::fields_named(p_, n.name);
      return !fields.empty() &&
             std::all_of(fields.begin(), fields.end(), [](const Attr* a) { return a->type == "sequence"; });
    }
    return false;
  }

  // The module-level `__getattr__` (PEP 562) of the module a dotted name `pkg.mod.attr` reads
  // from, when `attr` is no name of that module; -1 otherwise.
  int32_t module_getattr(const std::string& dotted) {
    auto dot = dotted.rfind('.');
    if (dot == std::string::npos) return -1;
    if (!module_getattrs_built_) {  // (once: classify() asks for every unresolved dotted name)
      module_getattrs_built_ = true;
      for (const auto& f : p_.functions)
        if (f.owner_module < 0 && f.name == "__getattr__" && f.file >= 0 &&
            f.qualname == p_.file(f.file).module_name + ".__getattr__")
          module_getattrs_[p_.file(f.file).module_name] = f.id;
    }
    auto it = module_getattrs_.find(dotted.substr(0, dot));
    return it == module_getattrs_.end() ? -1 : it->second;
  }

  // `TABLE.get(key[, fallback])` or `TABLE[key]` with TABLE a dict literal of the tree (module or
  // class level): the dict's owner function and its values; {nullptr, {}} for anything else.
  // The dotted name of the table a lookup reads: `OPS.get(name, ...)` / `OPS[name]` -> "mod.OPS".
  std::string registry_table(const Function& f, const Node& c) const {
    if (c.op == "call" && c.name.ends_with(".get") && !c.args.empty())
      return table_alias(c.name.substr(0, c.name.size() - 4));
    if (c.op == "getitem" && c.args.size() == 2 && f.node(c.args[0]).op == "global")
      return table_alias(f.node(c.args[0]).name);
    return {};
  }

  // `TAPS = types.MappingProxyType(Base._registry)` / `dict(OPS)`: a read-only view or a copy made
  // at import reads the table it wraps.
  std::string table_alias(const std::string& name) const {
    auto [mfi, v] = p_.global_binding(name);
    if (mfi < 0 || v < 0) return name;
    const Function& g = p_.fn(mfi);
    const Node& n = g.node(v);
    static const std::set<std::string> views = {"types.MappingProxyType", "MappingProxyType", "dict"};
    if (n.op != "call" || n.args.size() != 1 || !views.count(n.name)) return name;
    const Node& a = g.node(n.args[0]);
    if (a.op == "global") return a.name;
    if (a.op == "attr" && a.args.size() == 1 && g.node(a.args[0]).op == "class" && g.node(a.args[0]).target_module >= 0)
      return p_.mod(g.node(a.args[0]).target_module).qualname + "." + a.name;
    return name;
  }

  // `Base.registry[key]` / `Base.registry.get(key)` where Base defines __init_subclass__ (which is
  // how such a class-level table is filled, one entry per subclass): Base, else -1.
  int32_t self_registering_base(const Function& f, const Node& c) const {
    const std::string table = registry_table(f, c);
    const auto dot = table.rfind('.');
    if (dot == std::string::npos) return -1;
    const std::string cls = table.substr(0, dot);
    const auto cls_dot = cls.rfind('.');
    const int32_t file = cls_dot == std::string::npos ? -1 : p_.file_by_module_name(cls.substr(0, cls_dot));
    if (file < 0) return -1;  // (a table of a module, not of a class)
    for (const auto& m : p_.modules)
      if (m.file == file && m.qualname == cls && m.methods.count("__init_subclass__")) return m.id;
    return -1;
  }

  // The entries of a module-level table a lookup reads (`OPS[name]`, `OPS.get(name, ...)`): the
  // values of its dict literal and every value the tree stores into it (`OPS[name] = cls` in a
  // registering decorator: the classes the decorator is applied to). Empty when `c` reads no table.
  using Entries = std::vector<std::pair<const Function*, NodeId>>;
  std::optional<Entries> registry_lookup(const Function& f, const Node& c) {
    const std::string table = registry_table(f, c);
    if (table.empty()) return std::nullopt;
    auto [mfi, dict] = p_.global_binding(table);
    if (mfi < 0 || dict < 0 || p_.fn(mfi).node(dict).op != "dict") return std::nullopt;
    const Function& owner = p_.fn(mfi);
    const Node& d = owner.node(dict);
    Entries values;
    for (size_t k = 1; k < d.args.size(); k += 2) values.emplace_back(&owner, d.args[k]);
    for (const auto& [g, v] : registry_writes(table)) values.emplace_back(&p_.fn(g), v);
    return values;
  }

  // What `table[key] = v` statements anywhere in the tree store into a module-level table; a value
  // that is the first parameter of a class decorator stands for each class it decorates.
  using Stored = std::vector<std::pair<int32_t, NodeId>>;  // (function, value node)
  const Stored& registry_writes(const std::string& table) {
    if (!registry_writes_built_) {
      registry_writes_built_ = true;
      std::map<int32_t, Stored> decorated;  // decorator -> the class nodes it is applied to
      for (const Function& g : p_.functions)
        for (const Node& n : g.nodes)
          if (n.op == "call_value" && n.name == ir::kClassDecorator && n.args.size() == 2 && n.target_function >= 0)
            decorated[n.target_function].emplace_back(g.id, n.args[1]);
      // (and a function decorator, `@step("prior") def make(cfg)`: the function it is applied to)
      for (const Function& g : p_.functions)
        for (const auto& d : g.decorators)
          if (int32_t deco = link::decorator_function(p_, g, d); deco >= 0 && g.parent >= 0)
            for (const Node& n : p_.fn(g.parent).nodes)
              if (n.op == "def" && n.target_function == g.id) decorated[deco].emplace_back(g.parent, n.id);
      for (const Function& g : p_.functions)
        for (const Node& n : g.nodes) {
          if (n.op != "setitem" || n.args.size() != 3 || n.args[0] < 0 || n.args[2] < 0 ||
              g.node(n.args[0]).op != "global")
            continue;
          Stored& into = registry_writes_[g.node(n.args[0]).name];
          const bool decorator_argument = !g.param_nodes.empty() && n.args[2] == g.param_nodes[0];
          if (!decorator_argument) {
            into.emplace_back(g.id, n.args[2]);
          } else if (auto it = decorated.find(g.id); it != decorated.end()) {
            for (const auto& c : it->second)
              if (into.size() < 64) into.push_back(c);
          }
        }
    }
    static const Stored none;
    auto it = registry_writes_.find(table);
    return it == registry_writes_.end() ? none : it->second;
  }

  // The functions of the tree a callee value can be: named, bound by functools.partial, an arm of
  // a conditional, an entry of a registry or its fallback (`OPS.get(name, partial(make, name))`).
  void candidate_builders(const Function& f, NodeId v, int depth, std::set<int32_t>& out) {
    if (v < 0 || depth > 6 || out.size() >= 6) return;
    const Node& c = f.node(v);
    if ((c.op == "global" || c.op == "def" || c.op == "lambda") && c.target_function >= 0) {
      out.insert(c.target_function);
    } else if (c.op == "call" && (c.name == "functools.partial" || c.name == "partial") && !c.args.empty()) {
      candidate_builders(f, c.args[0], depth + 1, out);
    } else if (c.op == "phi" || c.op == "select") {
      for (size_t i = c.op == "select" ? 1 : 0; i < c.args.size(); ++i)
        candidate_builders(f, c.args[i], depth + 1, out);
    } else if (auto entries = registry_lookup(f, c)) {
      for (const auto& [owner, e] : *entries) candidate_builders(*owner, e, depth + 1, out);
      if (c.op == "call" && c.args.size() >= 2) candidate_builders(f, c.args[1], depth + 1, out);
    }
  }

  // The classes of the tree deriving from `base` that compute (at most six in all).
  void add_subclasses(int32_t base, std::set<int32_t>& out) {
    for (const auto& m : p_.modules)
      if (m.id != base && out.size() < 6 && computes(m.id)) {
        auto chain = ir::mro(p_, m.id);
        if (std::find(chain.begin(), chain.end(), base) != chain.end()) out.insert(m.id);
      }
  }

  // How the function writes the weight of the layer `layer` in place (`layer.weight.copy_(t)`,
  // `layer.weight.data[...] = t`, `layer.weight.fill_(v)`): weights set by code, not by training.
  // Returns the writing op ("copy" for a stored template, "fill" for a uniform one), or "".
  static std::string weight_written(const Function& f, NodeId layer) {
    for (const Node& n : f.nodes) {
      if (!n.has(ir::kInPlace) || n.args.empty()) continue;
      NodeId t = n.args[0];
      for (int guard = 0; t >= 0 && guard < 4 && f.node(t).op == "attr" && f.node(t).args.size() == 1; ++guard) {
        if (f.node(t).name == "weight" && f.node(t).args[0] == layer) return n.op.empty() ? "set" : n.op;
        t = f.node(t).args[0];
      }
    }
    return {};
  }

  // The user classes a callee value can be: a class named directly, either arm of a conditional,
  // a parameter's default, and what every call site of the function passes for the parameter
  // (followed through callers: resnet18() -> _resnet(BasicBlock) -> ResNet(block) -> _make_layer(block)).
  void candidate_classes(const Function& f, NodeId v, int depth, std::set<int32_t>& out) {
    if (v < 0 || depth > 6 || out.size() >= 6) return;
    const Node& c = f.node(v);
    // A name of another file (resolved by the linker's call pass) or a class statement of this one
    // (`LAYERS = {"Filter": Filter, ...}` at module level holds the class itself).
    if (c.op == "global" || c.op == "class") {
      if (c.target_module >= 0 && computes(c.target_module)) out.insert(c.target_module);
      return;
    }
    if (c.op == "phi") {
      for (NodeId a : c.args) candidate_classes(f, a, depth + 1, out);
      return;
    }
    // get_norm(kind)(config): the classes the factory returns (a class statement or a `type()` in it).
    if (c.op == "call" && c.target_function >= 0 && c.target_module < 0) {
      const Function& g = p_.fn(c.target_function);
      for (NodeId r : g.returns)
        if (!g.node(r).args.empty()) candidate_classes(g, g.node(r).args[0], depth + 1, out);
      return;
    }
    // `Normaliser[site]()` with `__class_getitem__` on the class: a specialisation of that class (the
    // class itself, or a subclass `type(...)` makes with extra class attributes).
    if (c.op == "getitem" && c.args.size() == 2 && c.args[0] >= 0) {
      const Node& base = f.node(c.args[0]);
      if ((base.op == "global" || base.op == "class") && base.target_module >= 0 &&
          p_.mod(base.target_module).method("__class_getitem__") >= 0)
        return candidate_classes(f, c.args[0], depth + 1, out);
    }
    if (c.op == "select" && c.args.size() == 3) {
      candidate_classes(f, c.args[1], depth + 1, out);
      candidate_classes(f, c.args[2], depth + 1, out);
      return;
    }
    // `kinds = [Plain] * n; kinds[-1] = Tagged; for cls in kinds: cls(c)`: any class the list holds,
    // as built or as edited in place.
    if (c.op == "list" || c.op == "tuple") {
      for (NodeId a : c.args) candidate_classes(f, a, depth + 1, out);
      return;
    }
    if (c.op == "mul" && c.args.size() == 2 && (f.node(c.args[0]).op == "list" || f.node(c.args[0]).op == "tuple")) {
      candidate_classes(f, c.args[0], depth + 1, out);
      return;
    }
    if (c.op == "setitem" && c.args.size() == 3) {
      candidate_classes(f, c.args[0], depth + 1, out);
      candidate_classes(f, c.args[2], depth + 1, out);
      return;
    }
    // for cls in Base.__subclasses__(): cls() -- any subclass of Base the tree defines (plugins
    // discovered at run time).
    if (c.op == "iter_item" && !c.args.empty()) {
      candidate_classes(f, c.args[0], depth + 1, out);
      return;
    }
    if (c.op == "call" && c.name.ends_with(".__subclasses__")) {
      for (const auto& m : p_.modules)
        if (m.qualname + ".__subclasses__" == c.name) add_subclasses(m.id, out);
      return;
    }
    if (c.op == "getitem" && c.args.size() == 2 && f.node(c.args[0]).op == "call" &&
        (f.node(c.args[0]).name == "globals" || f.node(c.args[0]).name == "vars")) {
      // globals()[f"{kind}Block"]: the classes of this file whose names fit the key.
      const Node& key = f.node(c.args[1]);
      if (key.op != "const" || key.num) return;
      for (const auto& m : p_.modules)
        if (m.file == f.file && m.qualname.rfind('.') != std::string::npos &&
            m.qualname.substr(0, m.qualname.rfind('.')) == p_.file(f.file).module_name &&
            ir::fits_template(key.name, m.name) && computes(m.id))
          out.insert(m.id);
      return;
    }
    if (int32_t base = self_registering_base(f, c); base >= 0) {
      // Base.registry[name] filled by Base.__init_subclass__: any subclass the tree defines.
      add_subclasses(base, out);
      return;
    }
    if (c.op == "getitem" && c.args.size() == 2 && f.node(c.args[0]).op == "attr") {
      // self.PREPS[vendor] with PREPS a class-level dict literal: the entry a folded key names, else any.
      std::vector<std::pair<const Function*, NodeId>> dicts;
      dict_literals(f, c.args[0], 0, dicts);
      const std::string key = folded_string(f, c.args[1], 0);
      for (auto [df, d] : dicts) {
        const Node& dn = df->node(d);
        for (size_t k = 0; k + 1 < dn.args.size(); k += 2) {
          const Node& kn = df->node(dn.args[k]);
          if (key.empty() || (kn.op == "const" && !kn.num && kn.name == key))
            candidate_classes(*df, dn.args[k + 1], depth + 1, out);
        }
      }
      if (!dicts.empty()) return;
    }
    if (auto entries = registry_lookup(f, c)) {
      // OPS.get(name, fallback) / OPS[name] with the key unknown here: any entry, or the fallback.
      for (const auto& [owner, e] : *entries) candidate_classes(*owner, e, depth + 1, out);
      if (c.op == "call" && c.args.size() >= 2) candidate_classes(f, c.args[1], depth + 1, out);
      return;
    }
    if (c.op != "param") return;
    for (const auto& [k, d] : c.kwargs)
      if (k == "default") candidate_classes(f, d, depth + 1, out);
    if (!c.num || !(std::fabs(*c.num) < 1e9)) return;
    for (auto [caller, call] : call_sites(f)) {
      // `self.m(a)` passes the receiver as args[0]; a construction `Net(a)` does not pass `self`.
      const long pos = static_cast<long>(*c.num) - (call->target_module >= 0 ? 1 : 0);
      NodeId arg = ir::kNoNode;
      for (const auto& [k, a] : call->kwargs)
        if (k == c.name) arg = a;
      size_t first = call->op == "call_value" ? 1 : 0;  // call_value: args[0] is the callee
      if (arg < 0 && pos >= 0 && first + static_cast<size_t>(pos) < call->args.size())
        arg = call->args[first + static_cast<size_t>(pos)];
      if (arg >= 0 && caller->node(arg).op != "starred") {
        candidate_classes(*caller, arg, depth + 1, out);
        continue;
      }
      // `Net(block, **kwargs)` in `def _net(block, **kwargs)`: the keyword comes from _net's callers.
      for (NodeId a : call->args)
        if (caller->node(a).op == "starred" && !caller->node(a).args.empty() &&
            caller->node(caller->node(a).args[0]).op == "param")
          forwarded_keyword(*caller, c.name, depth + 1, out);
    }
  }

  // What the callers of `f` pass as keyword `name` (collected by f's `**kwargs`).
  void forwarded_keyword(const Function& f, const std::string& name, int depth, std::set<int32_t>& out) {
    if (depth > 6) return;
    for (auto [caller, call] : call_sites(f))
      for (const auto& [k, a] : call->kwargs)
        if (k == name) candidate_classes(*caller, a, depth + 1, out);
  }

  // A class whose instances compute when called (a module or a callable object), not a config.
  bool computes(int32_t cls) const {
    for (int32_t c : ir::mro(p_, cls)) {
      const ir::Module& m = p_.mod(c);
      if (m.method("forward") >= 0 || m.method("__call__") >= 0) return true;
      for (const auto& b : m.bases)
        if (b.starts_with("torch.nn.") || b.starts_with("nn.")) return true;
    }
    return false;
  }

  // The value the one `functools.partial(f, name=v)` of the tree binds to parameter `param` of `f`;
  // {nullptr, -1} when none or several do.
  std::pair<const Function*, NodeId> partial_keyword(const Function& f, const Node& param) {
    if (!partials_built_) {  // (asked for many parameters: the partials of the program, indexed once)
      partials_built_ = true;
      for (const Function& g : p_.functions)
        for (const Node& c : g.nodes)
          if (c.op == "call" && (c.name == "functools.partial" || c.name == "partial") && !c.args.empty() &&
              c.args[0] >= 0 && g.node(c.args[0]).target_function >= 0)
            partials_[g.node(c.args[0]).target_function].emplace_back(&g, &c);
    }
    std::pair<const Function*, NodeId> found{nullptr, ir::kNoNode};
    auto it = partials_.find(f.id);
    if (it == partials_.end()) return found;
    for (const auto& [g, c] : it->second)
      for (const auto& [k, v] : c->kwargs)
        if (k == param.name && v >= 0) {
          if (found.first) return {nullptr, ir::kNoNode};
          found = {g, v};
        }
    return found;
  }

  // The value of the one module-level name every call of `f` passes for `param` (calls passing
  // None, the absent configuration, aside): `FishNet.from_pretrained(STATION)`. {nullptr, -1} when
  // the callers pass anything else, or for a constructor (bound where the class is built).
  std::pair<const Function*, NodeId> passed_global(const Function& f, const Node& param) {
    if (!param.num || *param.num < 0 || f.name == "__init__") return {nullptr, ir::kNoNode};
    const bool classmethod = has_decorator(f, "classmethod");
    std::string name;
    for (auto [caller, call] : call_sites(f)) {
      NodeId arg = ir::kNoNode;
      for (const auto& [k, a] : call->kwargs)
        if (k == param.name) arg = a;
      const size_t first = call->op == "call_value" ? 1 : 0;
      const long pos = static_cast<long>(*param.num) - (classmethod ? 1 : 0);
      if (arg < 0 && pos >= 0 && first + static_cast<size_t>(pos) < call->args.size())
        arg = call->args[first + static_cast<size_t>(pos)];
      if (arg < 0) continue;
      const Node& a = caller->node(arg);
      if (a.op == "const" && a.name == "None" && !a.num) continue;
      if (a.op != "global" || (!name.empty() && a.name != name)) return {nullptr, ir::kNoNode};
      name = a.name;
    }
    if (name.empty()) return {nullptr, ir::kNoNode};
    auto [fi, v] = p_.global_binding(name);
    return {fi >= 0 ? &p_.fn(fi) : nullptr, v};
  }

  // The calls of a function in the tree (its constructions, for an __init__).
  std::vector<std::pair<const Function*, const Node*>> call_sites(const Function& f) {
    if (callers_.empty()) {
      callers_.assign(p_.functions.size(), {});
      for (const auto& g : p_.functions)
        for (const Node& n : g.nodes) {
          if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0 &&
              static_cast<size_t>(n.target_function) < callers_.size())
            callers_[static_cast<size_t>(n.target_function)].emplace_back(&g, &n);
          if (n.op == "call" && n.target_module >= 0)
            if (int32_t init = p_.mod(n.target_module).method("__init__"); init >= 0)
              callers_[static_cast<size_t>(init)].emplace_back(&g, &n);
        }
    }
    return f.id >= 0 && static_cast<size_t>(f.id) < callers_.size()
               ? callers_[static_cast<size_t>(f.id)]
               : std::vector<std::pair<const Function*, const Node*>>{};
  }

  std::string torch_layer_class(const Function& f, NodeId callee) {
    std::vector<NodeId> work{callee};
    for (int guard = 0; !work.empty() && guard < 16; ++guard) {
      NodeId id = work.back();
      work.pop_back();
      if (id < 0) continue;
      const Node& c = f.node(id);
      if (c.op == "global" && c.name.rfind("torch.", 0) == 0) {
        std::string last = c.name.substr(c.name.rfind('.') + 1);
        if (ir::torch_layer(last)) return last;
      } else if (c.op == "phi") {
        work.insert(work.end(), c.args.begin(), c.args.end());
      } else if (c.op == "select" && c.args.size() == 3) {
        work.push_back(c.args[1]);
        work.push_back(c.args[2]);
      } else if (c.op == "param") {  // def __init__(self, norm_layer=nn.BatchNorm2d)
        for (const auto& [k, v] : c.kwargs)
          if (k == "default") work.push_back(v);
      }
    }
    return {};
  }

  Attr* find(ir::Module& m, const std::string& name) {
    for (auto& a : m.attrs)
      if (a.name == name) return &a;
    return nullptr;
  }

  // `conditional`: the assignment sits under an if/for/while; an earlier value it replaces stays
  // reachable (the other arm of a constructor flag) and is kept as an alternative.
  void set(ir::Module& m, const std::string& name, Attr a, bool overwrite, bool conditional = false) {
    a.name = name;
    if (Attr* old = find(m, name)) {
      // `self.encoder = None` in __init__, built later (`configure_model`, `setup`, `build`): the
      // placeholder says nothing; what the building method stores is what forward runs.
      const bool placeholder = none_placeholder(*old);
      if (!overwrite && !(placeholder && known(a))) {
        // `self.epilogue = self._guard` in `train()` after `self.epilogue = _identity` in __init__:
        // a callable the instance may hold as well.
        if (old->function >= 0 && a.function >= 0 && old->alternatives.size() < 4) {
          std::vector<Attr> more = std::move(a.alternatives);
          a.alternatives.clear();
          old->alternatives.push_back(std::move(a));
          for (auto& x : more)
            if (old->alternatives.size() < 4) old->alternatives.push_back(std::move(x));
        }
        return;
      }
      bool keep_old =
          (conditional || old_conditional_.count({m.id, name})) && callable_value(*old) && old->alternatives.size() < 4;
      if (keep_old) {
        Attr prev = std::move(*old);
        a.alternatives = std::move(prev.alternatives);
        prev.alternatives.clear();
        a.alternatives.push_back(std::move(prev));
      }
      *old = std::move(a);
    } else {
      m.attrs.push_back(std::move(a));
    }
    if (conditional) old_conditional_.insert({m.id, name});
  }

  // Whether classify() recognised the value (a layer, module, tensor, constant or function).
  static bool known(const Attr& a) { return a.kind != AttrKind::Other || a.function >= 0 || a.type == "sequence"; }

  // The class a value names: a class of the tree, or `cls` in one of its classmethods.
  int32_t receiver_class(const Function& f, NodeId id) const {
    const Node& n = f.node(id);
    if (n.target_module >= 0) return n.target_module;
    if (n.op == "param" && n.num == 0.0 && has_decorator(f, "classmethod")) return f.owner_module;
    return -1;
  }

  // `self.stem = v` in a class whose own `__setattr__(self, name, value)` rewrites the value before
  // `super().__setattr__(name, value)` (`value = nn.Sequential(Guard(), value)`): what that call
  // stores, with `value` bound to v. Unknown when the class defines no such `__setattr__`.
  Attr stored_through_setattr(const ir::Module& m, const Function& f, const Node& store) {
    const int32_t hook = ir::find_method(p_, m.id, "__setattr__");
    if (hook < 0) return Attr{};
    const Function& g = p_.fn(hook);
    if (g.param_nodes.size() < 3) return Attr{};
    for (const Node& c : g.nodes) {
      if (c.op != "call" || c.name != "super.__setattr__" || c.args.size() != 3 || c.args[2] < 0) continue;
      Node call;  // (the store as a call of __setattr__: `value` is what it stores)
      call.op = "call";
      call.kwargs.emplace_back(g.node(g.param_nodes[2]).name, store.args[1]);
      binds_.push_back({&g, &f, &call});
      Attr out = classify(g, c.args[2], 1);
      binds_.pop_back();
      return out;
    }
    return Attr{};
  }

  // `self.x = None` in a constructor: a placeholder that says nothing about what is stored later.
  static bool none_placeholder(const Attr& a) { return a.kind == AttrKind::Constant && !a.num && a.text.empty(); }

  // One more configuration the attribute can hold: the first known value, then alternatives.
  static void add_configuration(Attr& out, Attr e) {
    if (!known(e)) return;
    if (!known(out))
      out = std::move(e);
    else if (out.alternatives.size() < 4)
      out.alternatives.push_back(std::move(e));
  }

  // A value that computes when called: a submodule, a layer, a container or a function.
  // A module-level name bound to a literal list or tuple (`PREPROCESS = [...]`).
  bool module_level_sequence(const Node& g) {
    if (g.op != "global") return false;
    auto [mf, v] = global_value(g);
    return mf && v >= 0 && (mf->node(v).op == "list" || mf->node(v).op == "tuple");
  }

  // One more function an attribute may hold (`type`: "function", or "bound_method" for a method of
  // the instance): the first, then up to `most` alternatives, each a configuration.
  static void add_function_choice(Attr& out, int32_t fn, const char* type, NodeId init, const ir::Loc& loc,
                                  size_t most) {
    Attr one;
    one.function = fn;
    one.type = type;
    one.init_node = init;
    one.loc = loc;
    if (out.function < 0)
      out = std::move(one);
    else if (out.alternatives.size() < most)
      out.alternatives.push_back(std::move(one));
  }

  // The instance a method runs on, as the value of an attribute (`Child(self)` in a constructor).
  Attr self_reference(int32_t cls) const {
    Attr a;
    a.kind = AttrKind::Submodule;
    a.module_class = cls;
    a.type = p_.mod(cls).name;
    a.passed_in = true;
    return a;
  }

  // A class of the tree deriving from enum.Enum (or IntEnum, Flag, ...).
  bool enumeration(int32_t cls) const { return ir::is_enum(p_, cls); }

  static bool callable_value(const Attr& a) {
    return a.kind == AttrKind::Submodule || a.kind == AttrKind::Layer || a.kind == AttrKind::Container ||
           a.function >= 0 || a.type == "methodcaller";
  }

  // `self`, or the parameter of a helper the constructor hands itself to (see install_helpers).
  bool receiver(const Function& f, NodeId id) const {
    return is_self(f, id) || (helper_receiver_.first == f.id && helper_receiver_.second == id && id >= 0);
  }

  // `install(self)` / `self.apply(install)` in __init__: what the helper stores on the module it is
  // given (`module.recognise = wrapped`) is an attribute of the instance, as if __init__ stored it.
  void install_helpers(ir::Module& m, const Function& init) {
    for (const Node& n : init.nodes) {
      int32_t g = -1;
      size_t k = 0;
      if (n.op == "apply" && n.args.size() == 2 && is_self(init, n.args[0])) {
        g = init.node(n.args[1]).target_function;
      } else if (n.op == "call" && n.target_function >= 0 && p_.fn(n.target_function).owner_module < 0) {
        for (k = 0; k < n.args.size() && !is_self(init, n.args[k]); ++k) {
        }
        if (k < n.args.size()) g = n.target_function;
      }
      if (n.op == "call" && n.target_function >= 0 && n.target_function != init.id && n.args.size() >= 2 &&
          is_self(init, n.args[0]) && p_.fn(n.target_function).owner_module >= 0 &&
          p_.fn(n.target_function).name != "__init__") {
        // self.register(fn) in __init__: what the method does to the instance with the arguments
        // given here (`self.hooks.append(fn)`) is construction too.
        const auto chain = ir::mro(p_, m.id);
        if (std::find(chain.begin(), chain.end(), p_.fn(n.target_function).owner_module) != chain.end()) {
          binds_.push_back({&p_.fn(n.target_function), &init, &n});
          collect(m, p_.fn(n.target_function), true);
          binds_.pop_back();
        }
        continue;
      }
      if (g < 0 || g == init.id || p_.fn(g).param_nodes.size() <= k) continue;
      helper_receiver_ = {g, p_.fn(g).param_nodes[k]};
      collect(m, p_.fn(g), true);
      // (a function it stores runs because of this call: the call is where it was attached)
      for (const Node& s : p_.fn(g).nodes)
        if (s.op == "setattr" && s.args.size() == 2 && receiver(p_.fn(g), s.args[0]))
          if (const Attr* a = find(m, s.name); a && a->function >= 0) {
            ir::Function& target = p_.functions[static_cast<size_t>(a->function)];
            if (!target.bound_at.valid()) target.bound_at = n.loc;
          }
      helper_receiver_ = {-1, -1};
    }
  }

  // The key K of `vars(self)[K]` / `vars(self).setdefault(K, ...)` / `self.__dict__[K]` (an entry
  // of the instance's __dict__, that is its attribute K), or "".
  std::string instance_dict_key(const Function& f, NodeId id) const {
    if (id < 0) return {};
    const Node& n = f.node(id);
    if (!((n.op == "getitem" || n.op == "setdefault" || n.op == "setitem") && n.args.size() >= 2)) return {};
    const Node& table = f.node(n.args[0]);
    const bool dict = (table.op == "call" && table.name == "vars" && table.args.size() == 1 && is_self(f, table.args[0])) ||
                      (table.op == "attr" && table.name == "__dict__" && table.args.size() == 1 && is_self(f, table.args[0]));
    const Node& key = f.node(n.args[1]);
    return dict && key.op == "const" && !key.num ? key.name : std::string();
  }

  void collect(ir::Module& m, const Function& f, bool is_init) {
    current_ = &m;
    for (const Node& n : f.nodes) {
      // vars(self).setdefault("_specs", {}).update(specs) / vars(self)["_specs"] = specs: the attribute.
      if (n.op == "update" && n.args.size() == 2)
        if (const std::string key = instance_dict_key(f, n.args[0]); !key.empty()) {
          set(m, key, classify(f, n.args[1], 0), is_init, is_init && n.scope_depth > 0);
          continue;
        }
      if (n.op == "setitem" && n.args.size() == 3)
        if (const std::string key = instance_dict_key(f, n.id); !key.empty()) {
          set(m, key, classify(f, n.args[2], 0), is_init, is_init && n.scope_depth > 0);
          continue;
        }
      if (n.op == "setattr" && n.args.size() == 2 && receiver(f, n.args[0])) {
        if (n.has(ir::kInPlace)) {
          extend_sequence(m, f, n);
          add_edit(m, n.name, n.loc);
          continue;
        }
        Attr a = classify(f, n.args[1], 0);
        if (Attr through = stored_through_setattr(m, f, n); known(through)) a = std::move(through);
        set(m, n.name, std::move(a), is_init, is_init && n.scope_depth > 0);
        continue;
      }
      // setattr(self, name, mod) / add_module(name, mod) with a name only known at run time (read
      // from a list of names): one more of the modules kept under such names.
      if (((n.op == "call" && n.name == "setattr") || n.op == "add_module" || n.op == "register_module") &&
          n.args.size() == 3 && receiver(f, n.args[0]) && f.node(n.args[1]).op != "const" &&
          !(f.node(n.args[1]).op == "attr" && !f.node(n.args[1]).args.empty() && receiver(f, f.node(n.args[1]).args[0]))) {
        std::vector<Attr> items;
        if (NodeId seq = unpacked_sequence(f, n.args[2]); seq >= 0) {
          Attr all = classify(f, seq, 0);
          if (!all.children.empty()) items = std::move(all.children);
          else collect_list(f, seq, items, 0, false);
          // (`for kind, flt in filters` over a constructor argument: its items, bound from the sites)
          if (items.empty() && f.node(seq).op == "param") items.push_back(classify(f, n.args[2], 0));
        } else {
          items.push_back(classify(f, n.args[2], 0));
        }
        // (an item of a constructor argument, `for kind, flt in filters`, is bound from the sites)
        std::erase_if(items, [](const Attr& a) { return !callable_value(a) && !a.type.starts_with("argument:"); });
        if (!items.empty()) {
          Attr* held = find(m, kNamedAtRunTime);
          if (!held) {
            Attr list;
            list.name = kNamedAtRunTime;
            list.kind = AttrKind::Container;
            list.type = "ModuleList";  // (run in turn by a loop over the names)
            list.loc = n.loc;
            m.attrs.push_back(std::move(list));
            held = &m.attrs.back();
          }
          for (auto& a : items) {
            held->learned |= a.learned;
            a.name = std::to_string(held->children.size());
            held->children.push_back(std::move(a));
          }
          continue;
        }
      }
      // register_buffer / register_parameter / add_module (setattr(self, "name", v) is a setattr op)
      bool reg_call = (n.op == "register_buffer" || n.op == "register_parameter" || n.op == "add_module" ||
                       n.op == "register_module") &&
                      n.args.size() >= 3 && receiver(f, n.args[0]);
      if (reg_call) {
        const Node& key = f.node(n.args[1]);
        // register_module(self._stage_name, m) with the name kept in a constant attribute.
        const Attr* named =
            key.op == "attr" && !key.args.empty() && receiver(f, key.args[0]) ? find(m, key.name) : nullptr;
        const bool by_attr = named && named->kind == AttrKind::Constant && !named->text.empty();
        if (!by_attr && (key.op != "const" || key.name.empty())) continue;
        Attr a = classify(f, n.args[2], 0);
        // add_module(f"stage{i}", m) in a loop: one attribute per built name, kept as the template.
        const std::string name =
            by_attr ? (named->text.find('{') != std::string::npos ? ir::name_template(named->text) : named->text)
            : key.args.empty() ? key.name
                               : ir::name_template(key.name);
        if (n.op == "register_buffer") a.kind = AttrKind::Buffer;
        if (n.op == "register_parameter") {
          a.kind = AttrKind::Parameter;
          a.learned = true;
        }
        set(m, name, std::move(a), is_init, is_init && n.scope_depth > 0);
        continue;
      }
      // self.table["key"] = value on a dict attribute: one more entry.
      if (n.op == "setitem" && n.args.size() == 3 && f.node(n.args[0]).op == "attr" &&
          !f.node(n.args[0]).args.empty() && receiver(f, f.node(n.args[0]).args[0]))
        if (Attr* d = find(m, f.node(n.args[0]).name); d && (d->type == "dict" || mapping_instance(*d))) {
          const Node& key = f.node(n.args[1]);
          Attr e = classify(f, n.args[2], 0);
          if (key.op == "const" && !key.num && known(e)) {
            e.name = key.name;
            d->children.push_back(std::move(e));
            continue;
          }
        }
      // self.items.append(v) / insert / extend on a list attribute: more elements (a list of
      // processors or blocks the constructor fills, iterated by forward like a ModuleList).
      if (n.op == "module_call" && is_init) {
        auto dot = n.name.rfind('.');
        std::string method = dot == std::string::npos ? std::string() : n.name.substr(dot + 1);
        if (method == "append" || method == "insert" || method == "extend")
          // (and `self.layers = nn.ModuleList(); for ...: self.layers.append(Block(...))`)
          if (Attr* l = find(m, n.name.substr(0, dot)); l && l->type != "tuple" && growable(*l)) {
            size_t at = method == "insert" ? 1 : 0;
            std::vector<Attr> out;
            if (at < n.args.size()) collect_row(f, n.args[at], out, -1, method != "extend");
            // Appended in a loop: one entry stands for every element (as a comprehension's does).
            append_elements(*l, std::move(out), n.scope_depth > 0);
            continue;
          }
      }
      // heapq.heappush(self.queue, (priority, fn)): one more element of a list attribute.
      if (n.op == "call" && is_init && (n.name == "heapq.heappush" || n.name == "heappush") && n.args.size() == 2 &&
          f.node(n.args[0]).op == "attr" && !f.node(n.args[0]).args.empty() &&
          receiver(f, f.node(n.args[0]).args[0]))
        if (Attr* l = find(m, f.node(n.args[0]).name); l && l->type == "list") {
          std::vector<Attr> out;
          out.push_back(classify(f, n.args[1], 0));  // (the entry, a tuple kept whole)
          append_elements(*l, std::move(out), n.scope_depth > 0);
          continue;
        }
      // In-place edits of a tensor attribute: self.w[...] = v, self.w.mul_(255), self.w *= 255.
      if ((n.op == "setitem" || n.has(ir::kInPlace)) && !n.args.empty()) {
        std::string path = self_path(f, n.args[0]);
        if (path.empty() && n.op == "setitem") {
          const Node& base = f.node(n.args[0]);
          if (base.op == "attr" && !base.args.empty() && receiver(f, base.args[0])) path = base.name;
        }
        if (!path.empty()) add_edit(m, path, n.loc);
      }
    }
  }

  // An instance of a class of the tree that subclasses dict (`class TapTable(dict)` with its own
  // __missing__): the constructor's `self.taps["stage2"] = fn` are its entries.
  bool mapping_instance(const Attr& a) const {
    if (a.kind != AttrKind::Submodule || a.module_class < 0) return false;
    static const std::set<std::string> mappings = {"dict", "collections.OrderedDict", "OrderedDict",
                                                   "collections.UserDict", "UserDict", "collections.defaultdict"};
    for (int32_t c : ir::mro(p_, a.module_class))
      for (const std::string& b : p_.mod(c).bases)
        if (mappings.count(b)) return true;
    return false;
  }

  // `self.rules += (Rule(),)` / `self.blocks += [Block()]` on a sequence attribute: more elements,
  // as `extend` would add (a tensor attribute's `+=` is only an edit).
  void extend_sequence(ir::Module& m, const Function& f, const Node& store) {
    const Node& sum = f.node(store.args[1]);
    if (sum.op != "add" || sum.args.size() != 2) return;
    Attr* l = find(m, store.name);
    if (!l || !growable(*l)) return;
    std::vector<Attr> out;
    collect_list(f, sum.args[1], out, 0, false);
    append_elements(*l, std::move(out), false);
  }

  // A list, tuple, ModuleList or Sequential attribute: one that holds elements the constructor adds.
  static bool growable(const Attr& l) {
    return l.type == "list" || l.type == "tuple" ||
           (l.kind == AttrKind::Container && (l.type == "ModuleList" || l.type == "Sequential"));
  }

  // More elements of `l`, named by position (or "*", one entry for every element, when `in_loop`).
  static void append_elements(Attr& l, std::vector<Attr> items, bool in_loop) {
    for (auto& c : items) {
      if (c.name.empty()) c.name = in_loop ? "*" : std::to_string(l.children.size());
      if (l.kind == AttrKind::Container && c.learned) l.learned = true;
      l.children.push_back(std::move(c));
    }
  }

  // An edit of `path` ("w", "conv.weight.data") is an edit of the attribute at its longest known
  // prefix ("conv"); `self.w *= 255` is recorded once (the in-place op and its store share a span).
  void add_edit(ir::Module& m, std::string path, const ir::Loc& loc) {
    Attr* a = nullptr;
    while (!path.empty() && !(a = find(m, path))) {
      auto dot = path.rfind('.');
      path = dot == std::string::npos ? std::string() : path.substr(0, dot);
    }
    if (!a) return;
    for (const auto& e : a->edits)
      if (e.line == loc.line && e.col == loc.col) return;
    a->edits.push_back(loc);
  }

  ir::Program& p_;
  enum : uint8_t { kUnknown, kDeciding, kNo, kYes };
  std::vector<uint8_t> learned_memo_;  // learned() per class
  std::vector<std::vector<int32_t>> children_;
  ir::Module* current_ = nullptr;  // the module whose attributes are being collected
  // Builder calls classify() is inside of, innermost last: their parameters are bound to the arguments.
  struct Bind {
    const Function* callee;
    const Function* caller;
    const Node* call;
  };
  std::vector<Bind> binds_;
  // function -> the functools.partial calls that bind it (see partial_keyword)
  std::unordered_map<int32_t, std::vector<std::pair<const Function*, const Node*>>> partials_;
  bool partials_built_ = false;
  std::map<std::string, std::vector<std::pair<int32_t, NodeId>>> registry_writes_;  // see registry_writes
  bool registry_writes_built_ = false;
  std::unordered_map<std::string, int32_t> module_getattrs_;  // module name -> its __getattr__ (PEP 562)
  bool module_getattrs_built_ = false;
  std::set<std::pair<int32_t, std::string>> old_conditional_;  // (module, attribute) set under a condition
  std::vector<std::vector<std::pair<const Function*, const Node*>>> callers_;  // per function, built on first use
};

}  // namespace

// The function a value binds to the object `self` as a method.
static int32_t bound_function(const ir::Program& p, const Function& f, NodeId id) {
  auto [fn, receiver] = bound_method(p, f, id);
  return fn >= 0 && is_self(f, receiver) ? fn : -1;
}

// Methods an instance gets in its class's own code (`self.forward = types.MethodType(fn, self)` in
// __init__): at run time the instance attribute shadows the class's method, so `self.m(...)` and
// calls of the object run the bound function.
// A free function bound by one class only is that class's method for every analysis (its `self`
// is an instance of the class). Returns the functions that became methods.
static std::vector<int32_t> bind_instance_methods(ir::Program& p) {
  std::map<int32_t, std::set<int32_t>> binders;
  for (const auto& fn : p.functions) {
    if (fn.owner_module < 0) continue;
    for (const auto& n : fn.nodes) {
      if (n.op != "setattr" || n.args.size() != 2 || !is_self(fn, n.args[0]) || n.name.empty()) continue;
      int32_t target = bound_function(p, fn, n.args[1]);
      if (target < 0 || target == fn.id) continue;
      p.modules[static_cast<size_t>(fn.owner_module)].methods[n.name] = target;
      binders[target].insert(fn.owner_module);
      if (ir::Function& t = p.functions[static_cast<size_t>(target)]; !t.bound_at.valid()) t.bound_at = n.loc;
    }
  }
  std::vector<int32_t> bound;
  for (const auto& [target, classes] : binders) {
    ir::Function& t = p.functions[static_cast<size_t>(target)];
    if (t.owner_module < 0 && classes.size() == 1 && !t.params.empty()) {
      t.owner_module = *classes.begin();
      bound.push_back(target);
    }
  }
  return bound;
}

// The class of the object `id` names, also through a copy (`copy.deepcopy(model)`) and through a
// parameter every caller passes an instance of one class for (`export(model)` with `model = Net()`).
static int32_t object_class(const ir::Program& p, const Function& f, NodeId id, int depth) {
  if (id < 0 || depth > 4) return -1;
  if (int32_t c = ir::instance_class(p, f, id); c >= 0) return c;
  const Node& n = f.node(id);
  const bool same_object = n.op == "eval" || n.op == "train" || n.op == "to" || n.op == "cuda" || n.op == "cpu" ||
                           n.op == "requires_grad";  // (module methods that return the module)
  if (((n.op == "call" && (n.name == "copy.deepcopy" || n.name == "copy.copy" || n.name == "deepcopy")) ||
       same_object) &&
      !n.args.empty())
    return object_class(p, f, n.args[0], depth + 1);
  if (n.op != "param" || !n.num || *n.num < 0) return -1;
  int32_t cls = -1;
  for (const auto& caller : p.functions)
    for (const auto& c : caller.nodes) {
      if (c.op != "call" || c.target_function != f.id || c.target_module >= 0) continue;
      const size_t at = static_cast<size_t>(*n.num);
      NodeId arg = at < c.args.size() ? c.args[at] : ir::kNoNode;
      for (const auto& [k, v] : c.kwargs)
        if (k == n.name) arg = v;
      const int32_t got = object_class(p, caller, arg, depth + 1);
      if (got < 0 || (cls >= 0 && got != cls)) return -1;
      cls = got;
    }
  return cls;
}

// `deployed._screen = types.MethodType(fn, deployed)` outside the class's code (an export helper
// patching a copy of a trained model): on that instance the method the class's forward calls is
// `fn`. (A patched `forward` is a root of its own, see flow::find_roots.) Returns the functions
// that became methods.
static std::vector<int32_t> bind_exported_methods(ir::Program& p) {
  std::vector<std::pair<int32_t, int32_t>> found;  // (class, function)
  std::vector<std::pair<std::string, ir::Loc>> where;
  for (const auto& fn : p.functions) {
    for (const auto& n : fn.nodes) {
      if (n.op != "setattr" || n.args.size() != 2 || n.name.empty() || n.name == "forward" || is_self(fn, n.args[0]))
        continue;
      auto [target, receiver] = bound_method(p, fn, n.args[1]);
      if (target < 0 || receiver != n.args[0]) continue;
      const int32_t cls = object_class(p, fn, n.args[0], 0);
      if (cls < 0 || p.mod(cls).method(n.name) < 0) continue;
      found.emplace_back(cls, target);
      where.emplace_back(n.name, n.loc);
    }
  }
  std::vector<int32_t> bound;
  for (size_t i = 0; i < found.size(); ++i) {
    auto [cls, target] = found[i];
    p.modules[static_cast<size_t>(cls)].methods[where[i].first] = target;
    ir::Function& t = p.functions[static_cast<size_t>(target)];
    if (!t.bound_at.valid()) t.bound_at = where[i].second;
    if (t.owner_module < 0 && !t.params.empty()) {
      t.owner_module = cls;
      bound.push_back(target);
    }
  }
  return bound;
}

// A free function a class registers as a load hook (`self.register_load_state_dict_post_hook(fn)`)
// gets the module as its first argument: it is that class's method, run when weights are loaded,
// so the attributes it sets are what inference reads. Returns the functions that became methods.
static std::vector<int32_t> bind_load_hooks(ir::Program& p) {
  std::vector<int32_t> bound;
  for (const auto& fn : p.functions) {
    if (fn.owner_module < 0) continue;
    for (const auto& n : fn.nodes) {
      bool hook = n.op == "register_load_state_dict_post_hook" || n.op == "register_load_state_dict_pre_hook";
      if (!hook || n.args.size() < 2 || !is_self(fn, n.args[0])) continue;
      int32_t target = fn.node(n.args[1]).target_function;
      if (target < 0) continue;
      ir::Function& t = p.functions[static_cast<size_t>(target)];
      if (t.owner_module >= 0 || t.params.empty()) continue;
      t.owner_module = fn.owner_module;
      p.modules[static_cast<size_t>(fn.owner_module)].methods[kLoadHookPrefix + t.name] = target;
      bound.push_back(target);
    }
  }
  return bound;
}

// Whether `fid` is `root` or nested in it.
static bool nested_in(const ir::Program& p, int32_t fid, int32_t root) {
  for (int guard = 0; fid >= 0 && guard < 32; fid = p.fn(fid).parent, ++guard)
    if (fid == root) return true;
  return false;
}

// `@deco class C` (or `@factory(args) class C`): the decorator receives the class and may install
// functions on it (`cls.__init__ = __init__`, `cls.forward = forward`), each wrapping the original
// it read off the class (`init = cls.__init__` ... `init(self, *args)`). An installed function of a
// decorator applied to one class becomes that class's method (an installed `__init__` runs after
// the class's own and counts as init code: the hooks it registers, the attributes it sets); the
// original it reads is the class's method as written. Returns the functions that became methods.
static std::vector<int32_t> bind_class_decorators(ir::Program& p) {
  struct Install {
    int32_t decorator = -1, cls = -1;
    std::string name;
    ir::Loc at;
  };
  std::map<int32_t, std::vector<Install>> installs;  // per installed function
  for (const auto& fn : p.functions)
    for (const auto& n : fn.nodes) {
      if (n.op != "call_value" || n.name != ir::kClassDecorator || n.args.size() != 2 || n.target_function < 0)
        continue;
      const int32_t cls = fn.node(n.args[1]).target_module;
      const Function& deco = p.fn(n.target_function);
      if (cls < 0 || deco.param_nodes.empty()) continue;
      for (const auto& s : deco.nodes) {
        if (s.op != "setattr" || s.args.size() != 2 || s.args[0] != deco.param_nodes[0] || s.name.empty()) continue;
        const Node& v = deco.node(s.args[1]);
        if ((v.op == "def" || v.op == "lambda") && v.target_function >= 0)
          installs[v.target_function].push_back({deco.id, cls, s.name, n.loc});
      }
    }
  std::vector<int32_t> bound;
  for (const auto& [fid, where] : installs) {
    if (where.size() != 1) continue;  // a shared decorator: no single class to be a method of
    const Install& in = where.front();
    ir::Module& m = p.modules[static_cast<size_t>(in.cls)];
    const int32_t original = in.name == "__init__" ? m.method("__init__") : find_method(p, in.cls, in.name);
    m.methods[in.name == "__init__" ? std::string(kInstalledInit) : in.name] = fid;
    // The original the installed function reads off the class: a closure variable of the decorator.
    const Function& deco = p.fn(in.decorator);
    for (auto& g : p.functions) {
      if (original < 0 || !nested_in(p, g.id, fid)) continue;
      for (auto& x : g.nodes) {
        if (x.op != "free" || x.target_function != in.decorator || x.outer < 0) continue;
        const Node& o = deco.node(x.outer);
        if (o.op != "attr" || o.name != in.name || o.args.empty() || o.args[0] != deco.param_nodes[0]) continue;
        x.op = "def";
        x.target_function = original;
      }
      for (auto& x : g.nodes)
        if (x.op == "call_value" && !x.args.empty() && g.node(x.args[0]).op == "def" && x.target_function < 0)
          x.target_function = g.node(x.args[0]).target_function;
    }
    ir::Function& t = p.functions[static_cast<size_t>(fid)];
    if (!t.bound_at.valid()) t.bound_at = in.at;
    if (t.owner_module < 0 && !t.params.empty()) {
      t.owner_module = in.cls;
      bound.push_back(fid);
    }
  }
  return bound;
}

// `Deburr = type("Deburr", (nn.Module,), {"__init__": _init, "forward": _forward})`: module-level
// functions a class takes as its methods. A function only one class takes becomes its method (its
// first parameter the instance), as a `def` in the class body would be.
static std::vector<int32_t> bind_namespace_methods(ir::Program& p) {
  std::map<int32_t, std::set<int32_t>> classes;  // function -> the classes taking it as a method
  for (const auto& m : p.modules)
    for (const auto& [name, fid] : m.methods)
      if (fid >= 0 && p.fn(fid).owner_module < 0 && !p.fn(fid).params.empty()) classes[fid].insert(m.id);
  std::vector<int32_t> bound;
  for (const auto& [fid, owners] : classes) {
    if (owners.size() != 1) continue;
    ir::Function& f = p.functions[static_cast<size_t>(fid)];
    if (f.parent < 0 || p.fn(f.parent).name != "<module>") continue;
    f.owner_module = *owners.begin();
    bound.push_back(fid);
  }
  return bound;
}

// The front-end lowered a free function's `self.m(...)` as a method call on some object; now that
// the function is a method, give those calls the form a method's body has: `self.helper(x)` calls
// the class's method, `self.sub(x)` / `self.a.b(x)` call the attribute (a submodule, a layer, a
// stored function), so every analysis resolves them alike.
static void lower_as_method(ir::Program& p, Function& f) {
  const int32_t cls = f.owner_module;
  for (auto& n : f.nodes) {
    if (n.args.empty() || n.name.empty() || n.name.find('.') != std::string::npos) continue;
    static const std::set<std::string> kNotMethodCalls = {"attr",       "setattr",     "getitem", "call",
                                                          "call_value", "module_call", "const",   "global"};
    if (kNotMethodCalls.count(n.op)) continue;
    if (ir::is_module_api(n.name) || n.has(ir::kInPlace)) continue;  // ops on the module, edits of attributes
    std::string path;
    NodeId base = n.args[0];
    while (base >= 0 && f.node(base).op == "attr" && !f.node(base).args.empty()) {
      path = f.node(base).name + (path.empty() ? "" : "." + path);
      base = f.node(base).args[0];
    }
    if (!is_self(f, base)) continue;
    if (path.empty()) {
      if (int32_t m = find_method(p, cls, n.name); m >= 0) {
        n.op = "call";
        n.target_function = m;
        n.name = "self." + n.name;
        continue;
      }
    }
    std::string target = path.empty()                                  ? n.name
                         : n.name == "forward" || n.name == "__call__" ? path
                                                                       : path + "." + n.name;
    if (!module_attr(p, cls, path.empty() ? target : path, 0)) continue;  // not an attribute: a builtin, a tensor op
    NodeId recv = n.args[0];
    n.args.erase(n.args.begin());
    n.kwargs.emplace_back("self", recv);
    n.op = "module_call";
    n.name = target;
  }
}

void build_modules(ir::Program& p) {
  std::vector<int32_t> bound = bind_instance_methods(p);
  for (int32_t f : bind_exported_methods(p)) bound.push_back(f);
  for (int32_t f : bind_load_hooks(p)) bound.push_back(f);
  for (int32_t f : bind_class_decorators(p)) bound.push_back(f);
  for (int32_t f : bind_namespace_methods(p)) bound.push_back(f);
  Builder b(p);
  for (auto& m : p.modules) b.build(m);
  b.external_attrs(bound);
  b.visitor_appends();
  b.submodule_slot_assignments();
  for (int32_t f : bound) lower_as_method(p, p.functions[static_cast<size_t>(f)]);
  const auto sites = b.construction_sites();
  b.bind_constructor_arguments(sites);
  b.bind_container_items(sites);
  b.mark_sequence_arguments(sites);
  // nn.ModuleList(blocks) with `blocks` a list argument bound above: the container holds its items.
  for (auto& m : p.modules)
    for (auto& a : m.attrs)
      if (a.kind == ir::AttrKind::Container && a.children.size() == 1 && a.children[0].kind == ir::AttrKind::Other &&
          !a.children[0].children.empty() && a.children[0].passed_in) {
        std::vector<ir::Attr> items = std::move(a.children[0].children);
        a.children = std::move(items);
      }

  // nn.Module-ness: torch.nn bases, or user bases that are modules, or a forward method.
  bool changed = true;
  for (auto& m : p.modules) {
    m.is_nn_module = m.method("forward") >= 0;
    for (const auto& base : m.bases)
      if (base.rfind("torch.nn.", 0) == 0 || base == "nn.Module" || base == "Module") m.is_nn_module = true;
  }
  while (changed) {
    changed = false;
    for (auto& m : p.modules) {
      if (m.is_nn_module) continue;
      for (int32_t base : m.base_modules)
        if (p.mod(base).is_nn_module) {
          m.is_nn_module = changed = true;
          break;
        }
    }
  }
  // Submodule attributes are learned when their class owns parameters.
  for (auto& m : p.modules)
    for (auto& a : m.attrs) a.learned = b.attr_learned(a);

  // A torch.nn layer built and called in place (`nn.ReLU()(x)`, `pool = nn.AvgPool2d(3); pool(x)`)
  // is its op, like a layer attribute.
  for (auto& fn : p.functions)
    for (auto& n : fn.nodes) {
      if (n.op != "call_value" || n.args.empty() || n.args[0] < 0) continue;
      const Node& callee = fn.node(n.args[0]);
      const ir::LayerInfo* li = callee.op == "layer" ? ir::torch_layer(callee.name) : nullptr;
      if (!li || li->container || !li->op || !*li->op) continue;
      n.name = callee.name;
      n.op = li->op;
      n.args.erase(n.args.begin());
      if (li->learned && !li->normalisation) n.flags |= ir::kLearned;
    }

  // Rewrite submodule calls: a call of an nn.ReLU attribute is the op "relu"; learned layers are
  // flagged; user submodules point at their class.
  for (auto& fn : p.functions) {
    int32_t owner = fn.owner_module;
    if (owner < 0) continue;
    for (auto& n : fn.nodes) {
      // f = self.m (or getattr(self, "m", None)); f(x): the method, called with its receiver.
      if (n.op == "call_value" && n.target_function < 0 && !n.args.empty() && n.args[0] >= 0) {
        const Node& callee = fn.node(n.args[0]);
        if (callee.op == "attr" && !callee.args.empty() && is_self(fn, callee.args[0]) &&
            !module_attr(p, owner, callee.name, 0))
          n.target_function = find_method(p, owner, callee.name);
        continue;
      }
      if (n.op != "module_call") continue;
      // self.m(...) of a method the instance was given (bound in __init__ or by a factory).
      if (n.name.find('.') == std::string::npos && !module_attr(p, owner, n.name, 0)) {
        auto recv = std::find_if(n.kwargs.begin(), n.kwargs.end(), [](auto& kv) { return kv.first == "self"; });
        int32_t m = find_method(p, owner, n.name);
        if (m >= 0 && recv != n.kwargs.end()) {
          n.args.insert(n.args.begin(), recv->second);
          n.kwargs.erase(recv);
          n.op = "call";
          n.name = "self." + n.name;
          n.target_function = m;
          continue;
        }
      }
      if (auto dot = n.name.rfind('.'); dot != std::string::npos) {
        // self.w.view(1), self.conv.weight.sum(): a method of a tensor attribute (or of a layer's
        // tensors), not a submodule call: the op on the receiver.
        // The attribute at the longest prefix of the receiver's path that names one.
        const Attr* base = nullptr;
        for (std::string prefix = n.name.substr(0, dot); !prefix.empty() && !base;) {
          base = module_attr(p, owner, prefix, 0);
          auto d2 = prefix.rfind('.');
          prefix = d2 == std::string::npos ? std::string() : prefix.substr(0, d2);
        }
        bool leaf = base && (base->kind == AttrKind::Layer || base->kind == AttrKind::Parameter ||
                             base->kind == AttrKind::Buffer || base->kind == AttrKind::PlainTensor ||
                             base->kind == AttrKind::Constant);
        auto recv = std::find_if(n.kwargs.begin(), n.kwargs.end(), [](auto& kv) { return kv.first == "self"; });
        if (leaf && recv != n.kwargs.end()) {
          bool ip = false;
          std::string meth = n.name.substr(dot + 1);
          n.op = ir::canonical_op(meth, &ip);
          n.args.insert(n.args.begin(), recv->second);
          n.kwargs.erase(recv);
          n.name = meth;
          if (ip) n.flags |= ir::kInPlace;
          continue;
        }
      }
      const Attr* a = module_attr(p, owner, n.name, 0);
      if (!a) continue;
      // (a layer some instance replaces with another module, `self.sub.remap = Remap()`, stays a
      // call of the attribute: each configuration runs)
      if (a->kind == AttrKind::Layer && a->alternatives.empty()) {
        const ir::LayerInfo* li = ir::torch_layer(a->type);
        if (!li) continue;
        n.op = li->op;
        if (li->learned && a->learned && !li->normalisation) n.flags |= ir::kLearned;  // (see weight_written)
        n.kwargs.erase(std::remove_if(n.kwargs.begin(), n.kwargs.end(), [](auto& kv) { return kv.first == "self"; }),
                       n.kwargs.end());
      } else if (a->kind == AttrKind::Submodule) {
        n.target_module = a->module_class;
        if (a->learned) n.flags |= ir::kLearned;
      } else if (a->kind == AttrKind::Container) {
        if (a->learned) n.flags |= ir::kLearned;
      }
    }
  }
}

}  // namespace archscan::link
