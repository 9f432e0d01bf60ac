#include <algorithm>

#include "rules/hw_util.h"

#include "ir/ops.h"

namespace archscan::rules::hw {

std::string_view last_component(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::vector<ir::NodeId> operands(const ir::Node& n) {
  std::vector<ir::NodeId> out;
  out.reserve(n.args.size() + n.kwargs.size());
  for (ir::NodeId a : n.args)
    if (a >= 0) out.push_back(a);
  for (const auto& [k, v] : n.kwargs)
    if (v >= 0) out.push_back(v);
  return out;
}

std::vector<std::vector<ir::NodeId>> build_uses(const ir::Function& f) {
  std::vector<std::vector<ir::NodeId>> uses(f.nodes.size());
  for (const auto& n : f.nodes)
    for (ir::NodeId a : operands(n))
      if (static_cast<size_t>(a) < uses.size()) uses[static_cast<size_t>(a)].push_back(n.id);
  return uses;
}

bool is_self_param(const ir::Function& f, ir::NodeId id) {
  if (ir::is_self(f, id)) return true;
  // A method of a class the linker does not know (a mixin built elsewhere): `self` by name.
  if (id < 0 || static_cast<size_t>(id) >= f.nodes.size()) return false;
  const ir::Node& n = f.node(id);
  return n.op == "param" && n.num && *n.num == 0 && n.name == "self";
}

ir::NodeId kwarg(const ir::Node& n, std::string_view key) {
  for (const auto& [k, v] : n.kwargs)
    if (k == key) return v;
  return ir::kNoNode;
}

bool string_const(const ir::Node& n, std::string* out) {
  if (n.op != "const" || !n.args.empty() || n.num) return false;
  bool is_string = false;
  for (const auto& [k, v] : n.kwargs)
    if (k == "string") is_string = true;
  if (!is_string) return false;
  if (out) *out = n.name;
  return true;
}

bool number_const(const ir::Node& n, double* out) {
  if (n.op == "param" || !n.num) return false;
  if (out) *out = *n.num;
  return true;
}

bool module_owns_weights(const ir::Program& p, int32_t mod) {
  // Each class once: submodules and bases can form a lattice with exponentially many paths.
  std::vector<int32_t> work{mod}, seen;
  while (!work.empty()) {
    const int32_t c = work.back();
    work.pop_back();
    if (c < 0 || std::find(seen.begin(), seen.end(), c) != seen.end() || seen.size() > 256) continue;
    seen.push_back(c);
    const ir::Module& m = p.mod(c);
    for (const auto& a : m.attrs) {
      if (a.learned) return true;
      if (a.kind == ir::AttrKind::Submodule) work.push_back(a.module_class);
    }
    work.insert(work.end(), m.base_modules.begin(), m.base_modules.end());
    // A torch.nn base that carries parameters (class Foo(nn.Conv2d)).
    for (const auto& b : m.bases) {
      const ir::LayerInfo* li = ir::torch_layer(last_component(b));
      if (li && li->learned) return true;
    }
  }
  return false;
}

int32_t class_of_value(const ir::Program& p, const ir::Function& f, ir::NodeId id, int depth) {
  for (int guard = 0; id >= 0 && guard < 8 && depth < 8; ++guard) {
    const ir::Node& n = f.node(id);
    if (n.target_module >= 0) return n.target_module;
    if ((n.op == "phi" || n.op == "eval" || n.op == "to" || n.op == "cuda" || n.op == "train") && !n.args.empty()) {
      id = n.args[0];
      continue;
    }
    if (n.op == "call" && n.target_function >= 0) {
      // A builder function: the class of what it returns.
      const ir::Function& g = p.fn(n.target_function);
      for (ir::NodeId r : g.returns) {
        const ir::Node& rn = g.node(r);
        if (rn.args.empty()) continue;
        int32_t c = class_of_value(p, g, rn.args[0], depth + 1);
        if (c >= 0) return c;
      }
    }
    break;
  }
  return -1;
}

int32_t function_value(const ir::Program& p, const ir::Function& f, ir::NodeId id, int depth) {
  if (id < 0 || depth > 6 || static_cast<size_t>(id) >= f.nodes.size()) return -1;
  const ir::Node& n = f.node(id);
  if ((n.op == "def" || n.op == "lambda" || n.op == "global") && n.target_function >= 0) return n.target_function;
  if (n.op == "phi" && !n.args.empty()) return function_value(p, f, n.args[0], depth + 1);
  if (n.op == "attr" && !n.args.empty()) {
    // obj.method: a bound method of a user class.
    int32_t cls = -1;
    if (is_self_param(f, n.args[0])) {
      const ir::Function* cur = &f;
      for (int g = 0; g < 16 && cur; ++g) {
        if (cur->owner_module >= 0) {
          cls = cur->owner_module;
          break;
        }
        cur = cur->parent >= 0 ? &p.fn(cur->parent) : nullptr;
      }
    } else {
      cls = class_of_value(p, f, n.args[0]);
    }
    if (cls >= 0) return find_method(p, cls, n.name);
    return -1;
  }
  if (n.target_module >= 0 && (n.op == "call" || n.op == "call_value")) {
    // A callable object: calling it runs __call__ (forward for an nn.Module).
    const ir::Module& m = p.mod(n.target_module);
    int32_t c = find_method(p, m.id, m.is_nn_module ? "forward" : "__call__");
    return c >= 0 ? c : find_method(p, m.id, "__call__");
  }
  if (n.op == "call" || n.op == "call_value" || n.op == "partial") {
    if (n.name == "functools.partial" || n.op == "partial")
      return n.args.empty() ? -1 : function_value(p, f, n.args[0], depth + 1);
    int32_t g = n.target_function;
    if (g < 0 && n.op == "call_value" && !n.args.empty()) g = function_value(p, f, n.args[0], depth + 1);
    if (g < 0) return -1;
    // A factory: the function it returns.
    const ir::Function& gf = p.fn(g);
    for (ir::NodeId r : gf.returns) {
      const ir::Node& rn = gf.node(r);
      if (rn.args.empty()) continue;
      int32_t h = function_value(p, gf, rn.args[0], depth + 1);
      if (h >= 0) return h;
    }
  }
  return -1;
}

std::pair<ir::NodeId, ir::NodeId> branch_region(const ir::Function& f, ir::NodeId branch) {
  const ir::Node& b = f.node(branch);
  ir::NodeId i = branch + 1;
  ir::NodeId end = static_cast<ir::NodeId>(f.nodes.size());
  for (; i < end; ++i)
    if (f.node(i).scope_depth <= b.scope_depth) break;
  return {branch + 1, i};
}

int32_t else_line(const ir::Program& p, const ir::Function& f, ir::NodeId branch) {
  const ir::Node& b = f.node(branch);
  if (b.name != "if" || b.loc.file < 0) return 0;
  const ir::SourceFile& file = p.file(b.loc.file);
  std::string_view head = file.line_text(b.loc.line);
  size_t indent = head.find_first_not_of(" \t");
  if (indent == std::string_view::npos) return 0;
  for (int32_t l = b.loc.line + 1; l <= b.loc.end_line; ++l) {
    std::string_view t = file.line_text(l);
    size_t i = t.find_first_not_of(" \t");
    if (i == std::string_view::npos || i != indent) continue;
    std::string_view rest = t.substr(i);
    if (rest.starts_with("else") || rest.starts_with("elif")) return l;
  }
  return 0;
}

std::string global_path(const ir::Function& f, ir::NodeId id) {
  std::string suffix;
  for (int guard = 0; id >= 0 && guard < 16; ++guard) {
    const ir::Node& n = f.node(id);
    if (n.op == "global") return n.name + suffix;
    if (n.op == "attr" && !n.args.empty()) {
      suffix = "." + n.name + suffix;
      id = n.args[0];
      continue;
    }
    break;
  }
  return {};
}

int training_polarity(const ir::Function& f, ir::NodeId c, const TrainingFlag& flag, int depth) {
  if (c < 0 || depth > 6) return 0;
  const ir::Node& n = f.node(c);
  if (flag(f, c)) return 1;
  if (n.op == "not" && !n.args.empty()) return -training_polarity(f, n.args[0], flag, depth + 1);
  if (n.op == "and") {
    for (ir::NodeId a : n.args)
      if (training_polarity(f, a, flag, depth + 1) == 1) return 1;
    return 0;
  }
  if (n.op == "or") {
    bool all = !n.args.empty();
    for (ir::NodeId a : n.args) all &= training_polarity(f, a, flag, depth + 1) == -1;
    return all ? -1 : 0;
  }
  if (n.op == "call" && n.name == "torch.is_grad_enabled") return 1;
  return 0;
}

namespace {
// A disjunction with a not-training arm (`not training or p == 0`): when it fails, the module trains.
bool early_return_unless_training(const ir::Function& f, ir::NodeId c, const TrainingFlag& flag) {
  const ir::Node& n = f.node(c);
  if (n.op != "or") return false;
  for (ir::NodeId a : n.args)
    if (training_polarity(f, a, flag) == -1) return true;
  return false;
}
}  // namespace

std::vector<char> training_only(const ir::Program& p, const ir::Function& f, const TrainingFlag& flag) {
  std::vector<char> g(f.nodes.size(), 0);
  for (const auto& b : f.nodes) {
    if (b.op != "branch" || b.name != "if" || b.args.empty()) continue;
    int pol = training_polarity(f, b.args[0], flag);
    if (pol == 0 && early_return_unless_training(f, b.args[0], flag)) pol = -1;
    if (pol == 0) continue;
    auto [s, e] = branch_region(f, b.id);
    int32_t else_l = else_line(p, f, b.id);
    bool returns_in_then = false;
    for (ir::NodeId i = s; i < e; ++i) {
      const ir::Node& n = f.node(i);
      bool in_then = else_l == 0 || n.loc.line < else_l;
      if ((pol == 1 && in_then) || (pol == -1 && !in_then)) g[static_cast<size_t>(i)] = 1;
      if (pol == -1 && in_then && n.op == "return") returns_in_then = true;
    }
    if (pol == -1 && returns_in_then && else_l == 0)
      for (size_t i = static_cast<size_t>(e); i < g.size(); ++i) g[i] = 1;
  }
  return g;
}

}  // namespace archscan::rules::hw
