// Inline suppressions: `# archscan: ignore[RULE, ...] reason` (`//` in C++), on the flagged line or
// alone on the line above it. A suppression needs both a rule and a reason: one without either is
// reported (SUP001) and suppresses nothing. A suppression entry that matched no finding of a rule
// that ran is reported as unused (SUP002).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/pipeline.h"

namespace archscan::review {

struct InlineSuppression {
  int line = 0;                    // 1-based line of the comment
  int column = 0;                  // 1-based byte column of the comment marker
  bool own_line = false;           // nothing but the comment on its line: it also covers the next line
  int covers_next = 0;             // the line below it that it covers (0 = none)
  bool bracketed = false;          // `ignore[...]` rather than a bare `ignore`
  std::vector<std::string> rules;  // ids, names or taxonomy types as written
  std::string reason;
  bool valid() const { return bracketed && !rules.empty() && !reason.empty(); }
};

// The comment marker of a language ("#" for Python, "//" for C++), empty when unknown.
std::string_view comment_marker(std::string_view language);

// Finds the suppression comments of one source file.
std::vector<InlineSuppression> parse_suppressions(std::string_view text, std::string_view marker);

// The order-10 post-processor: marks suppressed findings and adds SUP001 / SUP002 findings.
void apply_inline_suppressions(ScanResult& result, const ir::Program& program, const ScanOptions& opts);

}  // namespace archscan::review
