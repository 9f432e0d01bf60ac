#include "analysis/analyses.h"

#include "core/parallel.h"

namespace archscan {

Analyses::Analyses(const ir::Program& p, int jobs) : p_(p), jobs_(jobs), model_code_(p.functions.size(), 0) {
  // Model code: methods of nn.Modules and everything they (transitively) call or define.
  std::vector<int32_t> work;
  for (const auto& f : p.functions) {
    int32_t m = owner_module(f);
    if (m >= 0 && p.mod(m).is_nn_module) {
      model_code_[static_cast<size_t>(f.id)] = 1;
      work.push_back(f.id);
    }
  }
  while (!work.empty()) {
    int32_t id = work.back();
    work.pop_back();
    for (const auto& n : p.fn(id).nodes) {
      int32_t t = n.target_function;
      if (t >= 0 && !model_code_[static_cast<size_t>(t)]) {
        model_code_[static_cast<size_t>(t)] = 1;
        work.push_back(t);
      }
    }
  }
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
