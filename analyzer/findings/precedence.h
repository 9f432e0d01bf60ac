// Precedence between rules, declared by the rules (RuleInfo::superseded_by, one_per_line) and
// applied in one place after every rule has run, so that no rule has to know another.
#pragma once

#include <vector>

#include "findings/finding.h"
#include "findings/rule.h"

namespace archscan {

// `found[i]` holds the findings of `rules[i]`, in the order the rule reported them. Drops:
//  - a finding whose `subject` is claimed (Finding::claims) by a finding of a rule its own rule
//    lists in `superseded_by` (a building block that a complete BD001 chain already reports);
//  - for a rule with `one_per_line`, every finding after its first on the same path and line.
// Clears `subject` and `claims` (they only link findings of one run).
void apply_precedence(const std::vector<const RuleInfo*>& rules, std::vector<std::vector<Finding>>& found);

}  // namespace archscan
