// Helpers shared by rules: building findings and trace steps from IR locations.
#pragma once

#include <string>

#include "core/finding.h"
#include "core/rule.h"
#include "ir/ir.h"

namespace archscan::rules {

inline TraceStep step(const ir::Program& p, const ir::Loc& loc, std::string role, std::string note) {
  TraceStep s;
  if (loc.file >= 0) s.path = p.file(loc.file).path;
  s.line = loc.line;
  s.column = loc.col;
  s.role = std::move(role);
  s.note = std::move(note);
  return s;
}

inline Finding finding_at(const RuleInfo& info, const ir::Program& p, const ir::Loc& loc, std::string message,
                          std::string scope = {}) {
  Finding f;
  f.rule = info.id;
  f.severity = info.severity;
  if (loc.file >= 0) f.path = p.file(loc.file).path;
  f.line = loc.line;
  f.column = loc.col;
  f.end_line = loc.end_line;
  f.end_column = loc.end_col;
  f.message = std::move(message);
  f.scope = std::move(scope);
  return f;
}

// The source text of a node's span, shortened to one line of at most `max` bytes.
std::string source_text(const ir::Program& p, const ir::Loc& loc, size_t max = 60);

}  // namespace archscan::rules
