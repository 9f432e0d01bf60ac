#include "link/string_names.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "ir/ops.h"

namespace archscan::link {
namespace {

using ir::Function;
using ir::Node;
using ir::NodeId;

bool is_string_const(const Node& n) {
  if (n.op != "const" || !n.args.empty()) return false;  // an f-string with interpolations is not
  for (const auto& kv : n.kwargs)
    if (kv.first == "string") return true;
  return false;
}

class Folder {
 public:
  // With `calls_resolved`, a closure's parameter folds to what every call of its function passes.
  Folder(const ir::Program& p, bool calls_resolved) : p_(p) {
    if (!calls_resolved) return;
    callers_.resize(p.functions.size());
    for (const auto& f : p.functions)
      for (const auto& n : f.nodes)
        if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0)
          callers_[static_cast<size_t>(n.target_function)].emplace_back(&f, &n);
  }

  // The string a value always holds: a literal, a module-level constant, `+` of strings,
  // `sep.join([...])` of strings.
  std::optional<std::string> value(const Function& f, NodeId id, int depth = 0) const {
    if (id < 0 || depth > 8) return std::nullopt;
    const Node& n = f.node(id);
    if (is_string_const(n)) return n.name;
    // An f-string (`f"stage{i}"`) as an attribute name: the family of names it builds.
    if (n.op == "const" && !n.args.empty() && !n.num &&
        std::any_of(n.kwargs.begin(), n.kwargs.end(), [](const auto& kv) { return kv.first == "string"; }))
      return ir::name_template(n.name);
    if (n.op == "global") {
      auto [mf, v] = p_.global_binding(n.name);
      if (mf >= 0 && v >= 0) return value(p_.fn(mf), v, depth + 1);
      return std::nullopt;
    }
    if (n.op == "free" && n.target_function >= 0 && n.outer >= 0) {
      // A closure variable (`getattr(self, layer_attr)` in a hook a decorator factory installs).
      const Function& owner = p_.fn(n.target_function);
      const Node& o = owner.node(n.outer);
      return o.op == "param" ? argument(owner, o, depth + 1) : value(owner, n.outer, depth + 1);
    }
    if (n.op == "add" && n.args.size() == 2) {
      auto a = value(f, n.args[0], depth + 1);
      auto b = value(f, n.args[1], depth + 1);
      if (a && b) return *a + *b;
      // `"_" + cfg.stage.replace("-", "_")`: a literal part and a configured part, the family of
      // names the literal allows (`_{}`), as an f-string gives.
      if (a && !a->empty() && a->find("{}") == std::string::npos) return *a + "{}";
      if (b && !b->empty() && b->find("{}") == std::string::npos) return "{}" + *b;
      return std::nullopt;
    }
    // `"{}_head".format(cfg.deployment)`: the family of names the format string builds.
    if (n.op == "format" && !n.args.empty()) {
      auto fmt = value(f, n.args[0], depth + 1);
      if (!fmt) return std::nullopt;
      std::string t = ir::name_template(*fmt);
      if (t == "{}" || t.find("{}") == std::string::npos) return std::nullopt;
      return t;
    }
    // (a part configured elsewhere, `"_".join(("", "guard", cfg["controller"]))`, is a family of
    // names, `_guard_{}`, as long as some literal text fixes it)
    if (n.op == "join" && n.args.size() == 2) {
      auto sep = value(f, n.args[0], depth + 1);
      const Node& parts = f.node(n.args[1]);
      if (!sep || (parts.op != "list" && parts.op != "tuple")) return std::nullopt;
      std::string out, literal;
      for (size_t i = 0; i < parts.args.size(); ++i) {
        auto part = value(f, parts.args[i], depth + 1);
        if (part && part->find("{}") == std::string::npos) literal += *part;
        out += (i ? *sep : std::string()) + (part ? *part : std::string("{}"));
      }
      if (out.find("{}") != std::string::npos && literal.empty()) return std::nullopt;
      return out;
    }
    // `"stage_%d" % i`: the family of names the %-format builds.
    if (n.op == "remainder" && n.args.size() == 2) {
      auto fmt = value(f, n.args[0], depth + 1);
      if (!fmt || fmt->find('%') == std::string::npos) return std::nullopt;
      std::string t;
      for (size_t i = 0; i < fmt->size(); ++i) {
        if ((*fmt)[i] != '%') {
          t += (*fmt)[i];
          continue;
        }
        if (i + 1 < fmt->size() && (*fmt)[i + 1] == '%') {
          t += '%';
          ++i;
          continue;
        }
        size_t j = i + 1;  // flags, width, precision, then the conversion letter
        while (j < fmt->size() && std::string_view("#0- +.123456789").find((*fmt)[j]) != std::string_view::npos) ++j;
        if (j >= fmt->size()) return std::nullopt;
        t += "{}";
        i = j;
      }
      if (t == "{}" || t.find("{}") == std::string::npos) return std::nullopt;
      return t;
    }
    return std::nullopt;
  }

 private:
  // The string every call of `f` passes for parameter `param` (its default where a call omits it,
  // or where nothing calls `f`); unknown before calls are resolved.
  std::optional<std::string> argument(const Function& f, const Node& param, int depth) const {
    if (callers_.empty() || !param.num) return std::nullopt;
    std::optional<std::string> dflt;
    for (const auto& [k, v] : param.kwargs)
      if (k == "default" && v >= 0) dflt = value(f, v, depth);
    const auto& sites = callers_[static_cast<size_t>(f.id)];
    if (sites.empty()) return dflt;
    std::optional<std::string> agreed;
    for (const auto& [caller, call] : sites) {
      // call_value(fn, args...) carries the callee first.
      const size_t first = call->op == "call_value" ? 1 : 0;
      NodeId arg = ir::kNoNode;
      for (const auto& [k, v] : call->kwargs)
        if (k == param.name) arg = v;
      const size_t pos = first + static_cast<size_t>(*param.num);
      if (arg == ir::kNoNode && pos < call->args.size()) arg = call->args[pos];
      std::optional<std::string> s = arg == ir::kNoNode ? dflt : value(*caller, arg, depth);
      if (!s || (agreed && *agreed != *s)) return std::nullopt;
      agreed = s;
    }
    return agreed;
  }

  const ir::Program& p_;
  std::vector<std::vector<std::pair<const Function*, const Node*>>> callers_;
};

void make_string(Node& n, std::string s) {
  n.op = "const";
  n.name = std::move(s);
  n.args.clear();
  n.kwargs = {{"string", ir::kNoNode}};
  n.num.reset();
}

bool is_torch_path(const std::string& dotted) { return dotted == "torch" || dotted.starts_with("torch."); }

// Makes `n` the call of the torch callable `dotted` (`torch.amax`, `torch.nn.Conv2d`), lowered as
// the front-ends lower named torch calls: the canonical op, or a layer construction.
void lower_torch_call(Node& n, const std::string& dotted) {
  const std::string last = dotted.substr(dotted.rfind('.') + 1);
  if (ir::torch_layer(last)) {
    n.op = "layer";
    n.name = last;
    return;
  }
  bool in_place = false;
  n.op = ir::canonical_op(last, &in_place);
  n.name = dotted;
  if (in_place) n.flags |= ir::kInPlace;
}

// Turns call node `n` into a call of the callable `fn` (a node of `fn_owner`) with `args`: a torch
// op, a named call the linker resolves, a function defined in the tree, or (in the same function)
// a call of the value itself.
bool call_as(const ir::Program& p, Function& f, Node& n, const Function& fn_owner, NodeId fn_id,
             std::vector<NodeId> args, std::vector<std::pair<std::string, NodeId>> kwargs) {
  const Node& fn = fn_owner.node(fn_id);
  if (fn.op == "global" && is_torch_path(fn.name)) {
    lower_torch_call(n, fn.name);
  } else if (fn.op == "global") {
    n.op = "call";
    n.name = fn.name;
  } else if ((fn.op == "def" || fn.op == "lambda") && fn.target_function >= 0 && &fn_owner != &f) {
    n.op = "call";
    n.name = p.fn(fn.target_function).qualname;
    n.target_function = fn.target_function;
  } else if (&fn_owner == &f && (fn.op == "def" || fn.op == "lambda" || fn.op == "attr" || fn.op == "free")) {
    args.insert(args.begin(), fn_id);  // still a call of a value, now of the function itself
  } else {
    return false;
  }
  n.args = std::move(args);
  n.kwargs = std::move(kwargs);
  return true;
}

// `functools.partial(fn, a, k=v)(b)` is `fn(a, b, k=v)`.
bool unwrap_partial(const ir::Program& p, Function& f, Node& n) {
  const Node c = f.node(n.args[0]);
  if (c.op != "call" || (c.name != "functools.partial" && c.name != "partial") || c.args.empty() || c.args[0] < 0)
    return false;
  std::vector<NodeId> args(c.args.begin() + 1, c.args.end());
  args.insert(args.end(), n.args.begin() + 1, n.args.end());
  auto kwargs = c.kwargs;
  kwargs.insert(kwargs.end(), n.kwargs.begin(), n.kwargs.end());
  return call_as(p, f, n, f, c.args[0], std::move(args), std::move(kwargs));
}

// `_OPS["relu"](x)` with `_OPS = {"relu": torch.relu, ...}` a module-level dict: the entry's call.
bool unwrap_table(const ir::Program& p, Function& f, Node& n) {
  const Node& c = f.node(n.args[0]);
  if (c.op != "getitem" || c.args.size() != 2 || c.args[0] < 0 || c.args[1] < 0) return false;
  const Node& table = f.node(c.args[0]);
  const Node& key = f.node(c.args[1]);
  if (table.op != "global" || !is_string_const(key)) return false;
  auto [mf, dict] = p.global_binding(table.name);
  if (mf < 0 || dict < 0) return false;
  const Function& owner = p.fn(mf);
  NodeId entry = ir::dict_entry(owner, dict, key.name);
  if (entry < 0) return false;
  std::vector<NodeId> args(n.args.begin() + 1, n.args.end());
  return call_as(p, f, n, owner, entry, std::move(args), n.kwargs);
}

// `getattr(torch, "amax")(x, 1)` once the name is known: the call of `torch.amax` it is, lowered as
// the front-ends lower named torch calls (the canonical op, or a layer construction).
void lower_namespace_calls(const ir::Program& p, Function& f) {
  for (auto& n : f.nodes) {
    if (n.op != "call_value" || n.args.empty() || n.args[0] < 0) continue;
    if (unwrap_partial(p, f, n) || unwrap_table(p, f, n)) continue;
    const Node& callee = f.node(n.args[0]);
    if (callee.op != "attr" || callee.args.empty() || callee.args[0] < 0) continue;
    const Node& ns = f.node(callee.args[0]);
    if (ns.op != "global" || !is_torch_path(ns.name)) continue;
    const std::string dotted = ns.name + "." + callee.name;
    n.args.erase(n.args.begin());
    lower_torch_call(n, dotted);
  }
}

}  // namespace

size_t fold_string_names(ir::Program& p, bool calls_resolved) {
  Folder folder(p, calls_resolved);
  size_t lowered = 0;
  for (auto& f : p.functions) {
    for (auto& n : f.nodes) {
      // (`object.__setattr__(m, "_raw", x)`, `nn.Module.__setattr__(...)`: the store, past any
      // override of the class's own __setattr__)
      const bool dunder_set = n.op == "call" && n.name.ends_with(".__setattr__") && n.args.size() == 3;
      const bool names = dunder_set || (n.op == "call" && (n.name == "getattr" || n.name == "setattr" ||
                                                           n.name == "hasattr" || n.name == "builtins.getattr" ||
                                                           n.name == "builtins.setattr"));
      // obj.__dict__["k"], obj.__dict__.get("k"), vars(obj)["k"]: the instance's attribute k.
      // (`self.__dict__.get("k")` is a module call on the dict: its receiver is the `self` keyword)
      if (n.op == "module_call" && n.name == "__dict__.get" && !n.args.empty())
        for (const auto& [k, v] : n.kwargs)
          if (k == "self" && v >= 0) {
            n.op = "get";
            n.name = "get";
            n.args.insert(n.args.begin(), v);
            n.kwargs.clear();
            break;
          }
      // obj.__dict__["k"] = v / vars(obj)["k"] = v: the store obj.k = v.
      if (n.op == "setitem" && n.args.size() == 3 && n.args[0] >= 0 && n.args[1] >= 0)
        if (const ir::Node& d = f.node(n.args[0]);
            (d.op == "attr" && d.name == "__dict__" && d.args.size() == 1) ||
            (d.op == "call" && (d.name == "vars" || d.name == "builtins.vars") && d.args.size() == 1))
          if (auto key = folder.value(f, n.args[1]); key && !key->empty()) {
            ++lowered;
            const ir::NodeId obj = d.args[0], value = n.args[2];
            n.op = "setattr";
            n.name = *key;
            n.args = {obj, value};
            n.flags &= ~ir::kInPlace;  // (a store of the attribute, not an edit of its value)
            continue;
          }
      if ((n.op == "getitem" || n.op == "get") && n.args.size() >= 2 && n.args[0] >= 0 && n.args[1] >= 0)
        if (const ir::Node& d = f.node(n.args[0]);
            (d.op == "attr" && d.name == "__dict__" && d.args.size() == 1) ||
            (d.op == "call" && (d.name == "vars" || d.name == "builtins.vars") && d.args.size() == 1))
          if (auto key = folder.value(f, n.args[1]); key && !key->empty()) {
            ++lowered;
            const ir::NodeId obj = d.args[0];
            n.op = "attr";
            n.name = *key;
            n.args = {obj};
            continue;
          }
      // operator.attrgetter("stages.%d" % i): the path it reads, folded as getattr's name is.
      if (n.op == "call" && (n.name == "operator.attrgetter" || n.name == "attrgetter") && n.args.size() == 1)
        if (auto s = folder.value(f, n.args[0])) make_string(f.node(n.args[0]), *s);
      if (!names || n.args.size() < 2) continue;
      // `getattr(fuse, "er" + "ase")`, `setattr(m, "pre" + "condition", fn)`: the name is known.
      auto s = folder.value(f, n.args[1]);
      if (!s) continue;
      make_string(f.node(n.args[1]), *s);
      // getattr(obj, "name"[, default]) reads obj.name: lower it as the attribute read it is.
      if (n.name.ends_with("getattr")) {
        ++lowered;
        n.op = "attr";
        n.name = *s;
        n.args.resize(1);
      }
      // setattr(obj, "name", v) is the store obj.name = v: one IR op for both spellings.
      if ((dunder_set || n.name.ends_with("setattr")) && n.args.size() == 3) {
        ++lowered;
        n.op = "setattr";
        n.name = *s;
        n.args = {n.args[0], n.args[2]};
      }
    }
    lower_namespace_calls(p, f);
  }
  return lowered;
}

}  // namespace archscan::link
