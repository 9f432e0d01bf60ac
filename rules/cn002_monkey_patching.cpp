// CN002: monkey-patching. Replacing a module's `forward` (or another method) on an instance or a
// class after construction (`model.forward = fn`, `types.MethodType(fn, model)`,
// `fn.__get__(model)`, `setattr(model, "forward", fn)`), or replacing a framework op
// (`F.relu = fn`, `setattr(torch.nn.functional, "gelu", fn)`, `torch.Tensor.__add__ = fn`): the code
// that runs is not the code the class shows.
#include <fmt/format.h>

#include <cctype>
#include <optional>

#include "analysis/analyses.h"
#include "ir/ops.h"
#include "rules/hw_util.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

bool is_framework(const std::string& path) {
  return path == "torch" || path.starts_with("torch.") || path == "torchvision" || path.starts_with("torchvision.") ||
         path.starts_with("transformers.") || path.starts_with("timm.");
}

// A value that binds a function to an object: types.MethodType(fn, obj) / fn.__get__(obj).
bool is_binding(const ir::Function& f, ir::NodeId id, ir::NodeId* fn_out) {
  if (id < 0) return false;
  const ir::Node& n = f.node(id);
  if (n.op == "call" && (n.name == "types.MethodType" || n.name == "MethodType") && !n.args.empty()) {
    *fn_out = n.args[0];
    return true;
  }
  if (n.op == "__get__" || (n.op == "call" && n.name.ends_with(".__get__"))) {
    *fn_out = n.op == "__get__" && !n.args.empty() ? n.args[0] : ir::kNoNode;
    return true;
  }
  return false;
}

class MonkeyPatching : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"CN002", "monkey-patching", "concealment", Severity::Warning,
                            "a module's forward or a framework op is replaced at run time"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    for (const auto& f : p.functions) {
      for (const auto& n : f.nodes) {
        ir::NodeId obj = ir::kNoNode, val = ir::kNoNode;
        std::string name;
        if (n.op == "setattr" && n.args.size() == 2) {
          obj = n.args[0];
          val = n.args[1];
          name = n.name;
        } else if (n.op == "setitem" && n.args.size() == 3) {
          // torch.nn.functional.__dict__["relu"] = fn
          if (n.args[0] < 0 || n.args[1] < 0) continue;
          const ir::Node& base = f.node(n.args[0]);
          if (base.op != "attr" || base.name != "__dict__" || base.args.empty()) continue;
          std::string gp = hw::global_path(f, base.args[0]);
          if (!is_framework(gp) || !hw::string_const(f.node(n.args[1]), &name)) continue;
          report(ctx, f, n, fmt::format("replaces the framework op `{}.{}` through `__dict__`", gp, name));
          continue;
        } else {
          continue;
        }
        if (obj < 0 || val < 0) continue;
        check_store(ctx, f, n, obj, val, name);
      }
    }
  }

 private:
  void check_store(RuleContext& ctx, const ir::Function& f, const ir::Node& n, ir::NodeId obj, ir::NodeId val,
                   const std::string& name) const {
    const ir::Program& p = ctx.program;
    // Replacing a framework op or method.
    std::string gp = hw::global_path(f, obj);
    if (is_framework(gp) && function_like(p, f, val)) {
      if (same_package(p.file(f.file).module_name, gp)) {
        // The framework's own code rewiring itself (torch.jit patching torch._C): maintenance, not a
        // model reaching into a library every model shares.
        report(ctx, f, n, fmt::format("the package patches its own function `{}.{}`", gp, name), Severity::Note);
        return;
      }
      report(ctx, f, n,
             fmt::format("replaces the framework function `{}.{}`: every model calling it runs other code", gp, name));
      return;
    }
    ir::NodeId bound_fn = ir::kNoNode;
    bool binding = is_binding(f, val, &bound_fn);
    bool self_store = hw::is_self_param(f, obj);
    if (binding && delegates_to_own_code(p, f, obj, bound_fn, ctx.analyses.owner_module(f))) return;
    if (binding && model_related(p, f, obj, bound_fn, name)) {
      report(ctx, f, n,
             fmt::format("binds a function as the method `{}` of an object ({}): the object no longer "
                         "runs its class's code",
                         name, source_text(p, f.node(val).loc)));
      return;
    }
    if (binding) return;
    if (name != "forward" && name != "__call__" && name != "_call_impl") return;
    // `cls.forward = wrap(cls.forward)`: a decorator applied by assignment (in __init_subclass__, a
    // class decorator). The original still runs inside the wrapper, as under `@wrap`; what the
    // wrapper adds is the data-flow rules' business.
    if (wraps_own_attribute(f, obj, val, name) || closure_wraps_own_attribute(p, f, obj, val, name)) return;
    int32_t target = hw::function_value(p, f, val);
    // `self.forward = self._forward_impl` inside a class: the class picks one of its own methods.
    if (self_store && target >= 0 && p.fn(target).owner_module >= 0 &&
        p.fn(target).owner_module == ctx.analyses.owner_module(f))
      return;
    std::string what = target >= 0 ? "`" + p.fn(target).qualname + "`" : "`" + source_text(p, f.node(val).loc) + "`";
    int32_t cls = hw::class_of_value(p, f, obj);
    const ir::Node& on = f.node(obj);
    bool on_class = on.op == "global" && on.target_module >= 0;
    report(ctx, f, n,
           fmt::format("assigns {} to `{}.{}`{}: the module no longer runs the `{}` its class defines", what,
                       source_text(p, on.loc), name, on_class ? " (every instance of the class)" : "", name));
    (void)cls;
  }

  // Whether `val` is a call that takes `obj.name` (the attribute being replaced, read from the same
  // object) as one of its arguments.
  static bool wraps_own_attribute(const ir::Function& f, ir::NodeId obj, ir::NodeId val, const std::string& name) {
    const ir::Node& call = f.node(val);
    if (call.op != "call" && call.op != "call_value") return false;
    for (ir::NodeId a : call.args) {
      if (a < 0) continue;
      const ir::Node& arg = f.node(a);
      if (arg.op == "attr" && arg.name == name && !arg.args.empty() && arg.args[0] == obj) return true;
    }
    return false;
  }

  // `forward = cls.forward; def wrapped(self, *a): out = forward(self, *a); ...; cls.forward =
  // wrapped`: the same decorator written with a closure, whose body calls the replaced method (read
  // from the same object in the enclosing function; the linker may have resolved it to the class's
  // method of that name).
  static bool closure_wraps_own_attribute(const ir::Program& p, const ir::Function& f, ir::NodeId obj, ir::NodeId val,
                                          const std::string& name) {
    const int32_t gid = hw::function_value(p, f, val);
    if (gid < 0 || p.fn(gid).parent != f.id) return false;
    const ir::Function& g = p.fn(gid);
    for (const ir::Node& c : g.nodes) {
      if ((c.op != "call_value" && c.op != "call") || c.args.empty() || c.args[0] < 0) continue;
      const ir::Node& callee = g.node(c.args[0]);
      if (callee.op == "free" && callee.outer >= 0 && callee.target_function == f.id) {
        const ir::Node& read = f.node(callee.outer);
        if (read.op == "attr" && read.name == name && !read.args.empty() && read.args[0] == obj) return true;
      }
      // (`inner = cls.forward` read under another name: the linker resolved it to the method)
      if (callee.op == "def" && callee.target_function >= 0 &&
          p.fn(callee.target_function).owner_module >= 0 && p.fn(callee.target_function).name == name)
        return true;
    }
    return false;
  }

  // `def fwd(self, x): return self._forward_impl(x.contiguous(memory_format=...))` bound to an
  // instance of a class that defines `_forward_impl`: the bound function only hands its arguments,
  // converted in layout, dtype or device, to the object's own code, so the class's computation runs.
  // An object of unknown class patched inside a class's own factory (a classmethod) is taken to be
  // of that class.
  static bool delegates_to_own_code(const ir::Program& p, const ir::Function& f, ir::NodeId obj, ir::NodeId fn,
                                    int32_t factory_class) {
    int32_t cls = hw::class_of_value(p, f, obj);
    if (cls < 0) cls = factory_class;
    int32_t gid = hw::function_value(p, f, fn);
    if (cls < 0 || gid < 0) return false;
    const ir::Function& g = p.fn(gid);
    if (g.returns.size() != 1 || g.param_nodes.empty()) return false;
    const ir::Node& ret = g.node(g.returns[0]);
    if (ret.args.empty() || ret.args[0] < 0) return false;
    const ir::Node& call = g.node(ret.args[0]);
    if (call.args.empty() || call.args[0] != g.param_nodes[0] || ir::find_method(p, cls, call.op) < 0) return false;
    for (size_t i = 1; i < call.args.size(); ++i) {
      ir::NodeId a = call.args[i];
      for (int guard = 0; guard < 4 && a >= 0 && g.node(a).op != "param"; ++guard) {
        if (!ir::is_value_conversion(g.node(a).op) || g.node(a).args.empty()) return false;
        a = g.node(a).args[0];
      }
      if (a < 0 || g.node(a).op != "param") return false;
    }
    return true;
  }

  // Whether a method binding concerns a model: a forward-like name, an nn.Module object, or a bound
  // function that computes on tensors or calls submodules.
  static bool model_related(const ir::Program& p, const ir::Function& f, ir::NodeId obj, ir::NodeId fn,
                            const std::string& name) {
    if (name == "forward" || name == "__call__" || name.starts_with("forward")) return true;
    int32_t cls = hw::class_of_value(p, f, obj);
    if (cls >= 0 && p.mod(cls).is_nn_module) return true;
    int32_t g = hw::function_value(p, f, fn);
    if (g < 0) return cls < 0;
    for (const auto& n : p.fn(g).nodes)
      if (n.has(ir::kLearned) || n.op == "module_call" || n.name.starts_with("torch.") || ir::is_activation(n.op) ||
          ir::is_learned_functional(n.op) || ir::is_pooling(n.op))
        return true;
    return false;
  }

  // A value that is a function (settings such as `torch.backends.cudnn.benchmark = True` are not).
  static bool function_like(const ir::Program& p, const ir::Function& f, ir::NodeId v) {
    if (v < 0) return false;
    if (hw::function_value(p, f, v) >= 0) return true;
    const ir::Node& n = f.node(v);
    if (n.op == "lambda" || n.op == "def" || n.op == "partial") return true;
    if (n.op == "call" && (n.name == "functools.partial" || n.name.ends_with(".__get__"))) return true;
    if (n.op == "global" && n.target_function >= 0) return true;
    // Another framework op (`F.gelu = F.relu`): a lower-case torch callable.
    std::string gp = n.op == "global" ? n.name : n.op == "attr" ? hw::global_path(f, v) : std::string();
    if (gp.empty() || !is_framework(gp)) return false;
    std::string_view last = hw::last_component(gp);
    if (last.empty() || !std::islower(static_cast<unsigned char>(last[0]))) return false;
    std::string op = ir::canonical_op(last);
    return ir::is_activation(op) || ir::is_elementwise_math(op) || ir::is_reduction(op) || ir::is_comparison(op) ||
           ir::is_learned_functional(op) || ir::is_pooling(op) || ir::is_shape_op(op) || ir::is_threshold_like(op);
  }

  // Whether a file of module `module` belongs to the top-level package of `dotted`.
  static bool same_package(const std::string& module, const std::string& dotted) {
    auto top = [](const std::string& s) { return s.substr(0, s.find('.')); };
    return !module.empty() && top(module) == top(dotted);
  }

  void report(RuleContext& ctx, const ir::Function& f, const ir::Node& n, std::string msg,
              std::optional<Severity> severity = std::nullopt) const {
    const ir::Program& p = ctx.program;
    Finding fd = finding_at(info(), p, n.loc, std::move(msg), f.qualname);
    if (severity) fd.severity = *severity;
    fd.trace.push_back(step(p, n.loc, "sink", "patched here"));
    demote_outside_models(ctx.analyses, f, fd);
    ctx.report(std::move(fd));
  }
};

ARCHSCAN_REGISTER_RULE(MonkeyPatching);

}  // namespace
}  // namespace archscan::rules
