// Stable finding fingerprints: rule + path + enclosing scope + the flagged line's text with
// whitespace removed + an occurrence index. Edits elsewhere in the file and moving the code keep
// it; a second identical finding in the same scope gets its own.
#pragma once

#include <vector>

#include "findings/finding.h"
#include "ir/ir.h"

namespace archscan {

void assign_fingerprints(std::vector<Finding>& findings, const ir::Program& program);

// Copies the flagged source lines (at most 5) into Finding::snippet.
void attach_snippets(std::vector<Finding>& findings, const ir::Program& program);

}  // namespace archscan
