// Helpers shared by rules: building findings and trace steps from IR locations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/analyses.h"
#include "analysis/detector_flow.h"
#include "findings/finding.h"
#include "findings/rule.h"
#include "ir/ir.h"

namespace archscan::rules {

inline TraceStep step(const ir::Program& p, const ir::Loc& loc, std::string role, std::string note) {
  TraceStep s;
  if (loc.file >= 0) s.path = p.file(loc.file).path;
  s.line = loc.line;
  s.column = loc.col;
  s.role = std::move(role);
  s.note = std::move(note);
  return s;
}

inline Finding finding_at(const RuleInfo& info, const ir::Program& p, const ir::Loc& loc, std::string message,
                          std::string scope = {}) {
  Finding f;
  f.rule = info.id;
  f.severity = info.severity;
  if (loc.file >= 0) f.path = p.file(loc.file).path;
  f.line = loc.line;
  f.column = loc.col;
  f.end_line = loc.end_line;
  f.end_column = loc.end_col;
  f.message = std::move(message);
  f.scope = std::move(scope);
  return f;
}

// The source text of a node's span, shortened to one line of at most `max` bytes.
std::string source_text(const ir::Program& p, const ir::Loc& loc, size_t max = 60);

// Concealment found in code that no model of the scanned tree runs (a library API that is handed a
// module by its caller, a test): kept visible as a note, not raised as a warning about the models.
void demote_outside_models(const Analyses& a, const ir::Function& f, Finding& fd);

}  // namespace archscan::rules

// ---- Flow queries shared by the building-block rules (BB002, BB003, BB005) ----
namespace archscan::rules {

// Per-root indexes over a flow result: data users, learned ops, backbone depth, what reaches the
// output, and what a proven chain already covers.
class FlowIndex {
 public:
  explicit FlowIndex(const flow::FlowResult& fr);

  const flow::FlowResult& fr;
  const flow::FlatNode& node(int32_t id) const { return fr.graph.nodes[static_cast<size_t>(id)]; }
  const flow::Fact& fact(int32_t id) const { return fr.facts[static_cast<size_t>(id)]; }

  // The operands that carry data (not an index, a dtype/shape donor or a dimension).
  std::vector<int32_t> data_args(int32_t id) const;
  // Depends on the input only through parameter-free ops (a weight-free function of the input).
  bool raw_only(int32_t id) const;
  bool learned(int32_t id) const { return fact(id).learned; }
  bool input_dependent(int32_t id) const { return fact(id).raw || fact(id).learned; }
  // Whether the node applies learned weights itself.
  bool learned_op(int32_t id) const { return learned_op_[static_cast<size_t>(id)] != 0; }
  // Learned ops on the deepest input path to the value.
  int depth(int32_t id) const { return depth_[static_cast<size_t>(id)]; }
  // A data path leads from the value to a root output or a branch.
  bool reaches_output(int32_t id) const { return to_output_[static_cast<size_t>(id)] != 0; }
  // A proven chain's integration, its signal side, or a value computed from one: what BD001
  // claims (rules/bd001) and building blocks on it give way to (RuleInfo::superseded_by).
  bool chained(int32_t id) const { return chained_[static_cast<size_t>(id)] != 0; }
  bool has_learned() const { return has_learned_; }
  // The maximal weight-free values of the input that flow into `id` through mixed (raw and
  // learned) values: the raw contributions to a learned value.
  std::vector<int32_t> raw_sources(int32_t id) const;
  // Raw-only ancestors of `id` (itself included), bounded.
  std::vector<int32_t> raw_ancestors(int32_t id) const;
  // Nodes that take `id` as a data operand.
  const std::vector<int32_t>& users(int32_t id) const { return users_[static_cast<size_t>(id)]; }

 private:
  std::vector<std::vector<int32_t>> users_;
  std::vector<char> learned_op_, to_output_, chained_;
  std::vector<int> depth_;
  bool has_learned_ = false;
};

// Visits every node of every root that applies learned weights somewhere: the building blocks look
// for weight-free code beside a backbone, so a root without learned layers (data processing) is skipped.
template <class Visit>
void for_each_model_node(const Analyses& a, Visit&& visit) {
  for (const auto& fr : a.flows()) {
    FlowIndex fi(fr);
    if (!fi.has_learned()) continue;
    for (size_t i = 0; i < fr.graph.nodes.size(); ++i) visit(fr, fi, static_cast<int32_t>(i));
  }
}

// The precedence subject of a flow node (Finding::subject / claims): its source span and op, so
// that every root that inlines the same operation names it alike.
std::string flow_subject(const flow::FlatNode& n);

// Evidence that a weight-free value collapses the input (reduces, pools, thresholds, matches).
constexpr uint32_t kCollapseEvidence =
    flow::kReduce | flow::kPool | flow::kAggregate | flow::kThreshold | flow::kPattern | flow::kConjunction;

// A weight-free value shaped like a gate: a threshold-like decision (a specific-value test, a
// conjunction, a steep or bounded function of a per-sample statistic). Masks tested against
// 0/1/a configured id and plain statistics (normalisers) are not gates.
bool gate_like(const FlowIndex& fi, int32_t g);
// A write into a tensor at a fixed position along a non-batch dimension (`y[:, 3] = v`,
// `y[..., k] += v`, `index_put_`/`scatter_`/`index_fill_` with an index that does not come from the
// input): the index operand, or -1.
int32_t constant_index_write(const FlowIndex& fi, int32_t id);
// The written value of a write node (setitem, index_put, scatter, index_fill...), or -1.
int32_t written_value(const FlowIndex& fi, int32_t id);
// A value that does not learn and carries a one-hot/class vector: `F.one_hot(k, n)`, `eye(n)[k]`, or a
// tensor written at a constant index. Returns the node that makes it a class vector, or -1.
int32_t class_vector(const FlowIndex& fi, int32_t id);
// A numeric literal value of a node, when it has one.
std::optional<double> literal(const FlowIndex& fi, int32_t id);
// Trace steps for a raw contribution: the input and the ops that added evidence.
std::vector<TraceStep> raw_trace(const ir::Program& p, const FlowIndex& fi, int32_t raw);

// A building block's finding at flow node `at`: where the raw value comes from, the learned features
// (node `learned`, described by `learned_note`) it meets, and the integration step.
Finding raw_meets_learned(const RuleInfo& info, const ir::Program& p, const FlowIndex& fi, int32_t at,
                          std::string message, int32_t raw, int32_t learned, std::string learned_note,
                          std::string integration_note);
// "mean, amax": the evidence ops of a raw contribution (or its op when none added evidence).
std::string describe_raw(const FlowIndex& fi, int32_t raw);

}  // namespace archscan::rules
