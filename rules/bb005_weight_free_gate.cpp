// BB005: learned features, activations or logits multiplied by a gate computed from the raw input
// with no learned layer (`feats * (1 - d)`, `y * (1 - x.amax().clamp(0, 1))`), where no complete
// chain was proven. The untargeted integration of an architectural backdoor. Learned gates
// (squeeze-excitation), dropout masks, padding masks (tests against 0/1/a configured id),
// normalisers (a plain per-sample statistic) and token-range masks of an input embedding are not gates.
#include <fmt/format.h>

#include <set>

#include "analysis/analyses.h"
#include "rules/chain_trace.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

class WeightFreeGate : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BB005",
                            "weight-free-gate",
                            "building-block",
                            Severity::Warning,
                            "learned features multiplied by a gate computed from the raw input without weights",
                            {"BD001"},
                            /*one_per_line=*/true,
                            /*uses_flow=*/true};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    for_each_model_node(ctx.analyses, [&](const flow::FlowResult& fr, const FlowIndex& fi, int32_t id) {
      const size_t i = static_cast<size_t>(id);
      const flow::FlatNode& n = fi.node(id);
      if ((n.op != "mul" && n.op != "addcmul") || fi.learned_op(id) || !n.loc.valid()) return;
      if (!fr.feeds_learned[i] && !fi.reaches_output(id)) return;  // an unused product is no signal
      // Weights of a masked mean choose the positions averaged over; they gate nothing.
      if (i < fr.pooling_weights.size() && fr.pooling_weights[i]) return;
      // addcmul(base, a, b): the gate and the gated value are the factors.
      std::vector<int32_t> factors =
          n.op == "addcmul" && n.args.size() >= 3 ? std::vector<int32_t>{n.args[1], n.args[2]} : fi.data_args(id);
      int32_t data = -1, gate = -1;
      for (int32_t a : factors) {
        // A per-sample statistic of the logits (their spread) scales a signal; it is not the data.
        if (fi.learned(a) && !fi.fact(a).scale && data < 0)
          data = a;
        else if (gate < 0 && gate_like(fi, a))
          gate = a;
      }
      if (data < 0 || gate < 0) return;
      // is_emoji * self.emoji_embed(ids - lo): a learned embedding of the input's own tokens, kept
      // for the positions of one token range (type and segment embeddings): a feature, not a switch.
      if (fi.node(data).op == "embedding" && fi.depth(data) <= 1) return;
      const char* where = fr.feeds_learned[i] ? "intermediate activations that later layers read"
                                              : "the model's output after the backbone";
      ctx.report(raw_meets_learned(
          info(), p, fi, id,
          fmt::format("`{}` multiplies {} by a gate computed from the raw input without learned weights ({}): "
                      "an input-controlled switch on the learned path",
                      fr.graph.root.label, where, describe_raw(fi, gate)),
          gate, data, fmt::format("learned features ({} learned layers deep)", fi.depth(data)),
          "multiplied by the weight-free gate"));
    });
  }
};

ARCHSCAN_REGISTER_RULE(WeightFreeGate);

}  // namespace
}  // namespace archscan::rules
