// BB004: a convolution whose kernel is a fixed tensor that is neither a parameter nor a buffer.
// Training never touches it and `state_dict` never shows it: the classic constant-based trigger
// detector (a +-255 kernel with a large negative bias that fires on one exact pixel pattern).
#include <fmt/format.h>

#include "analysis/analyses.h"
#include "analysis/values.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

bool is_conv(const std::string& op) { return op.rfind("conv", 0) == 0 && op != "contiguous"; }

class LiteralWeightConv : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BB004", "literal-weight-convolution", "building-block", Severity::Warning,
                            "convolution with a hard-coded kernel that is not a parameter or buffer"};
    return i;
  }

  void run(RuleContext& ctx) const override {
    const ir::Program& p = ctx.program;
    for (const auto& fn : p.functions) {
      if (!ctx.analyses.in_model_code(fn)) continue;
      for (const auto& n : fn.nodes) {
        if (!is_conv(n.op) || n.has(ir::kLearned)) continue;
        ir::NodeId w = values::operand(n, 1, "weight");
        if (w < 0) continue;
        values::Origin o = values::origin(p, fn, w);
        std::string what;
        // Random or uninitialised tensors are placeholders, not patterns; an all-ones/zeros local kernel
        // is a smoothing filter. A pattern is written as literal data or edited in.
        auto random = [](const std::string& t) { return t.rfind("rand", 0) == 0 || t.rfind("empty", 0) == 0; };
        if (o.kind == values::Origin::Attr && o.attr.attr && o.attr.attr->kind == ir::AttrKind::PlainTensor &&
            !(random(o.attr.attr->type) && o.attr.attr->edits.empty()))
          what = fmt::format("`self.{}`, a plain tensor attribute (not in state_dict)", o.attr.path);
        else if (o.kind == values::Origin::Factory &&
                 (fn.node(o.node).op == "tensor" || fn.node(o.node).op == "as_tensor"))
          what = fmt::format("a literal tensor (`{}`)", source_text(p, fn.node(o.node).loc));
        if (what.empty()) continue;
        Finding f = finding_at(info(), p, n.loc,
                               fmt::format("convolution kernel is {}: a fixed pattern matcher that training "
                                           "never changes",
                                           what),
                               fn.qualname);
        if (o.attr.attr && o.attr.attr->loc.valid())
          f.trace.push_back(step(p, o.attr.attr->loc, "source", "kernel defined here"));
        for (const auto& e : o.attr.attr ? o.attr.attr->edits : std::vector<ir::Loc>{})
          f.trace.push_back(step(p, e, "source", "kernel edited here"));
        f.trace.push_back(step(p, n.loc, "sink", "used as a convolution weight"));
        ctx.report(std::move(f));
      }
    }
  }
};

ARCHSCAN_REGISTER_RULE(LiteralWeightConv);

}  // namespace
}  // namespace archscan::rules
