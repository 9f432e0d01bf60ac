// BB002: the model's raw input, collapsed by parameter-free ops (a reduction, pooling, a threshold, a
// stored pattern), meets the learned path after the backbone and reaches the output without another
// learned layer (`return self.head(feats) + g(x)`, or the input passed into a head module as an extra
// argument), where no complete chain was proven. The separate-path propagation of a backdoor.
// Quiet: skip connections of learned features (U-Net, DenseNet, ResNet), global residuals of the
// identity input (super-resolution, denoisers), values that feed learned layers (FiLM, conditioning),
// padding and attention masks, indices (EOS pooling), normalisation by a per-sample statistic.
#include <fmt/format.h>

#include <set>

#include "analysis/analyses.h"
#include "rules/chain_trace.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

bool combining(const std::string& op) {
  static const std::set<std::string> s = {
      "add", "sub",   "rsub",    "mul",  "div",     "where",     "masked_fill", "lerp",       "maximum", "minimum",
      "cat", "stack", "addcmul", "copy", "setitem", "index_put", "index_add",   "index_copy", "scatter", "scatter_add"};
  return s.count(op) != 0;
}

// Learned layers in sequence before the value: more than a single layer is a backbone.
constexpr int kBackboneDepth = 2;

class RawInputReuse : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BB002",
                            "raw-input-after-backbone",
                            "building-block",
                            Severity::Note,
                            "weight-free function of the raw input combined with the output after the backbone",
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
      if (!combining(n.op) || !n.loc.valid() || fi.learned_op(id) || fr.feeds_learned[i] || !fi.reaches_output(id))
        return;
      if (owned_by_bb003(fi, id)) return;
      std::vector<int32_t> data = fi.data_args(id);
      int32_t learned = -1, raw = -1;
      for (int32_t a : data)
        if (fi.learned(a) && fi.depth(a) >= kBackboneDepth && (learned < 0 || fi.depth(a) > fi.depth(learned)))
          learned = a;
      if (learned < 0) return;
      for (size_t k = 0; k < data.size() && raw < 0; ++k) {
        int32_t a = data[k];
        if (!fi.raw_only(a) || fi.fact(a).detector_derived) continue;
        uint32_t e = fi.fact(a).evidence;
        if (!(e & kCollapseEvidence)) continue;  // the identity input, a mask, a steep mask offset
        if (n.op == "div" && k >= 1) continue;   // dividing by a statistic normalises
        if (n.op == "mul" || n.op == "addcmul") {
          if (gate_like(fi, a)) continue;                                // BB005 reports gates
          if (!(e & (kCollapseEvidence & ~flow::kAggregate))) continue;  // scaling by a statistic
        }
        if (class_vector(fi, a) >= 0) continue;  // BB003
        raw = a;
      }
      if (raw < 0) return;
      ctx.report(raw_meets_learned(
          info(), p, fi, id,
          fmt::format("`{}` reuses its raw input after the backbone: a weight-free function of the input ({}) "
                      "meets the learned features at `{}` and reaches the output without another learned layer",
                      fr.graph.root.label, describe_raw(fi, raw), n.op),
          raw, learned, fmt::format("learned features, {} learned layers deep", fi.depth(learned)),
          "the raw input rejoins the learned path"));
    });
  }

 private:
  // Writes at a fixed class index and the values they write are BB003's.
  static bool owned_by_bb003(const FlowIndex& fi, int32_t id) {
    if (constant_index_write(fi, id) >= 0) return true;
    for (int32_t u : fi.users(id))
      if (constant_index_write(fi, u) >= 0 && written_value(fi, u) == id) return true;
    return false;
  }
};

ARCHSCAN_REGISTER_RULE(RawInputReuse);

}  // namespace
}  // namespace archscan::rules
