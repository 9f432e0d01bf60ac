// Readable dump of the IR for people and tests (`archscan ir FILE`).
#include <fmt/format.h>

#include <cmath>

#include "ir/ir.h"

namespace archscan::ir {
namespace {

std::string num_str(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:g}", v);
}

void print_attr(std::string& out, const Program& p, const Attr& a, int indent) {
  out += fmt::format("{:{}}attr {}: {}", "", indent, a.name, to_string(a.kind));
  if (!a.type.empty()) out += " " + a.type;
  if (a.learned) out += " learned";
  if (a.scalar) out += " scalar";
  if (a.module_class >= 0) out += " -> " + p.mod(a.module_class).qualname;
  if (a.function >= 0) out += " -> " + p.fn(a.function).qualname;
  if (a.num) out += " = " + num_str(*a.num);
  if (a.loc.valid()) out += fmt::format(" @{}", a.loc.line);
  if (!a.edits.empty()) {
    out += " edits";
    for (const auto& e : a.edits) out += fmt::format(" @{}", e.line);
  }
  out += "\n";
  for (const auto& c : a.children) print_attr(out, p, c, indent + 2);
  // (the other configurations the value may be: `A() if flag else B()`, a module passed in elsewhere)
  for (const auto& alt : a.alternatives) {
    out += fmt::format("{:{}}or ", "", indent + 2);
    std::string one;
    print_attr(one, p, alt, 0);
    out += one.substr(5);  // ("attr ")
  }
}

}  // namespace

std::string print(const Program& p, const Function& f) {
  std::string out = fmt::format("function {}(", f.qualname);
  for (size_t i = 0; i < f.params.size(); ++i) out += (i ? ", " : "") + f.params[i];
  out += ")";
  if (f.file >= 0) out += fmt::format(" @{}:{}", p.file(f.file).path, f.loc.line);
  if (!f.decorators.empty()) {
    out += " decorators:";
    for (const auto& d : f.decorators) out += " " + d;
  }
  out += "\n";
  for (const Node& n : f.nodes) {
    out += fmt::format("  %{} = {}", n.id, n.op);
    if (!n.name.empty()) out += fmt::format(" '{}'", n.name);
    if (!n.args.empty() || !n.kwargs.empty()) {
      out += "(";
      bool first = true;
      for (NodeId a : n.args) {
        out += fmt::format("{}%{}", first ? "" : ", ", a);
        first = false;
      }
      for (const auto& [k, v] : n.kwargs) {
        out += fmt::format("{}{}=", first ? "" : ", ", k);
        out += v == kNoNode ? std::string("_") : fmt::format("%{}", v);
        first = false;
      }
      out += ")";
    }
    if (n.num) out += " = " + num_str(*n.num);
    if (n.has(kLearned)) out += " [learned]";
    if (n.has(kInPlace)) out += " [in-place]";
    if (n.target_function >= 0) out += " -> " + p.fn(n.target_function).qualname;
    if (n.target_module >= 0) out += " -> class " + p.mod(n.target_module).qualname;
    out += fmt::format("  @{}:{}\n", n.loc.line, n.loc.col);
  }
  return out;
}

std::string print(const Program& p) {
  std::string out;
  for (size_t fi = 0; fi < p.files.size(); ++fi) {
    const SourceFile& f = p.files[fi];
    out += fmt::format("file {} ({}, {}{})\n", f.path, f.language, to_string(f.status),
                       f.message.empty() ? "" : ": " + f.message);
    for (int32_t ii : f.imports) {
      const Import& imp = p.imports[static_cast<size_t>(ii)];
      out += fmt::format("import {} = {}\n", imp.local, imp.target);
    }
    for (const Module& m : p.modules) {
      if (m.file != static_cast<int32_t>(fi)) continue;
      out += fmt::format("\nmodule {}{} @{}\n", m.qualname, m.is_nn_module ? " [nn.Module]" : "", m.loc.line);
      if (!m.bases.empty()) {
        out += "  bases:";
        for (const auto& b : m.bases) out += " " + b;
        out += "\n";
      }
      for (const Attr& a : m.attrs) print_attr(out, p, a, 2);
    }
    for (const Function& fn : p.functions) {
      if (fn.file != static_cast<int32_t>(fi)) continue;
      out += "\n" + print(p, fn);
    }
  }
  return out;
}

}  // namespace archscan::ir
