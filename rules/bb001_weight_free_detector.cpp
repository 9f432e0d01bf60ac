// BB001: a weight-free detector on the raw input (thresholds plus a reduction, pooling, a stored
// pattern or a conjunction) whose result does not feed a learned layer, where no complete chain was
// proven. Benign uses of such ops (padding masks, features for a conv) either stay weak or feed
// learned layers.
#include <fmt/format.h>

#include <set>

#include "analysis/analyses.h"
#include "rules/chain_trace.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

class WeightFreeDetector : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BB001",
                            "weight-free-detector",
                            "building-block",
                            Severity::Note,
                            "near-binary indicator computed from the raw input with no learned weights",
                            /*superseded_by=*/{},
                            /*one_per_line=*/false,
                            /*uses_flow=*/true};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    std::set<std::pair<int32_t, int32_t>> seen;
    for (const auto& fr : ctx.analyses.flows()) {
      // Only models: a root without learned layers is data processing (augmentation, transforms).
      bool has_learned = false;
      for (const auto& f : fr.facts) has_learned |= f.learned;
      if (!has_learned) continue;
      std::set<int32_t> in_chain;
      for (const auto& c : fr.chains) in_chain.insert(c.detector);
      for (int32_t d : fr.detectors) {
        if (in_chain.count(d) || fr.feeds_learned[static_cast<size_t>(d)]) continue;
        // Alone (no integration shown), ask for the strong form: a specific-value threshold and a collapse.
        uint32_t e = fr.facts[static_cast<size_t>(d)].evidence;
        if (!(e & flow::kThreshold) || !(e & (flow::kReduce | flow::kPool | flow::kPattern))) continue;
        const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(d)];
        // Only detectors that reach the root's output or a branch: an unused value is no signal.
        if (!reaches_output(fr, d) || !n.loc.valid() || !seen.insert({n.loc.file, n.loc.line}).second) continue;
        auto steps = detector_steps(fr, d);
        Finding f = finding_at(info(), p, n.loc,
                               fmt::format("weight-free detector on the raw input of `{}` ({}): it reduces the input "
                                           "to an indicator that reaches the output without passing a learned layer",
                                           fr.graph.root.label, describe_steps(fr, steps)),
                               scope_of(p, n));
        f.module = fr.graph.root.label;
        f.trace = detector_trace(p, fr, d, steps);
        ctx.report(std::move(f));
      }
    }
  }

 private:
  static bool reaches_output(const flow::FlowResult& fr, int32_t d) {
    std::vector<std::vector<int32_t>> users(fr.graph.nodes.size());
    for (size_t i = 0; i < fr.graph.nodes.size(); ++i) {
      const auto& n = fr.graph.nodes[i];
      // An index selects data; it is not data itself (logits[arange, last_token]).
      size_t data_args = (n.op == "getitem" || n.op == "gather" || n.op == "index_select") ? 1 : n.args.size();
      for (size_t k = 0; k < n.args.size() && k < data_args; ++k)
        users[static_cast<size_t>(n.args[k])].push_back(static_cast<int32_t>(i));
    }
    std::vector<int32_t> work{d};
    std::set<int32_t> seen;
    while (!work.empty()) {
      int32_t cur = work.back();
      work.pop_back();
      if (!seen.insert(cur).second) continue;
      for (int32_t o : fr.graph.outputs)
        if (o == cur) return true;
      if (fr.graph.nodes[static_cast<size_t>(cur)].op == "branch") return true;
      for (int32_t u : users[static_cast<size_t>(cur)])
        if (!fr.feeds_learned[static_cast<size_t>(u)] || fr.graph.nodes[static_cast<size_t>(u)].op == "branch")
          work.push_back(u);
    }
    return false;
  }

  static std::vector<int32_t> detector_steps(const flow::FlowResult& fr, int32_t d) {
    for (const auto& c : fr.chains)
      if (c.detector == d) return c.detector_steps;
    return flow::evidence_steps(fr, d);
  }
};

ARCHSCAN_REGISTER_RULE(WeightFreeDetector);

}  // namespace
}  // namespace archscan::rules
