// Shared analyses over the linked IR, computed once per scan and read by every rule.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analysis/detector_flow.h"
#include "ir/ir.h"

namespace archscan {

class Analyses {
 public:
  // `jobs`: threads for the per-root flow analysis (0 = all cores).
  explicit Analyses(const ir::Program& p, int jobs = 0);
  ~Analyses();
  const ir::Program& program() const { return p_; }

  // The module a function belongs to (its own class, or the class of an enclosing method).
  int32_t owner_module(const ir::Function& f) const;
  // Whether the function lies in model code: a method of an nn.Module, or a function called from one.
  bool in_model_code(const ir::Function& f) const;
  // Whether the function runs when a model of the scanned tree is imported, built or run: model
  // code, the files' top-level statements, functions that build and return a module (builders,
  // factories), and everything these call, define or hand on as a value (hooks, patches). Library
  // APIs that only take a module from their caller (quantisation, sharding, test utilities) do not.
  bool runs_with_model(const ir::Function& f) const;

  // Input flow of every root (model forwards, hooks, patched forwards), computed on first use.
  const std::vector<flow::FlowResult>& flows() const;

 private:
  const ir::Program& p_;
  int jobs_ = 0;
  std::vector<char> model_code_;  // per function
  std::vector<char> with_model_;  // per function
  mutable std::once_flag flows_once_;
  mutable std::vector<flow::FlowResult> flows_;
};

}  // namespace archscan
