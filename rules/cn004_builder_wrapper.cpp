// CN004: a model wrapped by a builder function with an extra weight-free stage. A function that
// returns `nn.Sequential(Stage(), model)` / `nn.Sequential(model, Stage())`, where `model` is a
// model passed in or built there and `Stage` is a user module that owns no learned layers, runs code
// before or after the model that the model's own class does not show: the place a trigger detector
// or an output rewrite hides. A warning when the stage thresholds, reduces or selects (detector
// building blocks); a note when it is plain arithmetic such as input normalisation.
#include <fmt/format.h>

#include <set>

#include "analysis/analyses.h"
#include "ir/ops.h"
#include "rules/hw_util.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

// Whether a value returned by `f` is (a version of) node `target`.
bool returned(const ir::Function& f, ir::NodeId target) {
  for (ir::NodeId r : f.returns) {
    const ir::Node& rn = f.node(r);
    if (rn.args.empty()) continue;
    std::vector<ir::NodeId> work{rn.args[0]};
    std::set<ir::NodeId> seen;
    while (!work.empty()) {
      ir::NodeId v = work.back();
      work.pop_back();
      if (v < 0 || !seen.insert(v).second) continue;
      if (v == target) return true;
      const ir::Node& n = f.node(v);
      if (n.op == "phi") work.insert(work.end(), n.args.begin(), n.args.end());
      if ((n.op == "eval" || n.op == "to" || n.op == "cuda" || n.op == "train" || n.op == "requires_grad") &&
          !n.args.empty())
        work.push_back(n.args[0]);
    }
  }
  return false;
}

// A model: a parameter of the builder, a learned user module built here, or what another builder
// (user or library) returns.
bool is_model(const ir::Program& p, const ir::Function& f, ir::NodeId id, std::string* what) {
  if (id < 0) return false;
  const ir::Node& n = f.node(id);
  if (n.op == "param" && !hw::is_self_param(f, id)) {
    *what = "`" + n.name + "` (passed in)";
    return true;
  }
  if (n.op == "phi" && !n.args.empty()) return is_model(p, f, n.args[0], what);
  if ((n.op == "eval" || n.op == "to" || n.op == "cuda") && !n.args.empty()) return is_model(p, f, n.args[0], what);
  if (n.target_module >= 0) {
    if (!hw::module_owns_weights(p, n.target_module)) return false;
    *what = "a `" + p.mod(n.target_module).name + "`";
    return true;
  }
  if ((n.op == "call" || n.op == "call_value") && n.target_function >= 0) {
    *what = "the model `" + p.fn(n.target_function).name + "` builds";
    return true;
  }
  if (n.op == "layer") return false;  // a torch.nn layer
  if (n.op != "call" && n.op.find('.') == std::string::npos && n.name.find('.') == std::string::npos) return false;
  // A library builder (`torchvision.models.resnet18()`, `timm.create_model(...)`, `torch.load(...)`).
  std::string_view name = n.name;
  if (name.starts_with("torch.nn.") || name == "super" || name.empty()) return false;
  if (name.starts_with("torchvision.models.") || name.starts_with("timm.") || name.starts_with("transformers.") ||
      name == "torch.load" || name == "torch.hub.load" || name == "torch.jit.load") {
    *what = "`" + std::string(name) + "(...)`";
    return true;
  }
  return false;
}

// The ops of a stage's forward that make it detector-like.
std::string detector_ops(const ir::Program& p, int32_t mod) {
  int32_t fwd = ir::find_method(p, mod, "forward");
  if (fwd < 0) return {};
  std::vector<int32_t> fns{fwd};
  std::set<std::string> found;
  for (size_t i = 0; i < fns.size() && i < 16; ++i) {
    for (const auto& n : p.fn(fns[i]).nodes) {
      if (n.target_function >= 0 && std::find(fns.begin(), fns.end(), n.target_function) == fns.end())
        fns.push_back(n.target_function);
      if (n.op == "branch" || n.op == "phi") continue;
      bool hit = ir::is_threshold_like(n.op) || ir::is_pooling(n.op) || n.op == "where" || n.op == "masked_fill" ||
                 n.op == "index_put" || n.op == "scatter" || n.op == "amax" || n.op == "amin" || n.op == "setitem";
      if (hit && n.op != "is" && n.op != "is_not" && n.op != "float" && n.op != "int" && n.op != "long" &&
          n.op != "bool")
        found.insert(n.op);
    }
  }
  std::string s;
  for (const auto& o : found) s += (s.empty() ? "" : ", ") + o;
  return s;
}

class BuilderWrapper : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"CN004", "builder-wrapper", "concealment", Severity::Warning,
                            "a builder returns the model wrapped in nn.Sequential with an extra weight-free module"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    for (const auto& f : p.functions) {
      for (const auto& n : f.nodes) {
        if (n.op != "layer" || n.name != "Sequential" || n.args.size() < 2 || !returned(f, n.id)) continue;
        std::string model;
        size_t model_pos = n.args.size();
        for (size_t i = 0; i < n.args.size(); ++i)
          if (is_model(p, f, n.args[i], &model)) {
            model_pos = i;
            break;
          }
        if (model_pos == n.args.size()) continue;
        for (size_t i = 0; i < n.args.size(); ++i) {
          if (i == model_pos || n.args[i] < 0) continue;
          const ir::Node& s = f.node(n.args[i]);
          int32_t cls = s.target_module;
          if (cls < 0 || (s.op != "call" && s.op != "call_value")) continue;
          const ir::Module& m = p.mod(cls);
          if (!m.is_nn_module || hw::module_owns_weights(p, cls) || ir::find_method(p, cls, "forward") < 0) continue;
          std::string ops = detector_ops(p, cls);
          bool before = i < model_pos;
          Finding fd = finding_at(
              info(), p, n.loc,
              fmt::format("`{}` returns {} wrapped in nn.Sequential with `{}` {} it, a module with no learned "
                          "weights{}: the model's inputs or outputs are rewritten by code outside the model",
                          f.qualname, model, m.name, before ? "before" : "after",
                          ops.empty() ? "" : " that uses " + ops),
              f.qualname);
          fd.severity = ops.empty() ? Severity::Note : Severity::Warning;
          fd.module = m.name;
          fd.trace.push_back(step(p, m.loc, "source", fmt::format("`{}` defined here (no parameters)", m.name)));
          fd.trace.push_back(
              step(p, s.loc, "propagation", before ? "placed before the model" : "placed after the model"));
          fd.trace.push_back(step(p, n.loc, "sink", "wrapper returned by the builder"));
          ctx.report(std::move(fd));
        }
      }
    }
  }
};

ARCHSCAN_REGISTER_RULE(BuilderWrapper);

}  // namespace
}  // namespace archscan::rules
