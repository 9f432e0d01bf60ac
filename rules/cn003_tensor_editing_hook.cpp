// CN003: a forward hook or pre-hook that edits tensors. A hook that returns a value replaces the
// module's output (forward hook) or input (pre-hook); one that writes into its tensor arguments in
// place edits them. Either way the module computes something its `forward` does not show. Hooks
// that only read (store features, append to a list, log statistics, return None) are fine.
#include <fmt/format.h>

#include <algorithm>

#include <unordered_set>

#include "analysis/analyses.h"
#include "ir/ops.h"
#include "rules/hw_util.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

enum class HookKind { Forward, Pre };

struct Registration {
  ir::NodeId hook = ir::kNoNode;
  HookKind kind = HookKind::Forward;
  bool global = false;  // register_module_forward_hook: every module
};

bool registration(const ir::Function& f, const ir::Node& n, Registration* r) {
  std::string_view op = n.op;
  std::string_view last = hw::last_component(n.name);
  std::string_view which = op == "call" ? last : op;
  bool global = which == "register_module_forward_hook" || which == "register_module_forward_pre_hook";
  bool local = which == "register_forward_hook" || which == "register_forward_pre_hook";
  if (!global && !local) return false;
  r->kind = which.ends_with("pre_hook") ? HookKind::Pre : HookKind::Forward;
  r->global = global;
  r->hook = hw::kwarg(n, "hook");
  if (r->hook < 0) {
    // obj.register_forward_hook(hook): args = (obj, hook); register_module_forward_hook(hook): args = (hook).
    size_t pos = global ? 0 : 1;
    if (n.args.size() == 1) pos = 0;
    r->hook = pos < n.args.size() ? n.args[pos] : ir::kNoNode;
  }
  (void)f;
  return r->hook >= 0;
}

// Methods that return None (their result is not a replacement value).
bool returns_none(const ir::Node& n) {
  static const std::unordered_set<std::string_view> s = {
      "append",     "extend",     "insert",        "update",      "clear",      "put",
      "put_nowait", "write",      "print",         "__setitem__", "setdefault", "remove",
      "discard",    "add_scalar", "add_histogram", "info",        "debug",      "warning"};
  std::string_view name = n.op == "call" ? hw::last_component(n.name) : std::string_view(n.op);
  if (n.op == "add" && n.args.size() == 2) return false;  // tensor add
  return s.count(name) != 0;
}

// Ops through which a write reaches the same storage.
bool aliases(const ir::Node& n) {
  static const std::unordered_set<std::string_view> s = {
      "getitem",   "view",       "view_as", "narrow",    "select", "permute", "transpose",
      "squeeze",   "unsqueeze",  "expand",  "expand_as", "t",      "detach",  "flatten",
      "unflatten", "as_strided", "movedim", "unbind",    "split",  "chunk",   "iter_item"};
  if (n.op == "attr") return n.name == "data" || n.name == "T" || n.name == "mT";
  return s.count(n.op) != 0;
}

// `module.training` read from any parameter (the module a hook is given, or a helper's argument) or `self`:
// what runs only while training (SpecAugment, dropout-style masking) never edits a deployed model's tensors.
bool reads_training(const ir::Function& f, ir::NodeId c) {
  const ir::Node& n = f.node(c);
  if (n.op != "attr" || n.name != "training" || n.args.empty() || n.args[0] < 0) return false;
  return f.node(n.args[0]).op == "param" || hw::is_self_param(f, n.args[0]);
}

// Nodes of `f` that only run in training.
std::vector<char> training_only(const ir::Program& p, const ir::Function& f) {
  return hw::training_only(p, f, reads_training);
}

class TensorEditingHook : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"CN003", "tensor-editing-hook", "concealment", Severity::Warning,
                            "forward hook or pre-hook that returns a modified output / input or edits it in place"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    for (const auto& f : p.functions) {
      for (const auto& n : f.nodes) {
        Registration r;
        if (!registration(f, n, &r)) continue;
        int32_t hid = hw::function_value(p, f, r.hook);
        if (hid < 0) continue;
        const ir::Function& h = p.fn(hid);
        std::string edit;
        ir::Loc at;
        if (!edits(p, h, r.kind, bound_keywords(f, r.hook), &edit, &at)) continue;
        const char* what = r.kind == HookKind::Pre ? "pre-hook" : "forward hook";
        Finding fd = finding_at(
            info(), p, n.loc,
            fmt::format("{}{} `{}` {}: the module's {} is not what its forward computes", r.global ? "global " : "",
                        what, h.qualname, edit, r.kind == HookKind::Pre ? "input" : "output"),
            f.qualname);
        fd.trace.push_back(step(p, n.loc, "source", fmt::format("{} registered here", what)));
        fd.trace.push_back(step(p, h.loc, "propagation", "hook defined here"));
        fd.trace.push_back(step(p, at, "sink", edit));
        demote_outside_models(ctx.analyses, f, fd);
        ctx.report(std::move(fd));
      }
    }
  }

 private:
  // Whether hook `h` replaces or edits the tensors it is given.
  // `functools.partial(hook, store=cache, name="fc")`: the parameters bound at registration hold the
  // registering code's objects (a feature store), not the module's tensors.
  static std::vector<std::string> bound_keywords(const ir::Function& f, ir::NodeId hook) {
    std::vector<std::string> out;
    if (hook < 0) return out;
    const ir::Node& n = f.node(hook);
    if (n.op != "call" || hw::last_component(n.name) != "partial") return out;
    for (const auto& [k, v] : n.kwargs) out.push_back(k);
    return out;
  }

  static bool edits(const ir::Program& p, const ir::Function& h, HookKind kind, const std::vector<std::string>& bound,
                    std::string* what, ir::Loc* at) {
    // Data parameters: (module, input[, output]) after `self` for a bound method.
    size_t first = 1;
    if (h.owner_module >= 0 || (!h.params.empty() && h.params[0] == "self")) first = 2;
    if (h.param_nodes.size() <= first) return false;
    std::vector<char> alias(h.nodes.size(), 0);  // storage of a data parameter
    for (size_t i = first; i < h.param_nodes.size(); ++i)
      if (i >= h.params.size() || std::find(bound.begin(), bound.end(), h.params[i]) == bound.end())
        alias[static_cast<size_t>(h.param_nodes[i])] = 1;
    for (const auto& n : h.nodes) {
      if (n.args.empty() || n.args[0] < 0) continue;
      if (aliases(n) && alias[static_cast<size_t>(n.args[0])]) alias[static_cast<size_t>(n.id)] = 1;
    }
    std::vector<char> train = training_only(p, h);
    // In-place writes into them.
    for (const auto& n : h.nodes) {
      if (n.args.empty() || n.args[0] < 0 || !alias[static_cast<size_t>(n.args[0])]) continue;
      if (train[static_cast<size_t>(n.id)]) continue;
      if (n.op == "setitem" || n.has(ir::kInPlace)) {
        if (returns_none(n)) continue;  // list.append on an input tuple is not a tensor write
        // output.requires_grad_(True) (enable_input_require_grads): autograd bookkeeping, same values.
        if (ir::is_autograd_flag_op(n.op) || (n.op == "call" && ir::is_autograd_flag_op(n.name))) continue;
        *what = fmt::format("writes into its {} in place (`{}`)", kind == HookKind::Pre ? "input" : "output",
                            source_text(p, n.loc));
        *at = n.loc;
        return true;
      }
    }
    // Returned replacements.
    for (ir::NodeId rid : h.returns) {
      const ir::Node& r = h.node(rid);
      if (r.args.empty() || r.args[0] < 0 || train[static_cast<size_t>(rid)]) continue;
      if (unchanged(p, h, r.args[0], alias, 0)) continue;
      *what = fmt::format("returns a replacement {} (`{}`)", kind == HookKind::Pre ? "input" : "output",
                          source_text(p, h.node(r.args[0]).loc));
      *at = h.node(r.args[0]).loc;
      return true;
    }
    return false;
  }

  // None, a call that returns None, or the hook's own arguments handed back unchanged.
  static bool unchanged(const ir::Program& p, const ir::Function& h, ir::NodeId v, const std::vector<char>& alias,
                        int depth) {
    if (v < 0 || depth > 8) return true;
    const ir::Node& n = h.node(v);
    if (n.op == "const" && n.name == "None" && !n.num) return true;
    if (n.op == "param") return true;
    if (alias[static_cast<size_t>(v)] && (n.op == "getitem" || n.op == "iter_item")) return true;
    if (returns_none(n)) return true;
    if (ir::is_value_conversion(n.op) && !n.args.empty() && alias[static_cast<size_t>(n.args[0])]) return true;
    // The same values reformatted: a layout change or dtype conversion of them, a fixed rescale
    // (`x.float().div(255)`), the input tuple rebuilt (`(x,) + tuple(args[1:])`). Nothing in it
    // depends on what the data holds.
    if ((aliases(n) || ir::is_value_conversion(n.op) || (n.op == "call" && (n.name == "tuple" || n.name == "list"))) &&
        n.args.size() >= 1 && n.args[0] >= 0)
      return unchanged(p, h, n.args[0], alias, depth + 1);
    if ((n.op == "div" || n.op == "mul") && n.args.size() == 2 && n.args[1] >= 0) {
      auto k = h.node(n.args[1]).num;
      if (k && *k > 0) return unchanged(p, h, n.args[0], alias, depth + 1);
    }
    if (n.op == "add" && n.args.size() == 2 && n.args[0] >= 0 && n.args[1] >= 0) {
      const std::string& a = h.node(n.args[0]).op;  // tuple concatenation, not a tensor sum
      if (a == "tuple" || a == "list")
        return unchanged(p, h, n.args[0], alias, depth + 1) && unchanged(p, h, n.args[1], alias, depth + 1);
    }
    if (n.op == "tuple" || n.op == "list") {
      for (ir::NodeId a : n.args)
        if (!unchanged(p, h, a, alias, depth + 1)) return false;
      return true;
    }
    if (n.op == "phi" || n.op == "select") {
      size_t s = n.op == "select" ? 1 : 0;
      for (size_t i = s; i < n.args.size(); ++i)
        if (!unchanged(p, h, n.args[i], alias, depth + 1)) return false;
      return true;
    }
    if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0) {
      // A helper that returns nothing (outside training).
      const ir::Function& g = p.fn(n.target_function);
      std::vector<char> train = training_only(p, g);
      for (ir::NodeId r : g.returns) {
        const ir::Node& rn = g.node(r);
        if (train[static_cast<size_t>(r)]) continue;
        if (!rn.args.empty() && rn.args[0] >= 0) {
          const ir::Node& rv = g.node(rn.args[0]);
          if (!(rv.op == "const" && rv.name == "None")) return false;
        }
      }
      return true;
    }
    return false;
  }
};

ARCHSCAN_REGISTER_RULE(TensorEditingHook);

}  // namespace
}  // namespace archscan::rules
