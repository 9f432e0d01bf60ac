// Which rules a scan runs, and a hash identifying that rule set (recorded with each run).
#pragma once

#include <string>
#include <vector>

#include "core/pipeline.h"
#include "findings/rule.h"

namespace archscan::review {

// Same selection as the pipeline: --select / --ignore entries match a rule id, its name or an id
// prefix ("BD" selects BD001, BD002, ...).
std::vector<const Rule*> active_rules(const ScanOptions& opts);
std::vector<std::string> active_rule_ids(const ScanOptions& opts);
// xxh3 over the tool version and each active rule's id, name, severity and summary.
std::string ruleset_hash(const ScanOptions& opts);

}  // namespace archscan::review
