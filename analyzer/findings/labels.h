// Expectation labels in source comments, shared by `archscan eval` (the corpus) and the rule
// fixture tests:
//   `# expect: T3` / `// expect: T3`   a complete chain of type T3 must be reported on this line
//   `# expect: HW001, BM001`            these rules must fire on this line
//   `# expect: CN003(note)`             ... with this severity
//   `# expect: none`                    no warning or error anywhere in the case
//   `# ok: ID`                          rule ID must not fire on this line (fixtures)
//   `# message: ID "text"`              a finding of ID on this line has `text` in its message
//   `# trace: ID "text"`                ... has a trace step on this line whose note holds `text`
#pragma once

#include <string>
#include <vector>

#include "findings/scan_result.h"

namespace archscan {

struct Label {
  std::string path;  // relative to the scan root
  int line = 0;
  std::string what;          // "T3", "HW001", "none"
  bool must_fire = true;     // false for `# ok:`
  std::string message = {};  // `# message:` -- a substring the finding's message must hold
  std::string trace = {};    // `# trace:` -- a substring of the note of a trace step on this line
};

std::vector<Label> parse_labels(const std::string& path, const std::string& text);

// The case a file belongs to: the outermost package directory containing it (a directory with
// __init__.py among `all_paths`), or the file itself.
std::string case_of(const std::string& path, const std::vector<std::string>& all_paths);

struct LabelCheck {
  Label label;
  std::string case_name;
  bool passed = false;
  bool found = false;       // a chain (T-labels) or the rule fired on the line
  bool right_type = false;  // T-labels: with the labelled type
  std::string found_type;   // T-labels: the type reported on the line (the labelled one when it is among them)
  std::string detail;       // what was found instead / the offending findings
};

// Checks every label against the findings (suppressed findings do not count).
std::vector<LabelCheck> check_labels(const std::vector<Label>& labels, const std::vector<Finding>& findings,
                                     const std::vector<std::string>& all_paths);

}  // namespace archscan
