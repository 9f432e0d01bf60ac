// BD001: a complete architectural backdoor: a weight-free detector on the raw input, a propagation
// path, and an integration point that overrides the model's output. Reports the taxonomy type
// T1..T12 (trigger x propagation x integration) with the full trace.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "analysis/analyses.h"
#include "rules/chain_trace.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

const char* propagation_phrase(flow::Propagation p) {
  switch (p) {
    case flow::Propagation::Separate:
      return "combines it with the model's output after the backbone";
    case flow::Propagation::Shared:
      return "rewrites the input before the backbone sees it";
    case flow::Propagation::Interleaved:
      return "writes it into intermediate activations that later layers read";
  }
  return "";
}

class BackdoorChain : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BD001",
                            "backdoor-chain",
                            "backdoor",
                            Severity::Error,
                            "complete architectural backdoor: detector on the raw input, propagation, integration",
                            /*superseded_by=*/{},
                            /*one_per_line=*/false,
                            /*uses_flow=*/true};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    // One finding per reported line: a block analysed on its own and the model that contains it
    // see the same integration; the enclosing model (the larger graph) sees how it propagates.
    std::map<std::pair<int32_t, int32_t>, std::pair<size_t, Finding>> by_line;
    std::map<std::pair<int32_t, int32_t>, std::set<std::string>> claims;
    for (const auto& fr : ctx.analyses.flows()) {
      const int32_t root_file = p.fn(fr.graph.root.function).file;
      // What this root's chains cover, for the building blocks that give way to BD001.
      std::vector<std::string> covered;
      if (!fr.chains.empty()) {
        FlowIndex fi(fr);
        for (size_t i = 0; i < fr.graph.nodes.size(); ++i)
          if (fi.chained(static_cast<int32_t>(i))) covered.push_back(flow_subject(fr.graph.nodes[i]));
      }
      for (const auto& c : fr.chains) {
        const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(c.integration)];
        if (!n.loc.valid()) continue;
        // A finding belongs to the model that carries the backdoor: when the integration sits in a
        // helper of another file (a shared utils package), it is reported at the model's own call.
        const bool anchored = n.loc.file != root_file && n.anchor.valid();
        const ir::Loc at = anchored ? n.anchor : n.loc;
        auto key = std::make_pair(at.file, at.line);
        claims[key].insert(covered.begin(), covered.end());
        auto it = by_line.find(key);
        if (it != by_line.end() && it->second.first >= fr.graph.nodes.size()) continue;
        std::string type = fmt::format("T{}", c.taxonomy);
        std::string msg =
            fmt::format("{} backdoor in `{}`: {} trigger detector on {} ({}) {}; {} integration {}({})", type,
                        fr.graph.root.label, c.constant_based ? "a constant-based" : "an operator-based",
                        c.on_output ? "the model's own output" : "the raw input", describe_detector(p, fr, c),
                        propagation_phrase(c.propagation), to_string(c.integration_kind),
                        anchored ? "in a helper called here " : "here ", source_text(p, at, 50));
        Finding f = finding_at(info(), p, at, msg, anchored ? p.fn(fr.graph.root.function).qualname : scope_of(p, n));
        f.taxonomy = type;
        f.module = fr.graph.root.label;
        f.trace = chain_trace(p, fr, c);
        // The model's own line that hands its data to the helper holding the integration.
        const bool via_helper = n.anchor.valid() && (n.anchor.file != n.loc.file || n.anchor.line != n.loc.line);
        if (via_helper)
          f.trace.push_back(step(p, n.anchor, "call",
                                 fmt::format("`{}` runs the integration through this call ({})", fr.graph.root.label,
                                             source_text(p, n.anchor, 50))));
        // The calls further in, down to the helper holding the integration (a block's call of it).
        if (n.call_stack >= 0)
          for (const ir::Loc& call : fr.graph.call_stacks[static_cast<size_t>(n.call_stack)]) {
            if (!call.valid() || (call.file == n.anchor.file && call.line == n.anchor.line) ||
                (call.file == n.loc.file && call.line == n.loc.line))
              continue;
            f.trace.push_back(
                step(p, call, "call", fmt::format("the data is handed on here ({})", source_text(p, call, 50))));
          }
        by_line[key] = {fr.graph.nodes.size(), std::move(f)};
      }
    }
    for (auto& [key, sized] : by_line) {
      sized.second.claims.assign(claims[key].begin(), claims[key].end());
      ctx.report(std::move(sized.second));
    }
  }
};

ARCHSCAN_REGISTER_RULE(BackdoorChain);

}  // namespace
}  // namespace archscan::rules
