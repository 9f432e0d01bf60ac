#include "rules/support.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "rules/chain_trace.h"

namespace archscan::rules {

void demote_outside_models(const Analyses& a, const ir::Function& f, Finding& fd) {
  if (a.runs_with_model(f) || fd.severity == Severity::Note) return;
  fd.severity = Severity::Note;
  fd.message += " (in library code: no model of the scanned tree runs it)";
}

std::string source_text(const ir::Program& p, const ir::Loc& loc, size_t max) {
  if (loc.file < 0) return {};
  const ir::SourceFile& f = p.file(loc.file);
  std::string_view line = f.line_text(loc.line);
  size_t a = loc.col > 0 ? static_cast<size_t>(loc.col - 1) : 0;
  if (a > line.size()) return {};
  size_t b = loc.end_line == loc.line && loc.end_col > loc.col ? static_cast<size_t>(loc.end_col - 1) : line.size();
  std::string s(line.substr(a, b - a));
  if (s.size() > max) {
    size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    s = s.substr(0, cut) + "...";
  }
  return s;
}

}  // namespace archscan::rules

// ---- Flow queries shared by the building-block rules ----

namespace archscan::rules {
namespace {

bool op_in(const std::string& op, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (op == n) return true;
  return false;
}

std::vector<int32_t> all_operands(const flow::FlatNode& n) {
  std::vector<int32_t> v = n.args;
  for (const auto& [k, a] : n.kwargs) v.push_back(a);
  return v;
}

}  // namespace

FlowIndex::FlowIndex(const flow::FlowResult& r) : fr(r) {
  const size_t n = fr.graph.nodes.size();
  learned_op_.assign(n, 0);
  depth_.assign(n, 0);
  to_output_.assign(n, 0);
  chained_.assign(n, 0);
  users_.assign(n, {});
  for (size_t i = 0; i < n; ++i)
    for (int32_t a : data_args(static_cast<int32_t>(i)))
      if (a >= 0 && static_cast<size_t>(a) < n) users_[static_cast<size_t>(a)].push_back(static_cast<int32_t>(i));
  for (size_t i = 0; i < n; ++i) {
    const auto& nd = fr.graph.nodes[i];
    const int32_t id = static_cast<int32_t>(i);
    has_learned_ |= fact(id).learned;
    bool from_learned = false;
    int d = 0;
    for (int32_t a : all_operands(nd)) {
      if (a < 0 || a >= id) continue;
      from_learned |= fact(a).learned;
      if (input_dependent(a)) d = std::max(d, depth_[static_cast<size_t>(a)]);
    }
    learned_op_[i] = ((nd.flags & flow::kFlatLearned) || (fact(id).learned && !from_learned)) ? 1 : 0;
    depth_[i] = d + (learned_op_[i] && input_dependent(id) ? 1 : 0);
  }
  for (int32_t o : fr.graph.outputs)
    if (o >= 0) to_output_[static_cast<size_t>(o)] = 1;
  for (size_t i = n; i-- > 0;) {
    if (fr.graph.nodes[i].op == "branch") to_output_[i] = 1;
    if (!to_output_[i]) continue;
    for (int32_t a : data_args(static_cast<int32_t>(i)))
      if (a >= 0 && static_cast<size_t>(a) < i) to_output_[static_cast<size_t>(a)] = 1;
  }
  for (const auto& c : fr.chains) {
    if (c.integration < 0) continue;
    chained_[static_cast<size_t>(c.integration)] = 1;
    // The signal side of the chain (the detector scaled, shaped, combined with a logit spread).
    std::vector<int32_t> stack;
    for (int32_t a : all_operands(node(c.integration)))
      if (a != c.data) stack.push_back(a);
    std::set<int32_t> seen;
    while (!stack.empty()) {
      int32_t cur = stack.back();
      stack.pop_back();
      if (cur < 0 || !seen.insert(cur).second || seen.size() > 2000 || !fact(cur).detector_derived) continue;
      chained_[static_cast<size_t>(cur)] = 1;
      for (int32_t a : all_operands(node(cur)))
        if (a < cur) stack.push_back(a);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (chained_[i]) continue;
    for (int32_t a : all_operands(fr.graph.nodes[i]))
      if (a >= 0 && static_cast<size_t>(a) < i && chained_[static_cast<size_t>(a)]) chained_[i] = 1;
  }
}

std::vector<int32_t> FlowIndex::data_args(int32_t id) const {
  const flow::FlatNode& n = node(id);
  auto pick = [&](std::initializer_list<size_t> pos, std::initializer_list<const char*> kws) {
    std::vector<int32_t> v;
    for (size_t p : pos)
      if (p < n.args.size()) v.push_back(n.args[p]);
    for (const auto& [k, a] : n.kwargs)
      for (const char* kw : kws)
        if (k == kw) v.push_back(a);
    return v;
  };
  if (op_in(n.op, {"getitem", "gather", "index_select", "take", "take_along_dim", "to", "type_as", "expand_as",
                   "view_as", "reshape_as"}))
    return pick({0}, {"input"});
  if (n.op == "new_tensor") return pick({1}, {"data"});  // x.new_tensor(data): x lends dtype and device
  if (op_in(n.op, {"setitem", "index_put"})) return pick({0, 2}, {"values", "value"});
  if (op_in(n.op, {"index_add", "index_copy", "index_fill", "scatter", "scatter_add", "scatter_reduce"}))
    return pick({0, 3}, {"src", "value", "source"});
  return all_operands(n);
}

std::string flow_subject(const flow::FlatNode& n) {
  return fmt::format("{}:{}:{}-{}:{}:{}", n.loc.file, n.loc.line, n.loc.col, n.loc.end_line, n.loc.end_col, n.op);
}

bool FlowIndex::raw_only(int32_t id) const { return fact(id).raw && !fact(id).learned; }

std::vector<int32_t> FlowIndex::raw_sources(int32_t id) const {
  std::vector<int32_t> out;
  std::vector<int32_t> stack{id};
  std::set<int32_t> seen;
  while (!stack.empty()) {
    int32_t cur = stack.back();
    stack.pop_back();
    if (cur < 0 || !seen.insert(cur).second || seen.size() > 2000) continue;
    if (raw_only(cur)) {
      out.push_back(cur);
      continue;
    }
    if (!fact(cur).raw || learned_op(cur)) continue;  // learned-only, or a learned layer consumed the raw part
    for (int32_t a : data_args(cur))
      if (a < cur) stack.push_back(a);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int32_t> FlowIndex::raw_ancestors(int32_t id) const {
  std::vector<int32_t> out;
  std::vector<int32_t> stack{id};
  std::set<int32_t> seen;
  while (!stack.empty()) {
    int32_t cur = stack.back();
    stack.pop_back();
    if (cur < 0 || !seen.insert(cur).second || seen.size() > 2000 || !raw_only(cur)) continue;
    out.push_back(cur);
    for (int32_t a : all_operands(node(cur)))
      if (a < cur) stack.push_back(a);
  }
  return out;
}

namespace {

bool is_write(const std::string& op) {
  return op_in(op, {"setitem", "index_put", "index_add", "index_copy", "index_fill", "scatter", "scatter_add",
                    "scatter_reduce"});
}

// Whether a setitem subscript selects a fixed position past the batch dimension: `[:, 3]`,
// `[..., k]`, `[:, 2:5]`, `[:, self.pad_id]`.
bool fixed_class_subscript(const FlowIndex& fi, int32_t idx) {
  const flow::FlatNode& t = fi.node(idx);
  if (t.op != "tuple" || t.args.size() < 2) return false;
  for (size_t k = 1; k < t.args.size(); ++k) {
    const flow::FlatNode& e = fi.node(t.args[k]);
    if (e.num) return true;
    if (e.op == "slice")
      for (int32_t b : e.args)
        if (fi.node(b).num) return true;
    if (e.op == "tensor" || e.op == "list") return true;
  }
  return false;
}

}  // namespace

int32_t written_value(const FlowIndex& fi, int32_t id) {
  const flow::FlatNode& n = fi.node(id);
  if (!is_write(n.op)) return -1;
  size_t pos = op_in(n.op, {"setitem", "index_put"}) ? 2 : 3;
  if (pos < n.args.size()) return n.args[pos];
  for (const auto& [k, a] : n.kwargs)
    if (k == "src" || k == "value" || k == "values" || k == "source") return a;
  return -1;
}

int32_t constant_index_write(const FlowIndex& fi, int32_t id) {
  const flow::FlatNode& n = fi.node(id);
  if (!is_write(n.op)) return -1;
  const bool subscript = op_in(n.op, {"setitem", "index_put"});
  size_t ipos = subscript ? 1 : 2;
  int32_t idx = ipos < n.args.size() ? n.args[ipos] : -1;
  if (idx < 0) {
    for (const auto& [k, a] : n.kwargs)
      if (k == "index" || k == "indices") idx = a;
  }
  if (idx < 0 || fi.input_dependent(idx) || fi.fact(idx).param) return -1;
  if (n.op == "setitem") return fixed_class_subscript(fi, idx) ? idx : -1;
  if (!subscript) {
    // Along dimension 0 a fixed index picks samples of the batch, not a class.
    auto dim = n.args.size() >= 2 ? fi.node(n.args[1]).num : std::nullopt;
    if (dim && *dim == 0) return -1;
  }
  return idx;
}

int32_t class_vector(const FlowIndex& fi, int32_t id) {
  std::vector<int32_t> stack{id};
  std::set<int32_t> seen;
  while (!stack.empty()) {
    int32_t cur = stack.back();
    stack.pop_back();
    if (cur < 0 || !seen.insert(cur).second || seen.size() > 500 || fi.learned(cur)) continue;
    const flow::FlatNode& n = fi.node(cur);
    if (op_in(n.op, {"one_hot", "eye"})) {
      if (n.args.empty() || !fi.input_dependent(n.args[0])) return cur;
      continue;  // one_hot(labels): the data picks the class
    }
    // t = zeros(n); t[k] = v: a class vector built by hand.
    if (is_write(n.op)) {
      size_t ipos = op_in(n.op, {"setitem", "index_put"}) ? 1 : 2;
      if (n.args.size() > ipos && !fi.input_dependent(n.args[0]) && !fi.input_dependent(n.args[ipos]) &&
          !fi.fact(n.args[ipos]).param)
        return cur;
    }
    for (int32_t a : fi.data_args(cur))
      if (a < cur) stack.push_back(a);
  }
  return -1;
}

std::optional<double> literal(const FlowIndex& fi, int32_t id) {
  if (id < 0) return std::nullopt;
  return fi.node(id).num;
}

bool gate_like(const FlowIndex& fi, int32_t g) {
  if (!fi.raw_only(g)) return false;
  const uint32_t e = fi.fact(g).evidence;
  if (e & (flow::kThreshold | flow::kConjunction)) return true;
  const uint32_t collapse = flow::kReduce | flow::kPool | flow::kAggregate;
  if (!(e & collapse)) return false;
  if (e & flow::kSteep) return true;
  // A bounded function (clamp to an upper bound, sigmoid, hardtanh) of a per-sample statistic: a soft
  // indicator, not a normaliser.
  for (int32_t a : fi.raw_ancestors(g)) {
    const flow::FlatNode& n = fi.node(a);
    if (n.args.empty() || !(fi.fact(n.args[0]).evidence & collapse)) continue;
    bool bounded = op_in(n.op, {"sigmoid", "hardsigmoid", "tanh", "hardtanh", "relu6", "softsign", "clamp_max"});
    if (op_in(n.op, {"clamp", "clip"})) {
      if (n.args.size() >= 3 && fi.node(n.args[2]).op != "const") bounded = true;
      if (n.args.size() >= 3 && fi.node(n.args[2]).num) bounded = true;
      for (const auto& [k, v] : n.kwargs)
        if (k == "max" && (fi.node(v).num || fi.node(v).op != "const")) bounded = true;
    }
    if (bounded) return true;
  }
  return false;
}

namespace {

// The raw ancestors that added evidence (including aggregates and steep scaling), input first.
std::vector<int32_t> raw_evidence_ops(const FlowIndex& fi, int32_t raw) {
  std::vector<int32_t> out;
  for (int32_t a : fi.raw_ancestors(raw)) {
    const flow::FlatNode& n = fi.node(a);
    uint32_t from = 0;
    for (int32_t o : n.args)
      if (fi.raw_only(o)) from |= fi.fact(o).evidence;
    if ((n.flags & flow::kFlatInput) || ((fi.fact(a).evidence & ~from) & 0xFFu)) out.push_back(a);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string describe_raw(const FlowIndex& fi, int32_t raw) {
  std::string s;
  int shown = 0;
  for (int32_t id : raw_evidence_ops(fi, raw)) {
    const flow::FlatNode& n = fi.node(id);
    if (n.flags & flow::kFlatInput) continue;
    if (shown++ == 5) {
      s += ", ...";
      break;
    }
    s += (s.empty() ? "" : ", ") + n.op;
  }
  if (!s.empty()) return s;
  const flow::FlatNode& n = fi.node(raw);
  return n.flags & flow::kFlatInput ? "the input itself" : n.op;
}

std::vector<TraceStep> raw_trace(const ir::Program& p, const FlowIndex& fi, int32_t raw) {
  std::vector<TraceStep> t;
  for (int32_t id : raw_evidence_ops(fi, raw)) {
    const flow::FlatNode& n = fi.node(id);
    if (!n.loc.valid()) continue;
    if (n.flags & flow::kFlatInput)
      t.push_back(step(p, n.loc, "input", fmt::format("model input `{}` of {}", n.name, fi.fr.graph.root.label)));
    else
      t.push_back(step(p, n.loc, "detector", fmt::format("`{}` on the raw input, no learned weights", n.op)));
  }
  const flow::FlatNode& r = fi.node(raw);
  if (r.loc.valid() && (t.empty() || t.back().line != r.loc.line))
    t.push_back(step(p, r.loc, "source", "a weight-free function of the raw input"));
  return t;
}

Finding raw_meets_learned(const RuleInfo& info, const ir::Program& p, const FlowIndex& fi, int32_t at,
                          std::string message, int32_t raw, int32_t learned, std::string learned_note,
                          std::string integration_note) {
  const flow::FlatNode& n = fi.node(at);
  Finding f = finding_at(info, p, n.loc, std::move(message), scope_of(p, n));
  f.module = fi.fr.graph.root.label;
  f.subject = flow_subject(n);
  f.trace = raw_trace(p, fi, raw);
  if (const flow::FlatNode& l = fi.node(learned); l.loc.valid())
    f.trace.push_back(step(p, l.loc, "propagation", std::move(learned_note)));
  f.trace.push_back(step(p, n.loc, "integration", std::move(integration_note)));
  return f;
}

}  // namespace archscan::rules
