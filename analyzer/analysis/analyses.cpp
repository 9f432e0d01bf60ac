#include "analysis/analyses.h"

#include "base/parallel.h"

namespace archscan {

namespace {

// A node that only names a function (a `def` statement, a reference): the function does not run
// unless the value is called or handed on.
bool names_function(const ir::Node& n) { return n.op == "def" || n.op == "lambda" || n.op == "global"; }

// Marks `seeds` and every function they call or hand on as a value (a hook, a patch, a callback),
// transitively. `definitions_run`: a function defined in a marked one counts as run (model code,
// whose closures are its own); the files' top-level statements only define their functions.
void close_over_calls(const ir::Program& p, std::vector<int32_t> work, std::vector<char>& marked,
                      bool definitions_run) {
  auto mark = [&](int32_t t) {
    if (t >= 0 && !marked[static_cast<size_t>(t)]) {
      marked[static_cast<size_t>(t)] = 1;
      work.push_back(t);
    }
  };
  for (int32_t id : work) marked[static_cast<size_t>(id)] = 1;
  while (!work.empty()) {
    const ir::Function& f = p.fn(work.back());
    work.pop_back();
    for (const auto& n : f.nodes) {
      if (n.op == "free") continue;  // a closure read names its enclosing function, not a callee
      if (!names_function(n) || definitions_run) mark(n.target_function);
      auto handed_on = [&](ir::NodeId a) {
        if (a >= 0 && names_function(f.node(a))) mark(f.node(a).target_function);
      };
      for (ir::NodeId a : n.args) handed_on(a);
      for (const auto& kv : n.kwargs) handed_on(kv.second);
    }
  }
}

// A function that returns a module it constructs (`def resnet50(): return ResNet(...)`).
bool builds_module(const ir::Program& p, const ir::Function& f) {
  for (ir::NodeId r : f.returns) {
    const ir::Node& rn = f.node(r);
    if (rn.args.empty() || rn.args[0] < 0) continue;
    const ir::Node& v = f.node(rn.args[0]);
    if (v.op == "layer") return true;
    if ((v.op == "call" || v.op == "global") && v.target_module >= 0 && p.mod(v.target_module).is_nn_module)
      return true;
  }
  return false;
}

}  // namespace

Analyses::Analyses(const ir::Program& p, int jobs)
    : p_(p), jobs_(jobs), model_code_(p.functions.size(), 0), with_model_(p.functions.size(), 0) {
  // Model code: methods of nn.Modules and everything they (transitively) call or define.
  std::vector<int32_t> methods, with_model;
  for (const auto& f : p.functions) {
    int32_t m = owner_module(f);
    if (m >= 0 && p.mod(m).is_nn_module) methods.push_back(f.id);
    if ((m >= 0 && p.mod(m).is_nn_module) || builds_module(p, f)) with_model.push_back(f.id);
  }
  for (const auto& file : p.files)
    if (file.module_function >= 0) with_model.push_back(file.module_function);
  close_over_calls(p, std::move(methods), model_code_, true);
  close_over_calls(p, std::move(with_model), with_model_, false);
}

Analyses::~Analyses() = default;

int32_t Analyses::owner_module(const ir::Function& f) const {
  const ir::Function* cur = &f;
  for (int guard = 0; guard < 64; ++guard) {
    if (cur->owner_module >= 0) return cur->owner_module;
    if (cur->parent < 0) return -1;
    cur = &p_.fn(cur->parent);
  }
  return -1;
}

bool Analyses::in_model_code(const ir::Function& f) const {
  return f.id >= 0 && static_cast<size_t>(f.id) < model_code_.size() && model_code_[static_cast<size_t>(f.id)];
}

bool Analyses::runs_with_model(const ir::Function& f) const {
  return f.id >= 0 && static_cast<size_t>(f.id) < with_model_.size() && with_model_[static_cast<size_t>(f.id)];
}

const std::vector<flow::FlowResult>& Analyses::flows() const {
  std::call_once(flows_once_, [this] {
    // Roots are independent (the program is read-only here): analyse them on all cores.
    std::vector<flow::Root> roots = flow::find_roots(p_);
    flows_.resize(roots.size());
    parallel_for(roots.size(), jobs_, [&](size_t i) { flows_[i] = flow::analyse(p_, roots[i]); });
  });
  return flows_;
}

}  // namespace archscan
