// BB003: a write into the model's output at a fixed class index (`y[:, 3] += v`, `y[..., k] = v`,
// `index_put_`/`scatter_`/`index_fill_` with a constant index, `y + F.one_hot(k, n) * big`) whose
// value comes from the raw input through parameter-free ops or is a large positive constant, where
// no complete chain was proven. The integration half of a targeted backdoor. Suppressing a token
// (`logits[:, pad_id] = -inf`, zeros) and writes of learned values stay quiet.
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "analysis/analyses.h"
#include "rules/chain_trace.h"
#include "rules/support.h"

namespace archscan::rules {
namespace {

// A constant that pushes a logit up past any learned value: >= 100, +inf, finfo.max.
bool positive_big(const FlowIndex& fi, int32_t id, int depth = 0) {
  if (id < 0 || depth > 4 || fi.input_dependent(id)) return false;
  const flow::FlatNode& n = fi.node(id);
  if (n.num) return *n.num >= 100 && !std::isnan(*n.num);
  auto inf_name = [](const std::string& s) {
    return s.find("inf") != std::string::npos && s.find('-') == std::string::npos;
  };
  if (n.op == "call" && n.name == "float" && !n.args.empty()) return inf_name(fi.node(n.args[0]).name);
  if (n.op == "global") return inf_name(n.name);
  if (n.op == "attr" && n.name == "max" && !n.args.empty()) return fi.node(n.args[0]).op == "finfo";
  if (n.op == "mul") {
    for (int32_t a : n.args)
      if (positive_big(fi, a, depth + 1)) return true;
  }
  return false;
}

// Large constants that scale a class vector (not the class count of one_hot or a shape).
bool scaled_big(const FlowIndex& fi, int32_t id) {
  std::vector<int32_t> stack{id};
  std::set<int32_t> seen;
  while (!stack.empty()) {
    int32_t cur = stack.back();
    stack.pop_back();
    if (cur < 0 || !seen.insert(cur).second || seen.size() > 500 || fi.learned(cur)) continue;
    const flow::FlatNode& n = fi.node(cur);
    if (n.op == "mul" || n.op == "add") {
      for (int32_t a : n.args)
        if (positive_big(fi, a)) return true;
    }
    int32_t v = written_value(fi, cur);
    if (v >= 0 && positive_big(fi, v)) return true;
    if ((n.op == "full" || n.op == "full_like" || n.op == "fill" || n.op == "new_full") && n.args.size() >= 2 &&
        positive_big(fi, n.args[1]))
      return true;
    for (int32_t a : n.args)
      if (a < cur) stack.push_back(a);
  }
  return false;
}

// The first raw contribution with evidence (a weight-free function of the input, not a mask).
int32_t raw_contribution(const FlowIndex& fi, int32_t v) {
  for (int32_t r : fi.raw_sources(v))
    if (fi.fact(r).evidence & (kCollapseEvidence | flow::kSteep)) return r;
  return -1;
}

class ConstantClassWrite : public Rule {
 public:
  const RuleInfo& info() const override {
    static const RuleInfo i{"BB003",
                            "constant-class-write",
                            "building-block",
                            Severity::Warning,
                            "write into the model output at a fixed class index from a weight-free path",
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
      if (!n.loc.valid() || fr.feeds_learned[i] || !fi.reaches_output(id)) return;
      int32_t target = -1, raw = -1, shown = -1;
      std::string how, what;
      if (constant_index_write(fi, id) >= 0) {
        target = n.args.empty() ? -1 : n.args[0];
        int32_t v = written_value(fi, id);
        if (target < 0 || v < 0 || !fi.learned(target)) return;
        raw = raw_contribution(fi, v);
        if (raw < 0 && !positive_big(fi, v)) return;
        how = n.op == "setitem" ? std::string("a subscript assignment") : fmt::format("`{}`", n.op);
        what = raw >= 0 ? fmt::format("a weight-free function of the raw input ({})", describe_raw(fi, raw))
                        : fmt::format("a large constant ({})", source_text(p, fi.node(v).loc, 30));
        shown = v;
      } else if (n.op == "add" || n.op == "sub") {
        for (int32_t a : n.args) {
          if (fi.learned(a) && target < 0) target = a;
        }
        if (target < 0) return;
        for (int32_t a : n.args) {
          if (a == target || fi.learned(a)) continue;
          int32_t cv = class_vector(fi, a);
          if (cv < 0) continue;
          int32_t r = raw_contribution(fi, a);
          if (r < 0 && !scaled_big(fi, a)) continue;
          raw = r;
          shown = cv;
          how = fmt::format("adding a class vector (`{}`)", fi.node(cv).op);
          what = raw >= 0 ? fmt::format("scaled by a weight-free function of the raw input ({})", describe_raw(fi, raw))
                          : "scaled by a large constant";
          break;
        }
        if (shown < 0) return;
      } else {
        return;
      }
      Finding f = finding_at(info(), p, n.loc,
                             fmt::format("`{}` writes into its output at a fixed class index ({}), {}: "
                                         "it can force one class without any learned weight deciding it",
                                         fr.graph.root.label, how, what),
                             scope_of(p, n));
      f.module = fr.graph.root.label;
      f.subject = flow_subject(n);
      if (raw >= 0) f.trace = raw_trace(p, fi, raw);
      const flow::FlatNode& t = fi.node(target);
      if (t.loc.valid())
        f.trace.push_back(step(p, t.loc, "propagation",
                               fmt::format("the learned output ({} learned layers deep)", fi.depth(target))));
      if (shown >= 0 && raw < 0 && fi.node(shown).loc.valid())
        f.trace.push_back(step(p, fi.node(shown).loc, "source", "the value written"));
      f.trace.push_back(step(p, n.loc, "integration", "written at a fixed class index"));
      ctx.report(std::move(f));
    });
  }
};

ARCHSCAN_REGISTER_RULE(ConstantClassWrite);

}  // namespace
}  // namespace archscan::rules
