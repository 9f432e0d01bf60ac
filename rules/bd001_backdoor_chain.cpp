// BD001: a complete architectural backdoor: a weight-free detector on the raw input, a propagation
// path, and an integration point that overrides the model's output. Reports the taxonomy type
// T1..T12 (trigger x propagation x integration) with the full trace.
#include <fmt/format.h>

#include <set>
#include <tuple>

#include "analysis/analyses.h"
#include "rules/chain_trace.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

const char* propagation_phrase(flow::Propagation p) {
  switch (p) {
    case flow::Propagation::Separate: return "combines it with the model's output after the backbone";
    case flow::Propagation::Shared: return "rewrites the input before the backbone sees it";
    case flow::Propagation::Interleaved: return "writes it into intermediate activations that later layers read";
  }
  return "";
}

class BackdoorChain : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BD001", "backdoor-chain", "backdoor", Severity::Error,
                            "complete architectural backdoor: detector on the raw input, propagation, integration"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    std::set<std::tuple<int32_t, int32_t, int>> seen;
    for (const auto& fr : ctx.analyses.flows()) {
      for (const auto& c : fr.chains) {
        const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(c.integration)];
        if (!n.loc.valid() || !seen.insert({n.loc.file, n.loc.line, c.taxonomy}).second) continue;
        std::string type = fmt::format("T{}", c.taxonomy);
        std::string msg = fmt::format(
            "{} backdoor in `{}`: {} trigger detector on the raw input ({}) {}; {} integration here ({})", type,
            fr.graph.root.label, c.constant_based ? "a constant-based" : "an operator-based",
            describe_detector(p, fr, c), propagation_phrase(c.propagation), to_string(c.integration_kind),
            source_text(p, n.loc, 50));
        Finding f = finding_at(info(), p, n.loc, msg, scope_of(p, n));
        f.taxonomy = type;
        f.module = fr.graph.root.label;
        f.trace = chain_trace(p, fr, c);
        ctx.report(std::move(f));
      }
    }
  }
};

ARCHSCAN_REGISTER_RULE(BackdoorChain);

}  // namespace
}  // namespace archscan::rules
