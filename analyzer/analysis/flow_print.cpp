#include <fmt/format.h>

#include "analysis/detector_flow.h"

namespace archscan::flow {
namespace {

std::string evidence_str(uint32_t e) {
  std::string s;
  if (e & kThreshold) s += "T";
  if (e & kReduce) s += "R";
  if (e & kPool) s += "P";
  if (e & kLocalPool) s += "p";
  if (e & kPattern) s += "C";
  if (e & kSteep) s += "S";
  if (e & kConjunction) s += "&";
  if (e & kAggregate) s += "A";
  if (e & kWeakThreshold) s += "w";
  return s;
}

}  // namespace

std::string print(const ir::Program& p, const FlowResult& r) {
  const FlatGraph& g = r.graph;
  std::string out =
      fmt::format("root {} ({} nodes{})\n", g.root.label, g.nodes.size(), g.truncated ? ", truncated" : "");
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const FlatNode& n = g.nodes[i];
    const Fact& f = r.facts[i];
    out += fmt::format("  #{} {}", i, n.op);
    if (!n.name.empty()) out += fmt::format(" '{}'", n.name);
    if (n.num) out += fmt::format(" ={}", *n.num);
    out += "(";
    for (size_t k = 0; k < n.args.size(); ++k) out += fmt::format("{}#{}", k ? "," : "", n.args[k]);
    for (const auto& [k, v] : n.kwargs) out += fmt::format(",{}=#{}", k, v);
    out += ")";
    std::string tags;
    if (f.raw) tags += " raw";
    if (f.learned) tags += " learned";
    if (f.param) tags += " param";
    if (f.constant_tensor) tags += " const";
    if (f.evidence) tags += " ev=" + evidence_str(f.evidence);
    if (f.detector_derived) tags += " det";
    if (f.scale) tags += " scale";
    if (f.integrated) tags += " integrated";
    if (is_detector(f)) tags += " DETECTOR";
    if (r.feeds_learned[i]) tags += " ->learned";
    out += tags;
    if (n.loc.valid()) out += fmt::format("  @{}:{}", p.file(n.loc.file).path, n.loc.line);
    out += "\n";
  }
  for (const auto& c : r.chains)
    out += fmt::format("  CHAIN T{} detector #{} data #{} integration #{} ({}, {}, {})\n", c.taxonomy, c.detector,
                       c.data, c.integration, c.constant_based ? "constant" : "operator", to_string(c.propagation),
                       to_string(c.integration_kind));
  return out;
}

}  // namespace archscan::flow
