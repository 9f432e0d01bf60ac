#include "rules/chain_trace.h"

#include <fmt/format.h>

#include <algorithm>

#include "rules/support.h"

namespace archscan::rules {

std::string scope_of(const ir::Program& p, const flow::FlatNode& n) {
  return n.function >= 0 ? p.fn(n.function).qualname : std::string();
}

std::string describe_steps(const flow::FlowResult& fr, const std::vector<int32_t>& steps) {
  std::string s;
  int shown = 0;
  for (int32_t id : steps) {
    const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(id)];
    if (n.flags & (flow::kFlatInput | flow::kFlatLearned)) continue;  // the input, or the output a detector reads
    if (shown++ == 5) {
      s += ", ...";
      break;
    }
    s += (s.empty() ? "" : ", ") + n.op;
  }
  return s.empty() ? "weight-free ops" : s;
}

std::string describe_detector(const ir::Program&, const flow::FlowResult& fr, const flow::Chain& c) {
  return describe_steps(fr, c.detector_steps);
}

std::vector<TraceStep> detector_trace(const ir::Program& p, const flow::FlowResult& fr, int32_t detector,
                                      const std::vector<int32_t>& steps, bool on_output) {
  const char* source = on_output ? "the model's output" : "the raw input";
  std::vector<TraceStep> t;
  for (int32_t id : steps) {
    const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(id)];
    if (!n.loc.valid()) continue;
    if (n.flags & flow::kFlatInput)
      t.push_back(step(p, n.loc, "input", fmt::format("model input `{}` of {}", n.name, fr.graph.root.label)));
    else if (n.flags & flow::kFlatLearned)
      t.push_back(step(p, n.loc, "input", fmt::format("`{}`: the model's output the detector reads", n.op)));
    else
      t.push_back(step(p, n.loc, "detector", fmt::format("`{}` on {}, no learned weights", n.op, source)));
  }
  if (detector < 0) return t;
  const flow::FlatNode& d = fr.graph.nodes[static_cast<size_t>(detector)];
  if (d.loc.valid() && (t.empty() || t.back().line != d.loc.line))
    t.push_back(step(p, d.loc, "detector",
                     on_output ? "indicator: a near-binary function of the output" : "indicator: a near-binary function of the input"));
  return t;
}

namespace {

// Where, on the weight-free way from the test to the indicator, the test chose what is written
// (`gate = where(test, nan, gate)`, `mask.masked_fill(test, 0)`): the line a reviewer looks for,
// though it adds no evidence of its own. Input order.
std::vector<int32_t> test_choices(const flow::FlowResult& fr, int32_t detector, const std::vector<int32_t>& steps) {
  std::vector<int32_t> out, work{detector};
  std::vector<char> seen(fr.graph.nodes.size(), 0);
  while (!work.empty() && out.size() < 4) {
    const int32_t v = work.back();
    work.pop_back();
    if (v < 0 || seen[static_cast<size_t>(v)]) continue;
    seen[static_cast<size_t>(v)] = 1;
    const flow::Fact& f = fr.facts[static_cast<size_t>(v)];
    if (!f.raw || f.learned) continue;
    const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(v)];
    const int32_t cond = n.op == "where" && n.args.size() == 3         ? n.args[0]
                         : n.op == "masked_fill" && n.args.size() == 3 ? n.args[1]
                                                                       : -1;
    if (cond >= 0 && flow::is_detector(fr.facts[static_cast<size_t>(cond)]) && n.loc.valid() &&
        std::find(steps.begin(), steps.end(), v) == steps.end())
      out.push_back(v);
    for (int32_t a : n.args)
      if (a >= 0 && a < v) work.push_back(a);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<TraceStep> chain_trace(const ir::Program& p, const flow::FlowResult& fr, const flow::Chain& c) {
  std::vector<TraceStep> t = detector_trace(p, fr, c.detector, c.detector_steps, c.on_output);
  if (c.detector >= 0)
    for (int32_t w : test_choices(fr, c.detector, c.detector_steps))
      t.push_back(step(p, fr.graph.nodes[static_cast<size_t>(w)].loc, "detector",
                       fmt::format("the test chooses what `{}` writes here", fr.graph.nodes[static_cast<size_t>(w)].op)));
  const flow::FlatNode& y = fr.graph.nodes[static_cast<size_t>(c.data)];
  const flow::FlatNode& n = fr.graph.nodes[static_cast<size_t>(c.integration)];
  if (y.loc.valid())
    t.push_back(
        step(p, y.loc, "propagation",
             fmt::format("{} path: the data it acts on ({})", to_string(c.propagation),
                         fr.facts[static_cast<size_t>(c.data)].learned ? "learned features" : "the raw input")));
  if (c.read_back >= 0) {
    const flow::FlatNode& rb = fr.graph.nodes[static_cast<size_t>(c.read_back)];
    t.push_back(step(p, n.loc, "propagation", fmt::format("written into the activations: `{}`", n.op)));
    t.push_back(step(
        p, rb.loc, "integration",
        fmt::format("{} integration: read back out of the activations by `{}`", to_string(c.integration_kind), rb.op)));
  } else {
    t.push_back(
        step(p, n.loc, "integration", fmt::format("{} integration: `{}`", to_string(c.integration_kind), n.op)));
  }
  if (fr.graph.root.registered_at.valid())
    t.push_back(step(p, fr.graph.root.registered_at, "propagation", "installed here"));
  for (const ir::Loc& via : fr.graph.root.installed_via)
    t.push_back(step(p, via, "propagation", "the installing code runs here"));
  if (fr.graph.root.attached_at.valid())
    t.push_back(step(p, fr.graph.root.attached_at, "propagation", "attached to the model here"));
  // Code bound onto an instance from outside its class runs only because of that binding.
  std::vector<int32_t> fns;
  for (int32_t id : c.detector_steps) fns.push_back(fr.graph.nodes[static_cast<size_t>(id)].function);
  fns.push_back(n.function);
  std::sort(fns.begin(), fns.end());
  fns.erase(std::unique(fns.begin(), fns.end()), fns.end());
  for (int32_t f : fns)
    if (f >= 0 && p.fn(f).bound_at.valid())
      t.push_back(step(p, p.fn(f).bound_at, "propagation",
                       fmt::format("`{}` bound onto the instance here", p.fn(f).name)));
  return t;
}

}  // namespace archscan::rules
